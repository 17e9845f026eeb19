//===- KernelContext.cpp - Building one gpu.func from a tc.kernel ---------===//

#include "compiler/Conversion/KernelsToGPU/KernelContext.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

namespace tensorc::kernels {

TargetConfig TargetConfig::forTarget(StringRef target) {
  TargetConfig c;
  if (target == "cpu") {
    c.cpu = true;
    c.loopThreads = 1;
    c.loopItemsPerThread = 4096;
    c.rowThreads = 1;
    c.rowsPerBlock = 16;
    c.vectorBytes = 0;
  }
  return c;
}

//===----------------------------------------------------------------------===//
// ShapeCloner
//===----------------------------------------------------------------------===//

Value ShapeCloner::dim(Value tensor, int64_t d) {
  auto type = cast<RankedTensorType>(tensor.getType());
  Location loc = tensor.getLoc();
  if (!type.isDynamicDim(d))
    return arith::ConstantIndexOp::create(b, loc, type.getDimSize(d));
  auto key = std::make_pair(tensor, d);
  if (Value cached = dimCache.lookup(key))
    return cached;
  Value result;
  if (auto arg = dyn_cast<BlockArgument>(tensor)) {
    result = argDim(arg, d);
  } else {
    Operation *def = tensor.getDefiningOp();
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(def)) {
      unsigned n = cast<OpResult>(tensor).getResultNumber();
      result = dim(dps.getDpsInits()[n], d);
    } else if (auto empty = dyn_cast<tensor::EmptyOp>(def)) {
      result = index(empty.getDynamicSize(d));
    } else if (auto pad = dyn_cast<tensor::PadOp>(def)) {
      Value size = dim(pad.getSource(), d);
      for (OpFoldResult p :
           {pad.getMixedLowPad()[d], pad.getMixedHighPad()[d]}) {
        Value v =
            isa<Attribute>(p)
                ? arith::ConstantIndexOp::create(
                      b, loc, cast<IntegerAttr>(cast<Attribute>(p)).getInt())
                      .getResult()
                : index(cast<Value>(p));
        if (!v || !size)
          return {};
        size = arith::AddIOp::create(b, loc, size, v);
      }
      result = size;
    }
  }
  if (result)
    dimCache[key] = result;
  return result;
}

SmallVector<Value> ShapeCloner::dims(Value tensor) {
  SmallVector<Value> result;
  int64_t rank = cast<RankedTensorType>(tensor.getType()).getRank();
  for (int64_t d = 0; d < rank; ++d)
    result.push_back(dim(tensor, d));
  return result;
}

Value ShapeCloner::index(Value v) {
  if (Value cached = indexCache.lookup(v))
    return cached;
  Value result;
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    result = indexArg(arg);
  } else {
    Operation *def = v.getDefiningOp();
    if (auto dimOp = dyn_cast<tensor::DimOp>(def)) {
      if (std::optional<int64_t> d = dimOp.getConstantIndex())
        result = dim(dimOp.getSource(), *d);
    } else if (auto apply = dyn_cast<affine::AffineApplyOp>(def)) {
      SmallVector<Value> operands;
      for (Value o : apply.getMapOperands())
        operands.push_back(index(o));
      if (llvm::all_of(operands, [](Value o) { return bool(o); }))
        if (auto expanded = affine::expandAffineMap(
                b, def->getLoc(), apply.getAffineMap(), operands))
          result = (*expanded)[0];
    } else if (isa<arith::ArithDialect>(def->getDialect()) &&
               def->getNumResults() == 1 && def->getNumRegions() == 0) {
      IRMapping mapping;
      bool ok = true;
      for (Value o : def->getOperands()) {
        Value c = index(o);
        ok &= bool(c);
        mapping.map(o, c);
      }
      if (ok)
        result = b.clone(*def, mapping)->getResult(0);
    }
  }
  if (result)
    indexCache[v] = result;
  return result;
}

//===----------------------------------------------------------------------===//
// KernelContext
//===----------------------------------------------------------------------===//

KernelContext::KernelContext(tc::KernelOp kernel, gpu::GPUFuncOp func,
                             const TargetConfig &config)
    : kernelOp(kernel), gpuFunc(func), cfg(config), b(func.getContext()),
      kernelLoc(kernel.getLoc()), sizeBuilder(func.getContext()),
      shapes(
          sizeBuilder,
          [this](BlockArgument arg, int64_t d) {
            return argDims.lookup({arg, d});
          },
          [this](BlockArgument arg) { return indexArgs.lookup(arg); }) {
  // Sizes go before the anchor, the emitted code after it.
  Block &entry = func.getBody().front();
  b.setInsertionPointToEnd(&entry);
  Operation *anchor = arith::ConstantIndexOp::create(b, kernelLoc, 0);
  sizeBuilder.setInsertionPoint(anchor);
}

