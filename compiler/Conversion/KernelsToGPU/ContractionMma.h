//===- ContractionMma.h - Matrix-product tiles on tensor cores --*- C++ -*-===//
//
// The tensor-core variant of the contraction emitter's GPU tile: warps
// compute 16 x 8 pieces of the output with nvgpu.mma.sync (m16n8k16, f16 or
// bf16 operands, f32 accumulators). The contraction emitter keeps what is
// common to both tiles (the grid, batch loop, operand loads with their
// prologue, the epilogue) and hands it over through MmaTileIO.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_CONVERSION_KERNELSTOGPU_CONTRACTIONMMA_H
#define TENSORC_CONVERSION_KERNELSTOGPU_CONTRACTIONMMA_H

#include "compiler/Conversion/KernelsToGPU/KernelContext.h"

namespace tensorc::kernels {

/// What the tile needs from the product it computes. Positions are global
/// (not tile-relative) loop values of the product's M, N and K dims.
struct MmaTileIO {
  /// The operand element A[m, k] (B[k, n]) where `inBounds` holds, else 0.
  llvm::function_ref<mlir::Value(mlir::Value inBounds, mlir::Value m,
                                 mlir::Value k)>
      loadA;
  llvm::function_ref<mlir::Value(mlir::Value inBounds, mlir::Value k,
                                 mlir::Value n)>
      loadB;
  /// The accumulator's initial value at (m, n) (the indices may be clamped).
  llvm::function_ref<mlir::Value(mlir::Value m, mlir::Value n)> init;
  /// Writes the kernel's outputs at (m, n) for the product value `acc`.
  llvm::function_ref<mlir::LogicalResult(mlir::Value m, mlir::Value n,
                                         mlir::Value acc)>
      epilogue;
  /// Sizes of the product's M, N, K dims and the block's tile origin.
  mlir::Value mSize, nSize, kSize, m0, n0;
};

/// Whether `op` (operands `aIndex`, `bIndex`) computes acc + ext(a) * ext(b)
/// with a and b both f16 or both bf16 and acc f32: what mma.sync computes.
bool isTensorCoreProduct(mlir::linalg::LinalgOp op, int aIndex, int bIndex);

/// Emits the block's tile (`tiles.mma`) at the builder's insertion point.
mlir::LogicalResult emitMmaTile(KernelContext &ctx,
                                const ContractionTiles &tiles,
                                mlir::Type elementType, const MmaTileIO &io);

} // namespace tensorc::kernels

#endif // TENSORC_CONVERSION_KERNELSTOGPU_CONTRACTIONMMA_H
