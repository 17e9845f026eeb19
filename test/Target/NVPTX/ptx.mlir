// PTX for the reference kernels: one module, each .entry with one .u64 .ptr
// per buffer and one .u64 per size; ptxas assembles it for sm_90 and sm_80
// with no stack frame and no spills.
// REQUIRES: ptxas
// RUN: tensorc-target-tool --emit=ptx %S/../Inputs/kernels.mlir -o %t.ptx
// RUN: FileCheck %s < %t.ptx
// RUN: %ptxas -arch=sm_90 -v %t.ptx -o %t.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: tensorc-target-tool --emit=ptx --arch=sm_80 %S/../Inputs/kernels.mlir -o %t.80.ptx
// RUN: %ptxas -arch=sm_80 -v %t.80.ptx -o %t.80.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// CHECK: .target sm_90
// CHECK-NOT: __nv_
// CHECK-LABEL: .visible .entry bias_relu(
// CHECK-NEXT: .param .u64 .ptr .align 16 bias_relu_param_0,
// CHECK-NEXT: .param .u64 .ptr .align 16 bias_relu_param_1,
// CHECK-NEXT: .param .u64 .ptr .align 16 bias_relu_param_2,
// CHECK-NEXT: .param .u64 bias_relu_param_3,
// CHECK-NEXT: .param .u64 bias_relu_param_4
// CHECK-NEXT: )
// CHECK-LABEL: .visible .entry softmax_rows(
// CHECK-NEXT: .param .u64 .ptr .align 16 softmax_rows_param_0,
// CHECK-NEXT: .param .u64 .ptr .align 16 softmax_rows_param_1,
// CHECK-NEXT: .param .u64 softmax_rows_param_2,
// CHECK-NEXT: .param .u64 softmax_rows_param_3
// CHECK-NEXT: )
// CHECK: shfl.sync.bfly
// CHECK: bar.sync
// CHECK-LABEL: .visible .entry matmul_tiled(
// CHECK-NEXT: .param .u64 .ptr .align 16 matmul_tiled_param_0,
// CHECK-NEXT: .param .u64 .ptr .align 16 matmul_tiled_param_1,
// CHECK-NEXT: .param .u64 .ptr .align 16 matmul_tiled_param_2,
// CHECK-NEXT: .param .u64 matmul_tiled_param_3,
// CHECK-NEXT: .param .u64 matmul_tiled_param_4,
// CHECK-NEXT: .param .u64 matmul_tiled_param_5
// CHECK-NEXT: )
// CHECK: st.shared
// CHECK-LABEL: .visible .entry mixed_types(
// CHECK-NEXT: .param .u64 .ptr .align 16 mixed_types_param_0,
// CHECK-NEXT: .param .u64 .ptr .align 16 mixed_types_param_1,
// CHECK-NEXT: .param .u64 .ptr .align 16 mixed_types_param_2,
// CHECK-NEXT: .param .u64 mixed_types_param_3
// CHECK-NEXT: )

// Four kernels, each without local memory.
// PTXAS-COUNT-4: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS-NOT: {{[1-9][0-9]* bytes (stack frame|spill)}}
