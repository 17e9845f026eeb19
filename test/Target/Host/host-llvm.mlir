// The CPU reference kernels in LLVM IR: one C-ABI function per kernel, math
// through LLVM intrinsics (lowered to libm calls) or libm directly (erf).
// RUN: tensorc-target-tool --emit=host-llvm %S/../Inputs/cpu-kernels.mlir | FileCheck %s
// RUN: tensorc-target-tool --emit=so %S/../Inputs/cpu-kernels.mlir -o %t.so
// RUN: llvm-nm -D --defined-only %t.so | FileCheck %s --check-prefix=SYMBOLS

// CHECK-DAG: declare float @erff(float)
// CHECK-DAG: define void @bias_relu(ptr {{.*}}%0, ptr {{.*}}%1, i64 %2, i64 %3)
// CHECK-DAG: define void @softmax_rows(ptr {{.*}}%0, ptr {{.*}}%1, i64 %2, i64 %3)
// CHECK-DAG: define void @matmul_tiled(ptr {{.*}}%0, ptr {{.*}}%1, i64 %2, i64 %3)
// CHECK-DAG: define void @mixed_types(ptr {{.*}}%0, ptr {{.*}}%1, i64 %2, i64 %3)
// CHECK-DAG: define void @math_funcs(ptr {{.*}}%0, ptr {{.*}}%1, i64 %2, i64 %3)
// CHECK-DAG: define void @scale_cf(ptr {{.*}}%0, ptr {{.*}}%1, i64 %2, i64 %3)
// CHECK-DAG: call float @llvm.tanh.f32(
// CHECK-DAG: call float @llvm.log.f32(

// SYMBOLS-DAG: T bias_relu
// SYMBOLS-DAG: T matmul_tiled
// SYMBOLS-DAG: T math_funcs
// SYMBOLS-DAG: T mixed_types
// SYMBOLS-DAG: T scale_cf
// SYMBOLS-DAG: T softmax_rows
