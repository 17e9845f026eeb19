// Float arithmetic, comparisons and constants: each result rounded once (no
// contraction unless the op allows it), NaN semantics of maximumf/minimumf
// and of the unordered predicates.
// RUN: tensorc-cuda-translate %s | FileCheck %s
// RUN: %if nvrtc && ptxas %{ tensorc-cuda-translate %s --emit=ptx -o %t.ptx 2>&1 | FileCheck %s --check-prefix=NVRTC --allow-empty && %ptxas -arch=sm_90 %t.ptx -o %t.cubin %}
// NVRTC-NOT: warning

// maximumf/minimumf: NaN if either operand is NaN (a + b), else the larger
// (smaller) with +0 > -0: equal operands combine their bits.
// CHECK-LABEL: TC_FN float maximumf(float a, float b) {
// CHECK-NEXT: int bits = a == b ? __float_as_int(a) & __float_as_int(b) : -1;
// CHECK-NEXT: float m = __int_as_float(__float_as_int(fmaxf(a, b)) & bits);
// CHECK-NEXT: return a != a || b != b ? a + b : m;
// CHECK-LABEL: TC_FN float minimumf(float a, float b) {
// CHECK-NEXT: int bits = a == b ? __float_as_int(a) | __float_as_int(b) : 0;
// CHECK-NEXT: float m = __int_as_float(__float_as_int(fminf(a, b)) | bits);
// CHECK-NEXT: return a != a || b != b ? a + b : m;

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // CHECK-LABEL: void binary(float *__restrict__ v0, double *__restrict__ v1, long long v2)
    gpu.func @binary(%x: memref<?xf32>, %d: memref<?xf64>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xf32>
      %b = memref.load %d[%i] : memref<?xf64>
      // CHECK: float v5 = __fadd_rn(v3, v3);
      // CHECK-NEXT: float v6 = __fsub_rn(v5, v3);
      // CHECK-NEXT: float v7 = __fmul_rn(v6, v3);
      // CHECK-NEXT: float v8 = v7 / v3;
      // CHECK-NEXT: float v9 = fmodf(v8, v3);
      // CHECK-NEXT: float v10 = -v9;
      %0 = arith.addf %a, %a : f32
      %1 = arith.subf %0, %a : f32
      %2 = arith.mulf %1, %a : f32
      %3 = arith.divf %2, %a : f32
      %4 = arith.remf %3, %a : f32
      %5 = arith.negf %4 : f32
      // `contract` lets NVRTC fuse the multiply and the add.
      // CHECK-NEXT: float v11 = v10 * v3;
      // CHECK-NEXT: float v12 = v11 + v3;
      %6 = arith.mulf %5, %a fastmath<contract> : f32
      %7 = arith.addf %6, %a fastmath<fast> : f32
      // CHECK-NEXT: float v13 = tc_rt::maximumf(v12, v3);
      // CHECK-NEXT: float v14 = tc_rt::minimumf(v13, v3);
      // CHECK-NEXT: float v15 = fmaxf(v14, v3);
      // CHECK-NEXT: float v16 = fminf(v15, v3);
      %8 = arith.maximumf %7, %a : f32
      %9 = arith.minimumf %8, %a : f32
      %10 = arith.maxnumf %9, %a : f32
      %11 = arith.minnumf %10, %a : f32
      memref.store %11, %x[%i] : memref<?xf32>
      // CHECK: double v17 = __dadd_rn(v4, v4);
      // CHECK-NEXT: double v18 = __dmul_rn(v17, v4);
      // CHECK-NEXT: double v19 = v18 / v4;
      // CHECK-NEXT: double v20 = fmod(v19, v4);
      // CHECK-NEXT: double v21 = tc_rt::maximumf(v20, v4);
      // CHECK-NEXT: double v22 = tc_rt::minimumf(v21, v4);
      // CHECK-NEXT: double v23 = fmax(v22, v4);
      // CHECK-NEXT: double v24 = -v23;
      %12 = arith.addf %b, %b : f64
      %13 = arith.mulf %12, %b : f64
      %14 = arith.divf %13, %b : f64
      %15 = arith.remf %14, %b : f64
      %16 = arith.maximumf %15, %b : f64
      %17 = arith.minimumf %16, %b : f64
      %18 = arith.maxnumf %17, %b : f64
      %19 = arith.negf %18 : f64
      memref.store %19, %d[%i] : memref<?xf64>
      gpu.return
    }

    // CHECK-LABEL: void compare(float *__restrict__ v0, bool *__restrict__ v1)
    gpu.func @compare(%x: memref<?xf32>, %out: memref<?xi1>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %a = memref.load %x[%c0] : memref<?xf32>
      %b = memref.load %x[%c1] : memref<?xf32>
      // CHECK: bool v6 = false;
      // CHECK-NEXT: bool v7 = v4 == v5;
      // CHECK-NEXT: bool v8 = v4 > v5;
      // CHECK-NEXT: bool v9 = v4 >= v5;
      // CHECK-NEXT: bool v10 = v4 < v5;
      // CHECK-NEXT: bool v11 = v4 <= v5;
      // CHECK-NEXT: bool v12 = (v4 < v5 || v4 > v5);
      // CHECK-NEXT: bool v13 = (v4 == v4 && v5 == v5);
      // CHECK-NEXT: bool v14 = !(v4 < v5 || v4 > v5);
      // CHECK-NEXT: bool v15 = !(v4 <= v5);
      // CHECK-NEXT: bool v16 = !(v4 < v5);
      // CHECK-NEXT: bool v17 = !(v4 >= v5);
      // CHECK-NEXT: bool v18 = !(v4 > v5);
      // CHECK-NEXT: bool v19 = v4 != v5;
      // CHECK-NEXT: bool v20 = (v4 != v4 || v5 != v5);
      // CHECK-NEXT: bool v21 = true;
      %p0 = arith.cmpf false, %a, %b : f32
      %p1 = arith.cmpf oeq, %a, %b : f32
      %p2 = arith.cmpf ogt, %a, %b : f32
      %p3 = arith.cmpf oge, %a, %b : f32
      %p4 = arith.cmpf olt, %a, %b : f32
      %p5 = arith.cmpf ole, %a, %b : f32
      %p6 = arith.cmpf one, %a, %b : f32
      %p7 = arith.cmpf ord, %a, %b : f32
      %p8 = arith.cmpf ueq, %a, %b : f32
      %p9 = arith.cmpf ugt, %a, %b : f32
      %p10 = arith.cmpf uge, %a, %b : f32
      %p11 = arith.cmpf ult, %a, %b : f32
      %p12 = arith.cmpf ule, %a, %b : f32
      %p13 = arith.cmpf une, %a, %b : f32
      %p14 = arith.cmpf uno, %a, %b : f32
      %p15 = arith.cmpf true, %a, %b : f32
      %all = arith.constant 0 : index
      memref.store %p0, %out[%all] : memref<?xi1>
      memref.store %p1, %out[%all] : memref<?xi1>
      memref.store %p2, %out[%all] : memref<?xi1>
      memref.store %p3, %out[%all] : memref<?xi1>
      memref.store %p4, %out[%all] : memref<?xi1>
      memref.store %p5, %out[%all] : memref<?xi1>
      memref.store %p6, %out[%all] : memref<?xi1>
      memref.store %p7, %out[%all] : memref<?xi1>
      memref.store %p8, %out[%all] : memref<?xi1>
      memref.store %p9, %out[%all] : memref<?xi1>
      memref.store %p10, %out[%all] : memref<?xi1>
      memref.store %p11, %out[%all] : memref<?xi1>
      memref.store %p12, %out[%all] : memref<?xi1>
      memref.store %p13, %out[%all] : memref<?xi1>
      memref.store %p14, %out[%all] : memref<?xi1>
      memref.store %p15, %out[%all] : memref<?xi1>
      // CHECK: float v23 = v8 ? v4 : v5;
      %s = arith.select %p2, %a, %b : f32
      memref.store %s, %x[%c0] : memref<?xf32>
      gpu.return
    }

    // Literals read back to the same bits; others are spelled as bits.
    // CHECK-LABEL: void constants(float *__restrict__ v0, double *__restrict__ v1)
    gpu.func @constants(%x: memref<?xf32>, %d: memref<?xf64>) kernel {
      %c0 = arith.constant 0 : index
      // CHECK: float v3 = 0.1f;
      // CHECK-NEXT: float v4 = -0.0f;
      // CHECK-NEXT: float v5 = 1.0f;
      // CHECK-NEXT: float v6 = 1e+30f;
      // CHECK-NEXT: float v7 = 1e-45f;
      // CHECK-NEXT: float v8 = __uint_as_float(0x7f800000u);
      // CHECK-NEXT: float v9 = __uint_as_float(0xff800000u);
      // CHECK-NEXT: float v10 = __uint_as_float(0x7fc00000u);
      // CHECK-NEXT: double v11 = 0.1;
      // CHECK-NEXT: double v12 = __longlong_as_double(0x7ff8000000000000LL);
      %f0 = arith.constant 0.1 : f32
      %f1 = arith.constant -0.0 : f32
      %f2 = arith.constant 1.0 : f32
      %f3 = arith.constant 1.0e30 : f32
      %f4 = arith.constant 1.4e-45 : f32
      %f5 = arith.constant 0x7F800000 : f32
      %f6 = arith.constant 0xFF800000 : f32
      %f7 = arith.constant 0x7FC00000 : f32
      %d0 = arith.constant 0.1 : f64
      %d1 = arith.constant 0x7FF8000000000000 : f64
      memref.store %f0, %x[%c0] : memref<?xf32>
      memref.store %f1, %x[%c0] : memref<?xf32>
      memref.store %f2, %x[%c0] : memref<?xf32>
      memref.store %f3, %x[%c0] : memref<?xf32>
      memref.store %f4, %x[%c0] : memref<?xf32>
      memref.store %f5, %x[%c0] : memref<?xf32>
      memref.store %f6, %x[%c0] : memref<?xf32>
      memref.store %f7, %x[%c0] : memref<?xf32>
      memref.store %d0, %d[%c0] : memref<?xf64>
      memref.store %d1, %d[%c0] : memref<?xf64>
      gpu.return
    }
  }
}
