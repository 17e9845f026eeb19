//===- CpuSession.h - The AddRowSum artifact in a CPU session ---*- C++ -*-===//
//
// The hand-written artifact of TestModel.h with the C++ kernels of
// TestKernels.cpp, as the CPU tests use it.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_UNITTESTS_RUNTIME_CPUSESSION_H
#define TENSORC_UNITTESTS_RUNTIME_CPUSESSION_H

#include "TestModel.h"
#include "TestUtil.h"
#include "tensorc/runtime.h"

extern "C" {
void add3(void **, const int64_t *, int64_t, int64_t);
void rowsum(void **, const int64_t *, int64_t, int64_t);
}

namespace tensorc::testing {

inline const std::string &addRowSumCpuManifest() {
  static const std::string manifest =
      addRowSumManifest(R"({"kind": "cpu"})", "kernels.so");
  return manifest;
}

/// The kernels add3 and rowsum, by name (as the JIT supplies them).
inline std::shared_ptr<KernelResolver> addRowSumKernels() {
  auto resolver = std::make_shared<MapKernelResolver>();
  resolver->add("add3", add3);
  resolver->add("rowsum", rowsum);
  return resolver;
}

/// A CPU session of the artifact with `threads` threads and params from
/// `seed`; null (after a failed expectation) if it cannot be made.
inline std::unique_ptr<Session> addRowSumCpuSession(unsigned threads,
                                                    uint64_t seed) {
  Expected<std::shared_ptr<const Artifact>> artifact =
      Artifact::fromMemory(addRowSumCpuManifest(), "", addRowSumKernels());
  EXPECT_TRUE(artifact.ok()) << errorOf(artifact);
  if (!artifact)
    return nullptr;
  SessionOptions options;
  options.device = DeviceKind::Cpu;
  options.cpuThreads = threads;
  options.seed = seed;
  Expected<std::unique_ptr<Session>> session =
      Session::create(*artifact, options);
  EXPECT_TRUE(session.ok()) << errorOf(session);
  return session ? std::move(*session) : nullptr;
}

} // namespace tensorc::testing

#endif // TENSORC_UNITTESTS_RUNTIME_CPUSESSION_H
