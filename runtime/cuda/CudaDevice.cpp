//===- CudaDevice.cpp - Run PTX kernels through the CUDA driver API
//--------===//
//
// One device, its primary context, one stream and one module. Every driver
// call is checked, and its error names the call and what the runtime was
// doing (the entry, the step, the kernel). After a sticky error (an illegal
// address, say) the context is corrupt: the device refuses all further work
// with a message that says so, instead of returning garbage.
//
// Host memory crosses to the GPU through a pinned (page-locked) staging
// buffer: the driver copies from it by DMA, asynchronously, where a copy from
// pageable memory is staged by the driver on the CPU first. Graphs are
// captured from the stream (cuStreamBeginCapture) and replayed with one
// cuGraphLaunch.
//
//===----------------------------------------------------------------------===//

#include "../Device.h"
#include "../Support.h"
#include "CudaDriver.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace tensorc {

using namespace cuda;

namespace {

/// An instantiated graph; it lives no longer than its device (the session
/// drops its graphs first).
class CudaGraph final : public DeviceGraph {
public:
  CudaGraph(const CudaDriver *driver, CUcontext ctx, CUgraphExec exec)
      : d_(driver), ctx_(ctx), exec_(exec) {}
  ~CudaGraph() override {
    // Best effort: after a sticky error this fails, and the graph goes with
    // the process.
    d_->cuCtxSetCurrent(ctx_);
    d_->cuGraphExecDestroy(exec_);
  }
  CUgraphExec exec() const { return exec_; }

private:
  const CudaDriver *d_;
  CUcontext ctx_;
  CUgraphExec exec_;
};

class CudaDevice final : public Device {
public:
  explicit CudaDevice(const CudaDriver *driver, const DeviceOptions &options)
      : d_(driver), syncEachLaunch_(options.syncEachLaunch) {}

  Status init() {
    TC_RETURN_IF_ERROR(d_->check(d_->cuDeviceGet(&dev_, 0), "cuDeviceGet"));
    char name[256] = {0};
    TC_RETURN_IF_ERROR(d_->check(
        d_->cuDeviceGetName(name, sizeof(name) - 1, dev_), "cuDeviceGetName"));
    TC_RETURN_IF_ERROR(d_->check(
        d_->cuDeviceGetAttribute(
            &ccMajor_, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev_),
        "cuDeviceGetAttribute"));
    TC_RETURN_IF_ERROR(d_->check(
        d_->cuDeviceGetAttribute(
            &ccMinor_, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev_),
        "cuDeviceGetAttribute"));
    name_ = concat("cuda: ", name, " (sm_", ccMajor_, ccMinor_, ")");
    TC_RETURN_IF_ERROR(d_->check(d_->cuDevicePrimaryCtxRetain(&ctx_, dev_),
                                 "cuDevicePrimaryCtxRetain"));
    TC_RETURN_IF_ERROR(activate("creating the CUDA device"));
    return d_->check(d_->cuStreamCreate(&stream_, CU_STREAM_DEFAULT),
                     "cuStreamCreate");
  }

  ~CudaDevice() override {
    if (ctx_) {
      d_->cuCtxSetCurrent(ctx_);
      abortCapture();
      if (staging_)
        d_->cuMemFreeHost(staging_);
      if (module_)
        d_->cuModuleUnload(module_);
      if (stream_)
        d_->cuStreamDestroy(stream_);
      d_->cuDevicePrimaryCtxRelease(dev_);
    }
  }

  DeviceKind kind() const override { return DeviceKind::Cuda; }
  std::string name() const override { return name_; }

