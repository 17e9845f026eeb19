//===- Device.h - What the runtime needs from a device
//---------------------===//
//
// Memory, copies, kernel launches and a barrier: the same small interface for
// CUDA and for the CPU, so that the session above it has one code path.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_RUNTIME_DEVICE_H
#define TENSORC_RUNTIME_DEVICE_H

#include "tensorc/runtime.h"

#include <array>
#include <memory>

namespace tensorc {

/// A device address: a CUdeviceptr, or a host pointer on the CPU.
using DevicePtr = uint64_t;

struct LaunchDims {
  std::array<int64_t, 3> grid{1, 1, 1};
  std::array<int64_t, 3> block{1, 1, 1};
  /// Dynamic shared memory; the manifest's `smem` is static (in the module).
  int64_t dynamicSmem = 0;
};

struct DeviceOptions {
  unsigned cpuThreads = 0; // 0: hardware_concurrency
  bool syncEachLaunch = false;
};

/// Launches and copies recorded once and replayed as a whole (a CUDA graph):
/// one driver call per run instead of one per step. It holds every address
/// and size it was recorded with.
class DeviceGraph {
public:
  virtual ~DeviceGraph();
};

class Device {
public:
  /// CUDA or the CPU; `Auto` tries CUDA and falls back to the CPU.
  static Expected<std::unique_ptr<Device>> create(DeviceKind kind,
                                                  const DeviceOptions &options);
  virtual ~Device();

  virtual DeviceKind kind() const = 0;
  virtual std::string name() const = 0;

  /// Finds every kernel of the artifact, so that a missing one is reported
  /// when the artifact is loaded rather than in the middle of a run.
  virtual Status loadKernels(const Artifact &artifact) = 0;

  /// `what` names the allocation in messages.
  virtual Expected<DevicePtr> allocate(uint64_t bytes,
                                       const std::string &what) = 0;
  virtual void release(DevicePtr ptr) = 0;
  virtual Status copyToDevice(DevicePtr dst, const void *src,
                              uint64_t bytes) = 0;
  /// Waits for the work queued before it.
  virtual Status copyToHost(void *dst, DevicePtr src, uint64_t bytes) = 0;
  /// Ordered with the launches.
  virtual Status copyOnDevice(DevicePtr dst, DevicePtr src, uint64_t bytes,
                              const std::string &where) = 0;
  /// Launches a kernel found by loadKernels; `args[i]` points at the value of
  /// its i-th parameter. `where` names the entry and step in messages.
  virtual Status launch(const std::string &kernel, const LaunchDims &dims,
                        void **args, const std::string &where) = 0;
  virtual Status synchronize(const std::string &where) = 0;

  /// Graphs, where the device has them: between beginCapture and endCapture,
  /// launch() and copyOnDevice() record instead of running (nothing else may
  /// be called), and endCapture makes what they recorded a graph that
  /// launchGraph runs. After a failed call during a capture, abortCapture
  /// ends it and drops what was recorded.
  virtual bool supportsGraphs() const { return false; }
  virtual Status beginCapture(const std::string &where);
  virtual Expected<std::unique_ptr<DeviceGraph>>
  endCapture(const std::string &where);
  virtual void abortCapture() {}
  virtual Status launchGraph(DeviceGraph &graph, const std::string &where);
};

std::unique_ptr<Device> createCpuDevice(const DeviceOptions &options);
Expected<std::unique_ptr<Device>>
createCudaDevice(const DeviceOptions &options);

} // namespace tensorc

#endif // TENSORC_RUNTIME_DEVICE_H
