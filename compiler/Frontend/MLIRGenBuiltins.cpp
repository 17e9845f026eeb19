//===- MLIRGenBuiltins.cpp - One tc op (or a few) per builtin -------------===//

#include "compiler/Frontend/MLIRGenImpl.h"

#include "dialects/TC/IR/TCOps.h"

using namespace mlir;
using namespace tensorc;

Value MLIRGenImpl::genBuiltin(const ast::CallExpr &call) {
  const ast::BuiltinAttrs &a = call.attrs;
  SmallVector<Value, 4> ops;
  for (const ast::Expr *e : a.operands) {
    Value v = genExpr(*e);
    if (!v)
      return nullptr;
    ops.push_back(v);
  }
  Location l = loc(call.loc);
  OpBuilder &b = builder;
  auto operand = [&](size_t i) -> Value {
    return i < ops.size() ? ops[i] : Value();
  };
  auto need = [&](size_t n) {
    if (ops.size() >= n)
      return true;
    internalError(call.loc, "builtin '" + ast::builtinName(*call.builtin) +
                                "' has too few operands after checking");
    return false;
  };
  auto resultType = [&]() { return toMLIR(*call.type); };
  auto f64 = [&](double v) { return b.getF64FloatAttr(v); };

  switch (*call.builtin) {
  case ast::Builtin::Exp:
    return need(1) ? tc::ExpOp::create(b, l, operand(0)) : nullptr;
  case ast::Builtin::Log:
    return need(1) ? tc::LogOp::create(b, l, operand(0)) : nullptr;
  case ast::Builtin::Sqrt:
    return need(1) ? tc::SqrtOp::create(b, l, operand(0)) : nullptr;
  case ast::Builtin::Rsqrt:
    return need(1) ? tc::RsqrtOp::create(b, l, operand(0)) : nullptr;
  case ast::Builtin::Tanh:
    return need(1) ? tc::TanhOp::create(b, l, operand(0)) : nullptr;
  case ast::Builtin::Sigmoid:
    return need(1) ? tc::SigmoidOp::create(b, l, operand(0)) : nullptr;
  case ast::Builtin::Relu:
    return need(1) ? tc::ReluOp::create(b, l, operand(0)) : nullptr;
  case ast::Builtin::Silu:
    return need(1) ? tc::SiluOp::create(b, l, operand(0)) : nullptr;
  case ast::Builtin::Abs:
    return need(1) ? tc::AbsOp::create(b, l, operand(0)) : nullptr;
  case ast::Builtin::Gelu:
    if (!need(1))
      return nullptr;
    return tc::GeluOp::create(b, l, operand(0), a.approximateTanh);
  case ast::Builtin::Pow:
    return need(1) ? tc::PowOp::create(b, l, operand(0), f64(a.scalar))
                   : nullptr;
  case ast::Builtin::Where:
    return need(3)
               ? tc::SelectOp::create(b, l, operand(0), operand(1), operand(2))
               : nullptr;
  case ast::Builtin::Cast:
    return need(1) ? tc::CastOp::create(b, l, resultType(), operand(0))
                   : nullptr;
  case ast::Builtin::Dropout:
    return need(1) ? tc::DropoutOp::create(b, l, operand(0), a.scalar)
                   : nullptr;
  case ast::Builtin::MaskedFill:
    return need(2) ? tc::MaskedFillOp::create(b, l, operand(0), operand(1),
                                              f64(a.scalar))
                   : nullptr;

  case ast::Builtin::Sum:
    return need(1) ? tc::SumOp::create(b, l, operand(0), a.axes, a.keepdim)
                   : nullptr;
  case ast::Builtin::Mean:
    return need(1) ? tc::MeanOp::create(b, l, operand(0), a.axes, a.keepdim)
                   : nullptr;
  case ast::Builtin::Max:
    return need(1) ? tc::MaxOp::create(b, l, operand(0), a.axes, a.keepdim)
                   : nullptr;
  case ast::Builtin::Min:
    return need(1) ? tc::MinOp::create(b, l, operand(0), a.axes, a.keepdim)
                   : nullptr;
  case ast::Builtin::Argmax:
    if (!need(1) || a.axes.size() != 1)
      return nullptr;
    return tc::ArgmaxOp::create(b, l, operand(0), a.axes[0], a.keepdim);
  case ast::Builtin::Softmax:
    if (!need(1) || a.axes.size() != 1)
      return nullptr;
    return tc::SoftmaxOp::create(b, l, operand(0), a.axes[0]);
  case ast::Builtin::LogSoftmax:
    if (!need(1) || a.axes.size() != 1)
      return nullptr;
    return tc::LogSoftmaxOp::create(b, l, operand(0), a.axes[0]);

  case ast::Builtin::LayerNorm:
    return need(3) ? tc::LayerNormOp::create(b, l, operand(0), operand(1),
                                             operand(2), f64(a.scalar))
                   : nullptr;
  case ast::Builtin::RmsNorm:
    return need(2) ? tc::RmsNormOp::create(b, l, operand(0), operand(1),
                                           f64(a.scalar))
                   : nullptr;
  case ast::Builtin::CrossEntropy:
    return need(2) ? tc::CrossEntropyOp::create(b, l, operand(0), operand(1))
                   : nullptr;
  case ast::Builtin::Mse:
    return need(2) ? tc::MseOp::create(b, l, operand(0), operand(1)) : nullptr;

  case ast::Builtin::Transpose: {
    if (!need(1) || a.axes.size() != 2)
      return nullptr;
    auto rank = cast<RankedTensorType>(operand(0).getType()).getRank();
    auto indices = llvm::seq<int64_t>(0, rank);
    SmallVector<int64_t> perm(indices.begin(), indices.end());
    std::swap(perm[a.axes[0]], perm[a.axes[1]]);
    return tc::TransposeOp::create(b, l, operand(0), perm);
  }
  case ast::Builtin::Permute:
    return need(1) ? tc::TransposeOp::create(b, l, operand(0), a.axes)
                   : nullptr;
  case ast::Builtin::Reshape:
    if (!need(1))
      return nullptr;
    return tc::ReshapeOp::create(b, l, resultType(), operand(0),
                                 dynamicDims(call.type->shape, l));
  case ast::Builtin::BroadcastTo:
    if (!need(1))
      return nullptr;
    return tc::BroadcastToOp::create(b, l, resultType(), operand(0),
                                     dynamicDims(call.type->shape, l));
  case ast::Builtin::Concat:
    if (!need(1) || a.axes.size() != 1)
      return nullptr;
    return tc::ConcatOp::create(b, l, ops, a.axes[0]);
  case ast::Builtin::Slice:
    if (!need(1) || a.axes.size() != 1 || a.ints.size() != 2)
      return nullptr;
    return tc::SliceOp::create(b, l, operand(0), a.axes[0], a.ints[0],
                               a.ints[1]);

  case ast::Builtin::Embedding:
    return need(2) ? tc::EmbeddingOp::create(b, l, operand(0), operand(1))
                   : nullptr;
  case ast::Builtin::OneHot:
    return need(1) ? tc::OneHotOp::create(b, l, resultType(), operand(0))
                   : nullptr;

  case ast::Builtin::Conv2d:
    if (!need(2))
      return nullptr;
    return tc::Conv2dOp::create(b, l, operand(0), operand(1), operand(2),
                                a.stride, a.padding);
  case ast::Builtin::MaxPool2d:
    return need(1) ? tc::MaxPool2dOp::create(b, l, operand(0), a.kernel,
                                             a.stride, a.padding)
                   : nullptr;
  case ast::Builtin::AvgPool2d:
    return need(1) ? tc::AvgPool2dOp::create(b, l, operand(0), a.kernel,
                                             a.stride, a.padding)
                   : nullptr;

  case ast::Builtin::CausalMask: {
    RankedTensorType type = resultType();
    Value size;
    if (type.isDynamicDim(0))
      size = dimValue(call.type->shape[0], l);
    return tc::CausalMaskOp::create(b, l, type, size);
  }
  }
  internalError(call.loc, "unhandled builtin");
  return nullptr;
}
