//===- MLIRGen.cpp - Checked AST to the tc dialect ------------------------===//

#include "compiler/Frontend/MLIRGen.h"
#include "compiler/Frontend/MLIRGenImpl.h"

#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Verifier.h"

using namespace mlir;
using namespace tensorc;

//===----------------------------------------------------------------------===//
// Types and locations
//===----------------------------------------------------------------------===//

Location MLIRGenImpl::loc(llvm::SMLoc l) {
  if (!l.isValid())
    return builder.getUnknownLoc();
  unsigned buffer = sourceMgr.FindBufferContainingLoc(l);
  if (!buffer)
    return builder.getUnknownLoc();
  auto [line, col] = sourceMgr.getLineAndColumn(l, buffer);
  StringRef file = sourceMgr.getMemoryBuffer(buffer)->getBufferIdentifier();
  return FileLineColLoc::get(&context, file, line, col);
}

Type MLIRGenImpl::toMLIR(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return builder.getF32Type();
  case DType::F16:
    return builder.getF16Type();
  case DType::BF16:
    return builder.getBF16Type();
  case DType::F64:
    return builder.getF64Type();
  case DType::I32:
    return builder.getI32Type();
  case DType::I64:
    return builder.getI64Type();
  case DType::Bool:
    return builder.getI1Type();
  }
  llvm_unreachable("unknown dtype");
}

RankedTensorType MLIRGenImpl::toMLIR(const ast::TensorType &type) {
  SmallVector<int64_t> shape;
  for (const Dim &d : type.shape)
    shape.push_back(d.isStatic() ? d.coeff : ShapedType::kDynamic);
  return RankedTensorType::get(shape, toMLIR(type.dtype));
}

/// `tc.dims` for a type: integers for static dims, "B" / "64*B" otherwise.
static ArrayAttr dimsAttr(Builder &b, const ast::TensorType &type) {
  SmallVector<Attribute> dims;
  for (const Dim &d : type.shape)
    dims.push_back(d.isStatic() ? Attribute(b.getI64IntegerAttr(d.coeff))
                                : Attribute(b.getStringAttr(d.str())));
  return b.getArrayAttr(dims);
}

void MLIRGenImpl::internalError(llvm::SMLoc l, const Twine &message) {
  emitError(loc(l)) << "internal compiler error: " << message;
  failed = true;
}

Value MLIRGenImpl::checked(const ast::Expr &expr, Value value) {
  if (!value)
    return value;
  if (!expr.type) {
    internalError(expr.loc, "expression has no type after checking");
    return nullptr;
  }
  Type expected = toMLIR(*expr.type);
  if (value.getType() != expected) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << "the frontend computed " << expected << " but the op gives "
       << value.getType();
    internalError(expr.loc, os.str());
    return nullptr;
  }
  return value;
}

//===----------------------------------------------------------------------===//
// Symbolic dims
//===----------------------------------------------------------------------===//

Value MLIRGenImpl::symbolValue(StringRef symbol, Location l) {
  if (Value v = symbols.lookup(symbol))
    return v;
  // Symbols are computed once, at the top of the function, from the first
  // argument dim that determines them: a plain `B`, else `c*B` divided by c,
  // else a product whose other symbols are already known.
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(&currentFunc.getBody().front());
  for (int pass = 0; pass < 2; ++pass) {
    for (auto [argIndex, arg] : llvm::enumerate(currentFn->args)) {
      const ast::TensorType &type = *arg->type.resolved;
      for (auto [axis, dim] : llvm::enumerate(type.shape)) {
        if (!llvm::is_contained(dim.syms, symbol))
          continue;
        // All other symbols of this monomial must be known (pass 1) or the
        // monomial must be c*symbol (pass 0).
        bool simple = dim.syms.size() == 1;
        if (pass == 0 && !simple)
          continue;
        SmallVector<Value> others;
        bool removed = false, ok = true;
        for (const std::string &s : dim.syms) {
          if (s == symbol && !removed) {
            removed = true;
            continue;
          }
          Value known = symbols.lookup(s);
          if (!known) {
            ok = false;
            break;
          }
          others.push_back(known);
        }
        if (!ok)
          continue;
        Value arg = currentFunc.getArgument(argIndex);
        Value v = tensor::DimOp::create(builder, l, arg, axis);
        int64_t divisor = dim.coeff;
        Value divisorValue =
            arith::ConstantIndexOp::create(builder, l, divisor);
        for (Value o : others)
          divisorValue = arith::MulIOp::create(builder, l, divisorValue, o);
        if (divisor != 1 || !others.empty())
          v = arith::DivUIOp::create(builder, l, v, divisorValue);
        symbols[symbol] = v;
        return v;
      }
    }
  }
  emitError(l) << "internal compiler error: dim '" << symbol
               << "' cannot be recovered from the arguments of '"
               << currentFn->name << "'";
  failed = true;
  return nullptr;
}

