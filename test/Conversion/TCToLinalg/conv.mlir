// RUN: tensorc-opt %s -convert-tc-to-linalg -split-input-file | FileCheck %s

// A matrix product over gathered windows (ConvGemm.cpp): the gather reads the
// input through tensor.extract with the window clamped and the padding
// selected to 0 (no padded copy), the filter is collapsed to [F, C*KH*KW],
// the product runs over (n, f, P | K), the bias follows on [N, F, P], and
// the result is expanded to NCHW.
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG: #[[COLS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[CHANNEL:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @conv
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK-NOT: tensor.pad
// CHECK: %[[GATHER:.*]] = linalg.generic {indexing_maps = [#[[ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<?x9x196xf32>)
// CHECK: %[[EX:.*]] = tensor.extract %arg0[
// CHECK: arith.select %{{.*}}, %[[EX]], %{{.*}} : f32
// CHECK: %[[WC:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0], [1, 2, 3]] : tensor<32x1x3x3xf32> into tensor<32x9xf32>
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[W]], #[[COLS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[WC]], %[[GATHER]] : tensor<32x9xf32>, tensor<?x9x196xf32>) outs(%{{.*}} : tensor<?x32x196xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[B:.*]] = linalg.generic {indexing_maps = [#[[ID3]], #[[CHANNEL]], #[[ID3]]], {{.*}} ins(%[[P]], %arg2 : tensor<?x32x196xf32>, tensor<32xf32>)
// CHECK: %[[Y:.*]] = tensor.expand_shape %[[B]] {{\[\[}}0], [1], [2, 3]] output_shape [%[[N]], 32, 14, 14]
// CHECK: return %[[Y]]
func.func @conv(%x: tensor<?x1x28x28xf32>, %w: tensor<32x1x3x3xf32>, %b: tensor<32xf32>) -> tensor<?x32x14x14xf32> {
  %0 = tc.conv2d %x, %w, %b stride [2, 2] padding [1, 1] : tensor<?x1x28x28xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>
  return %0 : tensor<?x32x14x14xf32>
}

// -----

// No padding, no bias: the product alone, f32 accumulation for f16.
// CHECK-LABEL: func.func @conv_half
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x27x36xf16>)
// CHECK: %[[P:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<4x27xf16>, tensor<2x27x36xf16>) outs(%{{.*}} : tensor<2x4x36xf32>)
// CHECK: arith.extf
// CHECK: %[[E:.*]] = tensor.expand_shape %[[P]]
// CHECK: linalg.generic {{.*}} ins(%[[E]] : tensor<2x4x6x6xf32>) outs(%{{.*}} : tensor<2x4x6x6xf16>)
// CHECK: arith.truncf
// CHECK-LABEL: func.func @conv_plain
// CHECK: %[[P:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK: %[[E:.*]] = tensor.expand_shape %[[P]]
// CHECK-NEXT: return %[[E]]
func.func @conv_half(%x: tensor<2x3x8x8xf16>, %w: tensor<4x3x3x3xf16>) -> tensor<2x4x6x6xf16> {
  %0 = tc.conv2d %x, %w stride [1, 1] padding [0, 0] : tensor<2x3x8x8xf16>, tensor<4x3x3x3xf16>
  return %0 : tensor<2x4x6x6xf16>
}
func.func @conv_plain(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x4x6x6xf32> {
  %0 = tc.conv2d %x, %w stride [1, 1] padding [0, 0] : tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>
  return %0 : tensor<2x4x6x6xf32>
}

// -----

// The gradients are products too. Input: the filter gathered to
// [C, F*KH*KW], the gradient gathered to [N, F*KH*KW, H*W] with the output
// position (h + p - kh) / s taken only where the stride divides it; filter:
// the gradient gathered to [F, N*OH*OW] times the input's windows
// [N*OH*OW, C*KH*KW], a linalg.matmul.
// CHECK-LABEL: func.func @grads
// CHECK: %[[WT:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<3x36xf32>)
// CHECK: tensor.extract %arg1[
// CHECK: %[[GC:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<?x36x64xf32>)
// CHECK: arith.remsi
// CHECK: arith.divsi
// CHECK: tensor.extract %arg2[
// CHECK: %[[DX:.*]] = linalg.generic {{.*}} ins(%[[WT]], %[[GC]] : tensor<3x36xf32>, tensor<?x36x64xf32>) outs(%{{.*}} : tensor<?x3x64xf32>)
// CHECK: tensor.expand_shape %[[DX]] {{\[\[}}0], [1], [2, 3]] output_shape [%{{.*}}, 3, 8, 8]
// CHECK: %[[GT:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<4x?xf32>)
// CHECK: %[[COLS:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<?x27xf32>)
// CHECK: %[[DW:.*]] = linalg.matmul ins(%[[GT]], %[[COLS]] : tensor<4x?xf32>, tensor<?x27xf32>) outs(%{{.*}} : tensor<4x27xf32>)
// CHECK: tensor.expand_shape %[[DW]] {{\[\[}}0], [1, 2, 3]] output_shape [4, 3, 3, 3]
func.func @grads(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %g: tensor<?x4x4x4xf32>) -> (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>) {
  %0 = tc.conv2d_input_grad %g, %w stride [2, 2] padding [1, 1] : tensor<?x4x4x4xf32>, tensor<4x3x3x3xf32> -> tensor<?x3x8x8xf32>
  %1 = tc.conv2d_filter_grad %x, %g stride [2, 2] padding [1, 1] : tensor<?x3x8x8xf32>, tensor<?x4x4x4xf32> -> tensor<4x3x3x3xf32>
  return %0, %1 : tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>
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
// CHECK: tensor.empty(%[[N]], %[[O]]) : tensor<?x?x4xf32>
// CHECK: tensor.expand_shape %{{.*}} output_shape [%[[N]], %[[O]], 2, 2] : tensor<?x?x4xf32> into tensor<?x?x2x2xf32>
// CHECK: %[[C:.*]] = tensor.dim %arg2, %c1
// CHECK: tensor.empty(%{{.*}}, %[[C]]) : tensor<?x?x2x2xf32>
// CHECK: linalg.pooling_nchw_sum
func.func @dynamic_channels(%x: tensor<?x3x4x4xf32>, %w: tensor<?x3x3x3xf32>, %y: tensor<?x?x4x4xf32>) -> (tensor<?x?x2x2xf32>, tensor<?x?x2x2xf32>) {
  %0 = tc.conv2d %x, %w stride [1, 1] padding [0, 0] : tensor<?x3x4x4xf32>, tensor<?x3x3x3xf32>
  %1 = tc.avg_pool2d %y kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x?x4x4xf32>
  return %0, %1 : tensor<?x?x2x2xf32>, tensor<?x?x2x2xf32>
}
