//===- EmitKernels.cpp ----------------------------------------------------------===//

#include "dialects/TC/Transforms/Passes.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCEMITKERNELS
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

namespace {
struct TCEmitKernels : tensorc::tc::impl::TCEmitKernelsBase<TCEmitKernels> {
  using TCEmitKernelsBase::TCEmitKernelsBase;
  void runOnOperation() override {
    getOperation().emitError("TCEmitKernels is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
