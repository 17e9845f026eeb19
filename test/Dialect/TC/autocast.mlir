// RUN: tensorc-opt %s -tc-autocast=precision=bf16 -split-input-file | FileCheck %s
// RUN: tensorc-opt %s -tc-autocast=precision=f16 -split-input-file | FileCheck %s --check-prefix=F16
// RUN: tensorc-opt %s -tc-autocast -split-input-file | FileCheck %s --check-prefix=F32
// RUN: not tensorc-opt %s -tc-autocast=precision=f8 2>&1 | FileCheck %s --check-prefix=BAD

// An f32 product: 16-bit operands, the result rounded once and cast back.
// CHECK: module attributes {tc.precision = "bf16"}
// CHECK-LABEL: func.func @dense
// CHECK: %[[X:.*]] = tc.cast %arg0 : tensor<?x4xf32> to tensor<?x4xbf16>
// CHECK: %[[W:.*]] = tc.cast %arg1 : tensor<4x3xf32> to tensor<4x3xbf16>
// CHECK: %[[Y:.*]] = tc.matmul %[[X]], %[[W]] : tensor<?x4xbf16>, tensor<4x3xbf16>
// CHECK: %[[Y32:.*]] = tc.cast %[[Y]] : tensor<?x3xbf16> to tensor<?x3xf32>
// Everything else stays f32.
// CHECK: %[[R:.*]] = tc.relu %[[Y32]] : tensor<?x3xf32>
// CHECK: return %[[R]]
// F16: module attributes {tc.precision = "f16"}
// F16: tc.matmul %{{.*}}, %{{.*}} : tensor<?x4xf16>, tensor<4x3xf16>
// F32-NOT: tc.precision
// F32-NOT: tc.cast
// BAD: error: unknown precision 'f8': use f32, bf16 or f16
func.func @dense(%x: tensor<?x4xf32>, %w: tensor<4x3xf32>) -> tensor<?x3xf32> {
  %y = tc.matmul %x, %w : tensor<?x4xf32>, tensor<4x3xf32>
  %r = tc.relu %y : tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}

// -----

// A convolution: input, filter and bias in 16 bits.
// CHECK-LABEL: func.func @conv
// CHECK-COUNT-3: tc.cast %{{.*}} to tensor<{{.*}}xbf16>
// CHECK: tc.conv2d %{{.*}}, %{{.*}}, %{{.*}} stride [1, 1] padding [1, 1] : tensor<?x1x8x8xbf16>, tensor<4x1x3x3xbf16>, tensor<4xbf16>
// CHECK: tc.cast %{{.*}} : tensor<?x4x8x8xbf16> to tensor<?x4x8x8xf32>
func.func @conv(%x: tensor<?x1x8x8xf32>, %w: tensor<4x1x3x3xf32>, %b: tensor<4xf32>) -> tensor<?x4x8x8xf32> {
  %y = tc.conv2d %x, %w, %b stride [1, 1] padding [1, 1] : tensor<?x1x8x8xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>
  return %y : tensor<?x4x8x8xf32>
}

// -----

// Must not change: products the model wrote in 16 bits or in f64.
// CHECK-LABEL: func.func @kept
// CHECK-NOT: tc.cast
// CHECK: tc.matmul %arg0, %arg1 : tensor<2x4xbf16>, tensor<4x3xbf16>
// CHECK: tc.matmul %arg2, %arg3 : tensor<2x4xf64>, tensor<4x3xf64>
func.func @kept(%a: tensor<2x4xbf16>, %b: tensor<4x3xbf16>, %c: tensor<2x4xf64>, %d: tensor<4x3xf64>) -> (tensor<2x3xbf16>, tensor<2x3xf64>) {
  %y = tc.matmul %a, %b : tensor<2x4xbf16>, tensor<4x3xbf16>
  %z = tc.matmul %c, %d : tensor<2x4xf64>, tensor<4x3xf64>
  return %y, %z : tensor<2x3xbf16>, tensor<2x3xf64>
}
