//===- Types.cpp - Element types, symbolic dims and tensor types ----------===//

#include "compiler/Frontend/Types.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace tensorc;
using namespace tensorc::ast;

llvm::StringRef tensorc::ast::dtypeName(DType t) {
  switch (t) {
  case DType::F32:
    return "f32";
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::F64:
    return "f64";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  case DType::Bool:
    return "bool";
  }
  return "?";
}

std::optional<DType> tensorc::ast::lookupDType(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<DType>>(name)
      .Case("f32", DType::F32)
      .Case("f16", DType::F16)
      .Case("bf16", DType::BF16)
      .Case("f64", DType::F64)
      .Case("i32", DType::I32)
      .Case("i64", DType::I64)
      .Case("bool", DType::Bool)
      .Default(std::nullopt);
}

unsigned tensorc::ast::dtypeBytes(DType t) {
  switch (t) {
  case DType::F16:
  case DType::BF16:
    return 2;
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F64:
  case DType::I64:
    return 8;
  case DType::Bool:
    return 1;
  }
  return 1;
}

std::optional<Dim> Dim::mul(const Dim &a, const Dim &b) {
  Dim r;
  if (__builtin_mul_overflow(a.coeff, b.coeff, &r.coeff))
    return std::nullopt;
  r.syms.reserve(a.syms.size() + b.syms.size());
  std::merge(a.syms.begin(), a.syms.end(), b.syms.begin(), b.syms.end(),
             std::back_inserter(r.syms));
  return r;
}

std::optional<Dim> Dim::div(const Dim &a, const Dim &b) {
  if (b.coeff == 0 || a.coeff % b.coeff != 0)
    return std::nullopt;
  Dim r(a.coeff / b.coeff);
  // Multiset difference of two sorted lists; fails if b has a symbol a lacks.
  size_t j = 0;
  for (const std::string &s : a.syms) {
    if (j < b.syms.size() && b.syms[j] == s) {
      ++j;
      continue;
    }
    if (j < b.syms.size() && b.syms[j] < s)
      return std::nullopt;
    r.syms.push_back(s);
  }
  if (j != b.syms.size())
    return std::nullopt;
  return r;
}

std::string Dim::str() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  bool first = true;
  if (coeff != 1 || syms.empty()) {
    os << coeff;
    first = false;
  }
  for (const std::string &sym : syms) {
    if (!first)
      os << '*';
    os << sym;
    first = false;
  }
  return s;
}

std::optional<Dim> TensorType::numElements() const {
  Dim n(1);
  for (const Dim &d : shape) {
    std::optional<Dim> next = Dim::mul(n, d);
    if (!next)
      return std::nullopt;
    n = std::move(*next);
  }
  return n;
}

std::string TensorType::str() const {
  std::string s = dtypeName(dtype).str();
  if (shape.empty())
    return s;
  s += '[';
  for (unsigned i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += shape[i].str();
  }
  s += ']';
  return s;
}

std::optional<llvm::SmallVector<Dim, 4>>
tensorc::ast::broadcastShapes(llvm::ArrayRef<Dim> a, llvm::ArrayRef<Dim> b,
                         unsigned *badAxis) {
  size_t rank = std::max(a.size(), b.size());
  llvm::SmallVector<Dim, 4> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Align trailing dims: axis i of the result is axis i - (rank - size) of
    // each operand, when that is not negative.
    const Dim *da = i + a.size() >= rank ? &a[i + a.size() - rank] : nullptr;
    const Dim *db = i + b.size() >= rank ? &b[i + b.size() - rank] : nullptr;
    if (!da || da->isOne()) {
      result[i] = db ? *db : Dim(1);
    } else if (!db || db->isOne() || *da == *db) {
      result[i] = *da;
    } else {
      if (badAxis)
        *badAxis = i;
      return std::nullopt;
    }
  }
  return result;
}
