//===- GradBuilder.h - Reverse-mode gradient rules of tc ops ----*- C++ -*-===//
//
// The per-op gradient rules of `tc-autodiff`. Given the gradient of an op's
// result, a rule adds the gradients of its differentiable operands, written
// with tc ops, so that the differentiated function goes through the same
// lowering and fusion as any other.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_DIALECTS_TC_TRANSFORMS_GRADBUILDER_H
#define TENSORC_DIALECTS_TC_TRANSFORMS_GRADBUILDER_H

#include "dialects/TC/IR/TCOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <optional>

namespace tensorc::tc {

class GradBuilder {
public:
  GradBuilder(mlir::OpBuilder &b, const llvm::DenseSet<mlir::Value> &active)
      : b(b), active(active) {}

  /// Adds `g` to the gradient of `v` (when `v` is active).
  void accumulate(mlir::Value v, mlir::Value g);
  /// The gradient of `v` so far, or null.
  mlir::Value gradOf(mlir::Value v) const { return grads.lookup(v); }

  /// Applies the rule of `op` given the gradient of its result. Fails, with
  /// an error on `op`, for ops that cannot be differentiated.
  mlir::LogicalResult backprop(mlir::Operation *op, mlir::Value g);

private:
  // Shapes.
  mlir::Value dim(mlir::Value v, int64_t i);
  llvm::SmallVector<mlir::Value> dynamicDims(mlir::Value like);
  mlir::Value scalar(mlir::Type elem, double v);
  mlir::Value broadcastLike(mlir::Value g, mlir::Value like);
  mlir::Value reduceLike(mlir::Value g, mlir::Value like);
  mlir::Value expandReduced(mlir::Value g, mlir::Value x,
                            llvm::ArrayRef<int64_t> axes, bool keepdim);
  mlir::Value countOver(mlir::Value x, llvm::ArrayRef<int64_t> axes);

  // tc arithmetic at the current op's location (broadcasting).
  mlir::Value add(mlir::Value x, mlir::Value y);
  mlir::Value sub(mlir::Value x, mlir::Value y);
  mlir::Value mul(mlir::Value x, mlir::Value y);
  mlir::Value div(mlir::Value x, mlir::Value y);
  mlir::Value neg(mlir::Value x);
  mlir::Value cmp(CmpPredicate p, mlir::Value x, mlir::Value y);
  mlir::Value select(mlir::Value cond, mlir::Value x, mlir::Value y);

  // Rules by op family: none when the family has no rule for `op`, else
  // whether the rule applied (it reports its errors).
  using Rule = std::optional<mlir::LogicalResult>;
  Rule elementwise(mlir::Operation *op, mlir::Value g);
  Rule reduction(mlir::Operation *op, mlir::Value g);
  Rule normalization(mlir::Operation *op, mlir::Value g);
  Rule shape(mlir::Operation *op, mlir::Value g);
  Rule nn(mlir::Operation *op, mlir::Value g);

  mlir::OpBuilder &b;
  mlir::Location loc() const { return current; }
  mlir::Location current = mlir::UnknownLoc::get(b.getContext());
  const llvm::DenseSet<mlir::Value> &active;
  llvm::DenseMap<mlir::Value, mlir::Value> grads;
};

} // namespace tensorc::tc

#endif // TENSORC_DIALECTS_TC_TRANSFORMS_GRADBUILDER_H
