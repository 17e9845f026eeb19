//===- FormKernels.cpp - Group fused linalg ops into tc.kernel ------------===//
//
// Builds one isolated tc.kernel per group of KernelGrouping. Inits, padding
// and splat constants are recomputed inside each kernel that reads them;
// cheap elementwise producers of a matrix product's or convolution's
// operands are cloned in too (a prologue), so a transposed weight is read
// transposed instead of being materialized.
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/IR/TCOps.h"
#include "dialects/TC/Transforms/KernelGrouping.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Analysis/TopologicalSortUtils.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/raw_ostream.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCFORMKERNELS
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;
using namespace tensorc::tc;

namespace {

/// Payload size up to which an elementwise producer is recomputed in the
/// operand loads of a contraction, convolution or pooling kernel.
constexpr unsigned kMaxPrologueOps = 24;

bool isPrologueCandidate(Operation *producer, Operation *consumer,
                         bool cloneGathers) {
  auto generic = dyn_cast<linalg::GenericOp>(producer);
  if (!generic || generic.getNumReductionLoops() != 0)
    return false;
  auto consumerOp = dyn_cast<linalg::LinalgOp>(consumer);
  if (!consumerOp ||
      (isa<linalg::GenericOp>(consumer) && !isContraction(consumerOp)))
    return false;
  // A gather is index arithmetic and one load per element, read BM or BN
  // times by a product's tile: recomputed on the GPU, where its staged loads
  // make it an implicit GEMM, and materialized on the CPU, whose product
  // loop then streams contiguous rows.
  if (isGather(generic))
    return cloneGathers && isContraction(consumerOp);
  return generic.getRegion().front().getOperations().size() <= kMaxPrologueOps;
}

struct PlannedKernel {
  KernelGroup *group;
  llvm::SetVector<Operation *> body; // group ops and clones, block order
  llvm::SetVector<Operation *> clones;
  SmallVector<Value> inputs, results;
  std::string name;
  KernelOp op;
};

class KernelBuilder {
public:
  KernelBuilder(func::FuncOp fn, KernelGrouping &grouping, bool cloneGathers)
      : fn(fn), grouping(grouping), cloneGathers(cloneGathers) {
    for (auto [i, group] : llvm::enumerate(grouping.groups))
      for (Operation *op : group.ops)
        groupOf[op] = i;
  }

  /// Forms the kernels; with `reportTo`, describes them (before the original
  /// ops are erased, since the report names them).
  void run(llvm::raw_ostream *reportTo) {
    plans.resize(grouping.groups.size());
    for (auto [i, group] : llvm::enumerate(grouping.groups)) {
      plans[i].group = &group;
      planBody(plans[i]);
    }
    unsigned next = 0;
    for (PlannedKernel &plan : plans) {
      planResults(plan);
      if (plan.results.empty())
        continue; // every use is recomputed elsewhere
      plan.name = (fn.getSymName() + "_k" + Twine(next++)).str();
      build(plan);
    }
    if (reportTo)
      report(*reportTo);
    eraseOriginals();
    (void)sortTopologically(&fn.getBody().front());
  }

