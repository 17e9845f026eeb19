//===- Utils.cpp - Helpers shared by the tc-to-linalg patterns ------------===//

#include "compiler/Conversion/TCToLinalg/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

using namespace mlir;

namespace tensorc::tc::linalg_lowering {

//===----------------------------------------------------------------------===//
// Shapes and destinations
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<OpFoldResult>> resultSizes(OpBuilder &b, Operation *op) {
  ReifiedRankedShapedTypeDims shapes;
  if (failed(reifyResultShapes(b, op, shapes)) || shapes.empty())
    return failure();
  // A dynamic dim must come back as a value (a constant would be a
  // reification bug, and an invalid tensor.empty).
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  for (auto [d, size] : llvm::enumerate(shapes.front()))
    if (type.isDynamicDim(d) && !isa<Value>(size))
      return failure();
  return shapes.front();
}

SmallVector<OpFoldResult> sizesOf(OpBuilder &b, Location loc, Value v) {
  return tensor::getMixedSizes(b, loc, v);
}

OpFoldResult productOf(OpBuilder &b, Location loc,
                       ArrayRef<OpFoldResult> sizes) {
  int64_t staticProduct = 1;
  Value dynamicProduct;
  for (OpFoldResult size : sizes) {
    if (std::optional<int64_t> c = getConstantIntValue(size)) {
      staticProduct *= *c;
      continue;
    }
    Value v = cast<Value>(size);
    dynamicProduct =
        dynamicProduct ? arith::MulIOp::create(b, loc, dynamicProduct, v) : v;
  }
  if (!dynamicProduct)
    return b.getIndexAttr(staticProduct);
  if (staticProduct != 1)
    dynamicProduct = arith::MulIOp::create(
        b, loc, dynamicProduct,
        arith::ConstantIndexOp::create(b, loc, staticProduct));
  return dynamicProduct;
}

Value createEmpty(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                  Type elementType) {
  return tensor::EmptyOp::create(b, loc, sizes, elementType);
}

Value createFilled(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                   Value value) {
  Value empty = createEmpty(b, loc, sizes, value.getType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

AffineMap identityMap(MLIRContext *ctx, int64_t rank) {
  return AffineMap::getMultiDimIdentityMap(rank, ctx);
}

AffineMap dropDimsMap(MLIRContext *ctx, int64_t rank,
                      ArrayRef<int64_t> dropped) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(dropped, d))
      exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

BroadcastOperand broadcastOperand(OpBuilder &b, Location loc, Value value,
                                  ArrayRef<int64_t> loopShape) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  int64_t offset = static_cast<int64_t>(loopShape.size()) - rank;
  // A static 1 against anything but a static 1 stretches (a dynamic dim is a
  // symbolic size, which tc never broadcasts).
  SmallVector<bool> kept;
  SmallVector<AffineExpr> exprs;
  SmallVector<int64_t> keptShape;
  for (int64_t d = 0; d < rank; ++d) {
    bool stretched = type.getDimSize(d) == 1 && loopShape[d + offset] != 1;
    kept.push_back(!stretched);
    if (stretched)
      continue;
    exprs.push_back(getAffineDimExpr(d + offset, ctx));
    keptShape.push_back(type.getDimSize(d));
  }
  AffineMap map = AffineMap::get(loopShape.size(), 0, exprs, ctx);
  if (static_cast<int64_t>(keptShape.size()) == rank)
    return {value, map};
  // Each kept dim takes the stretched dims before it; trailing ones join the
  // last group. With nothing kept the reassociation is empty (rank 0).
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices current;
  for (int64_t d = 0; d < rank; ++d) {
    current.push_back(d);
    if (kept[d]) {
      groups.push_back(current);
      current.clear();
    }
  }
  if (!groups.empty())
    groups.back().append(current.begin(), current.end());
  auto collapsedType = RankedTensorType::get(keptShape, type.getElementType());
  Value collapsed =
      tensor::CollapseShapeOp::create(b, loc, collapsedType, value, groups);
  return {collapsed, map};
}

Value expandKeptDims(OpBuilder &b, Location loc, Value reduced,
                     RankedTensorType resultType, ArrayRef<int64_t> axes) {
  if (reduced.getType() == resultType)
    return reduced;
  SmallVector<OpFoldResult> reducedSizes = sizesOf(b, loc, reduced);
  SmallVector<ReassociationIndices> groups;
  SmallVector<OpFoldResult> outputShape;
  ReassociationIndices current;
  int64_t next = 0;
  for (int64_t d = 0; d < resultType.getRank(); ++d) {
    current.push_back(d);
    if (llvm::is_contained(axes, d)) {
      outputShape.push_back(b.getIndexAttr(1));
      continue;
    }
    outputShape.push_back(reducedSizes[next++]);
    groups.push_back(current);
    current.clear();
  }
  if (!groups.empty())
    groups.back().append(current.begin(), current.end());
  return tensor::ExpandShapeOp::create(b, loc, resultType, reduced, groups,
                                       outputShape);
}

//===----------------------------------------------------------------------===//
// Generics
//===----------------------------------------------------------------------===//

Value buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                   ArrayRef<AffineMap> inputMaps, Value init,
                   AffineMap outputMap, ArrayRef<utils::IteratorType> iterators,
                   ScalarFn body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(outputMap);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
      });
  return generic.getResult(0);
}

