//===- Types.cpp - C++ spellings of MLIR scalar types and constants -------===//

#include "compiler/Target/CUDA/Printer.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FormatVariadic.h"

#include <cstdio>

using namespace mlir;

namespace tensorc::cuda {

std::optional<StringRef> scalarTypeName(Type type) {
  if (type.isF32())
    return StringRef("float");
  if (type.isF64())
    return StringRef("double");
  if (type.isF16())
    return StringRef("tc_half");
  if (type.isBF16())
    return StringRef("tc_bfloat16");
  if (type.isIndex())
    return StringRef("long long");
  if (!type.isSignlessInteger())
    return std::nullopt;
  switch (type.getIntOrFloatBitWidth()) {
  case 1:
    return StringRef("bool");
  case 8:
    return StringRef("signed char");
  case 16:
    return StringRef("short");
  case 32:
    return StringRef("int");
  case 64:
    return StringRef("long long");
  default:
    return std::nullopt;
  }
}

unsigned intWidth(Type type) {
  return type.isIndex() ? 64 : type.getIntOrFloatBitWidth();
}

StringRef unsignedTypeName(Type type) {
  switch (intWidth(type)) {
  case 8:
    return "unsigned char";
  case 16:
    return "unsigned short";
  case 64:
    return "unsigned long long";
  default:
    return "unsigned";
  }
}

bool isHalfLike(Type type) { return type.isF16() || type.isBF16(); }

std::string toCompute(Type type, StringRef expr) {
  if (type.isF16())
    return ("tc_rt::h2f(" + expr + ")").str();
  if (type.isBF16())
    return ("tc_rt::b2f(" + expr + ")").str();
  return expr.str();
}

std::string fromCompute(Type type, StringRef expr) {
  if (type.isF16())
    return ("tc_rt::f2h(" + expr + ")").str();
  if (type.isBF16())
    return ("tc_rt::f2b(" + expr + ")").str();
  return expr.str();
}

std::string signedView(Type type, StringRef expr) {
  // i1 true is -1 as a signed value (cmpi slt, extsi, sitofp).
  if (intWidth(type) == 1)
    return ("(-(int)" + expr + ")").str();
  return expr.str();
}

std::string unsignedView(Type type, StringRef expr) {
  return ("(" + unsignedTypeName(type) + ")" + expr).str();
}

static std::string intLiteral(const APInt &value, Type type) {
  unsigned width = intWidth(type);
  if (width == 1)
    return value.isZero() ? "false" : "true";
  // The most negative value has no literal: `-2147483648` is a negated
  // unsigned literal.
  if (value.isMinSignedValue() && width >= 32)
    return width == 64 ? "(-9223372036854775807LL - 1)" : "(-2147483647 - 1)";
  std::string text = std::to_string(value.getSExtValue());
  return width == 64 ? text + "LL" : text;
}

static std::string floatLiteral(const APFloat &value, Type type) {
  APInt bits = value.bitcastToAPInt();
  if (isHalfLike(type))
    return llvm::formatv("({0})0x{1:x-4}", *scalarTypeName(type),
                         bits.getZExtValue())
        .str();
  bool isF32 = type.isF32();
  if (value.isFinite()) {
    // The shortest decimal that reads back to the same bits: plain if short
    // (0.1, 10.0), else with an exponent (1e+30).
    double wide = isF32 ? value.convertToFloat() : value.convertToDouble();
    auto readsBack = [&](std::string text) {
      APFloat back(value.getSemantics());
      auto status = back.convertFromString(text, APFloat::rmNearestTiesToEven);
      if (!status) {
        llvm::consumeError(status.takeError());
        return false;
      }
      return back.bitwiseIsEqual(value);
    };
    auto print = [&](const char *format, int precision) {
      char buffer[400];
      std::snprintf(buffer, sizeof(buffer), format, precision, wide);
      std::string text = buffer;
      if (text.find_first_of(".e") == std::string::npos)
        text += ".0";
      return text;
    };
    for (int decimals = 0; decimals <= 10; ++decimals) {
      std::string text = print("%.*f", decimals);
      if (text.size() <= 12 && readsBack(text))
        return text + (isF32 ? "f" : "");
    }
    for (int digits = 1; digits <= 17; ++digits) {
      std::string text = print("%.*g", digits);
      if (readsBack(text))
        return text + (isF32 ? "f" : "");
    }
  }
  if (isF32)
    return llvm::formatv("__uint_as_float(0x{0:x-8}u)", bits.getZExtValue())
        .str();
  return llvm::formatv("__longlong_as_double(0x{0:x-16}LL)",
                       bits.getZExtValue())
      .str();
}

FailureOr<std::string> literal(Operation *op, Attribute attr) {
  // A constant vector (a folded vector.from_elements): the elements of a
  // tc_rt::vec initializer.
  if (auto dense = dyn_cast<DenseElementsAttr>(attr);
      dense && isa<VectorType>(dense.getType()) &&
      scalarTypeName(dense.getElementType())) {
    std::string elements;
    for (auto [i, element] : llvm::enumerate(dense.getValues<Attribute>())) {
      FailureOr<std::string> text = literal(op, element);
      if (failed(text))
        return failure();
      elements += (i ? ", " : "") + *text;
    }
    return "{{" + elements + "}}";
  }
  auto typed = dyn_cast<TypedAttr>(attr);
  if (!typed || !scalarTypeName(typed.getType()))
    return op->emitOpError("has a constant the CUDA C++ printer cannot "
                           "print: ")
           << attr;
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return intLiteral(i.getValue(), i.getType());
  if (auto f = dyn_cast<FloatAttr>(attr))
    return floatLiteral(f.getValue(), f.getType());
  return op->emitOpError("has a constant the CUDA C++ printer cannot print: ")
         << attr;
}

} // namespace tensorc::cuda
