//===- EmitKernels.cpp - tc.kernel to gpu.func + tc.launch ----------------===//
//
// For each tc.kernel: build the gpu.func signature (a flat buffer per tensor
// input and per result, then the sizes the kernel needs), let the emitter for
// the kernel's kind fill the body, and replace the tc.kernel with outputs
// allocated as tensor.empty and a tc.launch whose grid is computed from the
// dims on the host.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/KernelsToGPU/Emitters.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCEMITKERNELS
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;
using namespace tensorc;
using namespace tensorc::kernels;

namespace {

constexpr llvm::StringLiteral kKernelModule = "tc_kernels";

gpu::GPUModuleOp getOrCreateKernelModule(ModuleOp module) {
  module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                  UnitAttr::get(module.getContext()));
  for (auto m : module.getOps<gpu::GPUModuleOp>())
    if (m.getName() == kKernelModule)
      return m;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  return gpu::GPUModuleOp::create(b, module.getLoc(), kKernelModule);
}

MemRefType flatBuffer(Type tensor) {
  return MemRefType::get({ShapedType::kDynamic},
                         cast<RankedTensorType>(tensor).getElementType());
}

/// Sizes on the host, traced to the values that define them so that equal
/// sizes are the same SSA value (and so one kernel argument): dims of entry
/// arguments are read once at the top of the function, dims of earlier
/// launches' results are the sizes their outputs were allocated with.
class HostDims {
public:
  explicit HostDims(func::FuncOp fn) : fn(fn) {
    // One tensor.dim per (argument, dim), at the top of the function.
    SmallVector<tensor::DimOp> dims;
    fn.walk([&](tensor::DimOp op) { dims.push_back(op); });
    for (tensor::DimOp op : dims) {
      auto arg = dyn_cast<BlockArgument>(op.getSource());
      std::optional<int64_t> d = op.getConstantIndex();
      if (!arg || arg.getOwner()->getParentOp() != fn || !d)
        continue;
      op.replaceAllUsesWith(entryDim(arg, *d));
      op.erase();
    }
  }

  Value dim(OpBuilder &b, Location loc, Value v, int64_t d) {
    auto type = cast<RankedTensorType>(v.getType());
    if (!type.isDynamicDim(d))
      return arith::ConstantIndexOp::create(b, loc, type.getDimSize(d));
    if (auto arg = dyn_cast<BlockArgument>(v))
      if (arg.getOwner()->getParentOp() == fn)
        return entryDim(arg, d);
    Operation *def = v.getDefiningOp();
    if (auto launch = dyn_cast_or_null<tc::LaunchOp>(def))
      return dim(b, loc,
                 launch.getOutputs()[cast<OpResult>(v).getResultNumber()], d);
    if (auto empty = dyn_cast_or_null<tensor::EmptyOp>(def))
      return empty.getDynamicSize(d);
    if (auto expand = dyn_cast_or_null<tensor::ExpandShapeOp>(def)) {
      OpFoldResult size = expand.getMixedOutputShape()[d];
      if (auto value = dyn_cast<Value>(size))
        return value;
    }
    if (auto collapse = dyn_cast_or_null<tensor::CollapseShapeOp>(def)) {
      Value p = arith::ConstantIndexOp::create(b, loc, 1);
      // The reassociation is a temporary: keep it alive for the loop.
      SmallVector<ReassociationIndices> groups =
          collapse.getReassociationIndices();
      for (int64_t s : groups[d])
        p = arith::MulIOp::create(b, loc, p, dim(b, loc, collapse.getSrc(), s));
      return p;
    }
    return tensor::DimOp::create(b, loc, v, d);
  }

private:
  Value entryDim(BlockArgument arg, int64_t d) {
    Value &slot = entry[{arg, d}];
    if (!slot) {
      OpBuilder b = OpBuilder::atBlockBegin(&fn.getBody().front());
      slot = tensor::DimOp::create(b, arg.getLoc(), arg, d);
    }
    return slot;
  }

  func::FuncOp fn;
  DenseMap<std::pair<Value, int64_t>, Value> entry;
};

