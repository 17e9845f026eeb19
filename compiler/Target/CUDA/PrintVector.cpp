//===- PrintVector.cpp - Small vectors of tensor-core fragments -----------===//
//
// A vector is a `tc_rt::vec<T, N>` (its elements flattened row-major),
// built by vector.from_elements and read by vector.extract at static
// positions (tensor-core fragments). vector.load/store of a 1-D vector
// (elementwise kernels) is one access of the whole vec (`tc_rt::vload`,
// `vstore`: ld/st.global.v4 for 16 bytes) when the op's alignment is at
// least the vec's, element by element otherwise.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/CUDA/Printer.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace tensorc::cuda {

/// The alignment of `tc_rt::vec<T, N>` for `bytes` = sizeof(T) * N (the
/// prelude's vec_align).
static uint64_t vecAlign(int64_t bytes) {
  for (uint64_t a : {16, 8, 4, 2})
    if (bytes % a == 0)
      return a;
  return 1;
}

/// Whether `op` (a vector.load/store of `type`) may access the vec at once.
template <typename OpTy> static bool wholeAccess(OpTy op, VectorType type) {
  unsigned bits = type.getElementType().getIntOrFloatBitWidth();
  if (bits % 8 != 0)
    return false;
  std::optional<uint64_t> align = op.getAlignment();
  return align && *align >= vecAlign(type.getNumElements() * bits / 8);
}

LogicalResult KernelPrinter::printVectorOp(Operation *op) {
  if (auto load = dyn_cast<vector::LoadOp>(op)) {
    VectorType type = load.getVectorType();
    std::optional<StringRef> element = scalarTypeName(type.getElementType());
    if (type.getRank() != 1 || !element)
      return load.emitOpError("loads a vector of type ")
             << type << " that the CUDA C++ printer does not support";
    FailureOr<std::string> ref =
        memrefElement(*this, op, load.getBase(), load.getIndices());
    if (failed(ref))
      return failure();
    int64_t n = type.getNumElements();
    if (wholeAccess(load, type))
      return declare(op, load.getResult(),
                     "tc_rt::vload<" + element->str() + ", " +
                         std::to_string(n) + ">(&" + *ref + ")");
    std::string elements;
    for (int64_t i = 0; i < n; ++i)
      elements += (i ? ", (&" : "(&") + *ref + ")[" + std::to_string(i) + "]";
    return declare(op, load.getResult(), "{{" + elements + "}}");
  }
  if (auto store = dyn_cast<vector::StoreOp>(op)) {
    VectorType type = store.getVectorType();
    if (type.getRank() != 1 || !scalarTypeName(type.getElementType()))
      return store.emitOpError("stores a vector of type ")
             << type << " that the CUDA C++ printer does not support";
    FailureOr<std::string> ref =
        memrefElement(*this, op, store.getBase(), store.getIndices());
    if (failed(ref))
      return failure();
    StringRef value = name(store.getValueToStore());
    if (wholeAccess(store, type)) {
      out() << "tc_rt::vstore(&" << *ref << ", " << value << ");\n";
      return success();
    }
    for (int64_t i = 0; i < type.getNumElements(); ++i)
      out() << "(&" << *ref << ")[" << i << "] = " << value << ".v[" << i
            << "];\n";
    return success();
  }
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
