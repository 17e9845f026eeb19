//===- Compile.cpp - From a checked model to each stage -------------------===//

#include "Compile.h"

#include "compiler/Frontend/MLIRGen.h"
#include "compiler/JIT/Compiler.h"
#include "compiler/JIT/RuntimeBridge.h"
#include "compiler/JIT/TunedTiles.h"
#include "compiler/Pipelines/Registration.h"
#include "compiler/Target/CUDA/CUDAEmitter.h"
#include "compiler/Target/Host/HostTarget.h"
#include "compiler/Target/Manifest/ManifestWriter.h"
#include "compiler/Target/NVPTX/PTXTarget.h"
#include "tensorc/runtime.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
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

Status checkPrecision(StringRef precision) {
  if (precision == "f32" || precision == "bf16" || precision == "f16")
    return Status::success();
  return Status::error("unknown --precision '" + precision.str() +
                       "'; use f32, bf16 or f16");
}

std::vector<std::string> tunedTilesFromCache(StringRef target, StringRef arch) {
  std::string why, warning;
  std::string dir = jit::cacheDirFromEnvironment(why);
  if (dir.empty())
    return {};
  std::vector<std::string> tiles =
      jit::tunedTilesFor(dir, target == "cpu" ? "cpu" : arch.str(), warning);
  if (!warning.empty())
    llvm::WithColor::warning(llvm::errs(), "tensorc") << warning << "\n";
  return tiles;
}

static jit::CompileOptions jitOptions(const PipelineOptions &options,
                                      const TargetOptions &target) {
  jit::CompileOptions o;
  o.target = options.target;
  o.backend = target.backend;
  o.arch = target.arch;
  o.fusion = options.fusion;
  o.reportFusion = options.reportFusion;
  o.tileSizes = options.tileSizes;
  o.tunedTiles = options.tunedTiles;
  o.precision = options.precision;
  o.jitHostKernels = false;
  return o;
}

int compileAndEmit(MLIRContext &context, const ast::Model &model,
                   llvm::SourceMgr &sourceMgr, Emit emit,
                   const PipelineOptions &options,
                   const TargetOptions &targetOptions, llvm::raw_ostream &os) {
  OwningOpRef<ModuleOp> module = mlirGen(context, model, sourceMgr);
  if (!module)
    return kInternalError;
  if (emit == Emit::TC) {
    module->print(os);
    os << "\n";
    return 0;
  }
  // The last stages run the whole compiler.
  if (emit == Emit::PTX || emit == Emit::Manifest) {
    if (emit == Emit::PTX && options.target != "cuda") {
      llvm::WithColor::error(llvm::errs(), "tensorc")
          << "--emit=ptx needs --target=cuda\n";
      return kUserError;
    }
    auto compiled =
        jit::compile(std::move(module), jitOptions(options, targetOptions));
    if (failed(compiled))
      return kInternalError;
    os << (emit == Emit::PTX ? compiled->ptx : compiled->manifest);
    return 0;
  }
  PassManager pm(&context);
  if (failed(applyPassManagerCLOptions(pm)))
    return kUserError;
  applyDefaultTimingPassManagerCLOptions(pm);
  buildPipeline(pm, stageFor(emit), options);
  if (failed(pm.run(*module)))
    return kInternalError;
  if (emit == Emit::CUDA) {
    FailureOr<std::string> source = cuda::translateKernelsToCUDA(*module);
    if (failed(source))
      return kInternalError;
    os << *source;
    return 0;
  }
  if (emit == Emit::LLVM) {
    FailureOr<OwningOpRef<ModuleOp>> lowered = failure();
    if (options.target == "cuda") {
      target::PTXOptions ptx;
      ptx.arch = targetOptions.arch;
      lowered = target::lowerKernelsToNVVM(*module, ptx);
    } else {
      lowered = target::lowerKernelsToHostLLVM(*module);
    }
    if (failed(lowered))
      return kInternalError;
    (*lowered)->print(os);
    os << "\n";
    return 0;
  }
  module->print(os);
  os << "\n";
  return 0;
}

/// Writes `contents` to `path` through a temporary file and a rename, so a
/// reader never sees half a file.
static LogicalResult writeAtomically(StringRef path, StringRef contents) {
  SmallString<128> temp;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(path + ".tmp-%%%%%%", fd, temp)) {
    llvm::WithColor::error(llvm::errs(), "tensorc")
        << "cannot write '" << path << "': " << ec.message() << "\n";
    return failure();
  }
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << contents;
    os.close();
    if (os.has_error()) {
      llvm::sys::fs::remove(temp);
      llvm::WithColor::error(llvm::errs(), "tensorc")
          << "cannot write '" << path << "': " << os.error().message() << "\n";
      return failure();
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(temp, path)) {
    llvm::sys::fs::remove(temp);
    llvm::WithColor::error(llvm::errs(), "tensorc")
        << "cannot write '" << path << "': " << ec.message() << "\n";
    return failure();
  }
  return success();
}

int writeArtifact(MLIRContext &context, const ast::Model &model,
                  llvm::SourceMgr &sourceMgr, const PipelineOptions &options,
                  const TargetOptions &targetOptions, StringRef path) {
  OwningOpRef<ModuleOp> module = mlirGen(context, model, sourceMgr);
  if (!module)
    return kInternalError;
  jit::CompileOptions o = jitOptions(options, targetOptions);
  o.moduleFile = llvm::sys::path::filename(path).str();
  if (options.target == "cpu")
    o.sharedObjectPath = path.str();
  auto compiled = jit::compile(std::move(module), o);
  if (failed(compiled))
    return kInternalError;
  if (options.target == "cuda" && failed(writeAtomically(path, compiled->ptx)))
    return kUserError;
  // The manifest last: once it exists, the module it names is complete.
  if (failed(writeAtomically((path + ".json").str(), compiled->manifest)))
    return kUserError;
  return 0;
}

Expected<std::shared_ptr<const Artifact>>
compileToArtifact(const ast::Model &model, llvm::SourceMgr &sourceMgr,
                  const jit::CompileOptions &given) {
  jit::CompileOptions options = given;
  mlir::DialectRegistry registry;
  registerTensorcDialects(registry);
  mlir::MLIRContext context(registry);
  // Errors point at the .tdsl source; a dump of the op helps no user.
  context.printOpOnDiagnostic(false);
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module = mlirGen(context, model, sourceMgr);
  if (!module)
    return Status::error("internal compiler error (reported above)");
  options.moduleFile = "jit"; // in memory: no file is read
  auto compiled = jit::compile(std::move(module), options);
  if (failed(compiled))
    return Status::error("compilation failed (reported above)");
  return jit::makeArtifact(std::move(*compiled));
}

} // namespace tensorc::driver
