//===- SemaExpr.cpp - Names, literals, operators and calls ----------------===//

#include "compiler/Frontend/Lexer.h"
#include "compiler/Frontend/SemaImpl.h"

#include "llvm/Support/Casting.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace tensorc;
using namespace tensorc::sema;
using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;
using llvm::SMLoc;
using llvm::StringRef;
using llvm::Twine;

static std::string literalText(const NumberExpr &e) {
  if (e.isInteger)
    return std::to_string(e.intValue);
  if (std::isinf(e.floatValue))
    return "inf";
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format("%g", e.floatValue);
  return s;
}

std::string Sema::describeExpr(const Expr &e) {
  switch (e.getKind()) {
  case Expr::Kind::Number: {
    const auto &n = cast<NumberExpr>(e);
    return (n.isInteger ? "integer literal " : "float literal ") +
           literalText(n);
  }
  case Expr::Kind::Bool:
    return cast<BoolExpr>(e).value ? "'true'" : "'false'";
  case Expr::Kind::String:
    return "a string";
  case Expr::Kind::List:
    return "a list";
  case Expr::Kind::Name:
    return "'" + quoteForMessage(cast<NameExpr>(e).name) + "'";
  case Expr::Kind::Call:
    return "a call to '" + quoteForMessage(cast<CallExpr>(e).callee) + "'";
  default:
    return "an expression";
  }
}

/// The name to put in a "use cast(x, f32)" hint.
static std::string castHintName(const Expr *e) {
  if (const auto *n = e ? dyn_cast<NameExpr>(e) : nullptr)
    return quoteForMessage(n->name);
  return "x";
}

static bool isComparison(BinaryOp op) {
  return op == BinaryOp::Lt || op == BinaryOp::Le || op == BinaryOp::Gt ||
         op == BinaryOp::Ge || op == BinaryOp::Eq || op == BinaryOp::Ne;
}

//===----------------------------------------------------------------------===//
// Literals
//===----------------------------------------------------------------------===//

bool Sema::isWeak(const Expr &e) const {
  switch (e.getKind()) {
  case Expr::Kind::Number:
    return true;
  case Expr::Kind::Name:
    return llvm::isa_and_nonnull<ConstDecl>(lookup(cast<NameExpr>(e).name));
  case Expr::Kind::Unary:
    return isWeak(*cast<UnaryExpr>(e).operand);
  case Expr::Kind::Binary: {
    const auto &b = cast<BinaryExpr>(e);
    return b.op != BinaryOp::MatMul && !isComparison(b.op) && isWeak(*b.lhs) &&
           isWeak(*b.rhs);
  }
  default:
    return false;
  }
}

DType Sema::weakDefault(const Expr &e) const {
  switch (e.getKind()) {
  case Expr::Kind::Number:
    return cast<NumberExpr>(e).isInteger ? DType::I64 : DType::F32;
  case Expr::Kind::Unary:
    return weakDefault(*cast<UnaryExpr>(e).operand);
  case Expr::Kind::Binary: {
    const auto &b = cast<BinaryExpr>(e);
    return weakDefault(*b.lhs) == DType::F32 ? DType::F32 : weakDefault(*b.rhs);
  }
  default:
    return DType::I64;
  }
}

/// Checks that an integer `value` (a literal or a const) can take type `d`.
static bool integerFits(int64_t value, DType d) {
  if (d == DType::I32)
    return value >= INT32_MIN && value <= INT32_MAX;
  return d != DType::Bool;
}

