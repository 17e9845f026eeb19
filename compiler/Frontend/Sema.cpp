//===- Sema.cpp - Declarations, types, functions and recursion ------------===//

#include "compiler/Frontend/Sema.h"

#include "compiler/Frontend/Lexer.h"
#include "compiler/Frontend/SemaImpl.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Casting.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <deque>

using namespace tensorc;
using namespace tensorc::sema;
using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;
using llvm::SMLoc;
using llvm::StringRef;
using llvm::Twine;

bool tensorc::checkModel(Model &model, DiagnosticEngine &diag) {
  unsigned before = diag.errorCount();
  Sema(model, diag).run();
  return diag.errorCount() == before;
}

bool Sema::run() {
  unsigned before = diag.errorCount();
  declareGlobals();
  for (auto &p : model.params) {
    if (diag.shouldStop())
      return false;
    checkParam(*p);
  }
  // Signatures first: a call is typed from its callee's declared types.
  for (unsigned i = 0; i < model.fns.size(); ++i) {
    if (diag.shouldStop())
      return false;
    FnDecl *fn = model.fns[i].get();
    fnIndex[fn] = i;
    for (auto &arg : fn->args)
      resolveType(arg->type);
    resolveType(fn->result);
  }
  calls.assign(model.fns.size(), {});
  for (unsigned i = 0; i < model.fns.size(); ++i) {
    if (diag.shouldStop())
      return false;
    checkFunction(*model.fns[i], i);
  }
  checkRecursion();
  if (model.train && !diag.shouldStop())
    checkTrain(*model.train);
  if (model.fns.empty())
    diag.error(model.loc, "model '" + quoteForMessage(model.name) +
                              "' has no functions; add one with 'fn NAME(ARG: "
                              "TYPE) -> TYPE { return ... }'");
  return diag.errorCount() == before;
}

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//

StringRef Sema::declKindName(const Decl &d) {
  switch (d.getKind()) {
  case Decl::Kind::Dim:
    return "dim";
  case Decl::Kind::Const:
    return "const";
  case Decl::Kind::Param:
    return "param";
  case Decl::Kind::Fn:
    return "function";
  case Decl::Kind::Arg:
    return "argument";
  case Decl::Kind::Let:
    return "let binding";
  case Decl::Kind::Train:
    return "train clause";
  }
  return "name";
}

std::string Sema::aDeclKind(const Decl &d) {
  StringRef kind = declKindName(d);
  return (kind == "argument" ? "an " : "a ") + kind.str();
}

void Sema::declareGlobals() {
  // In source order, so that "redefinition" points at the later one.
  std::vector<Decl *> decls;
  for (auto &d : model.dims)
    decls.push_back(d.get());
  for (auto &c : model.consts)
    decls.push_back(c.get());
  for (auto &p : model.params)
    decls.push_back(p.get());
  for (auto &f : model.fns)
    decls.push_back(f.get());
  llvm::sort(decls, [](const Decl *a, const Decl *b) {
    return a->loc.getPointer() < b->loc.getPointer();
  });
  for (Decl *d : decls) {
    if (diag.shouldStop())
      return;
    declareGlobal(*d);
  }
}

void Sema::declareGlobal(Decl &d) {
  std::string name = quoteForMessage(d.name);
  if (lookupDType(d.name)) {
    diag.error(d.loc, "'" + name + "' is an element type and cannot name a " +
                          declKindName(d) + "; choose another name");
    return;
  }
  if (isa<FnDecl>(d) && lookupBuiltin(d.name)) {
    diag.error(d.loc, "function '" + name +
                          "' has the name of a builtin; choose another name");
    return;
  }
  auto [it, inserted] = globals.try_emplace(d.name, &d);
  if (inserted)
    return;
  Decl *prev = it->second;
  diag.error(d.loc, "redefinition of '" + name +
                        "'; dims, consts, params and functions share one "
                        "namespace");
  diag.note(prev->loc,
            "'" + name + "' is first declared here as " + aDeclKind(*prev));
}

Decl *Sema::lookup(StringRef name) const {
  auto it = locals.find(name);
  if (it != locals.end())
    return it->second;
  auto git = globals.find(name);
  return git == globals.end() ? nullptr : git->second;
}

