//===- Patterns.h - The tc-to-linalg patterns, by op family -----*- C++ -*-===//
//
// One populate function per file of this folder. Each pattern rewrites one tc
// op into linalg on tensors (docs/codegen.md, section 2).
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_COMPILER_CONVERSION_TCTOLINALG_PATTERNS_H
#define TENSORC_COMPILER_CONVERSION_TCTOLINALG_PATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace tensorc::tc::linalg_lowering {

/// tc.constant, arithmetic, comparisons, select, unary math (Elementwise.cpp).
void populateElementwisePatterns(mlir::RewritePatternSet &patterns);
/// sum, mean, max, min, argmax (Reductions.cpp).
void populateReductionPatterns(mlir::RewritePatternSet &patterns);
/// matmul (MatMul.cpp).
void populateMatMulPatterns(mlir::RewritePatternSet &patterns);
/// softmax, log_softmax, layernorm, rmsnorm, cross_entropy, mse
/// (Normalization.cpp).
void populateNormalizationPatterns(mlir::RewritePatternSet &patterns);
/// conv2d, max_pool2d, avg_pool2d (Conv.cpp).
void populateConvPatterns(mlir::RewritePatternSet &patterns);
void populateConvGradPatterns(mlir::RewritePatternSet &patterns);
/// transpose, reshape, broadcast_to, concat, slice (Shape.cpp).
void populateShapePatterns(mlir::RewritePatternSet &patterns);
/// embedding, one_hot, causal_mask, masked_fill, cast (Lookup.cpp).
void populateLookupPatterns(mlir::RewritePatternSet &patterns);
/// dropout: the identity, or a Philox mask when keyed (Dropout.cpp).
void populateDropoutPatterns(mlir::RewritePatternSet &patterns);

/// Every pattern above.
void populateTCToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace tensorc::tc::linalg_lowering

#endif // TENSORC_COMPILER_CONVERSION_TCTOLINALG_PATTERNS_H
