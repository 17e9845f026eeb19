//===- SplitReductions.cpp - Two-stage reductions with enough parallelism -===//
//
// A row kernel runs one block per output. A reduction with few outputs and
// a long extent (a scalar loss over 64M elements, the sum of a 16384x4096
// matrix, a bias gradient of 32 channels over the batch) then runs on one or
// a few SMs. This pass splits it into a first stage with about `parts`
// outputs and a second stage that combines the partials:
//
//  - leading reduction loops become parallel loops of the first stage (its
//    output gains those dims); the domain and the input maps are unchanged,
//    so symbolic sizes work and the maps stay projected permutations;
//  - a single static reduction dim that remains goes through MLIR's
//    linalg::splitReduction (inputs expanded to [ratio, extent / ratio]).
//
// The first stage starts from the combiner's neutral element; the second
// reduces the partials into the original init, so any init is kept.
//
// A matrix product (linalg.matmul) with few output tiles and a long K (a
// convolution's filter gradient: 32x9 outputs, K = B*28*28) gets a split-K:
// its operands are re-indexed as chunks [S, M, Kc] and [S, Kc, N] (gathers
// recomputed at k = s * Kc + kc, zero past K), the product becomes a batch
// product over the chunks (grid.z), and a row reduction adds them up.
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/Transforms/KernelGrouping.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCSPLITREDUCTIONS
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;

namespace {

/// Product of static sizes; a dynamic size (a batch) counts as `large`.
int64_t product(ArrayRef<int64_t> sizes, int64_t large) {
  int64_t p = 1;
  for (int64_t s : sizes) {
    if (ShapedType::isDynamic(s))
      return large;
    p = std::min<int64_t>(p * s, large);
  }
  return p;
}

/// The single combiner of a one-output reduction whose accumulator is used
/// by that combiner only, with a neutral element; null otherwise.
Operation *soleCombiner(linalg::GenericOp op) {
  SmallVector<Operation *> combiners;
  Block &body = op.getRegion().front();
  BlockArgument acc = body.getArguments().back();
  if (!matchReduction(body.getArguments().take_back(1), 0, combiners) ||
      combiners.size() != 1 || !acc.hasOneUse() ||
      acc.getUses().begin()->getOwner() != combiners[0] ||
      combiners[0]->getNumOperands() != 2 ||
      !arith::getNeutralElement(combiners[0]))
    return nullptr;
  return combiners[0];
}

/// A reduction this pass may split: one output, parallel loops first, the
/// output indexed by parallel loops only, a known combiner. Products keep
/// their form (the contraction emitter tiles them).
bool isSplittable(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() == 0 ||
      tensorc::tc::isContraction(cast<linalg::LinalgOp>(op.getOperation())))
    return false;
  SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
  unsigned numParallel = op.getNumParallelLoops();
  for (unsigned i = 0, e = iters.size(); i < e; ++i)
    if ((i < numParallel) != (iters[i] == utils::IteratorType::parallel))
      return false;
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (!out.isProjectedPermutation() || out.getNumResults() != numParallel)
    return false;
  return soleCombiner(op) != nullptr;
}

struct Splitter {
  int64_t parts, minRows, minExtent;
  static constexpr int64_t kLarge = int64_t(1) << 40;
  /// Inner extent a promoted loop must leave per output of the first stage
  /// (a conv bias gradient's 14x14 = 196 over a block of 256 threads still
  /// beats 64 blocks that each reduce the whole batch).
  static constexpr int64_t kMinInner = 128;
  /// Extent per part that a split of one static dim leaves.
  static constexpr int64_t kMinSplitInner = 1024;

