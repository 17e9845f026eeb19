//===- PrintVector.cpp - Small vectors of tensor-core fragments -----------===//
//
// Only what tensor-core tiles use: a vector is a `tc_rt::vec<T, N>` (its
// elements flattened row-major), built by vector.from_elements and read by
// vector.extract at static positions.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/CUDA/Printer.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace tensorc::cuda {

LogicalResult KernelPrinter::printVectorOp(Operation *op) {
  if (auto build = dyn_cast<vector::FromElementsOp>(op)) {
    std::string elements;
    for (auto [i, element] : llvm::enumerate(build.getElements()))
      elements += (i ? ", " : "") + name(element).str();
    return declare(op, build.getResult(), "{{" + elements + "}}");
  }
  if (auto extract = dyn_cast<vector::ExtractOp>(op)) {
    VectorType type = extract.getSourceVectorType();
    if (isa<VectorType>(extract.getResult().getType()) ||
        !extract.getDynamicPosition().empty())
      return extract.emitOpError("extracts a vector or at a dynamic position: "
                                 "the CUDA C++ printer takes static scalars");
    int64_t flat = 0;
    for (auto [size, position] :
         llvm::zip_equal(type.getShape(), extract.getStaticPosition()))
      flat = flat * size + position;
    return declare(op, extract.getResult(),
                   name(extract.getSource()) + ".v[" + std::to_string(flat) +
                       "]");
  }
  return unsupported(op);
}

} // namespace tensorc::cuda
