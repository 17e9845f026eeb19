//===- LowerKernelsToHost.cpp - gpu.func kernels as host functions --------===//
//
// `tc-lower-kernels-to-host`: each kernel of `gpu.module @tc_kernels` becomes
//
//   void NAME(void **args, const int64_t *grid, int64_t blockBegin,
//             int64_t blockEnd)
//
// (docs/artifact.md, "Kernel ABI"): the parameters are loaded from `args`
// once, then a loop runs the body for each linear block id of
// [blockBegin, blockEnd). CPU kernels have one thread per block, so thread
// ids are 0, block dims 1 and barriers are no-ops.
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCLOWERKERNELSTOHOST
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;

namespace {

/// Values the kernel body reads in place of the gpu id ops.
struct LaunchValues {
  Value blockIds[3];
  Value gridDims[3];
  Value zero, one;
};

/// Rejects what one thread per block cannot run and parameters that the ABI
/// cannot pass.
LogicalResult checkKernel(gpu::GPUFuncOp kernel) {
  for (auto [i, type] : llvm::enumerate(kernel.getArgumentTypes())) {
    auto memref = dyn_cast<MemRefType>(type);
    if (memref && memref.getRank() == 1 && memref.getLayout().isIdentity() &&
        !memref.getMemorySpace())
      continue;
    if (!memref && (isa<IndexType, IntegerType, FloatType>(type)))
      continue;
    return kernel.emitOpError()
           << "argument #" << i << " has type " << type
           << "; host kernels take flat memrefs (memref<?xT>) and scalars";
  }
  WalkResult result = kernel.walk([](Operation *op) {
    if (!isa<gpu::GPUDialect>(op->getDialect()) || isa<gpu::GPUFuncOp>(op))
      return WalkResult::advance();
    if (isa<gpu::BlockIdOp, gpu::ThreadIdOp, gpu::BlockDimOp, gpu::GridDimOp,
            gpu::GlobalIdOp, gpu::BarrierOp, gpu::ReturnOp>(op))
      return WalkResult::advance();
    op->emitOpError("cannot run on the CPU: CPU kernels have one thread per "
                    "block and use only gpu ids and barriers");
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

/// Loads parameter `index` of `kernel` through `args` (each entry points at
/// the value, as for cuLaunchKernel). A buffer becomes a memref descriptor
/// with offset 0 and stride 1, cast to the memref type that the LLVM lowering
/// folds away again.
Value loadParameter(OpBuilder &b, Location loc, Value args, unsigned index,
                    Type type) {
  MLIRContext *ctx = b.getContext();
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  auto i64 = b.getI64Type();
  Value slot = LLVM::GEPOp::create(b, loc, ptrType, ptrType, args,
                                   ArrayRef<LLVM::GEPArg>{int32_t(index)});
  Value valuePtr = LLVM::LoadOp::create(b, loc, ptrType, slot);
  if (type.isIndex())
    return arith::IndexCastOp::create(
        b, loc, type, LLVM::LoadOp::create(b, loc, i64, valuePtr));
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref)
    return LLVM::LoadOp::create(b, loc, type, valuePtr);

  Value buffer = LLVM::LoadOp::create(b, loc, ptrType, valuePtr);
  auto array = LLVM::LLVMArrayType::get(i64, 1);
  auto descType = LLVM::LLVMStructType::getLiteral(
      ctx, {ptrType, ptrType, i64, array, array});
  auto constant = [&](int64_t v) -> Value {
    return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(v));
  };
  // Kernels never read the size of a dynamic buffer (the ABI has none).
  Value size = memref.isDynamicDim(0)
                   ? Value(LLVM::PoisonOp::create(b, loc, i64))
                   : constant(memref.getDimSize(0));
  Value desc = LLVM::PoisonOp::create(b, loc, descType);
  desc =
      LLVM::InsertValueOp::create(b, loc, desc, buffer, ArrayRef<int64_t>{0});
  desc =
      LLVM::InsertValueOp::create(b, loc, desc, buffer, ArrayRef<int64_t>{1});
  desc = LLVM::InsertValueOp::create(b, loc, desc, constant(0),
                                     ArrayRef<int64_t>{2});
  desc =
      LLVM::InsertValueOp::create(b, loc, desc, size, ArrayRef<int64_t>{3, 0});
  desc = LLVM::InsertValueOp::create(b, loc, desc, constant(1),
                                     ArrayRef<int64_t>{4, 0});
  return UnrealizedConversionCastOp::create(b, loc, memref, desc).getResult(0);
}

/// Replaces the gpu ops of the moved kernel body.
void replaceGPUOps(Region &body, const LaunchValues &values) {
  auto dim = [](gpu::Dimension d) { return static_cast<unsigned>(d); };
  body.walk([&](Operation *op) {
    Value replacement;
    if (auto id = dyn_cast<gpu::BlockIdOp>(op))
      replacement = values.blockIds[dim(id.getDimension())];
    else if (auto id = dyn_cast<gpu::GlobalIdOp>(op))
      replacement = values.blockIds[dim(id.getDimension())];
    else if (auto grid = dyn_cast<gpu::GridDimOp>(op))
      replacement = values.gridDims[dim(grid.getDimension())];
    else if (isa<gpu::ThreadIdOp>(op))
      replacement = values.zero;
    else if (isa<gpu::BlockDimOp>(op))
      replacement = values.one;
    else if (isa<gpu::BarrierOp>(op)) {
      op->erase();
      return;
    } else if (isa<gpu::ReturnOp>(op)) {
      OpBuilder b(op);
      scf::YieldOp::create(b, op->getLoc());
      op->erase();
      return;
    } else {
      return;
    }
    op->getResult(0).replaceAllUsesWith(replacement);
    op->erase();
  });
}

/// Builds the host function for `kernel` at the end of `module` and moves
/// the kernel's body into it.
void lowerKernel(gpu::GPUFuncOp kernel, ModuleOp module) {
  MLIRContext *ctx = module.getContext();
  Location loc = kernel.getLoc();
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  auto i64 = IntegerType::get(ctx, 64);
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto host =
      func::FuncOp::create(b, loc, kernel.getName(),
                           b.getFunctionType({ptrType, ptrType, i64, i64}, {}));
  Block *entry = host.addEntryBlock();
  b.setInsertionPointToStart(entry);
  Value args = entry->getArgument(0), gridPtr = entry->getArgument(1);

  // Parameters, grid sizes and stack buffers for the attributions, once.
  SmallVector<Value> replacements;
  for (auto [i, type] : llvm::enumerate(kernel.getArgumentTypes()))
    replacements.push_back(loadParameter(b, loc, args, i, type));
  LaunchValues values;
  Type index = b.getIndexType();
  for (int d = 0; d < 3; ++d) {
    Value ptr = LLVM::GEPOp::create(b, loc, ptrType, i64, gridPtr,
                                    ArrayRef<LLVM::GEPArg>{d});
    values.gridDims[d] = arith::IndexCastOp::create(
        b, loc, index, LLVM::LoadOp::create(b, loc, i64, ptr));
  }
  auto attributions = llvm::concat<const BlockArgument>(
      kernel.getWorkgroupAttributions(), kernel.getPrivateAttributions());
  for (BlockArgument attribution : attributions) {
    auto type = cast<MemRefType>(attribution.getType());
    auto stackType = MemRefType::get(type.getShape(), type.getElementType(),
                                     type.getLayout());
    replacements.push_back(memref::AllocaOp::create(b, loc, stackType));
  }
  values.zero = arith::ConstantIndexOp::create(b, loc, 0);
  values.one = arith::ConstantIndexOp::create(b, loc, 1);
  Value begin =
      arith::IndexCastOp::create(b, loc, index, entry->getArgument(2));
  Value end = arith::IndexCastOp::create(b, loc, index, entry->getArgument(3));
  auto loop = scf::ForOp::create(b, loc, begin, end, values.one);
  func::ReturnOp::create(b, loc);

  // Block ids from the linear id x + gx * (y + gy * z).
  b.setInsertionPoint(loop.getBody()->getTerminator());
  Value linear = loop.getInductionVar();
  values.blockIds[0] =
      arith::RemUIOp::create(b, loc, linear, values.gridDims[0]);
  Value yz = arith::DivUIOp::create(b, loc, linear, values.gridDims[0]);
  values.blockIds[1] = arith::RemUIOp::create(b, loc, yz, values.gridDims[1]);
  values.blockIds[2] = arith::DivUIOp::create(b, loc, yz, values.gridDims[1]);

  // The body runs in an execute_region (it may have several blocks), inlined
  // into the loop when it has one.
  auto region = scf::ExecuteRegionOp::create(b, loc, TypeRange{});
  region.getRegion().takeBody(kernel.getBody());
  Block &bodyEntry = region.getRegion().front();
  for (auto [arg, value] : llvm::zip(bodyEntry.getArguments(), replacements))
    arg.replaceAllUsesWith(value);
  bodyEntry.eraseArguments(0, bodyEntry.getNumArguments());
  replaceGPUOps(region.getRegion(), values);
  if (region.getRegion().hasOneBlock()) {
    Block *loopBody = loop.getBody();
    loopBody->getOperations().splice(Block::iterator(region),
                                     bodyEntry.getOperations());
    Operation *yield = region->getPrevNode();
    yield->erase();
    region.erase();
  }
}

struct TCLowerKernelsToHost
    : tensorc::tc::impl::TCLowerKernelsToHostBase<TCLowerKernelsToHost> {
  using TCLowerKernelsToHostBase::TCLowerKernelsToHostBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    TCLowerKernelsToHostBase::getDependentDialects(registry);
    registry.insert<arith::ArithDialect>();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto gpuModule = dyn_cast_or_null<gpu::GPUModuleOp>(
        SymbolTable::lookupSymbolIn(module, "tc_kernels"));
    if (!gpuModule)
      return;
    // The host functions replace the gpu.module, so nothing may still launch
    // its kernels (the host target lowers a module holding only kernels).
    if (!SymbolTable::symbolKnownUseEmpty(gpuModule, module)) {
      gpuModule.emitError("@tc_kernels is still referenced; lower a module "
                          "that holds only the kernels to host code");
      return signalPassFailure();
    }
    SmallVector<gpu::GPUFuncOp> kernels;
    for (Operation &op : gpuModule.getBody()->getOperations()) {
      if (op.hasTrait<OpTrait::IsTerminator>())
        continue;
      auto kernel = dyn_cast<gpu::GPUFuncOp>(op);
      if (!kernel || !kernel.isKernel()) {
        op.emitOpError("is not supported in @tc_kernels on the CPU: only "
                       "gpu.func kernels are");
        return signalPassFailure();
      }
      if (failed(checkKernel(kernel)))
        return signalPassFailure();
      if (SymbolTable::lookupSymbolIn(module, kernel.getName())) {
        kernel.emitOpError("has the name of another symbol of the module");
        return signalPassFailure();
      }
      kernels.push_back(kernel);
    }
    for (gpu::GPUFuncOp kernel : kernels)
      lowerKernel(kernel, module);
    gpuModule.erase();
  }
};

} // namespace
