//===- ConvGemm.h - Convolutions as matrix products over windows -*- C++
//-*-===//
//
// conv2d and its two gradients as one matrix product each over a gather of
// the windows (im2col): the gather is a linalg.generic without inputs that
// reads its source through tensor.extract, so that tc-form-kernels either
// recomputes it in the product's operand loads (the GPU's implicit GEMM) or
// materializes it (the CPU, whose product loop then streams contiguous
// rows). MLIR's linalg::rewriteInIm2Col does the forward case for static
// shapes only; the batch dim here is symbolic.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_COMPILER_CONVERSION_TCTOLINALG_CONVGEMM_H
#define TENSORC_COMPILER_CONVERSION_TCTOLINALG_CONVGEMM_H

#include "mlir/IR/Builders.h"

#include <optional>

namespace tensorc::tc::linalg_lowering {

/// The static geometry of an NCHW conv2d.
struct ConvGeometry {
  int64_t kernel[2], stride[2], padding[2];
  int64_t in[2];  // input H, W
  int64_t out[2]; // output OH, OW
};

/// The geometry of a conv2d from the types of its input (NCHW), filter
/// (FCHW) and output, or nullopt where a spatial or kernel dim is dynamic.
std::optional<ConvGeometry> convGeometry(mlir::Type input, mlir::Type filter,
                                         mlir::Type output,
                                         llvm::ArrayRef<int64_t> stride,
                                         llvm::ArrayRef<int64_t> padding);

/// y[n, f, oh, ow] = sum over (c, kh, kw) of x[...] * w[f, c, kh, kw],
/// in the accumulator type `acc`, with `bias` (per f, or null) added.
mlir::Value buildConvForward(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value x, mlir::Value w, mlir::Value bias,
                             const ConvGeometry &geo, mlir::Type acc);

/// dw[f, c, kh, kw] = sum over (n, oh, ow) of g[n, f, oh, ow] * x[...], in
/// the accumulator type `acc`.
mlir::Value buildConvFilterGrad(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::Value x, mlir::Value g,
                                const ConvGeometry &geo, mlir::Type acc);

/// dx[n, c, h, w] = sum over (f, kh, kw) of w[f, c, kh, kw] * g[n, f, oh, ow]
/// where h = oh * stride + kh - padding, in the accumulator type `acc`.
mlir::Value buildConvInputGrad(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Value g, mlir::Value w,
                               const ConvGeometry &geo, mlir::Type acc);

} // namespace tensorc::tc::linalg_lowering

#endif // TENSORC_COMPILER_CONVERSION_TCTOLINALG_CONVGEMM_H