  Status loadKernels(const Artifact &artifact) override {
    const Manifest &m = artifact.manifest();
    std::string where = "loading " + artifact.source();
    TC_RETURN_IF_ERROR(usable());
    TC_RETURN_IF_ERROR(checkArch(m.arch, artifact.source()));
    TC_RETURN_IF_ERROR(activate(where));
    if (module_)
      return Status::error(where, ": this CUDA device already has a module");
    char errorLog[8192] = {0}, infoLog[8192] = {0};
    CUjit_option options[] = {
        CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
        CU_JIT_INFO_LOG_BUFFER, CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES};
    void *values[] = {errorLog, reinterpret_cast<void *>(sizeof(errorLog) - 1),
                      infoLog, reinterpret_cast<void *>(sizeof(infoLog) - 1)};
    // std::string keeps a NUL after the text, as the driver wants for PTX.
    CUresult r = d_->cuModuleLoadDataEx(&module_, artifact.module().c_str(), 4,
                                        options, values);
    if (r != CUDA_SUCCESS) {
      module_ = nullptr;
      Status s = check(r, "cuModuleLoadDataEx",
                       where + " (PTX module '" + m.module + "')");
      return errorLog[0]
                 ? Status::error(s.message(), "; the PTX JIT says: ", errorLog)
                 : s;
    }
    for (const KernelInfo &k : m.kernels) {
      std::string kwhere = where + ", kernel '" + k.name + "'";
      CUfunction fn = nullptr;
      TC_RETURN_IF_ERROR(check(
          d_->cuModuleGetFunction(&fn, module_, k.name.c_str()),
          "cuModuleGetFunction", kwhere + " (is it in '" + m.module + "'?)"));
      int maxThreads = 0;
      TC_RETURN_IF_ERROR(
          check(d_->cuFuncGetAttribute(
                    &maxThreads, CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, fn),
                "cuFuncGetAttribute", kwhere));
      int64_t threads = k.block[0] * k.block[1] * k.block[2];
      if (threads > maxThreads)
        return Status::error(kwhere, ": the manifest asks for ", threads,
                             " threads per block, but the kernel can run at "
                             "most ",
                             maxThreads, " on ", name_);
      kernels_[k.name] = fn;
    }
    return Status::success();
  }

  Expected<DevicePtr> allocate(uint64_t bytes,
                               const std::string &what) override {
    TC_RETURN_IF_ERROR(usable());
    std::string where = concat("allocating ", bytes, " bytes for ", what);
    TC_RETURN_IF_ERROR(activate(where));
    CUdeviceptr p = 0;
    // cuMemAlloc refuses 0 bytes; every buffer gets an address anyway.
    TC_RETURN_IF_ERROR(check(d_->cuMemAlloc(&p, std::max<uint64_t>(bytes, 1)),
                             "cuMemAlloc", where));
    return static_cast<DevicePtr>(p);
  }

  void release(DevicePtr ptr) override {
    // Best effort: after a sticky error these calls fail, and the memory goes
    // with the process.
    if (!ptr)
      return;
    d_->cuCtxSetCurrent(ctx_);
    d_->cuMemFree(static_cast<CUdeviceptr>(ptr));
  }

  Status copyToDevice(DevicePtr dst, const void *src, uint64_t bytes) override {
    std::string where = concat("copying ", bytes, " bytes to the GPU");
    TC_RETURN_IF_ERROR(usable());
    TC_RETURN_IF_ERROR(activate(where));
    const char *from = static_cast<const char *>(src);
    for (uint64_t done = 0; done < bytes;) {
      uint64_t chunk = std::min(bytes - done, kStagingMax);
      TC_ASSIGN_OR_RETURN(char *stage, stagingSpace(chunk, where));
      if (!stage) // no pinned memory: the driver stages the bytes itself
        return check(d_->cuMemcpyHtoDAsync(dst + done, from + done,
                                           bytes - done, stream_),
                     "cuMemcpyHtoDAsync", where);
      std::memcpy(stage, from + done, chunk);
      TC_RETURN_IF_ERROR(
          check(d_->cuMemcpyHtoDAsync(dst + done, stage, chunk, stream_),
                "cuMemcpyHtoDAsync", where));
      done += chunk;
    }
    return Status::success();
  }

  Status copyToHost(void *dst, DevicePtr src, uint64_t bytes) override {
    std::string where = concat("copying ", bytes, " bytes from the GPU");
    TC_RETURN_IF_ERROR(usable());
    TC_RETURN_IF_ERROR(activate(where));
    char *to = static_cast<char *>(dst);
    for (uint64_t done = 0; done < bytes;) {
      uint64_t chunk = std::min(bytes - done, kStagingMax);
      TC_ASSIGN_OR_RETURN(char *stage, stagingSpace(chunk, where));
      if (!stage) {
        TC_RETURN_IF_ERROR(check(
            d_->cuMemcpyDtoHAsync(to + done, src + done, bytes - done, stream_),
            "cuMemcpyDtoHAsync", where));
        return syncStream(where);
      }
      TC_RETURN_IF_ERROR(
          check(d_->cuMemcpyDtoHAsync(stage, src + done, chunk, stream_),
                "cuMemcpyDtoHAsync", where));
      TC_RETURN_IF_ERROR(syncStream(where));
      std::memcpy(to + done, stage, chunk);
      done += chunk;
    }
    return bytes ? Status::success() : syncStream(where);
  }

