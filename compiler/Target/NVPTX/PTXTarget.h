//===- PTXTarget.h - Kernels to PTX through LLVM's NVPTX backend *- C++ -*-===//
//
// Lowers the module's `gpu.module @tc_kernels` to one PTX module holding
// every kernel, with the kernel ABI of docs/artifact.md: one `.u64 .ptr`
// parameter per buffer and one `.u64` per size.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_COMPILER_TARGET_NVPTX_PTXTARGET_H
#define TENSORC_COMPILER_TARGET_NVPTX_PTXTARGET_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"
#include "mlir/Support/Timing.h"

#include <string>

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace tensorc::target {

struct PTXOptions {
  /// The GPU architecture: sm_80, sm_90, ...
  std::string arch = "sm_90";
  /// LLVM's optimization level (0-3).
  unsigned optLevel = 3;
  /// Lets LLVM and libdevice trade IEEE accuracy for speed (approximate
  /// division, fast exp/log, contractions): arith `fastmath<fast>` on every
  /// float op of the kernels.
  bool fastMath = false;
  /// The CUDA toolkit whose `nvvm/libdevice/libdevice.10.bc` provides the math
  /// functions. Empty: $CUDA_ROOT, $CUDA_HOME, $CUDA_PATH, then
  /// /usr/local/cuda.
  std::string toolkitPath;
  /// LLVM compiles the kernels in up to this many shards of consecutive
  /// kernels, on the MLIR context's threads. A fixed number, not one per
  /// thread, so that the PTX is the same on every machine.
  unsigned shards = 8;
  /// Where --mlir-timing puts the lowering and serialization stages; none
  /// when null.
  mlir::TimingScope *timing = nullptr;
};

/// The dialects, translations and target interfaces translateKernelsToPTX
/// needs. translateKernelsToPTX appends them to the module's context itself;
/// tools may register them up front.
void registerPTXTargetDialects(mlir::DialectRegistry &registry);

/// A clone of `module`'s `gpu.module @tc_kernels` lowered to the NVVM and
/// LLVM dialects with the kernel ABI applied, the #nvvm.target attached: the
/// input of the PTX serializer (what `--emit=llvm` shows for CUDA).
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
lowerKernelsToNVVM(mlir::ModuleOp module, const PTXOptions &opts = {});

/// Compiles a clone of `module`'s `gpu.module @tc_kernels` (the module itself
/// is not changed) to PTX text. Failures are reported as diagnostics on the
/// module's context.
mlir::FailureOr<std::string> translateKernelsToPTX(mlir::ModuleOp module,
                                                   const PTXOptions &opts = {});

} // namespace tensorc::target

#endif // TENSORC_COMPILER_TARGET_NVPTX_PTXTARGET_H
