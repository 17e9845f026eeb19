//===- Init.cpp - tensorc init --------------------------------------------===//
//
//   tensorc init MODEL.tdsl|ARTIFACT.json [--seed N] -o PARAMS.safetensors
//
// Writes every param's initial value for the seed (the model's initializers,
// docs/runtime.md) to a safetensors file, one tensor per param named after
// it: the values a session created with that seed starts from, for
// `tensorc run --params`, Session::loadParams or Python. Needs no device: a
// .tdsl model is compiled only as far as its manifest.
//
//===----------------------------------------------------------------------===//

#include "Init.h"

#include "Compile.h"
#include "Frontend.h"

#include "compiler/Frontend/MLIRGen.h"
#include "compiler/JIT/Compiler.h"
#include "compiler/Pipelines/Registration.h"

#include "tensorc/runtime.h"
#include "tensorc/safetensors.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;

namespace tensorc::driver {

cl::SubCommand initCommand("init", "Write a model's initial params to a "
                                   "safetensors file");

namespace {
cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                               cl::desc("<model.tdsl|artifact.json>"),
                               cl::sub(initCommand));
cl::opt<uint64_t> seed("seed", cl::desc("Seed of the initializers"),
                       cl::init(0), cl::sub(initCommand));
cl::opt<std::string> output("o", cl::Required,
                            cl::desc("The params file (.safetensors)"),
                            cl::value_desc("file"), cl::sub(initCommand));
cl::opt<std::string> precision(
    "precision",
    cl::desc("The precision of the training to start: f16 adds the loss "
             "scale to the optimizer state"),
    cl::init("f32"), cl::sub(initCommand));

int fail(const Twine &message) {
  WithColor::error(errs(), "tensorc init") << message << "\n";
  return kUserError;
}

/// The manifest of a .tdsl model (compiled for the CPU, kernels not built)
/// or of an artifact.
Expected<Manifest> loadManifest() {
  if (StringRef(modelPath).ends_with(".json")) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> file =
        MemoryBuffer::getFile(modelPath, /*IsText=*/true);
    if (!file)
      return Status::error("cannot read '", modelPath.getValue(),
                           "': ", file.getError().message());
    return Manifest::parse((*file)->getBuffer().str(), modelPath);
  }
  SourceMgr sourceMgr;
  std::unique_ptr<ast::Model> model = loadModel(modelPath, sourceMgr);
  if (!model)
    return Status::error("the model has errors (reported above)");
  mlir::DialectRegistry registry;
  registerTensorcDialects(registry);
  mlir::MLIRContext context(registry);
  // Errors point at the .tdsl source; a dump of the op helps no user.
  context.printOpOnDiagnostic(false);
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlirGen(context, *model, sourceMgr);
  if (!module)
    return Status::error("internal compiler error (reported above)");
  jit::CompileOptions options;
  options.target = "cpu";
  options.jitHostKernels = false; // only the manifest is needed
  options.moduleFile = "none";
  options.precision = precision;
  auto compiled = jit::compile(std::move(module), options);
  if (failed(compiled))
    return Status::error("compilation failed (reported above)");
  return Manifest::parse(compiled->manifest, modelPath);
}
} // namespace

int initMain() {
  if (Status status = checkPrecision(precision); !status.ok())
    return fail(status.message());
  if (precision.getNumOccurrences() && StringRef(modelPath).ends_with(".json"))
    return fail("--precision is for a .tdsl model; an artifact has its "
                "precision already");
  Expected<Manifest> manifest = loadManifest();
  if (!manifest)
    return fail(manifest.status().message());
  Expected<TensorMap> params = initialParams(*manifest, seed);
  if (!params)
    return fail(params.status().message());
  Safetensors file;
  file.tensors = std::move(*params);
  if (!manifest->model.empty())
    file.metadata["model"] = manifest->model;
  if (Status s = writeSafetensors(output, file); !s.ok())
    return fail(s.message());
  return 0;
}

} // namespace tensorc::driver
