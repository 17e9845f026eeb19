//===- PrintMemRef.cpp - memref.load/store as array accesses --------------===//
//
// Buffers are flat pointers; attributions are arrays of their static size,
// indexed row-major.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/CUDA/Printer.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

namespace tensorc::cuda {

FailureOr<std::string> memrefElement(KernelPrinter &p, Operation *op,
                                     Value memref, ValueRange indices) {
  auto type = cast<MemRefType>(memref.getType());
  if (!type.getLayout().isIdentity() ||
      (type.getRank() > 1 && !type.hasStaticShape()))
    return op->emitOpError("accesses a memref of type ")
           << type << " that the CUDA C++ printer does not support";
  std::string index;
  ArrayRef<int64_t> shape = type.getShape();
  for (auto [dim, i] : llvm::enumerate(indices)) {
    int64_t stride = 1;
    for (int64_t size : shape.drop_front(dim + 1))
      stride *= size;
    if (dim)
      index += " + ";
    index += p.name(i).str();
    if (stride != 1)
      index += " * " + std::to_string(stride);
  }
  if (index.empty()) // rank 0
    index = "0";
  return (p.name(memref) + "[" + index + "]").str();
}

LogicalResult KernelPrinter::printMemRefOp(Operation *op) {
  if (auto load = dyn_cast<memref::LoadOp>(op)) {
    FailureOr<std::string> ref =
        memrefElement(*this, op, load.getMemRef(), load.getIndices());
    if (failed(ref))
      return failure();
    return declare(op, load, *ref);
  }
  if (auto store = dyn_cast<memref::StoreOp>(op)) {
    FailureOr<std::string> ref =
        memrefElement(*this, op, store.getMemRef(), store.getIndices());
    if (failed(ref))
      return failure();
    out() << *ref << " = " << name(store.getValueToStore()) << ";\n";
    return success();
  }
  return unsupported(op);
}

} // namespace tensorc::cuda
