//===- TCOps.h - tc operations ----------------------------------*- C++ -*-===//

#ifndef TENSORC_DIALECTS_TC_IR_TCOPS_H
#define TENSORC_DIALECTS_TC_IR_TCOPS_H

#include "dialects/TC/IR/TCDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/TC/IR/TCEnums.h.inc"

#define GET_OP_CLASSES
#include "dialects/TC/IR/TCOps.h.inc"

namespace tensorc::tc {
/// Names of the attributes the dialect verifies on function arguments and
/// results, and on the module.
inline constexpr llvm::StringLiteral kNameAttr = "tc.name";
inline constexpr llvm::StringLiteral kDimsAttr = "tc.dims";
inline constexpr llvm::StringLiteral kParamAttr = "tc.param";
inline constexpr llvm::StringLiteral kModelAttr = "tc.model";
inline constexpr llvm::StringLiteral kTrainAttr = "tc.train";
/// On a gradient function's result: the param it is the gradient of.
inline constexpr llvm::StringLiteral kGradOfAttr = "tc.grad_of";
/// On a training step's result: the param (or optimizer state) it replaces.
inline constexpr llvm::StringLiteral kUpdateAttr = "tc.update";
/// On a tc.param: optimizer state (kept in checkpoints; zero-initialized but
/// for rng.seed).
inline constexpr llvm::StringLiteral kOptimizerStateAttr = "tc.optimizer_state";
/// On the module: the precision tc-autocast gave its products (bf16, f16).
inline constexpr llvm::StringLiteral kPrecisionAttr = "tc.precision";
/// On the constant tc-autodiff seeds the backward pass with (d loss = 1):
/// f16 training scales it (tc-build-train-step).
inline constexpr llvm::StringLiteral kGradSeedAttr = "tc.grad_seed";
/// On a kernel's gpu.func: its loops are not vectorized on the CPU (set by
/// the row emitter; LLVM 22's vectorizer could plan for minutes on some).
inline constexpr llvm::StringLiteral kScalarLoopsAttr = "tc.scalar_loops";
/// The dropout key of training steps (tc-autodiff): the session's seed and
/// the steps taken, i32 scalar params marked as optimizer state.
inline constexpr llvm::StringLiteral kRngSeedParam = "rng.seed";
inline constexpr llvm::StringLiteral kRngStepParam = "rng.step";
/// f16 training's loss scale and its run of finite steps (tc-build-train-
/// step), f32 scalar params marked as optimizer state.
inline constexpr llvm::StringLiteral kLossScaleParam = "opt.loss_scale";
inline constexpr llvm::StringLiteral kLossScaleGoodStepsParam =
    "opt.loss_scale.good_steps";
inline constexpr llvm::StringLiteral kLossScaleSkippedParam =
    "opt.loss_scale.skipped_steps";
} // namespace tensorc::tc

#endif // TENSORC_DIALECTS_TC_IR_TCOPS_H