  void report(llvm::raw_ostream &os) {
    auto kernelOf = [&](Operation *op) -> std::string {
      auto it = groupOf.find(op);
      if (it == groupOf.end() || plans[it->second].name.empty())
        return "(host)";
      return plans[it->second].name;
    };
    unsigned kernels = llvm::count_if(
        plans, [](const PlannedKernel &p) { return !p.name.empty(); });
    os << "fusion report for @" << fn.getSymName() << ": " << kernels
       << " kernel" << (kernels == 1 ? "" : "s") << "\n";
    for (PlannedKernel &plan : plans) {
      if (plan.name.empty())
        continue;
      os << "  " << plan.name << " [" << stringifyKernelKind(plan.group->kind)
         << "]:";
      for (Operation *op : plan.body) {
        // Inits and constants are noise in a report about fusion.
        if (isa<tensor::EmptyOp, arith::ConstantOp, linalg::FillOp>(op))
          continue;
        os << " " << op->getName().getStringRef();
        if (auto loc = dyn_cast<FileLineColLoc>(op->getLoc()))
          os << "@" << loc.getLine() << ":" << loc.getColumn();
        if (plan.clones.contains(op))
          os << "(recomputed)";
      }
      os << "\n";
    }
    for (const FusionBoundary &b : grouping.boundaries) {
      std::string from = kernelOf(b.producer);
      std::string to = b.consumer ? kernelOf(b.consumer) : "(return)";
      if (from == to)
        continue;
      // A producer recomputed inside the consumer's kernel is fused.
      auto consumerGroup = groupOf.find(b.consumer);
      if (consumerGroup != groupOf.end() &&
          clonedInto[b.producer].contains(
              &grouping.groups[consumerGroup->second]))
        continue;
      os << "  boundary " << from << " -> " << to << ": "
         << b.producer->getName().getStringRef() << " -> "
         << (b.consumer ? b.consumer->getName().getStringRef() : "return")
         << ": " << b.reason << "\n";
    }
  }

private:
  /// The group's ops plus everything recomputed inside the kernel.
  void planBody(PlannedKernel &plan) {
    llvm::SetVector<Operation *> set(plan.group->ops.begin(),
                                     plan.group->ops.end());
    SmallVector<Operation *> work(plan.group->ops.begin(),
                                  plan.group->ops.end());
    while (!work.empty()) {
      Operation *op = work.pop_back_val();
      SmallVector<Value> operands;
      op->walk([&](Operation *nested) {
        llvm::append_range(operands, nested->getOperands());
      });
      for (Value operand : operands) {
        Operation *producer = operand.getDefiningOp();
        if (!producer || set.contains(producer) ||
            producer->getParentOp() != fn.getOperation())
          continue;
        // Only a standalone elementwise kernel is absorbed as a prologue:
        // an epilogue of another kernel would drag that kernel's body in.
        auto producerGroup = groupOf.find(producer);
        bool clone = isInlinedProducer(producer) ||
                     (isPrologueCandidate(producer, op, cloneGathers) &&
                      producerGroup != groupOf.end() &&
                      grouping.groups[producerGroup->second].ops.size() == 1);
        if (!clone && isa<arith::ConstantOp>(producer) &&
            !isa<ShapedType>(operand.getType()))
          clone = true;
        if (!clone)
          continue;
        set.insert(producer);
        plan.clones.insert(producer);
        if (groupOf.count(producer))
          clonedInto[producer].insert(plan.group);
        work.push_back(producer);
      }
    }
    // Keep the function's order so that clones precede their users.
    for (Operation &op : fn.getBody().front())
      if (set.contains(&op))
        plan.body.insert(&op);
  }

  /// Values of the group that something outside still reads (directly, not
  /// through a recomputed copy).
  void planResults(PlannedKernel &plan) {
    for (Operation *op : plan.group->ops)
      for (Value result : op->getResults()) {
        bool used = llvm::any_of(result.getUsers(), [&](Operation *user) {
          if (plan.body.contains(user))
            return false;
          auto it = groupOf.find(user);
          if (it != groupOf.end() &&
              clonedInto[op].contains(&grouping.groups[it->second]))
            return false;
          // Everything else reads it, an inlined producer (a pad) too: the
          // value must be materialized.
          return true;
        });
        if (used)
          plan.results.push_back(result);
      }
  }

  /// Values the body reads from outside, computed when the kernel is built
  /// because kernels built before it rewire the values it reads.
  void planInputs(PlannedKernel &plan) {
    llvm::SetVector<Value> inputs;
    for (Operation *op : plan.body)
      op->walk([&](Operation *nested) {
        for (Value operand : nested->getOperands()) {
          Operation *def = operand.getDefiningOp();
          if (def && plan.body.contains(def))
            continue;
          if (!def && cast<BlockArgument>(operand).getOwner()->getParentOp() !=
                          fn.getOperation())
            continue; // defined inside a payload
          if (def && def->getParentOp() != fn.getOperation())
            continue; // defined inside a payload
          inputs.insert(operand);
        }
      });
    plan.inputs.assign(inputs.begin(), inputs.end());
  }

