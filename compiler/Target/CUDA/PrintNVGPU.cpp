//===- PrintNVGPU.cpp - Warp-level matrix products (nvgpu.mma.sync) -------===//
//
// nvgpu.mma.sync m16n8k16 on f16 or bf16 with f32 accumulators calls the
// prelude's tc_rt::mma_m16n8k16_{f16,bf16}, inline PTX `mma.sync.aligned
// .m16n8k16.row.col.f32.{f16,bf16}.{f16,bf16}.f32` with the operands in the
// register order of nvgpu (row r of a vector<Rx2> is register r, element 0
// in its low half).
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/CUDA/Printer.h"

#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"

using namespace mlir;

namespace tensorc::cuda {

LogicalResult KernelPrinter::printNVGPUOp(Operation *op) {
  auto mma = dyn_cast<nvgpu::MmaSyncOp>(op);
  if (!mma)
    return unsupported(op);
  auto aType = cast<VectorType>(mma.getMatrixA().getType());
  auto bType = cast<VectorType>(mma.getMatrixB().getType());
  auto cType = cast<VectorType>(mma.getMatrixC().getType());
  Type element = aType.getElementType();
  bool shapes = mma.getMmaShapeAsArray() == std::array<int64_t, 3>{16, 8, 16} &&
                aType.getShape() == ArrayRef<int64_t>{4, 2} &&
                bType.getShape() == ArrayRef<int64_t>{2, 2} &&
                cType.getShape() == ArrayRef<int64_t>{2, 2};
  if (!shapes || !(element.isF16() || element.isBF16()) ||
      bType.getElementType() != element || !cType.getElementType().isF32())
    return mma.emitOpError("is not supported by the CUDA C++ printer: only "
                           "m16n8k16 on f16 or bf16 with f32 accumulators");
  StringRef helper =
      element.isBF16() ? "tc_rt::mma_m16n8k16_bf16" : "tc_rt::mma_m16n8k16_f16";
  return declare(op, mma.getRes(),
                 helper + "(" + name(mma.getMatrixA()) + ", " +
                     name(mma.getMatrixB()) + ", " + name(mma.getMatrixC()) +
                     ")");
}

} // namespace tensorc::cuda
