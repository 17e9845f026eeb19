// RUN: tensorc-opt %s | tensorc-opt | FileCheck %s
// RUN: tensorc-opt %s --mlir-print-op-generic | tensorc-opt | FileCheck %s

// Every tc op, printed and parsed back.

// CHECK-LABEL: module attributes {tc.model = "Ops"}
module attributes {tc.model = "Ops"} {
  // CHECK: tc.param @w : tensor<4x8xf32> = kaiming_uniform
  tc.param @w : tensor<4x8xf32> = kaiming_uniform
  // CHECK: tc.param @emb : tensor<16x8xf32> = normal [0.000000e+00, 2.000000e-02]
  tc.param @emb : tensor<16x8xf32> = normal [0.0, 0.02]
  // CHECK: tc.param @u : tensor<8xbf16> = uniform [-1.000000e+00, 1.000000e+00]
  tc.param @u : tensor<8xbf16> = uniform [-1.0, 1.0]
  // CHECK: tc.param @s : tensor<f32> = full [6.553600e+04]
  tc.param @s : tensor<f32> = full [65536.0]

  // CHECK-LABEL: func.func @elementwise
  func.func @elementwise(%x: tensor<?x8xf32> {tc.name = "x", tc.dims = ["B", 8]},
                         %i: tensor<?x8xi32>) -> (tensor<?x8xf32> {tc.dims = ["B", 8]}) {
    // CHECK: tc.constant dense<5.000000e-01> : tensor<f32>
    %half = tc.constant dense<0.5> : tensor<f32>
    // CHECK: tc.add %{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<f32>
    %0 = tc.add %x, %half : tensor<?x8xf32>, tensor<f32>
    // CHECK: tc.sub
    %1 = tc.sub %0, %x : tensor<?x8xf32>, tensor<?x8xf32>
    // CHECK: tc.mul
    %2 = tc.mul %1, %half : tensor<?x8xf32>, tensor<f32>
    // CHECK: tc.div
    %3 = tc.div %2, %half : tensor<?x8xf32>, tensor<f32>
    // CHECK: tc.maximum
    %4 = tc.maximum %3, %x : tensor<?x8xf32>, tensor<?x8xf32>
    // CHECK: tc.minimum
    %5 = tc.minimum %4, %x : tensor<?x8xf32>, tensor<?x8xf32>
    // CHECK: tc.cmp le, %{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<f32>
    %c = tc.cmp le, %5, %half : tensor<?x8xf32>, tensor<f32>
    // CHECK: tc.select %{{.*}} : tensor<?x8xi1>, tensor<?x8xf32>, tensor<f32>
    %6 = tc.select %c, %5, %half : tensor<?x8xi1>, tensor<?x8xf32>, tensor<f32>
    // CHECK: tc.neg
    %7 = tc.neg %6 : tensor<?x8xf32>
    // CHECK: tc.abs
    %8 = tc.abs %7 : tensor<?x8xf32>
    // CHECK: tc.exp
    %9 = tc.exp %8 : tensor<?x8xf32>
    // CHECK: tc.log
    %10 = tc.log %9 : tensor<?x8xf32>
    // CHECK: tc.sqrt
    %11 = tc.sqrt %10 : tensor<?x8xf32>
    // CHECK: tc.rsqrt
    %12 = tc.rsqrt %11 : tensor<?x8xf32>
    // CHECK: tc.tanh
    %13 = tc.tanh %12 : tensor<?x8xf32>
    // CHECK: tc.sigmoid
    %14 = tc.sigmoid %13 : tensor<?x8xf32>
    // CHECK: tc.relu
    %15 = tc.relu %14 : tensor<?x8xf32>
    // CHECK: tc.silu
    %16 = tc.silu %15 : tensor<?x8xf32>
    // CHECK: tc.gelu %{{.*}} approximate_tanh : tensor<?x8xf32>
    %17 = tc.gelu %16 approximate_tanh : tensor<?x8xf32>
    // CHECK: tc.gelu %{{.*}} : tensor<?x8xf32>
    %18 = tc.gelu %17 : tensor<?x8xf32>
    // CHECK: tc.pow %{{.*}}, 2.000000e+00 : tensor<?x8xf32>
    %19 = tc.pow %18, 2.0 : tensor<?x8xf32>
    // CHECK: tc.cast %{{.*}} : tensor<?x8xi32> to tensor<?x8xf32>
    %20 = tc.cast %i : tensor<?x8xi32> to tensor<?x8xf32>
    // CHECK: tc.dropout %{{.*}}, 1.000000e-01 : tensor<?x8xf32>
    %21 = tc.dropout %20, 0.1 : tensor<?x8xf32>
    %m = tc.causal_mask : tensor<8x8xi1>
    // CHECK: tc.masked_fill %{{.*}}, %{{.*}}, 0xFFF0000000000000 : tensor<?x8xf32>, tensor<8xi1>
    %row = tc.slice %m, 0, 0, 1 : tensor<8x8xi1>
    %rowv = tc.reshape %row : tensor<1x8xi1> -> tensor<8xi1>
    %22 = tc.masked_fill %21, %rowv, 0xFFF0000000000000 : tensor<?x8xf32>, tensor<8xi1>
    %23 = tc.add %22, %19 : tensor<?x8xf32>, tensor<?x8xf32>
    return %23 : tensor<?x8xf32>
  }

