//===- TCElementwiseOps.td - Elementwise tc operations ------*- tablegen -*-===//

#ifndef TC_ELEMENTWISE_OPS
#define TC_ELEMENTWISE_OPS

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def TC_ConstantOp : TC_Op<"constant", [ConstantLike, Pure,
    AllTypesMatch<["value", "result"]>]> {
  let summary = "A constant tensor";
  let description = [{
    ```mlir
    %half = tc.constant dense<5.000000e-01> : tensor<f32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs TC_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Broadcasting binary operations
//===----------------------------------------------------------------------===//

// Operands broadcast with NumPy's rules, where only static dims of size 1
// stretch; the result type is inferred.
class TC_BroadcastBinaryOp<string mnemonic, Type operandType,
                           list<Trait> traits = []>
    : TC_Op<mnemonic, traits # [Pure, InferTypeOpAdaptor]> {
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs TC_Tensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def TC_AddOp : TC_BroadcastBinaryOp<"add", TC_NumTensor, [Commutative]> {
  let summary = "Elementwise addition with broadcasting";
  let description = [{
    ```mlir
    %y = tc.add %x, %b : tensor<?x256xf32>, tensor<256xf32>
    ```
  }];
  let hasFolder = 1;
}
def TC_SubOp : TC_BroadcastBinaryOp<"sub", TC_NumTensor> {
  let summary = "Elementwise subtraction with broadcasting";
  let hasFolder = 1;
}
def TC_MulOp : TC_BroadcastBinaryOp<"mul", TC_NumTensor, [Commutative]> {
  let summary = "Elementwise multiplication with broadcasting";
  let hasFolder = 1;
}
def TC_DivOp : TC_BroadcastBinaryOp<"div", TC_NumTensor> {
  let summary = "Elementwise division with broadcasting";
  let description = [{
    Integer division truncates towards zero.
  }];
  let hasFolder = 1;
}
def TC_MaximumOp : TC_BroadcastBinaryOp<"maximum", TC_NumTensor,
                                        [Commutative]> {
  let summary = "Elementwise maximum with broadcasting (NaN propagates)";
}
def TC_MinimumOp : TC_BroadcastBinaryOp<"minimum", TC_NumTensor,
                                        [Commutative]> {
  let summary = "Elementwise minimum with broadcasting (NaN propagates)";
}

def TC_CmpOp : TC_Op<"cmp", [Pure, InferTypeOpAdaptor]> {
  let summary = "Elementwise comparison with broadcasting";
  let description = [{
    ```mlir
    %m = tc.cmp gt, %x, %zero : tensor<?x10xf32>, tensor<f32>
    ```
    The result is a `bool` (`i1`) tensor of the broadcast shape. Float
    comparisons are ordered (false when an operand is NaN), except `ne`.
  }];
  let arguments = (ins TC_CmpPredicate:$predicate, TC_Tensor:$lhs,
                       TC_Tensor:$rhs);
  let results = (outs TC_BoolTensor:$result);
  let assemblyFormat =
      "$predicate `,` $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def TC_SelectOp : TC_Op<"select", [Pure, InferTypeOpAdaptor]> {
  let summary = "Elementwise choice with broadcasting (`where`)";
  let description = [{
    ```mlir
    %r = tc.select %c, %a, %b : tensor<?x10xi1>, tensor<?x10xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins TC_BoolTensor:$condition, TC_Tensor:$true_value,
                       TC_Tensor:$false_value);
  let results = (outs TC_Tensor:$result);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict `:`
    type($condition) `,` type($true_value) `,` type($false_value)
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Unary operations
//===----------------------------------------------------------------------===//

class TC_UnaryOp<string mnemonic, Type operandType, list<Trait> traits = []>
    : TC_Op<mnemonic, traits # [Pure, SameOperandsAndResultType]> {
  let arguments = (ins operandType:$input);
  let results = (outs operandType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def TC_NegOp : TC_UnaryOp<"neg", TC_NumTensor> {
  let summary = "Elementwise negation";
  let hasFolder = 1;
}
def TC_AbsOp : TC_UnaryOp<"abs", TC_NumTensor> {
  let summary = "Elementwise absolute value";
  let hasFolder = 1;
}
def TC_ExpOp : TC_UnaryOp<"exp", TC_FloatTensor> {
  let summary = "Elementwise e^x";
  let hasFolder = 1;
}
def TC_LogOp : TC_UnaryOp<"log", TC_FloatTensor> {
  let summary = "Elementwise natural logarithm";
  let hasFolder = 1;
}
def TC_SqrtOp : TC_UnaryOp<"sqrt", TC_FloatTensor> {
  let summary = "Elementwise square root";
  let hasFolder = 1;
}
def TC_RsqrtOp : TC_UnaryOp<"rsqrt", TC_FloatTensor> {
  let summary = "Elementwise reciprocal square root";
}
def TC_TanhOp : TC_UnaryOp<"tanh", TC_FloatTensor> {
  let summary = "Elementwise hyperbolic tangent";
}
def TC_SigmoidOp : TC_UnaryOp<"sigmoid", TC_FloatTensor> {
  let summary = "Elementwise logistic function 1 / (1 + e^-x)";
}
def TC_ReluOp : TC_UnaryOp<"relu", TC_FloatTensor> {
  let summary = "Elementwise max(x, 0)";
  let hasFolder = 1;
}
def TC_SiluOp : TC_UnaryOp<"silu", TC_FloatTensor> {
  let summary = "Elementwise x * sigmoid(x)";
}
def TC_GeluOp : TC_UnaryOp<"gelu", TC_FloatTensor> {
  let summary = "Elementwise GELU, exact (erf) or tanh-approximated";
  let description = [{
    ```mlir
    %y = tc.gelu %x approximate_tanh : tensor<?x512xf32>
    ```
    Matches `torch.nn.functional.gelu(x, approximate="tanh")` when
    `approximate_tanh` is present and the erf form otherwise.
  }];
  let arguments = (ins TC_FloatTensor:$input, UnitAttr:$approximate_tanh);
  let assemblyFormat =
      "$input (`approximate_tanh` $approximate_tanh^)? attr-dict `:` type($input)";
}
def TC_PowOp : TC_Op<"pow", [Pure, SameOperandsAndResultType]> {
  let summary = "Elementwise x^exponent for a constant exponent";
  let description = [{
    ```mlir
    %y = tc.pow %x, 2.0 : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins TC_FloatTensor:$input, F64Attr:$exponent);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat = "$input `,` $exponent attr-dict `:` type($input)";
  let hasFolder = 1;
}

def TC_CastOp : TC_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "Elementwise conversion of the element type";
  let description = [{
    ```mlir
    %f = tc.cast %labels : tensor<?xi32> to tensor<?xf32>
    ```
    Float to integer truncates towards zero; to `bool` tests `!= 0`.
  }];
  let arguments = (ins TC_Tensor:$input);
  let results = (outs TC_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
  let hasFolder = 1;
}

def TC_DropoutOp : TC_Op<"dropout", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "Zeroes elements with probability p, scaling the rest";
  let description = [{
    ```mlir
    %y = tc.dropout %x, 1.000000e-01 : tensor<?x128xf32>
    %z = tc.dropout %x, 1.000000e-01 key(%seed, %step : tensor<i32>, tensor<i32>) {site = 2 : i64} : tensor<?x128xf32>
    ```
    Without a key it is the identity (evaluation and inference). With a key
    (`seed`, `step`), as tc-autodiff gives the dropouts of the trained
    function, element `i` (row-major) is kept, and scaled by `1 / (1 - p)`,
    when word 0 of Philox4x32-10 with counter `(lo32(i), hi32(i), step, 0)`
    and key `(seed, site)` is at least `p * 2^32`, else it is zeroed. The mask
    is a pure function of (seed, step, site, i): the gradient is the same op
    applied to the result's gradient, which regenerates the mask.
  }];
  let arguments = (ins TC_FloatTensor:$input, F64Attr:$p,
                       Variadic<0DTensorOf<[I32]>>:$key,
                       DefaultValuedAttr<I64Attr, "0">:$site);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $p (`key` `(` $key^ `:` type($key) `)`)? attr-dict `:`
    type($input)
  }];
  let builders = [
    OpBuilder<(ins "mlir::Value":$input, "double":$p), [{
      build($_builder, $_state, input.getType(), input,
            $_builder.getF64FloatAttr(p), mlir::ValueRange{}, 0);
    }]>
  ];
  let extraClassDeclaration = [{
    /// Whether the op draws a mask (training) rather than being the identity.
    bool isKeyed() { return !getKey().empty(); }
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def TC_MaskedFillOp : TC_Op<"masked_fill", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "Replaces the elements where a broadcast mask is true";
  let description = [{
    ```mlir
    %y = tc.masked_fill %scores, %mask, 0xFF800000 : tensor<?x4x64x64xf32>, tensor<64x64xi1>
    ```
    The mask broadcasts to the input's shape.
  }];
  let arguments = (ins TC_Tensor:$input, TC_BoolTensor:$mask, F64Attr:$value);
  let results = (outs TC_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $mask `,` $value attr-dict `:` type($input) `,` type($mask)
  }];
  let hasVerifier = 1;
}

#endif // TC_ELEMENTWISE_OPS
