//===- Elementwise.cpp - Arithmetic, comparisons and unary math -----------===//
//
// Each op becomes one all-parallel linalg.generic over the broadcast result
// shape (Utils: broadcastOperand keeps the maps projected permutations); the
// scalar payload follows PyTorch's definition of the op.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/TCToLinalg/Patterns.h"
#include "compiler/Conversion/TCToLinalg/Utils.h"

#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace tensorc::tc;
using namespace tensorc::tc::linalg_lowering;

namespace {

/// Evaluates `fn` in f32 for f16/bf16 and rounds once at the end, as PyTorch
/// does for its composite float ops ("opmath"); other types as they are.
Value inOpmath(OpBuilder &b, Location loc, ValueRange args,
               llvm::function_ref<Value(ValueRange)> fn) {
  Type type = args[0].getType();
  Type wide = accumulatorType(type);
  if (wide == type)
    return fn(args);
  SmallVector<Value> extended;
  for (Value a : args)
    extended.push_back(convertScalar(b, loc, a, wide));
  return convertScalar(b, loc, fn(extended), type);
}

Value constantLike(OpBuilder &b, Location loc, Value like, double v) {
  return scalarConstant(b, loc, like.getType(), v);
}

/// 1 / (1 + exp(-x)).
Value sigmoid(OpBuilder &b, Location loc, Value x) {
  Value one = constantLike(b, loc, x, 1.0);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, e));
}

/// 0.5 x (1 + erf(x / sqrt(2))), or with tanh(sqrt(2 / pi) (x + 0.044715 x^3))
/// in place of the erf: torch.nn.functional.gelu.
Value gelu(OpBuilder &b, Location loc, Value x, bool approximateTanh) {
  auto c = [&](double v) { return constantLike(b, loc, x, v); };
  Value inner;
  if (approximateTanh) {
    Value x3 =
        arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, x, x), x);
    Value poly = arith::AddFOp::create(
        b, loc, x, arith::MulFOp::create(b, loc, c(0.044715), x3));
    Value arg = arith::MulFOp::create(b, loc, c(std::sqrt(2.0 / M_PI)), poly);
    inner = math::TanhOp::create(b, loc, arg);
  } else {
    inner = math::ErfOp::create(b, loc,
                                arith::MulFOp::create(b, loc, x, c(M_SQRT1_2)));
  }
  Value half = arith::MulFOp::create(b, loc, c(0.5), x);
  return arith::MulFOp::create(b, loc, half,
                               arith::AddFOp::create(b, loc, c(1.0), inner));
}

/// The derivative of gelu at x (torch's GeluBackward): for tanh,
/// 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2 / pi) (1 + 3 * 0.044715 x^2);
/// exact, Phi(x) + x phi(x) with the normal cdf Phi and density phi.
Value geluDerivative(OpBuilder &b, Location loc, Value x,
                     bool approximateTanh) {
  auto c = [&](double v) { return constantLike(b, loc, x, v); };
  auto mul = [&](Value p, Value q) {
    return arith::MulFOp::create(b, loc, p, q).getResult();
  };
  auto add = [&](Value p, Value q) {
    return arith::AddFOp::create(b, loc, p, q).getResult();
  };
  Value x2 = mul(x, x);
  if (approximateTanh) {
    double beta = std::sqrt(2.0 / M_PI), kappa = 0.044715;
    Value inner = mul(c(beta), add(x, mul(c(kappa), mul(x2, x))));
    Value t = math::TanhOp::create(b, loc, inner);
    Value left = mul(c(0.5), add(c(1.0), t));
    Value dtanh = arith::SubFOp::create(b, loc, c(1.0), mul(t, t));
    Value right = mul(mul(mul(c(0.5), x), dtanh),
                      mul(c(beta), add(c(1.0), mul(c(3.0 * kappa), x2))));
    return add(left, right);
  }
  Value cdf = mul(
      c(0.5), add(c(1.0), math::ErfOp::create(b, loc, mul(x, c(M_SQRT1_2)))));
  Value pdf = mul(c(0.5 * M_2_SQRTPI * M_SQRT1_2),
                  math::ExpOp::create(b, loc, mul(c(-0.5), x2)));
  return add(cdf, mul(x, pdf));
}

