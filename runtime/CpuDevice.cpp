//===- CpuDevice.cpp - Run host kernels on a thread pool
//-------------------===//
//
// Device memory is host memory. A launch splits the grid's blocks into
// contiguous ranges, one per thread, and returns when all are done, so that
// launches run in order and synchronize() has nothing to wait for.
//
//===----------------------------------------------------------------------===//

#include "Device.h"
#include "Support.h"
#include "ThreadPool.h"

#include <cstdlib>
#include <unordered_map>

namespace tensorc {

namespace {

/// Calls a CPU kernel. UBSan's -fsanitize=function (the sanitizer build)
/// checks a type signature stored before the target of an indirect call;
/// kernels JIT-compiled by LLVM or dlopen'd from a shared object have none,
/// and reading before one that starts a page faults.
#if defined(__clang__)
__attribute__((no_sanitize("function")))
#endif
void callKernel(CpuKernelFn fn, void **args, const int64_t *grid, int64_t begin,
                int64_t end) {
  fn(args, grid, begin, end);
}

class CpuDevice final : public Device {
public:
  explicit CpuDevice(unsigned threads) : pool_(threads) {}

  DeviceKind kind() const override { return DeviceKind::Cpu; }
  std::string name() const override {
    return concat("cpu (", pool_.size(),
                  pool_.size() == 1 ? " thread)" : " threads)");
  }

  Status loadKernels(const Artifact &artifact) override {
    KernelResolver *resolver = artifact.resolver();
    if (!resolver)
      return Status::error(artifact.source(),
                           ": no CPU kernels (the artifact was loaded from "
                           "memory without a kernel resolver)");
    for (const KernelInfo &k : artifact.manifest().kernels) {
      Expected<CpuKernelFn> fn = resolver->lookup(k.name);
      if (!fn)
        return fn.status().withContext(artifact.source());
      kernels_[k.name] = *fn;
    }
    return Status::success();
  }

  Expected<DevicePtr> allocate(uint64_t bytes,
                               const std::string &what) override {
    // aligned_alloc wants a multiple of the alignment; never return null for
    // an empty buffer, so that every buffer has its own address.
    uint64_t rounded;
    if (!alignUp(bytes ? bytes : 1, 256, rounded) || rounded > SIZE_MAX)
      return Status::error("cannot allocate ", bytes, " bytes for ", what);
    void *p = std::aligned_alloc(256, static_cast<size_t>(rounded));
    if (!p)
      return Status::error("out of memory allocating ", bytes, " bytes for ",
                           what);
    return reinterpret_cast<DevicePtr>(p);
  }

  void release(DevicePtr ptr) override {
    std::free(reinterpret_cast<void *>(ptr));
  }

  Status copyToDevice(DevicePtr dst, const void *src, uint64_t bytes) override {
    if (bytes)
      std::memcpy(reinterpret_cast<void *>(dst), src, bytes);
    return Status::success();
  }

  Status copyToHost(void *dst, DevicePtr src, uint64_t bytes) override {
    if (bytes)
      std::memcpy(dst, reinterpret_cast<const void *>(src), bytes);
    return Status::success();
  }

  Status copyOnDevice(DevicePtr dst, DevicePtr src, uint64_t bytes,
                      const std::string &) override {
    // memmove: a copy between a view and its base may overlap.
    if (bytes)
      std::memmove(reinterpret_cast<void *>(dst),
                   reinterpret_cast<const void *>(src), bytes);
    return Status::success();
  }

  Status launch(const std::string &kernel, const LaunchDims &dims, void **args,
                const std::string &where) override {
    auto it = kernels_.find(kernel);
    if (it == kernels_.end())
      return Status::error(where, ": kernel '", kernel, "' was not loaded");
    CpuKernelFn fn = it->second;
    const int64_t *grid = dims.grid.data();
    int64_t total = grid[0] * grid[1] * grid[2]; // checked by prepareSteps
    pool_.parallelFor(total, [&](int64_t begin, int64_t end) {
      callKernel(fn, args, grid, begin, end);
    });
    return Status::success();
  }

  Status synchronize(const std::string &) override { return Status::success(); }

private:
  ThreadPool pool_;
  std::unordered_map<std::string, CpuKernelFn> kernels_;
};

} // namespace

std::unique_ptr<Device> createCpuDevice(const DeviceOptions &options) {
  unsigned threads = options.cpuThreads;
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());
  return std::make_unique<CpuDevice>(threads);
}

} // namespace tensorc
