//===- FrontendTestUtil.h - Run the frontend on a string --------*- C++ -*-===//

#ifndef TENSORC_UNITTESTS_FRONTEND_FRONTENDTESTUTIL_H
#define TENSORC_UNITTESTS_FRONTEND_FRONTENDTESTUTIL_H

#include "compiler/Frontend/AST.h"
#include "compiler/Frontend/Diagnostics.h"
#include "compiler/Frontend/Parser.h"
#include "compiler/Frontend/Sema.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace tensorc::test {

/// The result of running the frontend on a string named "t.tdsl".
struct Compiled {
  std::unique_ptr<llvm::SourceMgr> sourceMgr;
  std::unique_ptr<ast::Model> model; // null if parsing failed
  std::string diags;                 // everything printed
  bool ok = false;                   // parsed and checked without errors
};

inline Compiled compile(llvm::StringRef source, bool check = true) {
  Compiled c;
  c.sourceMgr = std::make_unique<llvm::SourceMgr>();
  c.sourceMgr->AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(source, "t.tdsl"), llvm::SMLoc());
  llvm::raw_string_ostream os(c.diags);
  DiagnosticEngine diag(*c.sourceMgr, os);
  c.model = parseModel(diag);
  if (c.model && check)
    c.ok = checkModel(*c.model, diag);
  else
    c.ok = c.model != nullptr && !diag.hasErrors();
  return c;
}

/// Wraps `body` in a model with dims B and T, const C = 64 and a few params.
inline std::string inModel(llvm::StringRef body) {
  return ("model M {\n"
          "  dim B, T\n"
          "  const C = 64\n"
          "  param w: f32[C, 10] = zeros\n"
          "  param g: f32[C] = ones\n" +
          body + "\n}\n")
      .str();
}

/// The function named `name` in a compiled model.
inline const ast::FnDecl *findFn(const Compiled &c, llvm::StringRef name) {
  if (!c.model)
    return nullptr;
  for (const auto &fn : c.model->fns)
    if (fn->name == name)
      return fn.get();
  return nullptr;
}

/// The type string of the return value of function `name`, or "" if none.
inline std::string returnType(const Compiled &c, llvm::StringRef name) {
  const ast::FnDecl *fn = findFn(c, name);
  if (!fn || !fn->returnValue || !fn->returnValue->type)
    return "";
  return fn->returnValue->type->str();
}

} // namespace tensorc::test

#endif // TENSORC_UNITTESTS_FRONTEND_FRONTENDTESTUTIL_H
