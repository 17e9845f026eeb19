//===- runtime.h - Load an artifact and run it on CUDA or the CPU
//----------===//
//
// The runtime links no MLIR, LLVM or CUDA: it reads an artifact (a manifest
// plus a PTX module or the CPU kernels) and runs its entry points.
//
//   auto artifact = tensorc::Artifact::loadFile("model.ptx.json");
//   if (!artifact) { std::cerr << artifact.status().message(); return 1; }
//   tensorc::SessionOptions options;  // device auto, seed 0
//   auto session = tensorc::Session::create(*artifact, options);
//   auto outputs = (*session)->run("forward", {{"x", x}});
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_RUNTIME_H
#define TENSORC_RUNTIME_H

#include "tensorc/manifest.h"
#include "tensorc/status.h"
#include "tensorc/tensor.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tensorc {

class Device;
class GraphCache;

enum class DeviceKind { Auto, Cuda, Cpu };
const char *deviceKindName(DeviceKind kind);
/// Parses "auto", "cuda" or "cpu".
Expected<DeviceKind> parseDeviceKind(const std::string &name);

/// Success when the CUDA driver loads and sees a GPU; otherwise why not.
Status probeCuda();

/// A CPU kernel (docs/artifact.md, "Kernel ABI"): runs the blocks
/// [blockBegin, blockEnd) of a grid of grid[0] * grid[1] * grid[2] blocks.
using CpuKernelFn = void (*)(void **args, const int64_t *grid,
                             int64_t blockBegin, int64_t blockEnd);

/// Supplies CPU kernels by name: the JIT hands out function pointers, an
/// ahead-of-time artifact looks them up in its shared object.
class KernelResolver {
public:
  virtual ~KernelResolver();
  /// The kernel, or an error saying why it is not there.
  virtual Expected<CpuKernelFn> lookup(const std::string &name) = 0;
};

/// A resolver over a fixed table (the JIT, tests).
class MapKernelResolver : public KernelResolver {
public:
  void add(const std::string &name, CpuKernelFn fn) { table_[name] = fn; }
  Expected<CpuKernelFn> lookup(const std::string &name) override;

private:
  std::map<std::string, CpuKernelFn> table_;
};

/// A resolver over a shared object: dlopen + dlsym.
class SharedObjectResolver : public KernelResolver {
public:
  static Expected<std::unique_ptr<SharedObjectResolver>>
  open(const std::string &path);
  ~SharedObjectResolver() override;
  Expected<CpuKernelFn> lookup(const std::string &name) override;

private:
  SharedObjectResolver(void *handle, std::string path)
      : handle_(handle), path_(std::move(path)) {}
  void *handle_;
  std::string path_;
};

/// A validated manifest and its module (PTX text, or CPU kernels).
class Artifact {
public:
  /// Reads `manifestPath` and the module it names (relative to it).
  static Expected<std::shared_ptr<const Artifact>>
  loadFile(const std::string &manifestPath);
  /// From memory, as the JIT hands it over: for a CUDA target `module` is the
  /// PTX text; for a CPU target `resolver` supplies the kernels.
  static Expected<std::shared_ptr<const Artifact>>
  fromMemory(const std::string &manifestText, std::string module,
             std::shared_ptr<KernelResolver> resolver = nullptr);

  const Manifest &manifest() const { return manifest_; }
  /// Where it came from, for messages.
  const std::string &source() const { return source_; }
  /// The PTX text (CUDA targets).
  const std::string &module() const { return module_; }
  /// The CPU kernels (CPU targets).
  KernelResolver *resolver() const { return resolver_.get(); }

private:
  Manifest manifest_;
  std::string source_;
  std::string module_;
  std::shared_ptr<KernelResolver> resolver_;
};

struct SessionOptions {
  /// `Auto` runs on the device the artifact targets; a CUDA artifact needs a
  /// working GPU (probeCuda says why not).
  DeviceKind device = DeviceKind::Auto;
  /// CPU worker threads; 0 means std::thread::hardware_concurrency().
  unsigned cpuThreads = 0;
  /// Seed of the parameter initializers.
  uint64_t seed = 0;
  /// CUDA: synchronize after every launch, so that a fault names its kernel
  /// (launches are then direct, not through graphs).
  bool syncEachLaunch = false;
  /// CUDA: capture each entry into a CUDA graph once per set of bound dims
  /// and replay it (docs/runtime.md); false launches every kernel directly.
  bool cudaGraphs = true;
};

using TensorMap = std::map<std::string, HostTensor>;

/// Every param's initial value for `seed` (docs/runtime.md), as
/// Session::initParams sets them, without a device.
Expected<TensorMap> initialParams(const Manifest &manifest, uint64_t seed);

/// An artifact loaded on a device, with its parameters. Not thread-safe: one
/// run at a time.
class Session {
public:
  static Expected<std::unique_ptr<Session>>
  create(std::shared_ptr<const Artifact> artifact,
         const SessionOptions &options = {});
  ~Session();

  const Manifest &manifest() const { return artifact_->manifest(); }
  DeviceKind deviceKind() const;
  /// "cpu (16 threads)", "cuda: NVIDIA H100 ...".
  std::string deviceName() const;

