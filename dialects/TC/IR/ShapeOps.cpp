//===- ShapeOps.cpp - Shape and lookup tc operations ----------------------===//

#include "dialects/TC/IR/ShapeUtils.h"
#include "dialects/TC/IR/TCOps.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace tensorc::tc;

/// Checks that an op with `dynamic_dims` operands has one per dynamic dim of
/// its result.
static LogicalResult verifyDynamicDims(Operation *op, RankedTensorType result,
                                       size_t numDynamicDims) {
  if (static_cast<size_t>(result.getNumDynamicDims()) != numDynamicDims)
    return op->emitOpError("needs one size operand per dynamic result dim: ")
           << result.getNumDynamicDims() << " dynamic dims but "
           << numDynamicDims << " operands";
  return success();
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  ArrayRef<int64_t> perm = adaptor.getPermutation();
  if (static_cast<int64_t>(perm.size()) != input.getRank())
    return emitOptionalError(loc, "permutation has ", perm.size(),
                             " entries for a tensor of rank ", input.getRank());
  SmallVector<bool> seen(perm.size(), false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= input.getRank() || seen[p])
      return emitOptionalError(loc, "invalid permutation ", shapeString(perm));
    seen[p] = true;
    shape.push_back(input.getDimSize(p));
  }
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  if (llvm::equal(getPermutation(),
                  llvm::seq<int64_t>(0, getPermutation().size())))
    return getInput();
  return {};
}

namespace {
/// transpose(transpose(x, p1), p2) -> transpose(x, p1[p2[i]]).
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return failure();
    SmallVector<int64_t> composed;
    for (int64_t p : op.getPermutation())
      composed.push_back(inner.getPermutation()[p]);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, inner.getInput(), composed);
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

/// The static element count, or nullopt if a dim is dynamic or it overflows.
static std::optional<int64_t> staticNumElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (ShapedType::isDynamic(d) || d < 0)
      return std::nullopt;
    if (llvm::MulOverflow(n, d, n))
      return std::nullopt;
  }
  return n;
}

LogicalResult ReshapeOp::verify() {
  auto input = getInput().getType(), result = getType();
  if (input.getElementType() != result.getElementType())
    return emitOpError("cannot change the element type (")
           << input.getElementType() << " to " << result.getElementType()
           << "); use tc.cast";
  if (failed(verifyDynamicDims(*this, result, getDynamicDims().size())))
    return failure();
  auto from = staticNumElements(input.getShape());
  auto to = staticNumElements(result.getShape());
  if (from && to && *from != *to)
    return emitOpError("cannot reshape ")
           << shapeString(input.getShape()) << " (" << *from << " elements) to "
           << shapeString(result.getShape()) << " (" << *to << " elements)";
  if (!from && to && input.hasStaticShape() == false && result.hasStaticShape())
    return emitOpError("a reshape of the dynamic shape ")
           << shapeString(input.getShape()) << " needs a dynamic result dim";
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType() && getType().hasStaticShape())
    return getInput();
  return {};
}

namespace {
/// reshape(reshape(x)) -> reshape(x): only the final shape matters.
struct CollapseReshapes : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<ReshapeOp>();
    if (!inner)
      return failure();
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), inner.getInput(),
                                           op.getDynamicDims());
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<CollapseReshapes>(context);
}

//===----------------------------------------------------------------------===//
// BroadcastToOp
//===----------------------------------------------------------------------===//

LogicalResult BroadcastToOp::verify() {
  auto input = getInput().getType(), result = getType();
  if (input.getElementType() != result.getElementType())
    return emitOpError("cannot change the element type");
  if (failed(verifyDynamicDims(*this, result, getDynamicDims().size())))
    return failure();
  if (!isBroadcastableTo(input.getShape(), result.getShape()))
    return emitOpError("cannot broadcast ")
           << shapeString(input.getShape()) << " to "
           << shapeString(result.getShape());
  return success();
}

