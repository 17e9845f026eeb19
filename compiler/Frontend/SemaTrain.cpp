//===- SemaTrain.cpp - Param initializers and the train clause ------------===//

#include "compiler/Frontend/Lexer.h"
#include "compiler/Frontend/SemaImpl.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Casting.h"

#include <cfloat>
#include <cmath>

using namespace tensorc;
using namespace tensorc::sema;
using llvm::dyn_cast;
using llvm::SMLoc;
using llvm::StringRef;
using llvm::Twine;

namespace {
/// Binds `args` to `names` (positionally when allowed, else by keyword
/// only), reporting unknown, repeated and surplus arguments.
bool bindNamed(DiagnosticEngine &diag, std::vector<CallArg> &args,
               llvm::ArrayRef<StringRef> names, StringRef callee,
               bool allowPositional, llvm::SmallVectorImpl<CallArg *> &slots) {
  slots.assign(names.size(), nullptr);
  std::string takes = allowPositional ? "(" + llvm::join(names, ", ") + ")"
                                      : llvm::join(names, ", ");
  bool ok = true;
  unsigned pos = 0;
  for (CallArg &arg : args) {
    unsigned idx = names.size();
    SMLoc loc = arg.loc;
    if (arg.keyword.empty()) {
      if (!allowPositional) {
        diag.error(arg.loc, "the arguments of '" + quoteForMessage(callee) +
                                "' are named: write, e.g., " + names[0] +
                                " = ...");
        ok = false;
        continue;
      }
      if (pos >= names.size()) {
        diag.error(arg.loc, "too many arguments to '" +
                                quoteForMessage(callee) + "': it takes " +
                                takes);
        ok = false;
        break;
      }
      idx = pos++;
    } else {
      loc = arg.keywordLoc;
      for (unsigned i = 0; i < names.size(); ++i)
        if (arg.keyword == names[i])
          idx = i;
      if (idx == names.size()) {
        diag.error(loc,
                   "'" + quoteForMessage(callee) + "' has no argument named '" +
                       quoteForMessage(arg.keyword) + "'; it takes " + takes);
        ok = false;
        continue;
      }
    }
    if (slots[idx]) {
      diag.error(loc, "argument '" + names[idx] + "' of '" +
                          quoteForMessage(callee) + "' is given twice");
      ok = false;
      continue;
    }
    slots[idx] = &arg;
  }
  return ok;
}
} // namespace

//===----------------------------------------------------------------------===//
// Initializers
//===----------------------------------------------------------------------===//

