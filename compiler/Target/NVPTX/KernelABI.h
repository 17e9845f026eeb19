//===- KernelABI.h - The kernel parameter ABI -------------------*- C++ -*-===//
//
// Kernels take one flat buffer per memref and one 64-bit integer per size
// (docs/artifact.md, "Kernel ABI"). The GPU lowering records each kernel's
// parameter kinds as `tc.abi = ["ptr", ..., "i64", ...]` on its gpu.func
// before `convert-gpu-to-nvvm`; the attribute rides along onto the kernel's
// llvm.func, where `tc-bare-kernel-abi` consumes it.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_COMPILER_TARGET_NVPTX_KERNELABI_H
#define TENSORC_COMPILER_TARGET_NVPTX_KERNELABI_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace tensorc::target {

/// The attribute that carries a kernel's parameter kinds.
inline constexpr llvm::StringLiteral kKernelABIAttrName = "tc.abi";
/// A buffer: one pointer in the ABI.
inline constexpr llvm::StringLiteral kABIPointer = "ptr";
/// A size: one 64-bit integer in the ABI.
inline constexpr llvm::StringLiteral kABIInt64 = "i64";

/// The parameter kinds of `kernel` (the manifest's `kernels[].args`), or an
/// error on the kernel if a parameter is neither a flat buffer
/// (`memref<?xT>`, identity layout) nor an `index`/`i64` size, or if the body
/// reads a buffer's size (the ABI does not pass it).
mlir::FailureOr<llvm::SmallVector<std::string>>
getKernelABI(mlir::gpu::GPUFuncOp kernel);

/// Sets `tc.abi` on every kernel of `gpuModule`; fails (with diagnostics) if
/// one of them does not fit the ABI.
llvm::LogicalResult annotateKernelABI(mlir::gpu::GPUModuleOp gpuModule);

} // namespace tensorc::target

#endif // TENSORC_COMPILER_TARGET_NVPTX_KERNELABI_H