  Status copyOnDevice(DevicePtr dst, DevicePtr src, uint64_t bytes,
                      const std::string &where) override {
    TC_RETURN_IF_ERROR(usable());
    TC_RETURN_IF_ERROR(activate(where));
    return check(d_->cuMemcpyDtoDAsync(dst, src, bytes, stream_),
                 "cuMemcpyDtoDAsync", where);
  }

  Status launch(const std::string &kernel, const LaunchDims &dims, void **args,
                const std::string &where) override {
    TC_RETURN_IF_ERROR(usable());
    auto it = kernels_.find(kernel);
    if (it == kernels_.end())
      return Status::error(where, ": kernel '", kernel, "' was not loaded");
    const int64_t limits[3] = {INT32_MAX, 65535, 65535};
    for (int i = 0; i < 3; ++i)
      if (dims.grid[i] > limits[i])
        return Status::error(where, ": grid[", i, "] = ", dims.grid[i],
                             " exceeds the CUDA limit of ", limits[i]);
    TC_RETURN_IF_ERROR(activate(where));
    auto u = [](int64_t v) { return static_cast<unsigned int>(v); };
    TC_RETURN_IF_ERROR(
        check(d_->cuLaunchKernel(it->second, u(dims.grid[0]), u(dims.grid[1]),
                                 u(dims.grid[2]), u(dims.block[0]),
                                 u(dims.block[1]), u(dims.block[2]),
                                 u(dims.dynamicSmem), stream_, args, nullptr),
              "cuLaunchKernel", where));
    if (syncEachLaunch_ && !capturing_)
      return syncStream(where + " (synchronizing after the launch)");
    return Status::success();
  }

  Status synchronize(const std::string &where) override {
    TC_RETURN_IF_ERROR(usable());
    TC_RETURN_IF_ERROR(activate(where));
    return syncStream(where);
  }

  bool supportsGraphs() const override { return true; }

  Status beginCapture(const std::string &where) override {
    TC_RETURN_IF_ERROR(usable());
    TC_RETURN_IF_ERROR(activate(where));
    if (capturing_)
      return Status::error(where, ": a CUDA graph capture is under way");
    TC_RETURN_IF_ERROR(check(
        d_->cuStreamBeginCapture(stream_, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL),
        "cuStreamBeginCapture", where));
    capturing_ = true;
    return Status::success();
  }

  Expected<std::unique_ptr<DeviceGraph>>
  endCapture(const std::string &where) override {
    TC_RETURN_IF_ERROR(usable());
    TC_RETURN_IF_ERROR(activate(where));
    capturing_ = false;
    CUgraph graph = nullptr;
    CUresult r = d_->cuStreamEndCapture(stream_, &graph);
    if (r != CUDA_SUCCESS) {
      if (graph)
        d_->cuGraphDestroy(graph);
      return check(r, "cuStreamEndCapture", where);
    }
    CUgraphExec exec = nullptr;
    r = d_->cuGraphInstantiate(&exec, graph, 0);
    d_->cuGraphDestroy(graph); // the executable graph is independent of it
    TC_RETURN_IF_ERROR(check(r, "cuGraphInstantiate", where));
    return std::unique_ptr<DeviceGraph>(new CudaGraph(d_, ctx_, exec));
  }

  void abortCapture() override {
    if (!capturing_)
      return;
    capturing_ = false;
    CUgraph graph = nullptr;
    d_->cuCtxSetCurrent(ctx_);
    d_->cuStreamEndCapture(stream_, &graph);
    if (graph)
      d_->cuGraphDestroy(graph);
  }

  Status launchGraph(DeviceGraph &graph, const std::string &where) override {
    TC_RETURN_IF_ERROR(usable());
    TC_RETURN_IF_ERROR(activate(where));
    return check(
        d_->cuGraphLaunch(static_cast<CudaGraph &>(graph).exec(), stream_),
        "cuGraphLaunch", where);
  }

private:
  /// Checks a driver call made while doing `where`; a sticky error marks the
  /// device unusable.
  Status check(CUresult r, const char *call, const std::string &where) {
    if (r == CUDA_SUCCESS)
      return Status::success();
    std::string message =
        concat(where, ": ", call, " failed with ", d_->describe(r));
    if (!isStickyError(r))
      return Status::error(message);
    broken_ = message;
    return Status::error(message, "; the CUDA context is now unusable and "
                                  "every later call will fail: restart the "
                                  "process");
  }

