//===- FormKernels.cpp ----------------------------------------------------------===//

#include "dialects/TC/Transforms/Passes.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCFORMKERNELS
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

namespace {
struct TCFormKernels : tensorc::tc::impl::TCFormKernelsBase<TCFormKernels> {
  using TCFormKernelsBase::TCFormKernelsBase;
  void runOnOperation() override {
    getOperation().emitError("TCFormKernels is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
