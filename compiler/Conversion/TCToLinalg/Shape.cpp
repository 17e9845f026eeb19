//===- Shape.cpp - transpose, reshape, broadcast_to, concat, slice --------===//
//
//   transpose     a generic whose input map is the inverse permutation
//   reshape       tensor.collapse_shape to rank 1, tensor.expand_shape to the
//                 result (sizes from the op's dynamic_dims): views, never
//                 kernels; canonicalization simplifies the pair
//   broadcast_to  a broadcasting generic
//   concat, slice a generic with no inputs that gathers with tensor.extract
//                 at clamped indices (so a speculative read stays in bounds)
//                 and, for concat, selects the input that owns the position
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/TCToLinalg/Patterns.h"
#include "compiler/Conversion/TCToLinalg/Utils.h"

#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"

#include <numeric>

using namespace mlir;
using namespace tensorc::tc;
using namespace tensorc::tc::linalg_lowering;

namespace {

Value identityPayload(OpBuilder &, Location, ValueRange a) { return a[0]; }

struct TransposeLowering : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<SmallVector<OpFoldResult>> sizes = resultSizes(rewriter, op);
    if (failed(sizes))
      return rewriter.notifyMatchFailure(op, "cannot reify the result shape");
    // result[i] = input[perm[i]]: input dim perm[i] is read by loop i.
    ArrayRef<int64_t> perm = op.getPermutation();
    SmallVector<AffineExpr> exprs(perm.size());
    for (auto [i, p] : llvm::enumerate(perm))
      exprs[p] = rewriter.getAffineDimExpr(i);
    AffineMap map =
        AffineMap::get(perm.size(), 0, exprs, rewriter.getContext());
    rewriter.replaceOp(
        op, buildParallel(rewriter, op.getLoc(), op.getInput(), map, *sizes,
                          op.getType().getElementType(), identityPayload));
    return success();
  }
};

struct ReshapeLowering : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    RankedTensorType from = op.getInput().getType(), to = op.getType();
    FailureOr<SmallVector<OpFoldResult>> sizes = resultSizes(rewriter, op);
    if (failed(sizes))
      return rewriter.notifyMatchFailure(op, "cannot reify the result shape");
    auto all = [](int64_t rank) {
      ReassociationIndices g(rank);
      std::iota(g.begin(), g.end(), 0);
      return SmallVector<ReassociationIndices>{g};
    };
    // Rank 1 in between: rank 0 expands to [1], rank > 1 collapses.
    Value flat = input;
    if (from.getRank() == 0) {
      flat = tensor::ExpandShapeOp::create(
          rewriter, loc, from.clone(ArrayRef<int64_t>{1}), input,
          ArrayRef<ReassociationIndices>{},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)});
    } else if (from.getRank() > 1) {
      auto flatType = tensor::CollapseShapeOp::inferCollapsedType(
          from, all(from.getRank()));
      flat = tensor::CollapseShapeOp::create(rewriter, loc, flatType, input,
                                             all(from.getRank()));
    }
    Value result;
    if (to.getRank() == 0) {
      result = tensor::CollapseShapeOp::create(
          rewriter, loc, to, flat, ArrayRef<ReassociationIndices>{});
    } else if (to.getRank() == 1) {
      result = flat;
    } else {
      result = tensor::ExpandShapeOp::create(rewriter, loc, to, flat,
                                             all(to.getRank()), *sizes);
    }
    // A static element count on one side only cannot be expressed as a
    // view (the verifier rejects the reshapes that would need it).
    if (result.getType() != to)
      return rewriter.notifyMatchFailure(op, "static/dynamic size mismatch");
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct BroadcastToLowering : OpRewritePattern<BroadcastToOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BroadcastToOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<SmallVector<OpFoldResult>> sizes = resultSizes(rewriter, op);
    if (failed(sizes))
      return rewriter.notifyMatchFailure(op, "cannot reify the result shape");
    rewriter.replaceOp(op,
                       buildElementwise(rewriter, op.getLoc(), op.getInput(),
                                        op.getType(), *sizes, identityPayload));
    return success();
  }
};

