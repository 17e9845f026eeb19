// RUN: tensorc-opt %s -split-input-file -verify-diagnostics -tc-build-train-step -tc-update-params-in-place

// The errors of tc-build-train-step and tc-update-params-in-place on modules
// the frontend does not make.

// tc-build-train-step needs the gradient function that tc-autodiff makes.
// expected-error @+1 {{no 'loss_grad': run tc-autodiff first}}
module attributes {tc.train = {fn = @loss, lr = 1.000000e-01 : f64, momentum = 0.000000e+00 : f64, nesterov = false, optimizer = "sgd", weight_decay = 0.000000e+00 : f64}} {
  tc.param @w : tensor<4xf32> = ones
  func.func @loss(%x: tensor<4xf32>) -> tensor<f32> {
    %w = tc.load_param @w : tensor<4xf32>
    %m = tc.mul %x, %w : tensor<4xf32>, tensor<4xf32>
    %l = tc.mean %m [0] : tensor<4xf32>
    return %l : tensor<f32>
  }
}

// -----

// tc-update-params-in-place (after bufferization) writes a result marked
// tc.update back into the param's buffer: the value must have its type.
module {
  // expected-error @+1 {{cannot update 'w': its new value does not have the param's type}}
  func.func @train_step(%w: memref<4xf32> {tc.param = "w"}, %v: memref<8xf32>) -> (memref<8xf32> {tc.update = "w"}) {
    return %v : memref<8xf32>
  }
}

// -----

// f16 loss scaling replaces the gradient seed that tc-autodiff marks.
module attributes {tc.precision = "f16", tc.train = {fn = @loss, lr = 1.000000e-01 : f64, momentum = 0.000000e+00 : f64, nesterov = false, optimizer = "sgd", weight_decay = 0.000000e+00 : f64}} {
  tc.param @w : tensor<4xf32> = ones
  func.func @loss(%x: tensor<4xf32>) -> tensor<f32> {
    %w = tc.load_param @w : tensor<4xf32>
    %l = tc.mean %w [0] : tensor<4xf32>
    return %l : tensor<f32>
  }
  // expected-error @+1 {{f16 loss scaling: no gradient seed from tc-autodiff}}
  func.func @loss_grad(%x: tensor<4xf32>) -> (tensor<f32>, tensor<4xf32> {tc.grad_of = "w"}) {
    %w = tc.load_param @w : tensor<4xf32>
    %l = tc.mean %w [0] : tensor<4xf32>
    return %l, %w : tensor<f32>, tensor<4xf32>
  }
}
