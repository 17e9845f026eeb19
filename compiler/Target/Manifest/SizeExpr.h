//===- SizeExpr.h - Sizes as expressions of the symbolic dims ---*- C++ -*-===//
//
// The manifest gives buffer sizes, grid dims and size arguments as
// expressions of the model's dims ("ceildiv(B*256, 1024)") that the runtime
// evaluates once the dims are bound. This turns the index values of a
// bufferized entry function into such expressions, folding constants.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_TARGET_MANIFEST_SIZEEXPR_H
#define TENSORC_TARGET_MANIFEST_SIZEEXPR_H

#include "mlir/IR/Value.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tensorc::manifest {

class SizeExpr {
public:
  enum class Kind { Const, Dim, Add, Sub, Mul, Div, Rem, CeilDiv, Min, Max };

  static SizeExpr constant(int64_t v);
  static SizeExpr dim(llvm::StringRef name);
  /// Parses a tc.dims monomial: "784", "B", "64*B*T".
  static std::optional<SizeExpr> monomial(llvm::StringRef text);
  static SizeExpr binary(Kind kind, SizeExpr lhs, SizeExpr rhs);

  Kind kind() const { return node->kind; }
  std::optional<int64_t> constantValue() const;
  /// The expression in the manifest grammar (docs/artifact.md).
  std::string str() const;

private:
  struct Node {
    Kind kind;
    int64_t value = 0;
    std::string name;
    std::vector<SizeExpr> operands;
  };
  explicit SizeExpr(std::shared_ptr<const Node> n) : node(std::move(n)) {}
  void print(std::string &out, int parentPrecedence) const;
  std::shared_ptr<const Node> node;
};

/// The expression of an index value of an entry function: constants, dims
/// of its arguments (from their tc.dims), sizes of its allocations, and arith
/// on those. nullopt if the value depends on anything else.
std::optional<SizeExpr> sizeExprOf(mlir::Value value);

} // namespace tensorc::manifest

#endif // TENSORC_TARGET_MANIFEST_SIZEEXPR_H
