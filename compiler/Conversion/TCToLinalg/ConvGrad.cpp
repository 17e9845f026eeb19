//===- ConvGrad.cpp - Gradients of conv2d and the poolings ----------------===//
//
// The conv2d gradients are matrix products over gathered windows
// (ConvGemm.h) where the spatial dims are static; otherwise, and for the
// poolings, each is one linalg.generic over the gradient's result with the
// window as reduction loops:
//   conv2d_filter_grad  dw[f,c,kh,kw] += xpad[n,c,oh*s+kh,ow*s+kw] *
//   g[n,f,oh,ow]
//                       (affine: the padded input, like the forward conv)
//   conv2d_input_grad   dx[n,c,h,w] += g[n,f,oh,ow] * w[f,c,kh,kw] for the
//                       (oh, kh) with h = oh*s + kh - p: g is gathered with
//                       tensor.extract at oh = (h + p - kh) / s when that
//                       divides and lands inside g
//   max_pool2d_grad     dx[n,c,h,w] += g[n,c,oh,ow] where x[n,c,h,w] is the
//                       first (row-major) element of the window equal to
//                       its maximum y[n,c,oh,ow], as PyTorch
//   avg_pool2d_grad     dx[n,c,h,w] += g[n,c,oh,ow] / (KH * KW)
// Sums accumulate in f32 for f16/bf16.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/TCToLinalg/ConvGemm.h"
#include "compiler/Conversion/TCToLinalg/Patterns.h"
#include "compiler/Conversion/TCToLinalg/Utils.h"

#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace tensorc::tc;
using namespace tensorc::tc::linalg_lowering;

namespace {

using utils::IteratorType;

/// Iterators: `parallel` parallel loops, then `reduction` reduction loops.
SmallVector<IteratorType> iterators(int parallel, int reduction) {
  SmallVector<IteratorType> it(parallel, IteratorType::parallel);
  it.append(reduction, IteratorType::reduction);
  return it;
}

/// The result in `acc` (of the accumulator type) converted to `type`.
Value toResultType(OpBuilder &b, Location loc, Value acc,
                   RankedTensorType type) {
  if (cast<RankedTensorType>(acc.getType()).getElementType() ==
      type.getElementType())
    return acc;
  int64_t rank = type.getRank();
  Type elem = type.getElementType();
  return buildParallel(b, loc, acc, identityMap(b.getContext(), rank),
                       sizesOf(b, loc, acc), elem,
                       [&](OpBuilder &nb, Location l, ValueRange a) {
                         return convertScalar(nb, l, a[0], elem);
                       });
}

/// Zeros of the accumulator type in the shape of the op's result.
FailureOr<Value> zeroAccumulator(PatternRewriter &b, Operation *op) {
  FailureOr<SmallVector<OpFoldResult>> sizes = resultSizes(b, op);
  if (failed(sizes))
    return failure();
  Type elem =
      cast<RankedTensorType>(op->getResult(0).getType()).getElementType();
  Type acc = accumulatorType(elem);
  return createFilled(b, op->getLoc(), *sizes,
                      scalarConstant(b, op->getLoc(), acc, 0.0));
}

/// The output position `o` that window offset `k` maps input position `i`
/// to (i = o * stride + k - pad), clamped into range, and whether it exists.
std::pair<Value, Value> windowSource(OpBuilder &b, Location loc, Value i,
                                     Value k, int64_t stride, int64_t pad,
                                     int64_t outSize) {
  auto c = [&](int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); };
  Value t = arith::SubIOp::create(b, loc,
                                  arith::AddIOp::create(b, loc, i, c(pad)), k);
  Value o = arith::DivSIOp::create(b, loc, t, c(stride));
  Value valid = arith::AndIOp::create(
      b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, t, c(0)),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, o, c(outSize)));
  if (stride > 1) {
    Value rem = arith::RemSIOp::create(b, loc, t, c(stride));
    valid = arith::AndIOp::create(
        b, loc, valid,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rem, c(0)));
  }
  o = arith::SelectOp::create(b, loc, valid, o, c(0));
  return {o, valid};
}

/// The window source of spatial loops (2, 3) and window loops (kh, kw):
/// (oh, ow) into a tensor of spatial size `outShape`, and whether both exist.
struct WindowSource {
  Value oh, ow, valid;
};
WindowSource spatialSource(OpBuilder &b, Location loc, int64_t khLoop,
                           ArrayRef<int64_t> stride, ArrayRef<int64_t> padding,
                           ArrayRef<int64_t> outShape) {
  auto idx = [&](int64_t d) { return linalg::IndexOp::create(b, loc, d); };
  auto [oh, vh] = windowSource(b, loc, idx(2), idx(khLoop), stride[0],
                               padding[0], outShape[2]);
  auto [ow, vw] = windowSource(b, loc, idx(3), idx(khLoop + 1), stride[1],
                               padding[1], outShape[3]);
  return {oh, ow, arith::AndIOp::create(b, loc, vh, vw)};
}

