//===- TargetTestUtil.h - Helpers for the kernel target tests ---*- C++ -*-===//

#ifndef TENSORC_UNITTESTS_TARGET_TARGETTESTUTIL_H
#define TENSORC_UNITTESTS_TARGET_TARGETTESTUTIL_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace tensorc::target::testing {

/// A context with the dialects of kernel modules, collecting diagnostics.
struct KernelModule {
  std::unique_ptr<mlir::MLIRContext> context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::string diagnostics;
  std::unique_ptr<mlir::ScopedDiagnosticHandler> handler;

  KernelModule() {
    mlir::DialectRegistry registry;
    registry.insert<mlir::arith::ArithDialect, mlir::cf::ControlFlowDialect,
                    mlir::gpu::GPUDialect, mlir::math::MathDialect,
                    mlir::memref::MemRefDialect, mlir::scf::SCFDialect>();
    context = std::make_unique<mlir::MLIRContext>(registry);
    handler = std::make_unique<mlir::ScopedDiagnosticHandler>(
        context.get(), [this](mlir::Diagnostic &diag) {
          diagnostics += diag.str() + "\n";
          return mlir::success();
        });
  }

  /// Parses test/Target/Inputs/NAME.
  static std::unique_ptr<KernelModule> fromInput(const std::string &name) {
    auto km = std::make_unique<KernelModule>();
    km->module = mlir::parseSourceFile<mlir::ModuleOp>(
        std::string(TENSORC_TARGET_INPUTS) + "/" + name, km->context.get());
    return km;
  }

  static std::unique_ptr<KernelModule> fromString(const std::string &text) {
    auto km = std::make_unique<KernelModule>();
    km->module =
        mlir::parseSourceString<mlir::ModuleOp>(text, km->context.get());
    return km;
  }
};

/// `gpu.module @tc_kernels` around one kernel.
inline std::string wrapKernel(const std::string &kernel) {
  return "module attributes {gpu.container_module} {\n"
         "gpu.module @tc_kernels {\n" +
         kernel + "\n}\n}\n";
}

/// The `.entry` functions of a PTX module by name, with the label numbers
/// (LLVM numbers them per function within a module), comments and trailing
/// space removed: what two ways of making the same kernels must agree on.
inline std::map<std::string, std::string>
ptxEntryBodies(const std::string &ptx) {
  std::map<std::string, std::string> result;
  std::regex entry(R"(\.visible \.entry (\w+)\()");
  std::vector<std::pair<std::string, size_t>> starts;
  for (auto it = std::sregex_iterator(ptx.begin(), ptx.end(), entry);
       it != std::sregex_iterator(); ++it)
    starts.emplace_back((*it)[1], it->position());
  for (size_t i = 0; i < starts.size(); ++i) {
    size_t end = i + 1 < starts.size() ? starts[i + 1].second : ptx.size();
    std::string body = ptx.substr(starts[i].second, end - starts[i].second);
    body = std::regex_replace(body, std::regex(R"(\$L__BB\d+_)"), "$L__BB_");
    body = std::regex_replace(body, std::regex(R"(\s*//[^\n]*)"), "");
    body.erase(body.find_last_not_of(" \t\n") + 1);
    result[starts[i].first] = body;
  }
  return result;
}

/// How many times `what` occurs in `text`.
inline size_t countOf(const std::string &text, const std::string &what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1))
    ++n;
  return n;
}

} // namespace tensorc::target::testing

#endif // TENSORC_UNITTESTS_TARGET_TARGETTESTUTIL_H