void KernelContext::error(Operation *op, const Twine &message) {
  if (!hadError)
    op->emitError() << "cannot emit kernel '" << kernelOp.getName()
                    << "': " << message;
  hadError = true;
}

void KernelContext::bindBuffer(Value tensor, Value memref) {
  buffers[tensor] = Buffer{memref, dims(tensor)};
}

void KernelContext::bindIndexArg(BlockArgument arg, Value value) {
  indexArgs[arg] = value;
}

void KernelContext::bindArgDim(BlockArgument arg, int64_t d, Value value) {
  argDims[{arg, d}] = value;
}

void KernelContext::addOutput(Value memref, Value yielded) {
  outputs.push_back(Buffer{memref, dims(yielded)});
}

Value KernelContext::constant(int64_t v) {
  return arith::ConstantIndexOp::create(b, kernelLoc, v);
}

Value KernelContext::product(ArrayRef<Value> values) {
  Value p = constant(1);
  for (Value v : values)
    p = arith::MulIOp::create(b, kernelLoc, p, v);
  return p;
}

Value KernelContext::linearize(ValueRange idx, ArrayRef<Value> dims) {
  Value linear = constant(0);
  for (auto [i, d] : llvm::zip(idx, dims)) {
    linear = arith::MulIOp::create(b, kernelLoc, linear, d);
    linear = arith::AddIOp::create(b, kernelLoc, linear, i);
  }
  return linear;
}

SmallVector<Value> KernelContext::delinearize(Value linear,
                                              ArrayRef<Value> dims) {
  SmallVector<Value> idx(dims.size());
  for (int64_t d = dims.size() - 1; d >= 0; --d) {
    if (d == 0) {
      idx[0] = linear;
      break;
    }
    idx[d] = arith::RemUIOp::create(b, kernelLoc, linear, dims[d]);
    linear = arith::DivUIOp::create(b, kernelLoc, linear, dims[d]);
  }
  return idx;
}

Value KernelContext::ceilDiv(Value a, Value c) {
  return arith::CeilDivUIOp::create(b, kernelLoc, a, c);
}

Value KernelContext::minIndex(Value a, Value c) {
  return arith::MinUIOp::create(b, kernelLoc, a, c);
}

Value KernelContext::workgroupBuffer(Type elementType, int64_t size) {
  auto space =
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  auto type =
      MemRefType::get({size}, elementType, MemRefLayoutAttrInterface{}, space);
  return gpuFunc.addWorkgroupAttribution(type, kernelLoc);
}

void KernelContext::store(unsigned i, Value value, ValueRange idx) {
  const Buffer &out = outputs[i];
  memref::StoreOp::create(b, kernelLoc, value, out.memref,
                          linearize(idx, out.dims));
}

//===----------------------------------------------------------------------===//
// Vector lanes
//===----------------------------------------------------------------------===//

int64_t KernelContext::vectorElementBytes(Type type) {
  unsigned bits = type.isIntOrFloat() ? type.getIntOrFloatBitWidth() : 0;
  return bits == 8 || bits == 16 || bits == 32 || bits == 64 ? bits / 8 : 0;
}

/// Whether two row-major tensors of these dims place every index at the same
/// offset: all dims but the first are equal (the first only bounds).
static bool sameLayout(ArrayRef<Value> a, ArrayRef<Value> b) {
  if (a.size() != b.size())
    return false;
  for (auto [x, y] : llvm::zip(a.drop_front(), b.drop_front())) {
    if (x == y)
      continue;
    std::optional<int64_t> cx = getConstantIntValue(x);
    std::optional<int64_t> cy = getConstantIntValue(y);
    if (!cx || !cy || *cx != *cy)
      return false;
  }
  return true;
}

void KernelContext::beginLanes(Value base, int64_t width,
                               ArrayRef<Value> dims) {
  lanes.emplace();
  lanes->base = base;
  lanes->width = width;
  lanes->dims.assign(dims.begin(), dims.end());
  lanes->loadPoint = base.getDefiningOp();
}

