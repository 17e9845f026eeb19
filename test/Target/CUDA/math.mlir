// math ops as CUDA math library calls (f32 and f64 names), `afn` as the fast
// intrinsics, the integer bit counts, and the float classification.
// RUN: tensorc-cuda-translate %s | FileCheck %s
// RUN: %if nvrtc && ptxas %{ tensorc-cuda-translate %s --emit=ptx -o %t.ptx 2>&1 | FileCheck %s --check-prefix=NVRTC --allow-empty && %ptxas -arch=sm_90 %t.ptx -o %t.cubin %}
// NVRTC-NOT: warning

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // CHECK-LABEL: void unary_f32(float *__restrict__ v0, long long v1)
    gpu.func @unary_f32(%x: memref<?xf32>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xf32>
      // CHECK: float v3 = fabsf(v2);
      // CHECK-NEXT: float v4 = ceilf(v3);
      // CHECK-NEXT: float v5 = floorf(v4);
      // CHECK-NEXT: float v6 = truncf(v5);
      // CHECK-NEXT: float v7 = roundf(v6);
      // CHECK-NEXT: float v8 = rintf(v7);
      // CHECK-NEXT: float v9 = __fsqrt_rn(v8);
      // CHECK-NEXT: float v10 = rsqrtf(v9);
      // CHECK-NEXT: float v11 = cbrtf(v10);
      // CHECK-NEXT: float v12 = expf(v11);
      // CHECK-NEXT: float v13 = exp2f(v12);
      // CHECK-NEXT: float v14 = expm1f(v13);
      // CHECK-NEXT: float v15 = logf(v14);
      // CHECK-NEXT: float v16 = log2f(v15);
      // CHECK-NEXT: float v17 = log10f(v16);
      // CHECK-NEXT: float v18 = log1pf(v17);
      // CHECK-NEXT: float v19 = sinf(v18);
      // CHECK-NEXT: float v20 = cosf(v19);
      // CHECK-NEXT: float v21 = tanf(v20);
      // CHECK-NEXT: float v22 = asinf(v21);
      // CHECK-NEXT: float v23 = acosf(v22);
      // CHECK-NEXT: float v24 = atanf(v23);
      // CHECK-NEXT: float v25 = sinhf(v24);
      // CHECK-NEXT: float v26 = coshf(v25);
      // CHECK-NEXT: float v27 = tanhf(v26);
      // CHECK-NEXT: float v28 = asinhf(v27);
      // CHECK-NEXT: float v29 = acoshf(v28);
      // CHECK-NEXT: float v30 = atanhf(v29);
      // CHECK-NEXT: float v31 = erff(v30);
      // CHECK-NEXT: float v32 = erfcf(v31);
      %0 = math.absf %a : f32
      %1 = math.ceil %0 : f32
      %2 = math.floor %1 : f32
      %3 = math.trunc %2 : f32
      %4 = math.round %3 : f32
      %5 = math.roundeven %4 : f32
      %6 = math.sqrt %5 : f32
      %7 = math.rsqrt %6 : f32
      %8 = math.cbrt %7 : f32
      %9 = math.exp %8 : f32
      %10 = math.exp2 %9 : f32
      %11 = math.expm1 %10 : f32
      %12 = math.log %11 : f32
      %13 = math.log2 %12 : f32
      %14 = math.log10 %13 : f32
      %15 = math.log1p %14 : f32
      %16 = math.sin %15 : f32
      %17 = math.cos %16 : f32
      %18 = math.tan %17 : f32
      %19 = math.asin %18 : f32
      %20 = math.acos %19 : f32
      %21 = math.atan %20 : f32
      %22 = math.sinh %21 : f32
      %23 = math.cosh %22 : f32
      %24 = math.tanh %23 : f32
      %25 = math.asinh %24 : f32
      %26 = math.acosh %25 : f32
      %27 = math.atanh %26 : f32
      %28 = math.erf %27 : f32
      %29 = math.erfc %28 : f32
      // CHECK-NEXT: float v33 = atan2f(v32, v2);
      // CHECK-NEXT: float v34 = powf(v33, v2);
      // CHECK-NEXT: float v35 = copysignf(v34, v2);
      // CHECK-NEXT: float v36 = fmaf(v35, v2, v2);
      %30 = math.atan2 %29, %a : f32
      %31 = math.powf %30, %a : f32
      %32 = math.copysign %31, %a : f32
      %33 = math.fma %32, %a, %a : f32
      // CHECK-NEXT: float v37 = __expf(v36);
      // CHECK-NEXT: float v38 = __logf(v37);
      // CHECK-NEXT: float v39 = __powf(v38, v2);
      // CHECK-NEXT: float v40 = tanhf(v39);
      %34 = math.exp %33 fastmath<afn> : f32
      %35 = math.log %34 fastmath<fast> : f32
      %36 = math.powf %35, %a fastmath<afn> : f32
      %37 = math.tanh %36 fastmath<afn> : f32
      memref.store %37, %x[%i] : memref<?xf32>
      gpu.return
    }

    // CHECK-LABEL: void unary_f64(double *__restrict__ v0, long long v1)
    gpu.func @unary_f64(%x: memref<?xf64>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xf64>
      // CHECK: double v3 = __dsqrt_rn(v2);
      // CHECK-NEXT: double v4 = exp(v3);
      // CHECK-NEXT: double v5 = log(v4);
      // CHECK-NEXT: double v6 = erf(v5);
      // CHECK-NEXT: double v7 = tanh(v6);
      // CHECK-NEXT: double v8 = pow(v7, v2);
      // CHECK-NEXT: double v9 = fma(v8, v2, v2);
      // CHECK-NEXT: double v10 = exp(v9);
      %0 = math.sqrt %a : f64
      %1 = math.exp %0 : f64
      %2 = math.log %1 : f64
      %3 = math.erf %2 : f64
      %4 = math.tanh %3 : f64
      %5 = math.powf %4, %a : f64
      %6 = math.fma %5, %a, %a : f64
      %7 = math.exp %6 fastmath<afn> : f64
      memref.store %7, %x[%i] : memref<?xf64>
      gpu.return
    }

    // CHECK-LABEL: void classify(const float *__restrict__ v0, const tc_half *__restrict__ v1, bool *__restrict__ v2, long long v3)
    gpu.func @classify(%x: memref<?xf32>, %h: memref<?xf16>, %out: memref<?xi1>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xf32>
      %b = memref.load %h[%i] : memref<?xf16>
      // CHECK: bool v6 = v4 != v4;
      // CHECK-NEXT: bool v7 = fabsf(v4) == __uint_as_float(0x7f800000u);
      // CHECK-NEXT: bool v8 = fabsf(v4) < __uint_as_float(0x7f800000u);
      // CHECK-NEXT: bool v9 = tc_rt::h2f(v5) != tc_rt::h2f(v5);
      %0 = math.isnan %a : f32
      %1 = math.isinf %a : f32
      %2 = math.isfinite %a : f32
      %3 = math.isnan %b : f16
      memref.store %0, %out[%i] : memref<?xi1>
      memref.store %1, %out[%i] : memref<?xi1>
      memref.store %2, %out[%i] : memref<?xi1>
      memref.store %3, %out[%i] : memref<?xi1>
      gpu.return
    }

    // CHECK-LABEL: void integers(int *__restrict__ v0, long long *__restrict__ v1, short *__restrict__ v2, long long v3)
    gpu.func @integers(%x: memref<?xi32>, %y: memref<?xi64>, %s: memref<?xi16>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xi32>
      %b = memref.load %y[%i] : memref<?xi64>
      %c = memref.load %s[%i] : memref<?xi16>
      // CHECK: int v7 = v4 < 0 ? -(unsigned)v4 : (unsigned)v4;
      // CHECK-NEXT: int v8 = __clz((unsigned)v7);
      // CHECK-NEXT: int v9 = __clz(__brev((unsigned)v8));
      // CHECK-NEXT: int v10 = __popc((unsigned)v9);
      // CHECK-NEXT: long long v11 = __clzll((unsigned long long)v5);
      // CHECK-NEXT: long long v12 = __clzll(__brevll((unsigned long long)v11));
      // CHECK-NEXT: long long v13 = __popcll((unsigned long long)v12);
      // Narrow: the leading zeros of the padding do not count, the padding
      // bits stop the trailing count at the width.
      // CHECK-NEXT: short v14 = __clz((unsigned short)v6) - 16;
      // CHECK-NEXT: short v15 = __clz(__brev(((unsigned short)v14 | 0xffff0000u)));
      %0 = math.absi %a : i32
      %1 = math.ctlz %0 : i32
      %2 = math.cttz %1 : i32
      %3 = math.ctpop %2 : i32
      %4 = math.ctlz %b : i64
      %5 = math.cttz %4 : i64
      %6 = math.ctpop %5 : i64
      %7 = math.ctlz %c : i16
      %8 = math.cttz %7 : i16
      memref.store %3, %x[%i] : memref<?xi32>
      memref.store %6, %y[%i] : memref<?xi64>
      memref.store %8, %s[%i] : memref<?xi16>
      gpu.return
    }
  }
}