Value MLIRGenImpl::dimValue(const Dim &dim, Location l) {
  Value v;
  if (dim.coeff != 1 || dim.syms.empty())
    v = arith::ConstantIndexOp::create(builder, l, dim.coeff);
  for (const std::string &s : dim.syms) {
    Value sym = symbolValue(s, l);
    if (!sym)
      return nullptr;
    v = v ? arith::MulIOp::create(builder, l, v, sym).getResult() : sym;
  }
  return v;
}

SmallVector<Value> MLIRGenImpl::dynamicDims(ArrayRef<Dim> shape, Location l) {
  SmallVector<Value> dims;
  for (const Dim &d : shape)
    if (!d.isStatic())
      dims.push_back(dimValue(d, l));
  return dims;
}

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

static tc::InitKind toTC(ast::InitKind k) {
  switch (k) {
  case ast::InitKind::Zeros:
    return tc::InitKind::zeros;
  case ast::InitKind::Ones:
    return tc::InitKind::ones;
  case ast::InitKind::Normal:
    return tc::InitKind::normal;
  case ast::InitKind::Uniform:
    return tc::InitKind::uniform;
  case ast::InitKind::KaimingUniform:
    return tc::InitKind::kaiming_uniform;
  case ast::InitKind::KaimingNormal:
    return tc::InitKind::kaiming_normal;
  case ast::InitKind::XavierUniform:
    return tc::InitKind::xavier_uniform;
  case ast::InitKind::Full:
    return tc::InitKind::full;
  }
  llvm_unreachable("unknown initializer");
}

void MLIRGenImpl::genParam(const ast::ParamDecl &param) {
  SmallVector<Attribute> args;
  for (double v : param.initValues)
    args.push_back(builder.getF64FloatAttr(v));
  tc::ParamOp::create(builder, loc(param.loc), param.name,
                      toMLIR(*param.type.resolved), toTC(param.init),
                      builder.getArrayAttr(args));
}

void MLIRGenImpl::declareFunction(const ast::FnDecl &fn) {
  SmallVector<Type> argTypes;
  for (const auto &arg : fn.args)
    argTypes.push_back(toMLIR(*arg->type.resolved));
  Type result = toMLIR(*fn.result.resolved);
  auto func = func::FuncOp::create(builder, loc(fn.loc), fn.name,
                                   builder.getFunctionType(argTypes, result));
  for (auto [i, arg] : llvm::enumerate(fn.args)) {
    func.setArgAttr(i, tc::kNameAttr, builder.getStringAttr(arg->name));
    func.setArgAttr(i, tc::kDimsAttr, dimsAttr(builder, *arg->type.resolved));
  }
  func.setResultAttr(0, tc::kDimsAttr, dimsAttr(builder, *fn.result.resolved));
  functions[fn.name] = func;
}

