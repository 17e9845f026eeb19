//===- KernelShards.cpp - Kernels in shards, PTX modules joined -----------===//

#include "compiler/Target/Shards/KernelShards.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "llvm/ADT/StringSet.h"

#include <algorithm>

using namespace mlir;

namespace tensorc::target {

static bool isKernel(Operation *op) {
  return op->hasAttr(gpu::GPUDialect::getKernelFuncAttrName());
}

/// The symbols `root` refers to, directly or through the symbols it names.
static void collectUses(Operation *root, SymbolTable &table,
                        llvm::StringSet<> &used) {
  SmallVector<Operation *> work{root};
  while (!work.empty()) {
    Operation *op = work.pop_back_val();
    std::optional<SymbolTable::UseRange> uses = SymbolTable::getSymbolUses(op);
    if (!uses)
      continue;
    for (const SymbolTable::SymbolUse &use : *uses) {
      StringRef name = use.getSymbolRef().getRootReference().getValue();
      if (!used.insert(name).second)
        continue;
      if (Operation *callee = table.lookup(name))
        work.push_back(callee);
    }
  }
}

SmallVector<OwningOpRef<gpu::GPUModuleOp>>
splitIntoShards(gpu::GPUModuleOp gpuModule, unsigned maxShards) {
  SmallVector<FunctionOpInterface> kernels;
  bool splittable = true;
  for (auto func : gpuModule.getOps<FunctionOpInterface>()) {
    if (isKernel(func))
      kernels.push_back(func);
    else if (!func.isExternal())
      splittable = false;
  }
  SmallVector<OwningOpRef<gpu::GPUModuleOp>> shards;
  unsigned count = std::min<unsigned>(maxShards, kernels.size());
  if (!splittable || count <= 1) {
    shards.push_back(cast<gpu::GPUModuleOp>(gpuModule->clone()));
    return shards;
  }

  // Consecutive kernels per shard, so that the joined PTX lists the kernels
  // in the module's order; each kernel goes to the shard its midpoint falls
  // in when the total operation count (a stand-in for LLVM's work) is cut
  // into `count` equal parts.
  SmallVector<int64_t> weight;
  int64_t total = 0;
  for (FunctionOpInterface kernel : kernels) {
    int64_t ops = 0;
    kernel->walk([&](Operation *) { ++ops; });
    weight.push_back(ops);
    total += ops;
  }
  SmallVector<SmallVector<FunctionOpInterface>> groups(count);
  int64_t before = 0;
  for (auto [kernel, w] : llvm::zip(kernels, weight)) {
    groups[std::min<int64_t>(count - 1, (2 * before + w) * count / (2 * total))]
        .push_back(kernel);
    before += w;
  }

  // Each shard: the module's attributes, its kernels, and the globals and
  // declarations they use, in the module's order.
  SymbolTable table(gpuModule);
  OpBuilder b(gpuModule.getContext());
  for (ArrayRef<FunctionOpInterface> group : groups) {
    if (group.empty())
      continue;
    llvm::StringSet<> used, mine;
    for (FunctionOpInterface kernel : group) {
      mine.insert(kernel.getName());
      collectUses(kernel, table, used);
    }
    std::string name = gpuModule.getSymName().str();
    if (!shards.empty())
      name += "_" + std::to_string(shards.size());
    b.clearInsertionPoint(); // A detached module, not one inside the last.
    auto shard = gpu::GPUModuleOp::create(b, gpuModule.getLoc(), name);
    NamedAttrList attrs(gpuModule->getAttrDictionary());
    attrs.set(SymbolTable::getSymbolAttrName(), b.getStringAttr(name));
    shard->setAttrs(attrs.getDictionary(b.getContext()));
    b.setInsertionPointToStart(shard.getBody());
    for (Operation &op : gpuModule.getBody()->without_terminator()) {
      auto symbol =
          op.getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName());
      bool keep = !symbol || used.contains(symbol.getValue());
      if (isKernel(&op))
        keep = mine.contains(symbol.getValue());
      if (keep)
        b.clone(op);
    }
    shards.push_back(shard);
  }
  return shards;
}

FailureOr<std::string> joinPTX(ArrayRef<std::string> modules, Location loc) {
  std::string header, joined;
  for (const std::string &ptx : modules) {
    // The header ends with `.address_size`, the last directive LLVM writes
    // before the first declaration.
    size_t directive = ptx.find("\n.address_size");
    size_t end = directive == std::string::npos ? std::string::npos
                                                : ptx.find('\n', directive + 1);
    if (end == std::string::npos)
      return emitError(loc, "PTX module without an .address_size directive");
    std::string own = ptx.substr(0, end + 1);
    if (header.empty()) {
      header = own;
      joined = own;
    } else if (own != header) {
      return emitError(loc, "PTX shards were made for different targets");
    }
    joined.append(ptx, end + 1, std::string::npos);
  }
  return joined;
}

} // namespace tensorc::target
