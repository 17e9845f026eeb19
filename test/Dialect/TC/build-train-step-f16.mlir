// RUN: tensorc-opt %s -tc-autodiff -tc-build-train-step | FileCheck %s

// f16 training scales the loss (GradScaler's rules): the scale, the run of
// finite steps and the skipped steps are optimizer state; the backward pass
// starts from the scale instead of 1; the gradients are unscaled; a step
// with a non-finite gradient keeps the params and Adam's moments but still
// counts in opt.step; Adam's t leaves the skipped steps out.

// CHECK-DAG: tc.param @opt.loss_scale : tensor<f32> = full [6.553600e+04] {tc.optimizer_state}
// CHECK-DAG: tc.param @opt.loss_scale.good_steps : tensor<f32> = zeros {tc.optimizer_state}
// CHECK-DAG: tc.param @opt.loss_scale.skipped_steps : tensor<f32> = zeros {tc.optimizer_state}
// The gradient function keeps the seed 1 and loses the mark.
// CHECK-LABEL: func.func @loss_grad
// CHECK-NOT: tc.grad_seed
// CHECK-NOT: opt.loss_scale
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: {tc.update = "w"}, {{.*}} {tc.update = "opt.m.w"}, {{.*}} {tc.update = "opt.v.w"}, {{.*}} {tc.update = "opt.loss_scale"}, {{.*}} {tc.update = "opt.loss_scale.good_steps"}, {{.*}} {tc.update = "opt.loss_scale.skipped_steps"}, {{.*}} {tc.update = "opt.step"}
// CHECK-NOT: tc.grad_seed
// CHECK: %[[S:.*]] = tc.load_param @opt.loss_scale : tensor<f32>
// CHECK-NEXT: tc.constant
// CHECK-NEXT: tc.reshape %[[S]]
// CHECK: %[[SKIPPED:.*]] = tc.load_param @opt.loss_scale.skipped_steps
// CHECK: %[[INV:.*]] = tc.div %{{.*}}, %{{.*}} : tensor<f32>, tensor<f32>
// CHECK: %[[Z:.*]] = tc.sum
// CHECK: tc.mul %{{.*}}, %[[INV]]
// CHECK: %[[KEEP:.*]] = tc.cmp ne, %[[Z]], %{{.*}}
// CHECK: tc.sub %{{.*}}, %[[SKIPPED]]
// CHECK-COUNT-3: tc.select %[[KEEP]], %{{.*}}, %{{.*}} : tensor<i1>, tensor<4xf32>, tensor<4xf32>
// CHECK-NOT: tc.select %[[KEEP]]
// CHECK: return

module attributes {tc.precision = "f16", tc.train = {fn = @loss, lr = 1.000000e-02 : f64, optimizer = "adam", beta1 = 9.000000e-01 : f64, beta2 = 9.990000e-01 : f64, eps = 1.000000e-08 : f64, weight_decay = 0.000000e+00 : f64}} {
  tc.param @w : tensor<4xf32> = ones
  func.func @loss(%x: tensor<4xf32>) -> tensor<f32> {
    %w = tc.load_param @w : tensor<4xf32>
    %m = tc.mul %x, %w : tensor<4xf32>, tensor<4xf32>
    %l = tc.mean %m [0] : tensor<4xf32>
    return %l : tensor<f32>
  }
}
