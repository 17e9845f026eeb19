//===- TCShapeOps.td - Shape and lookup tc operations -------*- tablegen -*-===//

#ifndef TC_SHAPE_OPS
#define TC_SHAPE_OPS

def TC_TransposeOp : TC_Op<"transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "Permutes the dims: result.shape[i] = input.shape[perm[i]]";
  let description = [{
    ```mlir
    %t = tc.transpose %k [0, 2, 1] : tensor<?x64x32xf32>
    ```
  }];
  let arguments = (ins TC_Tensor:$input, DenseI64ArrayAttr:$permutation);
  let results = (outs TC_Tensor:$result);
  let assemblyFormat = "$input $permutation attr-dict `:` type($input)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def TC_ReshapeOp : TC_Op<"reshape", [Pure]> {
  let summary = "Reinterprets the elements (row-major) with a new shape";
  let description = [{
    ```mlir
    %r = tc.reshape %x (%bt) : tensor<?x64x128xf32> -> tensor<?x128xf32>
    ```
    One index operand per dynamic dim of the result gives its size. When
    every dim is static the element counts must match.
  }];
  let arguments = (ins TC_Tensor:$input, Variadic<Index>:$dynamic_dims);
  let results = (outs TC_Tensor:$result);
  let assemblyFormat = [{
    $input (`(` $dynamic_dims^ `)`)? attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def TC_BroadcastToOp : TC_Op<"broadcast_to", [Pure]> {
  let summary = "Broadcasts to a shape with NumPy's rules";
  let description = [{
    ```mlir
    %b = tc.broadcast_to %x (%n) : tensor<1x10xf32> -> tensor<?x10xf32>
    ```
    One index operand per dynamic dim of the result gives its size.
  }];
  let arguments = (ins TC_Tensor:$input, Variadic<Index>:$dynamic_dims);
  let results = (outs TC_Tensor:$result);
  let assemblyFormat = [{
    $input (`(` $dynamic_dims^ `)`)? attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def TC_ConcatOp : TC_Op<"concat", [Pure, InferTypeOpAdaptor]> {
  let summary = "Joins tensors along an axis";
  let description = [{
    ```mlir
    %c = tc.concat %a, %b axis 1 : tensor<?x3xf32>, tensor<?x5xf32>
    ```
  }];
  let arguments = (ins Variadic<TC_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs TC_Tensor:$result);
  let assemblyFormat =
      "$inputs `axis` $axis attr-dict `:` type($inputs)";
  let hasFolder = 1;
}

def TC_SliceOp : TC_Op<"slice", [Pure, InferTypeOpAdaptor]> {
  let summary = "The elements [start, end) along a static axis";
  let description = [{
    ```mlir
    %p = tc.slice %pos, 0, 0, 16 : tensor<64x128xf32>
    ```
  }];
  let arguments = (ins TC_Tensor:$input, I64Attr:$axis, I64Attr:$start,
                       I64Attr:$end);
  let results = (outs TC_Tensor:$result);
  let assemblyFormat =
      "$input `,` $axis `,` $start `,` $end attr-dict `:` type($input)";
  let hasFolder = 1;
}

def TC_EmbeddingOp : TC_Op<"embedding", [Pure, InferTypeOpAdaptor]> {
  let summary = "Looks up the rows of a table: result[..., :] = table[ids[...]]";
  let description = [{
    ```mlir
    %e = tc.embedding %table, %ids : tensor<256x128xf32>, tensor<?x64xi32>
    ```
    Ids outside `[0, V)` are clamped.
  }];
  let arguments = (ins TC_FloatTensor:$table, TC_IntTensor:$ids);
  let results = (outs TC_FloatTensor:$result);
  let assemblyFormat =
      "$table `,` $ids attr-dict `:` type($table) `,` type($ids)";
}

def TC_OneHotOp : TC_Op<"one_hot", [Pure]> {
  let summary = "result[..., c] = (ids[...] == c)";
  let description = [{
    ```mlir
    %o = tc.one_hot %ids : tensor<?xi32> to tensor<?x10xf32>
    ```
    The class count is the result's last dim.
  }];
  let arguments = (ins TC_IntTensor:$ids);
  let results = (outs TC_Tensor:$result);
  let assemblyFormat = "$ids attr-dict `:` type($ids) `to` type($result)";
  let hasVerifier = 1;
}

def TC_CausalMaskOp : TC_Op<"causal_mask", [Pure]> {
  let summary = "A [T, T] bool mask, true above the diagonal";
  let description = [{
    ```mlir
    %m = tc.causal_mask : tensor<64x64xi1>
    %d = tc.causal_mask (%t) : tensor<?x?xi1>
    ```
    `true` where column > row: the positions a causal attention must not see.
    A dynamic `T` is given as an index operand.
  }];
  let arguments = (ins Optional<Index>:$size);
  let results = (outs TC_BoolTensor:$result);
  let assemblyFormat = "(`(` $size^ `)`)? attr-dict `:` type($result)";
  let hasVerifier = 1;
}

#endif // TC_SHAPE_OPS
