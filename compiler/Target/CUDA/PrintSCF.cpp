//===- PrintSCF.cpp - scf.for/if/while as C++ loops and branches ----------===//
//
// A region's results are variables declared before the construct: scf.for's
// iter_args double as its results, scf.if's results are assigned by both
// branches, scf.while's `after` arguments are its results.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/CUDA/Printer.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace tensorc::cuda {

/// Names of the variables bound to `values`.
static SmallVector<std::string> namesOf(KernelPrinter &p, ValueRange values) {
  SmallVector<std::string> result;
  for (Value value : values)
    result.push_back(p.name(value).str());
  return result;
}

static LogicalResult printFor(KernelPrinter &p, scf::ForOp loop) {
  raw_indented_ostream &os = p.out();
  // iter_args: one variable each, initialized, updated by the yield, read as
  // the results after the loop.
  for (auto [init, arg, result] : llvm::zip_equal(
           loop.getInitArgs(), loop.getRegionIterArgs(), loop.getResults())) {
    if (failed(p.declare(loop, result, p.name(init))))
      return failure();
    p.alias(arg, p.name(result));
  }
  Value iv = loop.getInductionVar();
  FailureOr<std::string> type = p.typeOf(loop, iv);
  if (failed(type))
    return failure();
  std::string i = p.bind(iv);
  std::string ub = p.name(loop.getUpperBound()).str();
  std::string cond = i + " < " + ub;
  if (loop.getUnsignedCmp())
    cond =
        unsignedView(iv.getType(), i) + " < " + unsignedView(iv.getType(), ub);
  os << "for (" << *type << " " << i << " = " << p.name(loop.getLowerBound())
     << "; " << cond << "; " << i << " += " << p.name(loop.getStep())
     << ") {\n";
  os.indent();
  if (failed(p.printBlock(*loop.getBody())))
    return failure();
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  if (failed(
          p.assign(yield, namesOf(p, loop.getResults()), yield.getOperands())))
    return failure();
  os.unindent();
  os << "}\n";
  return success();
}

static LogicalResult printIf(KernelPrinter &p, scf::IfOp branch) {
  raw_indented_ostream &os = p.out();
  for (Value result : branch.getResults())
    if (failed(p.declareUninitialized(branch, result)))
      return failure();
  SmallVector<std::string> results = namesOf(p, branch.getResults());
  auto printRegion = [&](Region &region) -> LogicalResult {
    os.indent();
    Block &block = region.front();
    if (failed(p.printBlock(block)))
      return failure();
    auto yield = cast<scf::YieldOp>(block.getTerminator());
    if (failed(p.assign(yield, results, yield.getOperands())))
      return failure();
    os.unindent();
    return success();
  };
  os << "if (" << p.name(branch.getCondition()) << ") {\n";
  if (failed(printRegion(branch.getThenRegion())))
    return failure();
  if (!branch.getElseRegion().empty()) {
    os << "} else {\n";
    if (failed(printRegion(branch.getElseRegion())))
      return failure();
  }
  os << "}\n";
  return success();
}

/// while (true) { before; results = condition args; if (!cond) break;
///                after; before args = yield; }
static LogicalResult printWhile(KernelPrinter &p, scf::WhileOp loop) {
  raw_indented_ostream &os = p.out();
  Block &before = loop.getBefore().front(), &after = loop.getAfter().front();
  for (auto [init, arg] :
       llvm::zip_equal(loop.getInits(), before.getArguments()))
    if (failed(p.declare(loop, arg, p.name(init))))
      return failure();
  for (auto [result, arg] :
       llvm::zip_equal(loop.getResults(), after.getArguments())) {
    if (failed(p.declareUninitialized(loop, result)))
      return failure();
    p.alias(arg, p.name(result));
  }
  os << "while (true) {\n";
  os.indent();
  if (failed(p.printBlock(before)))
    return failure();
  scf::ConditionOp condition = loop.getConditionOp();
  if (failed(p.assign(condition, namesOf(p, loop.getResults()),
                      condition.getArgs())))
    return failure();
  os << "if (!" << p.name(condition.getCondition()) << ")\n";
  os << "  break;\n";
  if (failed(p.printBlock(after)))
    return failure();
  auto yield = cast<scf::YieldOp>(after.getTerminator());
  if (failed(p.assign(yield, namesOf(p, before.getArguments()),
                      yield.getOperands())))
    return failure();
  os.unindent();
  os << "}\n";
  return success();
}

LogicalResult KernelPrinter::printSCFOp(Operation *op) {
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return printFor(*this, loop);
  if (auto branch = dyn_cast<scf::IfOp>(op))
    return printIf(*this, branch);
  if (auto loop = dyn_cast<scf::WhileOp>(op))
    return printWhile(*this, loop);
  return unsupported(op);
}

} // namespace tensorc::cuda
