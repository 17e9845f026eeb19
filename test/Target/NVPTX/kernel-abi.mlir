// The reference kernels lowered to NVVM with the kernel ABI: one pointer
// per buffer (noalias, 16-byte aligned), one i64 per size, in order.
// RUN: tensorc-target-tool --emit=nvvm %S/../Inputs/kernels.mlir | FileCheck %s

// CHECK: gpu.module @tc_kernels [#nvvm.target<O = 3, chip = "sm_90">]
// CHECK: llvm.func @bias_relu(%{{[a-z0-9]+}}: !llvm.ptr {llvm.align = 16 : i64, llvm.noalias}, %{{[a-z0-9]+}}: !llvm.ptr {llvm.align = 16 : i64, llvm.noalias}, %{{[a-z0-9]+}}: !llvm.ptr {llvm.align = 16 : i64, llvm.noalias}, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64) attributes {gpu.kernel, nvvm.kernel}
// CHECK: llvm.func @softmax_rows(%{{[a-z0-9]+}}: !llvm.ptr {llvm.align = 16 : i64, llvm.noalias}, %{{[a-z0-9]+}}: !llvm.ptr {llvm.align = 16 : i64, llvm.noalias}, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64) attributes {gpu.kernel, nvvm.kernel}
// CHECK: llvm.func @matmul_tiled(%{{[a-z0-9]+}}: !llvm.ptr {llvm.align = 16 : i64, llvm.noalias}, %{{[a-z0-9]+}}: !llvm.ptr {llvm.align = 16 : i64, llvm.noalias}, %{{[a-z0-9]+}}: !llvm.ptr {llvm.align = 16 : i64, llvm.noalias}, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64) attributes {gpu.kernel, nvvm.kernel}
// CHECK: llvm.func @mixed_types(%{{[a-z0-9]+}}: !llvm.ptr {llvm.align = 16 : i64, llvm.noalias}, %{{[a-z0-9]+}}: !llvm.ptr {llvm.align = 16 : i64, llvm.noalias}, %{{[a-z0-9]+}}: !llvm.ptr {llvm.align = 16 : i64, llvm.noalias}, %{{[a-z0-9]+}}: i64) attributes {gpu.kernel, nvvm.kernel}
// CHECK-NOT: tc.abi
// CHECK-NOT: gpu.func
