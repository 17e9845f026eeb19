//===- Compiler.h - Compile a model in-process ------------------*- C++ -*-===//
//
// The whole compiler behind one call: a verified tc module in, the manifest
// and the target code out (PTX text for CUDA, JIT-compiled host kernels or a
// shared object for the CPU). Used by the tensorc driver and the JIT API.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_JIT_COMPILER_H
#define TENSORC_JIT_COMPILER_H

#include "compiler/Target/Host/HostJIT.h"

#include "mlir/IR/BuiltinOps.h"

#include <memory>
#include <string>
#include <vector>

namespace tensorc::jit {

struct CompileOptions {
  std::string target = "cpu";    // cpu | cuda
  std::string backend = "nvptx"; // nvptx | nvrtc (cuda)
  std::string arch = "sm_90";    // cuda
  bool fusion = true;
  bool reportFusion = false;
  /// Fixed M,N,K tiles for every matrix product (empty: chosen per product).
  std::vector<int64_t> tileSizes;
  /// KEY=TILES: tuned tiles (TunedTiles.h); --tile-sizes wins over them.
  std::vector<std::string> tunedTiles;
  /// f32, bf16 or f16 (PipelineOptions::precision).
  std::string precision = "f32";
  /// CPU: JIT the kernels in-process.
  bool jitHostKernels = true;
  /// CPU: instead, link them into this shared object (replaced atomically).
  std::string sharedObjectPath;
  /// File name of the module recorded in the manifest (relative to it).
  std::string moduleFile;
};

struct CompiledModel {
  std::string manifest;
  std::string ptx;  // cuda
  std::string cuda; // cuda with the nvrtc backend: the source NVRTC compiled
  std::unique_ptr<target::HostKernels> hostKernels; // cpu, when JIT'ed
  /// The module after the pipeline (kernels in gpu.module @tc_kernels).
  mlir::OwningOpRef<mlir::ModuleOp> lowered;
};

/// Compiles `module` (verified tc, as MLIRGen makes it). Diagnostics go to
/// the module's context.
mlir::FailureOr<CompiledModel> compile(mlir::OwningOpRef<mlir::ModuleOp> module,
                                       const CompileOptions &options);

} // namespace tensorc::jit

#endif // TENSORC_JIT_COMPILER_H
