//===- ParamsToArguments.cpp - Parameters become function arguments -------===//

#include "dialects/TC/IR/TCOps.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/MapVector.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCPARAMSTOARGUMENTS
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;
using namespace tensorc::tc;

namespace {
struct TCParamsToArguments
    : tensorc::tc::impl::TCParamsToArgumentsBase<TCParamsToArguments> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<ParamOp> params(module.getOps<ParamOp>());
    for (func::FuncOp fn : module.getOps<func::FuncOp>()) {
      if (fn.isDeclaration())
        continue;
      // Which params does the function read, and where.
      llvm::MapVector<StringAttr, SmallVector<LoadParamOp>> loads;
      fn.walk([&](LoadParamOp load) {
        loads[load.getParamAttr().getAttr()].push_back(load);
      });
      if (loads.empty())
        continue;
      Block &entry = fn.getBody().front();
      for (ParamOp param : params) {
        auto it = loads.find(param.getSymNameAttr());
        if (it == loads.end())
          continue;
        unsigned index = fn.getNumArguments();
        if (failed(fn.insertArgument(
                index, param.getType(),
                DictionaryAttr::get(
                    &getContext(),
                    {NamedAttribute(kParamAttr, param.getSymNameAttr())}),
                param.getLoc())))
          return signalPassFailure();
        for (LoadParamOp load : it->second) {
          load.replaceAllUsesWith(entry.getArgument(index));
          load.erase();
        }
      }
    }
  }
};
} // namespace