  /// The reduction loops to promote: how many of the leading ones.
  unsigned loopsToPromote(linalg::GenericOp op) const {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    unsigned numParallel = op.getNumParallelLoops();
    unsigned numLoops = ranges.size();
    int64_t rows = product(ArrayRef(ranges).take_front(numParallel), kLarge);
    unsigned promote = 0;
    for (unsigned i = numParallel; i + 1 < numLoops && rows < parts; ++i) {
      int64_t inner = product(ArrayRef(ranges).drop_front(i + 1), kLarge);
      if (inner < kMinInner)
        break;
      rows = std::min(
          kLarge, ShapedType::isDynamic(ranges[i]) ? kLarge : rows * ranges[i]);
      ++promote;
    }
    return promote;
  }

  /// Whether `op` has too few outputs for the work it does.
  bool worthSplitting(linalg::GenericOp op) const {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    unsigned numParallel = op.getNumParallelLoops();
    int64_t rows = product(ArrayRef(ranges).take_front(numParallel), kLarge);
    int64_t extent = product(ArrayRef(ranges).drop_front(numParallel), kLarge);
    return rows < minRows && extent >= minExtent;
  }

  /// Stage 1 with `promote` leading reduction loops made parallel, stage 2
  /// reducing them into the original init. Returns stage 1.
  linalg::GenericOp promoteLoops(RewriterBase &b, linalg::GenericOp op,
                                 unsigned promote) const {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    unsigned numParallel = op.getNumParallelLoops();
    unsigned numLoops = op.getNumLoops();
    Operation *combiner = soleCombiner(op);
    Value init = op.getDpsInitOperand(0)->get();
    auto initType = cast<RankedTensorType>(init.getType());
    Type elemType = initType.getElementType();

    b.setInsertionPoint(op);
    // The partials: the output's dims, then the promoted loops.
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, init);
    SmallVector<Range> loopRanges =
        cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc);
    for (unsigned i = numParallel; i < numParallel + promote; ++i)
      sizes.push_back(loopRanges[i].size);
    Value empty = tensor::EmptyOp::create(b, loc, sizes, elemType);
    Value neutral =
        arith::ConstantOp::create(b, loc, *arith::getNeutralElement(combiner));
    Value partialInit =
        linalg::FillOp::create(b, loc, neutral, empty).getResult(0);

    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    AffineMap outMap = maps.back();
    SmallVector<AffineExpr> outExprs(outMap.getResults());
    for (unsigned i = numParallel; i < numParallel + promote; ++i)
      outExprs.push_back(b.getAffineDimExpr(i));
    maps.back() = AffineMap::get(numLoops, 0, outExprs, ctx);
    SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
    for (unsigned i = numParallel; i < numParallel + promote; ++i)
      iters[i] = utils::IteratorType::parallel;

    auto stage1 = linalg::GenericOp::create(
        b, loc, TypeRange{partialInit.getType()}, op.getDpsInputs(),
        ValueRange{partialInit}, maps, iters);
    b.cloneRegionBefore(op.getRegion(), stage1.getRegion(),
                        stage1.getRegion().begin());

    // Stage 2: the partials' dims, the promoted ones reduced.
    unsigned rank = outExprs.size();
    SmallVector<AffineExpr> keep;
    for (unsigned i = 0; i < initType.getRank(); ++i)
      keep.push_back(b.getAffineDimExpr(i));
    SmallVector<AffineMap> maps2 = {b.getMultiDimIdentityMap(rank),
                                    AffineMap::get(rank, 0, keep, ctx)};
    SmallVector<utils::IteratorType> iters2(rank,
                                            utils::IteratorType::parallel);
    for (unsigned i = initType.getRank(); i < rank; ++i)
      iters2[i] = utils::IteratorType::reduction;
    Value accArg = op.getRegion().front().getArguments().back();
    auto stage2 = linalg::GenericOp::create(
        b, loc, TypeRange{initType}, ValueRange{stage1.getResult(0)},
        ValueRange{init}, maps2, iters2,
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          IRMapping map;
          for (Value operand : combiner->getOperands())
            map.map(operand, operand == accArg ? args[1] : args[0]);
          Operation *combined = nb.clone(*combiner, map);
          linalg::YieldOp::create(nb, nloc, combined->getResult(0));
        });
    stage2->setDiscardableAttrs(op->getDiscardableAttrDictionary());
    b.replaceOp(op, stage2.getResults());
    return stage1;
  }

  /// A ratio that divides `extent`, near `want`, leaving at least
  /// kMinSplitInner per part; 0 if none.
  static int64_t chooseRatio(int64_t extent, int64_t want) {
    for (int64_t r = want; r >= std::max<int64_t>(2, want / 8); --r)
      if (extent % r == 0 && extent / r >= kMinSplitInner)
        return r;
    for (int64_t r = want + 1; r <= want * 4; ++r)
      if (extent % r == 0 && extent / r >= kMinSplitInner)
        return r;
    return 0;
  }

  void run(RewriterBase &b, linalg::GenericOp op) const {
    if (!worthSplitting(op))
      return;
    if (unsigned promote = loopsToPromote(op))
      op = promoteLoops(b, op, promote);
    if (!worthSplitting(op) || op.getNumReductionLoops() != 1 ||
        op.hasIndexSemantics())
      return;
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    unsigned numParallel = op.getNumParallelLoops();
    int64_t rows = product(ArrayRef(ranges).take_front(numParallel), kLarge);
    int64_t extent = ranges.back();
    if (ShapedType::isDynamic(extent))
      return;
    int64_t ratio = chooseRatio(extent, std::max<int64_t>(2, parts / rows));
    if (ratio < 2)
      return;
    auto outType = cast<RankedTensorType>(op.getResult(0).getType());
    b.setInsertionPoint(op);
    (void)linalg::splitReduction(
        b, cast<linalg::LinalgOp>(op.getOperation()), [&](linalg::LinalgOp) {
          return linalg::SplitReductionOptions{
              ratio, static_cast<unsigned>(outType.getRank()),
              /*innerParallel=*/false};
        });
  }
};

