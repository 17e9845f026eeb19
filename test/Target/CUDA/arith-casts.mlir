// Casts round once: f16 through PTX cvt, bf16 through exact software
// rounding (tc_rt helpers), integers to f16/bf16 through one 64-bit
// conversion; integer casts extend with the sign or with zeros.
// RUN: tensorc-cuda-translate %s | FileCheck %s
// RUN: %if nvrtc && ptxas %{ tensorc-cuda-translate %s --emit=ptx -o %t.ptx 2>&1 | FileCheck %s --check-prefix=NVRTC --allow-empty && %ptxas -arch=sm_90 %t.ptx -o %t.cubin %}
// NVRTC-NOT: warning

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // CHECK-LABEL: void floats(tc_half *__restrict__ v0, tc_bfloat16 *__restrict__ v1, float *__restrict__ v2, double *__restrict__ v3, long long v4)
    gpu.func @floats(%h: memref<?xf16>, %b: memref<?xbf16>, %f: memref<?xf32>,
                     %d: memref<?xf64>, %i: index) kernel {
      %hv = memref.load %h[%i] : memref<?xf16>
      %bv = memref.load %b[%i] : memref<?xbf16>
      %fv = memref.load %f[%i] : memref<?xf32>
      %dv = memref.load %d[%i] : memref<?xf64>
      // CHECK: float v9 = tc_rt::h2f(v5);
      // CHECK-NEXT: double v10 = (double)tc_rt::h2f(v5);
      // CHECK-NEXT: float v11 = tc_rt::b2f(v6);
      // CHECK-NEXT: double v12 = (double)v7;
      // CHECK-NEXT: tc_half v13 = tc_rt::f2h(v7);
      // CHECK-NEXT: tc_bfloat16 v14 = tc_rt::f2b(v7);
      // CHECK-NEXT: tc_half v15 = tc_rt::d2h(v8);
      // CHECK-NEXT: tc_bfloat16 v16 = tc_rt::d2b(v8);
      // CHECK-NEXT: float v17 = __double2float_rn(v8);
      %0 = arith.extf %hv : f16 to f32
      %1 = arith.extf %hv : f16 to f64
      %2 = arith.extf %bv : bf16 to f32
      %3 = arith.extf %fv : f32 to f64
      %4 = arith.truncf %fv : f32 to f16
      %5 = arith.truncf %fv : f32 to bf16
      %6 = arith.truncf %dv : f64 to f16
      %7 = arith.truncf %dv : f64 to bf16
      %8 = arith.truncf %dv : f64 to f32
      %s0 = arith.addf %0, %2 : f32
      %s1 = arith.addf %s0, %8 : f32
      %s2 = arith.addf %1, %3 : f64
      memref.store %4, %h[%i] : memref<?xf16>
      memref.store %6, %h[%i] : memref<?xf16>
      memref.store %5, %b[%i] : memref<?xbf16>
      memref.store %7, %b[%i] : memref<?xbf16>
      memref.store %s1, %f[%i] : memref<?xf32>
      memref.store %s2, %d[%i] : memref<?xf64>
      gpu.return
    }

    // CHECK-LABEL: void ints_floats(int *__restrict__ v0, tc_half *__restrict__ v1, tc_bfloat16 *__restrict__ v2, float *__restrict__ v3, double *__restrict__ v4, long long v5)
    gpu.func @ints_floats(%x: memref<?xi32>, %h: memref<?xf16>, %b: memref<?xbf16>,
                          %f: memref<?xf32>, %d: memref<?xf64>, %i: index) kernel {
      %xv = memref.load %x[%i] : memref<?xi32>
      %hv = memref.load %h[%i] : memref<?xf16>
      %fv = memref.load %f[%i] : memref<?xf32>
      // CHECK: float v9 = (float)v6;
      // CHECK-NEXT: float v10 = (float)(unsigned)v6;
      // CHECK-NEXT: long long v11 = v5;
      // CHECK-NEXT: double v12 = (double)v11;
      // CHECK-NEXT: tc_half v13 = tc_rt::ll2h((long long)v6);
      // CHECK-NEXT: tc_half v14 = tc_rt::ull2h((unsigned long long)(unsigned)v6);
      // CHECK-NEXT: tc_bfloat16 v15 = tc_rt::ll2b(v11);
      // CHECK-NEXT: tc_bfloat16 v16 = tc_rt::ull2b((unsigned long long)v11);
      // CHECK-NEXT: int v17 = (int)v8;
      // CHECK-NEXT: int v18 = (unsigned)v8;
      // CHECK-NEXT: long long v19 = (long long)tc_rt::h2f(v7);
      // CHECK-NEXT: long long v20 = (unsigned long long)tc_rt::h2f(v7);
      %0 = arith.sitofp %xv : i32 to f32
      %1 = arith.uitofp %xv : i32 to f32
      %ii = arith.index_cast %i : index to i64
      %2 = arith.sitofp %ii : i64 to f64
      %3 = arith.sitofp %xv : i32 to f16
      %4 = arith.uitofp %xv : i32 to f16
      %5 = arith.sitofp %ii : i64 to bf16
      %6 = arith.uitofp %ii : i64 to bf16
      %7 = arith.fptosi %fv : f32 to i32
      %8 = arith.fptoui %fv : f32 to i32
      %9 = arith.fptosi %hv : f16 to i64
      %10 = arith.fptoui %hv : f16 to i64
      %s0 = arith.addf %0, %1 : f32
      memref.store %s0, %f[%i] : memref<?xf32>
      memref.store %2, %d[%i] : memref<?xf64>
      memref.store %3, %h[%i] : memref<?xf16>
      memref.store %4, %h[%i] : memref<?xf16>
      memref.store %5, %b[%i] : memref<?xbf16>
      memref.store %6, %b[%i] : memref<?xbf16>
      %s1 = arith.addi %7, %8 : i32
      %s2 = arith.addi %9, %10 : i64
      %s3 = arith.trunci %s2 : i64 to i32
      %s4 = arith.addi %s1, %s3 : i32
      memref.store %s4, %x[%i] : memref<?xi32>
      gpu.return
    }

    // CHECK-LABEL: void ints(int *__restrict__ v0, bool *__restrict__ v1, short *__restrict__ v2, long long v3)
    gpu.func @ints(%x: memref<?xi32>, %p: memref<?xi1>, %s: memref<?xi16>, %i: index) kernel {
      %xv = memref.load %x[%i] : memref<?xi32>
      %pv = memref.load %p[%i] : memref<?xi1>
      %sv = memref.load %s[%i] : memref<?xi16>
      // CHECK: long long v7 = (long long)v4;
      // CHECK-NEXT: long long v8 = (long long)(unsigned)v4;
      // CHECK-NEXT: int v9 = (int)(-(int)v5);
      // CHECK-NEXT: int v10 = (int)(unsigned)v5;
      // CHECK-NEXT: int v11 = (int)(unsigned short)v6;
      // CHECK-NEXT: short v12 = (short)v4;
      // CHECK-NEXT: bool v13 = (v4 & 1) != 0;
      // CHECK-NEXT: int v14 = (int)v3;
      // CHECK-NEXT: long long v15 = (long long)v4;
      // CHECK-NEXT: long long v16 = (long long)(unsigned)v4;
      %0 = arith.extsi %xv : i32 to i64
      %1 = arith.extui %xv : i32 to i64
      %2 = arith.extsi %pv : i1 to i32
      %3 = arith.extui %pv : i1 to i32
      %4 = arith.extui %sv : i16 to i32
      %5 = arith.trunci %xv : i32 to i16
      %6 = arith.trunci %xv : i32 to i1
      %7 = arith.index_cast %i : index to i32
      %8 = arith.index_cast %xv : i32 to index
      %9 = arith.index_castui %xv : i32 to index
      %s0 = arith.addi %0, %1 : i64
      %s1 = arith.addi %8, %9 : index
      %s2 = arith.index_cast %s1 : index to i64
      %s3 = arith.addi %s0, %s2 : i64
      %s4 = arith.trunci %s3 : i64 to i32
      %s5 = arith.addi %2, %3 : i32
      %s6 = arith.addi %s5, %4 : i32
      %s7 = arith.addi %s6, %7 : i32
      %s8 = arith.addi %s7, %s4 : i32
      memref.store %s8, %x[%i] : memref<?xi32>
      memref.store %5, %s[%i] : memref<?xi16>
      memref.store %6, %p[%i] : memref<?xi1>
      gpu.return
    }

    // CHECK-LABEL: void bitcasts(float *__restrict__ v0, double *__restrict__ v1, const tc_half *__restrict__ v2, tc_bfloat16 *__restrict__ v3, long long v4)
    gpu.func @bitcasts(%f: memref<?xf32>, %d: memref<?xf64>, %h: memref<?xf16>,
                       %b: memref<?xbf16>, %i: index) kernel {
      %fv = memref.load %f[%i] : memref<?xf32>
      %dv = memref.load %d[%i] : memref<?xf64>
      %hv = memref.load %h[%i] : memref<?xf16>
      // CHECK: int v8 = __float_as_int(v5);
      // CHECK-NEXT: float v9 = __int_as_float(v8);
      // CHECK-NEXT: long long v10 = __double_as_longlong(v6);
      // CHECK-NEXT: double v11 = __longlong_as_double(v10);
      // CHECK-NEXT: short v12 = (short)v7;
      // CHECK-NEXT: tc_bfloat16 v13 = (tc_bfloat16)v12;
      %0 = arith.bitcast %fv : f32 to i32
      %1 = arith.bitcast %0 : i32 to f32
      %2 = arith.bitcast %dv : f64 to i64
      %3 = arith.bitcast %2 : i64 to f64
      %4 = arith.bitcast %hv : f16 to i16
      %5 = arith.bitcast %4 : i16 to bf16
      memref.store %1, %f[%i] : memref<?xf32>
      memref.store %3, %d[%i] : memref<?xf64>
      memref.store %5, %b[%i] : memref<?xbf16>
      gpu.return
    }
  }
}
