//===- SemaShapeBuiltins.cpp - Shape, lookup, conv and attention builtins -===//

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

static std::string argRef(const CallExpr &call, StringRef param) {
  return ("'" + param + "' of '" + call.callee + "'").str();
}

static std::string shapeText(llvm::ArrayRef<Dim> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + shape[i].str();
  return s + "]";
}

bool Sema::checkShapeBuiltin(CallExpr &e, Builtin b, const BoundArgs &a) {
  switch (b) {
  case Builtin::Transpose:
  case Builtin::Permute:
    return checkTransposePermute(e, b, a);
  case Builtin::Reshape:
  case Builtin::BroadcastTo:
    return checkReshape(e, b, a);
  case Builtin::Concat:
    return checkConcat(e, a);
  case Builtin::Slice:
    return checkSlice(e, a);
  case Builtin::Embedding:
  case Builtin::OneHot:
    return checkLookup(e, b, a);
  case Builtin::Conv2d:
  case Builtin::MaxPool2d:
  case Builtin::AvgPool2d:
    return checkConvPool(e, b, a);
  case Builtin::CausalMask:
    return checkCausalMask(e, a);
  default:
    return false;
  }
}

bool Sema::checkTransposePermute(CallExpr &e, Builtin b, const BoundArgs &a) {
  const TensorType *x = tensorArg(e, a[0], "x");
  if (!x)
    return false;
  BuiltinAttrs &attrs = e.attrs;
  attrs.operands = {a[0]->value.get()};
  TensorType result(x->dtype);
  if (b == Builtin::Transpose) {
    for (unsigned i : {1u, 2u}) {
      std::optional<int64_t> v = intArg(e, a[i], i == 1 ? "a" : "b");
      if (!v)
        return false;
      std::optional<int64_t> axis = normalizeAxis(*v, *x, a[i]->loc);
      if (!axis)
        return false;
      attrs.axes.push_back(*axis);
    }
    result.shape = x->shape;
    std::swap(result.shape[attrs.axes[0]], result.shape[attrs.axes[1]]);
    return setType(e, std::move(result));
  }

  auto *list = dyn_cast<ListExpr>(a[1]->value.get());
  if (!list) {
    diag.error(a[1]->loc, argRef(e, "dims") +
                              " must be a list of axes, such as [0, 2, 1]");
    return false;
  }
  if (list->elements.size() != x->rank()) {
    diag.error(a[1]->loc, "'permute' needs one axis per dim of x " + x->str() +
                              " (rank " + Twine(x->rank()) + "), got " +
                              Twine(list->elements.size()));
    return false;
  }
  for (auto &el : list->elements) {
    std::optional<int64_t> v = evalInt(*el, "each axis of 'permute'");
    if (!v)
      return false;
    std::optional<int64_t> axis = normalizeAxis(*v, *x, el->loc);
    if (!axis)
      return false;
    if (llvm::is_contained(attrs.axes, *axis)) {
      diag.error(el->loc, "axis " + Twine(*axis) +
                              " appears twice in the permutation; each axis "
                              "must appear once");
      return false;
    }
    attrs.axes.push_back(*axis);
    result.shape.push_back(x->shape[*axis]);
  }
  return setType(e, std::move(result));
}

std::optional<llvm::SmallVector<ShapeDim, 4>>
Sema::shapeListArg(CallExpr &call, CallArg *arg, StringRef param,
                   bool allowInferred) {
  auto *list = dyn_cast<ListExpr>(arg->value.get());
  if (!list) {
    diag.error(arg->loc, argRef(call, param) +
                             " must be a list of dims, such as [B, 64]");
    return std::nullopt;
  }
  llvm::SmallVector<ShapeDim, 4> dims;
  bool ok = true;
  SMLoc firstInferred;
  for (auto &el : list->elements) {
    std::optional<ShapeDim> d = evalShapeDim(*el, allowInferred);
    if (!d) {
      ok = false;
      continue;
    }
    if (d->inferred) {
      if (firstInferred.isValid()) {
        diag.error(el->loc, "only one dim of a reshape can be -1");
        diag.note(firstInferred, "the first -1 is here");
        ok = false;
      }
      firstInferred = el->loc;
    }
    dims.push_back(std::move(*d));
  }
  if (!ok)
    return std::nullopt;
  return dims;
}

