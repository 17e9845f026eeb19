//===- NVRTC.h - CUDA C++ to PTX through NVRTC ------------------*- C++ -*-===//
//
// NVRTC is loaded with dlopen at the first use: the compiler links nothing of
// CUDA and builds where CUDA is missing; only compiling to PTX this way needs
// libnvrtc at run time.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_COMPILER_TARGET_CUDA_NVRTC_H
#define TENSORC_COMPILER_TARGET_CUDA_NVRTC_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

#include <string>
#include <vector>

namespace tensorc::cuda {

struct NVRTCOptions {
  /// Lets NVRTC contract a * b + c into an FMA (NVCC's default). The printed
  /// arith ops use the `__f*_rn` intrinsics, which are never contracted, so
  /// this only changes code inside the math library functions.
  bool fmad = true;
  /// Adds `-lineinfo` (source lines in the PTX, for profilers).
  bool lineInfo = false;
  /// Further NVRTC options, passed as they are.
  std::vector<std::string> extraOptions;
};

/// Compiles `source` to PTX for `arch` (`sm_90`, `sm_90a`, or `compute_90`)
/// with `--gpu-architecture=compute_XX -default-device`. Errors (NVRTC not
/// found, a bad arch, a failed compile with NVRTC's log) go to `loc`.
mlir::FailureOr<std::string> compileCUDAToPTX(llvm::StringRef source,
                                              llvm::StringRef arch,
                                              mlir::Location loc,
                                              const NVRTCOptions &options = {});

/// Compiles the kernels of `kernels` (@tc_kernels) with NVRTC as up to
/// `shards` programs of consecutive kernels (KernelShards.h), in parallel on
/// the MLIR context's threads, and joins their PTX into one module. The
/// shard count is fixed, not one per core, so that the PTX is the same on
/// every machine.
mlir::FailureOr<std::string>
compileKernelsWithNVRTC(mlir::gpu::GPUModuleOp kernels, llvm::StringRef arch,
                        const NVRTCOptions &options = {}, unsigned shards = 8);

/// Whether libnvrtc can be loaded (from $TENSORC_NVRTC_LIBRARY when set);
/// if not, `why` says what was tried.
bool isNVRTCAvailable(std::string *why = nullptr);

/// NVRTC's version as "MAJOR.MINOR", or "" when it cannot be loaded.
std::string getNVRTCVersion();

} // namespace tensorc::cuda

#endif // TENSORC_COMPILER_TARGET_CUDA_NVRTC_H
