//===- ReductionOps.cpp - Reductions, normalization and losses ------------===//

#include "dialects/TC/IR/ShapeUtils.h"
#include "dialects/TC/IR/TCOps.h"

using namespace mlir;
using namespace tensorc::tc;

/// The shape after reducing `axes` (sorted, unique, in range) of `shape`.
static LogicalResult inferReducedType(std::optional<Location> loc,
                                      RankedTensorType input,
                                      ArrayRef<int64_t> axes, bool keepdim,
                                      Type elementType,
                                      SmallVectorImpl<Type> &inferred) {
  int64_t rank = input.getRank();
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (failed(verifyAxis(loc, axis, rank, "reduction")))
      return failure();
    if (i > 0 && axes[i - 1] >= axis)
      return emitOptionalError(loc, "reduction axes must be sorted and unique");
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    if (!llvm::is_contained(axes, d))
      shape.push_back(input.getDimSize(d));
    else if (keepdim)
      shape.push_back(1);
  }
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

#define TC_REDUCE_OP(OP)                                                       \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &inferred) {                                       \
    auto input = cast<RankedTensorType>(adaptor.getInput().getType());         \
    return inferReducedType(loc, input, adaptor.getAxes(),                     \
                            adaptor.getKeepdim(), input.getElementType(),      \
                            inferred);                                         \
  }                                                                            \
  OpFoldResult OP::fold(FoldAdaptor) {                                         \
    /* Reducing nothing is the identity. */                                    \
    if (getAxes().empty() && getInput().getType() == getType())                \
      return getInput();                                                       \
    return {};                                                                 \
  }
TC_REDUCE_OP(SumOp)
TC_REDUCE_OP(MeanOp)
TC_REDUCE_OP(MaxOp)
TC_REDUCE_OP(MinOp)
#undef TC_REDUCE_OP

LogicalResult ArgmaxOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t axis = adaptor.getAxis();
  return inferReducedType(loc, input, {axis}, adaptor.getKeepdim(),
                          IntegerType::get(context, 64), inferred);
}

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(getLoc(), getAxis(), getType().getRank(), "softmax");
}

LogicalResult LogSoftmaxOp::verify() {
  return verifyAxis(getLoc(), getAxis(), getType().getRank(), "log_softmax");
}

/// gamma's shape must be the trailing dims of the input's.
static LogicalResult verifyNormalizedShape(Operation *op,
                                           RankedTensorType input,
                                           RankedTensorType gamma) {
  if (gamma.getElementType() != input.getElementType())
    return op->emitOpError("gamma has element type ")
           << gamma.getElementType() << " but the input has "
           << input.getElementType();
  if (gamma.getRank() < 1 || gamma.getRank() > input.getRank())
    return op->emitOpError("gamma must have rank 1 to ")
           << input.getRank() << ", got " << gamma.getRank();
  auto trailing = input.getShape().take_back(gamma.getRank());
  for (auto [a, b] : llvm::zip(trailing, gamma.getShape()))
    if (!dimsCompatible(a, b))
      return op->emitOpError("gamma shape ")
             << shapeString(gamma.getShape())
             << " does not match the input's trailing dims "
             << shapeString(trailing);
  return success();
}

LogicalResult LayerNormOp::verify() {
  if (getEps().convertToDouble() < 0)
    return emitOpError("eps must not be negative");
  return verifyNormalizedShape(*this, getInput().getType(),
                               getGamma().getType());
}

LogicalResult RmsNormOp::verify() {
  if (getEps().convertToDouble() < 0)
    return emitOpError("eps must not be negative");
  return verifyNormalizedShape(*this, getInput().getType(),
                               getGamma().getType());
}

LogicalResult
CrossEntropyOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                 Adaptor adaptor,
                                 SmallVectorImpl<Type> &inferred) {
  auto logits = cast<RankedTensorType>(adaptor.getLogits().getType());
  auto labels = cast<RankedTensorType>(adaptor.getLabels().getType());
  if (logits.getRank() != 2)
    return emitOptionalError(loc, "logits must have rank 2 ([N, C]), got ",
                             logits.getRank());
  if (labels.getRank() != 1)
    return emitOptionalError(loc, "labels must have rank 1 ([N]), got ",
                             labels.getRank());
  if (!dimsCompatible(logits.getDimSize(0), labels.getDimSize(0)))
    return emitOptionalError(loc, "logits have ", logits.getDimSize(0),
                             " rows but there are ", labels.getDimSize(0),
                             " labels");
  inferred.push_back(RankedTensorType::get({}, logits.getElementType()));
  return success();
}

LogicalResult MseOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  inferred.push_back(RankedTensorType::get(
      {}, getElementTypeOrSelf(adaptor.getLhs().getType())));
  return success();
}