//===----------------------------------------------------------------------===//
// Split-K of matrix products with few output tiles.
//===----------------------------------------------------------------------===//

/// The constant factor of an index value built by multiplications (K =
/// B * 784 has factor 784); 1 when unknown.
int64_t staticFactor(Value v, int depth = 0) {
  if (std::optional<int64_t> c = getConstantIntValue(v))
    return *c;
  if (depth > 4)
    return 1;
  if (auto mul = v.getDefiningOp<arith::MulIOp>())
    return staticFactor(mul.getLhs(), depth + 1) *
           staticFactor(mul.getRhs(), depth + 1);
  return 1;
}

/// The size of `tensor` along `dim`: static, or the constant factor of the
/// dynamic size its producer's tensor.empty was built with.
int64_t sizeLowerBound(Value tensor, unsigned dim) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (!type.isDynamicDim(dim))
    return type.getDimSize(dim);
  Value init = tensor;
  if (auto producer = tensor.getDefiningOp<linalg::LinalgOp>())
    init = producer.getDpsInitOperand(0)->get();
  if (auto empty = init.getDefiningOp<tensor::EmptyOp>())
    return staticFactor(empty.getDynamicSize(dim));
  return 1;
}

/// X re-indexed as [S, rows..., kc] chunks of K (kDim of X becomes kc, a
/// new leading dim s is the chunk): element (s, i, kc) is X at k = s * kc +
/// kc when k < K, else 0. A gather producer (no inputs) is recomputed at
/// the new indices; anything else is read with tensor.extract.
Value chunkOperand(OpBuilder &b, Location loc, Value x, unsigned kDim,
                   Value kSize, Value numChunks, int64_t chunk) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elem = type.getElementType();
  unsigned rank = type.getRank();
  // Result dims: s, then X's dims with K replaced by the chunk.
  SmallVector<int64_t> shape = {ShapedType::kDynamic};
  SmallVector<Value> dynSizes = {numChunks};
  for (unsigned d = 0; d < rank; ++d) {
    if (d == kDim) {
      shape.push_back(chunk);
      continue;
    }
    shape.push_back(type.getDimSize(d));
    if (type.isDynamicDim(d))
      dynSizes.push_back(tensor::DimOp::create(b, loc, x, d));
  }
  Value empty = tensor::EmptyOp::create(b, loc, shape, elem, dynSizes);
  auto gather = x.getDefiningOp<linalg::GenericOp>();
  if (gather && (gather.getNumDpsInputs() != 0 || gather.getNumResults() != 1))
    gather = nullptr;
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank + 1)};
  SmallVector<utils::IteratorType> iters(rank + 1,
                                         utils::IteratorType::parallel);
  auto op = linalg::GenericOp::create(
      b, loc, TypeRange{empty.getType()}, ValueRange{}, ValueRange{empty}, maps,
      iters, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value s = linalg::IndexOp::create(nb, nl, 0);
        SmallVector<Value> idx;
        for (unsigned d = 0; d < rank; ++d)
          idx.push_back(linalg::IndexOp::create(nb, nl, d + 1));
        Value c = arith::ConstantIndexOp::create(nb, nl, chunk);
        Value k = arith::AddIOp::create(
            nb, nl, arith::MulIOp::create(nb, nl, s, c), idx[kDim]);
        Value valid =
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ult, k, kSize);
        Value zeroIdx = arith::ConstantIndexOp::create(nb, nl, 0);
        idx[kDim] = arith::SelectOp::create(nb, nl, valid, k, zeroIdx);
        Value v;
        if (gather) {
          IRMapping map;
          Block &body = gather.getRegion().front();
          map.map(body.getArgument(0), args[0]);
          for (Operation &inner : body.without_terminator()) {
            if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
              map.map(index.getResult(), idx[index.getDim()]);
              continue;
            }
            nb.clone(inner, map);
          }
          v = map.lookup(body.getTerminator()->getOperand(0));
        } else {
          v = tensor::ExtractOp::create(nb, nl, x, idx);
        }
        Value zero = arith::ConstantOp::create(nb, nl, nb.getZeroAttr(elem));
        linalg::YieldOp::create(
            nb, nl,
            arith::SelectOp::create(nb, nl, valid, v, zero).getResult());
      });
  return op.getResult(0);
}

