//===- Emitters.h - One emitter per kernel kind -----------------*- C++ -*-===//
//
// Each emitter fills the gpu.func of a KernelContext and computes, on the
// host side of the launch, the grid that covers the work. Emitters whose
// special structure does not apply (an unusual contraction, a reduction with
// an unrecognized combiner) fall back to the loop emitter, which handles any
// kernel body: one thread per output element, reductions as serial loops.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_CONVERSION_KERNELSTOGPU_EMITTERS_H
#define TENSORC_CONVERSION_KERNELSTOGPU_EMITTERS_H

#include "compiler/Conversion/KernelsToGPU/KernelContext.h"

namespace tensorc::kernels {

/// Where the launch is built: `b` is positioned before it and `shapes`
/// rebuilds sizes of the kernel body on the host.
struct HostSide {
  mlir::OpBuilder &b;
  ShapeCloner &shapes;
  mlir::Location loc;
};

struct LaunchDims {
  mlir::Value grid[3];
  int64_t block[3] = {1, 1, 1};
};

mlir::FailureOr<LaunchDims> emitLoopKernel(KernelContext &ctx, HostSide &host);
mlir::FailureOr<LaunchDims> emitRowKernel(KernelContext &ctx, HostSide &host);
mlir::FailureOr<LaunchDims> emitContractionKernel(KernelContext &ctx,
                                                  HostSide &host);

/// Host-side helpers for grid arithmetic.
mlir::Value hostConstant(HostSide &host, int64_t v);
mlir::Value hostCeilDiv(HostSide &host, mlir::Value a, int64_t c);
mlir::Value hostProduct(HostSide &host, llvm::ArrayRef<mlir::Value> values);
mlir::Value hostMin(HostSide &host, mlir::Value a, int64_t c);

} // namespace tensorc::kernels

#endif // TENSORC_CONVERSION_KERNELSTOGPU_EMITTERS_H