Value buildParallel(OpBuilder &b, Location loc, ValueRange inputs,
                    ArrayRef<AffineMap> inputMaps, ArrayRef<OpFoldResult> sizes,
                    Type elementType, ScalarFn body) {
  int64_t rank = sizes.size();
  Value init = createEmpty(b, loc, sizes, elementType);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  size_t numInputs = inputs.size();
  return buildGeneric(b, loc, inputs, inputMaps, init,
                      identityMap(b.getContext(), rank), iterators,
                      [&](OpBuilder &nb, Location nloc, ValueRange args) {
                        return body(nb, nloc, args.take_front(numInputs));
                      });
}

Value buildElementwise(OpBuilder &b, Location loc, ValueRange inputs,
                       RankedTensorType resultType,
                       ArrayRef<OpFoldResult> sizes, ScalarFn body) {
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  for (Value input : inputs) {
    BroadcastOperand op =
        broadcastOperand(b, loc, input, resultType.getShape());
    operands.push_back(op.value);
    maps.push_back(op.map);
  }
  return buildParallel(b, loc, operands, maps, sizes,
                       resultType.getElementType(), body);
}

Value buildReduction(OpBuilder &b, Location loc, ValueRange inputs,
                     ArrayRef<int64_t> axes, Value init, ScalarFn body,
                     ArrayRef<AffineMap> inputMaps) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = cast<RankedTensorType>(inputs[0].getType()).getRank();
  SmallVector<OpFoldResult> keptSizes;
  for (auto [d, size] : llvm::enumerate(sizesOf(b, loc, inputs[0])))
    if (!llvm::is_contained(axes, static_cast<int64_t>(d)))
      keptSizes.push_back(size);
  Value acc = createFilled(b, loc, keptSizes, init);
  SmallVector<AffineMap> maps(inputMaps);
  if (maps.empty())
    maps.assign(inputs.size(), identityMap(ctx, rank));
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d)
    iterators.push_back(llvm::is_contained(axes, d)
                            ? utils::IteratorType::reduction
                            : utils::IteratorType::parallel);
  return buildGeneric(b, loc, inputs, maps, acc, dropDimsMap(ctx, rank, axes),
                      iterators, body);
}

//===----------------------------------------------------------------------===//
// Scalars
//===----------------------------------------------------------------------===//

Value scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, FloatAttr::get(ft, value));
  if (type.isInteger(1))
    return arith::ConstantOp::create(b, loc, b.getBoolAttr(value != 0));
  return arith::ConstantOp::create(
      b, loc, IntegerAttr::get(type, static_cast<int64_t>(value)));
}

