//===- Compiler.cpp - Compile a model in-process --------------------------===//

#include "compiler/JIT/Compiler.h"

#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Target/CUDA/CUDAEmitter.h"
#include "compiler/Target/CUDA/NVRTC.h"
#include "compiler/Target/Host/HostTarget.h"
#include "compiler/Target/Manifest/ManifestWriter.h"
#include "compiler/Target/NVPTX/PTXTarget.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"

using namespace mlir;

namespace tensorc::jit {

FailureOr<CompiledModel> compile(OwningOpRef<ModuleOp> module,
                                 const CompileOptions &options) {
  MLIRContext *context = module->getContext();
  if (options.target != "cpu" && options.target != "cuda")
    return emitError(module->getLoc(), "unknown target '")
           << options.target << "'; use cpu or cuda";
  if (options.target == "cuda" && options.backend != "nvptx" &&
      options.backend != "nvrtc")
    return emitError(module->getLoc(), "unknown backend '")
           << options.backend << "'; use nvptx or nvrtc";
  if (options.precision != "f32" && options.precision != "bf16" &&
      options.precision != "f16")
    return emitError(module->getLoc(), "unknown precision '")
           << options.precision << "'; use f32, bf16 or f16";

  // --mlir-timing reports the passes and the target stages after them
  // (LLVM's code generation is most of a compile).
  DefaultTimingManager timingManager;
  applyDefaultTimingManagerCLOptions(timingManager);
  TimingScope timing = timingManager.getRootScope();

  PassManager pm(context);
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  pm.enableTiming(timing);
  PipelineOptions pipeline;
  pipeline.target = options.target;
  pipeline.fusion = options.fusion;
  pipeline.reportFusion = options.reportFusion;
  pipeline.arch = options.arch;
  pipeline.tileSizes = options.tileSizes;
  pipeline.tunedTiles = options.tunedTiles;
  pipeline.precision = options.precision;
  buildPipeline(pm, Stage::Bufferized, pipeline);
  if (failed(pm.run(*module)))
    return failure();

  CompiledModel result;
  manifest::ManifestOptions manifestOptions;
  manifestOptions.targetKind = options.target;
  manifestOptions.backend = options.target == "cpu" ? "llvm" : options.backend;
  manifestOptions.arch = options.arch;
  manifestOptions.moduleFile = options.moduleFile;
  manifestOptions.compiler = std::string("tensorc ") + TENSORC_VERSION;
  TimingScope manifestTiming = timing.nest("Manifest");
  FailureOr<std::string> manifestText =
      manifest::writeManifest(*module, manifestOptions);
  manifestTiming.stop();
  if (failed(manifestText))
    return failure();
  result.manifest = std::move(*manifestText);

  TimingScope targetTiming =
      timing.nest(options.target == "cpu"      ? "Host code generation (LLVM)"
                  : options.backend == "nvptx" ? "PTX code generation (NVPTX)"
                                               : "PTX code generation (NVRTC)");
  if (options.target == "cuda") {
    if (options.backend == "nvptx") {
      target::PTXOptions ptxOptions;
      ptxOptions.arch = options.arch;
      ptxOptions.timing = &targetTiming;
      FailureOr<std::string> ptx =
          target::translateKernelsToPTX(*module, ptxOptions);
      if (failed(ptx))
        return failure();
      result.ptx = std::move(*ptx);
    } else {
      FailureOr<std::string> source = cuda::translateKernelsToCUDA(*module);
      if (failed(source))
        return failure();
      // The printer found @tc_kernels; NVRTC compiles it shard by shard.
      FailureOr<std::string> ptx = cuda::compileKernelsWithNVRTC(
          module->lookupSymbol<gpu::GPUModuleOp>("tc_kernels"), options.arch);
      if (failed(ptx))
        return failure();
      result.cuda = std::move(*source);
      result.ptx = std::move(*ptx);
    }
  } else if (!options.sharedObjectPath.empty()) {
    if (failed(
            target::writeHostSharedObject(*module, options.sharedObjectPath)))
      return failure();
  } else if (options.jitHostKernels) {
    FailureOr<std::unique_ptr<target::HostKernels>> kernels =
        target::HostKernels::create(*module);
    if (failed(kernels))
      return failure();
    result.hostKernels = std::move(*kernels);
  }
  result.lowered = std::move(module);
  return result;
}

} // namespace tensorc::jit
