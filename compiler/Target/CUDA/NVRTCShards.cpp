//===- NVRTCShards.cpp - NVRTC programs of kernel shards in parallel ------===//

#include "compiler/Target/CUDA/CUDAEmitter.h"
#include "compiler/Target/CUDA/NVRTC.h"
#include "compiler/Target/Shards/KernelShards.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Threading.h"

using namespace mlir;

namespace tensorc::cuda {

FailureOr<std::string> compileKernelsWithNVRTC(ModuleOp module, StringRef arch,
                                               const NVRTCOptions &options,
                                               unsigned shards) {
  auto kernels = dyn_cast_or_null<gpu::GPUModuleOp>(
      SymbolTable::lookupSymbolIn(module, "tc_kernels"));
  if (!kernels)
    return module.emitError("no gpu.module @tc_kernels to print as CUDA C++");
  SmallVector<OwningOpRef<gpu::GPUModuleOp>> parts =
      target::splitIntoShards(kernels, std::max(shards, 1u));
  SmallVector<std::string> ptx(parts.size());
  // NVRTC compiles separate programs concurrently (its API is thread-safe).
  LogicalResult compiled = failableParallelForEachN(
      module.getContext(), 0, parts.size(), [&](size_t i) -> LogicalResult {
        FailureOr<std::string> source = translateKernelsToCUDA(*parts[i]);
        if (failed(source))
          return failure();
        FailureOr<std::string> text =
            compileCUDAToPTX(*source, arch, module.getLoc(), options);
        if (failed(text))
          return failure();
        ptx[i] = std::move(*text);
        return success();
      });
  if (failed(compiled))
    return failure();
  return target::joinPTX(ptx, module.getLoc());
}

} // namespace tensorc::cuda
