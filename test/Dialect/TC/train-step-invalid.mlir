// RUN: tensorc-opt %s -split-input-file -verify-diagnostics -tc-inline-entry-calls -tc-autodiff -tc-build-train-step

// The errors of the passes that build train_step (tc-inline-entry-calls,
// tc-autodiff, tc-build-train-step) on modules the frontend does not make:
// the frontend's own checks (test/Frontend/train.tdsl) come first for .tdsl
// sources.

// expected-error @+1 {{the train clause does not name a function with one result}}
module attributes {tc.train = {fn = @nowhere, lr = 1.000000e-01 : f64, momentum = 0.000000e+00 : f64, nesterov = false, optimizer = "sgd", weight_decay = 0.000000e+00 : f64}} {
  tc.param @w : tensor<4xf32> = ones
}

// -----

// Optimizer state lives in params named opt.*: a param of that name clashes.
// expected-error @+1 {{cannot declare optimizer state 'opt.step': the model already has a symbol of that name}}
module attributes {tc.train = {fn = @loss, lr = 1.000000e-01 : f64, beta1 = 0.9 : f64, beta2 = 0.999 : f64, eps = 1.0e-08 : f64, optimizer = "adam", weight_decay = 0.000000e+00 : f64}} {
  tc.param @w : tensor<4xf32> = ones
  tc.param @opt.step : tensor<f32> = zeros
  func.func @loss(%x: tensor<4xf32>) -> tensor<f32> {
    %w = tc.load_param @w : tensor<4xf32>
    %m = tc.mul %x, %w : tensor<4xf32>, tensor<4xf32>
    %l = tc.mean %m [0] : tensor<4xf32>
    return %l : tensor<f32>
  }
}

// -----

// So does a param named like the dropout state.
// expected-error @+1 {{cannot declare the dropout state 'rng.seed': the model already has a symbol of that name}}
module attributes {tc.train = {fn = @loss, lr = 1.000000e-01 : f64, momentum = 0.000000e+00 : f64, nesterov = false, optimizer = "sgd", weight_decay = 0.000000e+00 : f64}} {
  tc.param @w : tensor<4xf32> = ones
  tc.param @rng.seed : tensor<i32> = zeros
  func.func @loss(%x: tensor<4xf32>) -> tensor<f32> {
    %w = tc.load_param @w : tensor<4xf32>
    %m = tc.mul %x, %w : tensor<4xf32>, tensor<4xf32>
    %d = tc.dropout %m, 1.000000e-01 : tensor<4xf32>
    %l = tc.mean %d [0] : tensor<4xf32>
    return %l : tensor<f32>
  }
}

// -----

// An op with no gradient rule on the path from a param to the loss.
module attributes {tc.train = {fn = @loss, lr = 1.000000e-01 : f64, momentum = 0.000000e+00 : f64, nesterov = false, optimizer = "sgd", weight_decay = 0.000000e+00 : f64}} {
  tc.param @w : tensor<4xf32> = ones
  func.func @loss(%x: tensor<4xf32>) -> tensor<f32> {
    %w = tc.load_param @w : tensor<4xf32>
    // expected-error @+1 {{cannot differentiate 'tc.gelu_grad' (its result depends on a param)}}
    %g = "tc.gelu_grad"(%x, %w) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %l = tc.mean %g [0] : tensor<4xf32>
    return %l : tensor<f32>
  }
}