void KernelContext::setLane(unsigned lane, ArrayRef<Value> idx) {
  lanes->lane = lane;
  lanes->idx.assign(idx.begin(), idx.end());
}

/// The alignment of a vector access at a multiple of its own size in a
/// buffer that starts 16-byte aligned (docs/codegen.md, "Vector accesses").
static uint64_t laneAlignment(int64_t bytes) {
  return std::min<uint64_t>(llvm::isPowerOf2_64(bytes) ? bytes : 1, 16);
}

Value KernelContext::laneLoad(const Buffer &buffer, ValueRange idx) {
  if (!lanes || !llvm::equal(idx, lanes->idx) ||
      !sameLayout(buffer.dims, lanes->dims))
    return {};
  Type element = cast<MemRefType>(buffer.memref.getType()).getElementType();
  int64_t bytes = vectorElementBytes(element) * lanes->width;
  if (bytes == 0 || bytes > 64)
    return {};
  Value &vec = lanes->loaded[buffer.memref];
  if (!vec) {
    OpBuilder lb(b.getContext());
    lb.setInsertionPointAfter(lanes->loadPoint);
    auto load = vector::LoadOp::create(
        lb, kernelLoc, VectorType::get({lanes->width}, element), buffer.memref,
        ValueRange{lanes->base}, /*nontemporal=*/false,
        llvm::MaybeAlign(laneAlignment(bytes)));
    vec = load;
    // Later loads go after this one (they need only `base`).
    lanes->loadPoint = load;
  }
  return vector::ExtractOp::create(b, kernelLoc, vec, int64_t(lanes->lane));
}

void KernelContext::storeLanes(unsigned i, ArrayRef<Value> values) {
  const Buffer &out = outputs[i];
  auto type = VectorType::get({int64_t(values.size())}, values[0].getType());
  Value vec = vector::FromElementsOp::create(b, kernelLoc, type, values);
  vector::StoreOp::create(
      b, kernelLoc, vec, out.memref, ValueRange{lanes->base},
      /*nontemporal=*/false,
      llvm::MaybeAlign(laneAlignment(vectorElementBytes(values[0].getType()) *
                                     int64_t(values.size()))));
}

//===----------------------------------------------------------------------===//
// Evaluation
//===----------------------------------------------------------------------===//

Value KernelContext::cloneScalar(Value v) {
  if (v.getType().isIndex())
    return shapes.index(v);
  Operation *def = v.getDefiningOp();
  if (!def || def->getNumRegions() != 0 ||
      !isa<arith::ArithDialect, math::MathDialect>(def->getDialect()))
    return {};
  IRMapping mapping;
  for (Value o : def->getOperands()) {
    Value c = cloneScalar(o);
    if (!c)
      return {};
    mapping.map(o, c);
  }
  return b.clone(*def, mapping)->getResult(cast<OpResult>(v).getResultNumber());
}

Value KernelContext::eval(Value tensor, ValueRange idx) {
  if (Value v = overrides.lookup(tensor))
    return v;
  SmallVector<void *> key;
  for (Value i : idx)
    key.push_back(i.getAsOpaquePointer());
  auto cacheKey =
      std::make_tuple(tensor.getAsOpaquePointer(), key, b.getInsertionBlock());
  if (auto it = cache.find(cacheKey); it != cache.end())
    return it->second;

  Value result;
  if (auto it = buffers.find(tensor); it != buffers.end()) {
    result = laneLoad(it->second, idx);
    if (!result)
      result = memref::LoadOp::create(b, kernelLoc, it->second.memref,
                                      linearize(idx, it->second.dims));
  } else if (Operation *def = tensor.getDefiningOp()) {
    if (auto cst = dyn_cast<arith::ConstantOp>(def)) {
      if (auto splat = dyn_cast<SplatElementsAttr>(cst.getValue()))
        result = arith::ConstantOp::create(b, kernelLoc,
                                           splat.getSplatValue<TypedAttr>());
      else
        error(def, "non-splat constant tensors must be kernel inputs");
    } else if (auto fill = dyn_cast<linalg::FillOp>(def)) {
      result = cloneScalar(fill.value());
      if (!result)
        error(def, "the fill value is not a constant expression");
    } else if (auto pad = dyn_cast<tensor::PadOp>(def)) {
      result = evalPad(pad, idx);
    } else if (auto linalgOp = dyn_cast<linalg::LinalgOp>(def)) {
      result =
          evalLinalg(linalgOp, cast<OpResult>(tensor).getResultNumber(), idx);
    } else {
      error(def, "cannot evaluate a '" + def->getName().getStringRef() +
                     "' inside a kernel");
    }
  } else {
    error(kernelOp, "a kernel argument has no buffer");
  }
  if (result)
    cache[cacheKey] = result;
  return result;
}

