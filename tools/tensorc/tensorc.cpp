//===- tensorc.cpp - The tensorc compiler driver --------------------------===//
//
//   tensorc model.tdsl                      check the model and summarize it
//   tensorc model.tdsl --emit=STAGE         print a stage of the pipeline
//
// Exit status: 0 on success, 1 for errors in the user's input (reported with
// file:line:col), 2 for internal compiler errors.
//
//===----------------------------------------------------------------------===//

#include "Compile.h"
#include "Frontend.h"
#include "Init.h"
#include "Run.h"
#include "Train.h"
#include "Tune.h"

#include "compiler/Conversion/KernelsToGPU/ContractionTiles.h"
#include "compiler/Frontend/Diagnostics.h"
#include "compiler/Frontend/Parser.h"
#include "compiler/Frontend/Sema.h"
#include "compiler/Pipelines/Registration.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace tensorc;
using namespace tensorc::driver;

namespace {

// --help lists these and the few MLIR options a user needs; LLVM's hundreds
// of backend options stay hidden (--help-hidden shows them).
cl::OptionCategory toolCategory("tensorc options");

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.tdsl>"),
                               cl::init("-"), cl::cat(toolCategory));
cl::opt<std::string> outputFile("o", cl::desc("Output file (default: stdout)"),
                                cl::value_desc("file"), cl::init("-"),
                                cl::cat(toolCategory));
cl::opt<Emit> emit(
    "emit", cl::desc("What to produce"), cl::init(Emit::Summary),
    cl::values(
        clEnumValN(Emit::Summary, "summary",
                   "a one-screen summary of the model (default)"),
        clEnumValN(Emit::AST, "ast", "the checked syntax tree"),
        clEnumValN(Emit::TC, "tc", "the tc dialect, verified"),
        clEnumValN(Emit::Linalg, "linalg", "linalg on tensors"),
        clEnumValN(Emit::Kernels, "kernels",
                   "fused linalg ops grouped into tc.kernel regions"),
        clEnumValN(Emit::Loops, "loops",
                   "each kernel as a gpu.func of loops, launched by tc.launch"),
        clEnumValN(Emit::GPU, "gpu",
                   "bufferized entry points with the memory plan, and the "
                   "kernels"),
        clEnumValN(Emit::LLVM, "llvm",
                   "the kernels in the LLVM dialect (NVVM for cuda, host "
                   "code for cpu)"),
        clEnumValN(Emit::PTX, "ptx", "the PTX module (--target=cuda)"),
        clEnumValN(Emit::CUDA, "cuda", "the kernels as CUDA C++"),
        clEnumValN(Emit::Manifest, "manifest",
                   "the artifact manifest (JSON, docs/artifact.md)")),
    cl::cat(toolCategory));
cl::opt<std::string> backend("backend",
                             cl::desc("How PTX is made: nvptx (LLVM's NVPTX "
                                      "backend) or nvrtc (CUDA C++ through "
                                      "NVRTC)"),
                             cl::init("nvptx"), cl::cat(toolCategory));
cl::opt<std::string> arch("arch",
                          cl::desc("GPU architecture (sm_80, sm_90, ...)"),
                          cl::init("sm_90"), cl::cat(toolCategory));
cl::opt<std::string> target("target",
                            cl::desc("Where the kernels run: cuda or cpu"),
                            cl::init("cuda"), cl::cat(toolCategory));
cl::opt<bool> noFusion("no-fusion",
                       cl::desc("One kernel per linalg op (the unfused "
                                "reference program)"),
                       cl::init(false), cl::cat(toolCategory));
cl::opt<bool> reportFusion(
    "report-fusion",
    cl::desc("List every kernel with the ops it holds and why the ops at "
             "each boundary were not fused (to stderr)"),
    cl::init(false), cl::cat(toolCategory));
cl::list<int64_t> tileSizes(
    "tile-sizes",
    cl::desc("M,N,K: fixed tiles for every matrix product (default: chosen "
             "per product and --arch; docs/codegen.md)"),
    cl::CommaSeparated, cl::cat(toolCategory));
cl::opt<std::string> precision(
    "precision",
    cl::desc("f32, or bf16/f16: matrix products and convolutions in 16 bits "
             "(mixed precision; docs/training.md)"),
    cl::init("f32"), cl::cat(toolCategory));
cl::opt<unsigned> maxErrors("max-errors",
                            cl::desc("Stop after this many errors"),
                            cl::init(20), cl::cat(toolCategory));

