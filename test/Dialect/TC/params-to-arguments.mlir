// RUN: tensorc-opt %s -tc-params-to-arguments -split-input-file | FileCheck %s

// Each function gets the params it reads, in declaration order, after its own
// arguments; every load of a param becomes that argument.
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32> {tc.name = "x"}, %[[W:.*]]: tensor<4x8xf32> {tc.param = "w"}, %[[B:.*]]: tensor<8xf32> {tc.param = "b"})
// CHECK-NOT: tc.load_param
// CHECK: tc.matmul %[[X]], %[[W]]
// CHECK: tc.add %{{.*}}, %[[B]]
// CHECK-NOT: tc.load_param
// CHECK-LABEL: func.func @only_b
// CHECK-SAME: (%{{.*}}: tensor<8xf32> {tc.param = "b"})
// CHECK-LABEL: func.func @none
// CHECK-SAME: (%{{.*}}: tensor<8xf32>) -> tensor<8xf32>
module {
  tc.param @w : tensor<4x8xf32> = kaiming_uniform
  tc.param @unused : tensor<3xf32> = zeros
  tc.param @b : tensor<8xf32> = zeros
  func.func @forward(%x: tensor<?x4xf32> {tc.name = "x"}) -> tensor<?x8xf32> {
    %b = tc.load_param @b : tensor<8xf32>
    %w = tc.load_param @w : tensor<4x8xf32>
    %y = tc.matmul %x, %w : tensor<?x4xf32>, tensor<4x8xf32>
    %w2 = tc.load_param @w : tensor<4x8xf32>
    %z = tc.add %y, %b : tensor<?x8xf32>, tensor<8xf32>
    return %z : tensor<?x8xf32>
  }
  func.func @only_b() -> tensor<8xf32> {
    %b = tc.load_param @b : tensor<8xf32>
    return %b : tensor<8xf32>
  }
  func.func @none(%x: tensor<8xf32>) -> tensor<8xf32> {
    return %x : tensor<8xf32>
  }
}