Value combineWith(OpBuilder &b, Location loc, Operation *combiner, Value x,
                  Value y) {
  OperationState state(loc, combiner->getName());
  state.addOperands({x, y});
  state.addTypes(x.getType());
  state.addAttributes(combiner->getAttrs());
  return b.create(state)->getResult(0);
}

Operation *floatSumCombiner(linalg::LinalgOp op) {
  if (op->getNumResults() != 1 || op.getNumReductionLoops() == 0 ||
      !isa<FloatType>(getElementTypeOrSelf(op->getResult(0).getType())))
    return nullptr;
  SmallVector<Operation *> combiners;
  Block &body = op->getRegion(0).front();
  if (!matchReduction(body.getArguments().take_back(1), 0, combiners) ||
      combiners.size() != 1 || !isa<arith::AddFOp>(combiners.front()))
    return nullptr;
  return combiners.front();
}

CompensatedSum CompensatedSum::start(OpBuilder &b, Location loc, Value init) {
  auto type = cast<FloatType>(init.getType());
  Value negZero = arith::ConstantOp::create(
      b, loc,
      FloatAttr::get(type, APFloat::getZero(type.getFloatSemantics(),
                                            /*Negative=*/true)));
  return {init, negZero};
}

CompensatedSum CompensatedSum::add(OpBuilder &b, Location loc, Value x) const {
  // Neumaier: the rounding error of t = s + x is exactly recoverable from the
  // larger of |s| and |x|.
  Value t = arith::AddFOp::create(b, loc, sum, x);
  Value sBig = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE,
                                     math::AbsFOp::create(b, loc, sum),
                                     math::AbsFOp::create(b, loc, x));
  Value big = arith::SelectOp::create(b, loc, sBig, sum, x);
  Value small = arith::SelectOp::create(b, loc, sBig, x, sum);
  Value err = arith::AddFOp::create(
      b, loc, arith::SubFOp::create(b, loc, big, t), small);
  return {t, arith::AddFOp::create(b, loc, compensation, err)};
}

Value CompensatedSum::result(OpBuilder &b, Location loc) const {
  // Once the sum overflows or meets an infinity the compensation is NaN
  // (inf - inf); the sum itself is then the answer.
  auto type = cast<FloatType>(sum.getType());
  Value inf = arith::ConstantOp::create(
      b, loc, FloatAttr::get(type, APFloat::getInf(type.getFloatSemantics())));
  Value isInf = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                      math::AbsFOp::create(b, loc, sum), inf);
  return arith::SelectOp::create(
      b, loc, isInf, sum, arith::AddFOp::create(b, loc, sum, compensation));
}

/// The values of `map`'s results at `loops`.
static SmallVector<Value> applyMap(OpBuilder &b, Location loc, AffineMap map,
                                   ValueRange loops) {
  SmallVector<Value> out;
  for (AffineExpr e : map.getResults()) {
    if (auto d = dyn_cast<AffineDimExpr>(e)) {
      out.push_back(loops[d.getPosition()]);
      continue;
    }
    if (auto c = dyn_cast<AffineConstantExpr>(e)) {
      out.push_back(arith::ConstantIndexOp::create(b, loc, c.getValue()));
      continue;
    }
    out.push_back(affine::expandAffineExpr(b, loc, e, loops, {}));
  }
  return out;
}

SmallVector<Value> KernelContext::inputArgs(linalg::LinalgOp op,
                                            ValueRange loops) {
  SmallVector<Value> args;
  Block &body = op->getRegion(0).front();
  for (OpOperand *input : op.getDpsInputOperands()) {
    BlockArgument arg = body.getArgument(input->getOperandNumber());
    if (arg.use_empty() || !isa<RankedTensorType>(input->get().getType())) {
      // Unused (pooling windows) or a scalar input.
      args.push_back(arg.use_empty() ? Value() : cloneScalar(input->get()));
      continue;
    }
    args.push_back(
        eval(input->get(),
             applyMap(b, kernelLoc, op.getMatchingIndexingMap(input), loops)));
  }
  return args;
}