  void build(PlannedKernel &plan) {
    planInputs(plan);
    OpBuilder b(fn.getBody().front().getTerminator());
    Location loc = plan.group->ops.back()->getLoc();
    SmallVector<Type> resultTypes;
    for (Value v : plan.results)
      resultTypes.push_back(v.getType());
    plan.op = KernelOp::create(b, loc, plan.name, plan.group->kind, plan.inputs,
                               resultTypes);
    IRMapping mapping;
    Block &body = plan.op.getBodyBlock();
    for (auto [input, arg] : llvm::zip(plan.inputs, body.getArguments()))
      mapping.map(input, arg);
    OpBuilder inner = OpBuilder::atBlockEnd(&body);
    for (Operation *op : plan.body)
      inner.clone(*op, mapping);
    SmallVector<Value> yielded;
    for (Value v : plan.results)
      yielded.push_back(mapping.lookup(v));
    YieldOp::create(inner, loc, yielded);
    // Rewire the readers of each result, except those that will read a
    // recomputed copy inside their own kernel.
    for (auto [old, replacement] :
         llvm::zip(plan.results, plan.op.getResults())) {
      Operation *producer = old.getDefiningOp();
      old.replaceUsesWithIf(replacement, [&](OpOperand &use) {
        Operation *user = use.getOwner();
        auto it = groupOf.find(user);
        return !(it != groupOf.end() &&
                 clonedInto[producer].contains(&grouping.groups[it->second]) &&
                 !plans[it->second].op);
      });
    }
  }

  void eraseOriginals() {
    // Group ops first (they read the clones' originals), in reverse order.
    SmallVector<Operation *> dead;
    for (KernelGroup &group : grouping.groups)
      dead.append(group.ops.begin(), group.ops.end());
    llvm::sort(
        dead, [](Operation *a, Operation *b) { return b->isBeforeInBlock(a); });
    for (Operation *op : dead) {
      for (Value result : op->getResults())
        if (!result.use_empty()) {
          // Only readers inside other groups (already rebuilt) remain;
          // they are erased in this loop too.
          result.dropAllUses();
        }
      op->erase();
    }
    // Then whatever is left unused on the host: inits, pads, constants.
    bool changed = true;
    while (changed) {
      changed = false;
      for (Operation &op : llvm::make_early_inc_range(
               llvm::reverse(fn.getBody().front().getOperations())))
        if (op.use_empty() && !op.hasTrait<OpTrait::IsTerminator>() &&
            (isInlinedProducer(&op) || isMemoryEffectFree(&op))) {
          op.erase();
          changed = true;
        }
    }
  }

  func::FuncOp fn;
  KernelGrouping &grouping;
  bool cloneGathers;
  llvm::DenseMap<Operation *, size_t> groupOf;
  llvm::DenseMap<Operation *, llvm::SmallPtrSet<KernelGroup *, 2>> clonedInto;
  std::vector<PlannedKernel> plans;
};

struct TCFormKernels : tensorc::tc::impl::TCFormKernelsBase<TCFormKernels> {
  using TCFormKernelsBase::TCFormKernelsBase;

  void runOnOperation() override {
    // Sizes of intermediate values resolve to sizes of the arguments, so that
    // a size is never a false dependency between two kernels.
    RewritePatternSet patterns(&getContext());
    memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
    tensor::DimOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      if (fn.isDeclaration())
        continue;
      KernelGrouping grouping = groupKernels(fn, noFusion);
      KernelBuilder builder(fn, grouping, cloneGathers);
      builder.run(report ? &llvm::errs() : nullptr);
    }
  }
};
} // namespace
