//===- HostJIT.cpp - CPU kernels compiled in-process ----------------------===//

#include "compiler/Target/Host/HostJIT.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/Threading.h"

#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;

namespace tensorc::target {

HostKernels::~HostKernels() = default;

/// Lowers, optimizes and JIT-compiles one shard of kernels: an engine and
/// the shard's kernel pointers.
static LogicalResult
compileShard(gpu::GPUModuleOp shard, const HostOptions &opts,
             std::unique_ptr<ExecutionEngine> &engine,
             SmallVectorImpl<std::pair<std::string, void *>> &kernels) {
  Location loc = shard.getLoc();
  FailureOr<OwningOpRef<ModuleOp>> lowered =
      lowerKernelsToHostLLVM(shard, opts);
  if (failed(lowered))
    return failure();
  // One machine generates code inside the JIT, the other tells the IR
  // optimizer what the CPU can do (vector widths, features).
  FailureOr<std::unique_ptr<llvm::TargetMachine>> codegenMachine =
      createHostTargetMachine(loc, opts, /*forJIT=*/true);
  FailureOr<std::unique_ptr<llvm::TargetMachine>> optMachine =
      createHostTargetMachine(loc, opts, /*forJIT=*/true);
  if (failed(codegenMachine) || failed(optMachine))
    return failure();

  // Translating and optimizing here (rather than in the engine's transformer,
  // whose errors abort) keeps every failure a diagnostic.
  auto buildModule =
      [&](Operation *op,
          llvm::LLVMContext &llvmContext) -> std::unique_ptr<llvm::Module> {
    FailureOr<std::unique_ptr<llvm::Module>> llvmModule =
        translateHostKernelsToLLVMIR(cast<ModuleOp>(op), llvmContext,
                                     **optMachine, opts);
    return succeeded(llvmModule) ? std::move(*llvmModule) : nullptr;
  };
  ExecutionEngineOptions engineOptions;
  engineOptions.llvmModuleBuilder = buildModule;
  engineOptions.enablePerfNotificationListener = false;
  llvm::Expected<std::unique_ptr<ExecutionEngine>> created =
      ExecutionEngine::create(**lowered, engineOptions,
                              std::move(*codegenMachine));
  if (!created)
    return emitError(loc, "cannot JIT-compile the host kernels: ")
           << llvm::toString(created.takeError());
  engine = std::move(*created);

  // Compile every kernel now, so that errors (an unresolved libm function)
  // surface here rather than at the first lookup.
  for (auto func : (*lowered)->getOps<LLVM::LLVMFuncOp>()) {
    if (func.isExternal() || func.isPrivate())
      continue;
    llvm::Expected<void *> fn = engine->lookup(func.getName());
    if (!fn)
      return emitError(loc, "cannot JIT-compile kernel '")
             << func.getName() << "': " << llvm::toString(fn.takeError());
    kernels.emplace_back(func.getName().str(), *fn);
  }
  return success();
}

FailureOr<std::unique_ptr<HostKernels>>
HostKernels::create(ModuleOp module, const HostOptions &opts) {
  auto shards = splitHostKernels(module, opts);
  if (failed(shards))
    return failure();
  std::unique_ptr<HostKernels> result(new HostKernels());
  result->engines.resize(shards->size());
  SmallVector<SmallVector<std::pair<std::string, void *>>> found(
      shards->size());
  if (failed(failableParallelForEachN(
          module.getContext(), 0, shards->size(), [&](size_t s) {
            return compileShard(*(*shards)[s], opts, result->engines[s],
                                found[s]);
          })))
    return failure();
  for (auto &shardKernels : found)
    for (auto &[name, fn] : shardKernels)
      result->kernels[name] = fn;
  return result;
}

void *HostKernels::lookup(llvm::StringRef kernelName) const {
  return kernels.lookup(kernelName);
}

} // namespace tensorc::target
