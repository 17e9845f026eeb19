//===- TCKernelOps.td - Kernels and launches ----------------*- tablegen -*-===//
//
// The ops of code generation: `tc.kernel` groups the linalg ops that fusion
// puts into one kernel; `tc.launch` runs an emitted kernel from an entry
// function, on tensors before bufferization and on memrefs after it.
//
//===----------------------------------------------------------------------===//

#ifndef TC_KERNEL_OPS
#define TC_KERNEL_OPS

include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"

def TC_KernelKind : I32EnumAttr<"KernelKind", "how a kernel is emitted", [
    I32EnumAttrCase<"elementwise", 0>, I32EnumAttrCase<"row", 1>,
    I32EnumAttrCase<"contraction", 2>, I32EnumAttrCase<"reduction", 3>]> {
  let cppNamespace = "::tensorc::tc";
}

def TC_KernelOp : TC_Op<"kernel", [IsolatedFromAbove,
    SingleBlockImplicitTerminator<"YieldOp">, RecursiveMemoryEffects]> {
  let summary = "A group of ops that becomes one kernel";
  let description = [{
    ```mlir
    %y = tc.kernel "forward_k0" contraction
           ins(%x, %w : tensor<?x784xf32>, tensor<784x256xf32>) -> tensor<?x256xf32> {
    ^bb0(%a: tensor<?x784xf32>, %b: tensor<784x256xf32>):
      ...
      tc.yield %r : tensor<?x256xf32>
    }
    ```
    The body is isolated from above: its block arguments are the kernel's
    inputs, in order, and `tc.yield` gives its results. Inputs are tensors
    (buffers of the kernel) or `index` values (sizes the kernel needs).
    `kind` says which emitter generates the kernel (docs/codegen.md).
  }];
  let arguments = (ins StrAttr:$name, TC_KernelKind:$kind,
                       Variadic<AnyTypeOf<[AnyRankedTensor, Index]>>:$inputs);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $name $kind (`ins` `(` $inputs^ `:` type($inputs) `)`)? attr-dict-with-keyword
    `->` type($results) $body
  }];
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    OpBuilder<(ins "::llvm::StringRef":$name, "KernelKind":$kind,
                   "::mlir::ValueRange":$inputs, "::mlir::TypeRange":$results)>
  ];
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    YieldOp getYield();
  }];
}

def TC_YieldOp : TC_Op<"yield", [Pure, Terminator, ReturnLike,
    HasParent<"KernelOp">]> {
  let summary = "The results of a tc.kernel";
  let arguments = (ins Variadic<AnyRankedTensor>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
  let builders = [OpBuilder<(ins), [{ /* no values */ }]>];
}

def TC_LaunchOp : TC_Op<"launch", [AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Runs an emitted kernel over a grid";
  let description = [{
    ```mlir
    %y = tc.launch @tc_kernels::@forward_k0 grid(%gx, %c1, %c1) block [128, 1, 1]
           ins(%x, %w : tensor<?x784xf32>, tensor<784x256xf32>)
           outs(%e : tensor<?x256xf32>) dims(%b : index) -> tensor<?x256xf32>
    ```
    Destination-passing style: the kernel reads `ins` and writes `outs`, each
    passed as a pointer to contiguous row-major memory, followed by the `dims`
    (docs/codegen.md). On tensors the results are the written `outs`; after
    bufferization the op works on memrefs and has no results.
  }];
  let arguments = (ins SymbolRefAttr:$kernel,
                       Index:$grid_x, Index:$grid_y, Index:$grid_z,
                       DenseI64ArrayAttr:$block,
                       DefaultValuedAttr<I64Attr, "0">:$smem,
                       Variadic<AnyShaped>:$inputs,
                       Variadic<AnyShaped>:$outputs,
                       Variadic<Index>:$dims);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    $kernel `grid` `(` $grid_x `,` $grid_y `,` $grid_z `)` `block` $block
    (`smem` $smem^)?
    (`ins` `(` $inputs^ `:` type($inputs) `)`)?
    `outs` `(` $outputs `:` type($outputs) `)`
    (`dims` `(` $dims^ `:` type($dims) `)`)?
    attr-dict (`->` type($results)^)?
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getOutputsMutable();
    }
  }];
}

#endif // TC_KERNEL_OPS
