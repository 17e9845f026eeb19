//===- PTXShards.h - Serialize a gpu.module to PTX in parallel --*- C++ -*-===//
//
// LLVM's optimizer and NVPTX code generator work on one module at a time and
// are most of a compile. The kernels of a model do not call each other, so
// the lowered `gpu.module` is split into shards of whole kernels, each shard
// serialized by the #nvvm.target on its own thread (own LLVMContext), and the
// PTX texts joined into one module.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_COMPILER_TARGET_NVPTX_PTXSHARDS_H
#define TENSORC_COMPILER_TARGET_NVPTX_PTXSHARDS_H

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

/// Serializes every shard to PTX with its #nvvm.target, in parallel on the
/// context's threads, and joins the results into one PTX module. Symbols of
/// internal linkage (libdevice functions LLVM did not inline) are renamed per
/// shard so that the joined module defines each name once.
mlir::FailureOr<std::string>
serializeShardsToPTX(mlir::ArrayRef<mlir::gpu::GPUModuleOp> shards,
                     llvm::StringRef toolkitPath);

/// Joins PTX modules made for one target: the header (`.version`, `.target`,
/// `.address_size`) once, then every module's body. Fails when the headers
/// differ.
mlir::FailureOr<std::string> joinPTX(mlir::ArrayRef<std::string> modules,
                                     mlir::Location loc);

} // namespace tensorc::target

#endif // TENSORC_COMPILER_TARGET_NVPTX_PTXSHARDS_H