static Value extremeValue(OpBuilder &b, Location loc, Type type, bool lowest) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        FloatAttr::get(ft, APFloat::getInf(ft.getFloatSemantics(), lowest)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt v = lowest ? APInt::getSignedMinValue(width)
                   : APInt::getSignedMaxValue(width);
  return arith::ConstantOp::create(b, loc, IntegerAttr::get(type, v));
}

Value lowestValue(OpBuilder &b, Location loc, Type type) {
  return extremeValue(b, loc, type, /*lowest=*/true);
}

Value highestValue(OpBuilder &b, Location loc, Type type) {
  return extremeValue(b, loc, type, /*lowest=*/false);
}

Type accumulatorType(Type elementType) {
  if (elementType.isF16() || elementType.isBF16())
    return Float32Type::get(elementType.getContext());
  return elementType;
}

Value convertScalar(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (to.isInteger(1)) {
    if (fromFloat) // NaN is truthy, as in PyTorch.
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v,
                                   scalarConstant(b, loc, from, 0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v,
                                 scalarConstant(b, loc, from, 0));
  }
  if (fromFloat && toFloat) {
    unsigned fw = fromFloat.getWidth(), tw = toFloat.getWidth();
    if (fw == tw) // f16 <-> bf16 goes through f32.
      return convertScalar(b, loc, convertScalar(b, loc, v, b.getF32Type()),
                           to);
    if (fw < tw)
      return arith::ExtFOp::create(b, loc, to, v);
    return arith::TruncFOp::create(b, loc, to, v);
  }
  if (toFloat) {
    if (from.isInteger(1))
      return arith::UIToFPOp::create(b, loc, to, v);
    return arith::SIToFPOp::create(b, loc, to, v);
  }
  if (fromFloat)
    return arith::FPToSIOp::create(b, loc, to, v);
  unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
  if (from.isInteger(1))
    return arith::ExtUIOp::create(b, loc, to, v);
  if (fw < tw)
    return arith::ExtSIOp::create(b, loc, to, v);
  return arith::TruncIOp::create(b, loc, to, v);
}

OpFoldResult elementCount(OpBuilder &b, Location loc, Value tensor,
                          ArrayRef<int64_t> axes) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t axis : axes)
    sizes.push_back(tensor::getMixedSize(b, loc, tensor, axis));
  return productOf(b, loc, sizes);
}

Value countToFloat(OpBuilder &b, Location loc, OpFoldResult count, Type type) {
  if (std::optional<int64_t> c = getConstantIntValue(count))
    return scalarConstant(b, loc, type, static_cast<double>(*c));
  Value asInt =
      arith::IndexCastOp::create(b, loc, b.getI64Type(), cast<Value>(count));
  return arith::UIToFPOp::create(b, loc, type, asInt);
}

Value addScalar(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::AddFOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, x, y);
}

Value subScalar(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::SubFOp::create(b, loc, x, y);
  return arith::SubIOp::create(b, loc, x, y);
}

Value mulScalar(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::MulFOp::create(b, loc, x, y);
  return arith::MulIOp::create(b, loc, x, y);
}

Value divScalar(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::DivFOp::create(b, loc, x, y);
  return arith::DivSIOp::create(b, loc, x, y);
}

Value maxScalar(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::MaximumFOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value minScalar(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::MinimumFOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

Value clampIndex(OpBuilder &b, Location loc, Value i, Value size) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value last = arith::SubIOp::create(b, loc, size, one);
  Value low = arith::MaxSIOp::create(b, loc, i, zero);
  return arith::MinSIOp::create(b, loc, low, last);
}

Value padSpatial(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> padding,
                 Value padValue) {
  if (padding[0] == 0 && padding[1] == 0)
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[2] += 2 * padding[0];
  shape[3] += 2 * padding[1];
  SmallVector<OpFoldResult> pads = {b.getIndexAttr(0), b.getIndexAttr(0),
                                    b.getIndexAttr(padding[0]),
                                    b.getIndexAttr(padding[1])};
  return tensor::PadOp::create(b, loc, type.clone(shape), x, pads, pads,
                               padValue);
}

} // namespace tensorc::tc::linalg_lowering
