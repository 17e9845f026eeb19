//===- RuntimeBridge.h - Hand a compiled model to the runtime ---*- C++ -*-===//

#ifndef TENSORC_JIT_RUNTIMEBRIDGE_H
#define TENSORC_JIT_RUNTIMEBRIDGE_H

#include "compiler/JIT/Compiler.h"

#include "tensorc/runtime.h"

namespace tensorc::jit {

/// An artifact the runtime can run, made from an in-process compile. For
/// the CPU the JIT'ed kernels are moved into the artifact's kernel resolver,
/// which keeps them alive.
Expected<std::shared_ptr<const Artifact>> makeArtifact(CompiledModel &&model);

} // namespace tensorc::jit

#endif // TENSORC_JIT_RUNTIMEBRIDGE_H