  // CHECK-LABEL: func.func @reductions
  func.func @reductions(%x: tensor<?x8xf32>, %labels: tensor<?xi64>) -> tensor<f32> {
    // CHECK: tc.sum %{{.*}} [1] keepdim : tensor<?x8xf32>
    %0 = tc.sum %x [1] keepdim : tensor<?x8xf32>
    // CHECK: tc.mean %{{.*}} [0, 1] : tensor<?x8xf32>
    %1 = tc.mean %x [0, 1] : tensor<?x8xf32>
    // CHECK: tc.max %{{.*}} [0] : tensor<?x8xf32>
    %2 = tc.max %x [0] : tensor<?x8xf32>
    // CHECK: tc.min %{{.*}} [1] : tensor<?x8xf32>
    %3 = tc.min %x [1] : tensor<?x8xf32>
    // CHECK: tc.argmax %{{.*}}, 1 keepdim : tensor<?x8xf32>
    %4 = tc.argmax %x, 1 keepdim : tensor<?x8xf32>
    // CHECK: tc.softmax %{{.*}}, 1 : tensor<?x8xf32>
    %5 = tc.softmax %x, 1 : tensor<?x8xf32>
    // CHECK: tc.log_softmax %{{.*}}, 1 : tensor<?x8xf32>
    %6 = tc.log_softmax %5, 1 : tensor<?x8xf32>
    %g = tc.load_param @w : tensor<4x8xf32>
    %g1 = tc.slice %g, 0, 0, 1 : tensor<4x8xf32>
    %gamma = tc.reshape %g1 : tensor<1x8xf32> -> tensor<8xf32>
    // CHECK: tc.layernorm %{{.*}}, %{{.*}}, %{{.*}}, 1.000000e-05 : tensor<?x8xf32>, tensor<8xf32>
    %7 = tc.layernorm %6, %gamma, %gamma, 1.0e-5 : tensor<?x8xf32>, tensor<8xf32>
    // CHECK: tc.rmsnorm %{{.*}}, %{{.*}}, 9.9999999999999995E-7 : tensor<?x8xf32>, tensor<8xf32>
    %8 = tc.rmsnorm %7, %gamma, 1.0e-6 : tensor<?x8xf32>, tensor<8xf32>
    // CHECK: tc.cross_entropy %{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<?xi64>
    %9 = tc.cross_entropy %8, %labels : tensor<?x8xf32>, tensor<?xi64>
    // CHECK: tc.mse %{{.*}}, %{{.*}} : tensor<?x8xf32>
    %10 = tc.mse %8, %x : tensor<?x8xf32>
    %11 = tc.add %9, %10 : tensor<f32>, tensor<f32>
    return %11 : tensor<f32>
  }