void MLIRGenImpl::genFunctionBody(const ast::FnDecl &fn) {
  currentFn = &fn;
  currentFunc = functions[fn.name];
  values.clear();
  symbols.clear();
  Block *entry = currentFunc.addEntryBlock();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(entry);
  for (auto [i, arg] : llvm::enumerate(fn.args))
    values[arg.get()] = entry->getArgument(i);
  for (const auto &let : fn.lets) {
    Value v = genExpr(*let->value);
    if (!v)
      return;
    values[let.get()] = v;
  }
  Value result = genExpr(*fn.returnValue);
  if (!result)
    return;
  func::ReturnOp::create(builder, loc(fn.returnLoc), result);
}

void MLIRGenImpl::genTrain(const ast::TrainDecl &train) {
  const auto &h = train.hyper;
  NamedAttrList attrs;
  attrs.append("fn", FlatSymbolRefAttr::get(&context, train.fn->name));
  attrs.append("optimizer",
               builder.getStringAttr(ast::optimizerName(train.optimizer)));
  attrs.append("lr", builder.getF64FloatAttr(h.lr));
  attrs.append("weight_decay", builder.getF64FloatAttr(h.weightDecay));
  if (train.optimizer == ast::OptimizerKind::Sgd) {
    attrs.append("momentum", builder.getF64FloatAttr(h.momentum));
    attrs.append("nesterov", builder.getBoolAttr(h.nesterov));
  } else {
    attrs.append("beta1", builder.getF64FloatAttr(h.beta1));
    attrs.append("beta2", builder.getF64FloatAttr(h.beta2));
    attrs.append("eps", builder.getF64FloatAttr(h.eps));
  }
  if (h.clipGradNorm > 0)
    attrs.append("clip_grad_norm", builder.getF64FloatAttr(h.clipGradNorm));
  module->setAttr(tc::kTrainAttr, attrs.getDictionary(&context));
}

