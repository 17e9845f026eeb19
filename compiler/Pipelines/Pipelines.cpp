//===- Pipelines.cpp - tensorc's pass pipelines ---------------------------===//

#include "compiler/Pipelines/Pipelines.h"

#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace tensorc {

/// Canonicalization and CSE of each entry point and each kernel on its own:
/// functions are isolated from above, so the pass manager shares them among
/// the context's threads (a model's kernels are most of its IR).
static void addPerFunctionCleanup(OpPassManager &pm) {
  OpPassManager &host = pm.nest<func::FuncOp>();
  host.addPass(createCanonicalizerPass());
  host.addPass(createCSEPass());
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>().nest<gpu::GPUFuncOp>();
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
}

void buildPipeline(OpPassManager &pm, Stage stage,
                   const PipelineOptions &options) {
  pm.addPass(tc::createTCInlineEntryCalls());
  if (options.precision != "f32") {
    tc::TCAutocastOptions autocast;
    autocast.precision = options.precision;
    pm.addPass(tc::createTCAutocast(autocast));
  }
  // Training: no-ops for a model without a train clause.
  pm.addPass(tc::createTCAutodiff());
  pm.addPass(tc::createTCBuildTrainStep());
  pm.addPass(tc::createTCParamsToArguments());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (stage == Stage::Prepared)
    return;

  pm.addPass(tc::createConvertTCToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (stage == Stage::Linalg)
    return;

  if (options.fusion)
    pm.nest<func::FuncOp>().addPass(tc::createTCFuseElementwise());
  pm.addPass(tc::createTCInterchangeReductions());
  // Long reductions with few outputs become two stages, so that the first
  // fills the GPU and the CPU's threads (docs/codegen.md, "Reductions with
  // few outputs").
  pm.addPass(tc::createTCSplitReductions());
  tc::TCFormKernelsOptions form;
  form.report = options.reportFusion;
  form.noFusion = !options.fusion;
  form.cloneGathers = options.target != "cpu";
  pm.addPass(tc::createTCFormKernels(form));
  if (stage == Stage::Kernels)
    return;

  tc::TCEmitKernelsOptions emit;
  emit.target = options.target;
  emit.arch = options.arch;
  emit.tileSizes.assign(options.tileSizes.begin(), options.tileSizes.end());
  emit.tunedTiles.assign(options.tunedTiles.begin(), options.tunedTiles.end());
  pm.addPass(tc::createTCEmitKernels(emit));
  // Kernels emitted for equal groups are equal before canonicalization too;
  // dropping them first spares their cleanup. Others become equal after it.
  pm.addPass(tc::createTCDedupKernels());
  addPerFunctionCleanup(pm);
  pm.addPass(tc::createTCDedupKernels());
  if (stage == Stage::Loops)
    return;

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Sizes resolved through reshapes are affine.apply; the manifest and the
  // kernels speak arith.
  pm.addPass(createLowerAffinePass());
  addPerFunctionCleanup(pm);
  pm.addPass(tc::createTCUpdateParamsInPlace());
  pm.addPass(tc::createTCPlanMemory());
}

namespace {
struct PipelineCLOptions : PassPipelineOptions<PipelineCLOptions> {
  Option<std::string> stage{*this, "stage",
                            llvm::cl::desc("prepared|linalg|kernels|loops|"
                                           "bufferized"),
                            llvm::cl::init("bufferized")};
  Option<std::string> target{*this, "target", llvm::cl::desc("cuda|cpu"),
                             llvm::cl::init("cuda")};
  Option<bool> noFusion{*this, "no-fusion",
                        llvm::cl::desc("One kernel per linalg op"),
                        llvm::cl::init(false)};
  Option<std::string> arch{*this, "arch", llvm::cl::desc("GPU architecture"),
                           llvm::cl::init("sm_90")};
  ListOption<int64_t> tileSizes{
      *this, "tile-sizes",
      llvm::cl::desc("Fixed M,N,K tiles for every matrix product")};
  ListOption<std::string> tunedTiles{
      *this, "tuned-tiles",
      llvm::cl::desc("KEY=TILES: tuned tiles for the products of a key")};
  Option<std::string> precision{
      *this, "precision",
      llvm::cl::desc("f32|bf16|f16: the precision of matrix products"),
      llvm::cl::init("f32")};
};
} // namespace

void registerPipelines() {
  PassPipelineRegistration<PipelineCLOptions>(
      "tensorc-pipeline",
      "tensorc's compilation pipeline from verified tc IR to a stage",
      [](OpPassManager &pm, const PipelineCLOptions &cl) {
        Stage stage = llvm::StringSwitch<Stage>(cl.stage)
                          .Case("prepared", Stage::Prepared)
                          .Case("linalg", Stage::Linalg)
                          .Case("kernels", Stage::Kernels)
                          .Case("loops", Stage::Loops)
                          .Default(Stage::Bufferized);
        PipelineOptions options;
        options.target = cl.target;
        options.fusion = !cl.noFusion;
        options.arch = cl.arch;
        options.tileSizes.assign(cl.tileSizes.begin(), cl.tileSizes.end());
        options.tunedTiles.assign(cl.tunedTiles.begin(), cl.tunedTiles.end());
        options.precision = cl.precision;
        buildPipeline(pm, stage, options);
      });
}

} // namespace tensorc
