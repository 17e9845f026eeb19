// RUN: tensorc-opt %s -resolve-ranked-shaped-type-result-dims -canonicalize | FileCheck %s

// Dynamic result dims of tc ops resolve to the operand dims they come from.

// CHECK-LABEL: func.func @embedding_width
// CHECK-SAME: (%[[T:.*]]: tensor<?x?xf32>, %{{.*}}: tensor<?xi32>)
// CHECK: %[[D:.*]] = tensor.dim %[[T]], %c1
// CHECK: return %[[D]]
func.func @embedding_width(%t: tensor<?x?xf32>, %ids: tensor<?xi32>) -> index {
  %0 = tc.embedding %t, %ids : tensor<?x?xf32>, tensor<?xi32>
  %c1 = arith.constant 1 : index
  %d = tensor.dim %0, %c1 : tensor<?x?xf32>
  return %d : index
}

// CHECK-LABEL: func.func @conv_channels
// CHECK-SAME: (%{{.*}}: tensor<?x3x8x8xf32>, %[[W:.*]]: tensor<?x3x3x3xf32>)
// CHECK: %[[D:.*]] = tensor.dim %[[W]], %c0
// CHECK: return %[[D]]
func.func @conv_channels(%x: tensor<?x3x8x8xf32>, %w: tensor<?x3x3x3xf32>) -> index {
  %0 = tc.conv2d %x, %w stride [1, 1] padding [0, 0] : tensor<?x3x8x8xf32>, tensor<?x3x3x3xf32>
  %c1 = arith.constant 1 : index
  %d = tensor.dim %0, %c1 : tensor<?x?x6x6xf32>
  return %d : index
}

// CHECK-LABEL: func.func @pool_channels
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x4x4xf32>)
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %c1
// CHECK: return %[[D]]
func.func @pool_channels(%x: tensor<?x?x4x4xf32>) -> index {
  %0 = tc.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x?x4x4xf32>
  %c1 = arith.constant 1 : index
  %d = tensor.dim %0, %c1 : tensor<?x?x2x2xf32>
  return %d : index
}
