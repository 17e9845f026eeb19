// RUN: tensorc-opt %s -tc-inline-entry-calls -split-input-file | FileCheck %s

// A call is replaced by the callee's body; the callee stays (it is an entry
// point of its own).
// CHECK-LABEL: func.func @forward
// CHECK: tc.relu
// CHECK-LABEL: func.func @loss
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-NOT: call
// CHECK: %[[R:.*]] = tc.relu %[[X]]
// CHECK: tc.mean %[[R]] [0, 1]
func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = tc.relu %x : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
func.func @loss(%x: tensor<?x4xf32>) -> tensor<f32> {
  %y = call @forward(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %l = tc.mean %y [0, 1] : tensor<?x4xf32>
  return %l : tensor<f32>
}

// -----

// Calls through several levels are all inlined, and the tensor.dim that the
// callee used to find its symbolic size now reads the caller's argument.
// CHECK-LABEL: func.func @top
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>)
// CHECK-NOT: call
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[B:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: tc.reshape %{{.*}}(%{{.*}})
// CHECK-NOT: call
func.func @leaf(%x: tensor<?x8xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %b = tensor.dim %x, %c0 : tensor<?x8xf32>
  %c8 = arith.constant 8 : index
  %n = arith.muli %b, %c8 : index
  %r = tc.reshape %x (%n) : tensor<?x8xf32> -> tensor<?xf32>
  return %r : tensor<?xf32>
}
func.func @mid(%x: tensor<?x8xf32>) -> tensor<?xf32> {
  %e = tc.exp %x : tensor<?x8xf32>
  %r = call @leaf(%e) : (tensor<?x8xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}
func.func @top(%x: tensor<?x8xf32>) -> tensor<?xf32> {
  %r = call @mid(%x) : (tensor<?x8xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}
