//===- BuildTrainStep.cpp - The optimizer update after the gradients ------===//
//
// Turns `@<fn>_grad` (tc-autodiff) into `@train_step`: the same arguments
// plus the learning rate `lr` (a run-time scalar, so schedules never
// recompile), the optimizer's update of every param that has a gradient,
// with PyTorch's formulas, and the optimizer state (moments, momentum
// buffers, the step count) declared as zero-initialized params marked
// `tc.optimizer_state`; it advances the dropout step `rng.step` when
// tc-autodiff declared one. New values are results marked `tc.update = "NAME"`;
// tc-update-params-in-place makes the kernels write them in place.
//
// f16 training (tc-autocast marked the module `tc.precision = "f16"`) scales
// the loss as torch.cuda.amp.GradScaler does with its defaults: f16 products
// would flush small gradients to zero, so the backward pass starts from the
// scale S instead of 1; the gradients are divided by S before the update; a
// step whose gradients hold an inf or NaN changes no param and no optimizer
// state but the step count and halves S; 2000 good steps in a row double
// it. `opt.step` still counts every step (where a resumed run is); Adam's
// t leaves out the skipped ones, `opt.loss_scale.skipped_steps`.
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/IR/TCOps.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCBUILDTRAINSTEP
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;
using namespace tensorc::tc;

namespace {

struct Hyper {
  std::string optimizer;
  double weightDecay = 0, momentum = 0, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  bool nesterov = false;
  double clip = 0;
};

Hyper hyperOf(DictionaryAttr train) {
  Hyper h;
  h.optimizer = train.getAs<StringAttr>("optimizer").str();
  auto num = [&](StringRef key, double &out) {
    if (auto f = train.getAs<FloatAttr>(key))
      out = f.getValueAsDouble();
  };
  num("weight_decay", h.weightDecay);
  num("momentum", h.momentum);
  num("beta1", h.beta1);
  num("beta2", h.beta2);
  num("eps", h.eps);
  num("clip_grad_norm", h.clip);
  if (auto n = train.getAs<BoolAttr>("nesterov"))
    h.nesterov = n.getValue();
  return h;
}

/// Builds the update in front of the gradient function's return.
class StepBuilder {
public:
  StepBuilder(ModuleOp module, OpBuilder &b, Location loc)
      : module(module), b(b), loc(loc) {}

  Value c(Type elem, double v) {
    auto type = RankedTensorType::get({}, elem);
    return ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, b.getFloatAttr(elem, v)));
  }
  Value mul(Value x, Value y) { return MulOp::create(b, loc, x, y); }
  Value add(Value x, Value y) { return AddOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return SubOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return DivOp::create(b, loc, x, y); }
  Value cast(Value x, Type elem) {
    auto type = llvm::cast<RankedTensorType>(x.getType());
    if (type.getElementType() == elem)
      return x;
    return CastOp::create(b, loc, type.clone(elem), x);
  }

  /// Declares optimizer state `name` (zeros, or every element `fill`) and
  /// returns its current value.
  FailureOr<Value> state(StringRef name, RankedTensorType type,
                         std::optional<double> fill = std::nullopt) {
    if (module.lookupSymbol(name)) {
      module.emitError("cannot declare optimizer state '")
          << name << "': the model already has a symbol of that name";
      return failure();
    }
    OpBuilder top(module.getContext());
    SmallVector<ParamOp> params(module.getOps<ParamOp>());
    top.setInsertionPointAfter(params.back());
    auto param =
        fill ? ParamOp::create(top, loc, name, type, InitKind::full,
                               top.getArrayAttr({top.getF64FloatAttr(*fill)}))
             : ParamOp::create(top, loc, name, type, InitKind::zeros,
                               top.getArrayAttr({}));
    param->setAttr(kOptimizerStateAttr, top.getUnitAttr());
    return LoadParamOp::create(b, loc, type, name).getResult();
  }

  /// The new value of param or state `name`; when `keep` is set (a step
  /// that f16 loss scaling skips), the old one where it is true.
  void update(StringRef name, Value value) {
    if (keep) {
      Value old = LoadParamOp::create(b, loc, value.getType(), name);
      value = SelectOp::create(b, loc, keep, old, value);
    }
    updates.push_back({name.str(), value});
  }

  ModuleOp module;
  OpBuilder &b;
  Location loc;
  SmallVector<std::pair<std::string, Value>> updates;
  /// i1 scalar: the step is skipped (f16 gradients not finite).
  Value keep;
};

