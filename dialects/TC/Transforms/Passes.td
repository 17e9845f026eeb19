//===- Passes.td - tc passes --------------------------------*- tablegen -*-===//
//
// Every pass of the tc dialect, each with a before/after example. One pass per
// file in this directory, named after the pass.
//
//===----------------------------------------------------------------------===//

#ifndef TC_PASSES
#define TC_PASSES

include "mlir/Pass/PassBase.td"

def TCInlineEntryCalls : Pass<"tc-inline-entry-calls", "mlir::ModuleOp"> {
  let summary = "Inline calls between model functions into each entry point";
  let description = [{
    Every `.tdsl` function is an entry point, and functions may call each
    other. Code generation wants each entry point as one self-contained body,
    so this pass inlines every `func.call` to a model function (the model has
    no recursion: the frontend rejects it) and then simplifies the `tensor.dim`
    queries that inlining leaves behind.

    Before:
    ```mlir
    func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
      %y = tc.relu %x : tensor<?x4xf32>
      return %y : tensor<?x4xf32>
    }
    func.func @loss(%x: tensor<?x4xf32>) -> tensor<f32> {
      %y = call @forward(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
      %l = tc.mean %y [0, 1] : tensor<?x4xf32>
      return %l : tensor<f32>
    }
    ```
    After (`@loss`):
    ```mlir
    func.func @loss(%x: tensor<?x4xf32>) -> tensor<f32> {
      %y = tc.relu %x : tensor<?x4xf32>
      %l = tc.mean %y [0, 1] : tensor<?x4xf32>
      return %l : tensor<f32>
    }
    ```
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def TCParamsToArguments : Pass<"tc-params-to-arguments", "mlir::ModuleOp"> {
  let summary = "Pass the parameters an entry function reads as arguments";
  let description = [{
    Code generation treats a parameter like any other buffer, so this pass
    turns every `tc.load_param @w` into a function argument marked
    `{tc.param = "w"}`. Each function gets one argument per parameter it
    reads, after the user's arguments, in the order of the module's
    `tc.param` declarations. Run it after `tc-inline-entry-calls`.

    Before:
    ```mlir
    tc.param @w : tensor<4x8xf32> = kaiming_uniform
    func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x8xf32> {
      %w = tc.load_param @w : tensor<4x8xf32>
      %y = tc.matmul %x, %w : tensor<?x4xf32>, tensor<4x8xf32>
      return %y : tensor<?x8xf32>
    }
    ```
    After:
    ```mlir
    func.func @forward(%x: tensor<?x4xf32>,
                       %w: tensor<4x8xf32> {tc.param = "w"}) -> tensor<?x8xf32> {
      %y = tc.matmul %x, %w : tensor<?x4xf32>, tensor<4x8xf32>
      return %y : tensor<?x8xf32>
    }
    ```
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

#endif // TC_PASSES