  /// (Re)initialises every parameter from its initializer (docs/runtime.md).
  Status initParams(uint64_t seed);
  std::vector<std::string> paramNames() const;
  Expected<HostTensor> getParam(const std::string &name);
  /// `value` must have the param's dtype and shape.
  Status setParam(const std::string &name, const HostTensor &value);
  /// Sets every param from a safetensors file whose tensors are named after
  /// them. The file must hold exactly the params, each with its dtype and
  /// shape; otherwise the error lists every difference and no param changes.
  Status loadParams(const std::string &path);
  /// Writes every param to a safetensors file (atomically), with the model's
  /// name in the metadata.
  Status saveParams(const std::string &path);

  /// Runs an entry point. Inputs are validated before anything runs: names,
  /// dtypes, ranks, static dims and the dims they bind. `dims` binds dims that
  /// no input names (and must agree with those that inputs name).
  Expected<TensorMap> run(const std::string &entry, const TensorMap &inputs,
                          const std::map<std::string, int64_t> &dims = {});

  // Training, for models with a train clause (docs/api.md, "Training").

  /// One optimizer step: runs `train_step` on `inputs` (the trained
  /// function's inputs, by name; the learning rate is learningRate()),
  /// which updates the params and the optimizer state in place, and returns
  /// the loss before the update.
  Expected<float> trainStep(const TensorMap &inputs,
                            const std::map<std::string, int64_t> &dims = {});
  /// The learning rate of the next steps: the train clause's `lr` until
  /// set. A run-time value: changing it never recompiles. Must be finite.
  Status setLearningRate(double lr);
  double learningRate() const { return lr_; }
  /// The steps taken (the optimizer state `opt.step`, which checkpoints
  /// keep).
  Expected<int64_t> stepCount();
  /// A checkpoint is every param, the optimizer state (moments, `opt.step`,
  /// the dropout state `rng.*`) included: saveParams and loadParams, so
  /// that restoring one and training on continues the same run bit for bit
  /// on the CPU. The learning rate is the caller's (a schedule of steps).
  Status saveCheckpoint(const std::string &path) { return saveParams(path); }
  Status loadCheckpoint(const std::string &path) { return loadParams(path); }

  // Measuring (bench/, docs/performance.md).

  /// Copies `inputs` to the device once, runs `entry` once (capturing its
  /// graph), then `iterations` times back to back with nothing copied in or
  /// out, and returns the mean wall-clock seconds per run. An entry that
  /// updates the params (train_step) updates them every run.
  Expected<double> timeEntry(const std::string &entry, const TensorMap &inputs,
                             int iterations,
                             const std::map<std::string, int64_t> &dims = {});
  /// The time of each kernel launch of `entry` (seconds, in step order):
  /// after one whole run, each launch runs `iterations` times in a row
  /// between two synchronizations (no CUDA graph), so the figure holds its
  /// launch overhead, amortized. Kernels that update params in place do so
  /// each time. What `tensorc tune` compares tiles by.
  struct KernelTime {
    size_t step = 0;
    std::string kernel;
    double seconds = 0;
  };
  Expected<std::vector<KernelTime>>
  profileEntry(const std::string &entry, const TensorMap &inputs,
               int iterations, const std::map<std::string, int64_t> &dims = {});
  /// The arena bytes `entry` needs for these inputs: its static memory plan
  /// (temporaries sharing slots, inputs and outputs), found without running or
  /// allocating anything. Fails as run() would on a missing or misshapen
  /// input. For `train_step` the session supplies `lr` as trainStep does.
  Expected<uint64_t>
  planBytes(const std::string &entry, const TensorMap &inputs,
            const std::map<std::string, int64_t> &dims = {}) const;
  /// Device memory the session holds: its params (optimizer state included)
  /// and the arena, as large as the largest plan of the entries run so far.
  struct MemoryUse {
    uint64_t paramBytes = 0, arenaBytes = 0;
  };
  MemoryUse memoryUse() const;

private:
  struct PreparedRun; // SessionRun.cpp
  /// `inputs` with the learning rate added when `entry` is train_step.
  Expected<TensorMap> withLearningRate(const std::string &entry,
                                       const TensorMap &inputs) const;
  /// The entry point `name`; the error lists the artifact's entry points.
  Expected<const Entry *> findEntry(const std::string &name) const;
  /// Binds the dims, plans memory, evaluates the steps and copies the inputs.
  Expected<std::unique_ptr<PreparedRun>>
  prepareRun(const std::string &entry, const TensorMap &inputs,
             const std::map<std::string, int64_t> &dims);
  Status launchRun(const PreparedRun &run);
  /// Waits for the launches; a fault names the last kernel.
  Status finishRun(const PreparedRun &run);
  Session() = default;
  Status allocateParams();
  Status ensureArena(uint64_t bytes);

  std::shared_ptr<const Artifact> artifact_;
  std::unique_ptr<Device> device_;
  SessionOptions options_;
  std::vector<uint64_t> paramMemory_;
  uint64_t arena_ = 0, arenaBytes_ = 0;
  std::unique_ptr<GraphCache> graphs_; // when graphs are used
  double lr_ = 0;
};

} // namespace tensorc

#endif // TENSORC_RUNTIME_H
