//===- ShapeUtils.h - Shape rules shared by tc operations -------*- C++ -*-===//
//
// tc broadcasts with NumPy's rules except that a dynamic dim never stretches:
// dynamic dims are the model's symbolic sizes, which the frontend has already
// proven equal wherever they meet. A dynamic dim against a static one is
// therefore taken to be that static size.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_DIALECTS_TC_IR_SHAPEUTILS_H
#define TENSORC_DIALECTS_TC_IR_SHAPEUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"

#include <optional>
#include <string>

namespace tensorc::tc {

/// "[?, 784]".
std::string shapeString(llvm::ArrayRef<int64_t> shape);

/// True when two dims can describe the same size (equal, or one dynamic).
bool dimsCompatible(int64_t a, int64_t b);

/// Broadcasts `shapes` into `result`; on failure emits an error at `loc`
/// (when given) naming the clashing dims.
llvm::LogicalResult
broadcastShapes(std::optional<mlir::Location> loc,
                llvm::ArrayRef<llvm::ArrayRef<int64_t>> shapes,
                llvm::SmallVectorImpl<int64_t> &result);

/// True when `from` broadcasts to exactly `to`.
bool isBroadcastableTo(llvm::ArrayRef<int64_t> from,
                       llvm::ArrayRef<int64_t> to);

/// Checks that `axis` is in [0, rank); emits "<what> axis N is out of range
/// for rank R" otherwise.
llvm::LogicalResult verifyAxis(std::optional<mlir::Location> loc, int64_t axis,
                               int64_t rank, llvm::StringRef what = "");

/// The output size of a convolution or pooling window along one dim:
/// floor((in + 2 pad - k) / stride) + 1, or dynamic if `in` is.
int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t pad);

} // namespace tensorc::tc

#endif // TENSORC_DIALECTS_TC_IR_SHAPEUTILS_H
