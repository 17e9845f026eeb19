//===- TCNNOps.td - Matrix products, convolution, pooling ---*- tablegen -*-===//

#ifndef TC_NN_OPS
#define TC_NN_OPS

def TC_MatMulOp : TC_Op<"matmul", [Pure, InferTypeOpAdaptor]> {
  let summary = "Matrix product, batched over broadcast leading dims";
  let description = [{
    ```mlir
    %y = tc.matmul %x, %w : tensor<?x784xf32>, tensor<784x256xf32>
    %s = tc.matmul %q, %k : tensor<?x4x64x32xf32>, tensor<?x4x32x64xf32>
    ```
    `[..., M, K] x [..., K, N] -> [..., M, N]` (`torch.matmul` for rank >= 2).
  }];
  let arguments = (ins TC_FloatTensor:$lhs, TC_FloatTensor:$rhs);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def TC_Conv2dOp : TC_Op<"conv2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "2-D convolution, NCHW input and OIHW weights";
  let description = [{
    ```mlir
    %y = tc.conv2d %x, %w, %b stride [1, 1] padding [1, 1]
           : tensor<?x1x28x28xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>
    ```
    Cross-correlation like `torch.nn.functional.conv2d`, zero padding, no
    dilation or groups; the bias is optional.
  }];
  let arguments = (ins TC_FloatTensor:$input, TC_FloatTensor:$filter,
                       Optional<TC_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? `stride` $stride `padding` $padding
    attr-dict `:` type($input) `,` type($filter) (`,` type($bias)^)?
  }];
}

class TC_Pool2dOp<string mnemonic> : TC_Op<mnemonic, [Pure,
    InferTypeOpAdaptor]> {
  let arguments = (ins TC_FloatTensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat = [{
    $input `kernel` $kernel `stride` $stride `padding` $padding attr-dict `:`
    type($input)
  }];
}

def TC_MaxPool2dOp : TC_Pool2dOp<"max_pool2d"> {
  let summary = "2-D max pooling over NCHW (padding never wins)";
  let description = [{
    ```mlir
    %p = tc.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x32x28x28xf32>
    ```
  }];
}
def TC_AvgPool2dOp : TC_Pool2dOp<"avg_pool2d"> {
  let summary = "2-D average pooling over NCHW (padded zeros are counted)";
}

#endif // TC_NN_OPS
