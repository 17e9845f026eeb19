//===- KernelGrouping.h - Which linalg ops share a kernel -------*- C++ -*-===//
//
// The analysis behind tc-form-kernels. It partitions the compute ops of a
// function (linalg ops) into groups, each of which becomes one kernel, and
// records why each def-use edge between two groups was not fused, for
// --report-fusion. The rules are those of docs/codegen.md, section 3.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_DIALECTS_TC_TRANSFORMS_KERNELGROUPING_H
#define TENSORC_DIALECTS_TC_TRANSFORMS_KERNELGROUPING_H

#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/ADT/DenseMap.h"

#include <string>
#include <vector>

namespace tensorc::tc {

/// True for ops that are recomputed inside every kernel that reads them
/// instead of being kernels of their own: tensor.empty, splat constants,
/// linalg.fill used as an init, tensor.pad.
bool isInlinedProducer(mlir::Operation *op);

/// True for linalg ops that contract as matrix products do: named products,
/// and generic contractions that reuse an operand across a parallel dim (or
/// have none). A batch of dot products is a row reduction instead.
bool isContraction(mlir::linalg::LinalgOp op);

/// A generic without inputs that reads another tensor through tensor.extract:
/// a convolution's window gather (im2col).
bool isGather(mlir::linalg::LinalgOp op);

/// A reduction that a row kernel can run cooperatively: a linalg.generic whose
/// leading `rows` loops are parallel and map to its output in order, whose
/// remaining loops are reductions, whose inputs are read through projected
/// permutations, and whose single output has a combiner that matchReduction
/// recognizes. Returns the row count, or -1.
int64_t rowReductionRank(mlir::linalg::LinalgOp op);

struct KernelGroup {
  std::vector<mlir::Operation *> ops; // in block order
  KernelKind kind = KernelKind::elementwise;
};

/// One edge between kernels, explained.
struct FusionBoundary {
  mlir::Operation *producer;
  mlir::Operation *consumer; // null when the value leaves the function
  std::string reason;
};

struct KernelGrouping {
  std::vector<KernelGroup> groups;
  std::vector<FusionBoundary> boundaries;
};

/// Partitions the compute ops of `fn`. With `noFusion`, every compute op is
/// a kernel of its own (only inits and padding are inlined).
KernelGrouping groupKernels(mlir::func::FuncOp fn, bool noFusion);

} // namespace tensorc::tc

#endif // TENSORC_DIALECTS_TC_TRANSFORMS_KERNELGROUPING_H
