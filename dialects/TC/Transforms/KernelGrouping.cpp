//===- KernelGrouping.cpp - Which linalg ops share a kernel ---------------===//

#include "dialects/TC/Transforms/KernelGrouping.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;

namespace tensorc::tc {

bool isInlinedProducer(Operation *op) {
  if (isa<tensor::EmptyOp, tensor::PadOp>(op))
    return true;
  if (auto cst = dyn_cast<arith::ConstantOp>(op))
    return isa<SplatElementsAttr>(cst.getValue()) ||
           !isa<ShapedType>(cst.getType());
  // A fill is recomputed where it is an init (a zero accumulator); a fill
  // used any other way is a kernel of its own.
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    return llvm::all_of(fill->getUses(), [](OpOperand &use) {
      auto user = dyn_cast<DestinationStyleOpInterface>(use.getOwner());
      return user && user.isDpsInit(&use);
    });
  return false;
}

bool isGather(linalg::LinalgOp op) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  return generic && generic.getNumDpsInputs() == 0 &&
         !generic.getBody()->getOps<tensor::ExtractOp>().empty();
}

bool isContraction(linalg::LinalgOp op) {
  if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op))
    return true;
  if (!isa<linalg::GenericOp>(op) || !linalg::isaContractionOpInterface(op))
    return false;
  // A product reuses an operand across a parallel dim that it does not
  // span (a tile of A meets many columns of B). When every operand spans
  // every parallel dim, as in sum(dy * xhat, -1) of a normalization's
  // backward, it is a batch of dot products: a row reduction, whose
  // broadcast consumers must not become a product's epilogue (that would
  // recompute the dot product for every element). A single dot product
  // (sum(w * g)) is a row reduction of rank 0: a block, not one thread.
  SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    for (unsigned d = 0, e = iters.size(); d < e; ++d)
      if (iters[d] == utils::IteratorType::parallel && !map.isFunctionOfDim(d))
        return true;
  }
  return false;
}

int64_t rowReductionRank(linalg::LinalgOp op) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || generic.getNumDpsInits() != 1 ||
      generic.getNumReductionLoops() == 0)
    return -1;
  SmallVector<utils::IteratorType> iters = generic.getIteratorTypesArray();
  int64_t rows = generic.getNumParallelLoops();
  for (int64_t i = 0, e = iters.size(); i < e; ++i)
    if ((i < rows) != (iters[i] == utils::IteratorType::parallel))
      return -1;
  AffineMap out = generic.getMatchingIndexingMap(generic.getDpsInitOperand(0));
  if (out.getNumResults() != rows)
    return -1;
  for (int64_t i = 0; i < rows; ++i)
    if (out.getResult(i) != getAffineDimExpr(i, op.getContext()))
      return -1;
  for (OpOperand *input : generic.getDpsInputOperands())
    if (!generic.getMatchingIndexingMap(input).isProjectedPermutation())
      return -1;
  SmallVector<Operation *> combiners;
  Block &body = generic.getRegion().front();
  if (!matchReduction(body.getArguments().take_back(1), 0, combiners) ||
      combiners.size() != 1)
    return -1;
  return rows;
}

namespace {

bool hasReductionLoops(linalg::LinalgOp op) {
  return op.getNumReductionLoops() != 0;
}

/// All-parallel linalg.generic with an identity output map.
bool isElementwiseGeneric(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumReductionLoops() != 0)
    return false;
  for (OpOperand &init : generic.getDpsInitsMutable())
    if (!generic.getMatchingIndexingMap(&init).isIdentity())
      return false;
  return true;
}

/// The indexing map through which `consumer` reads `value` (the first such
/// operand), or null.
AffineMap readMap(linalg::LinalgOp consumer, Value value) {
  for (OpOperand *input : consumer.getDpsInputOperands())
    if (input->get() == value)
      return consumer.getMatchingIndexingMap(input);
  return {};
}

/// The map (d0, ..., dn) -> (d0, ..., d[rows-1]).
bool isRowProjection(AffineMap map, int64_t rows) {
  if (!map || map.getNumResults() != rows)
    return false;
  for (int64_t i = 0; i < rows; ++i)
    if (map.getResult(i) != getAffineDimExpr(i, map.getContext()))
      return false;
  return true;
}

std::string describe(Operation *op) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << op->getName();
  if (auto loc = dyn_cast<FileLineColLoc>(op->getLoc()))
    os << " (" << loc.getFilename().getValue() << ":" << loc.getLine() << ":"
       << loc.getColumn() << ")";
  return s;
}

class Grouper {
public:
  Grouper(func::FuncOp fn, bool noFusion) : noFusion(noFusion) {
    for (Operation &op : fn.getBody().front()) {
      auto linalgOp = dyn_cast<linalg::LinalgOp>(&op);
      if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
          isInlinedProducer(&op))
        continue;
      order[&op] = compute.size();
      compute.push_back(&op);
      classes.insert(&op);
    }
  }

  KernelGrouping run() {
    if (!noFusion) {
      mergeRowGroups();
      mergeEpilogues();
    }
    return collect();
  }

