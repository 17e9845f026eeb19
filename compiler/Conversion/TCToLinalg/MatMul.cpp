//===- MatMul.cpp - Matrix products ---------------------------------------===//
//
// tc.matmul follows torch.matmul for ranks >= 2. Named ops wherever the
// shapes allow, so that the contraction emitter recognizes them:
//   [M, K] x [K, N]                   -> linalg.matmul
//   [b..., M, K] x [K, N]             -> collapse lhs rows, linalg.matmul,
//                                        expand
//   [b..., M, K] x [b..., K, N]       -> collapse batch dims,
//                                        linalg.batch_matmul, expand
//   any other broadcast of the batch  -> a linalg.generic contraction
// f16/bf16 products accumulate in f32 (the named ops extend their inputs to
// the output type) and are rounded by an elementwise generic.
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

/// Reassociation [[0 .. n-1], [n], [n+1], ...] for a tensor of `rank`.
SmallVector<ReassociationIndices> collapseLeading(int64_t n, int64_t rank) {
  SmallVector<ReassociationIndices> groups(1);
  for (int64_t d = 0; d < n; ++d)
    groups[0].push_back(d);
  for (int64_t d = n; d < rank; ++d)
    groups.push_back({d});
  return groups;
}

/// Collapses the first `n` dims of `v` into one.
Value collapseFront(OpBuilder &b, Location loc, Value v, int64_t n) {
  auto type = cast<RankedTensorType>(v.getType());
  if (n == 1)
    return v;
  auto groups = collapseLeading(n, type.getRank());
  auto collapsedType =
      tensor::CollapseShapeOp::inferCollapsedType(type, groups);
  return tensor::CollapseShapeOp::create(b, loc, collapsedType, v, groups);
}

/// True when neither side's batch dims broadcast: same rank, and no static 1
/// stretches against a dim that is not 1.
bool sameBatch(RankedTensorType lhs, RankedTensorType rhs) {
  if (lhs.getRank() != rhs.getRank())
    return false;
  for (int64_t d = 0; d < lhs.getRank() - 2; ++d) {
    int64_t l = lhs.getDimSize(d), r = rhs.getDimSize(d);
    if ((l == 1) != (r == 1))
      return false;
  }
  return true;
}

/// The product as a linalg.generic: loops (batch..., m, n, k), each operand's
/// batch dims broadcast with collapsed unit dims.
Value buildContraction(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       RankedTensorType resultType, Value init) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = resultType.getRank();
  ArrayRef<int64_t> batch = resultType.getShape().drop_back(2);
  // broadcastOperand maps over `rank` dims whose last two are the operand's
  // own matrix dims; move those onto the (m, k) or (k, n) loops.
  auto operand = [&](Value v, int64_t row, int64_t col) {
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> loopShape(batch);
    loopShape.append({type.getShape().end()[-2], type.getShape().back()});
    BroadcastOperand op = broadcastOperand(b, loc, v, loopShape);
    SmallVector<AffineExpr> exprs;
    for (AffineExpr e : op.map.getResults()) {
      int64_t pos = cast<AffineDimExpr>(e).getPosition();
      int64_t loop = pos < rank - 2 ? pos : (pos == rank - 2 ? row : col);
      exprs.push_back(getAffineDimExpr(loop, ctx));
    }
    return std::make_pair(op.value, AffineMap::get(rank + 1, 0, exprs, ctx));
  };
  auto [a, aMap] = operand(lhs, rank - 2, rank);
  auto [c, cMap] = operand(rhs, rank, rank - 1);
  SmallVector<utils::IteratorType> iterators(rank + 1,
                                             utils::IteratorType::parallel);
  iterators.back() = utils::IteratorType::reduction;
  Type acc = getElementTypeOrSelf(init.getType());
  return buildGeneric(b, loc, {a, c}, {aMap, cMap}, init,
                      dropDimsMap(ctx, rank + 1, {rank}), iterators,
                      [&](OpBuilder &nb, Location l, ValueRange args) {
                        Value x = convertScalar(nb, l, args[0], acc);
                        Value y = convertScalar(nb, l, args[1], acc);
                        return arith::AddFOp::create(
                            nb, l, args[2], arith::MulFOp::create(nb, l, x, y));
                      });
}

struct MatMulLowering : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = op.getLhs(), rhs = op.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    RankedTensorType resultType = op.getType();
    int64_t rank = resultType.getRank();
    Type elem = resultType.getElementType();
    Type acc = accumulatorType(elem);
    FailureOr<SmallVector<OpFoldResult>> sizes = resultSizes(rewriter, op);
    if (failed(sizes))
      return rewriter.notifyMatchFailure(op, "cannot reify the result shape");
    Value zero = scalarConstant(rewriter, loc, acc, 0.0);
    auto filled = [&](ArrayRef<OpFoldResult> s) {
      return createFilled(rewriter, loc, s, zero);
    };
    // Collapses the leading `n` result dims into one, computes `fn` into a
    // zero-filled destination of that shape, and expands it back.
    auto collapsedProduct = [&](int64_t n, auto fn) -> Value {
      SmallVector<OpFoldResult> collapsed = {
          productOf(rewriter, loc, ArrayRef(*sizes).take_front(n))};
      collapsed.append(sizes->begin() + n, sizes->end());
      Value product = fn(filled(collapsed));
      if (n == 1)
        return product;
      return tensor::ExpandShapeOp::create(rewriter, loc, resultType.clone(acc),
                                           product, collapseLeading(n, rank),
                                           *sizes);
    };

    Value product;
    if (lhsType.getRank() == 2 && rhsType.getRank() == 2) {
      product = linalg::MatmulOp::create(rewriter, loc, ValueRange{lhs, rhs},
                                         filled(*sizes))
                    .getResult(0);
    } else if (rhsType.getRank() == 2) {
      // Rows of every batch at once: [(b... M), K] x [K, N].
      product = collapsedProduct(rank - 1, [&](Value init) {
        Value rows = collapseFront(rewriter, loc, lhs, rank - 1);
        return linalg::MatmulOp::create(rewriter, loc, ValueRange{rows, rhs},
                                        init)
            .getResult(0);
      });
    } else if (sameBatch(lhsType, rhsType)) {
      product = collapsedProduct(rank - 2, [&](Value init) {
        Value a = collapseFront(rewriter, loc, lhs, rank - 2);
        Value c = collapseFront(rewriter, loc, rhs, rank - 2);
        return linalg::BatchMatmulOp::create(rewriter, loc, ValueRange{a, c},
                                             init)
            .getResult(0);
      });
    } else {
      product = buildContraction(rewriter, loc, lhs, rhs, resultType.clone(acc),
                                 filled(*sizes));
    }

    if (acc != elem)
      product = buildElementwise(rewriter, loc, product, resultType, *sizes,
                                 [&](OpBuilder &b, Location l, ValueRange a) {
                                   return convertScalar(b, l, a[0], elem);
                                 });
    rewriter.replaceOp(op, product);
    return success();
  }
};

} // namespace

void tensorc::tc::linalg_lowering::populateMatMulPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MatMulLowering>(patterns.getContext());
}
