// RUN: tensorc-opt %s -convert-tc-to-linalg -split-input-file -verify-diagnostics

// A parameter still read with tc.load_param: the pipeline skipped
// tc-params-to-arguments.
tc.param @w : tensor<4x8xf32> = zeros
func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x8xf32> {
  // expected-error @+1 {{parameter @w is still read with tc.load_param; run tc-params-to-arguments before convert-tc-to-linalg}}
  %w = tc.load_param @w : tensor<4x8xf32>
  %y = tc.matmul %x, %w : tensor<?x4xf32>, tensor<4x8xf32>
  return %y : tensor<?x8xf32>
}
