//===- HostJIT.cpp - CPU kernels compiled in-process ----------------------===//

#include "compiler/Target/Host/HostJIT.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"

#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;

namespace tensorc::target {

HostKernels::HostKernels(std::unique_ptr<ExecutionEngine> engine)
    : engine(std::move(engine)) {}

HostKernels::~HostKernels() = default;

FailureOr<std::unique_ptr<HostKernels>>
HostKernels::create(ModuleOp module, const HostOptions &opts) {
  Location loc = module.getLoc();
  FailureOr<OwningOpRef<ModuleOp>> lowered =
      lowerKernelsToHostLLVM(module, opts);
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
  llvm::Expected<std::unique_ptr<ExecutionEngine>> engine =
      ExecutionEngine::create(**lowered, engineOptions,
                              std::move(*codegenMachine));
  if (!engine)
    return emitError(loc, "cannot JIT-compile the host kernels: ")
           << llvm::toString(engine.takeError());

  // Compile every kernel now, so that errors (an unresolved libm function)
  // surface here rather than at the first lookup.
  for (auto func : (*lowered)->getOps<LLVM::LLVMFuncOp>()) {
    if (func.isExternal() || func.isPrivate())
      continue;
    if (llvm::Expected<void *> fn = (*engine)->lookup(func.getName()); !fn)
      return emitError(loc, "cannot JIT-compile kernel '")
             << func.getName() << "': " << llvm::toString(fn.takeError());
  }
  return std::unique_ptr<HostKernels>(new HostKernels(std::move(*engine)));
}

void *HostKernels::lookup(llvm::StringRef kernelName) const {
  llvm::Expected<void *> fn = engine->lookup(kernelName);
  if (!fn) {
    llvm::consumeError(fn.takeError());
    return nullptr;
  }
  return *fn;
}

} // namespace tensorc::target
