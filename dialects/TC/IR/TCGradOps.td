//===- TCGradOps.td - Gradients that no other op expresses --*- tablegen -*-===//
//
// `tc-autodiff` writes most gradients with the forward ops (a matmul's
// gradient is two matmuls). These ops are the rest: convolution and pooling
// gradients, which read their operands through windows running backwards,
// and gelu's derivative. Each lowers to one linalg.generic.
//
//===----------------------------------------------------------------------===//

#ifndef TC_GRAD_OPS
#define TC_GRAD_OPS

def TC_Conv2dInputGradOp : TC_Op<"conv2d_input_grad", [Pure]> {
  let summary = "Gradient of conv2d with respect to its input";
  let description = [{
    ```mlir
    %dx = tc.conv2d_input_grad %g, %w stride [1, 1] padding [1, 1]
            : tensor<?x32x28x28xf32>, tensor<32x1x3x3xf32> -> tensor<?x1x28x28xf32>
    ```
    `dx[n, c, h, w] = sum over f, kh, kw of g[n, f, oh, ow] * w[f, c, kh, kw]`
    where `h = oh * stride + kh - padding` (and so for w): the transposed
    convolution. The result type gives the input's spatial size.
  }];
  let arguments = (ins TC_FloatTensor:$grad, TC_FloatTensor:$filter,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat = [{
    $grad `,` $filter `stride` $stride `padding` $padding attr-dict `:`
    type($grad) `,` type($filter) `->` type($result)
  }];
}

def TC_Conv2dFilterGradOp : TC_Op<"conv2d_filter_grad", [Pure]> {
  let summary = "Gradient of conv2d with respect to its filter";
  let description = [{
    ```mlir
    %dw = tc.conv2d_filter_grad %x, %g stride [1, 1] padding [1, 1]
            : tensor<?x1x28x28xf32>, tensor<?x32x28x28xf32> -> tensor<32x1x3x3xf32>
    ```
    `dw[f, c, kh, kw] = sum over n, oh, ow of x[n, c, h, w] * g[n, f, oh, ow]`
    with `h = oh * stride + kh - padding`, zero outside the input.
  }];
  let arguments = (ins TC_FloatTensor:$input, TC_FloatTensor:$grad,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $grad `stride` $stride `padding` $padding attr-dict `:`
    type($input) `,` type($grad) `->` type($result)
  }];
}

def TC_MaxPool2dGradOp : TC_Op<"max_pool2d_grad", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "Gradient of max_pool2d with respect to its input";
  let description = [{
    ```mlir
    %dx = tc.max_pool2d_grad %x, %y, %g kernel [2, 2] stride [2, 2] padding [0, 0]
            : tensor<?x32x28x28xf32>, tensor<?x32x14x14xf32>, tensor<?x32x14x14xf32>
    ```
    Each window's gradient goes to the first element (in row-major order)
    equal to the window's maximum `y`, as PyTorch's: a window that holds
    its maximum twice (a constant region) sends it to one of them.
  }];
  let arguments = (ins TC_FloatTensor:$input, TC_FloatTensor:$output,
                       TC_FloatTensor:$grad, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $output `,` $grad `kernel` $kernel `stride` $stride `padding`
    $padding attr-dict `:` type($input) `,` type($output) `,` type($grad)
  }];
}

def TC_AvgPool2dGradOp : TC_Op<"avg_pool2d_grad", [Pure]> {
  let summary = "Gradient of avg_pool2d with respect to its input";
  let description = [{
    ```mlir
    %dx = tc.avg_pool2d_grad %g kernel [2, 2] stride [2, 2] padding [0, 0]
            : tensor<?x32x14x14xf32> -> tensor<?x32x28x28xf32>
    ```
    Each window's gradient divided by the window's area (padded zeros
    count, as in avg_pool2d) goes to every element of the window.
  }];
  let arguments = (ins TC_FloatTensor:$grad, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat = [{
    $grad `kernel` $kernel `stride` $stride `padding` $padding attr-dict `:`
    type($grad) `->` type($result)
  }];
}

def TC_GeluGradOp : TC_Op<"gelu_grad", [Pure, SameOperandsAndResultType]> {
  let summary = "g times the derivative of gelu at x";
  let description = [{
    ```mlir
    %dx = tc.gelu_grad %x, %g approximate_tanh : tensor<?x512xf32>
    ```
    The derivative of `torch.nn.functional.gelu` (exact or tanh form).
  }];
  let arguments = (ins TC_FloatTensor:$input, TC_FloatTensor:$grad,
                       UnitAttr:$approximate_tanh);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat =
      "$input `,` $grad (`approximate_tanh` $approximate_tanh^)? attr-dict `:` type($input)";
}

#endif // TC_GRAD_OPS
