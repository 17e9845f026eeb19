//===- Reductions.cpp - sum, mean, max, min, argmax -----------------------===//
//
// A reduction is one linalg.generic whose output map drops the reduced dims,
// on a linalg.fill of the identity; keepdim adds the unit dims back with
// tensor.expand_shape. f16/bf16 sums accumulate in f32 and are rounded by an
// elementwise generic after the reduction (which also divides for mean).
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/TCToLinalg/Patterns.h"
#include "compiler/Conversion/TCToLinalg/Utils.h"

#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace tensorc::tc;
using namespace tensorc::tc::linalg_lowering;

namespace {

enum class ReduceKind { Sum, Mean, Max, Min };

template <typename OpTy> constexpr ReduceKind kindOf();
template <> constexpr ReduceKind kindOf<SumOp>() { return ReduceKind::Sum; }
template <> constexpr ReduceKind kindOf<MeanOp>() { return ReduceKind::Mean; }
template <> constexpr ReduceKind kindOf<MaxOp>() { return ReduceKind::Max; }
template <> constexpr ReduceKind kindOf<MinOp>() { return ReduceKind::Min; }

template <typename OpTy> struct ReduceLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    constexpr ReduceKind kind = kindOf<OpTy>();
    Location loc = op.getLoc();
    Value input = op.getInput();
    ArrayRef<int64_t> axes = op.getAxes();
    Type elem = getElementTypeOrSelf(input.getType());
    // max/min are exact in any type; sums accumulate wide.
    bool isSum = kind == ReduceKind::Sum || kind == ReduceKind::Mean;
    Type acc = isSum ? accumulatorType(elem) : elem;
    Value init;
    switch (kind) {
    case ReduceKind::Sum:
    case ReduceKind::Mean:
      init = scalarConstant(rewriter, loc, acc, 0.0);
      break;
    case ReduceKind::Max: // NaN propagates through maximumf/minimumf.
      init = lowestValue(rewriter, loc, acc);
      break;
    case ReduceKind::Min:
      init = highestValue(rewriter, loc, acc);
      break;
    }
    Value reduced =
        buildReduction(rewriter, loc, input, axes, init,
                       [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                         Value x = convertScalar(b, l, args[0], acc);
                         if (isSum)
                           return addScalar(b, l, args[1], x);
                         if (kind == ReduceKind::Max)
                           return maxScalar(b, l, args[1], x);
                         return minScalar(b, l, args[1], x);
                       });

    if (kind == ReduceKind::Mean || acc != elem) {
      OpFoldResult count;
      if (kind == ReduceKind::Mean)
        count = elementCount(rewriter, loc, input, axes);
      auto reducedType = cast<RankedTensorType>(reduced.getType());
      reduced = buildElementwise(
          rewriter, loc, reduced, reducedType.clone(elem),
          sizesOf(rewriter, loc, reduced),
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value v = args[0];
            if (count)
              v = divScalar(b, l, v, countToFloat(b, l, count, acc));
            return convertScalar(b, l, v, elem);
          });
    }
    rewriter.replaceOp(
        op, expandKeptDims(rewriter, loc, reduced, op.getType(), axes));
    return success();
  }
};

/// The first index of the maximum along one axis: a generic with two outputs
/// (running maximum, its index). NaN counts as the largest value, as in
/// torch.argmax.
struct ArgmaxLowering : OpRewritePattern<ArgmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ArgmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = op.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elem = inputType.getElementType();
    int64_t rank = inputType.getRank();
    int64_t axis = op.getAxis();

    SmallVector<OpFoldResult> keptSizes = sizesOf(rewriter, loc, input);
    keptSizes.erase(keptSizes.begin() + axis);
    Value values = createFilled(rewriter, loc, keptSizes,
                                lowestValue(rewriter, loc, elem));
    Value indices =
        createFilled(rewriter, loc, keptSizes,
                     scalarConstant(rewriter, loc, rewriter.getI64Type(), 0));

    AffineMap kept = dropDimsMap(ctx, rank, {axis});
    SmallVector<AffineMap> maps = {identityMap(ctx, rank), kept, kept};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{values.getType(), indices.getType()}, input,
        ValueRange{values, indices}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], best = args[1], bestIndex = args[2];
          Value take;
          if (isa<FloatType>(elem)) {
            // x > best, or x is NaN and best is not: the first NaN wins.
            Value greaterOrNaN =
                arith::CmpFOp::create(b, l, arith::CmpFPredicate::UGT, x, best);
            Value bestIsNumber = arith::CmpFOp::create(
                b, l, arith::CmpFPredicate::ORD, best, best);
            take = arith::AndIOp::create(b, l, greaterOrNaN, bestIsNumber);
          } else {
            take =
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, x, best);
          }
          Value index = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          linalg::YieldOp::create(
              b, l,
              ValueRange{
                  arith::SelectOp::create(b, l, take, x, best),
                  arith::SelectOp::create(b, l, take, index, bestIndex)});
        });
    rewriter.replaceOp(op, expandKeptDims(rewriter, loc, generic.getResult(1),
                                          op.getType(), {axis}));
    return success();
  }
};

} // namespace

void tensorc::tc::linalg_lowering::populateReductionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ReduceLowering<SumOp>, ReduceLowering<MeanOp>,
               ReduceLowering<MaxOp>, ReduceLowering<MinOp>, ArgmaxLowering>(
      patterns.getContext());
}