bool Sema::checkReshape(CallExpr &e, Builtin b, const BoundArgs &a) {
  const TensorType *x = tensorArg(e, a[0], "x");
  auto target = shapeListArg(e, a[1], "shape", b == Builtin::Reshape);
  if (!x || !target)
    return false;
  BuiltinAttrs &attrs = e.attrs;
  attrs.operands = {a[0]->value.get()};
  if (target->size() > kMaxRank) {
    diag.error(a[1]->loc, "the shape has " + Twine(target->size()) +
                              " dims; tensors have at most " + Twine(kMaxRank));
    return false;
  }
  for (const ShapeDim &d : *target)
    attrs.shape.push_back(d.dim);

  if (b == Builtin::BroadcastTo) {
    std::string to = shapeText(attrs.shape);
    if (x->rank() > target->size()) {
      diag.error(a[1]->loc, "cannot broadcast " + x->str() + " to " + to +
                                ": the target has fewer dims");
      return false;
    }
    unsigned offset = target->size() - x->rank();
    for (unsigned i = 0; i < x->rank(); ++i) {
      const Dim &from = x->shape[i], &want = attrs.shape[i + offset];
      if (from.isOne() || from == want)
        continue;
      diag.error(a[1]->loc, "cannot broadcast " + x->str() + " to " + to +
                                ": dim " + Twine(i) + " is " + from.str() +
                                ", which is neither 1 nor " + want.str());
      return false;
    }
    return setType(e, TensorType(x->dtype, attrs.shape));
  }

  std::optional<Dim> numel = x->numElements();
  Dim known(1);
  int inferredAt = -1;
  for (unsigned i = 0; i < target->size(); ++i) {
    if ((*target)[i].inferred) {
      inferredAt = i;
      continue;
    }
    std::optional<Dim> p = Dim::mul(known, (*target)[i].dim);
    if (!p) {
      diag.error(a[1]->loc, "the shape " + shapeText(attrs.shape) +
                                " has too many elements: the count must fit "
                                "in 63 bits");
      return false;
    }
    known = std::move(*p);
  }
  if (!numel)
    return false;
  if (inferredAt >= 0) {
    std::optional<Dim> rest = Dim::div(*numel, known);
    if (!rest) {
      diag.error(a[1]->loc, "cannot infer the -1 in 'reshape': the " +
                                numel->str() + " elements of " + x->str() +
                                " are not a multiple of " + known.str());
      return false;
    }
    attrs.shape[inferredAt] = *rest;
  } else if (known != *numel) {
    diag.error(a[1]->loc,
               "'reshape' cannot change the element count: " + x->str() +
                   " has " + numel->str() + " elements, the shape " +
                   shapeText(attrs.shape) + " has " + known.str());
    return false;
  }
  return setType(e, TensorType(x->dtype, attrs.shape));
}