/// x^e with PyTorch's special cases for pow(Tensor, Scalar).
Value power(OpBuilder &b, Location loc, Value x, double e) {
  auto c = [&](double v) { return constantLike(b, loc, x, v); };
  auto mul = [&](Value p, Value q) {
    return arith::MulFOp::create(b, loc, p, q);
  };
  if (e == 0.0)
    return c(1.0);
  if (e == 1.0)
    return x;
  if (e == 2.0)
    return mul(x, x);
  if (e == 3.0)
    return mul(mul(x, x), x);
  if (e == 0.5)
    return math::SqrtOp::create(b, loc, x);
  if (e == -0.5)
    return math::RsqrtOp::create(b, loc, x);
  if (e == -1.0)
    return arith::DivFOp::create(b, loc, c(1.0), x);
  if (e == -2.0)
    return arith::DivFOp::create(b, loc, c(1.0), mul(x, x));
  return math::PowFOp::create(b, loc, x, c(e));
}

Value compare(OpBuilder &b, Location loc, CmpPredicate pred, Value x, Value y) {
  using F = arith::CmpFPredicate;
  using I = arith::CmpIPredicate;
  // Indexed by CmpPredicate: lt, le, gt, ge, eq, ne. Floats are ordered except
  // `ne`, which is true for NaN (as in PyTorch); bools order false < true.
  static constexpr F floats[] = {F::OLT, F::OLE, F::OGT,
                                 F::OGE, F::OEQ, F::UNE};
  static constexpr I ints[] = {I::slt, I::sle, I::sgt, I::sge, I::eq, I::ne};
  static constexpr I bools[] = {I::ult, I::ule, I::ugt, I::uge, I::eq, I::ne};
  static_assert(static_cast<unsigned>(CmpPredicate::lt) == 0 &&
                static_cast<unsigned>(CmpPredicate::ne) == 5);
  auto i = static_cast<unsigned>(pred);
  if (isa<FloatType>(x.getType()))
    return arith::CmpFOp::create(b, loc, floats[i], x, y);
  return arith::CmpIOp::create(
      b, loc, x.getType().isInteger(1) ? bools[i] : ints[i], x, y);
}

// The scalar payload of each op, given its operands' scalars.
#define TC_BINARY(OP, FN)                                                      \
  Value payload(OP, OpBuilder &b, Location loc, ValueRange a) {                \
    return FN(b, loc, a[0], a[1]);                                             \
  }
TC_BINARY(AddOp, addScalar)
TC_BINARY(SubOp, subScalar)
TC_BINARY(MulOp, mulScalar)
TC_BINARY(DivOp, divScalar)
TC_BINARY(MaximumOp, maxScalar)
TC_BINARY(MinimumOp, minScalar)
#undef TC_BINARY

// Transcendental ops: in f32 for f16/bf16.
#define TC_UNARY_MATH(OP, EXPR)                                                \
  Value payload(OP, OpBuilder &b, Location loc, ValueRange a) {                \
    return inOpmath(b, loc, a, [&](ValueRange v) -> Value {                    \
      Value x = v[0];                                                          \
      return EXPR;                                                             \
    });                                                                        \
  }
TC_UNARY_MATH(ExpOp, math::ExpOp::create(b, loc, x))
TC_UNARY_MATH(LogOp, math::LogOp::create(b, loc, x))
TC_UNARY_MATH(SqrtOp, math::SqrtOp::create(b, loc, x))
TC_UNARY_MATH(RsqrtOp, math::RsqrtOp::create(b, loc, x))
TC_UNARY_MATH(TanhOp, math::TanhOp::create(b, loc, x))
TC_UNARY_MATH(SigmoidOp, sigmoid(b, loc, x))
TC_UNARY_MATH(SiluOp, arith::MulFOp::create(b, loc, x, sigmoid(b, loc, x)))
#undef TC_UNARY_MATH

