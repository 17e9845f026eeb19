//===- BareKernelABI.cpp - One pointer per kernel buffer ------------------===//
//
// `tc-bare-kernel-abi`: MLIR's bare-pointer calling convention only accepts
// statically shaped memrefs, so kernels are lowered with the default one (a
// five-value descriptor per `memref<?xT>`) and this pass rewrites each
// llvm.func marked with `tc.abi` (KernelABI.h) to take one pointer per buffer.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/NVPTX/KernelABI.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCBAREKERNELABI
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;
using tensorc::target::kABIInt64;
using tensorc::target::kABIPointer;
using tensorc::target::kKernelABIAttrName;

namespace {

/// Values of a one-dimensional memref descriptor, in argument order.
enum DescriptorField { Allocated, Aligned, Offset, Size, Stride, NumFields };

/// Buffers are separate allocations or views of one at offset 0; allocations
/// are 256-byte aligned, so 16 is a safe promise that lets LLVM vectorize
/// accesses (the runtime must never pass an interior pointer).
constexpr int64_t kBufferAlignment = 16;

/// Checks that `func`'s parameters are the lowering of `kinds` and returns the
/// first argument index of each kind.
FailureOr<SmallVector<unsigned>> matchSignature(LLVM::LLVMFuncOp func,
                                                ArrayAttr kinds) {
  SmallVector<unsigned> starts;
  ArrayRef<Type> params = func.getFunctionType().getParams();
  unsigned next = 0;
  auto mismatch = [&](Twine why) {
    return func.emitOpError() << "parameters do not match its "
                              << kKernelABIAttrName << ": " << why;
  };
  for (Attribute attr : kinds) {
    auto kind = dyn_cast<StringAttr>(attr);
    starts.push_back(next);
    if (kind && kind.getValue() == kABIPointer) {
      if (next + NumFields > params.size())
        return mismatch("too few parameters for a buffer descriptor");
      bool ok = isa<LLVM::LLVMPointerType>(params[next + Allocated]) &&
                params[next + Aligned] == params[next + Allocated];
      for (unsigned f = Offset; f < NumFields; ++f)
        ok &= isa<IntegerType>(params[next + f]);
      if (!ok)
        return mismatch("parameter #" + Twine(next) +
                        " does not start a memref descriptor");
      next += NumFields;
      continue;
    }
    if (kind && kind.getValue() == kABIInt64) {
      if (next >= params.size() || !params[next].isInteger(64))
        return mismatch("parameter #" + Twine(next) + " is not an i64");
      ++next;
      continue;
    }
    return mismatch("unknown kind " + Twine(kind ? kind.getValue() : "?"));
  }
  if (next != params.size())
    return mismatch("more parameters than kinds");
  return starts;
}

LogicalResult rewriteKernel(LLVM::LLVMFuncOp func) {
  auto kinds = dyn_cast<ArrayAttr>(func->getAttr(kKernelABIAttrName));
  if (!kinds)
    return func.emitOpError()
           << kKernelABIAttrName << " must be an array of strings";
  if (func.isExternal())
    return func.emitOpError() << "has " << kKernelABIAttrName << " but no body";
  FailureOr<SmallVector<unsigned>> starts = matchSignature(func, kinds);
  if (failed(starts))
    return failure();

  MLIRContext *ctx = func.getContext();
  Block &entry = func.getBody().front();
  unsigned numOld = entry.getNumArguments();
  OpBuilder b = OpBuilder::atBlockBegin(&entry);
  Location loc = func.getLoc();
  SmallVector<Type> newTypes;
  SmallVector<DictionaryAttr> newAttrs;

  for (auto [attr, first] : llvm::zip(kinds, *starts)) {
    unsigned start = first; // lambdas cannot capture structured bindings
    bool isBuffer = cast<StringAttr>(attr).getValue() == kABIPointer;
    if (!isBuffer) {
      Type type = entry.getArgument(start).getType();
      BlockArgument arg = entry.addArgument(type, loc);
      entry.getArgument(start).replaceAllUsesWith(arg);
      newTypes.push_back(type);
      newAttrs.push_back(func.getArgAttrDict(start) ? func.getArgAttrDict(start)
                                                    : DictionaryAttr::get(ctx));
      continue;
    }
    // Both pointers become the buffer, offset 0, stride 1; kernels never read
    // the size (getKernelABI checks that), so it becomes poison.
    auto field = [&](unsigned f) { return entry.getArgument(start + f); };
    Type ptrType = field(Aligned).getType(); // keeps its address space
    BlockArgument ptr = entry.addArgument(ptrType, loc);
    field(Allocated).replaceAllUsesWith(ptr);
    field(Aligned).replaceAllUsesWith(ptr);
    auto constant = [&](unsigned f, int64_t value) {
      Type type = field(f).getType();
      return LLVM::ConstantOp::create(b, loc, type,
                                      b.getIntegerAttr(type, value));
    };
    field(Offset).replaceAllUsesWith(constant(Offset, 0));
    field(Stride).replaceAllUsesWith(constant(Stride, 1));
    field(Size).replaceAllUsesWith(
        LLVM::PoisonOp::create(b, loc, field(Size).getType()));
    newTypes.push_back(ptrType);
    // Buffers of one launch never alias: outputs are distinct allocations.
    newAttrs.push_back(b.getDictionaryAttr(
        {b.getNamedAttr(LLVM::LLVMDialect::getNoAliasAttrName(),
                        b.getUnitAttr()),
         b.getNamedAttr(LLVM::LLVMDialect::getAlignAttrName(),
                        b.getI64IntegerAttr(kBufferAlignment))}));
  }

  entry.eraseArguments(0, numOld);
  auto oldType = func.getFunctionType();
  func.setFunctionType(LLVM::LLVMFunctionType::get(
      oldType.getReturnType(), newTypes, oldType.isVarArg()));
  func.setAllArgAttrs(newAttrs);
  func->removeAttr(kKernelABIAttrName);
  return success();
}

struct TCBareKernelABI
    : tensorc::tc::impl::TCBareKernelABIBase<TCBareKernelABI> {
  using TCBareKernelABIBase::TCBareKernelABIBase;

  void runOnOperation() override {
    SmallVector<LLVM::LLVMFuncOp> kernels;
    getOperation().walk([&](LLVM::LLVMFuncOp func) {
      if (func->hasAttr(kKernelABIAttrName))
        kernels.push_back(func);
    });
    for (LLVM::LLVMFuncOp func : kernels)
      if (failed(rewriteKernel(func)))
        signalPassFailure();
  }
};

} // namespace
