//===- Normalization.cpp - softmax, norms and losses ----------------------===//
//
// Row-wise ops as chains of reductions and elementwise generics, each step
// spelled the way PyTorch computes it:
//   softmax      m = max(x); e = exp(x - m); s = sum(e); e / s
//   log_softmax  x - m - log(sum(exp(x - m)))
//   layernorm    mean; var = mean((x - mean)^2) (biased);
//                (x - mean) * rsqrt(var + eps) * gamma + beta
//   rmsnorm      x * rsqrt(mean(x^2) + eps) * gamma
//   cross_entropy  per row: m + log(sum(exp(x - m))) - x[label] (NaN for a
//                label outside [0, C)); then the mean over rows
//   mse          mean((a - b)^2)
// f16/bf16 inputs are computed in f32 and rounded at the end.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/TCToLinalg/Patterns.h"
#include "compiler/Conversion/TCToLinalg/Utils.h"

#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <numeric>

using namespace mlir;
using namespace tensorc::tc;
using namespace tensorc::tc::linalg_lowering;

namespace {

/// The dims [first, first + count).
SmallVector<int64_t> axesFrom(int64_t first, int64_t count) {
  SmallVector<int64_t> axes(count);
  std::iota(axes.begin(), axes.end(), first);
  return axes;
}

/// max over `axes` in the input's own type (exact; NaN propagates).
Value reduceMax(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> axes) {
  Type elem = getElementTypeOrSelf(x.getType());
  return buildReduction(b, loc, x, axes, lowestValue(b, loc, elem),
                        [](OpBuilder &nb, Location l, ValueRange a) {
                          return maxScalar(nb, l, a[1], a[0]);
                        });
}

/// sum over `axes` of exp(x - m), in `acc`; `m` has the reduced dims dropped.
Value sumExp(OpBuilder &b, Location loc, Value x, Value m,
             ArrayRef<int64_t> axes, Type acc) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  return buildReduction(
      b, loc, {x, m}, axes, scalarConstant(b, loc, acc, 0.0),
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value d = arith::SubFOp::create(nb, l, convertScalar(nb, l, a[0], acc),
                                        convertScalar(nb, l, a[1], acc));
        return arith::AddFOp::create(nb, l, a[2],
                                     math::ExpOp::create(nb, l, d));
      },
      {identityMap(ctx, rank), dropDimsMap(ctx, rank, axes)});
}

template <typename OpTy> struct SoftmaxLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  static constexpr bool isLog = std::is_same_v<OpTy, LogSoftmaxOp>;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = op.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    Type elem = type.getElementType(), acc = accumulatorType(elem);
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, x);
    AffineMap id = identityMap(ctx, rank);
    AffineMap row = dropDimsMap(ctx, rank, {axis});

    Value m = reduceMax(rewriter, loc, x, {axis});
    if (isLog) {
      Value s = sumExp(rewriter, loc, x, m, {axis}, acc);
      rewriter.replaceOp(
          op, buildParallel(rewriter, loc, {x, m, s}, {id, row, row}, sizes,
                            elem, [&](OpBuilder &b, Location l, ValueRange a) {
                              Value d = arith::SubFOp::create(
                                  b, l, convertScalar(b, l, a[0], acc),
                                  convertScalar(b, l, a[1], acc));
                              Value r = arith::SubFOp::create(
                                  b, l, d, math::LogOp::create(b, l, a[2]));
                              return convertScalar(b, l, r, elem);
                            }));
      return success();
    }
    Value e = buildParallel(rewriter, loc, {x, m}, {id, row}, sizes, acc,
                            [&](OpBuilder &b, Location l, ValueRange a) {
                              Value d = arith::SubFOp::create(
                                  b, l, convertScalar(b, l, a[0], acc),
                                  convertScalar(b, l, a[1], acc));
                              return math::ExpOp::create(b, l, d);
                            });
    Value s = buildReduction(rewriter, loc, e, {axis},
                             scalarConstant(rewriter, loc, acc, 0.0),
                             [](OpBuilder &b, Location l, ValueRange a) {
                               return addScalar(b, l, a[1], a[0]);
                             });
    rewriter.replaceOp(
        op, buildParallel(rewriter, loc, {e, s}, {id, row}, sizes, elem,
                          [&](OpBuilder &b, Location l, ValueRange a) {
                            Value q = arith::DivFOp::create(b, l, a[0], a[1]);
                            return convertScalar(b, l, q, elem);
                          }));
    return success();
  }
};

