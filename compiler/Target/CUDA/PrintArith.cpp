//===- PrintArith.cpp - arith arithmetic, comparisons, constants ----------===//
//
// Semantics are MLIR's, which C++ does not give by default:
//  - integer +, -, *, << wrap (done in unsigned arithmetic: signed overflow
//    is undefined in C++); unsigned ops and predicates read the operands as
//    unsigned; i1 true is -1 when read as signed;
//  - addf/subf/mulf round each result (__f*_rn are never contracted into an
//    FMA, whatever --fmad says), unless the op allows `contract`;
//  - maximumf/minimumf propagate NaN and order -0 < +0 (tc_rt helpers);
//    maxnumf/minnumf are fmaxf/fminf;
//  - cmpf's unordered predicates are true on NaN.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/CUDA/Printer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;

namespace tensorc::cuda {

namespace {
/// The operands of a binary op as C++ expressions, in the views that the
/// op's semantics need.
struct Operands {
  Type type;
  std::string a, b;
  std::string sa() const { return signedView(type, a); }
  std::string sb() const { return signedView(type, b); }
  std::string ua() const { return unsignedView(type, a); }
  std::string ub() const { return unsignedView(type, b); }
  // Wrapping arithmetic: `unsigned` (at least 32 bits, so that no promotion
  // to int can overflow) or `unsigned long long`; plain signed arithmetic
  // where the op says that signed overflow is poison (`nsw`).
  bool nsw = false;
  std::string wa() const { return wrapView(a); }
  std::string wb() const { return wrapView(b); }
  std::string wrapView(StringRef x) const {
    if (nsw)
      return x.str();
    return (intWidth(type) > 32 ? "(unsigned long long)" : "(unsigned)") +
           x.str();
  }
};
} // namespace

static bool allowsContraction(Operation *op) {
  auto fmf = dyn_cast<arith::ArithFastMathInterface>(op);
  return fmf && arith::bitEnumContainsAny(fmf.getFastMathFlagsAttr().getValue(),
                                          arith::FastMathFlags::contract);
}

/// A float binary op in the compute type; nullopt if `op` is not one.
static std::optional<std::string> floatBinary(Operation *op,
                                              const Operands &x) {
  bool f64 = x.type.isF64();
  bool exact = !allowsContraction(op);
  auto call = [&](StringRef f32Name, StringRef f64Name) {
    return ((f64 ? f64Name : f32Name) + "(" + x.a + ", " + x.b + ")").str();
  };
  auto rounded = [&](StringRef opName, StringRef infix) {
    if (!exact)
      return x.a + " " + infix.str() + " " + x.b;
    return ("__" + Twine(f64 ? "d" : "f") + opName + "_rn(" + x.a + ", " + x.b +
            ")")
        .str();
  };
  return llvm::StringSwitch<std::optional<std::string>>(
             op->getName().getStringRef())
      .Case("arith.addf", rounded("add", "+"))
      .Case("arith.subf", rounded("sub", "-"))
      .Case("arith.mulf", rounded("mul", "*"))
      .Case("arith.divf", x.a + " / " + x.b)
      .Case("arith.remf", call("fmodf", "fmod"))
      .Case("arith.maximumf", call("tc_rt::maximumf", "tc_rt::maximumf"))
      .Case("arith.minimumf", call("tc_rt::minimumf", "tc_rt::minimumf"))
      .Case("arith.maxnumf", call("fmaxf", "fmax"))
      .Case("arith.minnumf", call("fminf", "fmin"))
      .Default(std::nullopt);
}

/// An integer binary op; nullopt if `op` is not one.
static std::optional<std::string> intBinary(Operation *op, const Operands &x) {
  bool i1 = intWidth(x.type) == 1;
  StringRef name = op->getName().getStringRef();
  // i1 wraps modulo 2: + and - are xor, * is and.
  if (i1 && (name == "arith.addi" || name == "arith.subi"))
    return x.a + " != " + x.b;
  if (i1 && name == "arith.muli")
    return x.a + " && " + x.b;
  std::optional<std::string> expr =
      llvm::StringSwitch<std::optional<std::string>>(name)
          .Case("arith.addi", x.wa() + " + " + x.wb())
          .Case("arith.subi", x.wa() + " - " + x.wb())
          .Case("arith.muli", x.wa() + " * " + x.wb())
          .Case("arith.divsi", x.sa() + " / " + x.sb())
          .Case("arith.divui", x.ua() + " / " + x.ub())
          .Case("arith.remsi", x.sa() + " % " + x.sb())
          .Case("arith.remui", x.ua() + " % " + x.ub())
          .Case("arith.andi", x.a + " & " + x.b)
          .Case("arith.ori", x.a + " | " + x.b)
          .Case("arith.xori", x.a + " ^ " + x.b)
          .Case("arith.shli", x.wa() + " << " + x.ub())
          .Case("arith.shrsi", x.sa() + " >> " + x.ub())
          .Case("arith.shrui", x.ua() + " >> " + x.ub())
          .Case("arith.maxsi",
                x.sa() + " > " + x.sb() + " ? " + x.a + " : " + x.b)
          .Case("arith.minsi",
                x.sa() + " < " + x.sb() + " ? " + x.a + " : " + x.b)
          .Case("arith.maxui",
                x.ua() + " > " + x.ub() + " ? " + x.a + " : " + x.b)
          .Case("arith.minui",
                x.ua() + " < " + x.ub() + " ? " + x.a + " : " + x.b)
          .Case("arith.ceildivsi",
                "tc_rt::ceildivsi(" + x.sa() + ", " + x.sb() + ")")
          .Case("arith.floordivsi",
                "tc_rt::floordivsi(" + x.sa() + ", " + x.sb() + ")")
          .Case("arith.ceildivui",
                "tc_rt::ceildivui(" + x.ua() + ", " + x.ub() + ")")
          .Default(std::nullopt);
  // An i1 result is the low bit of the wider result (bitwise ops and
  // selections give 0 or 1 already).
  bool lowBit = name.starts_with("arith.max") ||
                name.starts_with("arith.min") || name == "arith.andi" ||
                name == "arith.ori" || name == "arith.xori";
  if (expr && i1 && !lowBit)
    return "((" + *expr + ") & 1) != 0";
  return expr;
}

static std::string cmpi(arith::CmpIPredicate predicate, const Operands &x) {
  using P = arith::CmpIPredicate;
  switch (predicate) {
  case P::eq:
    return x.a + " == " + x.b;
  case P::ne:
    return x.a + " != " + x.b;
  case P::slt:
    return x.sa() + " < " + x.sb();
  case P::sle:
    return x.sa() + " <= " + x.sb();
  case P::sgt:
    return x.sa() + " > " + x.sb();
  case P::sge:
    return x.sa() + " >= " + x.sb();
  case P::ult:
    return x.ua() + " < " + x.ub();
  case P::ule:
    return x.ua() + " <= " + x.ub();
  case P::ugt:
    return x.ua() + " > " + x.ub();
  case P::uge:
    return x.ua() + " >= " + x.ub();
  }
  llvm_unreachable("unknown cmpi predicate");
}

/// C++ comparisons are false on NaN but for !=: the ordered predicates are
/// the plain operators, the unordered ones negate the opposite ordered one.
static std::string cmpf(arith::CmpFPredicate predicate, const Operands &x) {
  using P = arith::CmpFPredicate;
  const std::string &a = x.a, &b = x.b;
  switch (predicate) {
  case P::AlwaysFalse:
    return "false";
  case P::AlwaysTrue:
    return "true";
  case P::OEQ:
    return a + " == " + b;
  case P::OGT:
    return a + " > " + b;
  case P::OGE:
    return a + " >= " + b;
  case P::OLT:
    return a + " < " + b;
  case P::OLE:
    return a + " <= " + b;
  case P::ONE:
    return "(" + a + " < " + b + " || " + a + " > " + b + ")";
  case P::ORD:
    return "(" + a + " == " + a + " && " + b + " == " + b + ")";
  case P::UEQ:
    return "!(" + a + " < " + b + " || " + a + " > " + b + ")";
  case P::UGT:
    return "!(" + a + " <= " + b + ")";
  case P::UGE:
    return "!(" + a + " < " + b + ")";
  case P::ULT:
    return "!(" + a + " >= " + b + ")";
  case P::ULE:
    return "!(" + a + " > " + b + ")";
  case P::UNE:
    return a + " != " + b;
  case P::UNO:
    return "(" + a + " != " + a + " || " + b + " != " + b + ")";
  }
  llvm_unreachable("unknown cmpf predicate");
}

LogicalResult KernelPrinter::printArithOp(Operation *op) {
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    FailureOr<std::string> value = literal(op, constant.getValue());
    if (failed(value))
      return failure();
    return declare(op, constant, *value);
  }
  if (auto select = dyn_cast<arith::SelectOp>(op))
    return declare(op, select,
                   name(select.getCondition()) + " ? " +
                       name(select.getTrueValue()) + " : " +
                       name(select.getFalseValue()));
  if (auto neg = dyn_cast<arith::NegFOp>(op)) {
    Type type = neg.getType();
    // fneg flips the sign bit, NaNs included.
    if (isHalfLike(type))
      return declare(op, neg, name(neg.getOperand()) + " ^ 0x8000");
    return declare(op, neg, "-" + name(neg.getOperand()));
  }
  if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
    Operands x{cmp.getLhs().getType(), name(cmp.getLhs()).str(),
               name(cmp.getRhs()).str()};
    return declare(op, cmp, cmpi(cmp.getPredicate(), x));
  }
  if (auto cmp = dyn_cast<arith::CmpFOp>(op)) {
    Type type = cmp.getLhs().getType();
    Operands x{type, toCompute(type, name(cmp.getLhs())),
               toCompute(type, name(cmp.getRhs()))};
    return declare(op, cmp, cmpf(cmp.getPredicate(), x));
  }
  if (op->getNumOperands() == 2 && op->getNumResults() == 1) {
    Type type = op->getResult(0).getType();
    if (isa<FloatType>(type)) {
      Operands x{type, toCompute(type, name(op->getOperand(0))),
                 toCompute(type, name(op->getOperand(1)))};
      if (std::optional<std::string> expr = floatBinary(op, x))
        return declare(op, op->getResult(0), fromCompute(type, *expr));
    } else if (type.isIntOrIndex()) {
      Operands x{type, name(op->getOperand(0)).str(),
                 name(op->getOperand(1)).str()};
      if (auto flags = dyn_cast<arith::ArithIntegerOverflowFlagsInterface>(op))
        x.nsw = flags.hasNoSignedWrap() && intWidth(type) != 1;
      if (std::optional<std::string> expr = intBinary(op, x))
        return declare(op, op->getResult(0), *expr);
    }
  }
  return printArithCastOp(op);
}

} // namespace tensorc::cuda
