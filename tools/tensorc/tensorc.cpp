//===- tensorc.cpp - The tensorc compiler driver --------------------------===//
//
//   tensorc model.tdsl                 check the model and summarize it
//   tensorc model.tdsl --emit=ast      the checked syntax tree
//   tensorc model.tdsl --emit=tc       the verified tc dialect
//
// Exit status: 0 on success, 1 for errors in the user's input (reported with
// file:line:col), 2 for internal compiler errors.
//
//===----------------------------------------------------------------------===//

#include "compiler/Frontend/Diagnostics.h"
#include "compiler/Frontend/MLIRGen.h"
#include "compiler/Frontend/Parser.h"
#include "compiler/Frontend/Sema.h"
#include "dialects/TC/IR/TCDialect.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
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

namespace {
enum class Emit { Summary, AST, TC };

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.tdsl>"),
                               cl::init("-"));
cl::opt<std::string> outputFile("o", cl::desc("Output file (default: stdout)"),
                                cl::value_desc("file"), cl::init("-"));
cl::opt<Emit>
    emit("emit", cl::desc("What to produce"), cl::init(Emit::Summary),
         cl::values(clEnumValN(Emit::Summary, "summary",
                               "a one-screen summary of the model (default)"),
                    clEnumValN(Emit::AST, "ast", "the checked syntax tree"),
                    clEnumValN(Emit::TC, "tc", "the tc dialect, verified")));
cl::opt<unsigned> maxErrors("max-errors",
                            cl::desc("Stop after this many errors"),
                            cl::init(20));

constexpr uint64_t kMaxSourceBytes = 64ull << 20;
constexpr int kUserError = 1;
constexpr int kInternalError = 2;

void printVersion(raw_ostream &os) {
  os << "tensorc " << TENSORC_VERSION << " (LLVM/MLIR " << LLVM_VERSION_STRING
     << ")\n";
}

/// Reads the input, refusing files over the language's size limit before
/// reading them.
std::unique_ptr<MemoryBuffer> readInput(StringRef path) {
  if (path != "-") {
    uint64_t size = 0;
    if (std::error_code ec = sys::fs::file_size(path, size)) {
      WithColor::error(errs(), "tensorc")
          << "cannot open '" << path << "': " << ec.message() << "\n";
      return nullptr;
    }
    if (size > kMaxSourceBytes) {
      WithColor::error(errs(), "tensorc")
          << "'" << path << "' is " << size
          << " bytes; source files are limited to 64 MiB\n";
      return nullptr;
    }
  }
  auto buffer = MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/true);
  if (std::error_code ec = buffer.getError()) {
    WithColor::error(errs(), "tensorc")
        << "cannot read '" << path << "': " << ec.message() << "\n";
    return nullptr;
  }
  if ((*buffer)->getBufferSize() > kMaxSourceBytes) {
    WithColor::error(errs(), "tensorc")
        << "input is larger than the 64 MiB limit\n";
    return nullptr;
  }
  return std::move(*buffer);
}

void printSummary(const ast::Model &model, raw_ostream &os) {
  uint64_t values = 0;
  for (const auto &p : model.params) {
    std::optional<Dim> n = p->type.resolved->numElements();
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
  cl::SetVersionPrinter(printVersion);
  cl::ParseCommandLineOptions(
      argc, argv,
      "tensorc: compile .tdsl tensor programs to fused GPU and CPU kernels\n");

  std::unique_ptr<MemoryBuffer> buffer = readInput(inputFile);
  if (!buffer)
    return kUserError;
  SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(buffer), SMLoc());

  DiagnosticEngine diag(sourceMgr, errs(), maxErrors);
  std::unique_ptr<ast::Model> model = parseModel(diag);
  if (!model || diag.hasErrors())
    return kUserError;
  if (!checkModel(*model, diag) || diag.hasErrors())
    return kUserError;

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
  case Emit::TC: {
    mlir::MLIRContext context;
    mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
    mlir::OwningOpRef<mlir::ModuleOp> module =
        mlirGen(context, *model, sourceMgr);
    if (!module)
      return kInternalError;
    // Printing flags come from the command line (--mlir-print-debuginfo
    // shows each op's .tdsl location).
    module->print(output->os());
    output->os() << "\n";
    break;
  }
  }
  output->keep();
  return 0;
}
