//===- NNOps.cpp - Matrix products, convolution and pooling ---------------===//

#include "dialects/TC/IR/ShapeUtils.h"
#include "dialects/TC/IR/TCOps.h"

using namespace mlir;
using namespace tensorc::tc;

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto lhs = cast<RankedTensorType>(adaptor.getLhs().getType());
  auto rhs = cast<RankedTensorType>(adaptor.getRhs().getType());
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return emitOptionalError(loc, "operands must have rank >= 2, got ", lhs,
                             " and ", rhs);
  if (lhs.getElementType() != rhs.getElementType())
    return emitOptionalError(loc, "operands have different element types (",
                             lhs.getElementType(), " and ",
                             rhs.getElementType(), ")");
  int64_t k1 = lhs.getShape().back(), k2 = rhs.getShape().end()[-2];
  if (!dimsCompatible(k1, k2))
    return emitOptionalError(loc, "contracting dims differ: ", lhs, " has ", k1,
                             " columns but ", rhs, " has ", k2, " rows");
  SmallVector<int64_t> batch;
  if (failed(broadcastShapes(
          loc, {lhs.getShape().drop_back(2), rhs.getShape().drop_back(2)},
          batch)))
    return failure();
  batch.push_back(lhs.getShape().end()[-2]);
  batch.push_back(rhs.getShape().back());
  inferred.push_back(RankedTensorType::get(batch, lhs.getElementType()));
  return success();
}

/// Checks a 2-entry window attribute (kernel, stride, padding).
static LogicalResult verifyPair(std::optional<Location> loc, StringRef name,
                                ArrayRef<int64_t> pair, int64_t min) {
  if (pair.size() != 2)
    return emitOptionalError(loc, name, " must have 2 entries (h, w), got ",
                             pair.size());
  if (pair[0] < min || pair[1] < min)
    return emitOptionalError(loc, name, " entries must be at least ", min);
  return success();
}

/// The spatial output dims of a window op, checking that the window fits.
static LogicalResult
inferWindow(std::optional<Location> loc, RankedTensorType input,
            ArrayRef<int64_t> kernel, ArrayRef<int64_t> stride,
            ArrayRef<int64_t> padding, SmallVectorImpl<int64_t> &spatial) {
  if (failed(verifyPair(loc, "kernel", kernel, 1)) ||
      failed(verifyPair(loc, "stride", stride, 1)) ||
      failed(verifyPair(loc, "padding", padding, 0)))
    return failure();
  for (int i = 0; i < 2; ++i) {
    int64_t in = input.getDimSize(2 + i);
    if (ShapedType::isDynamic(in))
      return emitOptionalError(loc, "spatial dims must be static, got ", input);
    if (in + 2 * padding[i] < kernel[i])
      return emitOptionalError(loc, "window of ", kernel[i],
                               " does not fit in ", in, " + 2 * ", padding[i],
                               " padding");
    spatial.push_back(windowOutputSize(in, kernel[i], stride[i], padding[i]));
  }
  return success();
}

LogicalResult Conv2dOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto filter = cast<RankedTensorType>(adaptor.getFilter().getType());
  if (input.getRank() != 4 || filter.getRank() != 4)
    return emitOptionalError(loc, "input [N, C, H, W] and filter "
                                  "[O, C, KH, KW] must have rank 4");
  if (input.getElementType() != filter.getElementType())
    return emitOptionalError(loc, "input and filter element types differ");
  if (!dimsCompatible(input.getDimSize(1), filter.getDimSize(1)))
    return emitOptionalError(loc, "input has ", input.getDimSize(1),
                             " channels but the filter expects ",
                             filter.getDimSize(1));
  if (Value bias = adaptor.getBias()) {
    auto b = cast<RankedTensorType>(bias.getType());
    if (b.getRank() != 1 ||
        !dimsCompatible(b.getDimSize(0), filter.getDimSize(0)) ||
        b.getElementType() != input.getElementType())
      return emitOptionalError(loc, "bias must be [", filter.getDimSize(0),
                               "] of the input's element type, got ", b);
  }
  if (filter.isDynamicDim(2) || filter.isDynamicDim(3))
    return emitOptionalError(loc, "the filter's spatial dims must be static");
  SmallVector<int64_t> spatial;
  if (failed(inferWindow(loc, input, filter.getShape().drop_front(2),
                         adaptor.getStride(), adaptor.getPadding(), spatial)))
    return failure();
  inferred.push_back(RankedTensorType::get(
      {input.getDimSize(0), filter.getDimSize(0), spatial[0], spatial[1]},
      input.getElementType()));
  return success();
}

static LogicalResult inferPool(std::optional<Location> loc,
                               RankedTensorType input, ArrayRef<int64_t> kernel,
                               ArrayRef<int64_t> stride,
                               ArrayRef<int64_t> padding,
                               SmallVectorImpl<Type> &inferred) {
  if (input.getRank() != 4)
    return emitOptionalError(loc, "input must be [N, C, H, W], got ", input);
  SmallVector<int64_t> spatial;
  if (failed(inferWindow(loc, input, kernel, stride, padding, spatial)))
    return failure();
  for (int i = 0; i < 2; ++i)
    if (padding.size() == 2 && kernel.size() == 2 && 2 * padding[i] > kernel[i])
      return emitOptionalError(loc, "padding must be at most half the kernel");
  inferred.push_back(RankedTensorType::get(
      {input.getDimSize(0), input.getDimSize(1), spatial[0], spatial[1]},
      input.getElementType()));
  return success();
}

#define TC_POOL_OP(OP)                                                         \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &inferred) {                                       \
    return inferPool(loc,                                                      \
                     cast<RankedTensorType>(adaptor.getInput().getType()),     \
                     adaptor.getKernel(), adaptor.getStride(),                 \
                     adaptor.getPadding(), inferred);                          \
  }
TC_POOL_OP(MaxPool2dOp)
TC_POOL_OP(AvgPool2dOp)
#undef TC_POOL_OP