  Status usable() const {
    if (broken_.empty())
      return Status::success();
    return Status::error("the CUDA device is unusable after an earlier "
                         "error: ",
                         broken_);
  }

  /// Waits for the stream; the staging buffer is then free again.
  Status syncStream(const std::string &where) {
    TC_RETURN_IF_ERROR(
        check(d_->cuStreamSynchronize(stream_), "cuStreamSynchronize", where));
    stagingUsed_ = 0;
    return Status::success();
  }

  /// `bytes` (at most kStagingMax) of the pinned staging buffer that no copy
  /// in flight uses, or null where no pinned memory can be had (the caller
  /// then copies from pageable memory). The buffer grows on demand up to
  /// kStagingMax; when it is full of bytes still in flight, this waits for
  /// them.
  Expected<char *> stagingSpace(uint64_t bytes, const std::string &where) {
    if (pinnedUnavailable_)
      return static_cast<char *>(nullptr);
    uint64_t need = 0;
    alignUp(bytes, 256, need); // bytes <= kStagingMax: no overflow
    if (stagingUsed_ + need <= stagingBytes_) {
      char *p = static_cast<char *>(staging_) + stagingUsed_;
      stagingUsed_ += need;
      return p;
    }
    if (stagingUsed_ > 0)
      TC_RETURN_IF_ERROR(syncStream(
          where + " (waiting for the copies through the staging buffer)"));
    if (need > stagingBytes_) {
      uint64_t size = std::min(
          kStagingMax, std::max({need, 2 * stagingBytes_, kStagingMin}));
      if (staging_)
        d_->cuMemFreeHost(staging_);
      staging_ = nullptr;
      stagingBytes_ = 0;
      void *p = nullptr;
      CUresult r = d_->cuMemHostAlloc(&p, size, 0);
      if (r != CUDA_SUCCESS) {
        if (isStickyError(r))
          return check(r, "cuMemHostAlloc", where);
        // Pinned memory is a limited resource; copies still work without.
        pinnedUnavailable_ = true;
        return static_cast<char *>(nullptr);
      }
      staging_ = p;
      stagingBytes_ = size;
    }
    stagingUsed_ = need;
    return static_cast<char *>(staging_);
  }

  /// The driver's current context is per thread: set ours before each use.
  Status activate(const std::string &where) {
    return check(d_->cuCtxSetCurrent(ctx_), "cuCtxSetCurrent", where);
  }

  /// PTX for sm_XY runs on devices of compute capability X.Y and later.
  Status checkArch(const std::string &arch, const std::string &source) const {
    int want = 0;
    for (size_t i = 3;
         i < arch.size() && std::isdigit(static_cast<unsigned char>(arch[i]));
         ++i)
      want = want * 10 + (arch[i] - '0');
    int have = ccMajor_ * 10 + ccMinor_;
    if (want > have)
      return Status::error(source, " was compiled for ", arch, ", but ", name_,
                           " is sm_", have, ": recompile it for sm_", have);
    return Status::success();
  }

  const CudaDriver *d_;
  bool syncEachLaunch_;
  CUdevice dev_ = 0;
  CUcontext ctx_ = nullptr;
  CUstream stream_ = nullptr;
  CUmodule module_ = nullptr;
  int ccMajor_ = 0, ccMinor_ = 0;
  std::string name_;
  std::unordered_map<std::string, CUfunction> kernels_;
  std::string broken_;
  bool capturing_ = false;
  static constexpr uint64_t kStagingMin = 1 << 20, kStagingMax = 64 << 20;
  void *staging_ = nullptr;
  uint64_t stagingBytes_ = 0, stagingUsed_ = 0;
  bool pinnedUnavailable_ = false;
};

} // namespace

Expected<std::unique_ptr<Device>>
createCudaDevice(const DeviceOptions &options) {
  TC_ASSIGN_OR_RETURN(const CudaDriver *driver, CudaDriver::get());
  auto device = std::make_unique<CudaDevice>(driver, options);
  TC_RETURN_IF_ERROR(device->init());
  return std::unique_ptr<Device>(std::move(device));
}

Status probeCuda() {
  Expected<const CudaDriver *> driver = CudaDriver::get();
  return driver ? Status::success() : driver.status();
}

} // namespace tensorc