/// layernorm and rmsnorm over the trailing rank(gamma) dims.
template <typename OpTy> struct NormLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  static constexpr bool isLayerNorm = std::is_same_v<OpTy, LayerNormOp>;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = op.getInput(), gamma = op.getGamma();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    int64_t k = cast<RankedTensorType>(gamma.getType()).getRank();
    Type elem = type.getElementType(), acc = accumulatorType(elem);
    SmallVector<int64_t> axes = axesFrom(rank - k, k);
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, x);
    OpFoldResult count = elementCount(rewriter, loc, x, axes);
    double eps = op.getEps().convertToDouble();
    AffineMap id = identityMap(ctx, rank);
    AffineMap row = dropDimsMap(ctx, rank, axes);
    AffineMap param = dropDimsMap(ctx, rank, axesFrom(0, rank - k));
    Value zero = scalarConstant(rewriter, loc, acc, 0.0);
    auto ext = [&](OpBuilder &b, Location l, Value v) {
      return convertScalar(b, l, v, acc);
    };
    auto square = [](OpBuilder &b, Location l, Value v) -> Value {
      return arith::MulFOp::create(b, l, v, v);
    };
    // rsqrt(sum / count + eps), for the payloads.
    auto invStd = [&](OpBuilder &b, Location l, Value sum) -> Value {
      Value mean =
          arith::DivFOp::create(b, l, sum, countToFloat(b, l, count, acc));
      return math::RsqrtOp::create(
          b, l,
          arith::AddFOp::create(b, l, mean, scalarConstant(b, l, acc, eps)));
    };

    if constexpr (!isLayerNorm) {
      Value sumSq =
          buildReduction(rewriter, loc, x, axes, zero,
                         [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return arith::AddFOp::create(
                               b, l, a[1], square(b, l, ext(b, l, a[0])));
                         });
      rewriter.replaceOp(
          op, buildParallel(
                  rewriter, loc, {x, sumSq, gamma}, {id, row, param}, sizes,
                  elem, [&](OpBuilder &b, Location l, ValueRange a) {
                    Value y = arith::MulFOp::create(b, l, ext(b, l, a[0]),
                                                    invStd(b, l, a[1]));
                    y = arith::MulFOp::create(b, l, y, ext(b, l, a[2]));
                    return convertScalar(b, l, y, elem);
                  }));
      return success();
    } else {
      Value sum = buildReduction(rewriter, loc, x, axes, zero,
                                 [&](OpBuilder &b, Location l, ValueRange a) {
                                   return arith::AddFOp::create(
                                       b, l, a[1], ext(b, l, a[0]));
                                 });
      Value mean = buildElementwise(
          rewriter, loc, sum, cast<RankedTensorType>(sum.getType()),
          sizesOf(rewriter, loc, sum),
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            return arith::DivFOp::create(b, l, a[0],
                                         countToFloat(b, l, count, acc));
          });
      // The variance of the centered values (safer than E[x^2] - mean^2).
      Value sumSq = buildReduction(
          rewriter, loc, {x, mean}, axes, zero,
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            Value d = arith::SubFOp::create(b, l, ext(b, l, a[0]), a[1]);
            return arith::AddFOp::create(b, l, a[2], square(b, l, d));
          },
          {id, row});
      Value beta = op.getBeta();
      rewriter.replaceOp(
          op,
          buildParallel(
              rewriter, loc, {x, mean, sumSq, gamma, beta},
              {id, row, row, param, param}, sizes, elem,
              [&](OpBuilder &b, Location l, ValueRange a) {
                Value d = arith::SubFOp::create(b, l, ext(b, l, a[0]), a[1]);
                Value y = arith::MulFOp::create(b, l, d, invStd(b, l, a[2]));
                y = arith::MulFOp::create(b, l, y, ext(b, l, a[3]));
                y = arith::AddFOp::create(b, l, y, ext(b, l, a[4]));
                return convertScalar(b, l, y, elem);
              }));
      return success();
    }
  }
};