/// acc + (valid ? v : 0), in the accumulator's type.
Value accumulateIf(OpBuilder &b, Location loc, Value acc, Value valid,
                   Value v) {
  v = convertScalar(b, loc, v, acc.getType());
  Value zero = scalarConstant(b, loc, acc.getType(), 0.0);
  return arith::AddFOp::create(b, loc, acc,
                               arith::SelectOp::create(b, loc, valid, v, zero));
}

AffineMap map7(MLIRContext *ctx, ArrayRef<AffineExpr> exprs) {
  return AffineMap::get(7, 0, exprs, ctx);
}

struct Conv2dFilterGradLowering : OpRewritePattern<Conv2dFilterGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2dFilterGradOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Type elem = op.getType().getElementType();
    if (std::optional<ConvGeometry> geo = convGeometry(
            op.getInput().getType(), op.getType(), op.getGrad().getType(),
            op.getStride(), op.getPadding())) {
      Value dw = buildConvFilterGrad(rewriter, loc, op.getInput(), op.getGrad(),
                                     *geo, accumulatorType(elem));
      rewriter.replaceOp(op, toResultType(rewriter, loc, dw, op.getType()));
      return success();
    }
    FailureOr<Value> init = zeroAccumulator(rewriter, op);
    if (failed(init))
      return rewriter.notifyMatchFailure(op, "cannot size the result");
    Value x = padSpatial(rewriter, loc, op.getInput(), op.getPadding(),
                         scalarConstant(rewriter, loc, elem, 0.0));
    // Loops (f, c, kh, kw | n, oh, ow).
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    ArrayRef<int64_t> s = op.getStride();
    AffineMap xMap =
        map7(ctx, {d(4), d(1), d(5) * s[0] + d(2), d(6) * s[1] + d(3)});
    AffineMap gMap = map7(ctx, {d(4), d(0), d(5), d(6)});
    AffineMap outMap = map7(ctx, {d(0), d(1), d(2), d(3)});
    Value acc = buildGeneric(
        rewriter, loc, ValueRange{x, op.getGrad()}, {xMap, gMap}, *init, outMap,
        iterators(4, 3), [&](OpBuilder &b, Location l, ValueRange a) {
          Type t = a[2].getType();
          Value p = arith::MulFOp::create(b, l, convertScalar(b, l, a[0], t),
                                          convertScalar(b, l, a[1], t));
          return arith::AddFOp::create(b, l, a[2], p).getResult();
        });
    rewriter.replaceOp(op, toResultType(rewriter, loc, acc, op.getType()));
    return success();
  }
};

struct Conv2dInputGradLowering : OpRewritePattern<Conv2dInputGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2dInputGradOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    if (std::optional<ConvGeometry> geo = convGeometry(
            op.getType(), op.getFilter().getType(), op.getGrad().getType(),
            op.getStride(), op.getPadding())) {
      Value dx =
          buildConvInputGrad(rewriter, loc, op.getGrad(), op.getFilter(), *geo,
                             accumulatorType(op.getType().getElementType()));
      rewriter.replaceOp(op, toResultType(rewriter, loc, dx, op.getType()));
      return success();
    }
    FailureOr<Value> init = zeroAccumulator(rewriter, op);
    if (failed(init))
      return rewriter.notifyMatchFailure(op, "cannot size the result");
    Value g = op.getGrad();
    SmallVector<int64_t> gShape(cast<RankedTensorType>(g.getType()).getShape());
    // Loops (n, c, h, w | f, kh, kw).
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    AffineMap wMap = map7(ctx, {d(4), d(1), d(5), d(6)});
    AffineMap outMap = map7(ctx, {d(0), d(1), d(2), d(3)});
    Value acc = buildGeneric(
        rewriter, loc, ValueRange{op.getFilter()}, {wMap}, *init, outMap,
        iterators(4, 3), [&](OpBuilder &b, Location l, ValueRange a) {
          WindowSource src =
              spatialSource(b, l, 5, op.getStride(), op.getPadding(), gShape);
          Value n = linalg::IndexOp::create(b, l, 0);
          Value f = linalg::IndexOp::create(b, l, 4);
          Value gv = tensor::ExtractOp::create(
              b, l, g, ValueRange{n, f, src.oh, src.ow});
          Type t = a[1].getType();
          Value p = arith::MulFOp::create(b, l, convertScalar(b, l, gv, t),
                                          convertScalar(b, l, a[0], t));
          return accumulateIf(b, l, a[1], src.valid, p);
        });
    rewriter.replaceOp(op, toResultType(rewriter, loc, acc, op.getType()));
    return success();
  }
};

