//===- PlanMemory.cpp - Temporaries share slots when lifetimes allow -----===//
//
// Each memref.alloc of an entry function lives from its allocation to the
// last op that uses it or a view of it (a returned buffer lives to the end).
// Launches run in order on one stream, so a buffer can take the slot of one
// whose last use came before its allocation. Slots are assigned first-fit
// in allocation order; their sizes are computed at run time from the dims.
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/IR/TCOps.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCPLANMEMORY
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;

namespace {

/// Position of the last op in `block` that uses `value` or a view of it.
unsigned lastUse(Value value, const DenseMap<Operation *, unsigned> &position,
                 unsigned end) {
  unsigned last = 0;
  SmallVector<Value> work{value};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (user->hasTrait<OpTrait::IsTerminator>())
        return end; // returned: read after the function
      if (auto view = dyn_cast<ViewLikeOpInterface>(user))
        if (view.getViewSource() == v)
          work.push_back(view->getResult(0));
      if (isa<memref::CollapseShapeOp, memref::ExpandShapeOp,
              memref::CastOp>(user))
        work.push_back(user->getResult(0));
      auto it = position.find(user);
      if (it != position.end())
        last = std::max(last, it->second);
    }
  }
  return last;
}

struct TCPlanMemory : tensorc::tc::impl::TCPlanMemoryBase<TCPlanMemory> {
  void runOnOperation() override {
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      if (fn.isDeclaration())
        continue;
      Block &block = fn.getBody().front();
      DenseMap<Operation *, unsigned> position;
      unsigned n = 0;
      for (Operation &op : block)
        position[&op] = n++;
      // Slot i is free after position freeAfter[i].
      SmallVector<unsigned> freeAfter;
      Builder b(fn.getContext());
      for (Operation &op : block) {
        auto alloc = dyn_cast<memref::AllocOp>(op);
        if (!alloc)
          continue;
        unsigned start = position[alloc];
        unsigned end = lastUse(alloc, position, n);
        unsigned slot = freeAfter.size();
        for (auto [i, free] : llvm::enumerate(freeAfter))
          if (free < start) {
            slot = i;
            break;
          }
        if (slot == freeAfter.size())
          freeAfter.push_back(end);
        else
          freeAfter[slot] = end;
        alloc->setAttr("tc.slot", b.getI64IntegerAttr(slot));
      }
      fn->setAttr("tc.slots", b.getI64IntegerAttr(freeAfter.size()));
    }
  }
};
} // namespace
