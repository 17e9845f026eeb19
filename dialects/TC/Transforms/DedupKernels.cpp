//===- DedupKernels.cpp - Generate each distinct kernel once --------------===//

#include "dialects/TC/IR/TCOps.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/OperationSupport.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCDEDUPKERNELS
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;

namespace {

/// Kernels are interchangeable when everything but their name agrees.
bool sameKernel(gpu::GPUFuncOp a, gpu::GPUFuncOp b) {
  if (a.getFunctionType() != b.getFunctionType() ||
      a.getKnownBlockSizeAttr() != b.getKnownBlockSizeAttr() ||
      a.getNumWorkgroupAttributions() != b.getNumWorkgroupAttributions() ||
      a.getNumPrivateAttributions() != b.getNumPrivateAttributions())
    return false;
  return OperationEquivalence::isRegionEquivalentTo(
      &a.getBody(), &b.getBody(), OperationEquivalence::IgnoreLocations);
}

struct TCDedupKernels : tensorc::tc::impl::TCDedupKernelsBase<TCDedupKernels> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto kernels : module.getOps<gpu::GPUModuleOp>()) {
      // Kernels are grouped by signature first; equal ones are compared.
      llvm::DenseMap<Type, SmallVector<gpu::GPUFuncOp>> kept;
      llvm::DenseMap<StringAttr, StringAttr> replacement;
      for (auto fn :
           llvm::make_early_inc_range(kernels.getOps<gpu::GPUFuncOp>())) {
        SmallVector<gpu::GPUFuncOp> &candidates = kept[fn.getFunctionType()];
        auto same = llvm::find_if(
            candidates, [&](gpu::GPUFuncOp k) { return sameKernel(k, fn); });
        if (same == candidates.end()) {
          candidates.push_back(fn);
          continue;
        }
        replacement[fn.getNameAttr()] = same->getNameAttr();
        fn.erase();
      }
      if (replacement.empty())
        continue;
      module.walk([&](tensorc::tc::LaunchOp launch) {
        SymbolRefAttr ref = launch.getKernel();
        if (ref.getRootReference() != kernels.getNameAttr())
          return;
        auto it = replacement.find(ref.getLeafReference());
        if (it == replacement.end())
          return;
        launch.setKernelAttr(SymbolRefAttr::get(
            ref.getRootReference(), {FlatSymbolRefAttr::get(it->second)}));
      });
    }
  }
};
} // namespace
