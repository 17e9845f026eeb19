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
//===----------------------------------------------------------------------===//

#include "dialects/TC/Transforms/KernelGrouping.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Analysis/SliceAnalysis.h"
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
      rows = std::min(kLarge, ShapedType::isDynamic(ranges[i])
                                  ? kLarge
                                  : rows * ranges[i]);
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
    SmallVector<Range> loopRanges = cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc);
    for (unsigned i = numParallel; i < numParallel + promote; ++i)
      sizes.push_back(loopRanges[i].size);
    Value empty = tensor::EmptyOp::create(b, loc, sizes, elemType);
    Value neutral = arith::ConstantOp::create(
        b, loc, *arith::getNeutralElement(combiner));
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
        b, cast<linalg::LinalgOp>(op.getOperation()),
        [&](linalg::LinalgOp) {
          return linalg::SplitReductionOptions{
              ratio, static_cast<unsigned>(outType.getRank()),
              /*innerParallel=*/false};
        });
  }
};

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
  }
};

} // namespace
