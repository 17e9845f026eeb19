//===- Frontend.cpp - Reading and checking a .tdsl file -------------------===//

#include "Frontend.h"

#include "compiler/Frontend/Diagnostics.h"
#include "compiler/Frontend/Parser.h"
#include "compiler/Frontend/Sema.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;

namespace tensorc::driver {

constexpr uint64_t kMaxSourceBytes = 64ull << 20;

/// Reads the input, refusing files over the language's size limit before
/// reading them.
static std::unique_ptr<MemoryBuffer> readInput(StringRef path) {
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

std::unique_ptr<ast::Model> loadModel(StringRef path, SourceMgr &sourceMgr,
                                      unsigned maxErrors) {
  std::unique_ptr<MemoryBuffer> buffer = readInput(path);
  if (!buffer)
    return nullptr;
  sourceMgr.AddNewSourceBuffer(std::move(buffer), SMLoc());
  DiagnosticEngine diag(sourceMgr, errs(), maxErrors);
  std::unique_ptr<ast::Model> model = parseModel(diag);
  if (!model || diag.hasErrors())
    return nullptr;
  if (!checkModel(*model, diag) || diag.hasErrors())
    return nullptr;
  return model;
}

} // namespace tensorc::driver
