// Structured control flow: iter_args are variables that double as the
// loop's results, scf.if results are assigned in both branches, scf.while is
// `while (true)` with the condition's break.
// RUN: tensorc-cuda-translate %s | FileCheck %s
// RUN: %if nvrtc && ptxas %{ tensorc-cuda-translate %s --emit=ptx -o %t.ptx 2>&1 | FileCheck %s --check-prefix=NVRTC --allow-empty && %ptxas -arch=sm_90 %t.ptx -o %t.cubin %}
// NVRTC-NOT: warning

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // A Fibonacci loop yields its iter_args swapped: every source is read
    // before the first is overwritten.
    // CHECK-LABEL: void swap(float *__restrict__ v0, long long v1)
    gpu.func @swap(%x: memref<?xf32>, %n: index) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %zero = arith.constant 0.0 : f32
      %one = arith.constant 1.0 : f32
      // CHECK: float v6 = v4;
      // CHECK-NEXT: float v7 = v5;
      // CHECK-NEXT: for (long long v8 = v2; v8 < v1; v8 += v3) {
      // CHECK-NEXT:   float v9 = __fadd_rn(v6, v7);
      // CHECK-NEXT:   {
      // CHECK-NEXT:     float t10 = v7;
      // CHECK-NEXT:     float t11 = v9;
      // CHECK-NEXT:     v6 = t10;
      // CHECK-NEXT:     v7 = t11;
      // CHECK-NEXT:   }
      // CHECK-NEXT: }
      // CHECK-NEXT: v0[v2] = v6;
      %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%a = %zero, %b = %one) -> (f32, f32) {
        %s = arith.addf %a, %b : f32
        scf.yield %b, %s : f32, f32
      }
      memref.store %r#0, %x[%c0] : memref<?xf32>
      gpu.return
    }

    // CHECK-LABEL: void loops(int *__restrict__ v0, int v1, long long v2)
    gpu.func @loops(%x: memref<?xi32>, %n: i32, %m: index) kernel {
      %c0 = arith.constant 0 : i32
      %c2 = arith.constant 2 : i32
      %i0 = arith.constant 0 : index
      %i1 = arith.constant 1 : index
      // An i32 induction variable, compared unsigned.
      // CHECK: int v7 = v3;
      // CHECK-NEXT: for (int v8 = v3; (unsigned)v8 < (unsigned)v1; v8 += v4) {
      // CHECK-NEXT:   int v9 = (unsigned)v7 + (unsigned)v8;
      // CHECK-NEXT:   v7 = v9;
      // CHECK-NEXT: }
      %sum = scf.for unsigned %i = %c0 to %n step %c2 iter_args(%acc = %c0) -> (i32) : i32 {
        %s = arith.addi %acc, %i : i32
        scf.yield %s : i32
      }
      // No iter_args; the body stores.
      // CHECK-NEXT: for (long long v10 = v5; v10 < v2; v10 += v6) {
      // CHECK-NEXT:   v0[v10] = v7;
      // CHECK-NEXT: }
      scf.for %j = %i0 to %m step %i1 {
        memref.store %sum, %x[%j] : memref<?xi32>
      }
      gpu.return
    }

    // CHECK-LABEL: void nested_if(const float *__restrict__ v0, float *__restrict__ v1, long long v2)
    gpu.func @nested_if(%x: memref<?xf32>, %y: memref<?xf32>, %i: index) kernel {
      %v = memref.load %x[%i] : memref<?xf32>
      %zero = arith.constant 0.0 : f32
      %ten = arith.constant 10.0 : f32
      // CHECK: bool v6 = v3 < v4;
      // CHECK-NEXT: float v7;
      // CHECK-NEXT: long long v8;
      // CHECK-NEXT: if (v6) {
      // CHECK-NEXT:   float v9 = -v3;
      // CHECK-NEXT:   v7 = v9;
      // CHECK-NEXT:   v8 = v2;
      // CHECK-NEXT: } else {
      // CHECK-NEXT:   bool v10 = v3 > v5;
      // CHECK-NEXT:   float v11;
      // CHECK-NEXT:   if (v10) {
      // CHECK-NEXT:     v11 = v5;
      // CHECK-NEXT:   } else {
      // CHECK-NEXT:     v11 = v3;
      // CHECK-NEXT:   }
      // CHECK-NEXT:   v7 = v11;
      // CHECK-NEXT:   v8 = v2;
      // CHECK-NEXT: }
      // CHECK-NEXT: v1[v8] = v7;
      %neg = arith.cmpf olt, %v, %zero : f32
      %r:2 = scf.if %neg -> (f32, index) {
        %n = arith.negf %v : f32
        scf.yield %n, %i : f32, index
      } else {
        %big = arith.cmpf ogt, %v, %ten : f32
        %c = scf.if %big -> (f32) {
          scf.yield %ten : f32
        } else {
          scf.yield %v : f32
        }
        scf.yield %c, %i : f32, index
      }
      memref.store %r#0, %y[%r#1] : memref<?xf32>
      gpu.return
    }

    // Collatz steps: the `before` region computes the condition, the
    // condition's operands become the `after` arguments and the results.
    // CHECK-LABEL: void collatz(long long *__restrict__ v0, long long v1)
    gpu.func @collatz(%out: memref<?xi64>, %start: index) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c3 = arith.constant 3 : index
      %z64 = arith.constant 0 : i64
      // CHECK: long long v7 = v1;
      // CHECK-NEXT: long long v8 = v6;
      // CHECK-NEXT: long long v9;
      // CHECK-NEXT: long long v10;
      // CHECK-NEXT: while (true) {
      // CHECK-NEXT:   bool v11 = (unsigned long long)v7 > (unsigned long long)v3;
      // CHECK-NEXT:   v9 = v7;
      // CHECK-NEXT:   v10 = v8;
      // CHECK-NEXT:   if (!v11)
      // CHECK-NEXT:     break;
      // CHECK-NEXT:   long long v12 = (unsigned long long)v9 % (unsigned long long)v4;
      // CHECK-NEXT:   bool v13 = v12 == v2;
      // CHECK-NEXT:   long long v14;
      // CHECK-NEXT:   if (v13) {
      // CHECK:        long long v19 = (unsigned long long)v10 + (unsigned long long)v18;
      // CHECK-NEXT:   v7 = v14;
      // CHECK-NEXT:   v8 = v19;
      // CHECK-NEXT: }
      // CHECK-NEXT: v0[v2] = v10;
      %r:2 = scf.while (%n = %start, %steps = %z64) : (index, i64) -> (index, i64) {
        %more = arith.cmpi ugt, %n, %c1 : index
        scf.condition(%more) %n, %steps : index, i64
      } do {
      ^bb0(%n: index, %steps: i64):
        %rem = arith.remui %n, %c2 : index
        %even = arith.cmpi eq, %rem, %c0 : index
        %next = scf.if %even -> (index) {
          %h = arith.divui %n, %c2 : index
          scf.yield %h : index
        } else {
          %t = arith.muli %n, %c3 : index
          %t1 = arith.addi %t, %c1 : index
          scf.yield %t1 : index
        }
        %one = arith.constant 1 : i64
        %s1 = arith.addi %steps, %one : i64
        scf.yield %next, %s1 : index, i64
      }
      memref.store %r#1, %out[%c0] : memref<?xi64>
      gpu.return
    }
  }
}
