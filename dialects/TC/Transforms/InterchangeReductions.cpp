//===- InterchangeReductions.cpp - Parallel loops first in reductions -----===//
//
// A reduction whose parallel loops do not all come before its reduction
// loops (a column sum: sum over rows of [R, C] -> [C], the gradient of a
// bias or of a norm's gamma) is interchanged so that they do. It then has
// the shape of a row reduction, and becomes a row kernel: one block per
// output with a shuffle reduction, instead of a loop kernel that reduces
// serially per output with one thread (one thread per column over 16384
// rows took milliseconds; docs/codegen.md).
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCINTERCHANGEREDUCTIONS
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;

namespace {

/// The permutation that puts the parallel loops first, each group in its
/// order; empty when they already are.
SmallVector<unsigned> parallelFirst(linalg::GenericOp op) {
  SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
  SmallVector<unsigned> perm;
  for (unsigned i = 0, e = iters.size(); i < e; ++i)
    if (iters[i] == utils::IteratorType::parallel)
      perm.push_back(i);
  for (unsigned i = 0, e = iters.size(); i < e; ++i)
    if (iters[i] == utils::IteratorType::reduction)
      perm.push_back(i);
  for (unsigned i = 0, e = perm.size(); i < e; ++i)
    if (perm[i] != i)
      return perm;
  return {};
}

struct TCInterchangeReductionsPass
    : tensorc::tc::impl::TCInterchangeReductionsBase<
          TCInterchangeReductionsPass> {
  void runOnOperation() override {
    SmallVector<std::pair<linalg::GenericOp, SmallVector<unsigned>>> ops;
    getOperation()->walk([&](linalg::GenericOp op) {
      // Only reductions into one output that every loop's input maps
      // address directly (no windows, no gathers); products keep their
      // loop order, which the contraction emitter reads.
      if (op.getNumReductionLoops() == 0 || op.getNumDpsInits() != 1 ||
          op.getNumDpsInputs() == 0 || linalg::isaContractionOpInterface(op))
        return;
      for (OpOperand *input : op.getDpsInputOperands())
        if (!op.getMatchingIndexingMap(input).isProjectedPermutation())
          return;
      if (SmallVector<unsigned> perm = parallelFirst(op); !perm.empty())
        ops.emplace_back(op, std::move(perm));
    });
    IRRewriter rewriter(&getContext());
    for (auto &[op, perm] : ops) {
      rewriter.setInsertionPoint(op);
      if (failed(linalg::interchangeGenericOp(rewriter, op, perm)))
        return signalPassFailure();
    }
  }
};

} // namespace
