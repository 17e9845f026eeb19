//===- Utils.h - Helpers shared by the tc-to-linalg patterns ----*- C++ -*-===//
//
// Building blocks for the patterns of convert-tc-to-linalg: destinations with
// dynamic sizes, broadcast operands whose maps stay projected permutations,
// generics, reductions, and scalar arithmetic that is generic over the element
// type.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_COMPILER_CONVERSION_TCTOLINALG_UTILS_H
#define TENSORC_COMPILER_CONVERSION_TCTOLINALG_UTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace tensorc::tc::linalg_lowering {

/// Builds the payload of a generic from its block arguments (inputs, then
/// outputs) and returns the value to yield.
using ScalarFn = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

//===----------------------------------------------------------------------===//
// Shapes and destinations
//===----------------------------------------------------------------------===//

/// The sizes of result 0 of `op`, through the tc shape reification.
mlir::FailureOr<llvm::SmallVector<mlir::OpFoldResult>>
resultSizes(mlir::OpBuilder &b, mlir::Operation *op);

/// The sizes of `v` (constants for static dims, tensor.dim otherwise).
llvm::SmallVector<mlir::OpFoldResult>
sizesOf(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v);

/// The product of `sizes` (a constant when all are static).
mlir::OpFoldResult productOf(mlir::OpBuilder &b, mlir::Location loc,
                             llvm::ArrayRef<mlir::OpFoldResult> sizes);

/// `tensor.empty` of the given sizes.
mlir::Value createEmpty(mlir::OpBuilder &b, mlir::Location loc,
                        llvm::ArrayRef<mlir::OpFoldResult> sizes,
                        mlir::Type elementType);

/// `tensor.empty` of the given sizes filled with the scalar `value`.
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc,
                         llvm::ArrayRef<mlir::OpFoldResult> sizes,
                         mlir::Value value);

/// The identity map over `rank` loops, and the map that reads the loops
/// other than `dropped`.
mlir::AffineMap identityMap(mlir::MLIRContext *ctx, int64_t rank);
mlir::AffineMap dropDimsMap(mlir::MLIRContext *ctx, int64_t rank,
                            llvm::ArrayRef<int64_t> dropped);

/// An operand of a generic that reads `value` broadcast (NumPy rules,
/// right-aligned) to a loop nest of shape `loopShape`. Dims of size 1 that
/// stretch are collapsed away first, so `map` is a projected permutation.
struct BroadcastOperand {
  mlir::Value value;
  mlir::AffineMap map;
};
BroadcastOperand broadcastOperand(mlir::OpBuilder &b, mlir::Location loc,
                                  mlir::Value value,
                                  llvm::ArrayRef<int64_t> loopShape);

/// Expands a reduced tensor (the reduced dims dropped) back to `resultType`,
/// which has those dims as 1 (keepdim); returns `reduced` when the types
/// already match.
mlir::Value expandKeptDims(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value reduced,
                           mlir::RankedTensorType resultType,
                           llvm::ArrayRef<int64_t> axes);

/// NCHW `x` padded by `padding` ([h, w]) with `padValue` on both sides of
/// its spatial dims (`x` itself when there is none).
mlir::Value padSpatial(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                       llvm::ArrayRef<int64_t> padding, mlir::Value padValue);

//===----------------------------------------------------------------------===//
// Generics
//===----------------------------------------------------------------------===//

/// One generic with a single result: `inputs` read through `inputMaps`,
/// `init` written through `outputMap`. `body` gets the input scalars and the
/// output's.
mlir::Value buildGeneric(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::ValueRange inputs,
                         llvm::ArrayRef<mlir::AffineMap> inputMaps,
                         mlir::Value init, mlir::AffineMap outputMap,
                         llvm::ArrayRef<mlir::utils::IteratorType> iterators,
                         ScalarFn body);

/// An all-parallel generic over `sizes` that writes a new tensor of
/// `elementType` (identity map) from `inputs` read through `inputMaps`.
/// `body` gets one scalar per input (not the output's).
mlir::Value buildParallel(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::ValueRange inputs,
                          llvm::ArrayRef<mlir::AffineMap> inputMaps,
                          llvm::ArrayRef<mlir::OpFoldResult> sizes,
                          mlir::Type elementType, ScalarFn body);

/// An all-parallel generic over `sizes` whose inputs broadcast to the shape
/// of `resultType`. `body` gets one scalar per input (not the output's).
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::ValueRange inputs,
                             mlir::RankedTensorType resultType,
                             llvm::ArrayRef<mlir::OpFoldResult> sizes,
                             ScalarFn body);

/// Reduces `inputs` over `axes` into a tensor of the other dims, filled with
/// the scalar `init` first. The loops are the dims of `inputs[0]`; inputs are
/// read with the identity map, or with `inputMaps` when given (one per
/// input). `body` gets the input scalars and the accumulator.
mlir::Value buildReduction(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::ValueRange inputs,
                           llvm::ArrayRef<int64_t> axes, mlir::Value init,
                           ScalarFn body,
                           llvm::ArrayRef<mlir::AffineMap> inputMaps = {});

//===----------------------------------------------------------------------===//
// Scalars
//===----------------------------------------------------------------------===//

/// A scalar constant of an int or float type.
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Type type, double value);

/// -inf / +inf for floats, INT_MIN / INT_MAX for integers.
mlir::Value lowestValue(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Type type);
mlir::Value highestValue(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Type type);

/// The type reductions accumulate in: f32 for f16/bf16, the type otherwise.
mlir::Type accumulatorType(mlir::Type elementType);

/// Converts a scalar with tc.cast's rules (PyTorch's): floats extend or
/// truncate, ints extend (signed; bool zero-extends) or truncate, ints to
/// float are signed (bool unsigned), floats to int truncate, anything to
/// bool is `!= 0`.
mlir::Value convertScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                          mlir::Type to);

/// The product of dims `axes` of `tensor`: a constant, or an index value
/// computed with tensor.dim where a dim is dynamic (create it outside the
/// generic that uses it).
mlir::OpFoldResult elementCount(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::Value tensor,
                                llvm::ArrayRef<int64_t> axes);

/// `count` as a scalar of float type `type` (index_cast + uitofp when
/// dynamic); meant for payloads, so that a kernel only captures the index.
mlir::Value countToFloat(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::OpFoldResult count, mlir::Type type);

/// Type-generic arithmetic on scalars: float ops for float types, signed
/// integer ops otherwise.
mlir::Value addScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y);
mlir::Value subScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y);
mlir::Value mulScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y);
mlir::Value divScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y);
mlir::Value maxScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y);
mlir::Value minScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y);

/// Index `i` clamped into [0, size - 1].
mlir::Value clampIndex(mlir::OpBuilder &b, mlir::Location loc, mlir::Value i,
                       mlir::Value size);

} // namespace tensorc::tc::linalg_lowering

#endif // TENSORC_COMPILER_CONVERSION_TCTOLINALG_UTILS_H
