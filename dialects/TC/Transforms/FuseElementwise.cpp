//===- FuseElementwise.cpp - Fuse elementwise linalg ops
//-------------------===//
//
// MLIR's elementwise fusion with tensorc's policy: recompute cheap producers
// in every consumer instead of materializing them. On GPUs these kernels are
// bound by memory traffic, so a few extra arithmetic ops per element cost
// less than writing and re-reading an intermediate tensor.
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/Transforms/KernelGrouping.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCFUSEELEMENTWISE
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;

namespace {

/// Payloads longer than this are not duplicated into several consumers.
constexpr unsigned kMaxRecomputedOps = 24;

/// A producer may be fused into several consumers (and so computed more than
/// once) when its payload is short. Gathers (tensor.extract) are fine: they
/// are loads like any other.
bool isCheapToRecompute(linalg::GenericOp producer) {
  unsigned ops = 0;
  for (Operation &op : producer.getRegion().front()) {
    (void)op;
    if (++ops > kMaxRecomputedOps)
      return false;
  }
  return true;
}

/// A matrix product: named, or a generic (broadcast batch, convolutions over
/// gathered windows).
bool isProduct(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  return linalgOp && tensorc::tc::isContraction(linalgOp);
}

/// Fused into a reduction, a producer must leave the fused op an operand
/// that sizes every loop: an input, or an output that accumulates (not one
/// that a fusion kept only for other users, whose init is a tensor.empty).
bool keepsLoopSizes(linalg::GenericOp producer, OpOperand *fused) {
  auto consumer = dyn_cast<linalg::GenericOp>(fused->getOwner());
  if (!consumer || consumer.getNumReductionLoops() == 0)
    return true;
  llvm::BitVector covered(consumer.getNumLoops());
  auto cover = [&](AffineMap map) {
    for (AffineExpr e : map.getResults())
      if (auto dim = dyn_cast<AffineDimExpr>(e))
        covered.set(dim.getPosition());
  };
  for (OpOperand &operand : consumer->getOpOperands())
    if (&operand != fused && !operand.get().getDefiningOp<tensor::EmptyOp>())
      cover(consumer.getMatchingIndexingMap(&operand));
  AffineMap resultMap =
      producer.getIndexingMapMatchingResult(cast<OpResult>(fused->get()));
  if (!resultMap.isPermutation())
    return false;
  AffineMap toProducerLoops = inversePermutation(resultMap).compose(
      consumer.getMatchingIndexingMap(fused));
  for (OpOperand *input : producer.getDpsInputOperands())
    cover(producer.getMatchingIndexingMap(input).compose(toProducerLoops));
  return covered.all();
}

bool shouldFuse(OpOperand *fused) {
  auto producer = fused->get().getDefiningOp<linalg::GenericOp>();
  if (!producer)
    return false;
  // A consumer that an earlier fusion left dead (the rewriter erases it
  // later) still counts as a user for MLIR's fusion, which then keeps the
  // producer's result as an extra output of the fused op. In a reduction,
  // that is a full-size output that nothing reads and that the reduction
  // emitter cannot compute: wait until the dead user is gone.
  auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
  if (consumer && consumer.getNumReductionLoops() != 0 &&
      llvm::any_of(producer->getUsers(), [&](Operation *user) {
        return user != fused->getOwner() && isOpTriviallyDead(user);
      }))
    return false;
  if (!keepsLoopSizes(producer, fused))
    return false;
  // Fused into a generic product, a producer would hide the product from
  // the contraction emitter; tc-form-kernels clones it into the product's
  // operand loads instead.
  if (isProduct(fused->getOwner()))
    return false;
  if (producer->hasOneUse())
    return true;
  return isCheapToRecompute(producer);
}

/// An all-parallel generic reading the expanded result of a matrix product
/// (or of its epilogue).
bool isMatmulEpilogue(OpOperand *operand) {
  auto consumer = dyn_cast<linalg::GenericOp>(operand->getOwner());
  if (!consumer || consumer.getNumReductionLoops() != 0)
    return false;
  auto expand = operand->get().getDefiningOp<tensor::ExpandShapeOp>();
  if (!expand)
    return false;
  Operation *source = expand.getSrc().getDefiningOp();
  if (isProduct(source))
    return true;
  // Or the product's epilogue so far (a convolution's bias).
  auto epilogue = dyn_cast_or_null<linalg::GenericOp>(source);
  return epilogue && epilogue.getNumReductionLoops() == 0 &&
         llvm::any_of(epilogue.getDpsInputs(),
                      [](Value v) { return isProduct(v.getDefiningOp()); });
}

struct TCFuseElementwise
    : tensorc::tc::impl::TCFuseElementwiseBase<TCFuseElementwise> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, shouldFuse);
    // An elementwise op that reads an expanded matmul result ([B*T, N]
    // expanded to [B, T, N]) runs on the collapsed shape instead, so that it
    // can become the matmul's epilogue; the reshape moves after it.
    linalg::populateFoldReshapeOpsByCollapsingPatterns(patterns,
                                                       isMatmulEpilogue);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::EmptyOp::getCanonicalizationPatterns(patterns, context);
    tensor::DimOp::getCanonicalizationPatterns(patterns, context);
    // collapse(expand(x)) left by the reshape folding is x.
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    linalg::FillOp::getCanonicalizationPatterns(patterns, context);
    // Sizes read from intermediate values become sizes of the arguments, so
    // that a size never ties a kernel to the result of another.
    memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
