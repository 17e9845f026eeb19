//===- Dropout.cpp - dropout: a counter-based mask from linalg.index ------===//
//
// A keyed tc.dropout (the trained function's, tc-autodiff) becomes one
// all-parallel generic over x and the 0-d seed and step: element i
// (row-major, from linalg.index) is x * 1/(1-p) when word 0 of
// Philox4x32-10 with counter (lo32 i, hi32 i, step, 0) and key (seed, site)
// is at least p * 2^32, else x * 0 (NaN stays NaN, as in PyTorch). The mask
// is recomputed wherever it is needed, never stored, so the generic fuses
// with its neighbours like any elementwise op, on the CPU and the GPU alike.
// runtime/Philox.h is the same generator on the host. Without a key dropout
// is the identity (evaluation, inference).
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/TCToLinalg/Patterns.h"
#include "compiler/Conversion/TCToLinalg/Utils.h"

#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"

#include <cmath>

using namespace mlir;
using namespace tensorc::tc;
using namespace tensorc::tc::linalg_lowering;

namespace {

/// Philox4x32-10 in i32 arithmetic (Salmon et al., SC'11; Random123's
/// constants), as runtime/Philox.h. The 32x32 -> 64-bit products are i64
/// multiplications, which every backend has (NVPTX makes mul.wide.u32).
class PhiloxBuilder {
public:
  PhiloxBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  Value i32(uint32_t v) {
    return arith::ConstantOp::create(
        b, loc, b.getIntegerAttr(b.getI32Type(), APInt(32, v)));
  }

  /// Word 0 of philox4x32(ctr, (key0, key1)); key1 is a constant.
  Value word0(std::array<Value, 4> ctr, Value key0, uint32_t key1) {
    constexpr uint32_t kM0 = 0xD2511F53, kM1 = 0xCD9E8D57;
    constexpr uint32_t kW0 = 0x9E3779B9, kW1 = 0xBB67AE85;
    for (int round = 0; round < 10; ++round) {
      auto [hi0, lo0] = mulHiLo(kM0, ctr[0]);
      auto [hi1, lo1] = mulHiLo(kM1, ctr[2]);
      ctr = {xori(xori(hi1, ctr[1]), key0), lo1,
             xori(xori(hi0, ctr[3]), i32(key1)), lo0};
      key0 = arith::AddIOp::create(b, loc, key0, i32(kW0));
      key1 += kW1;
    }
    return ctr[0];
  }

private:
  Value xori(Value x, Value y) { return arith::XOrIOp::create(b, loc, x, y); }

  std::pair<Value, Value> mulHiLo(uint32_t m, Value x) {
    Type i64 = b.getI64Type();
    Value wide = arith::ExtUIOp::create(b, loc, i64, x);
    Value p = arith::MulIOp::create(
        b, loc, wide,
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(i64, m)));
    Value hi = arith::ShRUIOp::create(
        b, loc, p,
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(i64, 32)));
    Type i32 = b.getI32Type();
    return {arith::TruncIOp::create(b, loc, i32, hi),
            arith::TruncIOp::create(b, loc, i32, p)};
  }

  OpBuilder &b;
  Location loc;
};

/// The row-major index (i64) of the current element of a generic, from
/// linalg.index and the strides (computed outside the generic).
Value linearIndex(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> strides) {
  Type i64 = b.getI64Type();
  Value linear = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i64, 0));
  for (auto [d, s] : llvm::enumerate(strides)) {
    Value i = arith::IndexCastOp::create(b, loc, i64,
                                         linalg::IndexOp::create(b, loc, d));
    Value stride =
        isa<Value>(s)
            ? arith::IndexCastOp::create(b, loc, i64, cast<Value>(s))
                  .getResult()
            : arith::ConstantOp::create(
                  b, loc, b.getIntegerAttr(i64, *getConstantIntValue(s)))
                  .getResult();
    linear = arith::AddIOp::create(b, loc, linear,
                                   arith::MulIOp::create(b, loc, i, stride));
  }
  return linear;
}

struct DropoutLowering : OpRewritePattern<DropoutOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DropoutOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.isKeyed()) {
      rewriter.replaceOp(op, op.getInput());
      return success();
    }
    Location loc = op.getLoc();
    Value x = op.getInput();
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    Type elem = type.getElementType();
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, x);
    // Row-major strides, outside the generic (a kernel captures the index
    // values of dynamic ones).
    SmallVector<OpFoldResult> strides;
    for (int64_t d = 0; d < rank; ++d)
      strides.push_back(
          productOf(rewriter, loc, ArrayRef(sizes).drop_front(d + 1)));

    double p = op.getP().convertToDouble();
    auto threshold = static_cast<uint32_t>(
        std::min<double>(std::nearbyint(std::ldexp(p, 32)), 4294967295.0));
    double scale = 1.0 / (1.0 - p);
    auto site = static_cast<uint32_t>(op.getSite());

    MLIRContext *ctx = rewriter.getContext();
    AffineMap scalarMap = AffineMap::get(rank, 0, {}, ctx);
    SmallVector<Value> inputs = {x, op.getKey()[0], op.getKey()[1]};
    SmallVector<AffineMap> maps = {identityMap(ctx, rank), scalarMap,
                                   scalarMap};
    rewriter.replaceOp(
        op,
        buildParallel(
            rewriter, loc, inputs, maps, sizes, elem,
            [&](OpBuilder &b, Location l, ValueRange a) -> Value {
              Type i64 = b.getI64Type(), i32 = b.getI32Type();
              Value linear = linearIndex(b, l, strides);
              PhiloxBuilder philox(b, l);
              Value hi = arith::ShRUIOp::create(
                  b, l, linear,
                  arith::ConstantOp::create(b, l, b.getIntegerAttr(i64, 32)));
              Value word = philox.word0(
                  {arith::TruncIOp::create(b, l, i32, linear),
                   arith::TruncIOp::create(b, l, i32, hi), a[2], philox.i32(0)},
                  a[1], site);
              Value keep = arith::CmpIOp::create(
                  b, l, arith::CmpIPredicate::uge, word, philox.i32(threshold));
              Value factor = arith::SelectOp::create(
                  b, l, keep, scalarConstant(b, l, elem, scale),
                  scalarConstant(b, l, elem, 0.0));
              return arith::MulFOp::create(b, l, a[0], factor);
            }));
    return success();
  }
};

} // namespace

void tensorc::tc::linalg_lowering::populateDropoutPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DropoutLowering>(patterns.getContext());
}