/// The loop indices of the current iteration of the enclosing generic.
SmallVector<Value> loopIndices(OpBuilder &b, Location loc, int64_t rank) {
  SmallVector<Value> indices;
  for (int64_t d = 0; d < rank; ++d)
    indices.push_back(linalg::IndexOp::create(b, loc, d));
  return indices;
}

struct ConcatLowering : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    FailureOr<SmallVector<OpFoldResult>> sizes = resultSizes(rewriter, op);
    if (failed(sizes))
      return rewriter.notifyMatchFailure(op, "cannot reify the result shape");
    int64_t axis = op.getAxis();
    int64_t rank = op.getType().getRank();
    // Where each input starts along the axis, and its size there.
    SmallVector<OpFoldResult> offsets, extents;
    for (Value input : op.getInputs()) {
      offsets.push_back(
          offsets.empty()
              ? rewriter.getIndexAttr(0)
              : addIndex(rewriter, loc, offsets.back(), extents.back()));
      extents.push_back(tensor::getMixedSize(rewriter, loc, input, axis));
    }
    ValueRange inputs = op.getInputs();
    rewriter.replaceOp(
        op,
        buildParallel(
            rewriter, loc, {}, {}, *sizes, op.getType().getElementType(),
            [&](OpBuilder &b, Location l, ValueRange) -> Value {
              SmallVector<Value> idx = loopIndices(b, l, rank);
              Value i = idx[axis];
              auto read = [&](size_t k) -> Value {
                Value start = getValueOrCreateConstantIndexOp(b, l, offsets[k]);
                Value size = getValueOrCreateConstantIndexOp(b, l, extents[k]);
                SmallVector<Value> at(idx);
                at[axis] = clampIndex(
                    b, l, arith::SubIOp::create(b, l, i, start), size);
                return tensor::ExtractOp::create(b, l, inputs[k], at);
              };
              // The last input whose start is <= i owns the position.
              Value value = read(inputs.size() - 1);
              for (size_t k = inputs.size() - 1; k-- > 0;) {
                Value next =
                    getValueOrCreateConstantIndexOp(b, l, offsets[k + 1]);
                Value before = arith::CmpIOp::create(
                    b, l, arith::CmpIPredicate::slt, i, next);
                value = arith::SelectOp::create(b, l, before, read(k), value);
              }
              return value;
            }));
    return success();
  }

  static OpFoldResult addIndex(OpBuilder &b, Location loc, OpFoldResult x,
                               OpFoldResult y) {
    std::optional<int64_t> cx = getConstantIntValue(x);
    std::optional<int64_t> cy = getConstantIntValue(y);
    if (cx && cy)
      return b.getIndexAttr(*cx + *cy);
    if (cx == 0)
      return y;
    return arith::AddIOp::create(b, loc,
                                 getValueOrCreateConstantIndexOp(b, loc, x),
                                 getValueOrCreateConstantIndexOp(b, loc, y))
        .getResult();
  }
};

struct SliceLowering : OpRewritePattern<SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SliceOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<SmallVector<OpFoldResult>> sizes = resultSizes(rewriter, op);
    if (failed(sizes))
      return rewriter.notifyMatchFailure(op, "cannot reify the result shape");
    Value input = op.getInput();
    int64_t axis = op.getAxis(), start = op.getStart();
    int64_t rank = op.getType().getRank();
    int64_t last = op.getInput().getType().getDimSize(axis) - 1; // static
    rewriter.replaceOp(
        op, buildParallel(rewriter, op.getLoc(), {}, {}, *sizes,
                          op.getType().getElementType(),
                          [&](OpBuilder &b, Location l, ValueRange) -> Value {
                            SmallVector<Value> at = loopIndices(b, l, rank);
                            Value shifted = arith::AddIOp::create(
                                b, l, at[axis],
                                arith::ConstantIndexOp::create(b, l, start));
                            at[axis] = arith::MinSIOp::create(
                                b, l, shifted,
                                arith::ConstantIndexOp::create(b, l, last));
                            return tensor::ExtractOp::create(b, l, input, at);
                          }));
    return success();
  }
};

} // namespace

void tensorc::tc::linalg_lowering::populateShapePatterns(
    RewritePatternSet &patterns) {
  patterns.add<TransposeLowering, ReshapeLowering, BroadcastToLowering,
               ConcatLowering, SliceLowering>(patterns.getContext());
}
