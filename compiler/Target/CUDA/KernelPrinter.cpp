//===- KernelPrinter.cpp - One gpu.func as a CUDA __global__ function -----===//
//
// The signature (the kernel ABI of docs/artifact.md), the attributions, SSA
// value naming and the dispatch to the op-family printers.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/CUDA/Printer.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace tensorc::cuda {

LogicalResult unsupported(Operation *op) {
  return op->emitOpError("is not supported by the CUDA C++ printer");
}

StringRef KernelPrinter::name(Value value) const {
  auto it = names.find(value);
  assert(it != names.end() && "value used before its definition was printed");
  // Never reached for verified IR; invalid C++ rather than a crash if it is.
  return it != names.end() ? it->second : "<unbound>";
}

std::string KernelPrinter::bind(Value value) {
  std::string fresh = "v" + std::to_string(nextId++);
  names[value] = nameStorage.save(fresh);
  return fresh;
}

void KernelPrinter::alias(Value value, StringRef name) {
  names[value] = nameStorage.save(name);
}

FailureOr<std::string> KernelPrinter::typeOf(Operation *op, Value value) {
  if (std::optional<StringRef> type = scalarTypeName(value.getType()))
    return type->str();
  if (auto vector = dyn_cast<VectorType>(value.getType()))
    if (std::optional<StringRef> element =
            scalarTypeName(vector.getElementType());
        element && vector.hasStaticShape())
      return "tc_rt::vec<" + element->str() + ", " +
             std::to_string(vector.getNumElements()) + ">";
  return op->emitOpError("has a value of type ")
         << value.getType() << " that the CUDA C++ printer does not support";
}

LogicalResult KernelPrinter::declare(Operation *op, Value result,
                                     const Twine &expr) {
  FailureOr<std::string> type = typeOf(op, result);
  if (failed(type))
    return failure();
  os << *type << " " << bind(result) << " = " << expr << ";\n";
  return success();
}

LogicalResult KernelPrinter::declareUninitialized(Operation *op, Value result) {
  FailureOr<std::string> type = typeOf(op, result);
  if (failed(type))
    return failure();
  os << *type << " " << bind(result) << ";\n";
  return success();
}

LogicalResult KernelPrinter::assign(Operation *op, ArrayRef<std::string> dsts,
                                    ValueRange srcs) {
  bool overlap = false;
  for (auto [i, src] : llvm::enumerate(srcs))
    for (auto [j, dst] : llvm::enumerate(dsts))
      overlap |= i != j && name(src) == dst;
  if (!overlap) {
    for (auto [dst, src] : llvm::zip_equal(dsts, srcs))
      if (dst != name(src))
        os << dst << " = " << name(src) << ";\n";
    return success();
  }
  // Read every source before the first write.
  os << "{\n";
  os.indent();
  SmallVector<std::string> temps;
  for (Value src : srcs) {
    FailureOr<std::string> type = typeOf(op, src);
    if (failed(type))
      return failure();
    temps.push_back("t" + std::to_string(nextId++));
    os << *type << " " << temps.back() << " = " << name(src) << ";\n";
  }
  for (auto [dst, temp] : llvm::zip_equal(dsts, temps))
    os << dst << " = " << temp << ";\n";
  os.unindent();
  os << "}\n";
  return success();
}

LogicalResult KernelPrinter::printBlock(Block &block) {
  for (Operation &op : block.without_terminator())
    if (failed(printOp(&op)))
      return failure();
  return success();
}

LogicalResult KernelPrinter::printOp(Operation *op) {
  // Pure ops whose results are unused print nothing.
  if (isOpTriviallyDead(op))
    return success();
  StringRef dialect = op->getName().getDialectNamespace();
  if (dialect == "arith")
    return printArithOp(op);
  if (dialect == "math")
    return printMathOp(op);
  if (dialect == "scf")
    return printSCFOp(op);
  if (dialect == "memref")
    return printMemRefOp(op);
  if (dialect == "gpu")
    return printGPUOp(op);
  if (dialect == "vector")
    return printVectorOp(op);
  if (dialect == "nvgpu")
    return printNVGPUOp(op);
  return unsupported(op);
}

