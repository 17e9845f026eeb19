//===- UpdateParamsInPlace.cpp - Training steps write params in place -----===//
//
// After bufferization, a `train_step` result marked `tc.update = "w"` is a
// buffer that a kernel wrote and that should replace param (or optimizer
// state) `w`. This pass makes that kernel write into the param's own buffer
// and drops the result, so that a step needs no copies and no memory for a
// second set of params. It is safe when nothing reads the param after the
// kernel that writes it, and that kernel reads it (if at all) only at the
// element it writes, which holds for optimizer updates (elementwise), and
// not in a loop nest after the one that writes it (a kernel with several
// outputs, such as a param and its momentum, computes them one after the
// other). Otherwise the new value is copied into the param after the last
// kernel.
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/IR/TCOps.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/BitVector.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCUPDATEPARAMSINPLACE
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;
using namespace tensorc::tc;

namespace {

/// The param argument of `fn` named `name`.
BlockArgument paramArgument(func::FuncOp fn, StringRef name) {
  for (unsigned i = 0; i < fn.getNumArguments(); ++i)
    if (auto p = fn.getArgAttrOfType<StringAttr>(i, kParamAttr))
      if (p.getValue() == name)
        return fn.getArgument(i);
  return nullptr;
}

/// The ops that hold `a` and `b` in the innermost block holding both.
std::pair<Operation *, Operation *> ancestorsInCommonBlock(Operation *a,
                                                           Operation *b) {
  for (Block *block = a->getBlock(); block;) {
    if (Operation *inB = block->findAncestorOpInBlock(*b))
      return {block->findAncestorOpInBlock(*a), inB};
    Operation *parent = block->getParentOp();
    block = parent ? parent->getBlock() : nullptr;
  }
  return {nullptr, nullptr};
}

/// Whether `writer` (running `kernel`) reads `param` nowhere after it writes
/// `out` there. A kernel with several outputs (a param and its optimizer
/// state) computes them in one loop nest each, one after the other, and
/// may recompute a value in several of them: a loop nest after the one
/// that writes `out` would read the new value of the param. A read in an
/// earlier loop nest is safe when that nest writes only outputs of the
/// param's shape: it then visits each element on the thread that later
/// writes it.
bool readsBeforeWrite(gpu::GPUFuncOp kernel, LaunchOp writer, Value out,
                      BlockArgument param) {
  Block &body = kernel.getBody().front();
  unsigned numInputs = writer.getInputs().size();
  if (body.getNumArguments() < numInputs + writer.getOutputs().size())
    return false;
  SmallVector<Value> outArgs, paramArgs;
  for (auto [pos, v] : llvm::enumerate(writer.getOutputs()))
    if (v == out)
      outArgs.push_back(body.getArgument(numInputs + pos));
  for (auto [pos, v] : llvm::enumerate(writer.getInputs()))
    if (v == param)
      paramArgs.push_back(body.getArgument(pos));
  auto paramShape = cast<ShapedType>(param.getType()).getShape();
  // Whether the outputs written in `nest` all have the param's shape.
  auto writesParamShaped = [&](Operation *nest) {
    bool writes = false;
    for (auto [pos, v] : llvm::enumerate(writer.getOutputs())) {
      Value arg = body.getArgument(numInputs + pos);
      if (llvm::none_of(arg.getUsers(),
                        [&](Operation *u) { return nest->isAncestor(u); }))
        continue;
      auto type = cast<ShapedType>(v.getType());
      if (!type.hasStaticShape() || type.getShape() != paramShape)
        return false;
      writes = true;
    }
    return writes;
  };
  for (Value outArg : outArgs)
    for (Operation *write : outArg.getUsers())
      for (Value paramArg : paramArgs)
        for (Operation *read : paramArg.getUsers()) {
          auto [w, r] = ancestorsInCommonBlock(write, read);
          if (!w || !r)
            return false;
          if (w == r || (r == read && r->isBeforeInBlock(w)))
            continue; // the same loop nest, or read first in the same body
          if (w->isBeforeInBlock(r) || !writesParamShaped(r))
            return false;
        }
  return true;
}

/// Whether the last kernel that writes `alloc` may write `param` instead:
/// nothing reads the param after that kernel, and the kernel does not
/// multiply by it (a matrix product reads its operands across the whole
/// grid; its epilogue may read the param at the element it writes).
bool writableInPlace(ModuleOp module, memref::AllocOp alloc,
                     BlockArgument param, func::ReturnOp ret) {
  LaunchOp writer;
  for (Operation *user : alloc->getUsers())
    if (auto launch = dyn_cast<LaunchOp>(user))
      if (llvm::is_contained(launch.getOutputs(), alloc.getResult()) &&
          (!writer || writer->isBeforeInBlock(launch)))
        writer = launch;
  if (!writer)
    return false;
  for (Operation *user : param.getUsers())
    if (user != ret.getOperation() && user != writer.getOperation() &&
        writer->isBeforeInBlock(user))
      return false;
  auto kernel = SymbolTable::lookupNearestSymbolFrom<gpu::GPUFuncOp>(
      module, writer.getKernel());
  auto reads =
      kernel ? kernel->getAttrOfType<DenseI64ArrayAttr>("tc.contraction_reads")
             : nullptr;
  for (auto [pos, in] : llvm::enumerate(writer.getInputs()))
    if (in == param && reads &&
        llvm::is_contained(reads.asArrayRef(), int64_t(pos)))
      return false;
  // A kernel not found: nothing proves the write safe.
  return kernel && readsBeforeWrite(kernel, writer, alloc.getResult(), param);
}

struct TCUpdateParamsInPlace
    : tensorc::tc::impl::TCUpdateParamsInPlaceBase<TCUpdateParamsInPlace> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (func::FuncOp fn : module.getOps<func::FuncOp>())
      if (failed(rewrite(module, fn)))
        return signalPassFailure();
  }

  LogicalResult rewrite(ModuleOp module, func::FuncOp fn) {
    if (fn.isDeclaration())
      return success();
    auto ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
    llvm::BitVector drop(fn.getNumResults());
    for (unsigned i = 0; i < fn.getNumResults(); ++i) {
      auto name = fn.getResultAttrOfType<StringAttr>(i, kUpdateAttr);
      if (!name)
        continue;
      BlockArgument param = paramArgument(fn, name.getValue());
      Value value = ret.getOperand(i);
      if (!param || value.getType() != param.getType())
        return fn.emitError("cannot update '")
               << name.getValue() << "': its new value does not have the "
               << "param's type";
      auto alloc = value.getDefiningOp<memref::AllocOp>();
      if (alloc && writableInPlace(module, alloc, param, ret)) {
        alloc.replaceAllUsesWith(Value(param));
        alloc.erase();
      } else {
        // After every kernel: a copy step in the manifest.
        OpBuilder b(ret);
        memref::CopyOp::create(b, ret.getLoc(), value, param);
      }
      drop.set(i);
    }
    if (drop.none())
      return success();
    ret->eraseOperands(drop);
    return fn.eraseResults(drop);
  }
};
} // namespace
