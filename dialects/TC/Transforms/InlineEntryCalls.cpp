//===- InlineEntryCalls.cpp - Inline calls between model functions --------===//

#include "dialects/TC/IR/TCOps.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/Inliner.h"
#include "mlir/Transforms/InliningUtils.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCINLINEENTRYCALLS
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;
using namespace tensorc::tc;

namespace {
struct TCInlineEntryCalls
    : tensorc::tc::impl::TCInlineEntryCallsBase<TCInlineEntryCalls> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    InlinerInterface inliner(&getContext());
    InlinerConfig config;
    // Inline innermost calls first so that every callee body is call-free
    // when it is copied; the frontend guarantees there is no recursion, and
    // the depth bound turns a malformed module into an error, not a hang.
    for (int round = 0; round < 1000; ++round) {
      SmallVector<func::CallOp> calls;
      module.walk([&](func::CallOp call) {
        if (symbols.lookup<func::FuncOp>(call.getCallee()))
          calls.push_back(call);
      });
      if (calls.empty())
        break;
      for (func::CallOp call : calls) {
        auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
        if (failed(inlineCall(inliner, config.getCloneCallback(), call, callee,
                              &callee.getBody(),
                              /*shouldCloneInlinedRegion=*/true))) {
          call.emitError("cannot inline the call to '")
              << call.getCallee() << "'";
          return signalPassFailure();
        }
        call.erase();
      }
      if (round == 999) {
        module.emitError("calls nest more than 1000 deep (recursion?)");
        return signalPassFailure();
      }
    }
    // Inlining leaves tensor.dim of intermediate values; tc ops reify their
    // result sizes, so these resolve back to the entry arguments.
    RewritePatternSet patterns(&getContext());
    memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
    tensor::DimOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(module, std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