/// Whether window (src.oh, src.ow) of max_pool2d_grad's input holds its
/// maximum `y` before window offset (kh, kw) (loops 4 and 5), in row-major
/// order: PyTorch's max_pool2d sends the gradient to the first maximum of
/// a window only, which matters where a window holds equal values (a
/// constant region of an image). The window is unrolled: kernels are small.
Value earlierMaximum(OpBuilder &b, Location loc, MaxPool2dGradOp op, Value n,
                     Value c, const WindowSource &src, Value y) {
  auto idx = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  ArrayRef<int64_t> kernel = op.getKernel(), stride = op.getStride(),
                    padding = op.getPadding();
  ArrayRef<int64_t> shape =
      cast<RankedTensorType>(op.getInput().getType()).getShape();
  Value current = arith::AddIOp::create(
      b, loc,
      arith::MulIOp::create(b, loc, linalg::IndexOp::create(b, loc, 4),
                            idx(kernel[1])),
      linalg::IndexOp::create(b, loc, 5));
  // The input position of window offset `k` along spatial dim `d`, clamped
  // into the input, and whether it is inside (not padding).
  auto position = [&](Value o, int64_t k, int d) -> std::pair<Value, Value> {
    Value p = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, o, idx(stride[d])),
        idx(k - padding[d]));
    Value inside = arith::AndIOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, p, idx(0)),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, p,
                              idx(shape[2 + d])));
    Value clamped = arith::MaxSIOp::create(
        b, loc, arith::MinSIOp::create(b, loc, p, idx(shape[2 + d] - 1)),
        idx(0));
    return {clamped, inside};
  };
  Value found = arith::ConstantIntOp::create(b, loc, 0, 1);
  for (int64_t kh = 0; kh < kernel[0]; ++kh) {
    for (int64_t kw = 0; kw < kernel[1]; ++kw) {
      auto [h, insideH] = position(src.oh, kh, 0);
      auto [w, insideW] = position(src.ow, kw, 1);
      Value x = tensor::ExtractOp::create(b, loc, op.getInput(),
                                          ValueRange{n, c, h, w});
      Value hit = arith::AndIOp::create(
          b, loc, arith::AndIOp::create(b, loc, insideH, insideW),
          arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, y));
      Value before = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                           idx(kh * kernel[1] + kw), current);
      found = arith::OrIOp::create(b, loc, found,
                                   arith::AndIOp::create(b, loc, before, hit));
    }
  }
  return found;
}

/// max_pool2d_grad and avg_pool2d_grad: loops (n, c, h, w | kh, kw); a
/// tensor.empty of the kernel's shape gives the window loops their range,
/// as in linalg's pooling ops.
template <typename OpTy> struct PoolGradLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  static constexpr bool isMax = std::is_same_v<OpTy, MaxPool2dGradOp>;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    FailureOr<Value> init = zeroAccumulator(rewriter, op);
    if (failed(init))
      return rewriter.notifyMatchFailure(op, "cannot size the result");
    Type elem = op.getType().getElementType();
    Value g = op.getGrad();
    SmallVector<int64_t> gShape(cast<RankedTensorType>(g.getType()).getShape());
    ArrayRef<int64_t> kernel = op.getKernel();
    Value window = tensor::EmptyOp::create(rewriter, loc, kernel, elem);
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<Value> inputs = {window};
    SmallVector<AffineMap> maps = {AffineMap::get(6, 0, {d(4), d(5)}, ctx)};
    AffineMap outMap = AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx);
    if constexpr (isMax) {
      inputs.push_back(op.getInput());
      maps.push_back(outMap);
    }
    double area = static_cast<double>(kernel[0] * kernel[1]);
    Value acc = buildGeneric(
        rewriter, loc, inputs, maps, *init, outMap, iterators(4, 2),
        [&](OpBuilder &b, Location l, ValueRange a) {
          WindowSource src =
              spatialSource(b, l, 4, op.getStride(), op.getPadding(), gShape);
          Value n = linalg::IndexOp::create(b, l, 0);
          Value c = linalg::IndexOp::create(b, l, 1);
          SmallVector<Value, 4> at = {n, c, src.oh, src.ow};
          Value gv = tensor::ExtractOp::create(b, l, g, at);
          Value accIn = a.back();
          Value valid = src.valid;
          if constexpr (isMax) {
            Value y = tensor::ExtractOp::create(b, l, op.getOutput(), at);
            valid = arith::AndIOp::create(
                b, l, valid,
                arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, a[1],
                                      y));
            valid = arith::AndIOp::create(
                b, l, valid,
                arith::XOrIOp::create(
                    b, l, earlierMaximum(b, l, op, n, c, src, y),
                    arith::ConstantIntOp::create(b, l, 1, 1)));
          } else {
            Type t = accIn.getType();
            gv = arith::DivFOp::create(b, l, convertScalar(b, l, gv, t),
                                       scalarConstant(b, l, t, area));
          }
          return accumulateIf(b, l, accIn, valid, gv);
        });
    rewriter.replaceOp(op, toResultType(rewriter, loc, acc, op.getType()));
    return success();
  }
};

} // namespace

void tensorc::tc::linalg_lowering::populateConvGradPatterns(
    RewritePatternSet &patterns) {
  patterns.add<Conv2dFilterGradLowering, Conv2dInputGradLowering,
               PoolGradLowering<MaxPool2dGradOp>,
               PoolGradLowering<AvgPool2dGradOp>>(patterns.getContext());
}
