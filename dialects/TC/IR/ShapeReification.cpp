//===- ShapeReification.cpp - Result sizes of tc ops as SSA values --------===//
//
// Implements ReifyRankedShapedTypeOpInterface for every tc op with one
// external model: given the op's operands, it produces each result dim as a
// constant (static dims) or an index value (dynamic dims, read from the
// operand dim it comes from). MLIR's `tensor.dim` folding uses it, so after
// inlining and fusion every symbolic size traces back to an entry argument.
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/IR/TCDialect.h"
#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tensorc::tc;

namespace {

/// Dim `d` of `v`: a constant for static dims, tensor.dim otherwise.
OpFoldResult dimOf(OpBuilder &b, Location loc, Value v, int64_t d) {
  auto type = cast<RankedTensorType>(v.getType());
  if (!type.isDynamicDim(d))
    return b.getIndexAttr(type.getDimSize(d));
  return tensor::DimOp::create(b, loc, v, d).getResult();
}

/// A result of NumPy-broadcast operands: each dynamic result dim is read from
/// the first operand that has a dynamic dim in that (right-aligned) place.
SmallVector<OpFoldResult> broadcastDims(OpBuilder &b, Location loc,
                                        RankedTensorType result,
                                        ValueRange operands) {
  SmallVector<OpFoldResult> dims;
  int64_t rank = result.getRank();
  for (int64_t i = 0; i < rank; ++i) {
    if (!result.isDynamicDim(i)) {
      dims.push_back(b.getIndexAttr(result.getDimSize(i)));
      continue;
    }
    OpFoldResult dim;
    for (Value v : operands) {
      auto t = cast<RankedTensorType>(v.getType());
      int64_t j = i - (rank - t.getRank());
      if (j >= 0 && t.isDynamicDim(j)) {
        dim = dimOf(b, loc, v, j);
        break;
      }
    }
    dims.push_back(dim);
  }
  return dims;
}

/// Dims of `result` given by the `dynamicDims` operands in order.
SmallVector<OpFoldResult> explicitDims(OpBuilder &b, RankedTensorType result,
                                       ValueRange dynamicDims) {
  SmallVector<OpFoldResult> dims;
  unsigned next = 0;
  for (int64_t i = 0; i < result.getRank(); ++i)
    dims.push_back(result.isDynamicDim(i)
                       ? OpFoldResult(dynamicDims[next++])
                       : OpFoldResult(b.getIndexAttr(result.getDimSize(i))));
  return dims;
}

/// The dims of a reduction's input that survive (as 1 with keepdim).
SmallVector<OpFoldResult> reducedDims(OpBuilder &b, Location loc, Value input,
                                      ArrayRef<int64_t> axes, bool keepdim) {
  SmallVector<OpFoldResult> dims;
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  for (int64_t d = 0; d < rank; ++d) {
    if (!llvm::is_contained(axes, d))
      dims.push_back(dimOf(b, loc, input, d));
    else if (keepdim)
      dims.push_back(b.getIndexAttr(1));
  }
  return dims;
}

LogicalResult reifyTCResultShapes(Operation *op, OpBuilder &b,
                                  ReifiedRankedShapedTypeDims &shapes) {
  Location loc = op->getLoc();
  // A launch's results have its outputs' shapes.
  if (auto launch = dyn_cast<LaunchOp>(op)) {
    for (Value out : launch.getOutputs()) {
      SmallVector<OpFoldResult> dims;
      int64_t rank = cast<ShapedType>(out.getType()).getRank();
      for (int64_t d = 0; d < rank; ++d)
        dims.push_back(dimOf(b, loc, out, d));
      shapes.push_back(std::move(dims));
    }
    return success();
  }
  if (op->getNumResults() != 1)
    return failure();
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  SmallVector<OpFoldResult> dims =
      TypeSwitch<Operation *, SmallVector<OpFoldResult>>(op)
          .Case<ReshapeOp, BroadcastToOp>([&](auto o) {
            return explicitDims(b, result, o.getDynamicDims());
          })
          .Case<CausalMaskOp>([&](CausalMaskOp o) {
            SmallVector<OpFoldResult> d(2);
            d[0] = d[1] = o.getSize() ? OpFoldResult(o.getSize())
                                      : b.getIndexAttr(result.getDimSize(0));
            return d;
          })
          .Case<SumOp, MeanOp, MaxOp, MinOp>([&](auto o) {
            return reducedDims(b, loc, o.getInput(), o.getAxes(),
                               o.getKeepdim());
          })
          .Case<ArgmaxOp>([&](ArgmaxOp o) {
            return reducedDims(b, loc, o.getInput(),
                               {static_cast<int64_t>(o.getAxis())},
                               o.getKeepdim());
          })
          .Case<TransposeOp>([&](TransposeOp o) {
            SmallVector<OpFoldResult> d;
            for (int64_t p : o.getPermutation())
              d.push_back(dimOf(b, loc, o.getInput(), p));
            return d;
          })
          .Case<MatMulOp>([&](MatMulOp o) {
            // Batch dims broadcast; M comes from lhs, N from rhs.
            int64_t rank = result.getRank();
            auto batchType = RankedTensorType::get(
                result.getShape().drop_back(2), result.getElementType());
            SmallVector<OpFoldResult> d;
            for (int64_t i = 0; i < rank - 2; ++i) {
              if (!batchType.isDynamicDim(i)) {
                d.push_back(b.getIndexAttr(batchType.getDimSize(i)));
                continue;
              }
              OpFoldResult dim;
              for (Value v : {o.getLhs(), o.getRhs()}) {
                auto t = cast<RankedTensorType>(v.getType());
                int64_t j = i - (rank - t.getRank());
                if (j >= 0 && t.isDynamicDim(j)) {
                  dim = dimOf(b, loc, v, j);
                  break;
                }
              }
              d.push_back(dim);
            }
            auto lhs = cast<RankedTensorType>(o.getLhs().getType());
            auto rhs = cast<RankedTensorType>(o.getRhs().getType());
            d.push_back(dimOf(b, loc, o.getLhs(), lhs.getRank() - 2));
            d.push_back(dimOf(b, loc, o.getRhs(), rhs.getRank() - 1));
            return d;
          })
          .Case<ConcatOp>([&](ConcatOp o) {
            SmallVector<OpFoldResult> d;
            int64_t axis = o.getAxis();
            for (int64_t i = 0; i < result.getRank(); ++i) {
              if (i != axis || !result.isDynamicDim(i)) {
                d.push_back(i == axis ? OpFoldResult(b.getIndexAttr(
                                            result.getDimSize(i)))
                                      : dimOf(b, loc, o.getInputs()[0], i));
                continue;
              }
              Value sum;
              for (Value v : o.getInputs()) {
                OpFoldResult part = dimOf(b, loc, v, axis);
                Value pv = getValueOrCreateConstantIndexOp(b, loc, part);
                sum = sum ? arith::AddIOp::create(b, loc, sum, pv).getResult()
                          : pv;
              }
              d.push_back(sum);
            }
            return d;
          })
          .Case<SliceOp>([&](SliceOp o) {
            SmallVector<OpFoldResult> d;
            for (int64_t i = 0; i < result.getRank(); ++i)
              d.push_back(
                  i == static_cast<int64_t>(o.getAxis())
                      ? OpFoldResult(b.getIndexAttr(result.getDimSize(i)))
                      : dimOf(b, loc, o.getInput(), i));
            return d;
          })
          .Case<EmbeddingOp, OneHotOp>([&](auto o) {
            Value ids = o.getIds();
            SmallVector<OpFoldResult> d;
            int64_t idsRank = cast<RankedTensorType>(ids.getType()).getRank();
            for (int64_t i = 0; i < idsRank; ++i)
              d.push_back(dimOf(b, loc, ids, i));
            // The row width comes from the table (the class count of
            // one_hot is always static).
            if (auto embedding = dyn_cast<EmbeddingOp>(o.getOperation()))
              d.push_back(dimOf(b, loc, embedding.getTable(), 1));
            else
              d.push_back(b.getIndexAttr(result.getShape().back()));
            return d;
          })
          .Case<Conv2dOp>([&](Conv2dOp o) {
            // N from the input, channels from the filter; the spatial dims
            // are static (the verifier requires it).
            SmallVector<OpFoldResult> d;
            d.push_back(dimOf(b, loc, o.getInput(), 0));
            d.push_back(dimOf(b, loc, o.getFilter(), 0));
            for (int64_t i = 2; i < 4; ++i)
              d.push_back(b.getIndexAttr(result.getDimSize(i)));
            return d;
          })
          .Case<MaxPool2dOp, AvgPool2dOp>([&](auto o) {
            SmallVector<OpFoldResult> d;
            d.push_back(dimOf(b, loc, o.getInput(), 0));
            d.push_back(dimOf(b, loc, o.getInput(), 1));
            for (int64_t i = 2; i < 4; ++i)
              d.push_back(b.getIndexAttr(result.getDimSize(i)));
            return d;
          })
          .Default([&](Operation *o) {
            // Elementwise and row-wise ops: the result has the broadcast
            // shape of the tensor operands.
            SmallVector<Value> tensors;
            for (Value v : o->getOperands())
              if (isa<RankedTensorType>(v.getType()))
                tensors.push_back(v);
            return broadcastDims(b, loc, result, tensors);
          });
  if (llvm::any_of(dims, [](OpFoldResult d) { return !d; }))
    return failure();
  shapes.push_back(std::move(dims));
  return success();
}

template <typename OpTy>
struct ReifyModel
    : ReifyRankedShapedTypeOpInterface::ExternalModel<ReifyModel<OpTy>, OpTy> {
  LogicalResult reifyResultShapes(Operation *op, OpBuilder &b,
                                  ReifiedRankedShapedTypeDims &shapes) const {
    return reifyTCResultShapes(op, b, shapes);
  }
};

template <typename... Ops> void attachReifyModels(MLIRContext *context) {
  (Ops::template attachInterface<ReifyModel<Ops>>(*context), ...);
}

} // namespace

namespace tensorc::tc {
void attachShapeReification(MLIRContext *context) {
  attachReifyModels<
#define GET_OP_LIST
#include "dialects/TC/IR/TCOps.cpp.inc"
      >(context);
}
} // namespace tensorc::tc
