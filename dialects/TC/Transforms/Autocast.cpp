//===- Autocast.cpp - Matrix products and convolutions in 16 bits ---------===//
//
// Mixed precision as PyTorch's autocast does it: the ops that tensor cores
// run (matmul, conv2d) take their f32 operands rounded to bf16 or f16 and
// round their result once (they accumulate in f32, docs/codegen.md); every
// other op, reductions and the optimizer included, stays f32. Params stay
// f32 too: they are the master weights, and the 16-bit copies are casts
// that fusion folds into the products' operand loads. Runs before
// tc-autodiff, so that the backward products are 16-bit as well.
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/IR/TCOps.h"
#include "dialects/TC/Transforms/Passes.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCAUTOCAST
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;
using namespace tensorc::tc;

namespace {

Value castTo(OpBuilder &b, Location loc, Value v, Type elem) {
  auto type = cast<RankedTensorType>(v.getType());
  return CastOp::create(b, loc, type.clone(elem), v);
}

/// Rounds the f32 operands of `op` to `low` and casts its result back.
void autocast(Operation *op, Type low) {
  Value result = op->getResult(0);
  auto type = cast<RankedTensorType>(result.getType());
  if (!type.getElementType().isF32())
    return;
  OpBuilder b(op);
  for (OpOperand &operand : op->getOpOperands())
    operand.set(castTo(b, op->getLoc(), operand.get(), low));
  result.setType(type.clone(low));
  b.setInsertionPointAfter(op);
  Value back = castTo(b, op->getLoc(), result, type.getElementType());
  result.replaceAllUsesExcept(back, back.getDefiningOp());
}

struct TCAutocast : tensorc::tc::impl::TCAutocastBase<TCAutocast> {
  using TCAutocastBase::TCAutocastBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    Type low;
    if (precision == "bf16")
      low = BFloat16Type::get(ctx);
    else if (precision == "f16")
      low = Float16Type::get(ctx);
    else if (precision != "f32") {
      module.emitError("unknown precision '")
          << precision << "': use f32, bf16 or f16";
      return signalPassFailure();
    }
    if (!low)
      return;
    module->setAttr(kPrecisionAttr, StringAttr::get(ctx, precision));
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<MatMulOp, Conv2dOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops)
      autocast(op, low);
  }
};

} // namespace
