//===- Pipelines.h - tensorc's pass pipelines -------------------*- C++ -*-===//
//
// Assembles the passes of docs/codegen.md into pipelines that stop at each
// stage the driver can print. Nothing else lives here.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_PIPELINES_PIPELINES_H
#define TENSORC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tensorc {

struct PipelineOptions {
  /// cuda or cpu: what the kernels are emitted for.
  std::string target = "cuda";
  /// Fusion on (the default) or one kernel per linalg op (the reference).
  bool fusion = true;
  /// Print the fusion report to stderr.
  bool reportFusion = false;
  /// The GPU architecture the kernels are tuned for.
  std::string arch = "sm_90";
  /// Fixed M,N,K tiles for every matrix product (empty: chosen per product).
  std::vector<int64_t> tileSizes;
  /// KEY=TILES entries of a tuned-tile table (tensorc tune; tc-emit-kernels).
  std::vector<std::string> tunedTiles;
  /// f32, or bf16/f16: matrix products and convolutions in 16 bits with f32
  /// everywhere else (tc-autocast; docs/training.md, "Mixed precision").
  std::string precision = "f32";
};

/// Stages in pipeline order; each includes the ones before it.
enum class Stage {
  Prepared,   // tc, calls inlined, params as arguments
  Linalg,     // linalg on tensors
  Kernels,    // fused linalg grouped into tc.kernel
  Loops,      // tc.launch + gpu.func kernels
  Bufferized, // memref entry functions with a memory plan
};

/// Adds the passes that take verified tc IR to `stage`.
void buildPipeline(mlir::OpPassManager &pm, Stage stage,
                   const PipelineOptions &options);

/// Registers `tensorc-pipeline` (for tensorc-opt and lit tests).
void registerPipelines();

} // namespace tensorc

#endif // TENSORC_PIPELINES_PIPELINES_H
