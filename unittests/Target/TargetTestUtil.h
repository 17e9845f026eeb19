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

#include <memory>
#include <string>

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

} // namespace tensorc::target::testing

#endif // TENSORC_UNITTESTS_TARGET_TARGETTESTUTIL_H
