//===- Compile.h - From a checked model to each stage -----------*- C++ -*-===//

#ifndef TENSORC_TOOLS_TENSORC_COMPILE_H
#define TENSORC_TOOLS_TENSORC_COMPILE_H

#include "compiler/Frontend/AST.h"
#include "compiler/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "tensorc/status.h"

#include <memory>

namespace llvm {
class SourceMgr;
class raw_ostream;
} // namespace llvm

namespace tensorc {
class Artifact;
namespace jit {
struct CompileOptions;
} // namespace jit
} // namespace tensorc

namespace tensorc::driver {

/// What `tensorc FILE` produces.
enum class Emit {
  Summary,  // a one-screen summary
  AST,      // the checked syntax tree
  TC,       // the tc dialect
  Linalg,   // linalg on tensors
  Kernels,  // fused groups in tc.kernel
  Loops,    // tc.launch + gpu.func kernels
  GPU,      // bufferized entry points with the memory plan, and the kernels
  LLVM,     // the kernels in the LLVM dialect (NVVM, or host code)
  PTX,      // the PTX module (cuda)
  CUDA,     // the kernels as CUDA C++ (cuda)
  Manifest, // the artifact manifest (JSON)
  Artifact, // -o FILE: the module (PTX or shared object) and FILE.json
};

/// What the kernels are generated for.
struct TargetOptions {
  std::string backend = "nvptx"; // nvptx | nvrtc
  std::string arch = "sm_90";
};

/// Exit statuses.
constexpr int kUserError = 1;
constexpr int kInternalError = 2;

/// The tuned tiles (tensorc tune) of the cache directory for this target,
/// as jit::CompileOptions::tunedTiles; none when the cache is off. Warns on
/// a damaged table.
std::vector<std::string> tunedTilesFromCache(llvm::StringRef target,
                                             llvm::StringRef arch);

/// Accepts f32, bf16 and f16 (--precision).
Status checkPrecision(llvm::StringRef precision);

/// Runs MLIRGen and the pipeline up to what `emit` needs, and prints it.
/// Returns an exit status.
int compileAndEmit(mlir::MLIRContext &context, const ast::Model &model,
                   llvm::SourceMgr &sourceMgr, Emit emit,
                   const PipelineOptions &options,
                   const TargetOptions &targetOptions, llvm::raw_ostream &os);

/// Writes the artifact: the module at `path` (PTX, or a shared object for
/// the CPU) and the manifest at `path`.json, each atomically.
int writeArtifact(mlir::MLIRContext &context, const ast::Model &model,
                  llvm::SourceMgr &sourceMgr, const PipelineOptions &options,
                  const TargetOptions &targetOptions, llvm::StringRef path);

/// Compiles `model` in-process into an artifact the runtime can run (the
/// JIT: nothing is written to disk). Errors are reported through
/// `sourceMgr`; the status says where to look.
Expected<std::shared_ptr<const Artifact>>
compileToArtifact(const ast::Model &model, llvm::SourceMgr &sourceMgr,
                  const jit::CompileOptions &options);

} // namespace tensorc::driver

#endif // TENSORC_TOOLS_TENSORC_COMPILE_H
