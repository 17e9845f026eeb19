//===- ConvertTCToLinalg.cpp - Lower tc to linalg on tensors --------------===//
//
// The pass; the patterns live in one file per op family (Elementwise.cpp,
// Reductions.cpp, ...) behind populate...Patterns functions.
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/IR/TCOps.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_CONVERTTCTOLINALG
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;

namespace {
struct ConvertTCToLinalg
    : tensorc::tc::impl::ConvertTCToLinalgBase<ConvertTCToLinalg> {
  void runOnOperation() override {
    // Not implemented yet.
    getOperation().emitError("convert-tc-to-linalg is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
