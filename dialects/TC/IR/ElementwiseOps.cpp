//===- ElementwiseOps.cpp - Elementwise tc operations ---------------------===//

#include "dialects/TC/IR/ShapeUtils.h"
#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/CommonFolders.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace tensorc::tc;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// The broadcast type of elementwise operands: the shapes broadcast, the
/// element types must agree (tc never promotes).
static LogicalResult inferBroadcastType(std::optional<Location> loc,
                                        ValueRange operands,
                                        Type resultElementType,
                                        SmallVectorImpl<Type> &inferred) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Value v : operands)
    shapes.push_back(cast<RankedTensorType>(v.getType()).getShape());
  SmallVector<int64_t> shape;
  if (failed(broadcastShapes(loc, shapes, shape)))
    return failure();
  inferred.push_back(RankedTensorType::get(shape, resultElementType));
  return success();
}

static LogicalResult requireSameElementType(std::optional<Location> loc,
                                            Value a, Value b) {
  Type ea = getElementTypeOrSelf(a.getType());
  Type eb = getElementTypeOrSelf(b.getType());
  if (ea == eb)
    return success();
  return emitOptionalError(loc, "operands have different element types (", ea,
                           " and ", eb, "); insert a tc.cast");
}

/// True if `value` is a splat constant equal to `x` (for floats, with the
/// same sign of zero: only -0.0 is the identity of addition).
static bool isSplatOf(Value value, double x) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return false;
  auto splat = dyn_cast<SplatElementsAttr>(attr);
  if (!splat)
    return false;
  Type elem = splat.getElementType();
  if (isa<FloatType>(elem)) {
    APFloat v = splat.getSplatValue<APFloat>();
    return v.convertToDouble() == x && v.isNegative() == std::signbit(x);
  }
  if (elem.isInteger(1))
    return false;
  return splat.getSplatValue<APInt>().getSExtValue() ==
             static_cast<int64_t>(x) &&
         static_cast<double>(static_cast<int64_t>(x)) == x;
}

/// Folds `op(x, identity) -> x` when no broadcasting changes x's type.
static OpFoldResult foldIdentityRhs(Value lhs, Value rhs, Type resultType,
                                    double identity) {
  if (lhs.getType() == resultType && isSplatOf(rhs, identity))
    return lhs;
  return {};
}

/// Folds a binary op on two constants when the result is well defined
/// elementwise: both splats (any broadcast), or both of the result's type.
template <typename FloatFn, typename IntFn>
static OpFoldResult foldConstantBinary(ArrayRef<Attribute> operands,
                                       Type resultType, FloatFn floatFn,
                                       IntFn intFn) {
  auto lhs = dyn_cast_or_null<ElementsAttr>(operands[0]);
  auto rhs = dyn_cast_or_null<ElementsAttr>(operands[1]);
  if (!lhs || !rhs)
    return {};
  bool splats = isa<SplatElementsAttr>(lhs) && isa<SplatElementsAttr>(rhs);
  if (!splats && (lhs.getType() != resultType || rhs.getType() != resultType))
    return {};
  auto shaped = cast<ShapedType>(resultType);
  if (!shaped.hasStaticShape())
    return {};
  Type elem = shaped.getElementType();
  if (elem.isInteger(1))
    return {};
  // Splats of different shapes broadcast to a splat of the result's shape.
  if (splats) {
    auto l = cast<SplatElementsAttr>(lhs), r = cast<SplatElementsAttr>(rhs);
    if (isa<FloatType>(elem))
      return SplatElementsAttr::get(
          shaped,
          floatFn(l.getSplatValue<APFloat>(), r.getSplatValue<APFloat>()));
    return SplatElementsAttr::get(
        shaped, intFn(l.getSplatValue<APInt>(), r.getSplatValue<APInt>()));
  }
  if (isa<FloatType>(elem))
    return constFoldBinaryOp<FloatAttr>(operands, resultType, floatFn);
  return constFoldBinaryOp<IntegerAttr>(operands, resultType, intFn);
}