void printVersion(raw_ostream &os) {
  os << "tensorc " << TENSORC_VERSION << " (LLVM/MLIR " << LLVM_VERSION_STRING
     << ")\n";
}

void printSummary(const ast::Model &model, raw_ostream &os) {
  uint64_t values = 0;
  for (const auto &p : model.params) {
    std::optional<ast::Dim> n = p->type.resolved->numElements();
    values += n ? n->coeff : 0;
  }
  os << "model " << model.name << ": " << model.params.size() << " params ("
     << values << " values), " << model.fns.size() << " functions:";
  for (const auto &fn : model.fns) {
    os << " " << fn->name << "(";
    llvm::interleaveComma(fn->args, os, [&](const auto &arg) {
      os << arg->name << ": " << arg->type.resolved->str();
    });
    os << ") -> " << fn->result.resolved->str() << ";";
  }
  os << "\n";
  if (model.train)
    os << "train " << model.train->fn->name << " with "
       << ast::optimizerName(model.train->optimizer) << "\n";
}
} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  cl::SetVersionPrinter(printVersion);
  cl::HideUnrelatedOptions(toolCategory);
  for (const char *name :
       {"mlir-print-ir-after-all", "mlir-print-ir-before-all",
        "mlir-print-ir-after-failure", "mlir-timing", "version"}) {
    cl::Option *option = cl::getRegisteredOptions().lookup(name);
    if (!option)
      continue;
    option->setHiddenFlag(cl::NotHidden);
    option->addCategory(toolCategory);
  }
  cl::ParseCommandLineOptions(
      argc, argv,
      "tensorc: compile .tdsl tensor programs to fused GPU and CPU kernels\n");

  if (runCommand)
    return runMain();
  if (trainCommand)
    return trainMain();
  if (initCommand)
    return initMain();
  if (tuneCommand)
    return tuneMain();

  if (target != "cuda" && target != "cpu") {
    WithColor::error(errs(), "tensorc")
        << "unknown --target '" << target << "'; use cuda or cpu\n";
    return kUserError;
  }
  if (backend != "nvptx" && backend != "nvrtc") {
    WithColor::error(errs(), "tensorc")
        << "unknown --backend '" << backend << "'; use nvptx or nvrtc\n";
    return kUserError;
  }
  if (!kernels::parseSmVersion(arch)) {
    WithColor::error(errs(), "tensorc")
        << "unknown --arch '" << arch << "'; expected sm_NN, e.g. sm_90\n";
    return kUserError;
  }
  if (Status status = checkPrecision(precision); !status.ok()) {
    WithColor::error(errs(), "tensorc") << status.message() << "\n";
    return kUserError;
  }
  std::vector<int64_t> tiles(tileSizes.begin(), tileSizes.end());
  std::string tileError;
  if (!tiles.empty() &&
      !kernels::tilesFromSizes(target == "cpu", tiles, tileError)) {
    WithColor::error(errs(), "tensorc")
        << "--tile-sizes: " << tileError << "\n";
    return kUserError;
  }
  SourceMgr sourceMgr;
  std::unique_ptr<ast::Model> model =
      loadModel(inputFile, sourceMgr, maxErrors);
  if (!model)
    return kUserError;

  mlir::DialectRegistry registry;
  registerTensorcDialects(registry);
  mlir::MLIRContext context(registry);
  // Errors point at the .tdsl source; a dump of the op helps no user.
  context.printOpOnDiagnostic(false);
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  PipelineOptions options;
  options.target = target;
  options.fusion = !noFusion;
  options.reportFusion = reportFusion;
  options.arch = arch;
  options.tileSizes = tiles;
  options.tunedTiles = tunedTilesFromCache(options.target, arch);
  options.precision = precision;
  TargetOptions targetOptions{backend, arch};

  // `-o FILE` with no --emit writes the artifact: the module and FILE.json.
  if (emit.getNumOccurrences() == 0 && outputFile != "-")
    return writeArtifact(context, *model, sourceMgr, options, targetOptions,
                         outputFile);

  std::string error;
  auto output = mlir::openOutputFile(outputFile, &error);
  if (!output) {
    WithColor::error(errs(), "tensorc") << error << "\n";
    return kUserError;
  }

  switch (emit) {
  case Emit::Summary:
    printSummary(*model, output->os());
    break;
  case Emit::AST:
    ast::print(*model, output->os());
    break;
  default:
    if (int status = compileAndEmit(context, *model, sourceMgr, emit, options,
                                    targetOptions, output->os()))
      return status;
    break;
  }
  output->keep();
  return 0;
}
