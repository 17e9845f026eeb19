// RUN: tensorc-opt %s -convert-tc-to-linalg -split-input-file | FileCheck %s

// Zero padding with tensor.pad, the named convolution, then the bias as an
// elementwise generic over the channel dim.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CHANNEL:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @conv
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK-NEXT: ^bb0
// CHECK-NEXT: tensor.yield %[[ZERO]] : f32
// CHECK-NEXT: } : tensor<?x1x28x28xf32> to tensor<?x1x30x30xf32>
// CHECK: %[[F:.*]] = linalg.fill {{.*}} outs(%{{.*}} : tensor<?x32x14x14xf32>)
// CHECK: %[[C:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %arg1 : tensor<?x1x30x30xf32>, tensor<32x1x3x3xf32>) outs(%[[F]] : tensor<?x32x14x14xf32>)
// CHECK: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x32x14x14xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CHANNEL]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[C]], %arg2 : tensor<?x32x14x14xf32>, tensor<32xf32>) outs(%[[E]]
// CHECK: arith.addf
func.func @conv(%x: tensor<?x1x28x28xf32>, %w: tensor<32x1x3x3xf32>, %b: tensor<32xf32>) -> tensor<?x32x14x14xf32> {
  %0 = tc.conv2d %x, %w, %b stride [2, 2] padding [1, 1] : tensor<?x1x28x28xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>
  return %0 : tensor<?x32x14x14xf32>
}

// -----

// No padding, no bias: the convolution alone, f32 accumulation for f16.
// CHECK-LABEL: func.func @conv_half
// CHECK-NOT: tensor.pad
// CHECK: %[[C:.*]] = linalg.conv_2d_nchw_fchw {{.*}} ins(%arg0, %arg1 : tensor<2x3x8x8xf16>, tensor<4x3x3x3xf16>) outs(%{{.*}} : tensor<2x4x6x6xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[C]] : tensor<2x4x6x6xf32>) outs(%{{.*}} : tensor<2x4x6x6xf16>)
// CHECK: arith.truncf
// CHECK-LABEL: func.func @conv_plain
// CHECK: %[[C:.*]] = linalg.conv_2d_nchw_fchw
// CHECK-NOT: linalg.generic
// CHECK: return %[[C]]
func.func @conv_half(%x: tensor<2x3x8x8xf16>, %w: tensor<4x3x3x3xf16>) -> tensor<2x4x6x6xf16> {
  %0 = tc.conv2d %x, %w stride [1, 1] padding [0, 0] : tensor<2x3x8x8xf16>, tensor<4x3x3x3xf16>
  return %0 : tensor<2x4x6x6xf16>
}
func.func @conv_plain(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x4x6x6xf32> {
  %0 = tc.conv2d %x, %w stride [1, 1] padding [0, 0] : tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>
  return %0 : tensor<2x4x6x6xf32>
}

// -----

// Max pooling pads with -inf and starts from -inf; the window operand only
// carries the kernel shape.
// CHECK-LABEL: func.func @maxpool
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NINF]] : f32
// CHECK: %[[INIT:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[F:.*]] = linalg.fill ins(%[[INIT]] : f32)
// CHECK: %[[W:.*]] = tensor.empty() : tensor<3x2xf32>
// CHECK: %[[P:.*]] = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%[[PAD]], %[[W]] : tensor<?x32x30x30xf32>, tensor<3x2xf32>) outs(%[[F]] : tensor<?x32x14x29xf32>)
// CHECK-NEXT: return %[[P]]
func.func @maxpool(%x: tensor<?x32x28x28xf32>) -> tensor<?x32x14x29xf32> {
  %0 = tc.max_pool2d %x kernel [3, 2] stride [2, 1] padding [1, 1] : tensor<?x32x28x28xf32>
  return %0 : tensor<?x32x14x29xf32>
}

// -----

// Average pooling sums the zero-padded input and divides by KH * KW (padded
// zeros count, as in PyTorch).
// CHECK-LABEL: func.func @avgpool
// CHECK: tensor.pad
// CHECK: %[[S:.*]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<?x2x7x7xf32>, tensor<3x3xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[S]] : tensor<?x2x3x3xf32>)
// CHECK: %[[AREA:.*]] = arith.constant 9.000000e+00 : f32
// CHECK-NEXT: arith.divf %in, %[[AREA]]
func.func @avgpool(%x: tensor<?x2x5x5xf32>) -> tensor<?x2x3x3xf32> {
  %0 = tc.avg_pool2d %x kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<?x2x5x5xf32>
  return %0 : tensor<?x2x3x3xf32>
}

// -----

// Dynamic channel counts size the results from the filter (conv) or the input
// (pooling).
// CHECK-LABEL: func.func @dynamic_channels
// CHECK-DAG: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK-DAG: %[[O:.*]] = tensor.dim %arg1, %c0
// CHECK: tensor.empty(%[[N]], %[[O]]) : tensor<?x?x2x2xf32>
// CHECK: linalg.conv_2d_nchw_fchw
// CHECK: %[[C:.*]] = tensor.dim %arg2, %c1
// CHECK: tensor.empty(%{{.*}}, %[[C]]) : tensor<?x?x2x2xf32>
// CHECK: linalg.pooling_nchw_sum
func.func @dynamic_channels(%x: tensor<?x3x4x4xf32>, %w: tensor<?x3x3x3xf32>, %y: tensor<?x?x4x4xf32>) -> (tensor<?x?x2x2xf32>, tensor<?x?x2x2xf32>) {
  %0 = tc.conv2d %x, %w stride [1, 1] padding [0, 0] : tensor<?x3x4x4xf32>, tensor<?x3x3x3xf32>
  %1 = tc.avg_pool2d %y kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x?x4x4xf32>
  return %0, %1 : tensor<?x?x2x2xf32>, tensor<?x?x2x2xf32>
}
