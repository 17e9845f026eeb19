//===- SemaBuiltins.cpp - Builtin signatures and numeric builtins ---------===//
//
// Each builtin has a fixed parameter list; a call's positional and keyword
// arguments are bound to it first, then the builtin's own rule checks the
// bound values and fills in CallExpr::attrs.
//
//===----------------------------------------------------------------------===//

#include "compiler/Frontend/Lexer.h"
#include "compiler/Frontend/SemaImpl.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Casting.h"

using namespace tensorc;
using namespace tensorc::sema;
using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;
using llvm::SMLoc;
using llvm::StringRef;
using llvm::Twine;

namespace {
struct Signature {
  Builtin builtin;
  std::array<const char *, BoundArgs::kMaxParams> params;
  unsigned numRequired;
};

// Parameter names follow docs/language.md; they are the keywords a call may
// use.
constexpr Signature kSignatures[] = {
    {Builtin::Exp, {"x"}, 1},
    {Builtin::Log, {"x"}, 1},
    {Builtin::Sqrt, {"x"}, 1},
    {Builtin::Rsqrt, {"x"}, 1},
    {Builtin::Tanh, {"x"}, 1},
    {Builtin::Sigmoid, {"x"}, 1},
    {Builtin::Relu, {"x"}, 1},
    {Builtin::Silu, {"x"}, 1},
    {Builtin::Gelu, {"x", "approximate"}, 1},
    {Builtin::Abs, {"x"}, 1},
    {Builtin::Pow, {"x", "e"}, 2},
    {Builtin::Where, {"c", "a", "b"}, 3},
    {Builtin::Cast, {"x", "dtype"}, 2},
    {Builtin::Dropout, {"x", "p"}, 2},
    {Builtin::MaskedFill, {"x", "mask", "value"}, 3},
    {Builtin::Sum, {"x", "axis", "keepdim"}, 1},
    {Builtin::Mean, {"x", "axis", "keepdim"}, 1},
    {Builtin::Max, {"x", "axis", "keepdim"}, 1},
    {Builtin::Min, {"x", "axis", "keepdim"}, 1},
    {Builtin::Argmax, {"x", "axis", "keepdim"}, 2},
    {Builtin::Softmax, {"x", "axis"}, 1},
    {Builtin::LogSoftmax, {"x", "axis"}, 1},
    {Builtin::LayerNorm, {"x", "gamma", "beta", "eps"}, 3},
    {Builtin::RmsNorm, {"x", "gamma", "eps"}, 2},
    {Builtin::CrossEntropy, {"logits", "labels"}, 2},
    {Builtin::Mse, {"a", "b"}, 2},
    {Builtin::Transpose, {"x", "a", "b"}, 3},
    {Builtin::Permute, {"x", "dims"}, 2},
    {Builtin::Reshape, {"x", "shape"}, 2},
    {Builtin::BroadcastTo, {"x", "shape"}, 2},
    {Builtin::Concat, {"tensors", "axis"}, 2},
    {Builtin::Slice, {"x", "axis", "start", "end"}, 4},
    {Builtin::Embedding, {"table", "ids"}, 2},
    {Builtin::OneHot, {"ids", "n", "dtype"}, 2},
    {Builtin::Conv2d, {"x", "w", "stride", "padding", "bias"}, 2},
    {Builtin::MaxPool2d, {"x", "kernel", "stride", "padding"}, 2},
    {Builtin::AvgPool2d, {"x", "kernel", "stride", "padding"}, 2},
    {Builtin::CausalMask, {"T"}, 1},
};

const Signature &signatureOf(Builtin b) {
  for (const Signature &s : kSignatures)
    if (s.builtin == b)
      return s;
  return kSignatures[0];
}

/// "sum(x, axis, keepdim)".
std::string signatureText(const Signature &sig) {
  std::string s = builtinName(sig.builtin).str() + "(";
  for (unsigned i = 0; i < sig.params.size() && sig.params[i]; ++i)
    s += (i ? ", " : "") + std::string(sig.params[i]);
  return s + ")";
}

/// "'x' of 'relu'" for messages about one argument.
std::string argRef(const CallExpr &call, StringRef param) {
  return ("'" + param + "' of '" + call.callee + "'").str();
}
} // namespace

