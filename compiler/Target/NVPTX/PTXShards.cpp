//===- PTXShards.cpp - Serialize kernel shards to PTX in parallel ---------===//

#include "compiler/Target/NVPTX/PTXShards.h"

#include "mlir/Dialect/GPU/IR/CompilationInterfaces.h"
#include "mlir/IR/Threading.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/IR/Module.h"

using namespace mlir;

namespace tensorc::target {

/// Gives the symbols of internal linkage that linking brought in (libdevice)
/// a name unique to the shard; the kernels' own symbols are unique already.
namespace {
struct LocalSymbolRenamer {
  unsigned shard;
  llvm::StringSet<> own;

  void recordOwn(llvm::Module &module) {
    for (llvm::GlobalValue &value : module.global_values())
      own.insert(value.getName());
  }
  void renameLinked(llvm::Module &module) {
    std::string suffix = "_tc_s" + std::to_string(shard);
    for (llvm::GlobalValue &value : module.global_values())
      if (value.hasLocalLinkage() && !value.isDeclaration() &&
          !own.contains(value.getName()))
        value.setName(value.getName() + suffix);
  }
};
} // namespace

FailureOr<std::string> serializeShardsToPTX(ArrayRef<gpu::GPUModuleOp> shards,
                                            StringRef toolkitPath) {
  assert(!shards.empty() && "no shard to serialize");
  gpu::GPUModuleOp first = shards.front();
  MLIRContext *ctx = first.getContext();
  SmallVector<std::string> ptx(shards.size());
  // A module compiled whole keeps libdevice's names.
  bool rename = shards.size() > 1;

  LogicalResult serialized = failableParallelForEachN(
      ctx, 0, shards.size(), [&](size_t s) -> LogicalResult {
        gpu::GPUModuleOp shard = shards[s];
        auto target = dyn_cast_or_null<gpu::TargetAttrInterface>(
            shard.getTargetsAttr() ? shard.getTargetsAttr()[0] : Attribute());
        if (!target)
          return shard.emitError("the kernels have no #nvvm.target");
        LocalSymbolRenamer renamer{static_cast<unsigned>(s), {}};
        // TargetOptions keeps function_refs: the callbacks must outlive it.
        auto translated = [&](llvm::Module &m) {
          if (rename)
            renamer.recordOwn(m);
        };
        auto linked = [&](llvm::Module &m) {
          if (rename)
            renamer.renameLinked(m);
        };
        gpu::TargetOptions options(
            toolkitPath, /*librariesToLink=*/{}, /*cmdOptions=*/"",
            /*elfSection=*/"", gpu::CompilationTarget::Assembly,
            /*getSymbolTableCallback=*/{}, translated, linked);
        std::optional<SmallVector<char, 0>> object =
            target.serializeToObject(shard, options);
        if (!object)
          return shard.emitError("PTX serialization failed");
        ptx[s].assign(object->begin(), object->end());
        // The serializer may end the text with a NUL for the driver.
        while (!ptx[s].empty() && ptx[s].back() == '\0')
          ptx[s].pop_back();
        return success();
      });
  if (failed(serialized))
    return failure();
  return joinPTX(ptx, first.getLoc());
}

} // namespace tensorc::target
