// Tensor-core fragments: vectors are tc_rt::vec<T, N> (elements flattened
// row-major), nvgpu.mma.sync m16n8k16 calls the prelude's inline PTX.
// RUN: tensorc-cuda-translate %s | FileCheck %s
// RUN: %if nvrtc && ptxas %{ tensorc-cuda-translate %s --emit=ptx -o %t.ptx 2>&1 | FileCheck %s --check-prefix=NVRTC --allow-empty && %ptxas -arch=sm_90 %t.ptx -o %t.cubin && FileCheck %s --check-prefix=PTX < %t.ptx %}
// NVRTC-NOT: warning

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // CHECK-LABEL: void mma_bf16(const tc_bfloat16 *__restrict__ v0, float *__restrict__ v1)
    // PTX-LABEL: .entry mma_bf16(
    // PTX: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
    gpu.func @mma_bf16(%in: memref<?xbf16>, %out: memref<?xf32>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %x = memref.load %in[%c0] : memref<?xbf16>
      %y = memref.load %in[%c1] : memref<?xbf16>
      %z = arith.constant 0.0 : f32
      // CHECK: tc_rt::vec<tc_bfloat16, 8> [[A:v[0-9]+]] = {{[{][{]}}[[X:v[0-9]+]], [[Y:v[0-9]+]], [[X]], [[X]], [[X]], [[X]], [[X]], [[Y]]}};
      %a = vector.from_elements %x, %y, %x, %x, %x, %x, %x, %y : vector<4x2xbf16>
      // CHECK-NEXT: tc_rt::vec<tc_bfloat16, 4> [[B:v[0-9]+]] = {{[{][{]}}[[Y]], [[X]], [[X]], [[Y]]}};
      %b = vector.from_elements %y, %x, %x, %y : vector<2x2xbf16>
      // CHECK-NEXT: tc_rt::vec<float, 4> [[C:v[0-9]+]] = {{[{][{]}}[[Z:v[0-9]+]], [[Z]], [[Z]], [[Z]]}};
      %c = vector.from_elements %z, %z, %z, %z : vector<2x2xf32>
      // CHECK-NEXT: tc_rt::vec<float, 4> [[D:v[0-9]+]] = tc_rt::mma_m16n8k16_bf16([[A]], [[B]], [[C]]);
      %d = nvgpu.mma.sync (%a, %b, %c) {mmaShape = [16, 8, 16]} : (vector<4x2xbf16>, vector<2x2xbf16>, vector<2x2xf32>) -> vector<2x2xf32>
      // CHECK-NEXT: float [[E:v[0-9]+]] = [[D]].v[2];
      %e = vector.extract %d[1, 0] : f32 from vector<2x2xf32>
      memref.store %e, %out[%c0] : memref<?xf32>
      gpu.return
    }

    // CHECK-LABEL: void mma_f16(
    // CHECK: tc_rt::mma_m16n8k16_f16(
    // PTX-LABEL: .entry mma_f16(
    // PTX: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
    gpu.func @mma_f16(%in: memref<?xf16>, %out: memref<?xf32>) kernel {
      %c0 = arith.constant 0 : index
      %x = memref.load %in[%c0] : memref<?xf16>
      %z = arith.constant 1.0 : f32
      %a = vector.from_elements %x, %x, %x, %x, %x, %x, %x, %x : vector<4x2xf16>
      %b = vector.from_elements %x, %x, %x, %x : vector<2x2xf16>
      %c = vector.from_elements %z, %z, %z, %z : vector<2x2xf32>
      %d = nvgpu.mma.sync (%a, %b, %c) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
      %e = vector.extract %d[0, 1] : f32 from vector<2x2xf32>
      memref.store %e, %out[%c0] : memref<?xf32>
      gpu.return
    }
  }
}
