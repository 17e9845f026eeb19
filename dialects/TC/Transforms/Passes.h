//===- Passes.h - tc passes -------------------------------------*- C++ -*-===//

#ifndef TENSORC_DIALECTS_TC_TRANSFORMS_PASSES_H
#define TENSORC_DIALECTS_TC_TRANSFORMS_PASSES_H

#include "dialects/TC/IR/TCDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace tensorc::tc {

#define GEN_PASS_DECL
#include "dialects/TC/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/TC/Transforms/Passes.h.inc"

} // namespace tensorc::tc

#endif // TENSORC_DIALECTS_TC_TRANSFORMS_PASSES_H
