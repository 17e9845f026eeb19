//===- HostJIT.h - CPU kernels compiled in-process --------------*- C++ -*-===//
//
// JIT-compiles the kernels of `gpu.module @tc_kernels` for this machine
// through MLIR's ExecutionEngine (ORC), one engine per shard of kernels,
// compiled in parallel, and hands out their function pointers with the CPU
// kernel ABI (HostTarget.h). The runtime needs nothing else.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_COMPILER_TARGET_HOST_HOSTJIT_H
#define TENSORC_COMPILER_TARGET_HOST_HOSTJIT_H

#include "compiler/Target/Host/HostTarget.h"

#include "llvm/ADT/StringMap.h"

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace tensorc::target {

class HostKernels {
public:
  /// Compiles a clone of `module`'s kernels; failures are diagnostics on the
  /// module's context.
  static mlir::FailureOr<std::unique_ptr<HostKernels>>
  create(mlir::ModuleOp module, const HostOptions &opts = {});

  ~HostKernels();
  HostKernels(const HostKernels &) = delete;
  HostKernels &operator=(const HostKernels &) = delete;

  /// The kernel's function (a HostKernelFn), or null if there is none by that
  /// name. Valid while this object lives.
  void *lookup(llvm::StringRef kernelName) const;

private:
  HostKernels() = default;
  /// The engines own the code the pointers point into.
  llvm::SmallVector<std::unique_ptr<mlir::ExecutionEngine>> engines;
  llvm::StringMap<void *> kernels;
};

} // namespace tensorc::target

#endif // TENSORC_COMPILER_TARGET_HOST_HOSTJIT_H
