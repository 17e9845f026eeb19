//===- LowerKernelsToHost.cpp ----------------------------------------------------------===//

#include "dialects/TC/Transforms/Passes.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCLOWERKERNELSTOHOST
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

namespace {
struct TCLowerKernelsToHost : tensorc::tc::impl::TCLowerKernelsToHostBase<TCLowerKernelsToHost> {
  using TCLowerKernelsToHostBase::TCLowerKernelsToHostBase;
  void runOnOperation() override {
    getOperation().emitError("TCLowerKernelsToHost is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
