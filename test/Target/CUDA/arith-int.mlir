// Integer arithmetic wraps as in MLIR (unsigned C++ arithmetic: signed
// overflow is undefined in C++), unsigned ops and predicates read their
// operands as unsigned, and i1 true is -1 when read as signed.
// RUN: tensorc-cuda-translate %s | FileCheck %s
// RUN: %if nvrtc && ptxas %{ tensorc-cuda-translate %s --emit=ptx -o %t.ptx 2>&1 | FileCheck %s --check-prefix=NVRTC --allow-empty && %ptxas -arch=sm_90 %t.ptx -o %t.cubin %}
// NVRTC-NOT: warning

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // CHECK-LABEL: void i32_ops(int *__restrict__ v0, long long v1)
    gpu.func @i32_ops(%x: memref<?xi32>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xi32>
      // CHECK: int v3 = (unsigned)v2 + (unsigned)v2;
      // CHECK-NEXT: int v4 = (unsigned)v3 - (unsigned)v2;
      // CHECK-NEXT: int v5 = (unsigned)v4 * (unsigned)v2;
      // CHECK-NEXT: int v6 = v5 / v2;
      // CHECK-NEXT: int v7 = (unsigned)v6 / (unsigned)v2;
      // CHECK-NEXT: int v8 = v7 % v2;
      // CHECK-NEXT: int v9 = (unsigned)v8 % (unsigned)v2;
      // CHECK-NEXT: int v10 = v9 & v2;
      // CHECK-NEXT: int v11 = v10 | v2;
      // CHECK-NEXT: int v12 = v11 ^ v2;
      // CHECK-NEXT: int v13 = (unsigned)v12 << (unsigned)v2;
      // CHECK-NEXT: int v14 = v13 >> (unsigned)v2;
      // CHECK-NEXT: int v15 = (unsigned)v14 >> (unsigned)v2;
      // CHECK-NEXT: int v16 = v15 > v2 ? v15 : v2;
      // CHECK-NEXT: int v17 = v16 < v2 ? v16 : v2;
      // CHECK-NEXT: int v18 = (unsigned)v17 > (unsigned)v2 ? v17 : v2;
      // CHECK-NEXT: int v19 = (unsigned)v18 < (unsigned)v2 ? v18 : v2;
      // CHECK-NEXT: int v20 = tc_rt::ceildivsi(v19, v2);
      // CHECK-NEXT: int v21 = tc_rt::floordivsi(v20, v2);
      // CHECK-NEXT: int v22 = tc_rt::ceildivui((unsigned)v21, (unsigned)v2);
      // `nsw`: overflow is poison, so plain signed arithmetic.
      // CHECK-NEXT: int v23 = v22 + v2;
      %0 = arith.addi %a, %a : i32
      %1 = arith.subi %0, %a : i32
      %2 = arith.muli %1, %a : i32
      %3 = arith.divsi %2, %a : i32
      %4 = arith.divui %3, %a : i32
      %5 = arith.remsi %4, %a : i32
      %6 = arith.remui %5, %a : i32
      %7 = arith.andi %6, %a : i32
      %8 = arith.ori %7, %a : i32
      %9 = arith.xori %8, %a : i32
      %10 = arith.shli %9, %a : i32
      %11 = arith.shrsi %10, %a : i32
      %12 = arith.shrui %11, %a : i32
      %13 = arith.maxsi %12, %a : i32
      %14 = arith.minsi %13, %a : i32
      %15 = arith.maxui %14, %a : i32
      %16 = arith.minui %15, %a : i32
      %17 = arith.ceildivsi %16, %a : i32
      %18 = arith.floordivsi %17, %a : i32
      %19 = arith.ceildivui %18, %a : i32
      %20 = arith.addi %19, %a overflow<nsw> : i32
      memref.store %20, %x[%i] : memref<?xi32>
      gpu.return
    }

    // CHECK-LABEL: void widths(long long *__restrict__ v0, short *__restrict__ v1, signed char *__restrict__ v2, long long v3)
    gpu.func @widths(%x: memref<?xi64>, %h: memref<?xi16>, %b: memref<?xi8>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xi64>
      %s = memref.load %h[%i] : memref<?xi16>
      %c = memref.load %b[%i] : memref<?xi8>
      // CHECK: long long v7 = (unsigned long long)v4 * (unsigned long long)v4;
      // CHECK-NEXT: long long v8 = (unsigned long long)v7 / (unsigned long long)v4;
      // Narrow types wrap in 32-bit unsigned arithmetic, never in int.
      // CHECK-NEXT: short v9 = (unsigned)v5 * (unsigned)v5;
      // CHECK-NEXT: short v10 = (unsigned short)v9 >> (unsigned short)v5;
      // CHECK-NEXT: signed char v11 = (unsigned)v6 + (unsigned)v6;
      // CHECK-NEXT: signed char v12 = (unsigned char)v11 % (unsigned char)v6;
      %0 = arith.muli %a, %a : i64
      %1 = arith.divui %0, %a : i64
      %2 = arith.muli %s, %s : i16
      %3 = arith.shrui %2, %s : i16
      %4 = arith.addi %c, %c : i8
      %5 = arith.remui %4, %c : i8
      memref.store %1, %x[%i] : memref<?xi64>
      memref.store %3, %h[%i] : memref<?xi16>
      memref.store %5, %b[%i] : memref<?xi8>
      gpu.return
    }

    // CHECK-LABEL: void bools(bool *__restrict__ v0, long long v1)
    gpu.func @bools(%x: memref<?xi1>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xi1>
      %t = arith.constant true
      // i1 arithmetic is modulo 2; as a signed value true is -1.
      // CHECK: bool v3 = true;
      // CHECK-NEXT: bool v4 = v2 != v3;
      // CHECK-NEXT: bool v5 = v4 != v3;
      // CHECK-NEXT: bool v6 = v5 && v2;
      // CHECK-NEXT: bool v7 = v6 & v2;
      // CHECK-NEXT: bool v8 = (-(int)v7) < (-(int)v2);
      // CHECK-NEXT: bool v9 = (unsigned)v8 < (unsigned)v2;
      // CHECK-NEXT: bool v10 = (-(int)v9) > (-(int)v2) ? v9 : v2;
      // CHECK-NEXT: bool v11 = (((unsigned)v10 << (unsigned)v2) & 1) != 0;
      %0 = arith.addi %a, %t : i1
      %1 = arith.subi %0, %t : i1
      %2 = arith.muli %1, %a : i1
      %3 = arith.andi %2, %a : i1
      %4 = arith.cmpi slt, %3, %a : i1
      %5 = arith.cmpi ult, %4, %a : i1
      %6 = arith.maxsi %5, %a : i1
      %7 = arith.shli %6, %a : i1
      memref.store %7, %x[%i] : memref<?xi1>
      gpu.return
    }

    // CHECK-LABEL: void compare(bool *__restrict__ v0, long long v1, long long v2)
    gpu.func @compare(%out: memref<?xi1>, %a: index, %b: index) kernel {
      // CHECK: bool v3 = v1 == v2;
      // CHECK-NEXT: bool v4 = v1 != v2;
      // CHECK-NEXT: bool v5 = v1 < v2;
      // CHECK-NEXT: bool v6 = v1 <= v2;
      // CHECK-NEXT: bool v7 = v1 > v2;
      // CHECK-NEXT: bool v8 = v1 >= v2;
      // CHECK-NEXT: bool v9 = (unsigned long long)v1 < (unsigned long long)v2;
      // CHECK-NEXT: bool v10 = (unsigned long long)v1 <= (unsigned long long)v2;
      // CHECK-NEXT: bool v11 = (unsigned long long)v1 > (unsigned long long)v2;
      // CHECK-NEXT: bool v12 = (unsigned long long)v1 >= (unsigned long long)v2;
      %p0 = arith.cmpi eq, %a, %b : index
      %p1 = arith.cmpi ne, %a, %b : index
      %p2 = arith.cmpi slt, %a, %b : index
      %p3 = arith.cmpi sle, %a, %b : index
      %p4 = arith.cmpi sgt, %a, %b : index
      %p5 = arith.cmpi sge, %a, %b : index
      %p6 = arith.cmpi ult, %a, %b : index
      %p7 = arith.cmpi ule, %a, %b : index
      %p8 = arith.cmpi ugt, %a, %b : index
      %p9 = arith.cmpi uge, %a, %b : index
      memref.store %p0, %out[%a] : memref<?xi1>
      memref.store %p1, %out[%a] : memref<?xi1>
      memref.store %p2, %out[%a] : memref<?xi1>
      memref.store %p3, %out[%a] : memref<?xi1>
      memref.store %p4, %out[%a] : memref<?xi1>
      memref.store %p5, %out[%a] : memref<?xi1>
      memref.store %p6, %out[%a] : memref<?xi1>
      memref.store %p7, %out[%a] : memref<?xi1>
      memref.store %p8, %out[%a] : memref<?xi1>
      memref.store %p9, %out[%a] : memref<?xi1>
      gpu.return
    }

    // The most negative values have no decimal literal.
    // CHECK-LABEL: void constants(int *__restrict__ v0, long long *__restrict__ v1)
    gpu.func @constants(%x: memref<?xi32>, %y: memref<?xi64>) kernel {
      %c0 = arith.constant 0 : index
      // CHECK: int v3 = (-2147483647 - 1);
      // CHECK-NEXT: int v4 = -7;
      // CHECK-NEXT: long long v5 = (-9223372036854775807LL - 1);
      // CHECK-NEXT: long long v6 = 4294967296LL;
      %a = arith.constant -2147483648 : i32
      %b = arith.constant -7 : i32
      %c = arith.constant -9223372036854775808 : i64
      %d = arith.constant 4294967296 : i64
      memref.store %a, %x[%c0] : memref<?xi32>
      memref.store %b, %x[%c0] : memref<?xi32>
      memref.store %c, %y[%c0] : memref<?xi64>
      memref.store %d, %y[%c0] : memref<?xi64>
      gpu.return
    }
  }
}