  // CHECK-LABEL: func.func @shapes
  func.func @shapes(%x: tensor<?x64x32xf32>, %ids: tensor<?x64xi32>, %n: index) -> tensor<?x64x8xf32> {
    // CHECK: tc.transpose %{{.*}} [0, 2, 1] : tensor<?x64x32xf32>
    %0 = tc.transpose %x [0, 2, 1] : tensor<?x64x32xf32>
    // CHECK: tc.reshape %{{.*}}(%{{.*}}) : tensor<?x32x64xf32> -> tensor<?x64xf32>
    %1 = tc.reshape %0 (%n) : tensor<?x32x64xf32> -> tensor<?x64xf32>
    // CHECK: tc.broadcast_to %{{.*}}(%{{.*}}) : tensor<1x8xf32> -> tensor<?x8xf32>
    %b = tc.constant dense<1.0> : tensor<1x8xf32>
    %2 = tc.broadcast_to %b (%n) : tensor<1x8xf32> -> tensor<?x8xf32>
    // CHECK: tc.concat %{{.*}}, %{{.*}} axis 1 : tensor<?x64xf32>, tensor<?x8xf32>
    %3 = tc.concat %1, %2 axis 1 : tensor<?x64xf32>, tensor<?x8xf32>
    // CHECK: tc.slice %{{.*}}, 1, 64, 72 : tensor<?x72xf32>
    %4 = tc.slice %3, 1, 64, 72 : tensor<?x72xf32>
    %t = tc.load_param @emb : tensor<16x8xf32>
    // CHECK: tc.embedding %{{.*}}, %{{.*}} : tensor<16x8xf32>, tensor<?x64xi32>
    %5 = tc.embedding %t, %ids : tensor<16x8xf32>, tensor<?x64xi32>
    // CHECK: tc.one_hot %{{.*}} : tensor<?x64xi32> to tensor<?x64x10xf32>
    %6 = tc.one_hot %ids : tensor<?x64xi32> to tensor<?x64x10xf32>
    // CHECK: tc.causal_mask(%{{.*}}) : tensor<?x?xi1>
    %7 = tc.causal_mask (%n) : tensor<?x?xi1>
    return %5 : tensor<?x64x8xf32>
  }

  // CHECK-LABEL: func.func @nn
  func.func @nn(%x: tensor<?x1x28x28xf32>, %w: tensor<8x1x3x3xf32>, %b: tensor<8xf32>,
                %q: tensor<?x4x64x16xf32>, %k: tensor<?x4x16x64xf32>) -> tensor<?x8x14x14xf32> {
    // CHECK: tc.matmul %{{.*}}, %{{.*}} : tensor<?x4x64x16xf32>, tensor<?x4x16x64xf32>
    %s = tc.matmul %q, %k : tensor<?x4x64x16xf32>, tensor<?x4x16x64xf32>
    // CHECK: tc.conv2d %{{.*}}, %{{.*}}, %{{.*}} stride [1, 1] padding [1, 1] : tensor<?x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>
    %0 = tc.conv2d %x, %w, %b stride [1, 1] padding [1, 1] : tensor<?x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>
    // CHECK: tc.conv2d %{{.*}}, %{{.*}} stride [2, 2] padding [0, 0] : tensor<?x1x28x28xf32>, tensor<8x1x3x3xf32>
    %1 = tc.conv2d %x, %w stride [2, 2] padding [0, 0] : tensor<?x1x28x28xf32>, tensor<8x1x3x3xf32>
    // CHECK: tc.max_pool2d %{{.*}} kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x8x28x28xf32>
    %2 = tc.max_pool2d %0 kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x8x28x28xf32>
    // CHECK: tc.avg_pool2d %{{.*}} kernel [3, 3] stride [1, 1] padding [1, 1] : tensor<?x8x14x14xf32>
    %3 = tc.avg_pool2d %2 kernel [3, 3] stride [1, 1] padding [1, 1] : tensor<?x8x14x14xf32>
    return %3 : tensor<?x8x14x14xf32>
  }
}
