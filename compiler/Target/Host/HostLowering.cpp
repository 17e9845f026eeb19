//===- HostLowering.cpp - Kernels to LLVM IR for the CPU ------------------===//

#include "compiler/Target/Host/HostTarget.h"
#include "compiler/Target/Shards/KernelShards.h"
#include "dialects/TC/IR/TCOps.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/Utils/LoopUtils.h"

#include <algorithm>
#include <mutex>

using namespace mlir;

namespace tensorc::target {

/// The passes from `@tc_kernels` to host functions in the LLVM dialect.
static void addHostLoweringPasses(OpPassManager &pm) {
  pm.addPass(tc::createTCLowerKernelsToHost());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createSCFToControlFlowPass());
  // Compute in f32 where the CPU has no half-precision arithmetic, and round
  // to bf16 with integer ops: LLVM would call __truncsfbf2, which older
  // compiler runtimes (Debian's libgcc 12) do not have.
  pm.addPass(math::createMathExtendToSupportedTypes());
  arith::ArithEmulateUnsupportedFloatsOptions emulate;
  emulate.sourceTypeStrs = {"bf16"};
  pm.addPass(arith::createArithEmulateUnsupportedFloats(emulate));
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  // Intrinsics where LLVM has them (exp, log, fma, ...), libm for the rest
  // (erf, tanh, ...): the JIT resolves libm in-process, the shared object
  // links it.
  ConvertMathToLLVMPassOptions mathOptions;
  mathOptions.approximateLog1p = false; // log(1 + x) loses small x.
  pm.addPass(createConvertMathToLLVMPass(mathOptions));
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

/// Loads into `ctx` what lowering and translating kernels needs, so that
/// shards can do both at once: a context must not load dialects or grow its
/// registry while several threads use it.
static void loadHostLoweringDialects(MLIRContext *ctx) {
  PassManager pm(ctx);
  addHostLoweringPasses(pm);
  DialectRegistry registry;
  pm.getDependentDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  ctx->appendDialectRegistry(registry);
  for (StringRef name : registry.getDialectNames())
    ctx->getOrLoadDialect(name);
}

static FailureOr<gpu::GPUModuleOp> findKernels(ModuleOp module) {
  auto gpuModule = dyn_cast_or_null<gpu::GPUModuleOp>(
      SymbolTable::lookupSymbolIn(module, "tc_kernels"));
  if (!gpuModule)
    return module.emitError("no gpu.module @tc_kernels to compile for the CPU");
  return gpuModule;
}

FailureOr<SmallVector<OwningOpRef<gpu::GPUModuleOp>>>
splitHostKernels(ModuleOp module, const HostOptions &opts) {
  FailureOr<gpu::GPUModuleOp> gpuModule = findKernels(module);
  if (failed(gpuModule))
    return failure();
  MLIRContext *ctx = module.getContext();
  loadHostLoweringDialects(ctx);
  // More shards than threads would only add per-shard work.
  unsigned threads = ctx->isMultithreadingEnabled() ? ctx->getNumThreads() : 1;
  return splitIntoShards(*gpuModule,
                         std::max(1u, std::min(opts.shards, threads)));
}

FailureOr<OwningOpRef<ModuleOp>>
lowerKernelsToHostLLVM(ModuleOp module, const HostOptions &opts) {
  FailureOr<gpu::GPUModuleOp> gpuModule = findKernels(module);
  if (failed(gpuModule))
    return failure();
  return lowerKernelsToHostLLVM(*gpuModule, opts);
}

FailureOr<OwningOpRef<ModuleOp>>
lowerKernelsToHostLLVM(gpu::GPUModuleOp gpuModule, const HostOptions &opts) {
  MLIRContext *ctx = gpuModule.getContext();
  OpBuilder b(ctx);
  OwningOpRef<ModuleOp> host = ModuleOp::create(b, gpuModule.getLoc());
  b.setInsertionPointToStart(host->getBody());
  auto kernels = cast<gpu::GPUModuleOp>(b.clone(*gpuModule));
  // A shard (`@tc_kernels_1`, ...) is lowered like the whole module.
  kernels.setSymName("tc_kernels");
  // Kernels whose loops must stay scalar (tc.scalar_loops, set by the row
  // emitter), by name for translateHostKernelsToLLVMIR.
  SmallVector<Attribute> scalar;
  kernels->walk([&](gpu::GPUFuncOp fn) {
    if (fn->hasAttr(tc::kScalarLoopsAttr))
      scalar.push_back(b.getStringAttr(fn.getName()));
  });
  (*host)->setAttr(tc::kScalarLoopsAttr, b.getArrayAttr(scalar));
  if (opts.fastMath) {
    auto fast = arith::FastMathFlagsAttr::get(ctx, arith::FastMathFlags::fast);
    kernels->walk([&](arith::ArithFastMathInterface op) {
      op->setAttr(op.getFastMathAttrName(), fast);
    });
  }

  PassManager pm(ctx);
  addHostLoweringPasses(pm);
  if (failed(pm.run(*host)))
    return failure();
  return host;
}

FailureOr<std::unique_ptr<llvm::TargetMachine>>
createHostTargetMachine(Location loc, const HostOptions &opts, bool forJIT) {
  // Shards create their machines concurrently; registering a target is not
  // thread-safe the first time.
  static std::once_flag initialized;
  std::call_once(initialized, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  if (opts.optLevel > 3)
    return emitError(loc, "host optimization level must be 0 to 3, not ")
           << opts.optLevel;
  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return emitError(loc, "no LLVM target for this host (")
           << triple.str() << "): " << error;
  std::string cpu = opts.cpu;
  llvm::SubtargetFeatures features;
  if (cpu == "host") {
    cpu = llvm::sys::getHostCPUName().str();
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features.AddFeature(feature.getKey(), feature.getValue());
  }
  static const llvm::CodeGenOptLevel levels[] = {
      llvm::CodeGenOptLevel::None, llvm::CodeGenOptLevel::Less,
      llvm::CodeGenOptLevel::Default, llvm::CodeGenOptLevel::Aggressive};
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features.getString(), llvm::TargetOptions(),
      forJIT ? std::nullopt : std::optional(llvm::Reloc::PIC_), std::nullopt,
      levels[opts.optLevel], forJIT));
  if (!machine)
    return emitError(loc, "cannot create an LLVM target machine for CPU '")
           << cpu << "'";
  // An unknown CPU name only warns on stderr; reject it here instead.
  if (!machine->getMCSubtargetInfo()->isCPUStringValid(cpu))
    return emitError(loc, "unknown CPU '") << cpu << "' for " << triple.str();
  return machine;
}

