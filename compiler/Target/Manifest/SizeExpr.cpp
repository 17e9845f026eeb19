//===- SizeExpr.cpp - Sizes as expressions of the symbolic dims -----------===//

#include "compiler/Target/Manifest/SizeExpr.h"

#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

#include <functional>

using namespace mlir;

namespace tensorc::manifest {

SizeExpr SizeExpr::constant(int64_t v) {
  auto n = std::make_shared<Node>();
  n->kind = Kind::Const;
  n->value = v;
  return SizeExpr(n);
}

SizeExpr SizeExpr::dim(StringRef name) {
  auto n = std::make_shared<Node>();
  n->kind = Kind::Dim;
  n->name = name.str();
  return SizeExpr(n);
}

std::optional<SizeExpr> SizeExpr::monomial(StringRef text) {
  SmallVector<StringRef> factors;
  text.split(factors, '*');
  std::optional<SizeExpr> result;
  for (StringRef f : factors) {
    f = f.trim();
    SizeExpr e = constant(0);
    int64_t v;
    if (!f.getAsInteger(10, v))
      e = constant(v);
    else if (!f.empty() && (llvm::isAlpha(f[0]) || f[0] == '_'))
      e = dim(f);
    else
      return std::nullopt;
    result = result ? binary(Kind::Mul, *result, e) : e;
  }
  return result;
}

std::optional<int64_t> SizeExpr::constantValue() const {
  if (node->kind == Kind::Const)
    return node->value;
  return std::nullopt;
}

/// Folds constant operands (when the result cannot overflow) and the
/// identities x*1, x+0, x-0, ceildiv(x, 1), x/1.
SizeExpr SizeExpr::binary(Kind kind, SizeExpr lhs, SizeExpr rhs) {
  std::optional<int64_t> a = lhs.constantValue(), b = rhs.constantValue();
  if (a && b) {
    int64_t r = 0;
    bool ok = true;
    switch (kind) {
    case Kind::Add:
      ok = !llvm::AddOverflow(*a, *b, r);
      break;
    case Kind::Sub:
      ok = !llvm::SubOverflow(*a, *b, r);
      break;
    case Kind::Mul:
      ok = !llvm::MulOverflow(*a, *b, r);
      break;
    case Kind::Div:
      ok = *b > 0 && *a >= 0;
      r = ok ? *a / *b : 0;
      break;
    case Kind::Rem:
      ok = *b > 0 && *a >= 0;
      r = ok ? *a % *b : 0;
      break;
    case Kind::CeilDiv:
      ok = *b > 0 && *a >= 0;
      r = ok ? (*a + *b - 1) / *b : 0;
      break;
    case Kind::Min:
      r = std::min(*a, *b);
      break;
    case Kind::Max:
      r = std::max(*a, *b);
      break;
    default:
      ok = false;
    }
    if (ok)
      return constant(r);
  }
  // Products keep one constant factor, in front: 4*B*256 is 1024*B.
  if (kind == Kind::Mul &&
      (a || b || lhs.kind() == Kind::Mul || rhs.kind() == Kind::Mul)) {
    int64_t coeff = 1;
    std::vector<SizeExpr> factors;
    bool overflow = false;
    std::function<void(const SizeExpr &)> collect = [&](const SizeExpr &e) {
      if (e.kind() == Kind::Mul) {
        collect(e.node->operands[0]);
        collect(e.node->operands[1]);
      } else if (std::optional<int64_t> c = e.constantValue()) {
        overflow |= llvm::MulOverflow(coeff, *c, coeff);
      } else {
        factors.push_back(e);
      }
    };
    collect(lhs);
    collect(rhs);
    if (!overflow && !factors.empty()) {
      auto product = [](SizeExpr x, SizeExpr y) {
        auto n = std::make_shared<Node>();
        n->kind = Kind::Mul;
        n->operands = {x, y};
        return SizeExpr(n);
      };
      if (coeff == 0)
        return constant(0);
      SizeExpr result = factors[0];
      for (size_t i = 1; i < factors.size(); ++i)
        result = product(result, factors[i]);
      return coeff == 1 ? result : product(constant(coeff), result);
    }
  }
  if (b == 1 &&
      (kind == Kind::Mul || kind == Kind::Div || kind == Kind::CeilDiv))
    return lhs;
  if (a == 1 && kind == Kind::Mul)
    return rhs;
  if (b == 0 && (kind == Kind::Add || kind == Kind::Sub))
    return lhs;
  if (a == 0 && kind == Kind::Add)
    return rhs;
  auto n = std::make_shared<Node>();
  n->kind = kind;
  n->operands = {lhs, rhs};
  return SizeExpr(n);
}

static int precedence(SizeExpr::Kind k) {
  switch (k) {
  case SizeExpr::Kind::Add:
  case SizeExpr::Kind::Sub:
    return 1;
  case SizeExpr::Kind::Mul:
  case SizeExpr::Kind::Div:
  case SizeExpr::Kind::Rem:
    return 2;
  default:
    return 3;
  }
}

void SizeExpr::print(std::string &out, int parent) const {
  const Node &n = *node;
  switch (n.kind) {
  case Kind::Const:
    out += std::to_string(n.value);
    return;
  case Kind::Dim:
    out += n.name;
    return;
  case Kind::CeilDiv:
  case Kind::Min:
  case Kind::Max:
    out += n.kind == Kind::CeilDiv ? "ceildiv("
           : n.kind == Kind::Min   ? "min("
                                   : "max(";
    n.operands[0].print(out, 0);
    out += ", ";
    n.operands[1].print(out, 0);
    out += ")";
    return;
  default:
    break;
  }
  int p = precedence(n.kind);
  bool parens = p < parent;
  if (parens)
    out += "(";
  n.operands[0].print(out, p);
  out += n.kind == Kind::Add   ? "+"
         : n.kind == Kind::Sub ? "-"
         : n.kind == Kind::Mul ? "*"
         : n.kind == Kind::Div ? "/"
                               : "%";
  // The right operand of a non-commutative operator needs parentheses at
  // equal precedence: a-(b-c), a/(b*c).
  n.operands[1].print(out,
                      n.kind == Kind::Add || n.kind == Kind::Mul ? p : p + 1);
  if (parens)
    out += ")";
}

std::string SizeExpr::str() const {
  std::string s;
  print(s, 0);
  return s;
}

/// The tc.dims entry of an entry argument's dim.
static std::optional<SizeExpr> argumentDim(BlockArgument arg, int64_t d) {
  auto fn = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
  if (!fn)
    return std::nullopt;
  auto dims = fn.getArgAttrOfType<ArrayAttr>(arg.getArgNumber(),
                                             tensorc::tc::kDimsAttr);
  if (dims && d < static_cast<int64_t>(dims.size())) {
    if (auto i = dyn_cast<IntegerAttr>(dims[d]))
      return SizeExpr::constant(i.getInt());
    if (auto s = dyn_cast<StringAttr>(dims[d]))
      return SizeExpr::monomial(s.getValue());
  }
  return std::nullopt;
}

static std::optional<SizeExpr> dimOf(Value shaped, int64_t d) {
  auto type = cast<ShapedType>(shaped.getType());
  if (!type.isDynamicDim(d))
    return SizeExpr::constant(type.getDimSize(d));
  if (auto arg = dyn_cast<BlockArgument>(shaped))
    return argumentDim(arg, d);
  Operation *def = shaped.getDefiningOp();
  if (auto alloc = dyn_cast<memref::AllocOp>(def))
    return sizeExprOf(alloc.getDynamicSizes()[type.getDynamicDimIndex(d)]);
  if (auto expand = dyn_cast<memref::ExpandShapeOp>(def)) {
    OpFoldResult size = expand.getMixedOutputShape()[d];
    if (auto v = dyn_cast<Value>(size))
      return sizeExprOf(v);
  }
  if (auto collapse = dyn_cast<memref::CollapseShapeOp>(def)) {
    std::optional<SizeExpr> p = SizeExpr::constant(1);
    // The reassociation is a temporary: keep it alive for the loop.
    SmallVector<ReassociationIndices> groups =
        collapse.getReassociationIndices();
    for (int64_t s : groups[d]) {
      std::optional<SizeExpr> f = dimOf(collapse.getSrc(), s);
      if (!f)
        return std::nullopt;
      p = SizeExpr::binary(SizeExpr::Kind::Mul, *p, *f);
    }
    return p;
  }
  return std::nullopt;
}

std::optional<SizeExpr> sizeExprOf(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return std::nullopt;
  if (auto cst = dyn_cast<arith::ConstantIndexOp>(def))
    return SizeExpr::constant(cst.value());
  if (auto cst = dyn_cast<arith::ConstantIntOp>(def))
    return SizeExpr::constant(cst.value());
  if (auto dim = dyn_cast<memref::DimOp>(def)) {
    if (std::optional<int64_t> d = dim.getConstantIndex())
      return dimOf(dim.getSource(), *d);
    return std::nullopt;
  }
  if (auto dim = dyn_cast<tensor::DimOp>(def)) {
    if (std::optional<int64_t> d = dim.getConstantIndex())
      return dimOf(dim.getSource(), *d);
    return std::nullopt;
  }
  if (isa<arith::IndexCastOp, arith::IndexCastUIOp>(def))
    return sizeExprOf(def->getOperand(0));
  using K = SizeExpr::Kind;
  std::optional<K> kind =
      llvm::TypeSwitch<Operation *, std::optional<K>>(def)
          .Case<arith::AddIOp>([](auto) { return K::Add; })
          .Case<arith::SubIOp>([](auto) { return K::Sub; })
          .Case<arith::MulIOp>([](auto) { return K::Mul; })
          .Case<arith::DivUIOp, arith::DivSIOp, arith::FloorDivSIOp>(
              [](auto) { return K::Div; })
          .Case<arith::RemUIOp, arith::RemSIOp>([](auto) { return K::Rem; })
          .Case<arith::CeilDivUIOp, arith::CeilDivSIOp>(
              [](auto) { return K::CeilDiv; })
          .Case<arith::MinUIOp, arith::MinSIOp>([](auto) { return K::Min; })
          .Case<arith::MaxUIOp, arith::MaxSIOp>([](auto) { return K::Max; })
          .Default([](auto) { return std::nullopt; });
  if (!kind)
    return std::nullopt;
  std::optional<SizeExpr> lhs = sizeExprOf(def->getOperand(0));
  std::optional<SizeExpr> rhs = sizeExprOf(def->getOperand(1));
  if (!lhs || !rhs)
    return std::nullopt;
  return SizeExpr::binary(*kind, *lhs, *rhs);
}

} // namespace tensorc::manifest