LogicalResult emitKernel(tc::KernelOp kernel, gpu::GPUModuleOp kernels,
                         const TargetConfig &config, HostDims &hostDims) {
  Location loc = kernel.getLoc();
  Block &body = kernel.getBodyBlock();
  OpBuilder host(kernel);
  ShapeCloner hostShapes(
      host,
      [&](BlockArgument arg, int64_t d) -> Value {
        return hostDims.dim(host, loc, kernel.getInputs()[arg.getArgNumber()],
                            d);
      },
      [&](BlockArgument arg) -> Value {
        return kernel.getInputs()[arg.getArgNumber()];
      });

  // The size arguments: index inputs, dynamic dims of tensor inputs and of
  // results, deduplicated by their value on the host.
  llvm::SetVector<Value> sizes;
  auto slotOf = [&](Value v) -> unsigned {
    sizes.insert(v);
    return llvm::find(sizes, v) - sizes.begin();
  };
  DenseMap<BlockArgument, unsigned> indexArgSlot;
  DenseMap<std::pair<BlockArgument, int64_t>, unsigned> argDimSlot;
  SmallVector<SmallVector<Value>> resultDims;
  for (BlockArgument arg : body.getArguments()) {
    Value input = kernel.getInputs()[arg.getArgNumber()];
    if (arg.getType().isIndex()) {
      indexArgSlot[arg] = slotOf(input);
      continue;
    }
    auto type = cast<RankedTensorType>(arg.getType());
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d)) {
        argDimSlot[{arg, d}] = slotOf(hostShapes.dim(arg, d));
      }
  }
  for (Value y : kernel.getYield().getValues()) {
    auto type = cast<RankedTensorType>(y.getType());
    SmallVector<Value> dyn;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d)) {
        Value v = hostShapes.dim(y, d);
        if (!v)
          return kernel.emitError("cannot compute the size of result dim ")
                 << d;
        dyn.push_back(v);
        sizes.insert(v);
      }
    resultDims.push_back(dyn);
  }

  // The gpu.func: inputs, results, sizes.
  SmallVector<Type> argTypes;
  SmallVector<Value> tensorInputs;
  for (BlockArgument arg : body.getArguments())
    if (!arg.getType().isIndex()) {
      argTypes.push_back(flatBuffer(arg.getType()));
      tensorInputs.push_back(kernel.getInputs()[arg.getArgNumber()]);
    }
  for (Type t : kernel.getResultTypes())
    argTypes.push_back(flatBuffer(t));
  argTypes.append(sizes.size(), host.getIndexType());
  OpBuilder kb = OpBuilder::atBlockEnd(kernels.getBody());
  auto func = gpu::GPUFuncOp::create(kb, loc, kernel.getName(),
                                     kb.getFunctionType(argTypes, {}));
  func->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), kb.getUnitAttr());

  KernelContext ctx(kernel, func, config);
  unsigned numBuffers = tensorInputs.size() + kernel.getNumResults();
  auto sizeArg = [&](unsigned slot) {
    return func.getArgument(numBuffers + slot);
  };
  for (auto [arg, slot] : indexArgSlot)
    ctx.bindIndexArg(arg, sizeArg(slot));
  for (auto [key, slot] : argDimSlot)
    ctx.bindArgDim(key.first, key.second, sizeArg(slot));
  unsigned next = 0;
  for (BlockArgument arg : body.getArguments())
    if (!arg.getType().isIndex())
      ctx.bindBuffer(arg, func.getArgument(next++));
  for (Value y : kernel.getYield().getValues())
    ctx.addOutput(func.getArgument(next++), y);

  HostSide hostSide{host, hostShapes, loc};
  FailureOr<LaunchDims> launch;
  switch (kernel.getKind()) {
  case tc::KernelKind::contraction:
    launch = emitContractionKernel(ctx, hostSide);
    break;
  case tc::KernelKind::row:
    launch = emitRowKernel(ctx, hostSide);
    break;
  default:
    launch = emitLoopKernel(ctx, hostSide);
    break;
  }
  if (failed(launch) || ctx.failed())
    return failure();
  OpBuilder end = OpBuilder::atBlockEnd(&func.getBody().front());
  gpu::ReturnOp::create(end, loc);
  func.setKnownBlockSizeAttr(end.getDenseI32ArrayAttr(
      {int32_t(launch->block[0]), int32_t(launch->block[1]),
       int32_t(launch->block[2])}));

  // The launch on the host.
  SmallVector<Value> outs;
  for (auto [type, dyn] : llvm::zip(kernel.getResultTypes(), resultDims))
    // A fresh allocation per launch (alloc_tensor is not merged by CSE the
    // way tensor.empty is), written whole by the kernel.
    outs.push_back(bufferization::AllocTensorOp::create(
        host, loc, cast<RankedTensorType>(type), dyn));
  auto symbol = SymbolRefAttr::get(
      host.getStringAttr(kKernelModule),
      {FlatSymbolRefAttr::get(host.getContext(), kernel.getName())});
  auto launchOp = tc::LaunchOp::create(
      host, loc, TypeRange(kernel.getResultTypes()), symbol, launch->grid[0],
      launch->grid[1], launch->grid[2],
      host.getDenseI64ArrayAttr(
          {launch->block[0], launch->block[1], launch->block[2]}),
      host.getI64IntegerAttr(0), ValueRange(tensorInputs), ValueRange(outs),
      ValueRange(sizes.getArrayRef()));
  kernel.replaceAllUsesWith(launchOp.getResults());
  kernel.erase();
  return success();
}

