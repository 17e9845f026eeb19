//===- HostLowering.cpp - Kernels to LLVM IR for the CPU ------------------===//

#include "compiler/Target/Host/HostTarget.h"
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

using namespace mlir;

namespace tensorc::target {

FailureOr<OwningOpRef<ModuleOp>>
lowerKernelsToHostLLVM(ModuleOp module, const HostOptions &opts) {
  auto gpuModule = dyn_cast_or_null<gpu::GPUModuleOp>(
      SymbolTable::lookupSymbolIn(module, "tc_kernels"));
  if (!gpuModule)
    return module.emitError("no gpu.module @tc_kernels to compile for the CPU");
  OpBuilder b(module.getContext());
  OwningOpRef<ModuleOp> host = ModuleOp::create(b, module.getLoc());
  b.setInsertionPointToStart(host->getBody());
  Operation *kernels = b.clone(*gpuModule);
  // Kernels whose loops must stay scalar (tc.scalar_loops, set by the row
  // emitter), by name for translateHostKernelsToLLVMIR.
  SmallVector<Attribute> scalar;
  kernels->walk([&](gpu::GPUFuncOp fn) {
    if (fn->hasAttr(tc::kScalarLoopsAttr))
      scalar.push_back(b.getStringAttr(fn.getName()));
  });
  (*host)->setAttr(tc::kScalarLoopsAttr, b.getArrayAttr(scalar));
  if (opts.fastMath) {
    auto fast = arith::FastMathFlagsAttr::get(module.getContext(),
                                              arith::FastMathFlags::fast);
    kernels->walk([&](arith::ArithFastMathInterface op) {
      op->setAttr(op.getFastMathAttrName(), fast);
    });
  }

  PassManager pm(module.getContext());
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
  if (failed(pm.run(*host)))
    return failure();
  return host;
}

FailureOr<std::unique_ptr<llvm::TargetMachine>>
createHostTargetMachine(Location loc, const HostOptions &opts, bool forJIT) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
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
