//===- KernelABI.cpp - The kernel parameter ABI ---------------------------===//

#include "compiler/Target/NVPTX/KernelABI.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

namespace tensorc::target {

/// Whether `op` only addresses elements of its memref operand: the ABI keeps
/// the base pointer, offset 0 and stride 1, but not the size, so every other
/// use (memref.dim, copies, masked vector transfers) would read garbage.
static bool isElementAccess(Operation *op) {
  if (isa<memref::LoadOp, memref::StoreOp, memref::AtomicRMWOp,
          memref::GenericAtomicRMWOp>(op))
    return true;
  StringRef name = op->getName().getStringRef();
  return name == "vector.load" || name == "vector.store" ||
         name == "vector.maskedload" || name == "vector.maskedstore";
}

/// Checks the uses of `buffer` and of the views made from it.
static LogicalResult checkBufferUses(Value buffer, unsigned argIndex) {
  for (OpOperand &use : buffer.getUses()) {
    Operation *user = use.getOwner();
    if (isElementAccess(user))
      continue;
    if (auto view = dyn_cast<ViewLikeOpInterface>(user);
        view && view.getViewSource() == buffer) {
      for (Value result : user->getResults())
        if (failed(checkBufferUses(result, argIndex)))
          return failure();
      continue;
    }
    return user->emitOpError()
           << "uses buffer argument #" << argIndex
           << " in a way the kernel ABI does not support: buffers are passed "
              "as one pointer without their size, so only loads, stores and "
              "atomics may use them";
  }
  return success();
}

FailureOr<SmallVector<std::string>> getKernelABI(gpu::GPUFuncOp kernel) {
  SmallVector<std::string> kinds;
  for (auto [i, type] : llvm::enumerate(kernel.getArgumentTypes())) {
    if (auto memref = dyn_cast<MemRefType>(type)) {
      if (memref.getRank() != 1 || !memref.getLayout().isIdentity())
        return kernel.emitOpError()
               << "argument #" << i << " has type " << type
               << "; kernel buffers must be flat memrefs (memref<?xT>)";
      if (!kernel.isExternal() &&
          failed(checkBufferUses(kernel.getArgument(i), i)))
        return failure();
      kinds.push_back(kABIPointer.str());
      continue;
    }
    if (type.isIndex() || type.isInteger(64)) {
      kinds.push_back(kABIInt64.str());
      continue;
    }
    return kernel.emitOpError()
           << "argument #" << i << " has type " << type
           << "; the kernel ABI passes only buffers and index sizes";
  }
  return kinds;
}

LogicalResult annotateKernelABI(gpu::GPUModuleOp gpuModule) {
  bool ok = true;
  Builder b(gpuModule.getContext());
  for (auto kernel : gpuModule.getOps<gpu::GPUFuncOp>()) {
    if (!kernel.isKernel())
      continue;
    FailureOr<SmallVector<std::string>> kinds = getKernelABI(kernel);
    if (failed(kinds)) {
      ok = false;
      continue;
    }
    SmallVector<StringRef> refs(kinds->begin(), kinds->end());
    kernel->setAttr(kKernelABIAttrName, b.getStrArrayAttr(refs));
  }
  return success(ok);
}

} // namespace tensorc::target
