//===- tensorc-target-tool.cpp - Drives the kernel targets for lit tests --===//
//
// Reads a module holding `gpu.module @tc_kernels` and prints one stage of the
// kernel targets, so that lit can check them and hand the PTX to ptxas:
//
//   tensorc-target-tool --emit=nvvm|ptx|host-mlir|host-llvm|so FILE [-o OUT]
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/Host/HostTarget.h"
#include "compiler/Target/NVPTX/PTXTarget.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input>"),
                                      cl::init("-"));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::init("-"));
static cl::opt<std::string>
    emit("emit", cl::desc("nvvm, ptx, host-mlir, host-llvm or so"),
         cl::init("ptx"));
static cl::opt<std::string> arch("arch", cl::desc("GPU architecture"),
                                 cl::init("sm_90"));
static cl::opt<bool> fastMath("fast-math", cl::desc("Allow fast math"));
static cl::opt<unsigned>
    ptxShards("ptx-shards",
              cl::desc("Shards of consecutive kernels LLVM compiles in "
                       "parallel"),
              cl::init(tensorc::target::PTXOptions().shards));
static cl::opt<std::string> cpu("cpu", cl::desc("CPU for host code"),
                                cl::init("host"));
static cl::opt<int>
    timeRuns("time", cl::desc("Compile N more times and print the mean time"),
             cl::init(0));

template <typename Fn> static void reportTime(StringRef what, Fn &&compile) {
  if (timeRuns <= 0)
    return;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < timeRuns; ++i)
    (void)compile();
  std::chrono::duration<double, std::milli> total =
      std::chrono::steady_clock::now() - start;
  llvm::errs() << what << ": " << total.count() / timeRuns << " ms\n";
}

static LogicalResult run(ModuleOp module, llvm::raw_ostream &os) {
  tensorc::target::PTXOptions ptx;
  ptx.arch = arch;
  ptx.fastMath = fastMath;
  ptx.shards = ptxShards;
  tensorc::target::HostOptions host;
  host.cpu = cpu;
  host.fastMath = fastMath;
  if (emit == "nvvm") {
    auto lowered = tensorc::target::lowerKernelsToNVVM(module, ptx);
    if (failed(lowered))
      return failure();
    (*lowered)->print(os);
    return success();
  }
  if (emit == "ptx") {
    auto text = tensorc::target::translateKernelsToPTX(module, ptx);
    if (failed(text))
      return failure();
    reportTime("PTX", [&] {
      return tensorc::target::translateKernelsToPTX(module, ptx);
    });
    os << *text;
    return success();
  }
  if (emit == "host-mlir" || emit == "host-llvm") {
    auto lowered = tensorc::target::lowerKernelsToHostLLVM(module, host);
    if (failed(lowered))
      return failure();
    if (emit == "host-mlir") {
      (*lowered)->print(os);
      return success();
    }
    auto machine = tensorc::target::createHostTargetMachine(
        module.getLoc(), host, /*forJIT=*/false);
    if (failed(machine))
      return failure();
    llvm::LLVMContext llvmContext;
    auto llvmModule = tensorc::target::translateHostKernelsToLLVMIR(
        **lowered, llvmContext, **machine, host);
    if (failed(llvmModule))
      return failure();
    (*llvmModule)->print(os, nullptr);
    return success();
  }
  return module.emitError("unknown --emit value '") << emit << "'";
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "tensorc kernel target driver\n");

  DialectRegistry registry;
  registry.insert<arith::ArithDialect, cf::ControlFlowDialect,
                  func::FuncDialect, gpu::GPUDialect, math::MathDialect,
                  memref::MemRefDialect, scf::SCFDialect>();
  // Kernels the emitter made also hold vector and nvgpu ops.
  tensorc::target::registerPTXTargetDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  std::string error;
  auto input = openInputFile(inputFile, &error);
  if (!input) {
    llvm::errs() << error << "\n";
    return 1;
  }
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  if (emit == "so") {
    if (outputFile == "-") {
      llvm::errs() << "--emit=so needs -o FILE\n";
      return 1;
    }
    tensorc::target::HostOptions host;
    host.cpu = cpu;
    host.fastMath = fastMath;
    return failed(
        tensorc::target::writeHostSharedObject(*module, outputFile, host));
  }
  auto output = openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return 1;
  }
  if (failed(run(*module, output->os())))
    return 1;
  output->keep();
  return 0;
}
