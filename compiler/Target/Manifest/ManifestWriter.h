//===- ManifestWriter.h - The artifact manifest -----------------*- C++ -*-===//
//
// Writes the JSON manifest of docs/artifact.md from a module whose entry
// functions are bufferized and planned (tc-plan-memory) and whose kernels are
// in gpu.module @tc_kernels.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_TARGET_MANIFEST_MANIFESTWRITER_H
#define TENSORC_TARGET_MANIFEST_MANIFESTWRITER_H

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace tensorc::manifest {

struct ManifestOptions {
  std::string targetKind = "cuda"; // cuda | cpu
  std::string backend = "nvptx";   // nvptx | nvrtc | llvm
  std::string arch = "sm_90";
  std::string moduleFile;          // the PTX or shared object, relative
  std::string compiler;            // "tensorc 0.1.0"
};

/// The manifest text; reports errors on the module and fails for IR it cannot
/// describe (a size that is not an expression of the dims, an unknown op in
/// an entry function).
mlir::FailureOr<std::string> writeManifest(mlir::ModuleOp module,
                                           const ManifestOptions &options);

} // namespace tensorc::manifest

#endif // TENSORC_TARGET_MANIFEST_MANIFESTWRITER_H