bool Sema::bindArgs(CallExpr &e, Builtin b, BoundArgs &out) {
  const Signature &sig = signatureOf(b);
  unsigned numParams = 0;
  while (numParams < sig.params.size() && sig.params[numParams])
    ++numParams;
  bool ok = true;
  unsigned pos = 0;
  for (CallArg &arg : e.args) {
    unsigned idx = numParams;
    SMLoc loc = arg.loc;
    if (arg.keyword.empty()) {
      if (pos >= numParams) {
        diag.error(arg.loc, "too many arguments to '" + e.callee +
                                "': it takes " + signatureText(sig));
        ok = false;
        break;
      }
      idx = pos++;
    } else {
      loc = arg.keywordLoc;
      for (unsigned i = 0; i < numParams; ++i)
        if (arg.keyword == sig.params[i])
          idx = i;
      if (idx == numParams) {
        diag.error(arg.keywordLoc, "'" + e.callee +
                                       "' has no argument named '" +
                                       quoteForMessage(arg.keyword) +
                                       "'; it takes " + signatureText(sig));
        ok = false;
        continue;
      }
    }
    if (out.slots[idx]) {
      diag.error(loc, "argument '" + Twine(sig.params[idx]) + "' of '" +
                          e.callee + "' is given twice");
      ok = false;
      continue;
    }
    out.slots[idx] = &arg;
  }
  for (unsigned i = 0; ok && i < sig.numRequired; ++i) {
    if (out.slots[i])
      continue;
    diag.error(e.calleeLoc, "'" + e.callee + "' needs argument '" +
                                Twine(sig.params[i]) +
                                "': " + signatureText(sig));
    ok = false;
  }
  if (!ok)
    checkArgsQuietly(e);
  return ok;
}

//===----------------------------------------------------------------------===//
// Argument helpers
//===----------------------------------------------------------------------===//

const TensorType *Sema::tensorArg(CallExpr &call, CallArg *arg, StringRef param,
                                  std::optional<DType> hint) {
  if (!arg)
    return nullptr;
  Expr &v = *arg->value;
  if (isa<ListExpr, StringExpr>(v)) {
    diag.error(arg->loc, argRef(call, param) + " must be a tensor, got " +
                             describeExpr(v));
    return nullptr;
  }
  if (!checkExpr(v, hint))
    return nullptr;
  return &*v.type;
}

std::optional<int64_t> Sema::intArg(CallExpr &call, CallArg *arg,
                                    StringRef param) {
  return evalInt(*arg->value, argRef(call, param));
}

std::optional<double> Sema::numberArg(CallExpr &call, CallArg *arg,
                                      StringRef param, DType ctx) {
  return evalNumber(*arg->value, argRef(call, param), ctx);
}

std::optional<bool> Sema::boolArg(CallExpr &call, CallArg *arg,
                                  StringRef param) {
  auto *b = dyn_cast<BoolExpr>(arg->value.get());
  if (!b) {
    diag.error(arg->loc, argRef(call, param) + " must be true or false, got " +
                             describeExpr(*arg->value));
    return std::nullopt;
  }
  b->type = TensorType(DType::Bool);
  return b->value;
}

std::optional<llvm::SmallVector<int64_t, 4>>
Sema::intListArg(CallExpr &call, CallArg *arg, StringRef param) {
  llvm::SmallVector<int64_t, 4> values;
  auto *list = dyn_cast<ListExpr>(arg->value.get());
  if (!list) {
    std::optional<int64_t> v = intArg(call, arg, param);
    if (!v)
      return std::nullopt;
    values.push_back(*v);
    return values;
  }
  bool ok = true;
  for (auto &el : list->elements) {
    std::optional<int64_t> v =
        evalInt(*el, "each element of " + argRef(call, param));
    ok &= v.has_value();
    if (v)
      values.push_back(*v);
  }
  if (!ok)
    return std::nullopt;
  return values;
}