void Sema::checkInit(ParamDecl &p, const TensorType &type) {
  std::optional<InitKind> kind =
      llvm::StringSwitch<std::optional<InitKind>>(p.initName)
          .Case("zeros", InitKind::Zeros)
          .Case("ones", InitKind::Ones)
          .Case("normal", InitKind::Normal)
          .Case("uniform", InitKind::Uniform)
          .Case("kaiming_uniform", InitKind::KaimingUniform)
          .Case("kaiming_normal", InitKind::KaimingNormal)
          .Case("xavier_uniform", InitKind::XavierUniform)
          .Case("full", InitKind::Full)
          .Default(std::nullopt);
  if (!kind) {
    std::string best = suggest(
        p.initName, {"zeros", "ones", "full", "normal", "uniform",
                     "kaiming_uniform", "kaiming_normal", "xavier_uniform"});
    diag.error(p.initLoc,
               "unknown initializer '" + quoteForMessage(p.initName) + "'" +
                   (best.empty() ? "" : "; did you mean '" + best + "'?") +
                   " (zeros, ones, full, normal, uniform, kaiming_uniform, "
                   "kaiming_normal, xavier_uniform)");
    return;
  }
  p.init = *kind;
  std::string name = quoteForMessage(p.name);
  bool fanBased = *kind == InitKind::KaimingUniform ||
                  *kind == InitKind::KaimingNormal ||
                  *kind == InitKind::XavierUniform;
  if (fanBased && type.rank() < 2) {
    diag.error(p.initLoc, "'" + p.initName +
                              "' needs a param of rank 2 or "
                              "more (it uses fan_in), but '" +
                              name + "' is " + type.str() +
                              "; use zeros or normal for biases");
    return;
  }
  if (*kind == InitKind::Full) {
    checkFullInit(p, type);
    return;
  }
  if (*kind != InitKind::Normal && *kind != InitKind::Uniform) {
    if (!p.initArgs.empty())
      diag.error(p.initArgs[0].loc,
                 "initializer '" + p.initName + "' takes no arguments");
    return;
  }

  bool isNormal = *kind == InitKind::Normal;
  StringRef names[2] = {isNormal ? "mean" : "lo", isNormal ? "std" : "hi"};
  llvm::SmallVector<CallArg *, 2> slots;
  if (!bindNamed(diag, p.initArgs, names, p.initName, true, slots))
    return;
  double values[2] = {0.0, 1.0}; // the defaults of both
  for (unsigned i = 0; i < 2; ++i) {
    if (!slots[i])
      continue;
    std::string what = ("'" + names[i] + "' of '" + p.initName + "'").str();
    std::optional<double> v = evalNumber(*slots[i]->value, what, type.dtype);
    if (!v || !checkRange(true, *v, slots[i]->loc, what, ""))
      return;
    values[i] = *v;
  }
  if (isNormal && !checkRange(values[1] >= 0, values[1],
                              slots[1] ? slots[1]->loc : p.initLoc,
                              "'std' of 'normal'", ">= 0"))
    return;
  if (!isNormal && values[0] >= values[1]) {
    diag.error(slots[1] ? slots[1]->loc : p.initLoc,
               "'uniform' needs lo < hi, got lo = " + formatNumber(values[0]) +
                   " and hi = " + formatNumber(values[1]));
    return;
  }
  p.initValues = {values[0], values[1]};
}

/// `full(value)`: every element `value` (PyTorch's nn.init.constant_).
void Sema::checkFullInit(ParamDecl &p, const TensorType &type) {
  StringRef names[1] = {"value"};
  llvm::SmallVector<CallArg *, 1> slots;
  if (!bindNamed(diag, p.initArgs, names, p.initName, true, slots))
    return;
  if (!slots[0]) {
    diag.error(p.initLoc, "'full' needs its value, e.g. full(0.5)");
    return;
  }
  std::optional<double> v =
      evalNumber(*slots[0]->value, "'value' of 'full'", type.dtype);
  // The largest finite value of the param's type (params are floats).
  double largest = type.dtype == DType::F16    ? 65504.0
                   : type.dtype == DType::BF16 ? 0x1.fep127
                   : type.dtype == DType::F64  ? DBL_MAX
                                               : FLT_MAX;
  std::string within = "within the range of " + dtypeName(type.dtype).str() +
                       " (magnitude <= " + formatNumber(largest) + ")";
  if (!v || !checkRange(std::fabs(*v) <= largest, *v, slots[0]->loc,
                        "'value' of 'full'", within))
    return;
  p.initValues = {*v};
}

//===----------------------------------------------------------------------===//
// The train clause
//===----------------------------------------------------------------------===//

