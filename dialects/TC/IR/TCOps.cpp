//===- TCOps.cpp - tc operations: generated definitions -------------------===//
//
// The verifiers, type inference and folders are in one file per op family
// (ElementwiseOps.cpp, ReductionOps.cpp, ...); this file instantiates the
// generated op classes.
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/IR/TCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace tensorc::tc;

#define GET_OP_CLASSES
#include "dialects/TC/IR/TCOps.cpp.inc"
