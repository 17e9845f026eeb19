// vector.load/store of 1-D vectors (elementwise kernels, docs/codegen.md
// "Vector accesses"): one access of the whole tc_rt::vec when the op is
// aligned to the vec's size (up to 16 bytes), element by element otherwise.
// RUN: tensorc-cuda-translate %s | FileCheck %s
// RUN: %if nvrtc && ptxas %{ tensorc-cuda-translate %s --emit=ptx -o %t.ptx 2>&1 | FileCheck %s --check-prefix=NVRTC --allow-empty && %ptxas -arch=sm_90 %t.ptx -o %t.cubin && FileCheck %s --check-prefix=PTX < %t.ptx %}
// NVRTC-NOT: warning

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // CHECK-LABEL: void copy_f32(const float *__restrict__ v0, float *__restrict__ v1, long long v2)
    // PTX-LABEL: .entry copy_f32(
    // PTX: ld.global.nc.v4.f32
    // PTX: st.global.v4.f32
    gpu.func @copy_f32(%in: memref<?xf32>, %out: memref<?xf32>, %i: index) kernel {
      // CHECK: tc_rt::vec<float, 4> [[V:v[0-9]+]] = tc_rt::vload<float, 4>(&v0[v2]);
      %v = vector.load %in[%i] {alignment = 16 : i64} : memref<?xf32>, vector<4xf32>
      // CHECK-NEXT: tc_rt::vstore(&v1[v2], [[V]]);
      vector.store %v, %out[%i] {alignment = 16 : i64} : memref<?xf32>, vector<4xf32>
      gpu.return
    }
    // 8 halves: 16 bytes as four 32-bit words.
    // CHECK-LABEL: void copy_f16(
    // PTX-LABEL: .entry copy_f16(
    // PTX: ld.global.nc.v4.u32
    // PTX: st.global.v4.u32
    gpu.func @copy_f16(%in: memref<?xf16>, %out: memref<?xf16>, %i: index) kernel {
      // CHECK: tc_rt::vec<tc_half, 8> [[V:v[0-9]+]] = tc_rt::vload<tc_half, 8>(&v0[v2]);
      %v = vector.load %in[%i] {alignment = 16 : i64} : memref<?xf16>, vector<8xf16>
      // CHECK-NEXT: tc_rt::vstore(&v1[v2], [[V]]);
      vector.store %v, %out[%i] {alignment = 16 : i64} : memref<?xf16>, vector<8xf16>
      gpu.return
    }
    // No alignment (or less than the vec's): element by element.
    // CHECK-LABEL: void unaligned(
    gpu.func @unaligned(%in: memref<?xf32>, %out: memref<?xf32>, %i: index) kernel {
      // CHECK: tc_rt::vec<float, 2> [[V:v[0-9]+]] = {{[{][{]}}(&v0[v2])[0], (&v0[v2])[1]}};
      %v = vector.load %in[%i] : memref<?xf32>, vector<2xf32>
      // CHECK-NEXT: (&v1[v2])[0] = [[V]].v[0];
      // CHECK-NEXT: (&v1[v2])[1] = [[V]].v[1];
      vector.store %v, %out[%i] {alignment = 4 : i64} : memref<?xf32>, vector<2xf32>
      gpu.return
    }
    // A constant vector (a folded vector.from_elements) initializes a vec.
    // CHECK-LABEL: void constant(
    gpu.func @constant(%out: memref<?xf32>, %i: index) kernel {
      // CHECK: tc_rt::vec<float, 4> [[V:v[0-9]+]] = {{[{][{]}}1.0f, 1.0f, 1.0f, 1.0f}};
      %v = arith.constant dense<1.0> : vector<4xf32>
      // CHECK-NEXT: tc_rt::vstore(&v0[v1], [[V]]);
      vector.store %v, %out[%i] {alignment = 16 : i64} : memref<?xf32>, vector<4xf32>
      gpu.return
    }
  }
}
