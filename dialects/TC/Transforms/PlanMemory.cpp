//===- PlanMemory.cpp ----------------------------------------------------------===//

#include "dialects/TC/Transforms/Passes.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCPLANMEMORY
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

namespace {
struct TCPlanMemory : tensorc::tc::impl::TCPlanMemoryBase<TCPlanMemory> {
  using TCPlanMemoryBase::TCPlanMemoryBase;
  void runOnOperation() override {
    getOperation().emitError("TCPlanMemory is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