std::string Sema::suggest(StringRef name,
                          llvm::ArrayRef<StringRef> candidates) {
  // Long names get no suggestion: edit distance is quadratic in the length.
  // Nor do one-letter names: every other one-letter name is as close.
  if (name.size() > 64 || name.size() < 2)
    return "";
  unsigned maxDist = name.size() <= 3 ? 1 : name.size() / 3 + 1;
  std::string best;
  unsigned bestDist = maxDist + 1;
  for (StringRef c : candidates) {
    size_t diff = c.size() > name.size() ? c.size() - name.size()
                                         : name.size() - c.size();
    if (diff > maxDist || c.size() > 64 || c == name)
      continue;
    unsigned d = name.edit_distance(c, true, maxDist);
    if (d < bestDist) {
      bestDist = d;
      best = c.str();
    }
  }
  return best;
}

void Sema::reportUnknownName(SMLoc loc, StringRef name, StringRef what,
                             llvm::function_ref<bool(const Decl &)> accept) {
  // On a tie the latest declaration wins: 'w4' after w1, w2, w3 most likely
  // means w3. Sorting also makes the choice independent of hash order.
  std::vector<const Decl *> decls;
  for (const auto &entry : locals)
    if (accept(*entry.second))
      decls.push_back(entry.second);
  for (const auto &entry : globals)
    if (accept(*entry.second))
      decls.push_back(entry.second);
  llvm::sort(decls, [](const Decl *a, const Decl *b) {
    return a->loc.getPointer() > b->loc.getPointer();
  });
  std::vector<StringRef> candidates;
  for (const Decl *d : decls)
    candidates.push_back(d->name);
  std::string best = suggest(name, candidates);
  std::string msg =
      ("unknown " + what + " '" + quoteForMessage(name) + "'").str();
  if (!best.empty())
    msg += "; did you mean '" + best + "'?";
  diag.error(loc, msg);
}

void Sema::noteDeclOf(const Expr *e) {
  const auto *n = e ? dyn_cast<NameExpr>(e) : nullptr;
  if (!n || !n->decl || !e->type)
    return;
  if (isa<ArgDecl, LetDecl, ParamDecl>(n->decl))
    diag.note(n->decl->loc, "'" + quoteForMessage(n->name) +
                                "' declared here as " + e->type->str());
}

void Sema::noteDeclsOf(const Expr *a, const Expr *b) {
  noteDeclOf(a);
  const auto *na = dyn_cast<NameExpr>(a);
  const auto *nb = dyn_cast<NameExpr>(b);
  if (!na || !nb || na->decl != nb->decl)
    noteDeclOf(b);
}

std::string sema::formatNumber(double v) {
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format("%g", v);
  return s;
}

