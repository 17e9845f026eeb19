//===- Sema.h - Name resolution, type and shape checking --------*- C++ -*-===//

#ifndef TENSORC_FRONTEND_SEMA_H
#define TENSORC_FRONTEND_SEMA_H

#include "compiler/Frontend/AST.h"

namespace tensorc {
class DiagnosticEngine;

/// Resolves names, checks types, shapes, axes and the train clause, and
/// fills in the AST's `type`, `decl`, `builtin`/`function` and `attrs`
/// fields. Returns true when the model is valid; otherwise every error found
/// (up to the engine's cap) has been reported.
bool checkModel(ast::Model &model, DiagnosticEngine &diag);

} // namespace tensorc

#endif // TENSORC_FRONTEND_SEMA_H