/// A flat buffer argument: rank 1, identity layout, global memory.
static bool isBufferType(MemRefType type) {
  auto space = dyn_cast_or_null<gpu::AddressSpaceAttr>(type.getMemorySpace());
  bool global = !type.getMemorySpace() ||
                (space && space.getValue() == gpu::AddressSpace::Global);
  return type.getRank() == 1 && type.getLayout().isIdentity() && global;
}

/// Whether the kernel only reads `buffer` (then `const`: ld.global.nc).
static bool isReadOnly(BlockArgument buffer) {
  return llvm::all_of(buffer.getUsers(), [](Operation *user) {
    return isa<memref::LoadOp, vector::LoadOp>(user);
  });
}

LogicalResult KernelPrinter::printSignature(gpu::GPUFuncOp func) {
  if (!func.isKernel())
    return func.emitOpError("is not a kernel: the CUDA C++ printer prints "
                            "only `kernel` gpu.funcs");
  // The name is the kernel's symbol in the PTX and in the manifest.
  StringRef name = func.getName();
  if (name.empty() || llvm::isDigit(name.front()) ||
      !llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; }))
    return func.emitOpError("name '")
           << name << "' is not a C identifier: it cannot be a CUDA kernel";
  os << "extern \"C\" __global__ void ";
  if (std::optional<ArrayRef<int32_t>> block = func.getKnownBlockSize()) {
    int64_t threads = 1;
    for (int32_t size : *block)
      threads *= size;
    os << "__launch_bounds__(" << threads << ") ";
  }
  os << name << "(";
  // The block's other arguments are the attributions.
  for (auto [i, arg] : llvm::enumerate(
           func.getArguments().take_front(func.getNumArguments()))) {
    if (i)
      os << ", ";
    std::optional<StringRef> element;
    auto memref = dyn_cast<MemRefType>(arg.getType());
    if (memref && isBufferType(memref))
      element = scalarTypeName(memref.getElementType());
    if (memref) {
      if (!element)
        return func.emitOpError("argument ")
               << i << " has type " << memref
               << ": the CUDA C++ printer takes buffers as flat memrefs of "
                  "scalars with identity layout";
      os << (isReadOnly(arg) ? "const " : "") << *element << " *__restrict__ "
         << bind(arg);
      continue;
    }
    std::optional<StringRef> scalar = scalarTypeName(arg.getType());
    if (!scalar)
      return func.emitOpError("argument ")
             << i << " has type " << arg.getType()
             << " that the CUDA C++ printer does not support";
    os << *scalar << " " << bind(arg);
  }
  os << ") {\n";
  return success();
}

LogicalResult KernelPrinter::printAttributions(gpu::GPUFuncOp func) {
  auto print = [&](BlockArgument arg, StringRef qualifier) -> LogicalResult {
    auto type = cast<MemRefType>(arg.getType());
    std::optional<StringRef> element = scalarTypeName(type.getElementType());
    if (!element || !type.hasStaticShape() || !type.getLayout().isIdentity())
      return func.emitOpError("has an attribution of type ")
             << type << " that the CUDA C++ printer does not support";
    os << qualifier << *element << " " << bind(arg) << "["
       << type.getNumElements() << "];\n";
    return success();
  };
  for (BlockArgument arg : func.getWorkgroupAttributions())
    if (failed(print(arg, "__shared__ __align__(16) ")))
      return failure();
  for (BlockArgument arg : func.getPrivateAttributions())
    if (failed(print(arg, "")))
      return failure();
  return success();
}

LogicalResult KernelPrinter::printKernel(gpu::GPUFuncOp func) {
  names.clear();
  nextId = 0;
  if (failed(printSignature(func)))
    return failure();
  os.indent();
  if (failed(printAttributions(func)))
    return failure();
  Region &body = func.getBody();
  if (!body.hasOneBlock())
    return func.emitOpError("has several blocks: the CUDA C++ printer needs "
                            "structured control flow (scf)");
  Block &entry = body.front();
  if (failed(printBlock(entry)))
    return failure();
  if (!isa<gpu::ReturnOp>(entry.getTerminator()))
    return unsupported(entry.getTerminator());
  os.unindent();
  os << "}\n";
  return success();
}

} // namespace tensorc::cuda