void Sema::checkTrain(TrainDecl &t) {
  std::string fnName = quoteForMessage(t.fnName);
  auto it = globals.find(t.fnName);
  Decl *d = it == globals.end() ? nullptr : it->second;
  auto *fn = d ? dyn_cast<FnDecl>(d) : nullptr;
  if (!d) {
    std::vector<StringRef> candidates;
    for (auto &f : model.fns)
      candidates.push_back(f->name);
    std::string best = suggest(t.fnName, candidates);
    diag.error(t.fnLoc,
               "unknown function '" + fnName + "' in the train clause" +
                   (best.empty() ? "" : "; did you mean '" + best + "'?"));
  } else if (!fn) {
    diag.error(t.fnLoc, "'" + fnName + "' is " + aDeclKind(*d) +
                            "; train names the function that computes the "
                            "loss");
    diag.note(d->loc, "'" + fnName + "' declared here");
  } else if (const auto &r = fn->result.resolved;
             r && (!r->isScalar() || !isFloat(r->dtype))) {
    diag.error(t.fnLoc, "cannot train '" + fnName + "': it returns " +
                            r->str() +
                            ", and training needs a function that returns a "
                            "floating-point scalar (a loss)");
    diag.note(fn->result.loc, "the result type is declared here");
  }

  std::optional<OptimizerKind> opt =
      llvm::StringSwitch<std::optional<OptimizerKind>>(t.optimizerName)
          .Case("sgd", OptimizerKind::Sgd)
          .Case("adam", OptimizerKind::Adam)
          .Case("adamw", OptimizerKind::AdamW)
          .Default(std::nullopt);
  if (!opt) {
    std::string best = suggest(t.optimizerName, {"sgd", "adam", "adamw"});
    diag.error(t.optimizerLoc,
               "unknown optimizer '" + quoteForMessage(t.optimizerName) + "'" +
                   (best.empty() ? "" : "; did you mean '" + best + "'?") +
                   " (sgd, adam or adamw)");
    return;
  }
  t.optimizer = *opt;
  TrainDecl::Hyper h;
  if (*opt == OptimizerKind::AdamW)
    h.weightDecay = 1e-2;

  bool isSgd = *opt == OptimizerKind::Sgd;
  llvm::SmallVector<StringRef, 6> names;
  if (isSgd)
    names = {"lr", "momentum", "nesterov", "weight_decay", "clip_grad_norm"};
  else
    names = {"lr", "beta1", "beta2", "eps", "weight_decay", "clip_grad_norm"};
  llvm::SmallVector<CallArg *, 6> slots;
  if (!bindNamed(diag, t.args, names, t.optimizerName, false, slots))
    return;

  std::string optName = t.optimizerName;
  bool ok = true;
  for (unsigned i = 0; i < names.size(); ++i) {
    CallArg *arg = slots[i];
    if (!arg)
      continue;
    std::string what = ("'" + names[i] + "' of '" + optName + "'").str();
    if (names[i] == "nesterov") {
      auto *b = dyn_cast<BoolExpr>(arg->value.get());
      if (!b) {
        diag.error(arg->loc, what + " must be true or false, got " +
                                 describeExpr(*arg->value));
        ok = false;
        continue;
      }
      b->type = TensorType(DType::Bool);
      h.nesterov = b->value;
      continue;
    }
    std::optional<double> v = evalNumber(*arg->value, what, DType::F32);
    if (!v) {
      ok = false;
      continue;
    }
    StringRef n = names[i];
    bool inRange = true;
    StringRef cond;
    if (n == "lr") {
      h.lr = *v, inRange = *v > 0, cond = "> 0";
    } else if (n == "momentum") {
      h.momentum = *v, inRange = *v >= 0, cond = ">= 0";
    } else if (n == "weight_decay") {
      h.weightDecay = *v, inRange = *v >= 0, cond = ">= 0";
    } else if (n == "beta1" || n == "beta2") {
      (n == "beta1" ? h.beta1 : h.beta2) = *v;
      inRange = *v >= 0 && *v < 1, cond = "in [0, 1)";
    } else if (n == "eps") {
      h.eps = *v, inRange = *v > 0, cond = "> 0";
    } else if (n == "clip_grad_norm") {
      h.clipGradNorm = *v, inRange = *v > 0, cond = "> 0";
    }
    ok &= checkRange(inRange, *v, arg->loc, what, cond);
  }
  if (!ok)
    return;
  if (isSgd && !slots[0]) {
    diag.error(t.optimizerLoc, "'sgd' needs a learning rate, e.g. "
                               "sgd(lr = 0.01)");
    return;
  }
  if (h.nesterov && h.momentum <= 0) {
    diag.error(slots[2]->loc, "nesterov = true needs momentum > 0");
    return;
  }
  t.hyper = h;
  if (fn && fn->result.resolved && fn->result.resolved->isScalar() &&
      isFloat(fn->result.resolved->dtype))
    t.fn = fn;
}
