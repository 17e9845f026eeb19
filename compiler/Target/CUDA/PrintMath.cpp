//===- PrintMath.cpp - math ops as CUDA math library calls ----------------===//
//
// Float functions map to CUDA's (the same libdevice functions that MLIR's
// NVVM lowering calls); f16/bf16 are computed in f32 and rounded back, as that
// lowering does. `afn` selects CUDA's fast intrinsics (__expf, ...), like
// MLIR's __nv_fast_* calls. sqrt is __fsqrt_rn so that --prec-sqrt=false
// cannot change it.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/CUDA/Printer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;

namespace tensorc::cuda {

namespace {
struct MathFunction {
  const char *f32;
  const char *f64;
  const char *f32Fast = nullptr; // with `afn`
};
} // namespace

/// The float ops that are one call: the operands are the arguments.
static const llvm::StringMap<MathFunction> &mathFunctions() {
  static const llvm::StringMap<MathFunction> functions = {
      {"math.absf", {"fabsf", "fabs"}},
      {"math.ceil", {"ceilf", "ceil"}},
      {"math.floor", {"floorf", "floor"}},
      {"math.trunc", {"truncf", "trunc"}},
      {"math.round", {"roundf", "round"}},
      {"math.roundeven", {"rintf", "rint"}},
      {"math.sqrt", {"__fsqrt_rn", "__dsqrt_rn"}},
      {"math.rsqrt", {"rsqrtf", "rsqrt"}},
      {"math.cbrt", {"cbrtf", "cbrt"}},
      {"math.exp", {"expf", "exp", "__expf"}},
      {"math.exp2", {"exp2f", "exp2"}},
      {"math.expm1", {"expm1f", "expm1"}},
      {"math.log", {"logf", "log", "__logf"}},
      {"math.log2", {"log2f", "log2", "__log2f"}},
      {"math.log10", {"log10f", "log10", "__log10f"}},
      {"math.log1p", {"log1pf", "log1p"}},
      {"math.sin", {"sinf", "sin", "__sinf"}},
      {"math.cos", {"cosf", "cos", "__cosf"}},
      {"math.tan", {"tanf", "tan", "__tanf"}},
      {"math.asin", {"asinf", "asin"}},
      {"math.acos", {"acosf", "acos"}},
      {"math.atan", {"atanf", "atan"}},
      {"math.sinh", {"sinhf", "sinh"}},
      {"math.cosh", {"coshf", "cosh"}},
      {"math.tanh", {"tanhf", "tanh"}},
      {"math.asinh", {"asinhf", "asinh"}},
      {"math.acosh", {"acoshf", "acosh"}},
      {"math.atanh", {"atanhf", "atanh"}},
      {"math.erf", {"erff", "erf"}},
      {"math.erfc", {"erfcf", "erfc"}},
      {"math.atan2", {"atan2f", "atan2"}},
      {"math.powf", {"powf", "pow", "__powf"}},
      {"math.copysign", {"copysignf", "copysign"}},
      {"math.fma", {"fmaf", "fma"}},
  };
  return functions;
}

static bool allowsApproximation(Operation *op) {
  auto fmf = dyn_cast<arith::ArithFastMathInterface>(op);
  return fmf && arith::bitEnumContainsAny(fmf.getFastMathFlagsAttr().getValue(),
                                          arith::FastMathFlags::afn);
}

/// ctlz, cttz, ctpop on the operand's bits zero-extended to 32 or 64 bits.
static std::optional<std::string> bitCount(StringRef opName, Type type,
                                           StringRef x) {
  unsigned width = intWidth(type);
  if (width == 1)
    return std::nullopt;
  bool wide = width == 64;
  std::string bits = unsignedView(type, x);
  std::string ll = wide ? "ll" : "";
  int pad = (wide ? 64 : 32) - width;
  if (opName == "math.ctpop")
    return "__popc" + ll + "(" + bits + ")";
  if (opName == "math.ctlz")
    return "__clz" + ll + "(" + bits + ")" +
           (pad ? " - " + std::to_string(pad) : "");
  // cttz(0) is the width: count the leading zeros of the reversed bits, with
  // the padding bits set so that they do not count.
  if (opName == "math.cttz") {
    std::string padded = bits;
    if (pad)
      padded = "(" + bits + " | 0x" +
               llvm::utohexstr(~0u << width, /*LowerCase=*/true) + "u)";
    return "__clz" + ll + "(__brev" + ll + "(" + padded + "))";
  }
  return std::nullopt;
}

LogicalResult KernelPrinter::printMathOp(Operation *op) {
  if (op->getNumResults() != 1)
    return unsupported(op);
  Value result = op->getResult(0);
  StringRef opName = op->getName().getStringRef();
  Type type = op->getNumOperands() ? op->getOperand(0).getType() : Type();
  if (!type || !scalarTypeName(type))
    return unsupported(op);

  if (type.isIntOrIndex()) {
    std::string x = name(op->getOperand(0)).str();
    if (opName == "math.absi") {
      // Negate in unsigned arithmetic: |INT_MIN| wraps to INT_MIN.
      std::string u =
          intWidth(type) > 32 ? "(unsigned long long)" : "(unsigned)";
      return declare(op, result, x + " < 0 ? -" + u + x + " : " + u + x);
    }
    if (std::optional<std::string> expr = bitCount(opName, type, x))
      return declare(op, result, *expr);
    return unsupported(op);
  }

  std::string x = toCompute(type, name(op->getOperand(0)));
  if (opName == "math.isnan")
    return declare(op, result, x + " != " + x);
  StringRef fabs = type.isF64() ? "fabs" : "fabsf";
  StringRef inf = type.isF64() ? "__longlong_as_double(0x7ff0000000000000LL)"
                               : "__uint_as_float(0x7f800000u)";
  if (opName == "math.isinf")
    return declare(op, result, fabs + "(" + x + ") == " + inf);
  if (opName == "math.isfinite")
    return declare(op, result, fabs + "(" + x + ") < " + inf);
  // One rounding for the fused multiply-add of narrow floats.
  if (opName == "math.fma" && isHalfLike(type)) {
    StringRef helper = type.isF16() ? "tc_rt::fmah(" : "tc_rt::fmab(";
    return declare(op, result,
                   helper + name(op->getOperand(0)) + ", " +
                       name(op->getOperand(1)) + ", " +
                       name(op->getOperand(2)) + ")");
  }

  auto it = mathFunctions().find(opName);
  if (it == mathFunctions().end() || !isa<FloatType>(type))
    return unsupported(op);
  const MathFunction &fn = it->second;
  const char *callee = type.isF64() ? fn.f64 : fn.f32;
  if (!type.isF64() && fn.f32Fast && allowsApproximation(op))
    callee = fn.f32Fast;
  std::string call = std::string(callee) + "(";
  for (auto [i, operand] : llvm::enumerate(op->getOperands()))
    call += (i ? ", " : "") + toCompute(type, name(operand));
  call += ")";
  return declare(op, result, fromCompute(type, call));
}

} // namespace tensorc::cuda
