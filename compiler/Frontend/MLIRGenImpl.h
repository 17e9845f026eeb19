//===- MLIRGenImpl.h - MLIRGen internals ------------------------*- C++ -*-===//
//
// Shared by MLIRGen.cpp (module, functions, names, operators) and
// MLIRGenBuiltins.cpp (one case per builtin).
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_FRONTEND_MLIRGENIMPL_H
#define TENSORC_FRONTEND_MLIRGENIMPL_H

#include "compiler/Frontend/AST.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SourceMgr.h"

namespace tensorc {
using ast::DType;
using ast::Dim;

class MLIRGenImpl {
public:
  MLIRGenImpl(mlir::MLIRContext &context, llvm::SourceMgr &sourceMgr)
      : context(context), builder(&context), sourceMgr(sourceMgr) {}

  mlir::OwningOpRef<mlir::ModuleOp> genModel(const ast::Model &model);

  // Used by the builtin emitters.
  mlir::Location loc(llvm::SMLoc l);
  mlir::RankedTensorType toMLIR(const ast::TensorType &type);
  mlir::Type toMLIR(DType dtype);
  /// The value of an expression (null after an internal error).
  mlir::Value genExpr(const ast::Expr &expr);
  /// The run-time size of a dim, as an index value.
  mlir::Value dimValue(const Dim &dim, mlir::Location l);
  /// Index values for each dynamic dim of `shape`.
  llvm::SmallVector<mlir::Value> dynamicDims(llvm::ArrayRef<Dim> shape,
                                             mlir::Location l);
  mlir::Value genBuiltin(const ast::CallExpr &call);

  mlir::OpBuilder &getBuilder() { return builder; }

  /// Reports a frontend bug (Sema and the dialect disagree).
  void internalError(llvm::SMLoc l, const llvm::Twine &message);
  bool failed = false;

private:
  void genParam(const ast::ParamDecl &param);
  void declareFunction(const ast::FnDecl &fn);
  void genFunctionBody(const ast::FnDecl &fn);
  void genTrain(const ast::TrainDecl &train);
  mlir::Value genName(const ast::NameExpr &name);
  mlir::Value genLiteral(const ast::Expr &expr);
  mlir::Value genBinary(const ast::BinaryExpr &binary);
  mlir::Value genCall(const ast::CallExpr &call);
  mlir::Value symbolValue(llvm::StringRef symbol, mlir::Location l);
  /// Checks that `value` has the type Sema computed for `expr`.
  mlir::Value checked(const ast::Expr &expr, mlir::Value value);

  mlir::MLIRContext &context;
  mlir::OpBuilder builder;
  llvm::SourceMgr &sourceMgr;
  mlir::ModuleOp module;
  llvm::StringMap<mlir::func::FuncOp> functions;

  // Per function.
  const ast::FnDecl *currentFn = nullptr;
  mlir::func::FuncOp currentFunc;
  llvm::DenseMap<const ast::Decl *, mlir::Value> values;
  llvm::StringMap<mlir::Value> symbols;
};

} // namespace tensorc

#endif // TENSORC_FRONTEND_MLIRGENIMPL_H
