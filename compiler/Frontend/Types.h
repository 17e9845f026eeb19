//===- Types.h - Element types, symbolic dims and tensor types --*- C++ -*-===//
//
// The frontend's view of a type: an element type and a shape whose dims are
// monomials (an integer coefficient times a product of symbolic dims), so
// `reshape(x, [-1, C])` of `f32[B, 64, C]` gives `f32[64*B, C]` and two
// shapes can be compared exactly.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_FRONTEND_TYPES_H
#define TENSORC_FRONTEND_TYPES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace llvm {
class raw_ostream;
}

namespace tensorc::ast {

enum class DType { F32, F16, BF16, F64, I32, I64, Bool };

/// "f32", "bf16", "bool", ...
llvm::StringRef dtypeName(DType t);
std::optional<DType> lookupDType(llvm::StringRef name);
inline bool isFloat(DType t) {
  return t == DType::F32 || t == DType::F16 || t == DType::BF16 ||
         t == DType::F64;
}
inline bool isInteger(DType t) { return t == DType::I32 || t == DType::I64; }
/// Size of one element in bytes (bool: 1).
unsigned dtypeBytes(DType t);

/// A dim: `coeff * syms[0] * syms[1] * ...`, syms sorted (a multiset).
/// Static when `syms` is empty. coeff >= 1 for valid shapes.
struct Dim {
  int64_t coeff = 1;
  llvm::SmallVector<std::string, 1> syms;

  Dim() = default;
  explicit Dim(int64_t c) : coeff(c) {}
  static Dim symbol(llvm::StringRef name) {
    Dim d;
    d.syms.push_back(name.str());
    return d;
  }

  bool isStatic() const { return syms.empty(); }
  bool isOne() const { return isStatic() && coeff == 1; }
  /// The product of two dims; nullopt if the coefficient overflows int64.
  static std::optional<Dim> mul(const Dim &a, const Dim &b);
  /// `a / b` when it is exact (b's syms a sub-multiset of a's and the
  /// coefficients divide); nullopt otherwise.
  static std::optional<Dim> div(const Dim &a, const Dim &b);
  /// "784", "B", "64*B*T".
  std::string str() const;

  friend bool operator==(const Dim &a, const Dim &b) {
    return a.coeff == b.coeff && a.syms == b.syms;
  }
  friend bool operator!=(const Dim &a, const Dim &b) { return !(a == b); }
};

/// An element type and a shape; rank 0 is a scalar.
struct TensorType {
  DType dtype = DType::F32;
  llvm::SmallVector<Dim, 4> shape;

  TensorType() = default;
  TensorType(DType dtype, llvm::ArrayRef<Dim> shape = {})
      : dtype(dtype), shape(shape.begin(), shape.end()) {}

  unsigned rank() const { return shape.size(); }
  bool isScalar() const { return shape.empty(); }
  /// The element count as a dim; nullopt on overflow.
  std::optional<Dim> numElements() const;
  /// "f32[B, 784]", "f32" for scalars.
  std::string str() const;

  friend bool operator==(const TensorType &a, const TensorType &b) {
    return a.dtype == b.dtype && a.shape == b.shape;
  }
  friend bool operator!=(const TensorType &a, const TensorType &b) {
    return !(a == b);
  }
};

/// NumPy broadcasting of two shapes. On failure returns nullopt and sets
/// `badAxis` to the failing result axis (counted from the left of the longer
/// shape) so that the caller can name the dims that clash.
std::optional<llvm::SmallVector<Dim, 4>>
broadcastShapes(llvm::ArrayRef<Dim> a, llvm::ArrayRef<Dim> b,
                unsigned *badAxis = nullptr);

} // namespace tensorc::ast

#endif // TENSORC_FRONTEND_TYPES_H