/// sum(tensor) / count over every dim, rounded to `elem`: a rank-0 result.
Value meanToScalar(OpBuilder &b, Location loc, Value sum, OpFoldResult count,
                   Type elem) {
  Type acc = getElementTypeOrSelf(sum.getType());
  return buildElementwise(
      b, loc, sum, cast<RankedTensorType>(sum.getType()).clone(elem), {},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value q =
            arith::DivFOp::create(nb, l, a[0], countToFloat(nb, l, count, acc));
        return convertScalar(nb, l, q, elem);
      });
}

struct CrossEntropyLowering : OpRewritePattern<CrossEntropyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CrossEntropyOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value logits = op.getLogits(), labels = op.getLabels();
    Type elem = getElementTypeOrSelf(logits.getType());
    Type acc = accumulatorType(elem);
    Value m = reduceMax(rewriter, loc, logits, {1});
    Value s = sumExp(rewriter, loc, logits, m, {1}, acc);
    OpFoldResult classes = tensor::getMixedSize(rewriter, loc, logits, 1);
    OpFoldResult rows = tensor::getMixedSize(rewriter, loc, logits, 0);
    AffineMap id = identityMap(ctx, 1);
    Value perRow = buildParallel(
        rewriter, loc, {labels, m, s}, {id, id, id}, {rows}, acc,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value label =
              arith::IndexCastOp::create(b, l, b.getIndexType(), a[0]);
          Value c = getValueOrCreateConstantIndexOp(b, l, classes);
          Value col = clampIndex(b, l, label, c);
          Value inRange =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, col, label);
          Value r = linalg::IndexOp::create(b, l, 0);
          Value picked =
              tensor::ExtractOp::create(b, l, logits, ValueRange{r, col});
          Value lse =
              arith::AddFOp::create(b, l, convertScalar(b, l, a[1], acc),
                                    math::LogOp::create(b, l, a[2]));
          Value loss = arith::SubFOp::create(b, l, lse,
                                             convertScalar(b, l, picked, acc));
          Value nan = scalarConstant(b, l, acc, std::nan(""));
          return arith::SelectOp::create(b, l, inRange, loss, nan);
        });
    Value total = buildReduction(rewriter, loc, perRow, {0},
                                 scalarConstant(rewriter, loc, acc, 0.0),
                                 [](OpBuilder &b, Location l, ValueRange a) {
                                   return addScalar(b, l, a[1], a[0]);
                                 });
    rewriter.replaceOp(op, meanToScalar(rewriter, loc, total, rows, elem));
    return success();
  }
};

struct MseLowering : OpRewritePattern<MseOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MseOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = op.getLhs(), rhs = op.getRhs();
    int64_t rank = cast<RankedTensorType>(lhs.getType()).getRank();
    Type elem = getElementTypeOrSelf(lhs.getType());
    Type acc = accumulatorType(elem);
    SmallVector<int64_t> axes = axesFrom(0, rank);
    Value total = buildReduction(
        rewriter, loc, {lhs, rhs}, axes,
        scalarConstant(rewriter, loc, acc, 0.0),
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value d = arith::SubFOp::create(b, l, convertScalar(b, l, a[0], acc),
                                          convertScalar(b, l, a[1], acc));
          return arith::AddFOp::create(b, l, a[2],
                                       arith::MulFOp::create(b, l, d, d));
        });
    OpFoldResult count = elementCount(rewriter, loc, lhs, axes);
    rewriter.replaceOp(op, meanToScalar(rewriter, loc, total, count, elem));
    return success();
  }
};

} // namespace

void tensorc::tc::linalg_lowering::populateNormalizationPatterns(
    RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering<SoftmaxOp>, SoftmaxLowering<LogSoftmaxOp>,
               NormLowering<LayerNormOp>, NormLowering<RmsNormOp>,
               CrossEntropyLowering, MseLowering>(patterns.getContext());
}