Value payload(GeluOp op, OpBuilder &b, Location loc, ValueRange a) {
  bool approx = op.getApproximateTanh();
  return inOpmath(b, loc, a,
                  [&](ValueRange v) { return gelu(b, loc, v[0], approx); });
}

Value payload(GeluGradOp op, OpBuilder &b, Location loc, ValueRange a) {
  bool approx = op.getApproximateTanh();
  return inOpmath(b, loc, a, [&](ValueRange v) -> Value {
    return arith::MulFOp::create(b, loc, v[1],
                                 geluDerivative(b, loc, v[0], approx));
  });
}

Value payload(PowOp op, OpBuilder &b, Location loc, ValueRange a) {
  double e = op.getExponent().convertToDouble();
  return inOpmath(b, loc, a,
                  [&](ValueRange v) { return power(b, loc, v[0], e); });
}

Value payload(NegOp, OpBuilder &b, Location loc, ValueRange a) {
  if (isa<FloatType>(a[0].getType()))
    return arith::NegFOp::create(b, loc, a[0]);
  return arith::SubIOp::create(b, loc, constantLike(b, loc, a[0], 0), a[0]);
}

Value payload(AbsOp, OpBuilder &b, Location loc, ValueRange a) {
  if (isa<FloatType>(a[0].getType()))
    return math::AbsFOp::create(b, loc, a[0]);
  return math::AbsIOp::create(b, loc, a[0]);
}

Value payload(ReluOp, OpBuilder &b, Location loc, ValueRange a) {
  // maximumf propagates NaN like torch.relu.
  return arith::MaximumFOp::create(b, loc, a[0], constantLike(b, loc, a[0], 0));
}

Value payload(CmpOp op, OpBuilder &b, Location loc, ValueRange a) {
  return compare(b, loc, op.getPredicate(), a[0], a[1]);
}

Value payload(SelectOp, OpBuilder &b, Location loc, ValueRange a) {
  return arith::SelectOp::create(b, loc, a[0], a[1], a[2]);
}

/// Any op lowered by `payload`: one generic over the broadcast result.
template <typename OpTy> struct ElementwiseLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    FailureOr<SmallVector<OpFoldResult>> sizes = resultSizes(rewriter, op);
    if (failed(sizes))
      return rewriter.notifyMatchFailure(op, "cannot reify the result shape");
    Value result =
        buildElementwise(rewriter, op.getLoc(), op->getOperands(),
                         cast<RankedTensorType>(op.getType()), *sizes,
                         [&](OpBuilder &b, Location loc, ValueRange args) {
                           return payload(op, b, loc, args);
                         });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tc.constant -> arith.constant (splats become scalars once fused).
struct ConstantLowering : OpRewritePattern<ConstantOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConstantOp op,
                                PatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "value is not a typed attribute");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

} // namespace

void tensorc::tc::linalg_lowering::populateElementwisePatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ElementwiseLowering<AddOp>,
               ElementwiseLowering<SubOp>, ElementwiseLowering<MulOp>,
               ElementwiseLowering<DivOp>, ElementwiseLowering<MaximumOp>,
               ElementwiseLowering<MinimumOp>, ElementwiseLowering<CmpOp>,
               ElementwiseLowering<SelectOp>, ElementwiseLowering<NegOp>,
               ElementwiseLowering<AbsOp>, ElementwiseLowering<ExpOp>,
               ElementwiseLowering<LogOp>, ElementwiseLowering<SqrtOp>,
               ElementwiseLowering<RsqrtOp>, ElementwiseLowering<TanhOp>,
               ElementwiseLowering<SigmoidOp>, ElementwiseLowering<ReluOp>,
               ElementwiseLowering<SiluOp>, ElementwiseLowering<GeluOp>,
               ElementwiseLowering<GeluGradOp>, ElementwiseLowering<PowOp>>(
      patterns.getContext());
}
