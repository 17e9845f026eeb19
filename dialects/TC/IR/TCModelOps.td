//===- TCModelOps.td - Parameters ---------------------------*- tablegen -*-===//

#ifndef TC_MODEL_OPS
#define TC_MODEL_OPS

def TC_ParamOp : TC_Op<"param", [Symbol, HasParent<"::mlir::ModuleOp">]> {
  let summary = "Declares a trainable parameter of the model";
  let description = [{
    ```mlir
    tc.param @w1 : tensor<784x256xf32> = kaiming_uniform
    tc.param @emb : tensor<256x64xf32> = normal [0.0, 0.02]
    ```
    `init_args` holds the initializer's numbers: `[mean, std]` for `normal`,
    `[lo, hi]` for `uniform`, `[value]` for `full`, nothing for the others.
    Integer params (the dropout state of training, tc-autodiff) take
    `zeros`, `ones` or `seed`.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, TypeAttrOf<TC_NumTensor>:$type,
                       TC_InitKind:$init,
                       DefaultValuedAttr<F64ArrayAttr, "{}">:$init_args);
  let assemblyFormat =
      "$sym_name `:` $type `=` $init ($init_args^)? attr-dict";
  let hasVerifier = 1;
}

def TC_LoadParamOp : TC_Op<"load_param", [Pure,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "The current value of a parameter";
  let description = [{
    ```mlir
    %w1 = tc.load_param @w1 : tensor<784x256xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$param);
  let results = (outs TC_NumTensor:$result);
  let assemblyFormat = "$param attr-dict `:` type($result)";
}

#endif // TC_MODEL_OPS
