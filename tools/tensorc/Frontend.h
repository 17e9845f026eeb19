//===- Frontend.h - Reading and checking a .tdsl file -----------*- C++ -*-===//

#ifndef TENSORC_TOOLS_TENSORC_FRONTEND_H
#define TENSORC_TOOLS_TENSORC_FRONTEND_H

#include "compiler/Frontend/AST.h"

#include "llvm/Support/SourceMgr.h"

#include <memory>

namespace tensorc::driver {

/// Reads, parses and checks `path` ("-" for stdin) into `sourceMgr`,
/// reporting errors with locations on stderr. Returns null on any error.
std::unique_ptr<ast::Model> loadModel(llvm::StringRef path,
                                      llvm::SourceMgr &sourceMgr,
                                      unsigned maxErrors = 20);

} // namespace tensorc::driver

#endif // TENSORC_TOOLS_TENSORC_FRONTEND_H
