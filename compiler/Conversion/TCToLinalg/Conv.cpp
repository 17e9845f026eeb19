//===- Conv.cpp - conv2d, max_pool2d, avg_pool2d --------------------------===//
//
// Named NCHW ops on a tensor.pad of the input:
//   conv2d      a matrix product over gathered windows (ConvGemm.h), the
//               bias in its epilogue; with dynamic spatial dims, zero
//               padding, linalg.conv_2d_nchw_fchw and the bias after it
//   max_pool2d  -inf padding (it never wins), linalg.pooling_nchw_max
//   avg_pool2d  zero padding, linalg.pooling_nchw_sum, then / (KH * KW):
//               PyTorch's default counts the padded zeros
// f16/bf16 sums accumulate in f32 (the named ops extend to the output type).
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/TCToLinalg/ConvGemm.h"
#include "compiler/Conversion/TCToLinalg/Patterns.h"
#include "compiler/Conversion/TCToLinalg/Utils.h"

#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace tensorc::tc;
using namespace tensorc::tc::linalg_lowering;

namespace {

/// The sizes [N, C, OH, OW] of a window op's result: N from the input, C
/// from `channels` (dim `channelDim`), the static spatial dims from the type.
/// Computed here because the tc reification gets a dynamic C wrong.
SmallVector<OpFoldResult> windowSizes(OpBuilder &b, Location loc,
                                      RankedTensorType type, Value input,
                                      Value channels, int64_t channelDim) {
  return {tensor::getMixedSize(b, loc, input, 0),
          tensor::getMixedSize(b, loc, channels, channelDim),
          b.getIndexAttr(type.getDimSize(2)),
          b.getIndexAttr(type.getDimSize(3))};
}

/// The result of a window op in `acc`, converted to the op's type with
/// `epilogue` applied (bias, division); skipped when there is nothing to do.
Value finish(
    OpBuilder &b, Location loc, Value acc, RankedTensorType type,
    ArrayRef<OpFoldResult> sizes, ValueRange extraInputs,
    ArrayRef<AffineMap> extraMaps,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> epilogue) {
  if (acc.getType() == type && extraInputs.empty() && !epilogue)
    return acc;
  MLIRContext *ctx = b.getContext();
  SmallVector<Value> inputs = {acc};
  inputs.append(extraInputs.begin(), extraInputs.end());
  SmallVector<AffineMap> maps = {identityMap(ctx, 4)};
  maps.append(extraMaps.begin(), extraMaps.end());
  Type elem = type.getElementType();
  return buildParallel(b, loc, inputs, maps, sizes, elem,
                       [&](OpBuilder &nb, Location l, ValueRange a) {
                         Value v = epilogue ? epilogue(nb, l, a) : a[0];
                         return convertScalar(nb, l, v, elem);
                       });
}

struct Conv2dLowering : OpRewritePattern<Conv2dOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2dOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type elem = type.getElementType(), acc = accumulatorType(elem);
    SmallVector<OpFoldResult> sizes =
        windowSizes(rewriter, loc, type, op.getInput(), op.getFilter(), 0);
    if (std::optional<ConvGeometry> geo =
            convGeometry(op.getInput().getType(), op.getFilter().getType(),
                         type, op.getStride(), op.getPadding())) {
      Value y = buildConvForward(rewriter, loc, op.getInput(), op.getFilter(),
                                 op.getBias(), *geo, acc);
      rewriter.replaceOp(
          op, finish(rewriter, loc, y, type, sizes, {}, {}, nullptr));
      return success();
    }
    // Dynamic spatial dims: the named op, with the bias as an epilogue.
    Value input = padSpatial(rewriter, loc, op.getInput(), op.getPadding(),
                             scalarConstant(rewriter, loc, elem, 0.0));
    Value init = createFilled(rewriter, loc, sizes,
                              scalarConstant(rewriter, loc, acc, 0.0));
    Value conv = linalg::Conv2DNchwFchwOp::create(
                     rewriter, loc, TypeRange{init.getType()},
                     ValueRange{input, op.getFilter()}, ValueRange{init},
                     rewriter.getI64TensorAttr(op.getStride()),
                     rewriter.getI64TensorAttr({1, 1}))
                     .getResult(0);
    Value result;
    if (Value bias = op.getBias()) {
      AffineMap channel =
          AffineMap::get(4, 0, getAffineDimExpr(1, rewriter.getContext()));
      result = finish(rewriter, loc, conv, type, sizes, bias, channel,
                      [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                        return arith::AddFOp::create(
                            b, l, a[0], convertScalar(b, l, a[1], acc));
                      });
    } else {
      result = finish(rewriter, loc, conv, type, sizes, {}, {}, nullptr);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

template <typename OpTy> struct PoolLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  static constexpr bool isMax = std::is_same_v<OpTy, MaxPool2dOp>;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type elem = type.getElementType();
    Type acc = isMax ? elem : accumulatorType(elem);
    SmallVector<OpFoldResult> sizes =
        windowSizes(rewriter, loc, type, op.getInput(), op.getInput(), 1);
    Value padValue = isMax ? lowestValue(rewriter, loc, elem)
                           : scalarConstant(rewriter, loc, elem, 0.0);
    Value input =
        padSpatial(rewriter, loc, op.getInput(), op.getPadding(), padValue);
    Value init = createFilled(rewriter, loc, sizes,
                              isMax ? lowestValue(rewriter, loc, acc)
                                    : scalarConstant(rewriter, loc, acc, 0.0));
    ArrayRef<int64_t> kernel = op.getKernel();
    // The window operand only carries the kernel's shape.
    Value window = tensor::EmptyOp::create(rewriter, loc, kernel, elem);
    DenseIntElementsAttr strides = rewriter.getI64TensorAttr(op.getStride());
    DenseIntElementsAttr dilations = rewriter.getI64TensorAttr({1, 1});
    Value pooled;
    if constexpr (isMax)
      pooled =
          linalg::PoolingNchwMaxOp::create(
              rewriter, loc, TypeRange{init.getType()},
              ValueRange{input, window}, ValueRange{init}, strides, dilations)
              .getResult(0);
    else
      pooled =
          linalg::PoolingNchwSumOp::create(
              rewriter, loc, TypeRange{init.getType()},
              ValueRange{input, window}, ValueRange{init}, strides, dilations)
              .getResult(0);
    Value result;
    if constexpr (isMax) {
      result = finish(rewriter, loc, pooled, type, sizes, {}, {}, nullptr);
    } else {
      double area = static_cast<double>(kernel[0] * kernel[1]);
      result = finish(rewriter, loc, pooled, type, sizes, {}, {},
                      [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                        return arith::DivFOp::create(
                            b, l, a[0], scalarConstant(b, l, acc, area));
                      });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void tensorc::tc::linalg_lowering::populateConvPatterns(
    RewritePatternSet &patterns) {
  patterns.add<Conv2dLowering, PoolLowering<MaxPool2dOp>,
               PoolLowering<AvgPool2dOp>>(patterns.getContext());
}