/// An f32 (or any float) linalg.matmul with few output tiles and a long K:
/// chunks of K become a batch dim of the product (grid.z), a row reduction
/// adds the chunks into the original init.
bool splitProductK(RewriterBase &b, linalg::MatmulOp mm, int64_t targetBlocks) {
  if (!mm.hasPureTensorSemantics() || mm.hasUserDefinedMaps())
    return false;
  Value a = mm.getDpsInputOperand(0)->get(),
        bb = mm.getDpsInputOperand(1)->get();
  Value c = mm.getDpsInitOperand(0)->get();
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(bb.getType());
  auto cType = cast<RankedTensorType>(c.getType());
  Type elem = cType.getElementType();
  if (!isa<FloatType>(elem) || aType.getElementType() != elem ||
      bType.getElementType() != elem || cType.isDynamicDim(0) ||
      cType.isDynamicDim(1))
    return false;
  int64_t m = cType.getDimSize(0), n = cType.getDimSize(1);
  int64_t tiles = ((m + 63) / 64) * ((n + 63) / 64);
  // A static K of at least 4,096, or a symbolic one with a static factor
  // of at least 128 (B * H * W: the batch times an image).
  int64_t kBound = std::max(sizeLowerBound(a, 1), sizeLowerBound(bb, 0));
  bool longK = aType.isDynamicDim(1) ? kBound >= 128 : kBound >= 4096;
  if (tiles * 4 > targetBlocks || !longK)
    return false;
  // Chunks of K: for a static K, enough of them for targetBlocks blocks;
  // for a symbolic K (B * H * W), chunks of 512.
  int64_t chunk = 512;
  if (!aType.isDynamicDim(1)) {
    int64_t k = aType.getDimSize(1);
    int64_t parts = std::max<int64_t>(2, targetBlocks / tiles);
    chunk = std::max<int64_t>(256, ((k + parts - 1) / parts + 31) / 32 * 32);
    if (chunk >= k)
      return false;
  }
  Location loc = mm.getLoc();
  b.setInsertionPoint(mm);
  // K: the size a producer's tensor.empty was built with (so that the
  // original gathers die), else the operand's dim.
  Value kSize;
  if (auto producer = a.getDefiningOp<linalg::LinalgOp>())
    if (auto empty = producer.getDpsInitOperand(0)
                         ->get()
                         .getDefiningOp<tensor::EmptyOp>())
      if (aType.isDynamicDim(1))
        kSize = empty.getDynamicSize(1);
  if (!kSize)
    kSize = getValueOrCreateConstantIndexOp(b, loc,
                                            tensor::getMixedSize(b, loc, a, 1));
  Value chunkV = arith::ConstantIndexOp::create(b, loc, chunk);
  Value numChunks = arith::CeilDivUIOp::create(b, loc, kSize, chunkV);
  Value aChunks = chunkOperand(b, loc, a, 1, kSize, numChunks, chunk);
  Value bChunks = chunkOperand(b, loc, bb, 0, kSize, numChunks, chunk);

  MLIRContext *ctx = mm.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  // (s, m, n, kc)
  Value partEmpty = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{ShapedType::kDynamic, m, n}, elem,
      ValueRange{numChunks});
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(elem));
  Value partInit = linalg::FillOp::create(b, loc, zero, partEmpty).getResult(0);
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {d(0), d(1), d(3)}, ctx),
                                 AffineMap::get(4, 0, {d(0), d(3), d(2)}, ctx),
                                 AffineMap::get(4, 0, {d(0), d(1), d(2)}, ctx)};
  using IT = utils::IteratorType;
  auto product = linalg::GenericOp::create(
      b, loc, TypeRange{partInit.getType()}, ValueRange{aChunks, bChunks},
      ValueRange{partInit}, maps,
      SmallVector<IT>{IT::parallel, IT::parallel, IT::parallel, IT::reduction},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value p = arith::MulFOp::create(nb, nl, args[0], args[1]);
        linalg::YieldOp::create(
            nb, nl, arith::AddFOp::create(nb, nl, args[2], p).getResult());
      });
  // (m, n, s): the chunks' sum into the product's init.
  SmallVector<AffineMap> maps2 = {AffineMap::get(3, 0, {d(2), d(0), d(1)}, ctx),
                                  AffineMap::get(3, 0, {d(0), d(1)}, ctx)};
  auto sum = linalg::GenericOp::create(
      b, loc, TypeRange{cType}, ValueRange{product.getResult(0)}, ValueRange{c},
      maps2, SmallVector<IT>{IT::parallel, IT::parallel, IT::reduction},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(
            nb, nl,
            arith::AddFOp::create(nb, nl, args[1], args[0]).getResult());
      });
  b.replaceOp(mm, sum.getResults());
  for (Value operand : {a, bb})
    if (Operation *def = operand.getDefiningOp())
      if (def->use_empty() && isa<linalg::GenericOp>(def))
        b.eraseOp(def);
  return true;
}

struct TCSplitReductionsPass
    : tensorc::tc::impl::TCSplitReductionsBase<TCSplitReductionsPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::GenericOp> ops;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (isSplittable(op))
        ops.push_back(op);
    });
    Splitter splitter{parts, minRows, minExtent};
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : ops)
      splitter.run(rewriter, op);
    SmallVector<linalg::MatmulOp> products;
    getOperation()->walk([&](linalg::MatmulOp op) { products.push_back(op); });
    for (linalg::MatmulOp op : products)
      splitProductK(rewriter, op, minRows);
  }
};

} // namespace