struct TCBuildTrainStep
    : tensorc::tc::impl::TCBuildTrainStepBase<TCBuildTrainStep> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto train = module->getAttrOfType<DictionaryAttr>(kTrainAttr);
    if (!train)
      return;
    auto fnRef = train.getAs<FlatSymbolRefAttr>("fn");
    std::string gradName = (fnRef.getValue() + "_grad").str();
    auto gradFn = module.lookupSymbol<func::FuncOp>(gradName);
    if (!gradFn) {
      module.emitError("no '") << gradName << "': run tc-autodiff first";
      return signalPassFailure();
    }
    if (module.lookupSymbol("train_step")) {
      gradFn.emitError("cannot build 'train_step': the model already has a "
                       "function of that name");
      return signalPassFailure();
    }
    if (failed(build(module, gradFn, hyperOf(train))))
      signalPassFailure();
  }

  LogicalResult build(ModuleOp module, func::FuncOp gradFn, const Hyper &h) {
    OpBuilder top(module.getContext());
    top.setInsertionPointAfter(gradFn);
    auto step = cast<func::FuncOp>(top.clone(*gradFn));
    step.setName("train_step");
    Block &body = step.getBody().front();
    auto ret = cast<func::ReturnOp>(body.getTerminator());
    Location loc = ret.getLoc();
    OpBuilder b(ret);
    StepBuilder s(module, b, loc);

    Type f32 = b.getF32Type();
    auto scalarType = RankedTensorType::get({}, f32);
    unsigned lrIndex = step.getNumArguments();
    NamedAttrList lrAttrs;
    lrAttrs.set(kNameAttr, b.getStringAttr("lr"));
    lrAttrs.set(kDimsAttr, b.getArrayAttr({}));
    if (failed(step.insertArgument(lrIndex, scalarType,
                                   lrAttrs.getDictionary(b.getContext()), loc)))
      return failure();
    Value lr = body.getArgument(lrIndex);

    // (param, gradient) pairs from the gradient function's results.
    SmallVector<std::pair<StringRef, Value>> grads;
    for (unsigned i = 1; i < step.getNumResults(); ++i)
      if (auto of = step.getResultAttrOfType<StringAttr>(i, kGradOfAttr))
        grads.push_back({of.getValue(), ret.getOperand(i)});

    // f16: the scaled backward pass, unscaled gradients, and the skip flag.
    SmallVector<std::pair<std::string, Value>> scaleUpdates;
    Value skipped;
    auto precision = module->getAttrOfType<StringAttr>(kPrecisionAttr);
    if (precision && precision.getValue() == "f16") {
      FailureOr<Value> s16 = scaleLoss(s, step, grads, scaleUpdates);
      if (failed(s16))
        return failure();
      skipped = *s16;
    }

    // The step count t (1 for the first step), kept as f32 state; steps
    // that f16 loss scaling skipped do not count for the optimizer.
    FailureOr<Value> count = s.state("opt.step", scalarType);
    if (failed(count))
      return failure();
    Value t = s.add(*count, s.c(f32, 1.0));
    if (skipped)
      t = s.sub(t, skipped);

    // Clipping by the global norm: g * min(1, clip / (norm + 1e-6)).
    Value clipScale;
    if (h.clip > 0) {
      Value sq;
      for (auto &[name, g] : grads) {
        auto type = cast<RankedTensorType>(g.getType());
        SmallVector<int64_t> all(type.getRank());
        for (int64_t i = 0; i < type.getRank(); ++i)
          all[i] = i;
        Value gf = s.cast(g, f32);
        Value part = SumOp::create(b, loc, s.mul(gf, gf), all, false);
        sq = sq ? s.add(sq, part) : part;
      }
      Value norm = SqrtOp::create(b, loc, sq);
      clipScale = MinimumOp::create(
          b, loc, s.c(f32, 1.0),
          s.div(s.c(f32, h.clip), s.add(norm, s.c(f32, 1e-6))));
    }

    // Bias corrections of Adam: 1 - beta^t, with beta^t = exp(t ln beta),
    // in f64 as PyTorch computes them (in f32, 1 - 0.999^t is off by up to
    // 3e-5 relative at t = 1), rounded once where they meet the tensors.
    Value bc1, bc2Sqrt;
    bool adam = h.optimizer == "adam" || h.optimizer == "adamw";
    if (adam) {
      Type f64 = b.getF64Type();
      Value t64 = s.cast(t, f64);
      auto powT = [&](double beta) {
        return ExpOp::create(b, loc, s.mul(t64, s.c(f64, std::log(beta))))
            .getResult();
      };
      bc1 = s.sub(s.c(f64, 1.0), powT(h.beta1));
      bc2Sqrt = SqrtOp::create(b, loc, s.sub(s.c(f64, 1.0), powT(h.beta2)));
    }

    for (auto &[name, grad] : grads) {
      auto type = cast<RankedTensorType>(grad.getType());
      Type elem = type.getElementType();
      Value w = LoadParamOp::create(b, loc, type, name);
      Value g = grad;
      if (clipScale)
        g = s.mul(g, s.cast(clipScale, elem));
      Value lrE = s.cast(lr, elem);
      if (h.optimizer == "sgd") {
        if (h.weightDecay > 0)
          g = s.add(g, s.mul(w, s.c(elem, h.weightDecay)));
        if (h.momentum > 0) {
          // buf = momentum buf + g (PyTorch's first step, buf = g, is the
          // same with buf starting at zero).
          FailureOr<Value> buf = s.state(("opt.momentum." + name).str(), type);
          if (failed(buf))
            return failure();
          Value nb = s.add(s.mul(*buf, s.c(elem, h.momentum)), g);
          s.update(("opt.momentum." + name).str(), nb);
          g = h.nesterov ? s.add(g, s.mul(nb, s.c(elem, h.momentum))) : nb;
        }
        s.update(name, s.sub(w, s.mul(lrE, g)));
        continue;
      }
      // Adam / AdamW.
      Value wd = w;
      if (h.weightDecay > 0) {
        if (h.optimizer == "adamw")
          wd = s.mul(
              w, s.sub(s.c(elem, 1.0), s.mul(lrE, s.c(elem, h.weightDecay))));
        else
          g = s.add(g, s.mul(w, s.c(elem, h.weightDecay)));
      }
      std::string mName = ("opt.m." + name).str(),
                  vName = ("opt.v." + name).str();
      FailureOr<Value> m = s.state(mName, type), v = s.state(vName, type);
      if (failed(m) || failed(v))
        return failure();
      Value nm = s.add(s.mul(*m, s.c(elem, h.beta1)),
                       s.mul(g, s.c(elem, 1.0 - h.beta1)));
      Value nv = s.add(s.mul(*v, s.c(elem, h.beta2)),
                       s.mul(s.mul(g, g), s.c(elem, 1.0 - h.beta2)));
      Value denom =
          s.add(s.div(SqrtOp::create(b, loc, nv), s.cast(bc2Sqrt, elem)),
                s.c(elem, h.eps));
      // lr / (1 - beta1^t) in f64, like PyTorch's step size.
      Value stepSize = s.cast(s.div(s.cast(lr, b.getF64Type()), bc1), elem);
      s.update(name, s.sub(wd, s.mul(stepSize, s.div(nm, denom))));
      s.update(mName, nm);
      s.update(vName, nv);
    }

    // The step count, the scale and the dropout masks move on skipped
    // steps too.
    s.keep = nullptr;
    for (auto &[name, value] : scaleUpdates)
      s.update(name, value);

    // The new count is computed again, last and written differently (CSE
    // would merge it with t): fused kernels recompute t from opt.step, so
    // opt.step must be overwritten after all of them.
    s.update("opt.step", s.sub(*count, s.c(f32, -1.0)));

    // The dropout masks of the next step are new ones (tc-autodiff keyed
    // them with rng.step); i32 wraps after 2^32 steps.
    if (auto rng = module.lookupSymbol<ParamOp>(kRngStepParam)) {
      auto type = cast<RankedTensorType>(rng.getType());
      Value old = LoadParamOp::create(b, loc, type, kRngStepParam);
      Value one = ConstantOp::create(
          b, loc, DenseElementsAttr::get(type, b.getI32IntegerAttr(1)));
      s.update(kRngStepParam, s.add(old, one));
    }

    // Results: the loss, then the updates.
    SmallVector<Value> results = {ret.getOperand(0)};
    SmallVector<DictionaryAttr> attrs = {step.getResultAttrDict(0)};
    for (auto &[name, value] : s.updates) {
      results.push_back(value);
      NamedAttrList a;
      a.set(kUpdateAttr, b.getStringAttr(name));
      attrs.push_back(a.getDictionary(b.getContext()));
    }
    ret->setOperands(results);
    step.setType(FunctionType::get(b.getContext(), step.getArgumentTypes(),
                                   ValueRange(results).getTypes()));
    step.setAllResultAttrs(attrs);
    for (func::FuncOp fn : {gradFn, step})
      fn.walk([](ConstantOp c) { c->removeAttr(kGradSeedAttr); });
    return success();
  }

  /// Dynamic loss scaling (GradScaler's defaults: S starts at 2^16, x0.5 on
  /// a step with an inf or NaN gradient, x2 after 2000 finite steps in a
  /// row). Seeds the backward pass with S, divides `grads` by it, sets
  /// `s.keep`, puts the new S, run of finite steps and count of skipped
  /// steps in `updates`, and returns the skipped steps before this one.
  FailureOr<Value>
  scaleLoss(StepBuilder &s, func::FuncOp step,
            SmallVectorImpl<std::pair<StringRef, Value>> &grads,
            SmallVectorImpl<std::pair<std::string, Value>> &updates) {
    constexpr double kInitScale = 65536.0, kGrowthInterval = 2000.0;
    if (grads.empty()) // nothing to scale or to skip
      return Value();
    OpBuilder &b = s.b;
    Location loc = s.loc;
    Type f32 = b.getF32Type();
    auto scalarType = RankedTensorType::get({}, f32);
    FailureOr<Value> scale = s.state(kLossScaleParam, scalarType, kInitScale);
    FailureOr<Value> good = s.state(kLossScaleGoodStepsParam, scalarType);
    FailureOr<Value> skipped = s.state(kLossScaleSkippedParam, scalarType);
    if (failed(scale) || failed(good) || failed(skipped))
      return failure();

    ConstantOp seed;
    step.walk([&](ConstantOp c) {
      if (c->hasAttr(kGradSeedAttr))
        seed = c;
    });
    if (!seed) {
      step.emitError("f16 loss scaling: no gradient seed from tc-autodiff");
      return failure();
    }
    OpBuilder atSeed(seed);
    Value seedScale =
        LoadParamOp::create(atSeed, loc, scalarType, kLossScaleParam);
    auto seedType = cast<RankedTensorType>(seed.getType());
    if (seedType.getElementType() != f32)
      seedScale = CastOp::create(atSeed, loc, seedType, seedScale);
    seed.getResult().replaceAllUsesWith(seedScale);

    // inf * 0 and NaN * 0 are NaN, finite * 0 is 0 (no fast-math folds
    // it): the sum is 0 exactly when every gradient is finite.
    Value zeros, inv = s.div(s.c(f32, 1.0), *scale);
    for (auto &[name, g] : grads) {
      auto type = cast<RankedTensorType>(g.getType());
      SmallVector<int64_t> all(type.getRank());
      for (int64_t i = 0; i < type.getRank(); ++i)
        all[i] = i;
      Value part = SumOp::create(b, loc, s.mul(s.cast(g, f32), s.c(f32, 0.0)),
                                 all, false);
      zeros = zeros ? s.add(zeros, part) : part;
      g = s.mul(g, s.cast(inv, type.getElementType()));
    }
    Value finite =
        CmpOp::create(b, loc, CmpPredicate::eq, zeros, s.c(f32, 0.0));
    s.keep = CmpOp::create(b, loc, CmpPredicate::ne, zeros, s.c(f32, 0.0));

    // A run of kGrowthInterval finite steps doubles S and starts again.
    Value run = s.add(*good, s.c(f32, 1.0));
    Value grow =
        CmpOp::create(b, loc, CmpPredicate::ge, run, s.c(f32, kGrowthInterval));
    Value grown =
        SelectOp::create(b, loc, grow, s.mul(*scale, s.c(f32, 2.0)), *scale);
    updates.push_back({kLossScaleParam.str(),
                       SelectOp::create(b, loc, finite, grown,
                                        s.mul(*scale, s.c(f32, 0.5)))});
    Value nextRun = SelectOp::create(b, loc, grow, s.c(f32, 0.0), run);
    updates.push_back(
        {kLossScaleGoodStepsParam.str(),
         SelectOp::create(b, loc, finite, nextRun, s.c(f32, 0.0))});
    updates.push_back({kLossScaleSkippedParam.str(),
                       SelectOp::create(b, loc, finite, *skipped,
                                        s.add(*skipped, s.c(f32, 1.0)))});
    return *skipped;
  }
};
} // namespace
