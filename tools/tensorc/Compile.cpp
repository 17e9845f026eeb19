//===- Compile.cpp - From a checked model to each stage -------------------===//

#include "Compile.h"

#include "compiler/Frontend/MLIRGen.h"
#include "compiler/Target/Manifest/ManifestWriter.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace tensorc::driver {

static Stage stageFor(Emit emit) {
  switch (emit) {
  case Emit::Linalg:
    return Stage::Linalg;
  case Emit::Kernels:
    return Stage::Kernels;
  case Emit::Loops:
    return Stage::Loops;
  default:
    return Stage::Bufferized;
  }
}

int compileAndEmit(MLIRContext &context, const ast::Model &model,
                   llvm::SourceMgr &sourceMgr, Emit emit,
                   const PipelineOptions &options, llvm::raw_ostream &os) {
  OwningOpRef<ModuleOp> module = mlirGen(context, model, sourceMgr);
  if (!module)
    return kInternalError;
  if (emit == Emit::TC) {
    module->print(os);
    os << "\n";
    return 0;
  }
  PassManager pm(&context);
  if (failed(applyPassManagerCLOptions(pm)))
    return kUserError;
  buildPipeline(pm, stageFor(emit), options);
  if (failed(pm.run(*module)))
    return kInternalError;
  if (emit == Emit::Manifest) {
    manifest::ManifestOptions manifestOptions;
    manifestOptions.targetKind = options.target;
    manifestOptions.compiler = std::string("tensorc ") + TENSORC_VERSION;
    FailureOr<std::string> text =
        manifest::writeManifest(*module, manifestOptions);
    if (failed(text))
      return kInternalError;
    os << *text;
    return 0;
  }
  module->print(os);
  os << "\n";
  return 0;
}

} // namespace tensorc::driver