OpFoldResult BroadcastToOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType() && getType().hasStaticShape())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// ConcatOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitOptionalError(loc, "needs at least one input");
  auto first = cast<RankedTensorType>(inputs[0].getType());
  int64_t axis = adaptor.getAxis();
  if (failed(verifyAxis(loc, axis, first.getRank(), "concat")))
    return failure();
  SmallVector<int64_t> shape(first.getShape());
  for (Value v : inputs.drop_front()) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getElementType() != first.getElementType() ||
        t.getRank() != first.getRank())
      return emitOptionalError(loc,
                               "inputs must have the same rank and "
                               "element type: ",
                               first, " vs ", t);
    for (int64_t d = 0; d < t.getRank(); ++d) {
      if (d == axis) {
        shape[d] = (ShapedType::isDynamic(shape[d]) || t.isDynamicDim(d))
                       ? ShapedType::kDynamic
                       : shape[d] + t.getDimSize(d);
        continue;
      }
      if (!dimsCompatible(shape[d], t.getDimSize(d)))
        return emitOptionalError(loc, "inputs differ in dim ", d,
                                 " (not the concat axis): ", first, " vs ", t);
    }
  }
  inferred.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs()[0].getType() == getType())
    return getInputs()[0];
  return {};
}

//===----------------------------------------------------------------------===//
// SliceOp
//===----------------------------------------------------------------------===//

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t axis = adaptor.getAxis();
  if (failed(verifyAxis(loc, axis, input.getRank(), "slice")))
    return failure();
  int64_t size = input.getDimSize(axis);
  if (ShapedType::isDynamic(size))
    return emitOptionalError(loc, "cannot slice along dynamic dim ", axis);
  int64_t start = adaptor.getStart(), end = adaptor.getEnd();
  if (start < 0 || start >= end || end > size)
    return emitOptionalError(loc, "slice [", start, ", ", end,
                             ") is not within [0, ", size, ")");
  SmallVector<int64_t> shape(input.getShape());
  shape[axis] = end - start;
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// EmbeddingOp, OneHotOp, CausalMaskOp
//===----------------------------------------------------------------------===//

LogicalResult EmbeddingOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto table = cast<RankedTensorType>(adaptor.getTable().getType());
  auto ids = cast<RankedTensorType>(adaptor.getIds().getType());
  if (table.getRank() != 2)
    return emitOptionalError(loc, "the table must have rank 2 ([V, D]), got ",
                             table.getRank());
  SmallVector<int64_t> shape(ids.getShape());
  shape.push_back(table.getDimSize(1));
  inferred.push_back(RankedTensorType::get(shape, table.getElementType()));
  return success();
}

LogicalResult OneHotOp::verify() {
  auto ids = getIds().getType();
  auto result = getType();
  if (result.getRank() != ids.getRank() + 1)
    return emitOpError("result must have rank ")
           << ids.getRank() + 1 << " (the ids' rank plus the class dim)";
  for (int64_t d = 0; d < ids.getRank(); ++d)
    if (!dimsCompatible(ids.getDimSize(d), result.getDimSize(d)))
      return emitOpError("result shape ") << shapeString(result.getShape())
                                          << " does not extend the ids' shape "
                                          << shapeString(ids.getShape());
  int64_t classes = result.getShape().back();
  if (ShapedType::isDynamic(classes) || classes < 1)
    return emitOpError("the class count (last result dim) must be static "
                       "and at least 1");
  return success();
}

LogicalResult CausalMaskOp::verify() {
  auto type = getType();
  if (type.getRank() != 2 || type.getDimSize(0) != type.getDimSize(1))
    return emitOpError("result must be square [T, T], got ")
           << shapeString(type.getShape());
  bool dynamic = type.isDynamicDim(0);
  if (dynamic != static_cast<bool>(getSize()))
    return emitOpError(dynamic ? "a dynamic mask needs its size operand"
                               : "a static mask takes no size operand");
  return success();
}