bool Sema::checkConcat(CallExpr &e, const BoundArgs &a) {
  auto *list = dyn_cast<ListExpr>(a[0]->value.get());
  if (!list || list->elements.empty()) {
    diag.error(a[0]->loc, argRef(e, "tensors") +
                              " must be a non-empty list of tensors, such as "
                              "[a, b]");
    return false;
  }
  bool ok = true;
  for (auto &el : list->elements)
    ok &= checkExpr(*el);
  std::optional<int64_t> v = intArg(e, a[1], "axis");
  if (!ok || !v)
    return false;
  const Expr &first = *list->elements[0];
  const TensorType &t0 = *first.type;
  std::optional<int64_t> axis = normalizeAxis(*v, t0, a[1]->loc);
  if (!axis)
    return false;
  BuiltinAttrs &attrs = e.attrs;
  Dim total = t0.shape[*axis];
  for (size_t i = 1; i < list->elements.size(); ++i) {
    const Expr &el = *list->elements[i];
    const TensorType &t = *el.type;
    if (!checkSameDType(first, el, el.loc, "'concat'"))
      return false;
    if (t.rank() != t0.rank()) {
      diag.error(el.loc, "'concat' needs tensors of the same rank, got " +
                             t0.str() + " and " + t.str());
      return false;
    }
    for (unsigned d = 0; d < t.rank(); ++d) {
      if (d == *axis || t.shape[d] == t0.shape[d])
        continue;
      diag.error(el.loc, "'concat' along axis " + Twine(*axis) + ": dim " +
                             Twine(d) + " is " + t0.shape[d].str() + " in " +
                             t0.str() + " but " + t.shape[d].str() + " in " +
                             t.str());
      return false;
    }
    // Sizes add up only when they are multiples of the same symbols.
    const Dim &s = t.shape[*axis];
    if (s.syms != total.syms) {
      diag.error(el.loc, "'concat' along axis " + Twine(*axis) +
                             " cannot add " + total.str() + " and " + s.str() +
                             ": the size would not be a product of dims; "
                             "concatenate along a dim that is static or the "
                             "same symbol");
      return false;
    }
    if (__builtin_add_overflow(total.coeff, s.coeff, &total.coeff)) {
      diag.error(el.loc, "'concat' result is too large: the size along axis " +
                             Twine(*axis) + " must fit in 63 bits");
      return false;
    }
  }
  for (auto &el : list->elements)
    attrs.operands.push_back(el.get());
  attrs.axes = {*axis};
  TensorType result = t0;
  result.shape[*axis] = total;
  return setType(e, std::move(result));
}

bool Sema::checkSlice(CallExpr &e, const BoundArgs &a) {
  const TensorType *x = tensorArg(e, a[0], "x");
  std::optional<int64_t> axisV = intArg(e, a[1], "axis");
  std::optional<int64_t> start = intArg(e, a[2], "start");
  std::optional<int64_t> end = intArg(e, a[3], "end");
  if (!x || !axisV || !start || !end)
    return false;
  std::optional<int64_t> axis = normalizeAxis(*axisV, *x, a[1]->loc);
  if (!axis)
    return false;
  const Dim &d = x->shape[*axis];
  if (!d.isStatic()) {
    diag.error(a[1]->loc, "'slice' needs a static dim along axis " +
                              Twine(*axis) + ", but x is " + x->str());
    return false;
  }
  if (!(0 <= *start && *start < *end && *end <= d.coeff)) {
    diag.error(a[2]->loc, "'slice' range [" + Twine(*start) + ", " +
                              Twine(*end) + ") is invalid for a dim of size " +
                              Twine(d.coeff) +
                              "; it needs 0 <= start < end "
                              "<= " +
                              Twine(d.coeff));
    return false;
  }
  BuiltinAttrs &attrs = e.attrs;
  attrs.operands = {a[0]->value.get()};
  attrs.axes = {*axis};
  attrs.ints = {*start, *end};
  TensorType result = *x;
  result.shape[*axis] = Dim(*end - *start);
  return setType(e, std::move(result));
}

