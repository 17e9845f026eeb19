//===- HostTarget.h - Kernels as host code for the CPU ----------*- C++ -*-===//
//
// Lowers `gpu.module @tc_kernels` (kernels emitted with one thread per block)
// to host functions with the CPU kernel ABI of docs/artifact.md,
//
//   void NAME(void **args, const int64_t *grid, int64_t blockBegin,
//             int64_t blockEnd);
//
// and from there to LLVM IR, a JIT (HostJIT.h) or a shared object that the
// runtime dlopens. Failures are diagnostics on the module's context.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_COMPILER_TARGET_HOST_HOSTTARGET_H
#define TENSORC_COMPILER_TARGET_HOST_HOSTTARGET_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace tensorc::target {

/// The CPU kernel ABI.
using HostKernelFn = void (*)(void **args, const int64_t *grid,
                              int64_t blockBegin, int64_t blockEnd);

struct HostOptions {
  /// LLVM's optimization level (0-3), for the IR passes and code generation.
  unsigned optLevel = 3;
  /// The CPU to generate code for: "host" (this machine, with all its
  /// features) or an LLVM CPU name such as "x86-64-v3" for a shared object
  /// that must run elsewhere.
  std::string cpu = "host";
  /// Lets LLVM trade IEEE accuracy for speed (arith `fastmath<fast>`).
  bool fastMath = false;
  /// The driver that links shared objects; empty: `cc` on the PATH, then
  /// /usr/lib/llvm-22/bin/clang.
  std::string linker;
  /// At most this many shards of kernels are optimized and compiled in
  /// parallel, and no more than the context has threads. Kernels do not
  /// call each other, so each kernel's code is the same for any count.
  unsigned shards = 8;
};

/// `module`'s `@tc_kernels` cut into shards of whole kernels
/// (splitIntoShards, at most `opts.shards`) to compile in parallel. Loads
/// into the context what lowering and translating the shards needs, which
/// must not happen while they compile.
mlir::FailureOr<mlir::SmallVector<mlir::OwningOpRef<mlir::gpu::GPUModuleOp>>>
splitHostKernels(mlir::ModuleOp module, const HostOptions &opts);

/// A clone of `module`'s `@tc_kernels` lowered to host functions in the LLVM
/// dialect (`module` itself is not changed).
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
lowerKernelsToHostLLVM(mlir::ModuleOp module, const HostOptions &opts = {});

/// The same for a module of kernels (a shard of `@tc_kernels`): safe to call
/// for several shards of one context at once.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
lowerKernelsToHostLLVM(mlir::gpu::GPUModuleOp kernels,
                       const HostOptions &opts = {});

/// A target machine for `opts.cpu`: for the JIT, or for position-independent
/// code that goes into a shared object. Reports failures on `loc`.
mlir::FailureOr<std::unique_ptr<llvm::TargetMachine>>
createHostTargetMachine(mlir::Location loc, const HostOptions &opts,
                        bool forJIT);

/// Translates host functions in the LLVM dialect (lowerKernelsToHostLLVM) to
/// an LLVM module for `machine`, optimized at `opts.optLevel`.
mlir::FailureOr<std::unique_ptr<llvm::Module>> translateHostKernelsToLLVMIR(
    mlir::ModuleOp llvmDialectModule, llvm::LLVMContext &llvmContext,
    llvm::TargetMachine &machine, const HostOptions &opts);

/// Compiles `module`'s kernels, shard by shard in parallel, and links them
/// into the shared object `path` (one exported function per kernel) with the
/// system's linker driver.
llvm::LogicalResult writeHostSharedObject(mlir::ModuleOp module,
                                          llvm::StringRef path,
                                          const HostOptions &opts = {});

} // namespace tensorc::target

#endif // TENSORC_COMPILER_TARGET_HOST_HOSTTARGET_H
