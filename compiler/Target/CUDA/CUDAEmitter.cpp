//===- CUDAEmitter.cpp - gpu.module @tc_kernels as CUDA C++ ---------------===//

#include "compiler/Target/CUDA/CUDAEmitter.h"
#include "compiler/Target/CUDA/Printer.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace tensorc::cuda {

FailureOr<std::string> translateKernelsToCUDA(ModuleOp module) {
  gpu::GPUModuleOp kernels;
  module.walk([&](gpu::GPUModuleOp op) {
    if (op.getName() == "tc_kernels")
      kernels = op;
  });
  if (!kernels)
    return module.emitError("no gpu.module @tc_kernels to print as CUDA C++");
  return translateKernelsToCUDA(kernels);
}

FailureOr<std::string> translateKernelsToCUDA(gpu::GPUModuleOp kernels) {
  std::string source;
  llvm::raw_string_ostream os(source);
  os << "// CUDA C++ printed by tensorc from gpu.module @tc_kernels.\n"
     << getCUDAPrelude();
  for (Operation &op : kernels.getBody()->getOperations()) {
    auto func = dyn_cast<gpu::GPUFuncOp>(op);
    if (!func) {
      if (op.hasTrait<OpTrait::IsTerminator>())
        continue;
      return unsupported(&op);
    }
    os << "\n";
    KernelPrinter printer(os);
    if (failed(printer.printKernel(func)))
      return failure();
  }
  return source;
}

} // namespace tensorc::cuda
