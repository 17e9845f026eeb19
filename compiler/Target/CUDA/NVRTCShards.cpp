//===- NVRTCShards.cpp - NVRTC programs of kernel shards in parallel ------===//

#include "compiler/Target/CUDA/CUDAEmitter.h"
#include "compiler/Target/CUDA/NVRTC.h"
#include "compiler/Target/Shards/KernelShards.h"

#include "mlir/IR/Threading.h"

using namespace mlir;

namespace tensorc::cuda {

FailureOr<std::string> compileKernelsWithNVRTC(gpu::GPUModuleOp kernels,
                                               StringRef arch,
                                               const NVRTCOptions &options,
                                               unsigned shards) {
  SmallVector<OwningOpRef<gpu::GPUModuleOp>> parts =
      target::splitIntoShards(kernels, std::max(shards, 1u));
  SmallVector<std::string> ptx(parts.size());
  // NVRTC compiles separate programs concurrently (its API is thread-safe).
  LogicalResult compiled = failableParallelForEachN(
      kernels.getContext(), 0, parts.size(), [&](size_t i) -> LogicalResult {
        FailureOr<std::string> source = translateKernelsToCUDA(*parts[i]);
        if (failed(source))
          return failure();
        FailureOr<std::string> text =
            compileCUDAToPTX(*source, arch, kernels.getLoc(), options);
        if (failed(text))
          return failure();
        ptx[i] = std::move(*text);
        return success();
      });
  if (failed(compiled))
    return failure();
  return target::joinPTX(ptx, kernels.getLoc());
}

} // namespace tensorc::cuda