struct TCEmitKernels : tc::impl::TCEmitKernelsBase<TCEmitKernels> {
  using TCEmitKernelsBase::TCEmitKernelsBase;

  void runOnOperation() override {
    if (target != "cuda" && target != "cpu") {
      getOperation().emitError("unknown target '")
          << target << "'; use cuda or cpu";
      return signalPassFailure();
    }
    TargetConfig config = TargetConfig::forTarget(target);
    std::optional<int64_t> sm = parseSmVersion(arch);
    if (!sm) {
      getOperation().emitError("unknown GPU architecture '")
          << arch << "'; expected sm_NN, e.g. sm_90";
      return signalPassFailure();
    }
    config.sm = *sm;
    config.keyTarget = config.cpu ? "cpu" : arch.getValue();
    for (const std::string &entry : tunedTiles) {
      auto [key, text] = StringRef(entry).split('=');
      std::string error;
      std::optional<ContractionTiles> tiles =
          parseTiles(text, config.cpu, 4, 4, error);
      bool noKey = key.empty() || !StringRef(entry).contains('=');
      if (noKey || !tiles) {
        getOperation().emitError("cannot use the tuned tiles '")
            << entry << "': " << (noKey ? "expected KEY=TILES" : error);
        return signalPassFailure();
      }
      config.tuned[key] = *tiles;
    }
    if (!tileSizes.empty()) {
      std::string error;
      config.tiles = tilesFromSizes(config.cpu, tileSizes, error);
      if (!config.tiles) {
        getOperation().emitError("cannot use tile sizes ")
            << llvm::join(
                   llvm::map_range(tileSizes,
                                   [](int64_t s) { return std::to_string(s); }),
                   ",")
            << ": " << error;
        return signalPassFailure();
      }
    }
    ModuleOp module = getOperation();
    SmallVector<tc::KernelOp> kernels;
    module.walk([&](tc::KernelOp k) { kernels.push_back(k); });
    // Created even when empty (a model of views only), so that every target
    // finds the kernel module and produces an artifact with no kernels.
    gpu::GPUModuleOp kernelModule = getOrCreateKernelModule(module);
    DenseMap<Operation *, std::unique_ptr<HostDims>> hostDims;
    for (tc::KernelOp k : kernels) {
      auto fn = k->getParentOfType<func::FuncOp>();
      std::unique_ptr<HostDims> &dims = hostDims[fn];
      if (!dims)
        dims = std::make_unique<HostDims>(fn);
      if (failed(emitKernel(k, kernelModule, config, *dims)))
        return signalPassFailure();
    }
    // Sizes computed on the host fold back to the entry arguments' dims.
    RewritePatternSet patterns(&getContext());
    memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
    tensor::DimOp::getCanonicalizationPatterns(patterns, &getContext());
    FrozenRewritePatternSet frozen(std::move(patterns));
    for (auto fn : module.getOps<func::FuncOp>())
      (void)applyPatternsGreedily(fn, frozen);
  }
};
} // namespace