/// Folds a float unary op on a constant.
template <typename Fn>
static OpFoldResult foldConstantUnaryFloat(ArrayRef<Attribute> operands,
                                           Type resultType, Fn fn) {
  auto input = dyn_cast_or_null<ElementsAttr>(operands[0]);
  if (!input || !isa<FloatType>(getElementTypeOrSelf(resultType)))
    return {};
  return constFoldUnaryOp<FloatAttr, FloatAttr::ValueType, void>(
      operands, resultType, [&](const APFloat &a) {
        bool losesInfo = false;
        APFloat r(fn(a.convertToDouble()));
        r.convert(a.getSemantics(), APFloat::rmNearestTiesToEven, &losesInfo);
        return r;
      });
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Broadcasting binary operations
//===----------------------------------------------------------------------===//

#define TC_BROADCAST_INFER(OP)                                                 \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &inferred) {                                       \
    if (failed(                                                                \
            requireSameElementType(loc, adaptor.getLhs(), adaptor.getRhs())))  \
      return failure();                                                        \
    return inferBroadcastType(                                                 \
        loc, {adaptor.getLhs(), adaptor.getRhs()},                             \
        getElementTypeOrSelf(adaptor.getLhs().getType()), inferred);           \
  }
TC_BROADCAST_INFER(AddOp)
TC_BROADCAST_INFER(SubOp)
TC_BROADCAST_INFER(MulOp)
TC_BROADCAST_INFER(DivOp)
TC_BROADCAST_INFER(MaximumOp)
TC_BROADCAST_INFER(MinimumOp)
#undef TC_BROADCAST_INFER

/// The identity of addition: -0.0 for floats (x + +0.0 turns -0.0 into
/// +0.0), 0 for integers.
static double addIdentity(Type type) {
  return isa<FloatType>(getElementTypeOrSelf(type)) ? -0.0 : 0.0;
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  double zero = addIdentity(getType());
  if (OpFoldResult r = foldIdentityRhs(getLhs(), getRhs(), getType(), zero))
    return r;
  if (OpFoldResult r = foldIdentityRhs(getRhs(), getLhs(), getType(), zero))
    return r;
  return foldConstantBinary(
      adaptor.getOperands(), getType(),
      [](const APFloat &a, const APFloat &b) { return a + b; },
      [](const APInt &a, const APInt &b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldIdentityRhs(getLhs(), getRhs(), getType(), 0.0))
    return r;
  return foldConstantBinary(
      adaptor.getOperands(), getType(),
      [](const APFloat &a, const APFloat &b) { return a - b; },
      [](const APInt &a, const APInt &b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldIdentityRhs(getLhs(), getRhs(), getType(), 1.0))
    return r;
  if (OpFoldResult r = foldIdentityRhs(getRhs(), getLhs(), getType(), 1.0))
    return r;
  return foldConstantBinary(
      adaptor.getOperands(), getType(),
      [](const APFloat &a, const APFloat &b) { return a * b; },
      [](const APInt &a, const APInt &b) { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldIdentityRhs(getLhs(), getRhs(), getType(), 1.0))
    return r;
  // Integer division by zero has no value to fold to; leave it to run time.
  if (auto rhs = dyn_cast_or_null<ElementsAttr>(adaptor.getRhs());
      rhs && !isa<FloatType>(getElementTypeOrSelf(getType())) &&
      llvm::any_of(rhs.getValues<APInt>(),
                   [](const APInt &v) { return v.isZero(); }))
    return {};
  return foldConstantBinary(
      adaptor.getOperands(), getType(),
      [](const APFloat &a, const APFloat &b) { return a / b; },
      [](const APInt &a, const APInt &b) { return a.sdiv(b); });
}

//===----------------------------------------------------------------------===//
// CmpOp, SelectOp
//===----------------------------------------------------------------------===//

LogicalResult CmpOp::inferReturnTypes(MLIRContext *context,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  if (failed(requireSameElementType(loc, adaptor.getLhs(), adaptor.getRhs())))
    return failure();
  return inferBroadcastType(loc, {adaptor.getLhs(), adaptor.getRhs()},
                            IntegerType::get(context, 1), inferred);
}

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  if (failed(requireSameElementType(loc, adaptor.getTrueValue(),
                                    adaptor.getFalseValue())))
    return failure();
  return inferBroadcastType(
      loc,
      {adaptor.getCondition(), adaptor.getTrueValue(), adaptor.getFalseValue()},
      getElementTypeOrSelf(adaptor.getTrueValue().getType()), inferred);
}

OpFoldResult SelectOp::fold(FoldAdaptor adaptor) {
  // select(c, x, x) -> x.
  if (getTrueValue() == getFalseValue() &&
      getTrueValue().getType() == getType())
    return getTrueValue();
  // A splat condition picks one side when that side needs no broadcast.
  auto cond = dyn_cast_or_null<SplatElementsAttr>(adaptor.getCondition());
  if (!cond)
    return {};
  Value picked = cond.getSplatValue<bool>() ? getTrueValue() : getFalseValue();
  return picked.getType() == getType() ? picked : OpFoldResult();
}

//===----------------------------------------------------------------------===//
// Unary operations
//===----------------------------------------------------------------------===//

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  Type elem = getElementTypeOrSelf(getType());
  if (isa<FloatType>(elem))
    return constFoldUnaryOp<FloatAttr, FloatAttr::ValueType, void>(
        adaptor.getOperands(), [](const APFloat &a) { return -a; });
  return constFoldUnaryOp<IntegerAttr, IntegerAttr::ValueType, void>(
      adaptor.getOperands(), [](const APInt &a) { return -a; });
}

OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  if (auto inner = getInput().getDefiningOp<AbsOp>())
    return inner.getResult();
  Type elem = getElementTypeOrSelf(getType());
  if (isa<FloatType>(elem))
    return constFoldUnaryOp<FloatAttr, FloatAttr::ValueType, void>(
        adaptor.getOperands(), [](const APFloat &a) { return abs(a); });
  return constFoldUnaryOp<IntegerAttr, IntegerAttr::ValueType, void>(
      adaptor.getOperands(), [](const APInt &a) { return a.abs(); });
}

