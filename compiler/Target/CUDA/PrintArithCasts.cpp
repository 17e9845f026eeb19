//===- PrintArithCasts.cpp - arith casts between scalar types -------------===//
//
// Every conversion rounds once, as MLIR's: f16 conversions are PTX cvt
// instructions, bf16 ones are exact software roundings (Prelude.cpp), and
// integers reach f16/bf16 through one 64-bit conversion.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/CUDA/Printer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace tensorc::cuda {

/// `expr` of integer type `from` converted to integer type `to`, extending
/// with the sign (`isSigned`) or with zeros.
static std::string intToInt(Type from, Type to, StringRef expr, bool isSigned) {
  unsigned fromWidth = intWidth(from), toWidth = intWidth(to);
  if (fromWidth == toWidth)
    return expr.str();
  if (toWidth == 1)
    return "(" + expr.str() + " & 1) != 0";
  std::string view =
      isSigned ? signedView(from, expr) : unsignedView(from, expr);
  return ("(" + *scalarTypeName(to) + ")" + view).str();
}

/// Integer `expr` to float type `to`, rounding once.
static std::string intToFloat(Type from, Type to, StringRef expr,
                              bool isSigned) {
  std::string view =
      isSigned ? signedView(from, expr) : unsignedView(from, expr);
  if (to.isF16() || to.isBF16()) {
    StringRef helper = to.isF16() ? (isSigned ? "tc_rt::ll2h" : "tc_rt::ull2h")
                                  : (isSigned ? "tc_rt::ll2b" : "tc_rt::ull2b");
    StringRef wide = intWidth(from) == 64 ? ""
                     : isSigned           ? "(long long)"
                                          : "(unsigned long long)";
    return (helper + "(" + wide + view + ")").str();
  }
  return ("(" + *scalarTypeName(to) + ")" + view).str();
}

/// Float `expr` to integer type `to`, truncating toward zero.
static std::string floatToInt(Type from, Type to, StringRef expr,
                              bool isSigned) {
  std::string value = toCompute(from, expr);
  if (intWidth(to) == 1)
    return "(int)" + value + " != 0";
  if (isSigned)
    return ("(" + *scalarTypeName(to) + ")" + value).str();
  return ("(" + unsignedTypeName(to) + ")" + value).str();
}

static std::string extF(Type from, Type to, StringRef expr) {
  std::string value = toCompute(from, expr);
  return to.isF64() ? "(double)" + value : value;
}

static std::string truncF(Type from, Type to, StringRef expr) {
  if (to.isF32())
    return ("__double2float_rn(" + expr + ")").str();
  if (from.isF64())
    return ((to.isF16() ? "tc_rt::d2h(" : "tc_rt::d2b(") + expr + ")").str();
  return fromCompute(to, expr);
}

static std::optional<std::string> bitcast(Type from, Type to, StringRef expr) {
  if (intWidth(from) != intWidth(to))
    return std::nullopt;
  std::string e = expr.str();
  if (from == to || (isHalfLike(from) && isHalfLike(to)))
    return e;
  if (from.isF32())
    return "__float_as_int(" + e + ")";
  if (to.isF32())
    return "__int_as_float(" + e + ")";
  if (from.isF64())
    return "__double_as_longlong(" + e + ")";
  if (to.isF64())
    return "__longlong_as_double(" + e + ")";
  // f16/bf16 and i16 are the same bits in different variable types.
  return ("(" + *scalarTypeName(to) + ")" + e).str();
}

LogicalResult KernelPrinter::printArithCastOp(Operation *op) {
  if (op->getNumOperands() != 1 || op->getNumResults() != 1)
    return unsupported(op);
  Value in = op->getOperand(0), out = op->getResult(0);
  Type from = in.getType(), to = out.getType();
  if (!scalarTypeName(from) || !scalarTypeName(to))
    return unsupported(op);
  std::string x = name(in).str();
  std::optional<std::string> expr =
      llvm::TypeSwitch<Operation *, std::optional<std::string>>(op)
          .Case([&](arith::ExtSIOp) { return intToInt(from, to, x, true); })
          .Case([&](arith::ExtUIOp) { return intToInt(from, to, x, false); })
          .Case([&](arith::TruncIOp) { return intToInt(from, to, x, true); })
          .Case([&](arith::IndexCastOp) { return intToInt(from, to, x, true); })
          .Case([&](arith::IndexCastUIOp) {
            return intToInt(from, to, x, false);
          })
          .Case([&](arith::SIToFPOp) { return intToFloat(from, to, x, true); })
          .Case([&](arith::UIToFPOp) { return intToFloat(from, to, x, false); })
          .Case([&](arith::FPToSIOp) { return floatToInt(from, to, x, true); })
          .Case([&](arith::FPToUIOp) { return floatToInt(from, to, x, false); })
          .Case([&](arith::ExtFOp) { return extF(from, to, x); })
          .Case([&](arith::TruncFOp) -> std::optional<std::string> {
            // Only the default rounding (to nearest even).
            if (op->hasAttr("roundingmode"))
              return std::nullopt;
            return truncF(from, to, x);
          })
          .Case([&](arith::BitcastOp) { return bitcast(from, to, x); })
          .Default([](Operation *) { return std::nullopt; });
  if (!expr)
    return unsupported(op);
  return declare(op, out, *expr);
}

} // namespace tensorc::cuda
