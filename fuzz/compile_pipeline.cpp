//===- compile_pipeline.cpp - Fuzz target: source to every backend --------===//
//
// A source that the frontend accepts goes through the whole compiler three
// ways: the CUDA pipeline to PTX through LLVM's NVPTX backend (with the
// manifest), the same kernels printed as CUDA C++ (the NVRTC backend's text;
// NVRTC itself is not run: it is NVIDIA's code, slow to start, and its input
// is what we check), and the CPU pipeline to optimized LLVM IR for the host.
// Each input also picks a precision (f32, bf16 or f16 mixed precision, from
// a hash of its bytes) for both, so that tc-autocast and f16 loss scaling
// are fuzzed with the rest.
// Never a crash, an assertion or a hang. Errors are reported through the
// context's diagnostics and dropped. TENSORC_FUZZ_STRICT=1 also stops on a
// compile failure, after the frontend accepted the source, that reported no
// error located in the source: the design wants every error a user can cause
// to point at the line that caused it, never a bare "pass failed".
//
// MLIR and LLVM are the system's shared libraries and are not instrumented:
// the coverage and the sanitizers cover tensorc's own code
// (docs/reliability.md says why).
//
//===----------------------------------------------------------------------===//

#include "compiler/Frontend/Diagnostics.h"
#include "compiler/Frontend/MLIRGen.h"
#include "compiler/Frontend/Parser.h"
#include "compiler/Frontend/Sema.h"
#include "compiler/JIT/Compiler.h"
#include "compiler/Pipelines/Registration.h"
#include "compiler/Target/CUDA/CUDAEmitter.h"
#include "compiler/Target/Host/HostTarget.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

using namespace mlir;

namespace {

bool strict() {
  static const bool on = [] {
    const char *env = std::getenv("TENSORC_FUZZ_STRICT");
    return env && *env == '1';
  }();
  return on;
}

/// The errors reported while compiling for one target.
struct Errors {
  std::string first;
  bool located = false; // one of them points into the source
};

void compileFailed(const char *stage, const Errors &errors) {
  if (!strict() || errors.located)
    return;
  std::fprintf(stderr,
               "accepted source failed in %s with no error located in the "
               "source: %s\n",
               stage,
               errors.first.empty() ? "(no error)" : errors.first.c_str());
  std::abort();
}

/// The --precision of an input: f32, bf16 or f16 by its FNV-1a hash.
const char *precisionOf(const uint8_t *data, size_t size) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < size; ++i)
    h = (h ^ data[i]) * 16777619u;
  static const char *const kPrecisions[] = {"f32", "bf16", "f16"};
  return kPrecisions[h % 3];
}

/// CPU: the pipeline and manifest, then the host kernels as LLVM IR.
void compileForCpu(OwningOpRef<ModuleOp> module, const Errors &errors,
                   const char *precision) {
  tensorc::jit::CompileOptions options;
  options.target = "cpu";
  options.precision = precision;
  options.jitHostKernels = false;
  FailureOr<tensorc::jit::CompiledModel> compiled =
      tensorc::jit::compile(std::move(module), options);
  if (failed(compiled))
    return compileFailed("the CPU pipeline", errors);
  tensorc::target::HostOptions host;
  host.optLevel = 1; // LLVM's own passes are not what is being fuzzed
  auto llvmDialect =
      tensorc::target::lowerKernelsToHostLLVM(*compiled->lowered, host);
  if (failed(llvmDialect))
    return compileFailed("the host lowering", errors);
  auto machine = tensorc::target::createHostTargetMachine(
      compiled->lowered->getLoc(), host, /*forJIT=*/false);
  if (failed(machine))
    return compileFailed("the host target machine", errors);
  llvm::LLVMContext llvmContext;
  if (failed(tensorc::target::translateHostKernelsToLLVMIR(
          **llvmDialect, llvmContext, **machine, host)))
    compileFailed("the host translation", errors);
}

/// CUDA: PTX through NVPTX, then the same kernels as CUDA C++.
void compileForCuda(OwningOpRef<ModuleOp> module, const Errors &errors,
                    const char *precision) {
  tensorc::jit::CompileOptions options;
  options.target = "cuda";
  options.precision = precision;
  options.backend = "nvptx";
  FailureOr<tensorc::jit::CompiledModel> compiled =
      tensorc::jit::compile(std::move(module), options);
  if (failed(compiled))
    return compileFailed("the CUDA pipeline (nvptx)", errors);
  if (failed(tensorc::cuda::translateKernelsToCUDA(*compiled->lowered)))
    compileFailed("the CUDA C++ printer", errors);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // jit::compile applies the pass manager's command-line options, which
  // must be registered first (as Model::compile does).
  static std::once_flag registered;
  std::call_once(registered, [] {
    registerPassManagerCLOptions();
    registerDefaultTimingManagerCLOptions();
  });

  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.tdsl"),
      llvm::SMLoc());
  llvm::raw_null_ostream nullStream;
  tensorc::DiagnosticEngine diag(sourceMgr, nullStream);
  std::unique_ptr<tensorc::ast::Model> model = tensorc::parseModel(diag);
  if (!model || diag.hasErrors() || !tensorc::checkModel(*model, diag) ||
      diag.hasErrors())
    return 0;

  DialectRegistry registry;
  tensorc::registerTensorcDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  Errors errors;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
    if (d.getSeverity() != DiagnosticSeverity::Error)
      return success();
    if (errors.first.empty())
      errors.first = d.str();
    if (auto loc = d.getLocation()->findInstanceOf<FileLineColLoc>())
      errors.located |= loc.getFilename() == "fuzz.tdsl";
    return success();
  });
  OwningOpRef<ModuleOp> module = tensorc::mlirGen(context, *model, sourceMgr);
  if (!module) {
    // The frontend accepted the model, so this is a frontend bug.
    std::fprintf(stderr, "MLIRGen failed on a checked model: %s\n",
                 errors.first.c_str());
    std::abort();
  }
  const char *precision = precisionOf(data, size);
  compileForCuda(OwningOpRef<ModuleOp>(module->clone()), errors, precision);
  errors = Errors();
  compileForCpu(std::move(module), errors, precision);
  return 0;
}