OpFoldResult ExpOp::fold(FoldAdaptor adaptor) {
  return foldConstantUnaryFloat(adaptor.getOperands(), getType(),
                                [](double x) { return std::exp(x); });
}

OpFoldResult LogOp::fold(FoldAdaptor adaptor) {
  return foldConstantUnaryFloat(adaptor.getOperands(), getType(),
                                [](double x) { return std::log(x); });
}

OpFoldResult SqrtOp::fold(FoldAdaptor adaptor) {
  return foldConstantUnaryFloat(adaptor.getOperands(), getType(),
                                [](double x) { return std::sqrt(x); });
}

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  // relu is idempotent.
  if (auto inner = getInput().getDefiningOp<ReluOp>())
    return inner.getResult();
  // NaN stays NaN, like torch.relu.
  return foldConstantUnaryFloat(
      adaptor.getOperands(), getType(),
      [](double x) { return std::isnan(x) || x > 0 ? x : 0.0; });
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  if (getExponent().convertToDouble() == 1.0)
    return getInput();
  double e = getExponent().convertToDouble();
  return foldConstantUnaryFloat(adaptor.getOperands(), getType(),
                                [e](double x) { return std::pow(x, e); });
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// DropoutOp, MaskedFillOp
//===----------------------------------------------------------------------===//

LogicalResult DropoutOp::verify() {
  double p = getP().convertToDouble();
  if (!(p >= 0.0 && p < 1.0))
    return emitOpError("probability must be in [0, 1), got ") << p;
  if (!getKey().empty() && getKey().size() != 2)
    return emitOpError("key must be (seed, step), got ")
           << getKey().size() << " values";
  return success();
}

OpFoldResult DropoutOp::fold(FoldAdaptor) {
  if (getP().convertToDouble() == 0.0)
    return getInput();
  return {};
}

LogicalResult MaskedFillOp::verify() {
  auto mask = getMask().getType().getShape();
  auto input = getInput().getType().getShape();
  if (!isBroadcastableTo(mask, input))
    return emitOpError("mask of shape ")
           << shapeString(mask) << " does not broadcast to the input shape "
           << shapeString(input);
  return success();
}