SmallVector<Value> KernelContext::loopSizes(linalg::LinalgOp op) {
  SmallVector<Value> sizes(op.getNumLoops());
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<RankedTensorType>(operand.get().getType()))
      continue;
    AffineMap map = op.getMatchingIndexingMap(&operand);
    for (auto [pos, e] : llvm::enumerate(map.getResults()))
      if (auto d = dyn_cast<AffineDimExpr>(e))
        if (!sizes[d.getPosition()])
          sizes[d.getPosition()] = dim(operand.get(), pos);
  }
  if (llvm::any_of(sizes, [](Value v) { return !v; }))
    error(op, "a loop of the op has no operand dim that gives its size");
  return sizes;
}

SmallVector<Value> KernelContext::payload(linalg::LinalgOp op, ValueRange loops,
                                          ValueRange args) {
  Block &body = op->getRegion(0).front();
  IRMapping mapping;
  for (auto [arg, value] : llvm::zip(body.getArguments(), args))
    if (value)
      mapping.map(arg, value);
  for (Operation &inner : body.without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      mapping.map(index.getResult(), loops[index.getDim()]);
      continue;
    }
    if (auto extract = dyn_cast<tensor::ExtractOp>(inner)) {
      SmallVector<Value> idx;
      for (Value i : extract.getIndices())
        idx.push_back(mapping.lookupOrNull(i) ? mapping.lookup(i)
                                              : cloneScalar(i));
      Value v = eval(extract.getTensor(), idx);
      if (!v)
        return {};
      mapping.map(extract.getResult(), v);
      continue;
    }
    // Values the payload captures from the kernel body (constants, sizes).
    inner.walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        if (!mapping.contains(operand) &&
            operand.getParentRegion() != &op->getRegion(0) &&
            !op->getRegion(0).isAncestor(operand.getParentRegion()))
          if (Value c = cloneScalar(operand))
            mapping.map(operand, c);
    });
    b.clone(inner, mapping);
  }
  SmallVector<Value> yielded;
  for (Value v : body.getTerminator()->getOperands()) {
    // A payload may yield a value captured from outside it (a constant).
    if (!mapping.contains(v))
      if (Value c = cloneScalar(v))
        mapping.map(v, c);
    yielded.push_back(mapping.lookupOrDefault(v));
  }
  return yielded;
}

