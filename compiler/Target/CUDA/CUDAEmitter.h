//===- CUDAEmitter.h - gpu.func kernels as CUDA C++ -------------*- C++ -*-===//
//
// The NVRTC backend's printer (docs/codegen.md, section 6): every gpu.func of
// `gpu.module @tc_kernels` becomes an `extern "C" __global__` function with
// the kernel ABI of docs/artifact.md (a pointer per buffer, then a 64-bit
// integer per size), so that the NVPTX and NVRTC paths are interchangeable.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_COMPILER_TARGET_CUDA_CUDAEMITTER_H
#define TENSORC_COMPILER_TARGET_CUDA_CUDAEMITTER_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace tensorc::cuda {

/// Prints the kernels of `gpu.module @tc_kernels` in `module` as one CUDA C++
/// translation unit that needs no header (f16/bf16 are raw 16-bit values
/// converted by helpers the source defines itself). Emits an error naming the
/// op, type or attribute it cannot print and fails.
mlir::FailureOr<std::string> translateKernelsToCUDA(mlir::ModuleOp module);

/// Prints the kernels of `kernels` (a shard of @tc_kernels) the same way.
mlir::FailureOr<std::string>
translateKernelsToCUDA(mlir::gpu::GPUModuleOp kernels);

} // namespace tensorc::cuda

#endif // TENSORC_COMPILER_TARGET_CUDA_CUDAEMITTER_H