FailureOr<std::unique_ptr<llvm::Module>> translateHostKernelsToLLVMIR(
    ModuleOp llvmDialectModule, llvm::LLVMContext &llvmContext,
    llvm::TargetMachine &machine, const HostOptions &opts) {
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  llvmDialectModule.getContext()->appendDialectRegistry(registry);

  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(llvmDialectModule, llvmContext, "tc_kernels");
  if (!llvmModule)
    return llvmDialectModule.emitError("cannot translate host kernels to "
                                       "LLVM IR");
  // llvm.loop.vectorize.enable = false on every loop of the kernels marked
  // tc.scalar_loops: LLVM 22's vectorizer can spend minutes planning some
  // row kernels (docs/reliability.md).
  if (auto names =
          llvmDialectModule->getAttrOfType<ArrayAttr>(tc::kScalarLoopsAttr)) {
    for (auto name : names.getAsValueRange<StringAttr>()) {
      llvm::Function *fn = llvmModule->getFunction(name);
      if (!fn || fn->isDeclaration())
        continue;
      llvm::DominatorTree dominators(*fn);
      llvm::LoopInfo loops(dominators);
      for (llvm::Loop *loop : loops.getLoopsInPreorder())
        llvm::addStringMetadataToLoop(loop, "llvm.loop.vectorize.enable", 0);
    }
  }
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());
  auto optimize =
      makeOptimizingTransformer(opts.optLevel, /*sizeLevel=*/0, &machine);
  if (llvm::Error error = optimize(llvmModule.get()))
    return llvmDialectModule.emitError("LLVM optimization failed: ")
           << llvm::toString(std::move(error));
  return llvmModule;
}

} // namespace tensorc::target
