// RUN: tensorc-opt %s -canonicalize -split-input-file | FileCheck %s

// -0.0 is the identity of float addition.
// CHECK-LABEL: @add_zero
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-NEXT: return %[[X]], %[[X]]
func.func @add_zero(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %z = tc.constant dense<-0.0> : tensor<f32>
  %0 = tc.add %x, %z : tensor<?x4xf32>, tensor<f32>
  %1 = tc.add %z, %x : tensor<f32>, tensor<?x4xf32>
  return %0, %1 : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// x + 0.0 is not x when x is -0.0; integer zero is the identity.
// CHECK-LABEL: @add_positive_zero
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[I:.*]]: tensor<4xi32>)
// CHECK: %[[S:.*]] = tc.add
// CHECK-NEXT: return %[[S]], %[[I]]
func.func @add_positive_zero(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %z = tc.constant dense<0.0> : tensor<f32>
  %0 = tc.add %x, %z : tensor<4xf32>, tensor<f32>
  %zi = tc.constant dense<0> : tensor<i32>
  %1 = tc.add %i, %zi : tensor<4xi32>, tensor<i32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}

// -----

// relu keeps NaN, like torch.relu.
// CHECK-LABEL: @relu_nan
// CHECK: tc.constant dense<0x7FC00000> : tensor<f32>
func.func @relu_nan() -> tensor<f32> {
  %n = tc.constant dense<0x7FC00000> : tensor<f32>
  %0 = tc.relu %n : tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Adding a zero that broadcasts x to a bigger shape is not the identity.
// CHECK-LABEL: @add_zero_broadcasting
// CHECK: tc.add
func.func @add_zero_broadcasting(%x: tensor<4xf32>) -> tensor<2x4xf32> {
  %z = tc.constant dense<0.0> : tensor<2x4xf32>
  %0 = tc.add %x, %z : tensor<4xf32>, tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: @identities
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[X]]
func.func @identities(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %z = tc.constant dense<0.0> : tensor<f32>
  %o = tc.constant dense<1.0> : tensor<f32>
  %0 = tc.sub %x, %z : tensor<8xf32>, tensor<f32>
  %1 = tc.mul %o, %x : tensor<f32>, tensor<8xf32>
  %2 = tc.div %x, %o : tensor<8xf32>, tensor<f32>
  %3 = tc.pow %x, 1.0 : tensor<8xf32>
  return %0, %1, %2, %3 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// x - 0 folds, 0 - x does not.
// CHECK-LABEL: @sub_from_zero
// CHECK: tc.sub
func.func @sub_from_zero(%x: tensor<8xf32>) -> tensor<8xf32> {
  %z = tc.constant dense<0.0> : tensor<f32>
  %0 = tc.sub %z, %x : tensor<f32>, tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: @constant_fold
// CHECK-DAG: tc.constant dense<5.000000e+00> : tensor<4xf32>
// CHECK-DAG: tc.constant dense<6> : tensor<i32>
// CHECK-DAG: tc.constant dense<[1.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CHECK-NOT: tc.add
// CHECK-NOT: tc.mul
func.func @constant_fold() -> (tensor<4xf32>, tensor<i32>, tensor<2xf32>) {
  %a = tc.constant dense<2.0> : tensor<f32>
  %b = tc.constant dense<3.0> : tensor<4xf32>
  %0 = tc.add %a, %b : tensor<f32>, tensor<4xf32>
  %i = tc.constant dense<2> : tensor<i32>
  %j = tc.constant dense<3> : tensor<i32>
  %1 = tc.mul %i, %j : tensor<i32>, tensor<i32>
  %v = tc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %3 = tc.mul %v, %v : tensor<2xf32>, tensor<2xf32>
  %4 = tc.sub %3, %v : tensor<2xf32>, tensor<2xf32>
  %5 = tc.add %4, %v : tensor<2xf32>, tensor<2xf32>
  return %0, %1, %5 : tensor<4xf32>, tensor<i32>, tensor<2xf32>
}

// -----

// Integer division by zero is left to run time.
// CHECK-LABEL: @int_div_zero
// CHECK: tc.div
func.func @int_div_zero() -> tensor<i32> {
  %i = tc.constant dense<7> : tensor<i32>
  %z = tc.constant dense<0> : tensor<i32>
  %0 = tc.div %i, %z : tensor<i32>, tensor<i32>
  return %0 : tensor<i32>
}

// -----

// CHECK-LABEL: @unary
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK-DAG: %[[E:.*]] = tc.constant dense<1.000000e+00> : tensor<f32>
// CHECK-DAG: %[[A:.*]] = tc.abs %[[X]]
// CHECK-DAG: %[[R:.*]] = tc.relu %[[X]]
// CHECK: return %[[X]], %[[A]], %[[R]], %[[E]]
func.func @unary(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<f32>) {
  %0 = tc.neg %x : tensor<8xf32>
  %1 = tc.neg %0 : tensor<8xf32>
  %2 = tc.abs %x : tensor<8xf32>
  %3 = tc.abs %2 : tensor<8xf32>
  %4 = tc.relu %x : tensor<8xf32>
  %5 = tc.relu %4 : tensor<8xf32>
  %z = tc.constant dense<0.0> : tensor<f32>
  %6 = tc.exp %z : tensor<f32>
  return %1, %3, %5, %6 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<f32>
}

// -----

// CHECK-LABEL: @const_unary
// CHECK-DAG: tc.constant dense<-2.000000e+00> : tensor<f32>
// CHECK-DAG: tc.constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: tc.constant dense<3.000000e+00> : tensor<f32>
// CHECK-DAG: tc.constant dense<4.000000e+00> : tensor<f32>
func.func @const_unary() -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) {
  %c = tc.constant dense<2.0> : tensor<f32>
  %n = tc.constant dense<9.0> : tensor<f32>
  %0 = tc.neg %c : tensor<f32>
  %1 = tc.relu %0 : tensor<f32>
  %2 = tc.sqrt %n : tensor<f32>
  %3 = tc.pow %c, 2.0 : tensor<f32>
  return %0, %1, %2, %3 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>
}

// -----

// CHECK-LABEL: @cast_dropout_select
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>, %[[Y:.*]]: tensor<8xf32>, %[[C:.*]]: tensor<8xi1>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[Y]]
func.func @cast_dropout_select(%x: tensor<8xf32>, %y: tensor<8xf32>, %c: tensor<8xi1>)
    -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %0 = tc.cast %x : tensor<8xf32> to tensor<8xf32>
  %1 = tc.dropout %x, 0.0 : tensor<8xf32>
  %2 = tc.select %c, %x, %x : tensor<8xi1>, tensor<8xf32>, tensor<8xf32>
  %f = tc.constant dense<false> : tensor<i1>
  %3 = tc.select %f, %x, %y : tensor<i1>, tensor<8xf32>, tensor<8xf32>
  return %0, %1, %2, %3 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// A dropout that drops something stays.
// CHECK-LABEL: @dropout_kept
// CHECK: tc.dropout
func.func @dropout_kept(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = tc.dropout %x, 0.5 : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: @shape_identities
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
func.func @shape_identities(%x: tensor<4x8xf32>)
    -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = tc.transpose %x [0, 1] : tensor<4x8xf32>
  %1 = tc.reshape %x : tensor<4x8xf32> -> tensor<4x8xf32>
  %2 = tc.broadcast_to %x : tensor<4x8xf32> -> tensor<4x8xf32>
  %3 = tc.concat %x axis 0 : tensor<4x8xf32>
  %4 = tc.slice %x, 1, 0, 8 : tensor<4x8xf32>
  %5 = tc.sum %x [] : tensor<4x8xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// CHECK-LABEL: @compose_transposes
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[T:.*]] = tc.transpose %[[X]] [2, 0, 1] : tensor<2x3x4xf32>
// CHECK-NEXT: return %[[T]], %[[X]]
func.func @compose_transposes(%x: tensor<2x3x4xf32>) -> (tensor<4x2x3xf32>, tensor<2x3x4xf32>) {
  %0 = tc.transpose %x [1, 0, 2] : tensor<2x3x4xf32>
  %1 = tc.transpose %0 [2, 1, 0] : tensor<3x2x4xf32>
  // Inverse permutations cancel.
  %2 = tc.transpose %x [1, 2, 0] : tensor<2x3x4xf32>
  %3 = tc.transpose %2 [2, 0, 1] : tensor<3x4x2xf32>
  return %1, %3 : tensor<4x2x3xf32>, tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: @collapse_reshapes
// CHECK-SAME: (%[[X:.*]]: tensor<?x64x8xf32>, %[[N:.*]]: index, %[[M:.*]]: index)
// CHECK-NEXT: %[[R:.*]] = tc.reshape %[[X]](%[[M]]) : tensor<?x64x8xf32> -> tensor<?x8x8xf32>
// CHECK-NEXT: return %[[R]]
func.func @collapse_reshapes(%x: tensor<?x64x8xf32>, %n: index, %m: index) -> tensor<?x8x8xf32> {
  %0 = tc.reshape %x (%n) : tensor<?x64x8xf32> -> tensor<?x8xf32>
  %1 = tc.reshape %0 (%m) : tensor<?x8xf32> -> tensor<?x8x8xf32>
  return %1 : tensor<?x8x8xf32>
}
