//===- ModelOps.cpp - Parameters ------------------------------------------===//

#include "dialects/TC/IR/TCOps.h"

using namespace mlir;
using namespace tensorc::tc;

LogicalResult ParamOp::verify() {
  auto type = cast<RankedTensorType>(getType());
  if (!type.hasStaticShape())
    return emitOpError("parameters must have a static shape, got ") << type;
  bool random = getInit() != InitKind::zeros && getInit() != InitKind::ones &&
                getInit() != InitKind::seed;
  if (random && !isa<FloatType>(type.getElementType()))
    return emitOpError("initializer ")
           << stringifyInitKind(getInit()) << " needs a float parameter, got "
           << type;
  size_t expected = 0;
  switch (getInit()) {
  case InitKind::normal:
  case InitKind::uniform:
    expected = 2;
    break;
  case InitKind::full:
    expected = 1;
    break;
  case InitKind::kaiming_uniform:
  case InitKind::kaiming_normal:
  case InitKind::xavier_uniform:
    if (type.getRank() < 2)
      return emitOpError("initializer ")
             << stringifyInitKind(getInit())
             << " needs a parameter of rank >= 2 (it uses fan-in)";
    break;
  case InitKind::seed:
    if (!type.getElementType().isInteger(32))
      return emitOpError("initializer seed needs an i32 parameter, got ")
             << type;
    break;
  default:
    break;
  }
  if (getInitArgs().size() != expected)
    return emitOpError("initializer ")
           << stringifyInitKind(getInit()) << " takes " << expected
           << " numbers, got " << getInitArgs().size();
  return success();
}

LogicalResult
LoadParamOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto param =
      symbolTable.lookupNearestSymbolFrom<ParamOp>(*this, getParamAttr());
  if (!param)
    return emitOpError("'") << getParam() << "' is not a tc.param";
  if (param.getType() != getType())
    return emitOpError("type ")
           << getType() << " does not match the parameter's type "
           << param.getType();
  return success();
}
