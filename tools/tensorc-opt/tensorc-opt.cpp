//===- tensorc-opt.cpp - tensorc's mlir-opt -------------------------------===//
//
// Runs tensorc's passes (and MLIR's) on .mlir files: the tool behind the
// lit/FileCheck tests and the first stop when debugging a pass.
//
//===----------------------------------------------------------------------===//

#include "compiler/Pipelines/Pipelines.h"
#include "dialects/TC/IR/BufferizableOpInterfaceImpl.h"
#include "dialects/TC/IR/TCDialect.h"
#include "dialects/TC/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllPasses();
  registry.insert<tensorc::tc::TCDialect>();
  tensorc::tc::registerBufferizableOpInterfaceExternalModels(registry);
  tensorc::tc::registerTCPasses();
  tensorc::registerPipelines();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "tensorc optimizer driver\n", registry));
}
