//===- TCOps.td - tc operations -----------------------------*- tablegen -*-===//
//
// The operations are grouped by family, one file each; this file holds what
// they share.
//
//===----------------------------------------------------------------------===//

#ifndef TC_OPS
#define TC_OPS

include "dialects/TC/IR/TCDialect.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class TC_Op<string mnemonic, list<Trait> traits = []>
    : Op<TC_Dialect, mnemonic, traits>;

include "dialects/TC/IR/TCElementwiseOps.td"
include "dialects/TC/IR/TCReductionOps.td"
include "dialects/TC/IR/TCShapeOps.td"
include "dialects/TC/IR/TCNNOps.td"
include "dialects/TC/IR/TCGradOps.td"
include "dialects/TC/IR/TCModelOps.td"
include "dialects/TC/IR/TCKernelOps.td"

#endif // TC_OPS
