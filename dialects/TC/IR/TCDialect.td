//===- TCDialect.td - The tc dialect ------------------------*- tablegen -*-===//

#ifndef TC_DIALECT
#define TC_DIALECT

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def TC_Dialect : Dialect {
  let name = "tc";
  let cppNamespace = "::tensorc::tc";
  let summary = "The tensor operations of the .tdsl language";
  let description = [{
    `tc` holds one operation per operator and builtin of the `.tdsl` language,
    on ranked tensors with static or dynamic (`?`) dims. Dynamic dims are the
    model's symbolic sizes (`dim B`); operations never broadcast a dynamic dim
    (only static dims of size 1 broadcast), so every shape decision is made at
    compile time. Operations are pure and carry the `.tdsl` location they came
    from.

    Parameters are module-level symbols (`tc.param`) read with
    `tc.load_param`. Function arguments carry `tc.name` and `tc.dims`
    attributes naming the argument and each of its dims (`["B", 784]`).
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
  let hasConstantMaterializer = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
  let hasOperationAttrVerify = 1;
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def TC_CmpPredicate : I32EnumAttr<"CmpPredicate", "comparison predicate", [
    I32EnumAttrCase<"lt", 0>, I32EnumAttrCase<"le", 1>,
    I32EnumAttrCase<"gt", 2>, I32EnumAttrCase<"ge", 3>,
    I32EnumAttrCase<"eq", 4>, I32EnumAttrCase<"ne", 5>]> {
  let cppNamespace = "::tensorc::tc";
}

def TC_InitKind : I32EnumAttr<"InitKind", "parameter initializer", [
    I32EnumAttrCase<"zeros", 0>, I32EnumAttrCase<"ones", 1>,
    I32EnumAttrCase<"normal", 2>, I32EnumAttrCase<"uniform", 3>,
    I32EnumAttrCase<"kaiming_uniform", 4>,
    I32EnumAttrCase<"kaiming_normal", 5>,
    I32EnumAttrCase<"xavier_uniform", 6>,
    // The session's seed (runtime), for the dropout key of training steps.
    I32EnumAttrCase<"seed", 7>,
    // Every element one value (PyTorch's nn.init.constant_).
    I32EnumAttrCase<"full", 8>]> {
  let cppNamespace = "::tensorc::tc";
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def TC_FloatElem : AnyTypeOf<[F32, F16, BF16, F64], "floating-point">;
def TC_IntElem : AnyTypeOf<[I32, I64], "integer">;
def TC_NumElem : AnyTypeOf<[F32, F16, BF16, F64, I32, I64], "numeric">;
def TC_Elem : AnyTypeOf<[F32, F16, BF16, F64, I32, I64, I1]>;

def TC_Tensor : RankedTensorOf<[TC_Elem]>;
def TC_NumTensor : RankedTensorOf<[TC_NumElem]>;
def TC_FloatTensor : RankedTensorOf<[TC_FloatElem]>;
def TC_IntTensor : RankedTensorOf<[TC_IntElem]>;
def TC_BoolTensor : RankedTensorOf<[I1]>;
def TC_FloatScalar : 0DTensorOf<[TC_FloatElem]>;

#endif // TC_DIALECT