std::optional<int64_t> Sema::normalizeAxis(int64_t axis, const TensorType &t,
                                           SMLoc loc) {
  int64_t rank = t.rank();
  if (axis >= -rank && axis < rank && rank > 0)
    return axis < 0 ? axis + rank : axis;
  if (rank == 0)
    diag.error(loc, "axis " + Twine(axis) + " is out of range for " + t.str() +
                        ": a scalar has no axes");
  else
    diag.error(loc, "axis " + Twine(axis) + " is out of range for " + t.str() +
                        " (rank " + Twine(rank) + "); valid axes are " +
                        Twine(-rank) + " to " + Twine(rank - 1));
  return std::nullopt;
}

bool Sema::requireFloat(CallExpr &call, const TensorType &t, SMLoc loc,
                        StringRef param) {
  if (isFloat(t.dtype))
    return true;
  diag.error(loc, argRef(call, param) + " must be floating point, got " +
                      t.str() + "; use cast(" + param + ", f32)");
  return false;
}

bool Sema::requireNumeric(CallExpr &call, const TensorType &t, SMLoc loc,
                          StringRef param) {
  if (t.dtype != DType::Bool)
    return true;
  diag.error(loc, argRef(call, param) + " must be numeric, got " + t.str());
  return false;
}

bool Sema::requireRank(CallExpr &call, const TensorType &t, unsigned rank,
                       SMLoc loc, StringRef param, StringRef layout) {
  if (t.rank() == rank)
    return true;
  diag.error(loc, argRef(call, param) + " must have rank " + Twine(rank) +
                      " (" + layout + "), got " + t.str());
  return false;
}

//===----------------------------------------------------------------------===//
// Dispatch
//===----------------------------------------------------------------------===//