private:
  Operation *leader(Operation *op) { return classes.getLeaderValue(op); }
  bool sameGroup(Operation *a, Operation *b) { return leader(a) == leader(b); }
  SmallVector<Operation *> members(Operation *op) {
    SmallVector<Operation *> result;
    for (Operation *m : compute)
      if (sameGroup(m, op))
        result.push_back(m);
    return result;
  }

  /// True if merging `a`'s and `b`'s groups would need a value that leaves
  /// the merged group and comes back into it (a cycle between kernels). A
  /// path may go through another group at any of its members: that group is
  /// one kernel, which runs after all of its inputs.
  bool wouldCycle(Operation *a, Operation *b, Operation **through) {
    llvm::SmallPtrSet<Operation *, 16> merged;
    for (Operation *m : members(a))
      merged.insert(m);
    for (Operation *m : members(b))
      merged.insert(m);
    // A read inside a payload (a tensor.extract in a linalg.generic) is a
    // use by the op that holds it.
    auto users = [](Operation *op) {
      SmallVector<Operation *> result;
      for (Operation *user : op->getUsers())
        if (Operation *top = op->getBlock()->findAncestorOpInBlock(*user))
          result.push_back(top);
      return result;
    };
    llvm::DenseMap<Operation *, SmallVector<Operation *>> groups;
    for (Operation *op : compute)
      groups[leader(op)].push_back(op);
    SmallVector<Operation *> work;
    llvm::SmallPtrSet<Operation *, 32> seen;
    for (Operation *m : merged)
      for (Operation *user : users(m))
        if (!merged.contains(user) && seen.insert(user).second)
          work.push_back(user);
    while (!work.empty()) {
      Operation *op = work.pop_back_val();
      if (order.count(op))
        for (Operation *member : groups[leader(op)])
          if (seen.insert(member).second)
            work.push_back(member);
      for (Operation *user : users(op)) {
        if (merged.contains(user)) {
          *through = op;
          return true;
        }
        if (seen.insert(user).second)
          work.push_back(user);
      }
    }
    return false;
  }

  bool tryMerge(Operation *producer, Operation *consumer, StringRef what) {
    Operation *through = nullptr;
    if (wouldCycle(producer, consumer, &through)) {
      reasons[{producer, consumer}] =
          (what + " fusion would create a cycle through " + describe(through))
              .str();
      return false;
    }
    classes.unionSets(producer, consumer);
    return true;
  }

  /// Row reductions join the reductions and elementwise ops that read their
  /// per-row results: softmax, layernorm and friends become one kernel.
  void mergeRowGroups() {
    for (Operation *op : compute) {
      auto reduction = cast<linalg::LinalgOp>(op);
      int64_t rows = rowReductionRank(reduction);
      if (rows < 0)
        continue;
      rowRank[op] = rows;
      for (Operation *user : op->getUsers()) {
        auto consumer = dyn_cast<linalg::GenericOp>(user);
        if (!consumer || !order.count(user) || sameGroup(op, user))
          continue;
        AffineMap map = readMap(consumer, op->getResult(0));
        bool reads = isRowProjection(map, rows);
        bool rowShaped =
            rowReductionRank(consumer) == rows ||
            (isElementwiseGeneric(consumer) &&
             consumer.getNumLoops() >= static_cast<unsigned>(rows));
        if (!reads || !rowShaped) {
          reasons[{op, user}] =
              "the consumer does not read the per-row result as a row "
              "broadcast of the same rows";
          continue;
        }
        // A full reduction is one row, one block: a consumer that walks other
        // elements than the reduction did (AdamW's update of every param by
        // a clipped global norm) would run in that one block.
        if (rows == 0 && consumer.getNumLoops() != 0 &&
            consumer.getStaticLoopRanges() != reduction.getStaticLoopRanges()) {
          reasons[{op, user}] =
              "the consumer of a full reduction walks other elements than "
              "it, which one block would run";
          continue;
        }
        if (tryMerge(op, user, "row"))
          rowRank[user] = rows;
      }
    }
  }

  /// An elementwise consumer that reads a kernel's result element for
  /// element (identity map) runs in that kernel's epilogue.
  void mergeEpilogues() {
    for (Operation *op : compute) {
      // Only an op that is not yet part of another kernel becomes an
      // epilogue (one already in a row group is that group's).
      if (!isElementwiseGeneric(op) || members(op).size() != 1)
        continue;
      auto consumer = cast<linalg::GenericOp>(op);
      // The single operand that comes from a kernel with reductions.
      Operation *root = nullptr;
      bool ambiguous = false;
      for (OpOperand *input : consumer.getDpsInputOperands()) {
        Operation *producer = input->get().getDefiningOp();
        if (!producer || !order.count(producer))
          continue;
        auto producerOp = cast<linalg::LinalgOp>(producer);
        bool groupReduces = llvm::any_of(members(producer), [](Operation *m) {
          return hasReductionLoops(cast<linalg::LinalgOp>(m));
        });
        if (!groupReduces)
          continue;
        if (!consumer.getMatchingIndexingMap(input).isIdentity()) {
          // A reason from the row merge, when there is one, says more.
          reasons.try_emplace(
              {producer, op},
              "the consumer reads the result through a non-identity map "
              "(broadcast or transpose), so it needs the whole tensor");
          continue;
        }
        (void)producerOp;
        if (root && !sameGroup(root, producer))
          ambiguous = true;
        root = producer;
      }
      if (!root)
        continue;
      if (ambiguous) {
        reasons[{root, op}] = "the consumer reads the results of two kernels "
                              "with reductions; one epilogue per kernel";
        continue;
      }
      // Every value of the root's kernel must be read at the element being
      // computed; another position would need the whole tensor.
      bool outOfPlace =
          llvm::any_of(consumer.getDpsInputOperands(), [&](OpOperand *input) {
            Operation *producer = input->get().getDefiningOp();
            return producer && order.count(producer) &&
                   sameGroup(producer, root) &&
                   !consumer.getMatchingIndexingMap(input).isIdentity();
          });
      if (outOfPlace) {
        reasons[{root, op}] = "the consumer reads a value of that kernel at "
                              "other positions than the one it computes";
        continue;
      }
      tryMerge(root, op, "epilogue");
    }
  }

  KernelKind kindOf(ArrayRef<Operation *> ops) {
    bool reduces = false, contracts = false, rows = true;
    unsigned widest = 0;
    for (Operation *op : ops)
      widest =
          std::max(widest, cast<linalg::LinalgOp>(op).getNumParallelLoops());
    for (Operation *op : ops) {
      auto linalgOp = cast<linalg::LinalgOp>(op);
      // A product whose result a wider op reads as a row broadcast (the
      // matrix-vector sums of a normalization's backward) is a row
      // reduction of a row kernel: an epilogue of the product would redo
      // its sums for every element.
      contracts |=
          isContraction(linalgOp) &&
          (linalgOp.getNumParallelLoops() == widest || !rowRank.count(op));
      if (hasReductionLoops(linalgOp)) {
        reduces = true;
        rows &= rowRank.count(op) != 0;
      } else {
        rows &= isElementwiseGeneric(op);
      }
    }
    if (contracts)
      return KernelKind::contraction;
    if (reduces && rows)
      return KernelKind::row;
    if (reduces)
      return KernelKind::reduction;
    return KernelKind::elementwise;
  }

  std::string defaultReason(Operation *producer, Operation *consumer) {
    if (isa<func::ReturnOp>(consumer))
      return "the value is a result of the function";
    if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(consumer))
      return "a reshape between kernels is a view of the buffer, not a "
             "kernel";
    if (noFusion)
      return "fusion is off (--no-fusion)";
    auto consumerOp = dyn_cast<linalg::LinalgOp>(consumer);
    auto producerOp = cast<linalg::LinalgOp>(producer);
    if (consumerOp && isContraction(consumerOp) && isContraction(producerOp))
      return "both are matrix products (one contraction per kernel)";
    if (consumerOp && isContraction(consumerOp) && isGather(producerOp))
      return "a window gather is materialized for a matrix product on the "
             "CPU (recomputed in its operand loads on the GPU)";
    if (consumerOp &&
        (!isa<linalg::GenericOp>(consumer) || isContraction(consumerOp)))
      return "matrix-product, convolution and pooling kernels fuse only "
             "cheap elementwise producers into their operand loads";
    if (hasReductionLoops(producerOp))
      return "the consumer needs the reduction's results at other positions "
             "than the one it computes";
    if (!consumerOp)
      return "the consumer is not a compute op";
    return "the producer is used by several kernels and is not cheap enough "
           "to recompute in each";
  }

  KernelGrouping collect() {
    KernelGrouping result;
    llvm::DenseMap<Operation *, size_t> groupOf;
    for (Operation *op : compute) {
      Operation *lead = leader(op);
      auto [it, inserted] = groupOf.try_emplace(lead, result.groups.size());
      if (inserted)
        result.groups.emplace_back();
      result.groups[it->second].ops.push_back(op);
    }
    for (KernelGroup &group : result.groups)
      group.kind = kindOf(group.ops);
    for (Operation *producer : compute)
      for (Operation *nested : producer->getUsers()) {
        // A read inside a payload (tensor.extract) belongs to its op.
        Operation *user = producer->getBlock()->findAncestorOpInBlock(*nested);
        if (!user || (order.count(user) && sameGroup(producer, user)))
          continue;
        auto it = reasons.find({producer, user});
        result.boundaries.push_back(
            {producer, user,
             it != reasons.end() ? it->second : defaultReason(producer, user)});
      }
    return result;
  }

  bool noFusion;
  std::vector<Operation *> compute;
  llvm::DenseMap<Operation *, size_t> order;
  llvm::EquivalenceClasses<Operation *> classes;
  llvm::DenseMap<Operation *, int64_t> rowRank;
  std::map<std::pair<Operation *, Operation *>, std::string> reasons;
};

} // namespace

KernelGrouping groupKernels(func::FuncOp fn, bool noFusion) {
  return Grouper(fn, noFusion).run();
}

} // namespace tensorc::tc
