//===- PTXTarget.cpp - Kernels to PTX through LLVM's NVPTX backend --------===//

#include "compiler/Target/NVPTX/PTXTarget.h"
#include "compiler/Target/NVPTX/KernelABI.h"
#include "compiler/Target/NVPTX/PTXShards.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVM.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVM.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVM/NVVM/Utils.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace tensorc::target {

void registerPTXTargetDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, cf::ControlFlowDialect, gpu::GPUDialect,
                  LLVM::LLVMDialect, math::MathDialect, memref::MemRefDialect,
                  nvgpu::NVGPUDialect, NVVM::NVVMDialect, scf::SCFDialect,
                  ub::UBDialect, vector::VectorDialect>();
  // convert-gpu-to-nvvm takes the patterns for arith, cf, memref, ... from
  // these interfaces, so a context without them would keep those ops.
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  registerConvertFuncToLLVMInterface(registry);
  index::registerConvertIndexToLLVMInterface(registry);
  registerConvertMathToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
  registerConvertNVVMToLLVMInterface(registry);
  NVVM::registerConvertGpuToNVVMInterface(registry);
  ub::registerConvertUBToLLVMInterface(registry);
  // What is left of tensor-core tiles after convert-nvgpu-to-nvvm.
  vector::registerConvertVectorToLLVMInterface(registry);
  // gpu-module-to-binary: the #nvvm.target serializer and LLVM IR export.
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
}

/// The toolkit that holds libdevice: the option, the environment (as MLIR
/// looks it up), then the usual install path.
static std::string resolveToolkitPath(const PTXOptions &opts) {
  if (!opts.toolkitPath.empty())
    return opts.toolkitPath;
  if (StringRef env = NVVM::getCUDAToolkitPath(); !env.empty())
    return env.str();
  return "/usr/local/cuda";
}

static bool hasLibdevice(StringRef toolkit) {
  SmallString<256> path(toolkit);
  llvm::sys::path::append(path, "nvvm", "libdevice", "libdevice.10.bc");
  return llvm::sys::fs::is_regular_file(path);
}

/// Clones `@tc_kernels` into a fresh container module.
static FailureOr<OwningOpRef<ModuleOp>> cloneKernels(ModuleOp module) {
  auto gpuModule = dyn_cast_or_null<gpu::GPUModuleOp>(
      SymbolTable::lookupSymbolIn(module, "tc_kernels"));
  if (!gpuModule)
    return module.emitError("no gpu.module @tc_kernels to compile to PTX");
  OpBuilder b(module.getContext());
  OwningOpRef<ModuleOp> clone = ModuleOp::create(b, module.getLoc());
  (*clone)->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                    b.getUnitAttr());
  b.setInsertionPointToStart(clone->getBody());
  b.clone(*gpuModule);
  return clone;
}

static void setFastMath(gpu::GPUModuleOp gpuModule) {
  auto fast = arith::FastMathFlagsAttr::get(gpuModule.getContext(),
                                            arith::FastMathFlags::fast);
  gpuModule.walk([&](arith::ArithFastMathInterface op) {
    op->setAttr(op.getFastMathAttrName(), fast);
  });
}

/// A clone of `@tc_kernels` as `shards` gpu.modules of whole kernels, lowered
/// to the LLVM dialect with one pointer per buffer; the pass manager lowers
/// the shards in parallel.
static FailureOr<OwningOpRef<ModuleOp>>
lowerShards(ModuleOp module, const PTXOptions &opts, unsigned shards) {
  MLIRContext *ctx = module.getContext();
  DialectRegistry registry;
  registerPTXTargetDialects(registry);
  ctx->appendDialectRegistry(registry);
  ctx->loadDialect<NVVM::NVVMDialect, LLVM::LLVMDialect>();

  FailureOr<OwningOpRef<ModuleOp>> clone = cloneKernels(module);
  if (failed(clone))
    return failure();
  auto gpuModule = *(*clone)->getOps<gpu::GPUModuleOp>().begin();
  if (failed(annotateKernelABI(gpuModule)))
    return failure();
  if (opts.fastMath)
    setFastMath(gpuModule);
  if (opts.optLevel > 3)
    return module.emitError("PTX optimization level must be 0 to 3, not ")
           << opts.optLevel;
  Builder b(ctx);
  SmallVector<NamedAttribute> flags;
  if (opts.fastMath)
    flags.push_back(b.getNamedAttr("fast", b.getUnitAttr()));
  gpuModule.setTargetsAttr(b.getArrayAttr({NVVM::NVVMTargetAttr::get(
      ctx, opts.optLevel, "nvptx64-nvidia-cuda", opts.arch, /*features=*/"",
      flags.empty() ? DictionaryAttr() : b.getDictionaryAttr(flags))}));
  if (shards > 1) {
    for (OwningOpRef<gpu::GPUModuleOp> &shard :
         splitIntoShards(gpuModule, shards))
      (*clone)->getBody()->push_back(shard.release());
    gpuModule.erase();
  }

  PassManager lower(ctx);
  TimingScope timing =
      opts.timing ? opts.timing->nest("Lower kernels to NVVM") : TimingScope();
  if (opts.timing)
    lower.enableTiming(timing);
  OpPassManager &nested = lower.nest<gpu::GPUModuleOp>();
  // Tensor-core tiles: bf16 first (MLIR's lowering has no bf16 case).
  nested.addPass(tc::createTCBF16MmaSyncToNVVM());
  nested.addPass(createConvertNVGPUToNVVMPass());
  nested.addPass(createSCFToControlFlowPass());
  ConvertGpuOpsToNVVMOpsOptions nvvmOptions;
  nvvmOptions.indexBitwidth = 64;
  nested.addPass(createConvertGpuOpsToNVVMOps(nvvmOptions));
  lower.addPass(tc::createTCBareKernelABI());
  lower.addPass(createReconcileUnrealizedCastsPass());
  if (failed(lower.run(**clone)))
    return failure();
  return std::move(*clone);
}

FailureOr<OwningOpRef<ModuleOp>> lowerKernelsToNVVM(ModuleOp module,
                                                    const PTXOptions &opts) {
  return lowerShards(module, opts, /*shards=*/1);
}

FailureOr<std::string> translateKernelsToPTX(ModuleOp module,
                                             const PTXOptions &opts) {
  FailureOr<OwningOpRef<ModuleOp>> lowered =
      lowerShards(module, opts, std::max(opts.shards, 1u));
  if (failed(lowered))
    return failure();
  SmallVector<gpu::GPUModuleOp> shards((**lowered).getOps<gpu::GPUModuleOp>());

  // libdevice provides the __nv_* math functions; without it they would stay
  // undefined and ptxas would reject the module much later.
  std::string toolkit = resolveToolkitPath(opts);
  bool needsLibdevice = false;
  (**lowered).walk([&](LLVM::LLVMFuncOp func) {
    needsLibdevice |= func.isExternal() && func.getName().starts_with("__nv_");
  });
  if (needsLibdevice && !hasLibdevice(toolkit))
    return module.emitError("the kernels call CUDA math functions but ")
           << toolkit
           << "/nvvm/libdevice/libdevice.10.bc does not exist; set CUDA_HOME "
              "or the PTX toolkit path to a CUDA toolkit";

  TimingScope timing = opts.timing ? opts.timing->nest("LLVM IR, optimization "
                                                       "and NVPTX, per shard")
                                   : TimingScope();
  return serializeShardsToPTX(shards, needsLibdevice ? toolkit : "");
}

} // namespace tensorc::target