bool Sema::checkBuiltin(CallExpr &e, Builtin b, std::optional<DType> hint) {
  e.builtin = b;
  BoundArgs a;
  if (!bindArgs(e, b, a))
    return false;
  switch (b) {
  case Builtin::Sum:
  case Builtin::Mean:
  case Builtin::Max:
  case Builtin::Min:
  case Builtin::Argmax:
  case Builtin::Softmax:
  case Builtin::LogSoftmax:
    return checkReduction(e, b, a);
  case Builtin::LayerNorm:
  case Builtin::RmsNorm:
    return checkNorm(e, b, a);
  case Builtin::CrossEntropy:
  case Builtin::Mse:
    return checkLoss(e, b, a);
  case Builtin::Transpose:
  case Builtin::Permute:
  case Builtin::Reshape:
  case Builtin::BroadcastTo:
  case Builtin::Concat:
  case Builtin::Slice:
  case Builtin::Embedding:
  case Builtin::OneHot:
  case Builtin::Conv2d:
  case Builtin::MaxPool2d:
  case Builtin::AvgPool2d:
  case Builtin::CausalMask:
    return checkShapeBuiltin(e, b, a);
  default:
    return checkElementwise(e, b, a, hint);
  }
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

bool Sema::checkElementwise(CallExpr &e, Builtin b, const BoundArgs &a,
                            std::optional<DType> hint) {
  BuiltinAttrs &attrs = e.attrs;
  CallArg *xArg = a[0];
  switch (b) {
  case Builtin::Where: {
    const TensorType *c = tensorArg(e, a[0], "c");
    bool ok = c != nullptr;
    if (c && c->dtype != DType::Bool) {
      diag.error(a[0]->loc, argRef(e, "c") + " must be bool, got " + c->str() +
                                "; compare to get one, e.g. x > 0");
      ok = false;
    }
    Expr &av = *a[1]->value, &bv = *a[2]->value;
    for (CallArg *arg : {a[1], a[2]})
      if (isa<ListExpr, StringExpr>(*arg->value)) {
        diag.error(arg->loc, argRef(e, arg == a[1] ? "a" : "b") +
                                 " must be a tensor, got " +
                                 describeExpr(*arg->value));
        return false;
      }
    if (!checkOperandPair(av, bv, hint) || !ok)
      return false;
    if (!checkSameDType(av, bv, e.loc, "'where'"))
      return false;
    auto ab = broadcast(av, bv, e.loc);
    if (!ab)
      return false;
    unsigned bad = 0;
    auto shape = broadcastShapes(c->shape, *ab, &bad);
    if (!shape) {
      diag.error(a[0]->loc, "cannot broadcast the condition " + c->str() +
                                " of 'where' with its values " +
                                TensorType(av.type->dtype, *ab).str());
      return false;
    }
    attrs.operands = {a[0]->value.get(), &av, &bv};
    return setType(e, TensorType(av.type->dtype, *shape));
  }
  case Builtin::Cast: {
    const TensorType *x = tensorArg(e, xArg, "x");
    auto *n = dyn_cast<NameExpr>(a[1]->value.get());
    std::optional<DType> to = n ? lookupDType(n->name) : std::nullopt;
    if (!to) {
      diag.error(a[1]->loc, argRef(e, "dtype") +
                                " must be an element type such as f32, got " +
                                describeExpr(*a[1]->value));
      return false;
    }
    if (!x)
      return false;
    attrs.dtype = *to;
    attrs.operands = {xArg->value.get()};
    return setType(e, TensorType(*to, x->shape));
  }
  default:
    break;
  }

  // The rest take one tensor `x` first.
  bool needsFloat = b != Builtin::Abs && b != Builtin::MaskedFill;
  const TensorType *x =
      tensorArg(e, xArg, "x", needsFloat ? std::optional(DType::F32) : hint);
  if (!x)
    return false;
  if (needsFloat ? !requireFloat(e, *x, xArg->loc, "x")
                 : !requireNumeric(e, *x, xArg->loc, "x"))
    return false;
  attrs.operands = {xArg->value.get()};
  switch (b) {
  case Builtin::Gelu:
    if (CallArg *approx = a[1]) {
      auto *s = dyn_cast<StringExpr>(approx->value.get());
      if (!s || (s->value != "none" && s->value != "tanh")) {
        diag.error(approx->loc, argRef(e, "approximate") +
                                    " must be \"none\" or \"tanh\", got " +
                                    (s ? "\"" + quoteForMessage(s->value) + "\""
                                       : describeExpr(*approx->value)));
        return false;
      }
      attrs.approximateTanh = s->value == "tanh";
    }
    break;
  case Builtin::Pow: {
    std::optional<double> exponent = numberArg(e, a[1], "e", x->dtype);
    if (!exponent)
      return false;
    attrs.scalar = *exponent;
    break;
  }
  case Builtin::Dropout: {
    std::optional<double> p = numberArg(e, a[1], "p", x->dtype);
    if (!p || !checkRange(*p >= 0 && *p < 1, *p, a[1]->loc, argRef(e, "p"),
                          "in [0, 1)"))
      return false;
    attrs.scalar = *p;
    break;
  }
  case Builtin::MaskedFill: {
    const TensorType *mask = tensorArg(e, a[1], "mask");
    if (!mask)
      return false;
    if (mask->dtype != DType::Bool) {
      diag.error(a[1]->loc,
                 argRef(e, "mask") + " must be bool, got " + mask->str());
      return false;
    }
    auto shape = broadcastShapes(mask->shape, x->shape);
    if (!shape || *shape != x->shape) {
      diag.error(a[1]->loc, argRef(e, "mask") + " " + mask->str() +
                                " does not broadcast to the shape of x, " +
                                x->str());
      noteDeclOf(a[1]->value.get());
      return false;
    }
    literalPartner = xArg->value.get();
    std::optional<double> value = numberArg(e, a[2], "value", x->dtype);
    literalPartner = nullptr;
    if (!value)
      return false;
    attrs.scalar = *value;
    attrs.operands.push_back(a[1]->value.get());
    break;
  }
  default:
    break;
  }
  return setType(e, *x);
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

bool Sema::checkReduction(CallExpr &e, Builtin b, const BoundArgs &a) {
  BuiltinAttrs &attrs = e.attrs;
  bool isSoftmax = b == Builtin::Softmax || b == Builtin::LogSoftmax;
  bool needsFloat = isSoftmax || b == Builtin::Mean;
  const TensorType *x = tensorArg(
      e, a[0], "x", needsFloat ? std::optional(DType::F32) : std::nullopt);
  if (!x)
    return false;
  if (needsFloat ? !requireFloat(e, *x, a[0]->loc, "x")
                 : !requireNumeric(e, *x, a[0]->loc, "x"))
    return false;
  attrs.operands = {a[0]->value.get()};

  if (isSoftmax) {
    int64_t axis = -1;
    SMLoc loc = e.calleeLoc;
    if (a[1]) {
      std::optional<int64_t> v = intArg(e, a[1], "axis");
      if (!v)
        return false;
      axis = *v;
      loc = a[1]->loc;
    }
    std::optional<int64_t> norm = normalizeAxis(axis, *x, loc);
    if (!norm)
      return false;
    attrs.axes = {*norm};
    return setType(e, *x);
  }

  if (a[2]) {
    std::optional<bool> keep = boolArg(e, a[2], "keepdim");
    if (!keep)
      return false;
    attrs.keepdim = *keep;
  }
  if (!a[1]) {
    for (unsigned i = 0; i < x->rank(); ++i)
      attrs.axes.push_back(i);
  } else {
    if (b == Builtin::Argmax && isa<ListExpr>(*a[1]->value)) {
      diag.error(a[1]->loc,
                 argRef(e, "axis") + " must be a single integer, got a list");
      return false;
    }
    auto axes = intListArg(e, a[1], "axis");
    if (!axes)
      return false;
    if (axes->empty()) {
      diag.error(a[1]->loc, "the axis list of '" + e.callee +
                                "' is empty; omit axis to reduce over all "
                                "axes");
      return false;
    }
    auto *list = dyn_cast<ListExpr>(a[1]->value.get());
    for (unsigned i = 0; i < axes->size(); ++i) {
      SMLoc loc = list ? list->elements[i]->loc : a[1]->loc;
      std::optional<int64_t> norm = normalizeAxis((*axes)[i], *x, loc);
      if (!norm)
        return false;
      if (llvm::is_contained(attrs.axes, *norm)) {
        diag.error(loc, "axis " + Twine(*norm) + " appears twice in " +
                            argRef(e, "axis"));
        return false;
      }
      attrs.axes.push_back(*norm);
    }
    llvm::sort(attrs.axes);
  }
  TensorType result(b == Builtin::Argmax ? DType::I64 : x->dtype);
  for (unsigned i = 0; i < x->rank(); ++i) {
    if (!llvm::is_contained(attrs.axes, int64_t(i)))
      result.shape.push_back(x->shape[i]);
    else if (attrs.keepdim)
      result.shape.push_back(Dim(1));
  }
  return setType(e, std::move(result));
}

//===----------------------------------------------------------------------===//
// Normalization and losses
//===----------------------------------------------------------------------===//

bool Sema::checkNorm(CallExpr &e, Builtin b, const BoundArgs &a) {
  BuiltinAttrs &attrs = e.attrs;
  bool isLayerNorm = b == Builtin::LayerNorm;
  const TensorType *x = tensorArg(e, a[0], "x", DType::F32);
  const TensorType *gamma = tensorArg(e, a[1], "gamma");
  const TensorType *beta = isLayerNorm ? tensorArg(e, a[2], "beta") : nullptr;
  if (!x || !gamma || (isLayerNorm && !beta))
    return false;
  if (!requireFloat(e, *x, a[0]->loc, "x"))
    return false;
  if (gamma->dtype != x->dtype) {
    diag.error(a[1]->loc, argRef(e, "gamma") + " must have x's element type " +
                              dtypeName(x->dtype) + ", got " + gamma->str());
    return false;
  }
  llvm::ArrayRef<Dim> xs = x->shape;
  if (gamma->rank() == 0 || gamma->rank() > x->rank() ||
      xs.take_back(gamma->rank()) != llvm::ArrayRef<Dim>(gamma->shape)) {
    diag.error(a[1]->loc,
               argRef(e, "gamma") + " " + gamma->str() +
                   " must match the trailing dims of x " + x->str() + "; '" +
                   e.callee +
                   "' normalizes over the trailing dims given by gamma's "
                   "shape");
    noteDeclOf(a[1]->value.get());
    return false;
  }
  if (beta && *beta != *gamma) {
    diag.error(a[2]->loc, argRef(e, "beta") + " must have gamma's type " +
                              gamma->str() + ", got " + beta->str());
    noteDeclOf(a[2]->value.get());
    return false;
  }
  CallArg *epsArg = a[isLayerNorm ? 3 : 2];
  attrs.scalar = isLayerNorm ? 1e-5 : 1e-6;
  if (epsArg) {
    std::optional<double> eps = numberArg(e, epsArg, "eps", x->dtype);
    if (!eps ||
        !checkRange(*eps > 0, *eps, epsArg->loc, argRef(e, "eps"), "> 0"))
      return false;
    attrs.scalar = *eps;
  }
  for (unsigned i = x->rank() - gamma->rank(); i < x->rank(); ++i)
    attrs.axes.push_back(i);
  attrs.operands = {a[0]->value.get(), a[1]->value.get()};
  if (beta)
    attrs.operands.push_back(a[2]->value.get());
  return setType(e, *x);
}

bool Sema::checkLoss(CallExpr &e, Builtin b, const BoundArgs &a) {
  BuiltinAttrs &attrs = e.attrs;
  if (b == Builtin::Mse) {
    const TensorType *l = tensorArg(e, a[0], "a", DType::F32);
    const TensorType *r = tensorArg(e, a[1], "b", DType::F32);
    if (!l || !r || !requireFloat(e, *l, a[0]->loc, "a") ||
        !requireFloat(e, *r, a[1]->loc, "b") ||
        !checkSameDType(*a[0]->value, *a[1]->value, e.loc, "'mse'"))
      return false;
    if (l->shape != r->shape) {
      diag.error(a[1]->loc, "'mse' needs operands of the same shape, got " +
                                l->str() + " and " + r->str());
      return false;
    }
    attrs.operands = {a[0]->value.get(), a[1]->value.get()};
    return setType(e, TensorType(l->dtype));
  }

  const TensorType *logits = tensorArg(e, a[0], "logits");
  const TensorType *labels = tensorArg(e, a[1], "labels");
  if (!logits || !labels)
    return false;
  if (!requireFloat(e, *logits, a[0]->loc, "logits") ||
      !requireRank(e, *logits, 2, a[0]->loc, "logits", "[N, C]"))
    return false;
  if (!isInteger(labels->dtype)) {
    diag.error(a[1]->loc, argRef(e, "labels") + " must be i32 or i64, got " +
                              labels->str() + "; labels are class indices");
    return false;
  }
  if (!requireRank(e, *labels, 1, a[1]->loc, "labels", "[N]"))
    return false;
  if (labels->shape[0] != logits->shape[0]) {
    diag.error(a[1]->loc, "'cross_entropy' needs one label per row: logits " +
                              logits->str() +
                              " have N = " + logits->shape[0].str() +
                              " but labels " + labels->str() + " have " +
                              labels->shape[0].str());
    noteDeclOf(a[1]->value.get());
    return false;
  }
  attrs.operands = {a[0]->value.get(), a[1]->value.get()};
  return setType(e, TensorType(logits->dtype));
}
