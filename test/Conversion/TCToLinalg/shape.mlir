// RUN: tensorc-opt %s -convert-tc-to-linalg -split-input-file | FileCheck %s

// transpose: the input map is the inverse permutation.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d1, d2, d0)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @transpose
// CHECK: %[[B:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[E:.*]] = tensor.empty(%[[B]]) : tensor<4x?x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0 : tensor<?x3x4xf32>) outs(%[[E]] : tensor<4x?x3xf32>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[X]]
func.func @transpose(%x: tensor<?x3x4xf32>) -> tensor<4x?x3xf32> {
  %0 = tc.transpose %x [2, 0, 1] : tensor<?x3x4xf32>
  return %0 : tensor<4x?x3xf32>
}

// -----

// reshape: collapse to rank 1, expand with the op's dynamic sizes.
// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[X:.*]]: tensor<?x64x128xf32>, %[[B:.*]]: index)
// CHECK-NEXT: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1, 2]] : tensor<?x64x128xf32> into tensor<?xf32>
// CHECK-NEXT: %[[R:.*]] = tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1, 2, 3]] output_shape [%[[B]], 64, 4, 32] : tensor<?xf32> into tensor<?x64x4x32xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape(%x: tensor<?x64x128xf32>, %b: index) -> tensor<?x64x4x32xf32> {
  %0 = tc.reshape %x (%b) : tensor<?x64x128xf32> -> tensor<?x64x4x32xf32>
  return %0 : tensor<?x64x4x32xf32>
}

// -----

// Rank 0 goes through [1]; rank 1 to rank 1 is the value itself.
// CHECK-LABEL: func.func @reshape_ranks
// CHECK-NEXT: %[[C1:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1]] : tensor<1x1xf32> into tensor<1xf32>
// CHECK-NEXT: %[[C0:.*]] = tensor.collapse_shape %[[C1]] [] : tensor<1xf32> into tensor<f32>
// CHECK-NEXT: %[[E1:.*]] = tensor.expand_shape %arg1 [] output_shape [1] : tensor<f32> into tensor<1xf32>
// CHECK-NEXT: %[[E3:.*]] = tensor.expand_shape %[[E1]] {{\[\[}}0, 1, 2]] output_shape [1, 1, 1] : tensor<1xf32> into tensor<1x1x1xf32>
// CHECK-NEXT: return %[[C0]], %[[E3]], %arg2
func.func @reshape_ranks(%x: tensor<1x1xf32>, %s: tensor<f32>, %v: tensor<?xf32>, %n: index) -> (tensor<f32>, tensor<1x1x1xf32>, tensor<?xf32>) {
  %0 = tc.reshape %x : tensor<1x1xf32> -> tensor<f32>
  %1 = tc.reshape %s : tensor<f32> -> tensor<1x1x1xf32>
  %2 = tc.reshape %v (%n) : tensor<?xf32> -> tensor<?xf32>
  return %0, %1, %2 : tensor<f32>, tensor<1x1x1xf32>, tensor<?xf32>
}

// -----

// broadcast_to: the stretched unit dim is collapsed; the size operand sizes
// the destination.
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @broadcast_to
// CHECK: %[[C:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1]] : tensor<1x10xf32> into tensor<10xf32>
// CHECK: %[[E:.*]] = tensor.empty(%arg1) : tensor<?x10xf32>
// CHECK: linalg.generic {indexing_maps = [#[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[C]] : tensor<10xf32>) outs(%[[E]]
func.func @broadcast_to(%x: tensor<1x10xf32>, %n: index) -> tensor<?x10xf32> {
  %0 = tc.broadcast_to %x (%n) : tensor<1x10xf32> -> tensor<?x10xf32>
  return %0 : tensor<?x10xf32>
}

// -----

// concat: a generic with no inputs; each input is read with tensor.extract at
// its own clamped position, and a select keeps the one owning the column.
// CHECK: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @concat
// CHECK: linalg.generic {indexing_maps = [#[[ID]]], iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%{{.*}}: f32):
// CHECK-NEXT: %[[I:.*]] = linalg.index 0
// CHECK-NEXT: %[[J:.*]] = linalg.index 1
// CHECK: %[[JB:.*]] = arith.subi %[[J]], %c3
// CHECK: %[[LOB:.*]] = arith.maxsi %[[JB]], %c0
// CHECK-NEXT: %[[CB:.*]] = arith.minsi %[[LOB]],
// CHECK-NEXT: %[[VB:.*]] = tensor.extract %arg1[%[[I]], %[[CB]]] : tensor<?x5xf32>
// CHECK: %[[INA:.*]] = arith.cmpi slt, %[[J]], %c3
// CHECK: %[[VA:.*]] = tensor.extract %arg0[%[[I]], %{{.*}}] : tensor<?x3xf32>
// CHECK-NEXT: %[[V:.*]] = arith.select %[[INA]], %[[VA]], %[[VB]]
// CHECK-NEXT: linalg.yield %[[V]]
func.func @concat(%a: tensor<?x3xf32>, %b: tensor<?x5xf32>) -> tensor<?x8xf32> {
  %0 = tc.concat %a, %b axis 1 : tensor<?x3xf32>, tensor<?x5xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// Along a dynamic axis the offsets and sizes are tensor.dim values captured by
// the payload.
// CHECK-LABEL: func.func @concat_dynamic
// CHECK-DAG: %[[NA:.*]] = tensor.dim %arg0, %c0
// CHECK-DAG: %[[NB:.*]] = tensor.dim %arg1, %c0
// CHECK: %[[TOTAL:.*]] = arith.addi %[[NA]], %[[NB]]
// CHECK: tensor.empty(%[[TOTAL]]) : tensor<?x3xf32>
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0
// CHECK: arith.subi %[[I]], %[[OFF:[a-z0-9_]+]]
// CHECK: tensor.extract %arg1
// CHECK: arith.cmpi slt, %[[I]], %[[OFF]]
// CHECK: tensor.extract %arg0
func.func @concat_dynamic(%a: tensor<?x3xf32>, %b: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %0 = tc.concat %a, %b axis 0 : tensor<?x3xf32>, tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// slice: read at index + start, clamped to the last row.
// CHECK-LABEL: func.func @slice
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<16x128xf32>)
// CHECK: %[[I:.*]] = linalg.index 0
// CHECK-NEXT: %[[J:.*]] = linalg.index 1
// CHECK-NEXT: %[[START:.*]] = arith.constant 4 : index
// CHECK-NEXT: %[[S:.*]] = arith.addi %[[I]], %[[START]]
// CHECK-NEXT: %[[LAST:.*]] = arith.constant 63 : index
// CHECK-NEXT: %[[C:.*]] = arith.minsi %[[S]], %[[LAST]]
// CHECK-NEXT: tensor.extract %arg0[%[[C]], %[[J]]] : tensor<64x128xf32>
func.func @slice(%x: tensor<64x128xf32>) -> tensor<16x128xf32> {
  %0 = tc.slice %x, 0, 4, 20 : tensor<64x128xf32>
  return %0 : tensor<16x128xf32>
}
