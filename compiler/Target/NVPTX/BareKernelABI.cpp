//===- BareKernelABI.cpp ----------------------------------------------------------===//

#include "dialects/TC/Transforms/Passes.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCBAREKERNELABI
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

namespace {
struct TCBareKernelABI : tensorc::tc::impl::TCBareKernelABIBase<TCBareKernelABI> {
  using TCBareKernelABIBase::TCBareKernelABIBase;
  void runOnOperation() override {
    getOperation().emitError("TCBareKernelABI is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
