//===- KernelOps.cpp - Kernels and launches -------------------------------===//

#include "dialects/TC/IR/TCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace tensorc::tc;

//===----------------------------------------------------------------------===//
// KernelOp
//===----------------------------------------------------------------------===//

void KernelOp::build(OpBuilder &builder, OperationState &state, StringRef name,
                     KernelKind kind, ValueRange inputs, TypeRange results) {
  state.addOperands(inputs);
  state.addTypes(results);
  state.getOrAddProperties<Properties>().name = builder.getStringAttr(name);
  state.getOrAddProperties<Properties>().kind =
      KernelKindAttr::get(builder.getContext(), kind);
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  for (Value v : inputs)
    block->addArgument(v.getType(), v.getLoc());
}

YieldOp KernelOp::getYield() {
  return cast<YieldOp>(getBodyBlock().getTerminator());
}

LogicalResult KernelOp::verify() {
  Block &block = getBodyBlock();
  if (block.getNumArguments() != getInputs().size())
    return emitOpError("has ")
           << getInputs().size() << " inputs but its body takes "
           << block.getNumArguments() << " arguments";
  for (auto [input, arg] : llvm::zip(getInputs(), block.getArguments()))
    if (input.getType() != arg.getType())
      return emitOpError("input of type ")
             << input.getType() << " is bound to a body argument of type "
             << arg.getType();
  YieldOp yield = getYield();
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError("yields ")
           << yield.getValues().getTypes() << " but its results are "
           << getResultTypes();
  return success();
}

//===----------------------------------------------------------------------===//
// LaunchOp
//===----------------------------------------------------------------------===//

LogicalResult LaunchOp::verify() {
  if (getBlock().size() != 3 ||
      llvm::any_of(getBlock(), [](int64_t b) { return b < 1; }))
    return emitOpError("block must be three positive sizes");
  int64_t threads = getBlock()[0] * getBlock()[1] * getBlock()[2];
  if (threads > 1024)
    return emitOpError("at most 1024 threads per block, got ") << threads;
  if (static_cast<int64_t>(getSmem()) < 0)
    return emitOpError("shared memory size must not be negative");
  bool tensors = llvm::all_of(
      getOutputs(), [](Value v) { return isa<RankedTensorType>(v.getType()); });
  bool memrefs = llvm::all_of(
      getOutputs(), [](Value v) { return isa<MemRefType>(v.getType()); });
  if (!tensors && !memrefs)
    return emitOpError("outputs must be all tensors or all memrefs");
  if (tensors && getResultTypes() != getOutputs().getTypes())
    return emitOpError("on tensors, the results must have the outputs' types");
  if (memrefs && !getResults().empty())
    return emitOpError("on memrefs, the launch has no results");
  for (Value v : getInputs())
    if (isa<RankedTensorType>(v.getType()) != tensors)
      return emitOpError("inputs and outputs must be all tensors or all "
                         "memrefs");
  return success();
}

LogicalResult LaunchOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  Operation *kernel = symbolTable.lookupNearestSymbolFrom(*this, getKernel());
  if (!kernel)
    return emitOpError("kernel ") << getKernel() << " not found";
  auto fn = dyn_cast<FunctionOpInterface>(kernel);
  if (!fn)
    return emitOpError("kernel ") << getKernel() << " is not a function";
  size_t expected = getInputs().size() + getOutputs().size() + getDims().size();
  if (fn.getNumArguments() != expected)
    return emitOpError("kernel ")
           << getKernel() << " takes " << fn.getNumArguments()
           << " arguments but the launch passes " << expected;
  return success();
}

void LaunchOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  // On tensors a launch is pure; on memrefs it reads its inputs and writes
  // (and may read) its outputs.
  for (OpOperand &operand : getInputsMutable())
    if (isa<MemRefType>(operand.get().getType()))
      effects.emplace_back(MemoryEffects::Read::get(), &operand,
                           SideEffects::DefaultResource::get());
  for (OpOperand &operand : getOutputsMutable())
    if (isa<MemRefType>(operand.get().getType())) {
      effects.emplace_back(MemoryEffects::Read::get(), &operand,
                           SideEffects::DefaultResource::get());
      effects.emplace_back(MemoryEffects::Write::get(), &operand,
                           SideEffects::DefaultResource::get());
    }
}
