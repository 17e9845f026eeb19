//===- Parser.h - .tdsl parser ----------------------------------*- C++ -*-===//

#ifndef TENSORC_FRONTEND_PARSER_H
#define TENSORC_FRONTEND_PARSER_H

#include "compiler/Frontend/AST.h"

#include <memory>

namespace tensorc {
class DiagnosticEngine;

/// Parses the main buffer of the diagnostic engine's SourceMgr. Reports every
/// syntax error it can recover from; returns null if there was any.
std::unique_ptr<ast::Model> parseModel(DiagnosticEngine &diag);

} // namespace tensorc

#endif // TENSORC_FRONTEND_PARSER_H
