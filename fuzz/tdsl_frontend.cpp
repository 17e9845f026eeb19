//===- tdsl_frontend.cpp - Fuzz target: lexer, parser and Sema ------------===//
//
// Any input must be reported as errors or accepted; never a crash, a hang or
// an out-of-bounds read. Diagnostics go to a null stream.
//
//===----------------------------------------------------------------------===//

#include "compiler/Frontend/Diagnostics.h"
#include "compiler/Frontend/Parser.h"
#include "compiler/Frontend/Sema.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.tdsl"),
      llvm::SMLoc());
  // Printing is part of the surface too (line windows, invalid UTF-8), so
  // the messages are formatted and then dropped.
  llvm::raw_null_ostream os;
  tensorc::DiagnosticEngine diag(sourceMgr, os);
  std::unique_ptr<tensorc::ast::Model> model = tensorc::parseModel(diag);
  if (model) {
    bool ok = tensorc::checkModel(*model, diag);
    tensorc::ast::print(*model, os);
    (void)ok;
  }
  return 0;
}
