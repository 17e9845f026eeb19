//===- FuseElementwise.cpp ----------------------------------------------------------===//

#include "dialects/TC/Transforms/Passes.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCFUSEELEMENTWISE
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

namespace {
struct TCFuseElementwise : tensorc::tc::impl::TCFuseElementwiseBase<TCFuseElementwise> {
  using TCFuseElementwiseBase::TCFuseElementwiseBase;
  void runOnOperation() override {
    getOperation().emitError("TCFuseElementwise is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
