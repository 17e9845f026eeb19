// RUN: tensorc-opt %s -convert-tc-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @mm
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x5xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]]
// CHECK: %[[R:.*]] = linalg.matmul ins(%arg0, %arg1 : tensor<?x8xf32>, tensor<8x5xf32>) outs(%[[F]] : tensor<?x5xf32>)
// CHECK: return %[[R]]
func.func @mm(%a: tensor<?x8xf32>, %b: tensor<8x5xf32>) -> tensor<?x5xf32> {
  %0 = tc.matmul %a, %b : tensor<?x8xf32>, tensor<8x5xf32>
  return %0 : tensor<?x5xf32>
}

// -----

// A rank-3 lhs times a rank-2 rhs: all rows at once through linalg.matmul.
// CHECK-LABEL: func.func @rows
// CHECK-DAG: %[[B:.*]] = tensor.dim %arg0, %c0
// CHECK-DAG: %[[T:.*]] = tensor.dim %arg0, %c1
// CHECK: %[[BT:.*]] = arith.muli %[[B]], %[[T]]
// CHECK: %[[E:.*]] = tensor.empty(%[[BT]]) : tensor<?x5xf32>
// CHECK: %[[F:.*]] = linalg.fill {{.*}} outs(%[[E]]
// CHECK: %[[A:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<?x?x8xf32> into tensor<?x8xf32>
// CHECK: %[[R:.*]] = linalg.matmul ins(%[[A]], %arg1 : tensor<?x8xf32>, tensor<8x5xf32>) outs(%[[F]]
// CHECK: tensor.expand_shape %[[R]] {{\[\[}}0, 1], [2]] output_shape [%[[B]], %[[T]], 5] : tensor<?x5xf32> into tensor<?x?x5xf32>
func.func @rows(%a: tensor<?x?x8xf32>, %b: tensor<8x5xf32>) -> tensor<?x?x5xf32> {
  %0 = tc.matmul %a, %b : tensor<?x?x8xf32>, tensor<8x5xf32>
  return %0 : tensor<?x?x5xf32>
}

// -----

// Same batch dims on both sides: collapse them, batch_matmul, expand.
// CHECK-LABEL: func.func @batch
// CHECK: %[[B:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[B4:.*]] = arith.muli %[[B]], %c4
// CHECK: %[[E:.*]] = tensor.empty(%[[B4]]) : tensor<?x64x64xf32>
// CHECK: %[[F:.*]] = linalg.fill {{.*}} outs(%[[E]]
// CHECK: %[[L:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2], [3]] : tensor<?x4x64x32xf32> into tensor<?x64x32xf32>
// CHECK: %[[R:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1], [2], [3]] : tensor<?x4x32x64xf32> into tensor<?x32x64xf32>
// CHECK: %[[P:.*]] = linalg.batch_matmul ins(%[[L]], %[[R]] : tensor<?x64x32xf32>, tensor<?x32x64xf32>) outs(%[[F]] : tensor<?x64x64xf32>)
// CHECK: tensor.expand_shape %[[P]] {{\[\[}}0, 1], [2], [3]] output_shape [%[[B]], 4, 64, 64] : tensor<?x64x64xf32> into tensor<?x4x64x64xf32>
func.func @batch(%a: tensor<?x4x64x32xf32>, %b: tensor<?x4x32x64xf32>) -> tensor<?x4x64x64xf32> {
  %0 = tc.matmul %a, %b : tensor<?x4x64x32xf32>, tensor<?x4x32x64xf32>
  return %0 : tensor<?x4x64x64xf32>
}

// -----

// One batch dim needs no reshape; unit batch dims on both sides are the same
// batch.
// CHECK-LABEL: func.func @batch1
// CHECK-NOT: collapse_shape
// CHECK: linalg.batch_matmul ins(%arg0, %arg1 : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%{{.*}} : tensor<2x3x5xf32>)
// CHECK-LABEL: func.func @unit_batch
// CHECK: linalg.batch_matmul ins(%arg0, %arg1 : tensor<1x3x1xf32>, tensor<1x1x5xf32>)
func.func @batch1(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = tc.matmul %a, %b : tensor<2x3x4xf32>, tensor<2x4x5xf32>
  return %0 : tensor<2x3x5xf32>
}
func.func @unit_batch(%a: tensor<1x3x1xf32>, %b: tensor<1x1x5xf32>) -> tensor<1x3x5xf32> {
  %0 = tc.matmul %a, %b : tensor<1x3x1xf32>, tensor<1x1x5xf32>
  return %0 : tensor<1x3x5xf32>
}

// -----

// Broadcast batch dims: a generic contraction over (batch..., m, n, k); the
// stretched unit dim of the lhs is collapsed away.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d4)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @bcast
// CHECK: %[[F:.*]] = linalg.fill {{.*}} -> tensor<2x3x3x5xf32>
// CHECK: %[[A:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0], [1, 2], [3]] : tensor<2x1x3x4xf32> into tensor<2x3x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[A]], %arg1 : tensor<2x3x4xf32>, tensor<3x4x5xf32>) outs(%[[F]]
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[X]], %[[Y]]
// CHECK-NEXT: arith.addf %[[ACC]], %[[M]]
func.func @bcast(%a: tensor<2x1x3x4xf32>, %b: tensor<3x4x5xf32>) -> tensor<2x3x3x5xf32> {
  %0 = tc.matmul %a, %b : tensor<2x1x3x4xf32>, tensor<3x4x5xf32>
  return %0 : tensor<2x3x3x5xf32>
}

// -----

// A rank-2 lhs against a batched rhs is a broadcast too.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @lhs2d
// CHECK: %[[B:.*]] = tensor.dim %arg1, %c0
// CHECK: tensor.empty(%[[B]]) : tensor<?x3x5xf32>
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
func.func @lhs2d(%a: tensor<3x4xf32>, %b: tensor<?x4x5xf32>) -> tensor<?x3x5xf32> {
  %0 = tc.matmul %a, %b : tensor<3x4xf32>, tensor<?x4x5xf32>
  return %0 : tensor<?x3x5xf32>
}

// -----

// f16 products accumulate in f32 (the named op extends its inputs) and are
// rounded by a generic.
// CHECK-LABEL: func.func @half
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[F:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<?x4xf32>)
// CHECK: %[[P:.*]] = linalg.matmul ins(%arg0, %arg1 : tensor<?x16xf16>, tensor<16x4xf16>) outs(%[[F]] : tensor<?x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[P]] : tensor<?x4xf32>) outs(%{{.*}} : tensor<?x4xf16>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @half(%a: tensor<?x16xf16>, %b: tensor<16x4xf16>) -> tensor<?x4xf16> {
  %0 = tc.matmul %a, %b : tensor<?x16xf16>, tensor<16x4xf16>
  return %0 : tensor<?x4xf16>
}
