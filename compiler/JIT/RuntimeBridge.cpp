//===- RuntimeBridge.cpp - Hand a compiled model to the runtime -----------===//

#include "compiler/JIT/RuntimeBridge.h"

namespace tensorc::jit {
namespace {
/// Resolves kernel names to the functions the JIT compiled.
class JITResolver : public KernelResolver {
public:
  explicit JITResolver(std::unique_ptr<target::HostKernels> kernels)
      : kernels(std::move(kernels)) {}
  Expected<CpuKernelFn> lookup(const std::string &name) override {
    if (void *fn = kernels->lookup(name))
      return reinterpret_cast<CpuKernelFn>(fn);
    return Status::error("the JIT compiled no kernel named '" + name + "'");
  }

private:
  std::unique_ptr<target::HostKernels> kernels;
};
} // namespace

Expected<std::shared_ptr<const Artifact>> makeArtifact(CompiledModel &&model) {
  std::shared_ptr<KernelResolver> resolver;
  if (model.hostKernels)
    resolver = std::make_shared<JITResolver>(std::move(model.hostKernels));
  return Artifact::fromMemory(model.manifest, std::move(model.ptx), resolver);
}

} // namespace tensorc::jit
