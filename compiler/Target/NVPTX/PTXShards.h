//===- PTXShards.h - Serialize kernel shards to PTX in parallel -*- C++ -*-===//
//
// Each shard (KernelShards.h) is serialized by its #nvvm.target on its own
// thread with its own LLVMContext.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_COMPILER_TARGET_NVPTX_PTXSHARDS_H
#define TENSORC_COMPILER_TARGET_NVPTX_PTXSHARDS_H

#include "compiler/Target/Shards/KernelShards.h"

namespace tensorc::target {

/// Serializes every shard to PTX with its #nvvm.target, in parallel on the
/// context's threads, and joins the results into one PTX module. Symbols of
/// internal linkage (libdevice functions LLVM did not inline) are renamed per
/// shard so that the joined module defines each name once.
mlir::FailureOr<std::string>
serializeShardsToPTX(mlir::ArrayRef<mlir::gpu::GPUModuleOp> shards,
                     llvm::StringRef toolkitPath);

} // namespace tensorc::target

#endif // TENSORC_COMPILER_TARGET_NVPTX_PTXSHARDS_H
