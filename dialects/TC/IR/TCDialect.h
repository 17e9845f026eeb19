//===- TCDialect.h - The tc dialect -----------------------------*- C++ -*-===//

#ifndef TENSORC_DIALECTS_TC_IR_TCDIALECT_H
#define TENSORC_DIALECTS_TC_IR_TCDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "dialects/TC/IR/TCDialect.h.inc"

#endif // TENSORC_DIALECTS_TC_IR_TCDIALECT_H