bool Sema::checkLookup(CallExpr &e, Builtin b, const BoundArgs &a) {
  BuiltinAttrs &attrs = e.attrs;
  if (b == Builtin::Embedding) {
    const TensorType *table = tensorArg(e, a[0], "table");
    const TensorType *ids = tensorArg(e, a[1], "ids");
    if (!table || !ids || !requireFloat(e, *table, a[0]->loc, "table") ||
        !requireRank(e, *table, 2, a[0]->loc, "table", "[V, D]"))
      return false;
    if (!isInteger(ids->dtype)) {
      diag.error(a[1]->loc,
                 argRef(e, "ids") + " must be i32 or i64, got " + ids->str());
      return false;
    }
    attrs.operands = {a[0]->value.get(), a[1]->value.get()};
    TensorType result(table->dtype, ids->shape);
    result.shape.push_back(table->shape[1]);
    return setType(e, std::move(result));
  }

  const TensorType *ids = tensorArg(e, a[0], "ids");
  std::optional<int64_t> n = intArg(e, a[1], "n");
  if (!ids || !n)
    return false;
  if (!isInteger(ids->dtype)) {
    diag.error(a[0]->loc,
               argRef(e, "ids") + " must be i32 or i64, got " + ids->str());
    return false;
  }
  if (*n < 1) {
    diag.error(a[1]->loc, argRef(e, "n") +
                              " (the number of classes) must be "
                              "at least 1, got " +
                              Twine(*n));
    return false;
  }
  attrs.dtype = DType::I64;
  if (CallArg *dt = a[2]) {
    auto *name = dyn_cast<NameExpr>(dt->value.get());
    std::optional<DType> d = name ? lookupDType(name->name) : std::nullopt;
    if (!d) {
      diag.error(dt->loc, argRef(e, "dtype") +
                              " must be an element type such as f32, got " +
                              describeExpr(*dt->value));
      return false;
    }
    attrs.dtype = *d;
  }
  attrs.operands = {a[0]->value.get()};
  attrs.ints = {*n};
  TensorType result(attrs.dtype, ids->shape);
  result.shape.push_back(Dim(*n));
  return setType(e, std::move(result));
}

std::optional<std::array<int64_t, 2>>
Sema::pairArg(CallExpr &call, CallArg *arg, StringRef param, int64_t min) {
  auto values = intListArg(call, arg, param);
  if (!values)
    return std::nullopt;
  if (values->size() != 1 && values->size() != 2) {
    diag.error(arg->loc, argRef(call, param) +
                             " must be an integer or a list [h, w], got a "
                             "list of " +
                             Twine(values->size()));
    return std::nullopt;
  }
  std::array<int64_t, 2> pair = {values->front(), values->back()};
  for (int64_t v : pair) {
    if (v >= min)
      continue;
    diag.error(arg->loc, argRef(call, param) + " must be at least " +
                             Twine(min) + ", got " + Twine(v));
    return std::nullopt;
  }
  return pair;
}

