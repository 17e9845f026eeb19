//===- PrintGPU.cpp - gpu ids, barriers and shuffles ----------------------===//

#include "compiler/Target/CUDA/Printer.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"

using namespace mlir;

namespace tensorc::cuda {

static StringRef dimension(gpu::Dimension dim) {
  switch (dim) {
  case gpu::Dimension::x:
    return "x";
  case gpu::Dimension::y:
    return "y";
  case gpu::Dimension::z:
    return "z";
  }
  llvm_unreachable("unknown dimension");
}

static StringRef shuffleHelper(gpu::ShuffleMode mode) {
  switch (mode) {
  case gpu::ShuffleMode::XOR:
    return "tc_rt::shfl_xor";
  case gpu::ShuffleMode::UP:
    return "tc_rt::shfl_up";
  case gpu::ShuffleMode::DOWN:
    return "tc_rt::shfl_down";
  case gpu::ShuffleMode::IDX:
    return "tc_rt::shfl_idx";
  }
  llvm_unreachable("unknown shuffle mode");
}

LogicalResult KernelPrinter::printGPUOp(Operation *op) {
  // Ids are unsigned in CUDA and index (long long) here: no sign to extend.
  if (auto id = dyn_cast<gpu::ThreadIdOp>(op))
    return declare(op, id, "threadIdx." + dimension(id.getDimension()));
  if (auto id = dyn_cast<gpu::BlockIdOp>(op))
    return declare(op, id, "blockIdx." + dimension(id.getDimension()));
  if (auto dim = dyn_cast<gpu::BlockDimOp>(op))
    return declare(op, dim, "blockDim." + dimension(dim.getDimension()));
  if (auto dim = dyn_cast<gpu::GridDimOp>(op))
    return declare(op, dim, "gridDim." + dimension(dim.getDimension()));
  if (auto id = dyn_cast<gpu::GlobalIdOp>(op)) {
    StringRef d = dimension(id.getDimension());
    return declare(op, id,
                   "(long long)blockIdx." + d + " * blockDim." + d +
                       " + threadIdx." + d);
  }
  if (auto lane = dyn_cast<gpu::LaneIdOp>(op))
    return declare(op, lane, "tc_rt::lane_id()");
  if (isa<gpu::BarrierOp>(op)) {
    out() << "__syncthreads();\n";
    return success();
  }
  if (auto shuffle = dyn_cast<gpu::ShuffleOp>(op)) {
    Type type = shuffle.getShuffleResult().getType();
    if (!type.isF32() && !type.isF64() && !isHalfLike(type) &&
        !type.isInteger(32) && !type.isInteger(64))
      return shuffle.emitOpError("shuffles a value of type ")
             << type << " that the CUDA C++ printer does not support";
    // `bool valid; T v = tc_rt::shfl_MODE(value, offset, width, valid);`
    if (failed(declareUninitialized(op, shuffle.getValid())))
      return failure();
    return declare(
        op, shuffle.getShuffleResult(),
        shuffleHelper(shuffle.getMode()) + "(" + name(shuffle.getValue()) +
            ", " + name(shuffle.getOffset()) + ", " + name(shuffle.getWidth()) +
            ", " + name(shuffle.getValid()) + ")");
  }
  return unsupported(op);
}

} // namespace tensorc::cuda