bool Sema::checkRange(bool ok, double value, SMLoc loc, const Twine &what,
                      StringRef cond) {
  if (!std::isfinite(value)) {
    diag.error(loc, what + " must be finite, got " + formatNumber(value));
    return false;
  }
  if (ok)
    return true;
  diag.error(loc, what + " must be " + cond + ", got " + formatNumber(value));
  return false;
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

static bool isShapeName(const Decl &d) { return isa<DimDecl, ConstDecl>(d); }

std::optional<TensorType> Sema::resolveType(TypeSpec &spec) {
  if (spec.dims.size() > kMaxRank) {
    diag.error(spec.loc, "type has " + Twine(spec.dims.size()) +
                             " dims; tensors have at most " + Twine(kMaxRank));
    return std::nullopt;
  }
  TensorType type(spec.dtype);
  bool ok = true;
  for (TypeSpec::DimSpec &ds : spec.dims) {
    Dim dim(1);
    bool dimOk = true;
    for (TypeSpec::Factor &f : ds.factors) {
      Dim factor;
      if (f.name.empty()) {
        if (f.value < 1) {
          diag.error(f.loc, "dim must be at least 1, got " + Twine(f.value));
          dimOk = false;
          continue;
        }
        factor = Dim(f.value);
      } else {
        auto it = globals.find(f.name);
        Decl *d = it == globals.end() ? nullptr : it->second;
        if (!d) {
          reportUnknownName(f.loc, f.name, "dim or const", isShapeName);
          dimOk = false;
          continue;
        }
        if (auto *c = dyn_cast<ConstDecl>(d)) {
          if (c->value < 1) {
            diag.error(f.loc, "const '" + quoteForMessage(c->name) + "' is " +
                                  Twine(c->value) +
                                  "; a dim must be at least 1");
            diag.note(c->loc,
                      "'" + quoteForMessage(c->name) + "' declared here");
            dimOk = false;
            continue;
          }
          factor = Dim(c->value);
        } else if (isa<DimDecl>(d)) {
          factor = Dim::symbol(f.name);
        } else {
          diag.error(f.loc, "'" + quoteForMessage(f.name) + "' is " +
                                aDeclKind(*d) +
                                "; a dim is an integer, a const or a dim "
                                "name");
          dimOk = false;
          continue;
        }
      }
      std::optional<Dim> product = Dim::mul(dim, factor);
      if (!product) {
        diag.error(ds.loc, "dim is too large: it must fit in 63 bits");
        dimOk = false;
        break;
      }
      dim = std::move(*product);
    }
    ok &= dimOk;
    type.shape.push_back(std::move(dim));
  }
  if (!ok)
    return std::nullopt;
  if (!type.numElements()) {
    diag.error(spec.loc, "type " + type.str() +
                             " has too many elements: the count must fit in "
                             "63 bits");
    return std::nullopt;
  }
  spec.resolved = type;
  return type;
}

void Sema::checkParam(ParamDecl &p) {
  std::optional<TensorType> type = resolveType(p.type);
  if (!type)
    return;
  for (const TypeSpec::DimSpec &ds : p.type.dims)
    for (const TypeSpec::Factor &f : ds.factors)
      if (!f.name.empty() &&
          llvm::isa_and_nonnull<DimDecl>(globals.lookup(f.name))) {
        diag.error(f.loc, "param '" + quoteForMessage(p.name) +
                              "' must have a static shape, but '" +
                              quoteForMessage(f.name) +
                              "' is a dim; params cannot depend on run-time "
                              "sizes");
        return;
      }
  if (!isFloat(type->dtype)) {
    diag.error(p.type.loc, "param '" + quoteForMessage(p.name) +
                               "' has element type " + dtypeName(type->dtype) +
                               "; params must be floating point (f32, f16, "
                               "bf16 or f64)");
    return;
  }
  checkInit(p, *type);
}

//===----------------------------------------------------------------------===//
// Functions
//===----------------------------------------------------------------------===//

bool Sema::declareLocal(Decl &d) {
  std::string name = quoteForMessage(d.name);
  if (lookupDType(d.name)) {
    diag.error(d.loc, "'" + name + "' is an element type and cannot name " +
                          (isa<ArgDecl>(d) ? "an argument" : "a let binding") +
                          "; choose another name");
    return false;
  }
  auto git = globals.find(d.name);
  if (git != globals.end()) {
    diag.error(d.loc, declKindName(d) + " '" + name + "' shadows the " +
                          declKindName(*git->second) + " '" + name +
                          "'; arguments and let bindings may not shadow "
                          "model names");
    diag.note(git->second->loc, "'" + name + "' declared here");
    return false;
  }
  auto [it, inserted] = locals.try_emplace(d.name, &d);
  if (!inserted) {
    diag.error(d.loc, "'" + name + "' is already bound in '" +
                          quoteForMessage(curFn->name) +
                          "'; a name can be bound once per function");
    diag.note(it->second->loc, "'" + name + "' is first bound here");
    return false;
  }
  return true;
}

void Sema::computeRecoverable(FnDecl &fn) {
  // A symbol is known once some argument dim is `c * S * (known symbols)`
  // with S appearing once: its run-time size then gives S. Worklist over
  // dims, so that this stays linear in the number of argument dims.
  recoverable.clear();
  std::vector<const Dim *> dims;
  for (auto &arg : fn.args)
    if (arg->type.resolved)
      for (const Dim &d : arg->type.resolved->shape)
        if (!d.isStatic())
          dims.push_back(&d);
  std::vector<unsigned> unknown(dims.size());
  llvm::StringMap<std::vector<unsigned>> users;
  for (unsigned i = 0; i < dims.size(); ++i) {
    unknown[i] = dims[i]->syms.size();
    for (const std::string &s : dims[i]->syms)
      users[s].push_back(i);
  }
  std::deque<unsigned> ready;
  for (unsigned i = 0; i < dims.size(); ++i)
    if (unknown[i] == 1)
      ready.push_back(i);
  while (!ready.empty()) {
    unsigned i = ready.front();
    ready.pop_front();
    if (unknown[i] != 1)
      continue;
    for (const std::string &s : dims[i]->syms) {
      if (recoverable.count(s))
        continue;
      recoverable.insert(s);
      for (unsigned j : users[s])
        if (--unknown[j] == 1)
          ready.push_back(j);
      break;
    }
  }
}

bool Sema::checkRecoverable(const Dim &dim, SMLoc loc) {
  bool ok = true;
  for (const std::string &s : dim.syms) {
    if (recoverable.count(s))
      continue;
    ok = false;
    diag.error(loc, "dim '" + quoteForMessage(s) +
                        "' cannot be recovered from the arguments of '" +
                        quoteForMessage(curFn->name) +
                        "'; add an argument whose shape has '" +
                        quoteForMessage(s) + "' as a dim of its own");
    // Once per function: treat it as known from here on.
    recoverable.insert(s);
  }
  return ok;
}

void Sema::checkFunction(FnDecl &fn, unsigned index) {
  curFn = &fn;
  locals.clear();
  allLets.clear();
  unsigned before = diag.errorCount();
  for (auto &arg : fn.args)
    declareLocal(*arg);

  computeRecoverable(fn);
  auto checkSpec = [&](const TypeSpec &spec) {
    if (!spec.resolved)
      return;
    for (unsigned i = 0; i < spec.dims.size(); ++i)
      checkRecoverable(spec.resolved->shape[i], spec.dims[i].loc);
  };
  for (auto &arg : fn.args)
    checkSpec(arg->type);
  checkSpec(fn.result);

  for (auto &let : fn.lets)
    allLets.try_emplace(let->name, let.get());
  for (auto &let : fn.lets) {
    if (diag.shouldStop())
      break;
    if (let->value)
      checkExpr(*let->value);
    declareLocal(*let);
  }

  if (!fn.returnValue) {
    diag.error(fn.closeLoc, "function '" + quoteForMessage(fn.name) +
                                "' has no 'return'; end its body with "
                                "'return EXPR'");
  } else if (!diag.shouldStop()) {
    const std::optional<TensorType> &want = fn.result.resolved;
    std::optional<DType> hint;
    if (want)
      hint = want->dtype;
    if (checkExpr(*fn.returnValue, hint) && want &&
        *fn.returnValue->type != *want) {
      diag.error(fn.returnValue->loc,
                 "'" + quoteForMessage(fn.name) + "' returns " +
                     fn.returnValue->type->str() +
                     " but its declared result type is " + want->str());
      diag.note(fn.result.loc, "the result type is declared here");
    }
  }

  // An unused let is most often a typo; but after another error in the
  // body it may only look unused.
  if (diag.errorCount() == before) {
    for (auto &let : fn.lets) {
      if (let->used || StringRef(let->name).starts_with("_"))
        continue;
      std::string name = quoteForMessage(let->name);
      diag.error(let->loc, "let '" + name +
                               "' is never used; use it, or name it '_" + name +
                               "' to keep it");
    }
  }
  (void)index;
  curFn = nullptr;
  locals.clear();
  allLets.clear();
}

void Sema::checkRecursion() {
  // Iterative DFS (a chain of 20,000 functions must not overflow the stack);
  // a call to a function on the current path closes a cycle.
  unsigned n = model.fns.size();
  enum : char { White, Grey, Black };
  std::vector<char> state(n, White);
  std::vector<unsigned> posInPath(n, 0);
  std::vector<std::pair<unsigned, unsigned>> stack; // node, next edge
  for (unsigned root = 0; root < n; ++root) {
    if (state[root] != White)
      continue;
    state[root] = Grey;
    stack.push_back({root, 0});
    posInPath[root] = 0;
    while (!stack.empty()) {
      if (diag.shouldStop())
        return;
      auto &[v, next] = stack.back();
      if (next == calls[v].size()) {
        state[v] = Black;
        stack.pop_back();
        continue;
      }
      auto [w, loc] = calls[v][next++];
      if (state[w] == White) {
        state[w] = Grey;
        posInPath[w] = stack.size();
        stack.push_back({w, 0});
      } else if (state[w] == Grey) {
        std::string path;
        unsigned start = posInPath[w], len = stack.size() - start;
        for (unsigned i = 0; i < len; ++i) {
          if (len > 8 && i == 4) {
            path += "... -> ";
            i = len - 4;
          }
          path += quoteForMessage(model.fns[stack[start + i].first]->name);
          path += " -> ";
        }
        path += quoteForMessage(model.fns[w]->name);
        diag.error(loc, "function '" + quoteForMessage(model.fns[w]->name) +
                            "' is recursive (" + path +
                            "); functions cannot call themselves, directly "
                            "or through others");
      }
    }
  }
}
