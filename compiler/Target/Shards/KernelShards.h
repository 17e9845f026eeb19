//===- KernelShards.h - Kernels in shards, PTX modules joined ---*- C++ -*-===//
//
// LLVM's code generation and NVRTC compile one module at a time and are most
// of a compile. A model's kernels do not call each other, so the backends cut
// the `gpu.module` into shards of whole kernels and compile the shards in
// parallel: the PTX backends join the PTX texts into one module, the host
// backend links the shards' objects into one shared object (or JITs each).
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_COMPILER_TARGET_SHARDS_KERNELSHARDS_H
#define TENSORC_COMPILER_TARGET_SHARDS_KERNELSHARDS_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace tensorc::target {

/// Splits `gpuModule` into at most `maxShards` modules of consecutive whole
/// kernels (gpu.func or llvm.func marked `gpu.kernel`), balanced by operation
/// count, named after it (`@name`, `@name_1`, ...). Each shard keeps the
/// module's attributes and the symbols its kernels use. One shard when the
/// module defines a function other than the kernels (a callee several shards
/// would need).
mlir::SmallVector<mlir::OwningOpRef<mlir::gpu::GPUModuleOp>>
splitIntoShards(mlir::gpu::GPUModuleOp gpuModule, unsigned maxShards);

/// Joins PTX modules made for one target: the header (`.version`, `.target`,
/// `.address_size`) once, then every module's body. Fails when the headers
/// differ.
mlir::FailureOr<std::string> joinPTX(mlir::ArrayRef<std::string> modules,
                                     mlir::Location loc);

} // namespace tensorc::target

#endif // TENSORC_COMPILER_TARGET_SHARDS_KERNELSHARDS_H
