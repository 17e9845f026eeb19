//===- ConvertTCToLinalg.cpp - Lower tc to linalg on tensors --------------===//
//
// The pass; the patterns live in one file per op family (Elementwise.cpp,
// Reductions.cpp, ...) behind the populate functions of Patterns.h. Tensor
// types do not change, so each pattern replaces one tc op in place (greedy
// rewriting, no folding: the IR stays as the patterns build it). Afterwards
// only the structural tc ops may remain.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/TCToLinalg/Patterns.h"

#include "dialects/TC/IR/TCOps.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_CONVERTTCTOLINALG
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;
using namespace tensorc::tc;

void tensorc::tc::linalg_lowering::populateTCToLinalgPatterns(
    RewritePatternSet &patterns) {
  populateElementwisePatterns(patterns);
  populateReductionPatterns(patterns);
  populateMatMulPatterns(patterns);
  populateNormalizationPatterns(patterns);
  populateConvPatterns(patterns);
  populateConvGradPatterns(patterns);
  populateShapePatterns(patterns);
  populateLookupPatterns(patterns);
  populateDropoutPatterns(patterns);
}

namespace {
struct ConvertTCToLinalg
    : tensorc::tc::impl::ConvertTCToLinalgBase<ConvertTCToLinalg> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Parameters are buffers like any other once they are arguments; a
    // load_param left here means the pipeline skipped a pass.
    bool missingPass = false;
    module.walk([&](LoadParamOp op) {
      op.emitError() << "parameter @" << op.getParam()
                     << " is still read with tc.load_param; run "
                        "tc-params-to-arguments before convert-tc-to-linalg";
      missingPass = true;
    });
    if (missingPass)
      return signalPassFailure();

    RewritePatternSet patterns(&getContext());
    linalg_lowering::populateTCToLinalgPatterns(patterns);
    GreedyRewriteConfig config;
    config.enableFolding(false).enableConstantCSE(false);
    (void)applyPatternsGreedily(module, std::move(patterns), config);

    // Everything but the structural ops must be gone.
    bool leftover = false;
    module.walk([&](Operation *op) {
      if (!isa_and_present<TCDialect>(op->getDialect()) ||
          isa<ParamOp, KernelOp, YieldOp, LaunchOp>(op))
        return;
      op->emitError() << "'" << op->getName()
                      << "' could not be lowered to linalg";
      leftover = true;
    });
    if (leftover)
      signalPassFailure();
  }
};
} // namespace