OwningOpRef<ModuleOp> MLIRGenImpl::genModel(const ast::Model &model) {
  context.loadDialect<tc::TCDialect, func::FuncDialect, arith::ArithDialect,
                      tensor::TensorDialect>();
  OwningOpRef<ModuleOp> owned = ModuleOp::create(loc(model.loc));
  module = *owned;
  module->setAttr(tc::kModelAttr, builder.getStringAttr(model.name));
  builder.setInsertionPointToEnd(module.getBody());
  for (const auto &param : model.params)
    genParam(*param);
  for (const auto &fn : model.fns)
    declareFunction(*fn);
  for (const auto &fn : model.fns) {
    genFunctionBody(*fn);
    if (failed)
      return nullptr;
  }
  if (model.train)
    genTrain(*model.train);
  if (mlir::failed(verify(module)))
    return nullptr;
  return owned;
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

Value MLIRGenImpl::genLiteral(const ast::Expr &expr) {
  if (!expr.type) {
    internalError(expr.loc, "literal has no type after checking");
    return nullptr;
  }
  RankedTensorType type = toMLIR(*expr.type);
  Type elem = type.getElementType();
  Attribute value;
  if (auto *b = dyn_cast<ast::BoolExpr>(&expr)) {
    value = builder.getBoolAttr(b->value);
  } else {
    const auto &n = cast<ast::NumberExpr>(expr);
    if (isa<FloatType>(elem))
      value = builder.getFloatAttr(elem, n.floatValue);
    else if (elem.isInteger(1))
      value = builder.getBoolAttr(n.floatValue != 0);
    else
      value = builder.getIntegerAttr(
          elem, n.isInteger ? n.intValue : static_cast<int64_t>(n.floatValue));
  }
  return tc::ConstantOp::create(builder, loc(expr.loc),
                                DenseElementsAttr::get(type, value));
}

Value MLIRGenImpl::genName(const ast::NameExpr &name) {
  const ast::Decl *decl = name.decl;
  if (!decl) {
    internalError(name.loc, "unresolved name '" + name.name + "'");
    return nullptr;
  }
  switch (decl->getKind()) {
  case ast::Decl::Kind::Arg:
  case ast::Decl::Kind::Let:
    if (Value v = values.lookup(decl))
      return v;
    internalError(name.loc, "'" + name.name + "' used before its value");
    return nullptr;
  case ast::Decl::Kind::Param:
    return tc::LoadParamOp::create(builder, loc(name.loc), toMLIR(*name.type),
                                   decl->name);
  case ast::Decl::Kind::Const:
    return genLiteral(name);
  default:
    internalError(name.loc, "'" + name.name + "' is not a value");
    return nullptr;
  }
}

static tc::CmpPredicate toPredicate(ast::BinaryOp op) {
  switch (op) {
  case ast::BinaryOp::Lt:
    return tc::CmpPredicate::lt;
  case ast::BinaryOp::Le:
    return tc::CmpPredicate::le;
  case ast::BinaryOp::Gt:
    return tc::CmpPredicate::gt;
  case ast::BinaryOp::Ge:
    return tc::CmpPredicate::ge;
  case ast::BinaryOp::Eq:
    return tc::CmpPredicate::eq;
  default:
    return tc::CmpPredicate::ne;
  }
}

Value MLIRGenImpl::genBinary(const ast::BinaryExpr &binary) {
  Value lhs = genExpr(*binary.lhs);
  Value rhs = genExpr(*binary.rhs);
  if (!lhs || !rhs)
    return nullptr;
  Location l = loc(binary.loc);
  switch (binary.op) {
  case ast::BinaryOp::Add:
    return tc::AddOp::create(builder, l, lhs, rhs);
  case ast::BinaryOp::Sub:
    return tc::SubOp::create(builder, l, lhs, rhs);
  case ast::BinaryOp::Mul:
    return tc::MulOp::create(builder, l, lhs, rhs);
  case ast::BinaryOp::Div:
    return tc::DivOp::create(builder, l, lhs, rhs);
  case ast::BinaryOp::MatMul:
    return tc::MatMulOp::create(builder, l, lhs, rhs);
  default:
    return tc::CmpOp::create(builder, l, toPredicate(binary.op), lhs, rhs);
  }
}

Value MLIRGenImpl::genCall(const ast::CallExpr &call) {
  if (call.builtin)
    return genBuiltin(call);
  if (!call.function) {
    internalError(call.loc, "unresolved call to '" + call.callee + "'");
    return nullptr;
  }
  SmallVector<Value> args;
  for (const ast::CallArg &arg : call.args) {
    Value v = genExpr(*arg.value);
    if (!v)
      return nullptr;
    args.push_back(v);
  }
  func::FuncOp callee = functions.lookup(call.function->name);
  return func::CallOp::create(builder, loc(call.loc), callee, args)
      .getResult(0);
}

Value MLIRGenImpl::genExpr(const ast::Expr &expr) {
  Value v;
  switch (expr.getKind()) {
  case ast::Expr::Kind::Number:
  case ast::Expr::Kind::Bool:
    v = genLiteral(expr);
    break;
  case ast::Expr::Kind::Name:
    v = genName(cast<ast::NameExpr>(expr));
    break;
  case ast::Expr::Kind::Unary: {
    Value operand = genExpr(*cast<ast::UnaryExpr>(expr).operand);
    if (operand)
      v = tc::NegOp::create(builder, loc(expr.loc), operand);
    break;
  }
  case ast::Expr::Kind::Binary:
    v = genBinary(cast<ast::BinaryExpr>(expr));
    break;
  case ast::Expr::Kind::Call:
    v = genCall(cast<ast::CallExpr>(expr));
    break;
  case ast::Expr::Kind::String:
  case ast::Expr::Kind::List:
    internalError(expr.loc, "a string or list is not a value");
    return nullptr;
  }
  return checked(expr, v);
}

OwningOpRef<ModuleOp> tensorc::mlirGen(MLIRContext &context,
                                       const ast::Model &model,
                                       llvm::SourceMgr &sourceMgr) {
  MLIRGenImpl gen(context, sourceMgr);
  return gen.genModel(model);
}