bool Sema::checkNumber(NumberExpr &e, std::optional<DType> hint) {
  DType d = hint ? *hint : (e.isInteger ? DType::I64 : DType::F32);
  std::string text = literalText(e);
  if (d == DType::Bool) {
    diag.error(e.loc, "number " + text +
                          " cannot be combined with bool values; compare "
                          "with true or false instead");
    return false;
  }
  if (!e.isInteger && isInteger(d)) {
    diag.error(e.loc, "float literal " + text + " cannot be combined with an " +
                          dtypeName(d) + " tensor; use cast(" +
                          castHintName(literalPartner) + ", f32)");
    return false;
  }
  if (e.isInteger && !integerFits(e.intValue, d)) {
    diag.error(e.loc,
               "integer literal " + text + " does not fit in " + dtypeName(d));
    return false;
  }
  e.type = TensorType(d);
  return true;
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

bool Sema::setType(Expr &e, TensorType type) {
  if (type.rank() > kMaxRank) {
    diag.error(e.loc, "result " + type.str() + " has " + Twine(type.rank()) +
                          " dims; tensors have at most " + Twine(kMaxRank));
    return false;
  }
  if (!type.numElements()) {
    diag.error(e.loc, "result " + type.str() +
                          " has too many elements: the count must fit in 63 "
                          "bits");
    return false;
  }
  e.type = std::move(type);
  return true;
}

bool Sema::checkExpr(Expr &e, std::optional<DType> hint) {
  if (!hint && isWeak(e))
    hint = weakDefault(e);
  switch (e.getKind()) {
  case Expr::Kind::Number:
    return checkNumber(cast<NumberExpr>(e), hint);
  case Expr::Kind::Bool:
    e.type = TensorType(DType::Bool);
    return true;
  case Expr::Kind::String:
    diag.error(e.loc, "a string can only be a builtin's option, such as "
                      "gelu(x, approximate = \"tanh\")");
    return false;
  case Expr::Kind::List:
    diag.error(e.loc, "a list can only be an argument of a builtin that takes "
                      "one (axes, shapes, permutations, concat's tensors)");
    return false;
  case Expr::Kind::Name:
    return checkName(cast<NameExpr>(e), hint);
  case Expr::Kind::Unary:
    return checkUnary(cast<UnaryExpr>(e), hint);
  case Expr::Kind::Binary:
    return checkBinary(cast<BinaryExpr>(e), hint);
  case Expr::Kind::Call:
    return checkCall(cast<CallExpr>(e), hint);
  }
  return false;
}

static bool isValueDecl(const Decl &d) {
  return isa<ArgDecl, LetDecl, ParamDecl, ConstDecl>(d);
}

bool Sema::checkName(NameExpr &e, std::optional<DType> hint) {
  std::string name = quoteForMessage(e.name);
  Decl *d = lookup(e.name);
  if (!d) {
    if (LetDecl *later = allLets.lookup(e.name)) {
      diag.error(e.loc, "'" + name + "' is used before its let binding");
      diag.note(later->loc, "'" + name + "' is bound here");
    } else if (lookupDType(e.name)) {
      diag.error(e.loc, "element type '" + name +
                            "' is not a value; it can only be the type "
                            "argument of cast or one_hot");
    } else if (lookupBuiltin(e.name)) {
      diag.error(e.loc, "builtin '" + name +
                            "' is not a value; call it: " + name + "(...)");
    } else {
      reportUnknownName(e.loc, e.name, "name", isValueDecl);
    }
    return false;
  }
  e.decl = d;
  switch (d->getKind()) {
  case Decl::Kind::Arg:
    if (!cast<ArgDecl>(d)->type.resolved)
      return false;
    e.type = cast<ArgDecl>(d)->type.resolved;
    return true;
  case Decl::Kind::Let: {
    auto *let = cast<LetDecl>(d);
    let->used = true;
    if (!let->value || !let->value->type)
      return false;
    e.type = let->value->type;
    return true;
  }
  case Decl::Kind::Param:
    if (!cast<ParamDecl>(d)->type.resolved)
      return false;
    e.type = cast<ParamDecl>(d)->type.resolved;
    return true;
  case Decl::Kind::Const: {
    // A const means its literal value, typed by the context.
    DType t = hint ? *hint : DType::I64;
    if (!integerFits(cast<ConstDecl>(d)->value, t)) {
      diag.error(e.loc, "const '" + name + "' (" +
                            Twine(cast<ConstDecl>(d)->value) +
                            ") cannot be used as " + dtypeName(t));
      return false;
    }
    e.type = TensorType(t);
    return true;
  }
  case Decl::Kind::Dim:
    diag.error(e.loc, "dim '" + name +
                          "' is a size, not a value; dims can only be used "
                          "in shapes");
    return false;
  case Decl::Kind::Fn:
    diag.error(e.loc, "function '" + name +
                          "' is not a value; call it: " + name + "(...)");
    return false;
  case Decl::Kind::Train:
    return false;
  }
  return false;
}

bool Sema::checkUnary(UnaryExpr &e, std::optional<DType> hint) {
  if (!checkExpr(*e.operand, hint))
    return false;
  const TensorType &t = *e.operand->type;
  if (t.dtype == DType::Bool) {
    diag.error(e.loc,
               "cannot negate " + t.str() + ": negation needs a numeric type");
    noteDeclOf(e.operand.get());
    return false;
  }
  return setType(e, t);
}

bool Sema::checkOperandPair(Expr &lhs, Expr &rhs, std::optional<DType> hint) {
  bool lw = isWeak(lhs), rw = isWeak(rhs);
  if (lw && rw) {
    DType d =
        hint ? *hint
             : (weakDefault(lhs) == DType::F32 ? DType::F32 : weakDefault(rhs));
    bool ok = checkExpr(lhs, d);
    return checkExpr(rhs, d) && ok;
  }
  if (lw || rw) {
    Expr &strong = lw ? rhs : lhs;
    Expr &weak = lw ? lhs : rhs;
    if (!checkExpr(strong))
      return false;
    literalPartner = &strong;
    bool ok = checkExpr(weak, strong.type->dtype);
    literalPartner = nullptr;
    return ok;
  }
  bool ok = checkExpr(lhs);
  return checkExpr(rhs) && ok;
}

bool Sema::checkSameDType(const Expr &lhs, const Expr &rhs, SMLoc loc,
                          const Twine &opName) {
  DType l = lhs.type->dtype, r = rhs.type->dtype;
  if (l == r)
    return true;
  diag.error(loc, opName + " mixes " + dtypeName(l) + " and " + dtypeName(r) +
                      " (" + lhs.type->str() + " and " + rhs.type->str() +
                      "); use cast(" + castHintName(&rhs) + ", " +
                      dtypeName(l) + ") to convert one side");
  noteDeclsOf(&lhs, &rhs);
  return false;
}

std::optional<llvm::SmallVector<Dim, 4>>
Sema::broadcast(const Expr &lhs, const Expr &rhs, SMLoc loc) {
  const TensorType &l = *lhs.type, &r = *rhs.type;
  unsigned bad = 0;
  auto shape = broadcastShapes(l.shape, r.shape, &bad);
  if (shape)
    return shape;
  unsigned rank = std::max(l.rank(), r.rank());
  const Dim &ld = l.shape[bad - (rank - l.rank())];
  const Dim &rd = r.shape[bad - (rank - r.rank())];
  diag.error(loc, "cannot broadcast " + l.str() + " with " + r.str() +
                      ": dim " + Twine(bad) + " is " + ld.str() +
                      " on the left and " + rd.str() + " on the right");
  noteDeclsOf(&lhs, &rhs);
  return std::nullopt;
}

bool Sema::checkBinary(BinaryExpr &e, std::optional<DType> hint) {
  if (e.op == BinaryOp::MatMul)
    return checkMatMul(e);
  bool cmp = isComparison(e.op);
  if (!checkOperandPair(*e.lhs, *e.rhs, cmp ? std::nullopt : hint))
    return false;
  std::string op = ("operator '" + spelling(e.op) + "'").str();
  bool needNumbers = e.op != BinaryOp::Eq && e.op != BinaryOp::Ne;
  if (needNumbers) {
    for (const Expr *side : {e.lhs.get(), e.rhs.get()}) {
      if (side->type->dtype != DType::Bool)
        continue;
      diag.error(e.loc, op + " needs numeric operands, but the " +
                            (side == e.lhs.get() ? "left" : "right") +
                            " one is " + side->type->str() +
                            "; use where(...) or cast(..., f32)");
      noteDeclOf(side);
      return false;
    }
  }
  if (!checkSameDType(*e.lhs, *e.rhs, e.loc, op))
    return false;
  auto shape = broadcast(*e.lhs, *e.rhs, e.loc);
  if (!shape)
    return false;
  return setType(e, TensorType(cmp ? DType::Bool : e.lhs->type->dtype, *shape));
}

bool Sema::checkMatMul(BinaryExpr &e) {
  bool ok = checkExpr(*e.lhs);
  if (!checkExpr(*e.rhs) || !ok)
    return false;
  const TensorType &l = *e.lhs->type, &r = *e.rhs->type;
  for (const Expr *side : {e.lhs.get(), e.rhs.get()}) {
    const TensorType &t = *side->type;
    const char *which = side == e.lhs.get() ? "left" : "right";
    if (t.rank() < 2) {
      diag.error(e.loc, Twine("operator '@' needs operands of rank 2 or "
                              "more, but the ") +
                            which + " one is " + t.str() +
                            "; reshape it, e.g. to [1, N]");
      noteDeclOf(side);
      return false;
    }
    if (!isFloat(t.dtype)) {
      diag.error(e.loc, Twine("operator '@' needs floating-point operands, "
                              "but the ") +
                            which + " one is " + t.str() + "; use cast(" +
                            castHintName(side) + ", f32)");
      noteDeclOf(side);
      return false;
    }
  }
  if (!checkSameDType(*e.lhs, *e.rhs, e.loc, "operator '@'"))
    return false;
  const Dim &k1 = l.shape[l.rank() - 1], &k2 = r.shape[r.rank() - 2];
  if (k1 != k2) {
    diag.error(e.loc, "inner dims of '@' do not match: " + l.str() + " @ " +
                          r.str() + " has K = " + k1.str() +
                          " on the left and " + k2.str() + " on the right");
    noteDeclsOf(e.lhs.get(), e.rhs.get());
    return false;
  }
  llvm::ArrayRef<Dim> lb = llvm::ArrayRef(l.shape).drop_back(2);
  llvm::ArrayRef<Dim> rb = llvm::ArrayRef(r.shape).drop_back(2);
  unsigned bad = 0;
  auto batch = broadcastShapes(lb, rb, &bad);
  if (!batch) {
    unsigned rank = std::max(lb.size(), rb.size());
    diag.error(e.loc, "cannot broadcast the batch dims of " + l.str() + " @ " +
                          r.str() + ": dim " + Twine(bad) + " is " +
                          lb[bad - (rank - lb.size())].str() +
                          " on the left and " +
                          rb[bad - (rank - rb.size())].str() + " on the right");
    return false;
  }
  batch->push_back(l.shape[l.rank() - 2]);
  batch->push_back(r.shape[r.rank() - 1]);
  return setType(e, TensorType(l.dtype, *batch));
}

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

void Sema::checkArgsQuietly(CallExpr &e) {
  for (CallArg &arg : e.args)
    if (arg.value && !isa<ListExpr, StringExpr>(*arg.value) && !arg.value->type)
      checkExpr(*arg.value);
}

bool Sema::checkCall(CallExpr &e, std::optional<DType> hint) {
  if (std::optional<Builtin> b = lookupBuiltin(e.callee))
    return checkBuiltin(e, *b, hint);
  std::string name = quoteForMessage(e.callee);
  Decl *d = lookup(e.callee);
  if (auto *fn = llvm::dyn_cast_or_null<FnDecl>(d))
    return checkFnCall(e, *fn);
  if (d) {
    diag.error(e.calleeLoc,
               "'" + name + "' is " + aDeclKind(*d) + ", not a function");
    diag.note(d->loc, "'" + name + "' declared here");
  } else {
    std::vector<StringRef> candidates;
    for (const auto &fn : model.fns)
      candidates.push_back(fn->name);
    static const char *const builtins[] = {
        "exp",        "log",         "sqrt",       "rsqrt",   "tanh",
        "sigmoid",    "relu",        "silu",       "gelu",    "abs",
        "pow",        "where",       "cast",       "dropout", "masked_fill",
        "sum",        "mean",        "max",        "min",     "argmax",
        "softmax",    "log_softmax", "layernorm",  "rmsnorm", "cross_entropy",
        "mse",        "transpose",   "permute",    "reshape", "broadcast_to",
        "concat",     "slice",       "embedding",  "one_hot", "conv2d",
        "max_pool2d", "avg_pool2d",  "causal_mask"};
    for (const char *b : builtins)
      candidates.push_back(b);
    std::string best = suggest(e.callee, candidates);
    diag.error(e.calleeLoc,
               "unknown function '" + name + "'" +
                   (best.empty() ? "" : "; did you mean '" + best + "'?"));
  }
  checkArgsQuietly(e);
  return false;
}

bool Sema::checkFnCall(CallExpr &e, FnDecl &fn) {
  std::string name = quoteForMessage(fn.name);
  if (curFn)
    calls[fnIndex[curFn]].push_back({fnIndex[&fn], e.loc});
  if (e.args.size() != fn.args.size()) {
    diag.error(e.calleeLoc,
               "'" + name + "' takes " + Twine(fn.args.size()) +
                   (fn.args.size() == 1 ? " argument" : " arguments") +
                   ", got " + Twine(e.args.size()));
    diag.note(fn.loc, "'" + name + "' is declared here");
    checkArgsQuietly(e);
    return false;
  }
  bool ok = true;
  for (unsigned i = 0; i < e.args.size(); ++i) {
    CallArg &arg = e.args[i];
    ArgDecl &param = *fn.args[i];
    if (!arg.keyword.empty()) {
      diag.error(arg.keywordLoc, "functions take positional arguments only; "
                                 "remove '" +
                                     quoteForMessage(arg.keyword) + " ='");
      ok = false;
    }
    const std::optional<TensorType> &want = param.type.resolved;
    std::optional<DType> hint;
    if (want)
      hint = want->dtype;
    if (!checkExpr(*arg.value, hint)) {
      ok = false;
      continue;
    }
    if (want && *arg.value->type != *want) {
      diag.error(arg.loc, "argument " + Twine(i + 1) + " of '" + name +
                              "' has type " + arg.value->type->str() +
                              ", but '" + name + "' expects " +
                              quoteForMessage(param.name) + ": " + want->str());
      diag.note(param.loc, "'" + quoteForMessage(param.name) +
                               "' declared here as " + want->str());
      ok = false;
    }
  }
  if (!ok || !fn.result.resolved)
    return false;
  e.function = &fn;
  return setType(e, *fn.result.resolved);
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

static bool isConst(const Decl &d) { return isa<ConstDecl>(d); }
static bool isShapeDecl(const Decl &d) { return isa<ConstDecl, DimDecl>(d); }

std::optional<int64_t> Sema::evalInt(Expr &e, const Twine &what) {
  switch (e.getKind()) {
  case Expr::Kind::Number: {
    auto &n = cast<NumberExpr>(e);
    if (!n.isInteger)
      break;
    e.type = TensorType(DType::I64);
    return n.intValue;
  }
  case Expr::Kind::Unary: {
    std::optional<int64_t> v = evalInt(*cast<UnaryExpr>(e).operand, what);
    if (!v)
      return std::nullopt;
    e.type = TensorType(DType::I64);
    return -*v; // |v| <= INT64_MAX: literals are non-negative
  }
  case Expr::Kind::Name: {
    auto &n = cast<NameExpr>(e);
    Decl *d = lookup(n.name);
    if (!d) {
      reportUnknownName(e.loc, n.name, "const", isConst);
      return std::nullopt;
    }
    auto *c = dyn_cast<ConstDecl>(d);
    if (!c)
      break;
    n.decl = c;
    e.type = TensorType(DType::I64);
    return c->value;
  }
  default:
    break;
  }
  diag.error(e.loc, what +
                        " must be an integer constant (a literal or a "
                        "const), got " +
                        describeExpr(e));
  return std::nullopt;
}

std::optional<double> Sema::evalNumber(Expr &e, const Twine &what, DType ctx) {
  switch (e.getKind()) {
  case Expr::Kind::Number: {
    auto &n = cast<NumberExpr>(e);
    if (!checkNumber(n, ctx))
      return std::nullopt;
    return n.isInteger ? static_cast<double>(n.intValue) : n.floatValue;
  }
  case Expr::Kind::Unary: {
    std::optional<double> v =
        evalNumber(*cast<UnaryExpr>(e).operand, what, ctx);
    if (!v)
      return std::nullopt;
    e.type = TensorType(ctx);
    return -*v;
  }
  case Expr::Kind::Name: {
    auto &n = cast<NameExpr>(e);
    Decl *d = lookup(n.name);
    if (!d) {
      reportUnknownName(e.loc, n.name, "const", isConst);
      return std::nullopt;
    }
    auto *c = dyn_cast<ConstDecl>(d);
    if (!c)
      break;
    n.decl = c;
    e.type = TensorType(ctx);
    return static_cast<double>(c->value);
  }
  default:
    break;
  }
  diag.error(e.loc, what +
                        " must be a number constant (a literal or a "
                        "const), got " +
                        describeExpr(e));
  return std::nullopt;
}

std::optional<ShapeDim> Sema::evalShapeDim(Expr &e, bool allowInferred) {
  ShapeDim out;
  switch (e.getKind()) {
  case Expr::Kind::Number: {
    auto &n = cast<NumberExpr>(e);
    if (!n.isInteger)
      break;
    e.type = TensorType(DType::I64);
    if (n.intValue < 1) {
      diag.error(e.loc, "dim must be at least 1, got " + Twine(n.intValue));
      return std::nullopt;
    }
    out.dim = Dim(n.intValue);
    return out;
  }
  case Expr::Kind::Unary: {
    auto *n = dyn_cast<NumberExpr>(cast<UnaryExpr>(e).operand.get());
    if (allowInferred && n && n->isInteger && n->intValue == 1) {
      e.type = n->type = TensorType(DType::I64);
      out.inferred = true;
      return out;
    }
    diag.error(e.loc, allowInferred
                          ? "dim must be at least 1; only -1 (inferred) may "
                            "be negative"
                          : "dim must be at least 1");
    return std::nullopt;
  }
  case Expr::Kind::Name: {
    auto &n = cast<NameExpr>(e);
    Decl *d = lookup(n.name);
    if (!d) {
      reportUnknownName(e.loc, n.name, "dim or const", isShapeDecl);
      return std::nullopt;
    }
    if (auto *c = dyn_cast<ConstDecl>(d)) {
      n.decl = c;
      e.type = TensorType(DType::I64);
      if (c->value < 1) {
        diag.error(e.loc, "const '" + quoteForMessage(c->name) + "' is " +
                              Twine(c->value) + "; a dim must be at least 1");
        diag.note(c->loc, "'" + quoteForMessage(c->name) + "' declared here");
        return std::nullopt;
      }
      out.dim = Dim(c->value);
      return out;
    }
    if (isa<DimDecl>(d)) {
      n.decl = d;
      e.type = TensorType(DType::I64);
      out.dim = Dim::symbol(n.name);
      if (!checkRecoverable(out.dim, e.loc))
        return std::nullopt;
      return out;
    }
    diag.error(e.loc, "'" + quoteForMessage(n.name) + "' is " + aDeclKind(*d) +
                          "; a dim is an integer, a const or a dim name");
    return std::nullopt;
  }
  case Expr::Kind::Binary: {
    auto &b = cast<BinaryExpr>(e);
    if (b.op != BinaryOp::Mul)
      break;
    std::optional<ShapeDim> l = evalShapeDim(*b.lhs, false);
    std::optional<ShapeDim> r = evalShapeDim(*b.rhs, false);
    if (!l || !r)
      return std::nullopt;
    std::optional<Dim> p = Dim::mul(l->dim, r->dim);
    if (!p) {
      diag.error(e.loc, "dim is too large: it must fit in 63 bits");
      return std::nullopt;
    }
    e.type = TensorType(DType::I64);
    out.dim = std::move(*p);
    return out;
  }
  default:
    break;
  }
  diag.error(e.loc, "a dim in a shape must be an integer, a const, a dim "
                    "name or a product of these, got " +
                        describeExpr(e));
  return std::nullopt;
}
