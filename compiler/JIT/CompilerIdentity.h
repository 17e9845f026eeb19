//===- CompilerIdentity.h - What a compile cache key must cover -*- C++ -*-===//
//
// A cached artifact may only be reused by the compiler that made it, for the
// machine it was made for. These strings identify both; the compile cache
// hashes them into its keys.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_JIT_COMPILERIDENTITY_H
#define TENSORC_JIT_COMPILERIDENTITY_H

#include <string>

namespace tensorc::jit {

/// tensorc's and LLVM's versions, and the GNU build ids of the binary that
/// holds this compiler and of the loaded libLLVM and libMLIR (or, for a
/// binary without one, its path, size and modification time). Any rebuild
/// changes it, so that an entry made by another build is never used.
/// Computed once per process.
const std::string &compilerIdentity();

/// The machine CPU kernels are compiled for: the target triple, the CPU
/// name and its features (the kernels use all of them).
const std::string &hostIdentity();

} // namespace tensorc::jit

#endif // TENSORC_JIT_COMPILERIDENTITY_H