bool Sema::checkConvPool(CallExpr &e, Builtin b, const BoundArgs &a) {
  BuiltinAttrs &attrs = e.attrs;
  bool isConv = b == Builtin::Conv2d;
  const TensorType *x = tensorArg(e, a[0], "x", DType::F32);
  if (!x || !requireFloat(e, *x, a[0]->loc, "x") ||
      !requireRank(e, *x, 4, a[0]->loc, "x", "[N, C, H, W]"))
    return false;
  if (!x->shape[2].isStatic() || !x->shape[3].isStatic()) {
    diag.error(a[0]->loc, "'" + e.callee + "' needs static H and W, but x " +
                              "is " + x->str() +
                              "; symbolic image sizes are not supported");
    return false;
  }
  attrs.operands = {a[0]->value.get()};
  std::array<int64_t, 2> kernel, stride = {1, 1}, padding = {0, 0};
  Dim channelsOut = x->shape[1];
  if (isConv) {
    const TensorType *w = tensorArg(e, a[1], "w");
    if (!w || !requireRank(e, *w, 4, a[1]->loc, "w", "[O, C, KH, KW]") ||
        !checkSameDType(*a[0]->value, *a[1]->value, e.loc, "'conv2d'"))
      return false;
    if (w->shape[1] != x->shape[1]) {
      diag.error(a[1]->loc, "'conv2d': x " + x->str() +
                                " has C = " + x->shape[1].str() +
                                " channels, but w " + w->str() +
                                " (laid out [O, C, KH, KW]) "
                                "expects " +
                                w->shape[1].str());
      noteDeclOf(a[1]->value.get());
      return false;
    }
    if (!w->shape[2].isStatic() || !w->shape[3].isStatic()) {
      diag.error(a[1]->loc,
                 "'conv2d' needs a static kernel size, but w is " + w->str());
      return false;
    }
    kernel = {w->shape[2].coeff, w->shape[3].coeff};
    channelsOut = w->shape[0];
    attrs.operands.push_back(a[1]->value.get());
    if (CallArg *biasArg = a[4]) {
      const TensorType *bias = tensorArg(e, biasArg, "bias");
      if (!bias)
        return false;
      TensorType want(x->dtype, {channelsOut});
      if (*bias != want) {
        diag.error(biasArg->loc, argRef(e, "bias") + " must be " + want.str() +
                                     " (one value per output "
                                     "channel), got " +
                                     bias->str());
        return false;
      }
      attrs.operands.push_back(biasArg->value.get());
    }
    if (a[2]) {
      auto s = pairArg(e, a[2], "stride", 1);
      if (!s)
        return false;
      stride = *s;
    }
    if (a[3]) {
      auto p = pairArg(e, a[3], "padding", 0);
      if (!p)
        return false;
      padding = *p;
    }
  } else {
    auto k = pairArg(e, a[1], "kernel", 1);
    if (!k)
      return false;
    kernel = stride = *k;
    if (a[2]) {
      auto s = pairArg(e, a[2], "stride", 1);
      if (!s)
        return false;
      stride = *s;
    }
    if (a[3]) {
      auto p = pairArg(e, a[3], "padding", 0);
      if (!p)
        return false;
      padding = *p;
      for (unsigned i = 0; i < 2; ++i) {
        if (padding[i] <= kernel[i] / 2)
          continue;
        diag.error(a[3]->loc, argRef(e, "padding") +
                                  " must be at most half "
                                  "the kernel, got " +
                                  Twine(padding[i]) + " for a kernel of " +
                                  Twine(kernel[i]));
        return false;
      }
    }
  }

  TensorType result(x->dtype, {x->shape[0], channelsOut});
  for (unsigned i = 0; i < 2; ++i) {
    // floor((H + 2*pad - K) / stride) + 1, in 128 bits: every input is an
    // int64 the user chose.
    __int128 in = x->shape[2 + i].coeff;
    __int128 span = in + 2 * (__int128)padding[i] - kernel[i];
    if (span < 0) {
      diag.error(e.calleeLoc,
                 "'" + e.callee + "' output " + (i ? "width" : "height") +
                     " would be less than 1: the kernel (" + Twine(kernel[i]) +
                     ") is larger than the padded input (" +
                     Twine(int64_t(in)) + " + 2*" + Twine(padding[i]) +
                     "); use a smaller kernel or more padding");
      return false;
    }
    __int128 out = span / stride[i] + 1;
    if (out > INT64_MAX) {
      diag.error(e.calleeLoc, "'" + e.callee +
                                  "' output is too large: sizes must fit in "
                                  "63 bits");
      return false;
    }
    result.shape.push_back(Dim(int64_t(out)));
  }
  attrs.kernel = {kernel[0], kernel[1]};
  attrs.stride = {stride[0], stride[1]};
  attrs.padding = {padding[0], padding[1]};
  return setType(e, std::move(result));
}

bool Sema::checkCausalMask(CallExpr &e, const BoundArgs &a) {
  std::optional<ShapeDim> t = evalShapeDim(*a[0]->value, false);
  if (!t)
    return false;
  e.attrs.shape = {t->dim};
  return setType(e, TensorType(DType::Bool, {t->dim, t->dim}));
}
