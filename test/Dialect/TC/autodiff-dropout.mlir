// RUN: tensorc-opt %s -tc-autodiff -tc-build-train-step | FileCheck %s

// tc-autodiff keys the dropouts of the gradient function with the params
// rng.seed (the session's seed) and rng.step (zero), both optimizer state,
// and a site per dropout; the gradient of a dropout is the same keyed
// dropout of the result's gradient (dx = dy * mask / (1 - p), the mask
// regenerated). The trained function itself keeps its unkeyed dropouts (the
// identity: evaluation), and train_step advances rng.step by one.

// CHECK: tc.param @w : tensor<4x3xf32> = ones
// CHECK-NEXT: tc.param @rng.seed : tensor<i32> = seed {tc.optimizer_state}
// CHECK-NEXT: tc.param @rng.step : tensor<i32> = zeros {tc.optimizer_state}

// CHECK-LABEL: func.func @loss(
// CHECK: tc.dropout %{{.*}}, 1.000000e-01 : tensor<?x3xf32>
// CHECK: tc.dropout %{{.*}}, 2.000000e-01 : tensor<?x3xf32>

// CHECK-LABEL: func.func @loss_grad(
// CHECK-DAG: %[[SEED:.*]] = tc.load_param @rng.seed : tensor<i32>
// CHECK-DAG: %[[STEP:.*]] = tc.load_param @rng.step : tensor<i32>
// CHECK: %[[H:.*]] = tc.dropout %{{.*}}, 1.000000e-01 key(%[[SEED]], %[[STEP]] : tensor<i32>, tensor<i32>) : tensor<?x3xf32>
// CHECK: tc.dropout %[[H]], 2.000000e-01 key(%[[SEED]], %[[STEP]] : tensor<i32>, tensor<i32>) {site = 1 : i64} : tensor<?x3xf32>
// The backward pass, in reverse: site 1, then site 0.
// CHECK: tc.dropout %{{.*}}, 2.000000e-01 key(%[[SEED]], %[[STEP]] : tensor<i32>, tensor<i32>) {site = 1 : i64} : tensor<?x3xf32>
// CHECK: tc.dropout %{{.*}}, 1.000000e-01 key(%[[SEED]], %[[STEP]] : tensor<i32>, tensor<i32>) : tensor<?x3xf32>
// CHECK: return

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: tensor<i32> {tc.update = "rng.step"})
// CHECK: %[[ONE:.*]] = tc.constant dense<1> : tensor<i32>
// CHECK: %[[NEW:.*]] = tc.add %{{.*}}, %[[ONE]] : tensor<i32>, tensor<i32>
// CHECK: return %{{.*}}, %{{.*}}, %{{.*}}, %[[NEW]] :
module attributes {tc.model = "D", tc.train = {fn = @loss, lr = 1.000000e-01 : f64, momentum = 0.000000e+00 : f64, nesterov = false, optimizer = "sgd", weight_decay = 0.000000e+00 : f64}} {
  tc.param @w : tensor<4x3xf32> = ones
  func.func @loss(%arg0: tensor<?x4xf32> {tc.dims = ["B", 4], tc.name = "x"}) -> (tensor<f32> {tc.dims = []}) {
    %0 = tc.load_param @w : tensor<4x3xf32>
    %1 = tc.matmul %arg0, %0 : tensor<?x4xf32>, tensor<4x3xf32>
    %2 = tc.dropout %1, 1.000000e-01 : tensor<?x3xf32>
    %3 = tc.dropout %2, 2.000000e-01 : tensor<?x3xf32>
    %4 = tc.mean %3 [0, 1] : tensor<?x3xf32>
    return %4 : tensor<f32>
  }
}
