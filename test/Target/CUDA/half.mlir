// f16 and bf16 are stored as raw bits and computed in f32, rounding each
// result back once (exact for + - * / sqrt); fma rounds once in PTX; negf
// flips the sign bit; constants are their bits.
// RUN: tensorc-cuda-translate %s | FileCheck %s
// RUN: %if nvrtc && ptxas %{ tensorc-cuda-translate %s --emit=ptx -o %t.ptx 2>&1 | FileCheck %s --check-prefix=NVRTC --allow-empty && %ptxas -arch=sm_90 %t.ptx -o %t.cubin %}
// NVRTC-NOT: warning

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // CHECK-LABEL: void f16_math(tc_half *__restrict__ v0, long long v1)
    gpu.func @f16_math(%x: memref<?xf16>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xf16>
      // CHECK: tc_half v3 = (tc_half)0x3c00;
      // CHECK-NEXT: tc_half v4 = tc_rt::f2h(__fadd_rn(tc_rt::h2f(v2), tc_rt::h2f(v3)));
      // CHECK-NEXT: tc_half v5 = tc_rt::f2h(__fmul_rn(tc_rt::h2f(v4), tc_rt::h2f(v2)));
      // CHECK-NEXT: tc_half v6 = tc_rt::f2h(tc_rt::h2f(v5) / tc_rt::h2f(v2));
      // CHECK-NEXT: tc_half v7 = tc_rt::f2h(tc_rt::maximumf(tc_rt::h2f(v6), tc_rt::h2f(v2)));
      // CHECK-NEXT: tc_half v8 = v7 ^ 0x8000;
      // CHECK-NEXT: tc_half v9 = tc_rt::f2h(expf(tc_rt::h2f(v8)));
      // CHECK-NEXT: tc_half v10 = tc_rt::f2h(__fsqrt_rn(tc_rt::h2f(v9)));
      // CHECK-NEXT: tc_half v11 = tc_rt::fmah(v10, v2, v2);
      // CHECK-NEXT: bool v12 = !(tc_rt::h2f(v11) >= tc_rt::h2f(v2));
      // CHECK-NEXT: tc_half v13 = v12 ? v11 : v2;
      %one = arith.constant 1.0 : f16
      %0 = arith.addf %a, %one : f16
      %1 = arith.mulf %0, %a : f16
      %2 = arith.divf %1, %a : f16
      %3 = arith.maximumf %2, %a : f16
      %4 = arith.negf %3 : f16
      %5 = math.exp %4 : f16
      %6 = math.sqrt %5 : f16
      %7 = math.fma %6, %a, %a : f16
      %8 = arith.cmpf ult, %7, %a : f16
      %9 = arith.select %8, %7, %a : f16
      memref.store %9, %x[%i] : memref<?xf16>
      gpu.return
    }

    // CHECK-LABEL: void bf16_math(tc_bfloat16 *__restrict__ v0, long long v1)
    gpu.func @bf16_math(%x: memref<?xbf16>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xbf16>
      // CHECK: tc_bfloat16 v3 = (tc_bfloat16)0xff80;
      // CHECK-NEXT: tc_bfloat16 v4 = tc_rt::f2b(__fsub_rn(tc_rt::b2f(v2), tc_rt::b2f(v3)));
      // CHECK-NEXT: tc_bfloat16 v5 = tc_rt::f2b(tc_rt::minimumf(tc_rt::b2f(v4), tc_rt::b2f(v2)));
      // CHECK-NEXT: tc_bfloat16 v6 = tc_rt::f2b(tanhf(tc_rt::b2f(v5)));
      // CHECK-NEXT: tc_bfloat16 v7 = tc_rt::fmab(v6, v2, v2);
      // CHECK-NEXT: tc_bfloat16 v8 = v7 ^ 0x8000;
      %ninf = arith.constant 0xFF80 : bf16
      %0 = arith.subf %a, %ninf : bf16
      %1 = arith.minimumf %0, %a : bf16
      %2 = math.tanh %1 : bf16
      %3 = math.fma %2, %a, %a : bf16
      %4 = arith.negf %3 : bf16
      memref.store %4, %x[%i] : memref<?xbf16>
      gpu.return
    }
  }
}
