//===- tensorc-cuda-translate.cpp - Test driver of the NVRTC backend ------===//
//
// Prints the CUDA C++ of a module's `gpu.module @tc_kernels` (--emit=cuda) or
// compiles it to PTX with NVRTC (--emit=ptx). For the lit tests of
// test/Target/CUDA; `tensorc --emit=cuda` is the user-facing entry point.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/CUDA/CUDAEmitter.h"
#include "compiler/Target/CUDA/NVRTC.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/ToolUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>

using namespace mlir;
namespace cl = llvm::cl;

namespace {
enum class Emit { CUDA, PTX };

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input .mlir>"),
                               cl::init("-"));
cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                cl::value_desc("filename"), cl::init("-"));
cl::opt<Emit> emit("emit", cl::desc("What to print"), cl::init(Emit::CUDA),
                   cl::values(clEnumValN(Emit::CUDA, "cuda", "CUDA C++"),
                              clEnumValN(Emit::PTX, "ptx", "PTX from NVRTC")));
cl::opt<std::string> arch("arch", cl::desc("GPU architecture for --emit=ptx"),
                          cl::init("sm_90"));
cl::opt<bool> fmad("fmad", cl::desc("Let NVRTC contract into FMAs (--fmad)"),
                   cl::init(true));
cl::opt<unsigned> timeRuns("nvrtc-time",
                           cl::desc("Compile N times and print each NVRTC "
                                    "compile time to stderr"),
                           cl::init(0));
cl::opt<bool> splitInputFile("split-input-file",
                             cl::desc("Process each `// -----` chunk apart"));
cl::opt<bool> verifyDiagnostics("verify-diagnostics",
                                cl::desc("Check expected-* diagnostics"));

LogicalResult processModule(ModuleOp module, raw_ostream &os) {
  FailureOr<std::string> source = tensorc::cuda::translateKernelsToCUDA(module);
  if (failed(source))
    return failure();
  if (emit == Emit::CUDA) {
    os << *source;
    return success();
  }
  tensorc::cuda::NVRTCOptions options;
  options.fmad = fmad;
  FailureOr<std::string> ptx;
  for (unsigned run = 0; run < std::max(1u, timeRuns.getValue()); ++run) {
    auto start = std::chrono::steady_clock::now();
    ptx = tensorc::cuda::compileCUDAToPTX(*source, arch, module.getLoc(),
                                          options);
    std::chrono::duration<double, std::milli> took =
        std::chrono::steady_clock::now() - start;
    if (timeRuns)
      llvm::errs() << "nvrtc compile " << run << ": "
                   << llvm::format("%.1f", took.count()) << " ms\n";
    if (failed(ptx))
      return failure();
  }
  os << *ptx;
  return success();
}

LogicalResult processBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                            raw_ostream &os, MLIRContext &context) {
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  auto process = [&]() -> LogicalResult {
    OwningOpRef<ModuleOp> module =
        parseSourceFile<ModuleOp>(sourceMgr, &context);
    return module ? processModule(*module, os) : failure();
  };
  if (!verifyDiagnostics) {
    SourceMgrDiagnosticHandler handler(sourceMgr, &context);
    return process();
  }
  SourceMgrDiagnosticVerifierHandler handler(sourceMgr, &context);
  (void)process();
  return handler.verify();
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "tensorc CUDA C++ / NVRTC driver\n");

  DialectRegistry registry;
  // Any dialect parses, so that the printer can reject what it cannot print.
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input = openInputFile(inputFile, &error);
  if (!input) {
    llvm::errs() << error << "\n";
    return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return 1;
  }
  auto chunk = [&](std::unique_ptr<llvm::MemoryBuffer> buffer,
                   raw_ostream &os) {
    return processBuffer(std::move(buffer), os, context);
  };
  if (failed(splitAndProcessBuffer(std::move(input), chunk, output->os(),
                                   splitInputFile ? kDefaultSplitMarker : "",
                                   kDefaultSplitMarker)))
    return 1;
  output->keep();
  return 0;
}