Value KernelContext::evalLinalg(linalg::LinalgOp op, unsigned resultNo,
                                ValueRange idx) {
  unsigned numLoops = op.getNumLoops();
  SmallVector<Value> loops(numLoops);
  AffineMap outMap = op.getIndexingMapMatchingResult(op->getResult(resultNo));
  for (auto [pos, e] : llvm::enumerate(outMap.getResults())) {
    auto d = dyn_cast<AffineDimExpr>(e);
    if (!d) {
      error(op, "its output map is not a projected permutation");
      return {};
    }
    loops[d.getPosition()] = idx[pos];
  }
  SmallVector<unsigned> reductionDims;
  op.getReductionDims(reductionDims);

  // The outputs' current values at this element: the inits.
  SmallVector<Value> accs;
  Block &body = op->getRegion(0).front();
  for (OpOperand &init : op.getDpsInitsMutable()) {
    BlockArgument arg = body.getArgument(init.getOperandNumber());
    if (arg.use_empty() && reductionDims.empty()) {
      accs.push_back(Value());
      continue;
    }
    accs.push_back(
        eval(init.get(),
             applyMap(b, kernelLoc, op.getMatchingIndexingMap(&init), loops)));
  }
  if (hadError)
    return {};

  if (reductionDims.empty()) {
    SmallVector<Value> args = inputArgs(op, loops);
    args.append(accs);
    SmallVector<Value> yielded = payload(op, loops, args);
    return yielded.empty() ? Value() : yielded[resultNo];
  }

  // A reduction: loop over the reduction dims, carrying the outputs.
  SmallVector<Value> sizes = loopSizes(op);
  if (hadError)
    return {};
  SmallVector<Value> lbs, ubs, steps;
  for (unsigned d : reductionDims) {
    lbs.push_back(constant(0));
    ubs.push_back(sizes[d]);
    steps.push_back(constant(1));
  }
  OpBuilder::InsertionGuard guard(b);
  auto buildNest = [&](ValueRange lbs, ValueRange ubs, ValueRange inits) {
    return scf::buildLoopNest(
        b, kernelLoc, lbs, ubs, steps, inits,
        [&](OpBuilder &nested, Location, ValueRange ivs, ValueRange iters) {
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          SmallVector<Value> inner(loops);
          for (auto [d, iv] : llvm::zip(reductionDims, ivs))
            inner[d] = iv;
          SmallVector<Value> args = inputArgs(op, inner);
          args.append(iters.begin(), iters.end());
          SmallVector<Value> yielded = payload(op, inner, args);
          if (yielded.size() != iters.size()) {
            error(op, "its payload could not be evaluated");
            return scf::ValueVector(iters.begin(), iters.end());
          }
          return scf::ValueVector(yielded.begin(), yielded.end());
        });
  };
  SmallVector<Value> results;
  Operation *first = nullptr;
  if (floatSumCombiner(op)) {
    // A float sum: add blocks of the last reduction dim separately
    // (TargetConfig::serialSumBlock), then the block sums with compensation.
    Value block = constant(config().serialSumBlock);
    CompensatedSum start = CompensatedSum::start(b, kernelLoc, accs[0]);
    auto outer =
        scf::ForOp::create(b, kernelLoc, constant(0), ubs.back(), block,
                           ValueRange{start.sum, start.compensation});
    first = outer;
    b.setInsertionPointToStart(outer.getBody());
    Value lo = outer.getInductionVar();
    SmallVector<Value> blockLbs(lbs), blockUbs(ubs);
    blockLbs.back() = lo;
    blockUbs.back() =
        minIndex(arith::AddIOp::create(b, kernelLoc, lo, block), ubs.back());
    Type type = accs[0].getType();
    Value zero = arith::ConstantOp::create(
        b, kernelLoc,
        FloatAttr::get(
            type, APFloat::getZero(cast<FloatType>(type).getFloatSemantics(),
                                   /*Negative=*/true)));
    scf::LoopNest nest = buildNest(blockLbs, blockUbs, zero);
    b.setInsertionPointAfter(nest.loops.front());
    CompensatedSum running{outer.getRegionIterArg(0),
                           outer.getRegionIterArg(1)};
    CompensatedSum next = running.add(b, kernelLoc, nest.results[0]);
    scf::YieldOp::create(b, kernelLoc, ValueRange{next.sum, next.compensation});
    b.setInsertionPointAfter(outer);
    CompensatedSum total{outer.getResult(0), outer.getResult(1)};
    results.assign({total.result(b, kernelLoc)});
  } else {
    scf::LoopNest nest = buildNest(lbs, ubs, accs);
    first = nest.loops.front();
    results = nest.results;
  }
  // Cache every result of the reduction at this element.
  SmallVector<void *> key;
  for (Value i : idx)
    key.push_back(i.getAsOpaquePointer());
  Block *block = first->getBlock();
  for (auto [n, r] : llvm::enumerate(results))
    cache[std::make_tuple(op->getResult(n).getAsOpaquePointer(), key, block)] =
        r;
  return results[resultNo];
}

Value KernelContext::evalPad(tensor::PadOp pad, ValueRange idx) {
  Value inside;
  SmallVector<Value> srcIdx;
  for (auto [d, i] : llvm::enumerate(idx)) {
    OpFoldResult lowFold = pad.getMixedLowPad()[d];
    Value low =
        isa<Attribute>(lowFold)
            ? constant(cast<IntegerAttr>(cast<Attribute>(lowFold)).getInt())
            : shapes.index(cast<Value>(lowFold));
    Value size = dim(pad.getSource(), d);
    Value shifted = arith::SubIOp::create(b, kernelLoc, i, low);
    // Unsigned: a position left of the padding wraps and fails the test.
    Value ok = arith::CmpIOp::create(b, kernelLoc, arith::CmpIPredicate::ult,
                                     shifted, size);
    inside = inside
                 ? arith::AndIOp::create(b, kernelLoc, inside, ok).getResult()
                 : ok;
    srcIdx.push_back(shifted);
  }
  Value padValue =
      cloneScalar(cast<tensor::YieldOp>(pad.getRegion().front().getTerminator())
                      .getValue());
  if (!padValue) {
    error(pad, "the padding value is not a constant expression");
    return {};
  }
  Type type = padValue.getType();
  auto ifOp = scf::IfOp::create(b, kernelLoc, TypeRange{type}, inside,
                                /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    Value v = eval(pad.getSource(), srcIdx);
    if (!v)
      return {};
    scf::YieldOp::create(b, kernelLoc, v);
    b.setInsertionPointToStart(&ifOp.getElseRegion().front());
    scf::YieldOp::create(b, kernelLoc, padValue);
  }
  return ifOp.getResult(0);
}

} // namespace tensorc::kernels
