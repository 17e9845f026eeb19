//===- Lookup.cpp - embedding, one_hot, causal_mask, masked_fill, cast ----===//
//
//   embedding    a generic over [ids..., D] that gathers table[clamp(id), d]
//                with tensor.extract (ids clamped to [0, V - 1])
//   one_hot      (ids[...] == c) converted to the result type
//   causal_mask  a generic with no inputs: col > row from linalg.index
//   masked_fill  select(mask, value, x), the mask broadcast to x
//   cast         elementwise conversion with PyTorch's rules (Utils)
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/TCToLinalg/Patterns.h"
#include "compiler/Conversion/TCToLinalg/Utils.h"

#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"

using namespace mlir;
using namespace tensorc::tc;
using namespace tensorc::tc::linalg_lowering;

namespace {

struct EmbeddingLowering : OpRewritePattern<EmbeddingOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(EmbeddingOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value table = op.getTable();
    // [ids..., D], computed here: the tc reification gets a dynamic D wrong.
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, op.getIds());
    sizes.push_back(tensor::getMixedSize(rewriter, loc, table, 1));
    int64_t rank = op.getType().getRank();
    OpFoldResult rows = tensor::getMixedSize(rewriter, loc, table, 0);
    AffineMap idsMap = dropDimsMap(rewriter.getContext(), rank, {rank - 1});
    rewriter.replaceOp(
        op, buildParallel(
                rewriter, loc, op.getIds(), idsMap, sizes,
                op.getType().getElementType(),
                [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                  Value id =
                      arith::IndexCastOp::create(b, l, b.getIndexType(), a[0]);
                  Value row = clampIndex(
                      b, l, id, getValueOrCreateConstantIndexOp(b, l, rows));
                  Value col = linalg::IndexOp::create(b, l, rank - 1);
                  return tensor::ExtractOp::create(b, l, table,
                                                   ValueRange{row, col});
                }));
    return success();
  }
};

struct OneHotLowering : OpRewritePattern<OneHotOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(OneHotOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<SmallVector<OpFoldResult>> sizes = resultSizes(rewriter, op);
    if (failed(sizes))
      return rewriter.notifyMatchFailure(op, "cannot reify the result shape");
    int64_t rank = op.getType().getRank();
    Type elem = op.getType().getElementType();
    AffineMap idsMap = dropDimsMap(rewriter.getContext(), rank, {rank - 1});
    rewriter.replaceOp(
        op,
        buildParallel(rewriter, op.getLoc(), op.getIds(), idsMap, *sizes, elem,
                      [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                        Type i64 = b.getI64Type();
                        Value id = convertScalar(b, l, a[0], i64);
                        Value c = arith::IndexCastOp::create(
                            b, l, i64, linalg::IndexOp::create(b, l, rank - 1));
                        Value hit = arith::CmpIOp::create(
                            b, l, arith::CmpIPredicate::eq, id, c);
                        return convertScalar(b, l, hit, elem);
                      }));
    return success();
  }
};

struct CausalMaskLowering : OpRewritePattern<CausalMaskOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CausalMaskOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<SmallVector<OpFoldResult>> sizes = resultSizes(rewriter, op);
    if (failed(sizes))
      return rewriter.notifyMatchFailure(op, "cannot reify the result shape");
    rewriter.replaceOp(
        op, buildParallel(rewriter, op.getLoc(), {}, {}, *sizes,
                          rewriter.getI1Type(),
                          [](OpBuilder &b, Location l, ValueRange) -> Value {
                            Value row = linalg::IndexOp::create(b, l, 0);
                            Value col = linalg::IndexOp::create(b, l, 1);
                            return arith::CmpIOp::create(
                                b, l, arith::CmpIPredicate::ugt, col, row);
                          }));
    return success();
  }
};

struct MaskedFillLowering : OpRewritePattern<MaskedFillOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaskedFillOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<SmallVector<OpFoldResult>> sizes = resultSizes(rewriter, op);
    if (failed(sizes))
      return rewriter.notifyMatchFailure(op, "cannot reify the result shape");
    double value = op.getValue().convertToDouble();
    Type elem = op.getType().getElementType();
    rewriter.replaceOp(
        op,
        buildElementwise(
            rewriter, op.getLoc(), {op.getInput(), op.getMask()}, op.getType(),
            *sizes, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
              return arith::SelectOp::create(
                  b, l, a[1], scalarConstant(b, l, elem, value), a[0]);
            }));
    return success();
  }
};

struct CastLowering : OpRewritePattern<CastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CastOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<SmallVector<OpFoldResult>> sizes = resultSizes(rewriter, op);
    if (failed(sizes))
      return rewriter.notifyMatchFailure(op, "cannot reify the result shape");
    Type to = op.getType().getElementType();
    rewriter.replaceOp(
        op,
        buildElementwise(rewriter, op.getLoc(), op.getInput(), op.getType(),
                         *sizes, [&](OpBuilder &b, Location l, ValueRange a) {
                           return convertScalar(b, l, a[0], to);
                         }));
    return success();
  }
};

} // namespace

void tensorc::tc::linalg_lowering::populateLookupPatterns(
    RewritePatternSet &patterns) {
  patterns.add<EmbeddingLowering, OneHotLowering, CausalMaskLowering,
               MaskedFillLowering, CastLowering>(patterns.getContext());
}
