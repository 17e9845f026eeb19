//===- MLIRGen.h - Checked AST to the tc dialect ----------------*- C++ -*-===//

#ifndef TENSORC_FRONTEND_MLIRGEN_H
#define TENSORC_FRONTEND_MLIRGEN_H

#include "compiler/Frontend/AST.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace llvm {
class SourceMgr;
}

namespace tensorc {

/// Emits the model as a module of `tc` ops: one `func.func` per `.tdsl`
/// function, one `tc.param` per parameter, the train clause as the module's
/// `tc.train` attribute. Every op carries the FileLineColLoc of the source it
/// came from. The model must have passed `checkModel`. Returns null (after
/// reporting through the context's diagnostic handler) if the module fails to
/// verify, which indicates a frontend bug.
mlir::OwningOpRef<mlir::ModuleOp> mlirGen(mlir::MLIRContext &context,
                                          const ast::Model &model,
                                          llvm::SourceMgr &sourceMgr);

} // namespace tensorc

#endif // TENSORC_FRONTEND_MLIRGEN_H
