//===- Passes.h - tc passes -------------------------------------*- C++ -*-===//

#ifndef TENSORC_DIALECTS_TC_TRANSFORMS_PASSES_H
#define TENSORC_DIALECTS_TC_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace tensorc::tc {

#define GEN_PASS_DECL
#include "dialects/TC/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/TC/Transforms/Passes.h.inc"

} // namespace tensorc::tc

#endif // TENSORC_DIALECTS_TC_TRANSFORMS_PASSES_H
