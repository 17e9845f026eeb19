//===- Autodiff.cpp - Reverse-mode gradients of the training loss ---------===//
//
// Clones the function named by the module's `tc.train` clause into
// `@<fn>_grad`, which returns the loss and the gradient of the loss with
// respect to every param it depends on. The gradient code is plain tc
// (GradBuilder), so fusion and tiling treat it like the forward pass.
//
// Dropouts of the gradient function get a key: the params `rng.seed` (the
// session's seed) and `rng.step` (the steps taken, which train_step
// advances), both optimizer state so that checkpoints resume the same
// masks, and a `site` per dropout so that each draws its own mask.
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/IR/TCOps.h"
#include "dialects/TC/Transforms/GradBuilder.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCAUTODIFF
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;
using namespace tensorc::tc;

namespace {

bool isFloatTensor(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && isa<FloatType>(type.getElementType());
}

/// `tc.dims` of a static shape.
ArrayAttr staticDims(Builder &b, RankedTensorType type) {
  SmallVector<Attribute> dims;
  for (int64_t d : type.getShape())
    dims.push_back(b.getI64IntegerAttr(d));
  return b.getArrayAttr(dims);
}

/// Declares the i32 scalar param `name` (optimizer state) after the last
/// param.
LogicalResult declareRngState(ModuleOp module, StringRef name, InitKind init,
                              Location loc) {
  if (module.lookupSymbol(name))
    return module.emitError("cannot declare the dropout state '")
           << name << "': the model already has a symbol of that name";
  OpBuilder top(module.getContext());
  SmallVector<ParamOp> params(module.getOps<ParamOp>());
  if (params.empty())
    top.setInsertionPointToStart(module.getBody());
  else
    top.setInsertionPointAfter(params.back());
  auto param = ParamOp::create(top, loc, name,
                               RankedTensorType::get({}, top.getI32Type()),
                               init, top.getArrayAttr({}));
  param->setAttr(kOptimizerStateAttr, top.getUnitAttr());
  return success();
}

/// Gives every dropout of `fn` the key (rng.seed, rng.step) and its own
/// site, declaring the two params when there is a dropout.
LogicalResult keyDropouts(ModuleOp module, func::FuncOp fn) {
  SmallVector<DropoutOp> dropouts;
  fn.walk([&](DropoutOp op) {
    if (!op.isKeyed())
      dropouts.push_back(op);
  });
  if (dropouts.empty())
    return success();
  Location loc = dropouts.front().getLoc();
  if (failed(declareRngState(module, kRngSeedParam, InitKind::seed, loc)) ||
      failed(declareRngState(module, kRngStepParam, InitKind::zeros, loc)))
    return failure();
  OpBuilder b(fn.getBody());
  auto scalar = RankedTensorType::get({}, b.getI32Type());
  Value seed = LoadParamOp::create(b, loc, scalar, kRngSeedParam);
  Value step = LoadParamOp::create(b, loc, scalar, kRngStepParam);
  for (auto [site, op] : llvm::enumerate(dropouts)) {
    op.getKeyMutable().assign({seed, step});
    op.setSite(site);
  }
  return success();
}

struct TCAutodiff : tensorc::tc::impl::TCAutodiffBase<TCAutodiff> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto train = module->getAttrOfType<DictionaryAttr>(kTrainAttr);
    if (!train)
      return;
    auto fnRef = train.getAs<FlatSymbolRefAttr>("fn");
    auto fn = fnRef ? module.lookupSymbol<func::FuncOp>(fnRef) : nullptr;
    if (!fn || fn.isDeclaration() || fn.getNumResults() != 1) {
      module.emitError("the train clause does not name a function with one "
                       "result");
      return signalPassFailure();
    }
    if (failed(differentiate(module, fn)))
      signalPassFailure();
  }

  LogicalResult differentiate(ModuleOp module, func::FuncOp fn) {
    std::string name = (fn.getName() + "_grad").str();
    if (module.lookupSymbol(name))
      return fn.emitError("cannot name the gradient function '")
             << name << "': the model already has a function of that name";
    OpBuilder top(fn->getContext());
    top.setInsertionPointAfter(fn);
    auto grad = cast<func::FuncOp>(top.clone(*fn));
    grad.setName(name);

    Block &body = grad.getBody().front();
    auto ret = cast<func::ReturnOp>(body.getTerminator());
    Value loss = ret.getOperand(0);

    // Values that depend on a param: only they get gradients.
    DenseSet<Value> active;
    for (Operation &op : body.without_terminator()) {
      bool depends = isa<LoadParamOp>(op) ||
                     llvm::any_of(op.getOperands(),
                                  [&](Value v) { return active.contains(v); });
      if (depends)
        for (Value r : op.getResults())
          if (isFloatTensor(r))
            active.insert(r);
    }
    if (!active.contains(loss))
      return fn.emitError("the loss of '")
             << fn.getName() << "' does not depend on any param";

    if (failed(keyDropouts(module, grad)))
      return failure();

    OpBuilder b(ret);
    GradBuilder grads(b, active);
    // The seed d loss / d loss = 1, marked so that f16 training can scale
    // it (tc-build-train-step).
    auto lossType = cast<RankedTensorType>(loss.getType());
    auto seed = ConstantOp::create(
        b, loss.getLoc(),
        DenseElementsAttr::get(lossType,
                               b.getFloatAttr(lossType.getElementType(), 1.0)));
    seed->setAttr(kGradSeedAttr, b.getUnitAttr());
    grads.accumulate(loss, seed);
    SmallVector<Operation *> ops;
    for (Operation &op : body.without_terminator())
      ops.push_back(&op);
    for (Operation *op : llvm::reverse(ops)) {
      if (op->getNumResults() != 1)
        continue;
      if (Value g = grads.gradOf(op->getResult(0)))
        if (failed(grads.backprop(op, g)))
          return failure();
    }

    // The loss, then one gradient per param, in declaration order.
    SmallVector<Value> results = {loss};
    SmallVector<DictionaryAttr> resultAttrs;
    NamedAttrList lossAttrs(grad.getResultAttrDict(0));
    lossAttrs.set(kNameAttr, b.getStringAttr("loss"));
    resultAttrs.push_back(lossAttrs.getDictionary(&getContext()));
    for (ParamOp param : module.getOps<ParamOp>()) {
      Value total;
      for (Operation &op : body.without_terminator()) {
        auto load = dyn_cast<LoadParamOp>(op);
        if (!load || load.getParam() != param.getSymName())
          continue;
        if (Value g = grads.gradOf(load))
          total =
              total ? AddOp::create(b, load.getLoc(), total, g).getResult() : g;
      }
      if (!total)
        continue; // unused by the loss: no gradient, like PyTorch's None
      auto type = cast<RankedTensorType>(param.getType());
      if (total.getType() != type)
        total = tensor::CastOp::create(b, param.getLoc(), type, total);
      results.push_back(total);
      NamedAttrList attrs;
      attrs.set(kNameAttr, b.getStringAttr("grad." + param.getSymName()));
      attrs.set(kDimsAttr, staticDims(b, type));
      attrs.set(kGradOfAttr, b.getStringAttr(param.getSymName()));
      resultAttrs.push_back(attrs.getDictionary(&getContext()));
    }
    ret->setOperands(results);
    grad.setType(FunctionType::get(&getContext(), grad.getArgumentTypes(),
                                   ValueRange(results).getTypes()));
    grad.setAllResultAttrs(resultAttrs);
    return success();
  }
};
} // namespace
