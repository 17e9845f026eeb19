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

def TCAutocast : Pass<"tc-autocast", "mlir::ModuleOp"> {
  let summary = "Matrix products and convolutions in bf16 or f16 (mixed precision)";
  let description = [{
    PyTorch's autocast: every `tc.matmul` and `tc.conv2d` with an f32
    result takes its operands rounded to `precision` and its result is cast
    back to f32 (the product accumulates in f32 and is rounded once, as
    PyTorch's is). Everything else stays f32: elementwise ops, reductions,
    norms, the loss, the params (master weights) and the optimizer. Marks
    the module `tc.precision`. Run it after `tc-inline-entry-calls` and
    before `tc-autodiff`, whose products are then 16-bit too. `f32` (the
    default) changes nothing.

    Before (`precision=bf16`):
    ```mlir
    %y = tc.matmul %x, %w : tensor<?x4xf32>, tensor<4x3xf32>
    ```
    After:
    ```mlir
    %xb = tc.cast %x : tensor<?x4xf32> to tensor<?x4xbf16>
    %wb = tc.cast %w : tensor<4x3xf32> to tensor<4x3xbf16>
    %yb = tc.matmul %xb, %wb : tensor<?x4xbf16>, tensor<4x3xbf16>
    %y = tc.cast %yb : tensor<?x3xbf16> to tensor<?x3xf32>
    ```
  }];
  let options = [
    Option<"precision", "precision", "std::string", /*default=*/"\"f32\"",
           "f32, bf16 or f16">,
  ];
}

def TCAutodiff : Pass<"tc-autodiff", "mlir::ModuleOp"> {
  let summary = "Reverse-mode gradient of the train clause's loss";
  let description = [{
    For the function named by the module's `tc.train` clause, adds
    `@<fn>_grad`: the same arguments, and as results the loss (`tc.name =
    "loss"`) and the gradient of the loss with respect to every param it
    depends on (`tc.name = "grad.w"`, `tc.grad_of = "w"`), in declaration
    order. Gradients are written with tc ops (rules in GradBuilder.cpp,
    PyTorch's formulas; docs/training.md lists them), plus the
    `tc.*_grad` ops for convolution, pooling and gelu. Values that do not
    depend on a param (inputs, labels, masks) get no gradient. The dropouts
    of `@<fn>_grad` get a key, the i32 params `rng.seed` and `rng.step`
    (declared here as optimizer state), and a `site` each, so that they draw
    masks (docs/training.md, "Dropout"); `@<fn>` keeps them the identity.
    Run it after `tc-inline-entry-calls`.

    Before:
    ```mlir
    module attributes {tc.train = {fn = @loss, optimizer = "sgd", ...}} {
      tc.param @w : tensor<4x3xf32> = kaiming_uniform
      func.func @loss(%x: tensor<?x4xf32>) -> tensor<f32> {
        %w = tc.load_param @w : tensor<4x3xf32>
        %y = tc.matmul %x, %w : tensor<?x4xf32>, tensor<4x3xf32>
        %l = tc.mean %y [0, 1] : tensor<?x3xf32>
        return %l : tensor<f32>
      }
    }
    ```
    After, beside `@loss`:
    ```mlir
    func.func @loss_grad(%x: tensor<?x4xf32>)
        -> (tensor<f32> {tc.name = "loss"},
            tensor<4x3xf32> {tc.grad_of = "w", tc.name = "grad.w"}) {
      ...  // the forward ops, then
      %g = tc.div %ones, %count : ...                // d mean
      %xt = tc.transpose %x [1, 0] : tensor<?x4xf32>
      %gw = tc.matmul %xt, %g : tensor<4x?xf32>, tensor<?x3xf32>
      return %l, %gw : tensor<f32>, tensor<4x3xf32>
    }
    ```
  }];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def TCBuildTrainStep : Pass<"tc-build-train-step", "mlir::ModuleOp"> {
  let summary = "The training step: gradients, then the optimizer's update";
  let description = [{
    Clones `@<fn>_grad` into `@train_step`, adds the learning rate as a
    scalar argument `lr` (run-time, so schedules never recompile), and
    applies the train clause's optimizer (sgd with momentum/nesterov/weight
    decay, adam, adamw; clipping by global norm) with PyTorch's formulas.
    Optimizer state (`opt.step`, `opt.m.w`, `opt.v.w`, `opt.momentum.w`) is
    declared as zero-initialized `tc.param`s marked `tc.optimizer_state`.
    When tc-autodiff declared the dropout step `rng.step`, the step adds 1
    to it. The new values are results marked `tc.update`, written in place
    later by `tc-update-params-in-place`. Run it after `tc-autodiff`.

    A module that tc-autocast marked `tc.precision = "f16"` gets dynamic
    loss scaling (torch.cuda.amp.GradScaler's rules): the gradient seed
    tc-autodiff marked `tc.grad_seed` becomes the scale `opt.loss_scale`
    (`full [65536]`), the gradients are divided by it, and when any of them
    is inf or NaN every update is a `tc.select` of the old value, the scale
    halves and `opt.loss_scale.skipped_steps` counts the step (Adam's `t`
    leaves it out); 2000 finite steps in a row (`opt.loss_scale.good_steps`)
    double the scale.

    Before (`sgd(lr = 0.1)`):
    ```mlir
    func.func @loss_grad(%x: tensor<?x4xf32>)
        -> (tensor<f32> {tc.name = "loss"},
            tensor<4x3xf32> {tc.grad_of = "w", tc.name = "grad.w"})
    ```
    After:
    ```mlir
    tc.param @"opt.step" : tensor<f32> = zeros {tc.optimizer_state}
    func.func @train_step(%x: tensor<?x4xf32>,
                          %lr: tensor<f32> {tc.dims = [], tc.name = "lr"})
        -> (tensor<f32> {tc.name = "loss"},
            tensor<f32> {tc.update = "opt.step"},
            tensor<4x3xf32> {tc.update = "w"}) {
      ...
      %step = tc.mul %lr, %gw : tensor<f32>, tensor<4x3xf32>
      %nw = tc.sub %w, %step : tensor<4x3xf32>, tensor<4x3xf32>
      return %l, %t, %nw : ...
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

def ConvertTCToLinalg : Pass<"convert-tc-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower tc ops to linalg on tensors";
  let description = [{
    Lowers every tc op in the module's functions to linalg on tensors: named
    ops for matrix products (`linalg.matmul`, `linalg.batch_matmul`),
    convolution (`linalg.conv_2d_nchw_fchw`) and pooling
    (`linalg.pooling_nchw_max`/`_sum`), `linalg.generic` for the rest, with
    `tensor.empty`/`linalg.fill` destinations, `tensor.pad` for padding and
    `tensor.collapse_shape`/`expand_shape` for reshapes. Every indexing map
    is a projected permutation (unit broadcast dims are collapsed away first);
    gathers are `tensor.extract` with clamped indices; a keyed dropout
    computes its Philox mask from `linalg.index` (docs/training.md,
    "Dropout"), an unkeyed one is the identity. Numerics follow
    PyTorch (docs/codegen.md, section 2). Parameters must already be
    arguments (`tc-params-to-arguments`).

    Before:
    ```mlir
    %y = tc.add %x, %b : tensor<?x256xf32>, tensor<256xf32>
    ```
    After:
    ```mlir
    %c0 = arith.constant 0 : index
    %n = tensor.dim %x, %c0 : tensor<?x256xf32>
    %e = tensor.empty(%n) : tensor<?x256xf32>
    %y = linalg.generic {
        indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                         affine_map<(d0, d1) -> (d1)>,
                         affine_map<(d0, d1) -> (d0, d1)>],
        iterator_types = ["parallel", "parallel"]}
        ins(%x, %b : tensor<?x256xf32>, tensor<256xf32>)
        outs(%e : tensor<?x256xf32>) {
    ^bb0(%a: f32, %c: f32, %out: f32):
      %s = arith.addf %a, %c : f32
      linalg.yield %s : f32
    } -> tensor<?x256xf32>
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def TCFuseElementwise : Pass<"tc-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg ops into their consumers";
  let description = [{
    Runs MLIR's elementwise fusion (`linalg::populateElementwiseOpsFusionPatterns`)
    with tensorc's control: an all-parallel producer fuses into any consumer
    (elementwise or reduction) that reads it through a projected permutation;
    a producer with several users is recomputed in each of them when it is
    cheap (no reductions, no gathers), so that chains become one kernel
    without materializing intermediate tensors.

    Before:
    ```mlir
    %a = linalg.generic {...} ins(%x : tensor<?x8xf32>) outs(%e0 : ...) {
      ^bb0(%v: f32, %o: f32): %r = math.exp %v : f32  linalg.yield %r : f32 }
    %b = linalg.generic {...} ins(%a : tensor<?x8xf32>) outs(%e1 : ...) {
      ^bb0(%v: f32, %o: f32): %r = arith.mulf %v, %v : f32  linalg.yield %r : f32 }
    ```
    After:
    ```mlir
    %b = linalg.generic {...} ins(%x : tensor<?x8xf32>) outs(%e1 : ...) {
      ^bb0(%v: f32, %o: f32):
        %t = math.exp %v : f32
        %r = arith.mulf %t, %t : f32
        linalg.yield %r : f32 }
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def TCInterchangeReductions : Pass<"tc-interchange-reductions", "mlir::ModuleOp"> {
  let summary = "Put the parallel loops of reductions before their reduction loops";
  let description = [{
    Interchanges (`linalg::interchangeGenericOp`) the loops of every
    reduction generic whose parallel loops do not all come first, such as a
    column sum, so that it has the shape of a row reduction and
    `tc-form-kernels` makes it a row kernel: one block per output reducing
    with shuffles, rather than one thread per output reducing serially.
    Contractions keep their order (the contraction emitter reads it), as do
    generics that read an input through a window or a gather.

    Before:
    ```mlir
    %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                          affine_map<(d0, d1) -> (d1)>],
                         iterator_types = ["reduction", "parallel"]}
        ins(%x : tensor<16384x4096xf32>) outs(%zero : tensor<4096xf32>) {...}
    ```
    After:
    ```mlir
    %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>,
                                          affine_map<(d0, d1) -> (d0)>],
                         iterator_types = ["parallel", "reduction"]}
        ins(%x : tensor<16384x4096xf32>) outs(%zero : tensor<4096xf32>) {...}
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def TCSplitReductions : Pass<"tc-split-reductions", "mlir::ModuleOp"> {
  let summary = "Split long reductions with few outputs into two stages";
  let description = [{
    A row kernel runs one block per output, so a reduction with few outputs
    and a long extent (a scalar loss `sum(w * g)`, the sum of a whole
    matrix, a bias gradient of 32 channels over the batch) leaves most of
    the GPU idle. This pass rewrites such a reduction (parallel loops first,
    as `tc-interchange-reductions` leaves it, one output, a single
    associative combiner with a neutral element) into a first stage with
    enough outputs (`parts`, about 1,024: 8 blocks per SM on an H100) whose
    partial results a second, small reduction combines:

    1. the leading reduction loops become parallel loops of the first stage
       (no reshape, works for symbolic sizes such as the batch) while the
       remaining inner extent stays at least 128;
    2. a single remaining static reduction dim is split by MLIR's
       `linalg::splitReduction` (an `expand_shape` of the inputs) with a
       ratio that divides it.

    Reductions with enough outputs (`min-rows`) or a short extent
    (`min-extent`) are left alone. A `linalg.matmul` with few output tiles
    (at most `min-rows` / 4 of 64x64) and a long K (a convolution's filter
    gradient: K = B*H*W) gets a split-K instead: its operands are
    re-indexed as chunks `[S, M, Kc]`, `[S, Kc, N]` (gathers recomputed at
    `k = s * Kc + kc`, zero past K), the product runs over the chunks as a
    batch dim, and a row reduction adds the `[S, M, N]` partials into the
    init.

    Before (one block of 256 threads for 64M elements):
    ```mlir
    %s = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>,
                                          affine_map<(d0) -> (d0)>,
                                          affine_map<(d0) -> ()>],
                         iterator_types = ["reduction"]}
        ins(%w, %g : tensor<67108864xf32>, tensor<67108864xf32>)
        outs(%zero : tensor<f32>) {
      ^bb0(%a: f32, %b: f32, %acc: f32):
        %p = arith.mulf %a, %b : f32
        %r = arith.addf %acc, %p : f32
        linalg.yield %r : f32 } -> tensor<f32>
    ```
    After (1,024 blocks of 65,536 elements, then one block of 1,024):
    ```mlir
    %w2 = tensor.expand_shape %w [[0, 1]] output_shape [1024, 65536] ...
    %g2 = tensor.expand_shape %g [[0, 1]] output_shape [1024, 65536] ...
    %part = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                             affine_map<(d0, d1) -> (d0, d1)>,
                                             affine_map<(d0, d1) -> (d0)>],
                            iterator_types = ["parallel", "reduction"]}
        ins(%w2, %g2 : ...) outs(%zeros : tensor<1024xf32>) {...}
    %s = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>,
                                          affine_map<(d0) -> ()>],
                         iterator_types = ["reduction"]}
        ins(%part : tensor<1024xf32>) outs(%zero : tensor<f32>) {
      ^bb0(%p: f32, %acc: f32):
        %r = arith.addf %p, %acc : f32
        linalg.yield %r : f32 } -> tensor<f32>
    ```
  }];
  let options = [
    Option<"parts", "parts", "int64_t", "1024",
           "Outputs the first stage aims for">,
    Option<"minRows", "min-rows", "int64_t", "256",
           "Reductions with at least this many outputs are not split">,
    Option<"minExtent", "min-extent", "int64_t", "8192",
           "Reductions shorter than this per output are not split">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def TCFormKernels : Pass<"tc-form-kernels", "mlir::ModuleOp"> {
  let summary = "Group fused linalg ops into tc.kernel regions";
  let description = [{
    Decides kernel boundaries: each `tc.kernel` holds one root op (a
    contraction, a reduction, an elementwise generic, or the row reductions
    of softmax-like patterns) with the elementwise ops fused before and after
    it (docs/codegen.md, section 3). Reshapes stay outside as views. With
    `report`, prints every kernel with the ops it holds and, for each value
    that crosses a kernel boundary, why its producer and consumer were not
    fused.

    Before:
    ```mlir
    %m = linalg.matmul ins(%x, %w : ...) outs(%f : tensor<?x256xf32>) -> tensor<?x256xf32>
    %r = linalg.generic {...bias + relu...} ins(%m, %b : ...) outs(%e : ...) -> tensor<?x256xf32>
    ```
    After:
    ```mlir
    %r = tc.kernel "forward_k0" contraction ins(%x, %w, %b : ...) -> tensor<?x256xf32> {
    ^bb0(%x0: ..., %w0: ..., %b0: ...):
      %m = linalg.matmul ...
      %r = linalg.generic {...bias + relu...} ...
      tc.yield %r : tensor<?x256xf32>
    }
    ```
  }];
  let options = [
    Option<"report", "report", "bool", "false",
           "Print the kernels and the reasons for each fusion boundary">,
    Option<"noFusion", "no-fusion", "bool", "false",
           "One kernel per linalg op (the unfused reference program)">,
    Option<"cloneGathers", "clone-gathers", "bool", "true",
           "Recompute window gathers (im2col) in the operand loads of the "
           "matrix products that read them (the GPU's implicit GEMM); false "
           "materializes them (the CPU)">
  ];
  let dependentDialects = ["::tensorc::tc::TCDialect"];
}

def TCEmitKernels : Pass<"tc-emit-kernels", "mlir::ModuleOp"> {
  let summary = "Generate a gpu.func per tc.kernel and launch it";
  let description = [{
    Replaces each `tc.kernel` with a `tc.launch` of a new `gpu.func` in the
    module's `gpu.module @tc_kernels`, generated by the emitter for the
    kernel's kind: flat buffers in, loops over the grid, block and thread
    ids, workgroup memory and shuffles for reductions, shared-memory tiles for
    contractions (docs/codegen.md, section 4). The grid is computed in the
    entry function from the dims. `target=cpu` emits one thread per block.

    Before:
    ```mlir
    %y = tc.kernel "f_k0" elementwise ins(%x : tensor<?xf32>) -> tensor<?xf32> {...}
    ```
    After:
    ```mlir
    %e = tensor.empty(%n) : tensor<?xf32>
    %y = tc.launch @tc_kernels::@f_k0 grid(%g, %c1, %c1) block [256, 1, 1]
           ins(%x : tensor<?xf32>) outs(%e : tensor<?xf32>) dims(%n : index) -> tensor<?xf32>
    gpu.module @tc_kernels {
      gpu.func @f_k0(%x: memref<?xf32>, %y: memref<?xf32>, %n: index) kernel {...}
    }
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", "\"cuda\"",
           "cuda or cpu">,
    Option<"arch", "arch", "std::string", "\"sm_90\"",
           "The GPU architecture the tile heuristics choose for">,
    ListOption<"tileSizes", "tile-sizes", "int64_t",
               "Fixed M,N,K tiles for every matrix product (default: chosen "
               "per product, docs/codegen.md)">,
    ListOption<"tunedTiles", "tuned-tiles", "std::string",
               "KEY=TILES: the tiles `tensorc tune` chose for the products "
               "of a key (docs/codegen.md, \"Tuning\"); --tile-sizes wins">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::nvgpu::NVGPUDialect",
                           "::mlir::vector::VectorDialect"];
}

def TCDedupKernels : Pass<"tc-dedup-kernels", "mlir::ModuleOp"> {
  let summary = "Generate each distinct kernel once";
  let description = [{
    Entry points share code (`loss` calls `forward`, every transformer block
    has the same structure with different weights), so tc-emit-kernels
    produces kernels that differ only in their names. This keeps the first of
    each set of structurally equivalent `gpu.func`s of `@tc_kernels` (same
    signature, workgroup memory, block size and body) and points every launch
    at it, so that PTX is generated once per distinct kernel.

    Before:
    ```mlir
    tc.launch @tc_kernels::@forward_k0 ...
    tc.launch @tc_kernels::@loss_k0 ...
    gpu.module @tc_kernels {
      gpu.func @forward_k0(...) kernel { BODY }
      gpu.func @loss_k0(...) kernel { BODY }
    }
    ```
    After:
    ```mlir
    tc.launch @tc_kernels::@forward_k0 ...
    tc.launch @tc_kernels::@forward_k0 ...
    gpu.module @tc_kernels {
      gpu.func @forward_k0(...) kernel { BODY }
    }
    ```
  }];
}

def TCUpdateParamsInPlace : Pass<"tc-update-params-in-place", "mlir::ModuleOp"> {
  let summary = "Make training steps write new param values in place";
  let description = [{
    On bufferized entry functions: each result marked `tc.update = "w"` is
    an allocation written by a kernel; the kernel writes into the argument
    of param `w` instead and the result is dropped. Where that would be
    unsafe (the param is read after that kernel, or the kernel is a matrix
    product that multiplies by it), a `memref.copy` into the param after
    the last kernel replaces the result instead.

    Before:
    ```mlir
    func.func @train_step(%x: memref<?x4xf32>, %w: memref<4x3xf32> {tc.param = "w"})
        -> (memref<f32>, memref<4x3xf32> {tc.update = "w"}) {
      ...
      %nw = memref.alloc() : memref<4x3xf32>
      tc.launch @tc_kernels::@train_step_k3 ... ins(%w, %gw : ...) outs(%nw : ...)
      return %l, %nw : memref<f32>, memref<4x3xf32>
    }
    ```
    After:
    ```mlir
    func.func @train_step(%x: memref<?x4xf32>, %w: memref<4x3xf32> {tc.param = "w"})
        -> memref<f32> {
      ...
      tc.launch @tc_kernels::@train_step_k3 ... ins(%w, %gw : ...) outs(%w : ...)
      return %l : memref<f32>
    }
    ```
  }];
}

def TCPlanMemory : Pass<"tc-plan-memory", "mlir::ModuleOp"> {
  let summary = "Assign temporaries to memory slots that they can share";
  let description = [{
    On bufferized entry functions: computes each temporary buffer's lifetime
    (from its allocation to the last launch that reads it, through views) and
    gives each `memref.alloc` a `tc.slot` so that buffers whose lifetimes do
    not overlap share a slot. Slots are sized at run time, once the dims are
    bound, to the largest buffer assigned to them.

    Before:
    ```mlir
    %a = memref.alloc(%n) : memref<?x256xf32>
    tc.launch @k::@a ... outs(%a : ...)
    %b = memref.alloc(%n) : memref<?x128xf32>
    tc.launch @k::@b ... ins(%a : ...) outs(%b : ...)
    %c = memref.alloc(%n) : memref<?x10xf32>
    tc.launch @k::@c ... ins(%b : ...) outs(%c : ...)
    ```
    After: `%a` and `%c` share slot 0 (`{tc.slot = 0}`), `%b` has slot 1.
  }];
}

def TCBareKernelABI : Pass<"tc-bare-kernel-abi", "mlir::ModuleOp"> {
  let summary = "Pass each kernel buffer as one pointer";
  let description = [{
    After kernels are lowered to the LLVM dialect (`convert-gpu-to-nvvm`, or
    the host lowering), each `memref<?xT>` parameter has become a memref
    descriptor of five values (allocated and aligned pointers, offset, size,
    stride). The kernel ABI (docs/artifact.md) passes one pointer per buffer,
    so this pass rewrites every kernel `llvm.func` marked with `tc.abi` to
    take a single pointer for each buffer: both pointers become that pointer,
    the offset 0, the stride 1 (kernels index flat, contiguous buffers), and
    the size is not read.

    Before:
    ```mlir
    llvm.func @k(%a0: !llvm.ptr, %a1: !llvm.ptr, %off: i64, %size: i64, %stride: i64,
                 %n: i64) attributes {tc.abi = ["ptr", "i64"], nvvm.kernel}
    ```
    After:
    ```mlir
    llvm.func @k(%a: !llvm.ptr, %n: i64) attributes {nvvm.kernel}
    ```
  }];
}

def TCBF16MmaSyncToNVVM : Pass<"tc-bf16-mma-sync-to-nvvm"> {
  let summary = "Lower bf16 nvgpu.mma.sync to nvvm.mma.sync";
  let description = [{
    MLIR's `convert-nvgpu-to-nvvm` lowers `nvgpu.mma.sync` on f16, tf32, f64
    and integers but rejects bf16 ("failed to deduce operand PTX types"),
    which PTX supports in the same shapes. This pass rewrites a bf16
    `nvgpu.mma.sync` with f32 accumulators into the `nvvm.mma.sync` that the
    f16 case becomes, with each pair of bf16 values (one `vector<2xbf16>`
    row of the operand) passed as one i32 register, as PTX wants. Run it
    before `convert-nvgpu-to-nvvm`.

    Before:
    ```mlir
    %d = nvgpu.mma.sync (%a, %b, %c) {mmaShape = [16, 8, 16]}
        : (vector<4x2xbf16>, vector<2x2xbf16>, vector<2x2xf32>) -> vector<2x2xf32>
    ```
    After:
    ```mlir
    %a0 = vector.extract %a[0] : vector<2xbf16> from vector<4x2xbf16>
    %w0 = vector.bitcast %a0 : vector<2xbf16> to vector<1xi32>
    %r0 = vector.extract %w0[0] : i32 from vector<1xi32>
    ...
    %s = nvvm.mma.sync A[%r0, %r1, %r2, %r3] B[%r4, %r5] C[%c0, %c1, %c2, %c3]
        {multiplicandAPtxType = #nvvm.mma_type<bf16>, ...}
        : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
    %d0 = llvm.extractvalue %s[0] : !llvm.struct<(f32, f32, f32, f32)>
    ...
    %d = vector.from_elements %d0, %d1, %d2, %d3 : vector<2x2xf32>
    ```
  }];
  let dependentDialects = ["::mlir::NVVM::NVVMDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::vector::VectorDialect"];
}

def TCLowerKernelsToHost : Pass<"tc-lower-kernels-to-host", "mlir::ModuleOp"> {
  let summary = "Turn the gpu.func kernels into host functions for the CPU";
  let description = [{
    For the CPU target, each `gpu.func` of `gpu.module @tc_kernels` (emitted
    with one thread per block) becomes a host function with the CPU kernel
    ABI (docs/artifact.md): `void NAME(void **args, const int64_t *grid,
    int64_t blockBegin, int64_t blockEnd)`, looping over its share of the
    grid. Block ids come from the loop, thread ids are 0, block dims 1,
    barriers disappear, workgroup attributions become stack buffers.

    Before:
    ```mlir
    gpu.module @tc_kernels {
      gpu.func @k(%x: memref<?xf32>, %n: index) kernel {
        %b = gpu.block_id x
        ...
      }
    }
    ```
    After:
    ```mlir
    func.func @k(%args: !llvm.ptr, %grid: !llvm.ptr, %begin: i64, %end: i64) {
      scf.for %linear = %begin to %end step %c1 {
        ... body with %b = the x coordinate of %linear ...
      }
    }
    ```
  }];
  let dependentDialects = ["::mlir::func::FuncDialect", "::mlir::scf::SCFDialect",
                           "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect"];
}

#endif // TC_PASSES
