//===- TCReductionOps.td - Reductions and row-wise ops ------*- tablegen -*-===//

#ifndef TC_REDUCTION_OPS
#define TC_REDUCTION_OPS

// Reduces over `axes` (sorted, unique, in range); the reduced dims are kept
// as size 1 with `keepdim`, dropped otherwise.
class TC_ReduceOp<string mnemonic, Type operandType>
    : TC_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let arguments = (ins operandType:$input, DenseI64ArrayAttr:$axes,
                       UnitAttr:$keepdim);
  let results = (outs operandType:$result);
  let assemblyFormat =
      "$input $axes (`keepdim` $keepdim^)? attr-dict `:` type($input)";
  let hasFolder = 1;
}

def TC_SumOp : TC_ReduceOp<"sum", TC_NumTensor> {
  let summary = "Sum over axes";
  let description = [{
    ```mlir
    %s = tc.sum %x [1] keepdim : tensor<?x10xf32>
    ```
  }];
}
def TC_MeanOp : TC_ReduceOp<"mean", TC_FloatTensor> {
  let summary = "Arithmetic mean over axes";
}
def TC_MaxOp : TC_ReduceOp<"max", TC_NumTensor> {
  let summary = "Maximum over axes";
}
def TC_MinOp : TC_ReduceOp<"min", TC_NumTensor> {
  let summary = "Minimum over axes";
}

def TC_ArgmaxOp : TC_Op<"argmax", [Pure, InferTypeOpAdaptor]> {
  let summary = "Index of the maximum along an axis (first on ties)";
  let description = [{
    ```mlir
    %cls = tc.argmax %logits, 1 : tensor<?x10xf32>
    ```
    The result is `i64`, like `torch.argmax`.
  }];
  let arguments = (ins TC_NumTensor:$input, I64Attr:$axis, UnitAttr:$keepdim);
  let results = (outs RankedTensorOf<[I64]>:$result);
  let assemblyFormat =
      "$input `,` $axis (`keepdim` $keepdim^)? attr-dict `:` type($input)";
}

class TC_AxisOp<string mnemonic> : TC_Op<mnemonic, [Pure,
    SameOperandsAndResultType]> {
  let arguments = (ins TC_FloatTensor:$input, I64Attr:$axis);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat = "$input `,` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def TC_SoftmaxOp : TC_AxisOp<"softmax"> {
  let summary = "exp(x - max) / sum(exp(x - max)) along an axis";
  let description = [{
    ```mlir
    %p = tc.softmax %x, 1 : tensor<?x10xf32>
    ```
  }];
}
def TC_LogSoftmaxOp : TC_AxisOp<"log_softmax"> {
  let summary = "x - max - log(sum(exp(x - max))) along an axis";
}

def TC_LayerNormOp : TC_Op<"layernorm", [Pure,
    AllTypesMatch<["input", "result"]>, AllTypesMatch<["gamma", "beta"]>]> {
  let summary = "Layer normalization over the trailing dims of gamma's shape";
  let description = [{
    ```mlir
    %y = tc.layernorm %x, %g, %b, 1.000000e-05 : tensor<?x64x128xf32>, tensor<128xf32>
    ```
    `(x - mean) / sqrt(var + eps) * gamma + beta` with the biased variance,
    over the last `rank(gamma)` dims, like `torch.nn.functional.layer_norm`.
  }];
  let arguments = (ins TC_FloatTensor:$input, TC_FloatTensor:$gamma,
                       TC_FloatTensor:$beta, F64Attr:$eps);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta `,` $eps attr-dict `:` type($input) `,`
    type($gamma)
  }];
  let hasVerifier = 1;
}

def TC_RmsNormOp : TC_Op<"rmsnorm", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "RMS normalization over the trailing dims of gamma's shape";
  let description = [{
    ```mlir
    %y = tc.rmsnorm %x, %g, 1.000000e-06 : tensor<?x128xf32>, tensor<128xf32>
    ```
    `x * rsqrt(mean(x^2) + eps) * gamma`.
  }];
  let arguments = (ins TC_FloatTensor:$input, TC_FloatTensor:$gamma,
                       F64Attr:$eps);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $gamma `,` $eps attr-dict `:` type($input) `,` type($gamma)
  }];
  let hasVerifier = 1;
}

def TC_CrossEntropyOp : TC_Op<"cross_entropy", [Pure, InferTypeOpAdaptor]> {
  let summary = "Mean negative log-likelihood of integer labels";
  let description = [{
    ```mlir
    %l = tc.cross_entropy %logits, %labels : tensor<?x10xf32>, tensor<?xi32>
    ```
    `mean_n(-log_softmax(logits)[n, labels[n]])`, like
    `torch.nn.functional.cross_entropy` with integer targets. Labels outside
    `[0, C)` make the result NaN.
  }];
  let arguments = (ins TC_FloatTensor:$logits, TC_IntTensor:$labels);
  let results = (outs TC_FloatScalar:$result);
  let assemblyFormat =
      "$logits `,` $labels attr-dict `:` type($logits) `,` type($labels)";
}

def TC_MseOp : TC_Op<"mse", [Pure, InferTypeOpAdaptor,
    AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "Mean squared difference";
  let description = [{
    ```mlir
    %l = tc.mse %pred, %target : tensor<?x1xf32>
    ```
  }];
  let arguments = (ins TC_FloatTensor:$lhs, TC_FloatTensor:$rhs);
  let results = (outs TC_FloatScalar:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs)";
}

#endif // TC_REDUCTION_OPS
