//===- TCDialect.cpp - The tc dialect -------------------------------------===//

#include "dialects/TC/IR/TCDialect.h"
#include "dialects/TC/IR/TCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Transforms/InliningUtils.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tensorc::tc;

#include "dialects/TC/IR/TCDialect.cpp.inc"
#include "dialects/TC/IR/TCEnums.cpp.inc"

namespace {
/// tc ops are pure and location-independent, so inlining model functions
/// into each other is always legal.
struct TCInlinerInterface : DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;
  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final {
    return true;
  }
};
} // namespace

namespace tensorc::tc {
void attachShapeReification(MLIRContext *context);
} // namespace tensorc::tc

void TCDialect::initialize() {
  addInterfaces<TCInlinerInterface>();
  addOperations<
#define GET_OP_LIST
#include "dialects/TC/IR/TCOps.cpp.inc"
      >();
  attachShapeReification(getContext());
}

Operation *TCDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}

/// `tc.dims` names each dim of a tensor: an integer for a static dim, the
/// symbolic expression ("B", "64*B") for a dynamic one.
static LogicalResult verifyDimsAttr(Operation *op, Type type,
                                    NamedAttribute attr, StringRef what) {
  // Ranked tensors before bufferization, memrefs after it.
  auto tensor = dyn_cast<ShapedType>(type);
  auto dims = dyn_cast<ArrayAttr>(attr.getValue());
  if (!tensor || !tensor.hasRank() || !dims)
    return op->emitError() << "'" << kDimsAttr << "' on " << what
                           << " must be an array on a ranked tensor or memref";
  if (dims.size() != static_cast<size_t>(tensor.getRank()))
    return op->emitError() << "'" << kDimsAttr << "' on " << what << " has "
                           << dims.size() << " entries for a tensor of rank "
                           << tensor.getRank();
  for (auto [i, dim] : llvm::enumerate(dims)) {
    int64_t size = tensor.getDimSize(i);
    if (auto integer = dyn_cast<IntegerAttr>(dim)) {
      if (integer.getInt() != size)
        return op->emitError()
               << "'" << kDimsAttr << "' on " << what << " says dim " << i
               << " is " << integer.getInt() << " but the type says "
               << (ShapedType::isDynamic(size) ? std::string("?")
                                               : std::to_string(size));
      continue;
    }
    auto symbol = dyn_cast<StringAttr>(dim);
    if (!symbol || symbol.getValue().empty() || !ShapedType::isDynamic(size))
      return op->emitError()
             << "'" << kDimsAttr << "' on " << what << ": dim " << i
             << " must be an integer equal to the static "
                "size or a symbol name for a dynamic dim";
  }
  return success();
}

static LogicalResult verifyValueAttr(Operation *op, Type type,
                                     NamedAttribute attr, StringRef what) {
  if (attr.getName() == kDimsAttr)
    return verifyDimsAttr(op, type, attr, what);
  if (attr.getName() == kNameAttr || attr.getName() == kParamAttr ||
      attr.getName() == kGradOfAttr || attr.getName() == kUpdateAttr) {
    if (!isa<StringAttr>(attr.getValue()))
      return op->emitError()
             << "'" << attr.getName().getValue() << "' must be a string";
    return success();
  }
  return op->emitError() << "unknown tc attribute '"
                         << attr.getName().getValue() << "'";
}

LogicalResult TCDialect::verifyRegionArgAttribute(Operation *op,
                                                  unsigned regionIndex,
                                                  unsigned argIndex,
                                                  NamedAttribute attr) {
  Type type = op->getRegion(regionIndex).getArgument(argIndex).getType();
  return verifyValueAttr(op, type, attr,
                         "argument " + std::to_string(argIndex));
}

LogicalResult TCDialect::verifyRegionResultAttribute(Operation *op,
                                                     unsigned regionIndex,
                                                     unsigned resultIndex,
                                                     NamedAttribute attr) {
  auto fn = dyn_cast<FunctionOpInterface>(op);
  if (!fn || resultIndex >= fn.getNumResults())
    return op->emitError() << "'" << attr.getName().getValue()
                           << "' is only valid on function results";
  return verifyValueAttr(op, fn.getResultTypes()[resultIndex], attr,
                         "result " + std::to_string(resultIndex));
}

LogicalResult TCDialect::verifyOperationAttribute(Operation *op,
                                                  NamedAttribute attr) {
  if (attr.getName() == kModelAttr) {
    if (!isa<ModuleOp>(op) || !isa<StringAttr>(attr.getValue()))
      return op->emitError()
             << "'" << kModelAttr << "' must be a string on a module";
    return success();
  }
  return success();
}
