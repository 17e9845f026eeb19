//===- manifest_loader.cpp - Fuzz target: the artifact's manifest ---------===//
//
// Manifest::parse promises that the rest of the runtime can trust what it
// returns (indices in range, expressions parsed). So any input must be
// refused with an error or give a manifest that Artifact::fromMemory loads
// and whose entries get a memory plan and a schedule, or a typed error, for
// several bindings of the dims; never a crash, an out-of-bounds index or an
// overflow.
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck.h"
#include "Schedule.h"
#include "tensorc/manifest.h"
#include "tensorc/runtime.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace tensorc;

namespace {

void noKernel(void **, const int64_t *, int64_t, int64_t) {}

/// PTX text that defines every kernel of `m`: what Artifact::fromMemory
/// checks of a module.
std::string ptxFor(const Manifest &m) {
  std::string ptx = ".version 8.0\n.target sm_90\n";
  for (const KernelInfo &k : m.kernels)
    ptx += ".visible .entry " + k.name + "()\n{\n ret;\n}\n";
  return ptx;
}

void planEveryEntry(const Manifest &m, int64_t value) {
  DimValues dims(m.dims.size(), value);
  for (const Entry &entry : m.entries) {
    Expected<MemoryPlan> plan = planMemory(entry, dims);
    if (!plan)
      continue;
    FUZZ_CHECK(plan->bufferBytes.size() == entry.buffers.size(),
               entry.name.c_str());
    for (size_t i = 0; i < entry.inputs.size(); ++i)
      (void)evaluateShape(entry.inputs[i], dims);
    Expected<std::vector<PreparedStep>> steps =
        prepareSteps(m, entry, dims, *plan);
    if (steps)
      FUZZ_CHECK(steps->size() == entry.steps.size(), entry.name.c_str());
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  Expected<Manifest> parsed = Manifest::parse(text, "fuzz.json");
  if (!parsed) {
    FUZZ_CHECK(!parsed.status().message().empty(), "an empty error");
    return 0;
  }
  const Manifest &m = *parsed;
  for (const std::string &dim : m.dims)
    FUZZ_CHECK(m.findDim(dim) >= 0, dim.c_str());
  for (const Entry &entry : m.entries)
    FUZZ_CHECK(m.findEntry(entry.name), entry.name.c_str());

  // The loader over the same text: PTX for a CUDA target, a resolver for
  // the CPU.
  Expected<std::shared_ptr<const Artifact>> artifact =
      m.isCuda() ? Artifact::fromMemory(text, ptxFor(m)) : [&] {
        auto resolver = std::make_shared<MapKernelResolver>();
        for (const KernelInfo &k : m.kernels)
          resolver->add(k.name, noKernel);
        return Artifact::fromMemory(text, "", resolver);
      }();
  FUZZ_CHECK(artifact.ok(), artifact.status().message().c_str());

  for (int64_t value :
       {int64_t(1), int64_t(3), int64_t(1) << 31, int64_t(1) << 62})
    planEveryEntry(m, value);
  return 0;
}
