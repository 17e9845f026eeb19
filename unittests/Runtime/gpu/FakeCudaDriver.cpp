//===- FakeCudaDriver.cpp - A libcuda.so.1 stand-in without a GPU ---------===//
//
// Exports the driver entry points that runtime/cuda/CudaSymbols.def names and
// emulates them on the host: memory is malloc'ed and every access checked
// against the live allocations; the kernels of kernels.cu (add3, rowsum,
// poke) run as C++ over the whole grid; an out-of-bounds access becomes a
// sticky CUDA_ERROR_ILLEGAL_ADDRESS reported at the next synchronization, as
// on a GPU. RuntimeGpuTest runs against it (LD_LIBRARY_PATH) so that the
// runtime's CUDA code path is exercised where no GPU exists; the real driver
// semantics are checked by the same program on a GPU machine.
//
// The stream is asynchronous, as a GPU's is: launches and copies are queued
// and run at the next synchronization, with the kernel arguments copied at
// the launch. A copy from pinned memory (cuMemHostAlloc) reads its source
// when it runs, so a runtime that reuses a staging buffer too early computes
// wrong numbers here; a copy from pageable memory reads it at the call, as
// the real driver does. Stream capture records the launches and copies into
// a graph instead of queueing them, and refuses what a capture refuses
// (synchronization, allocation, host copies), invalidating the capture.
//
// For the tests, the library also exports fakeCudaTakeLog (what was called,
// one line per event), fakeCudaFailNext (make the next call of an entry
// point fail with a given error), fakeCudaFailNth and fakeCudaCalls (fault
// injection: make the n-th call of an entry point fail, count the calls) and
// fakeCudaLive (live graphs, pinned buffers, ...): GpuTest finds them with
// dlsym where this library is loaded. Without a test hook, the environment
// does the same: FAKE_CUDA_FAIL=cuMemAlloc_v2:3,cuLaunchKernel:1:719 makes
// the third cuMemAlloc_v2 fail with CUDA_ERROR_OUT_OF_MEMORY (the default
// error) and the first cuLaunchKernel with CUDA_ERROR_LAUNCH_FAILED.
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/CudaApi.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace tensorc::cuda;

namespace {

constexpr CUresult kSuccess = 0, kInvalidValue = 1, kOutOfMemory = 2,
                   kNoDevice = 100, kInvalidImage = 200, kInvalidContext = 201,
                   kInvalidHandle = 400, kIllegalState = 401, kNotFound = 500,
                   kIllegalAddress = 700, kCaptureUnsupported = 900,
                   kCaptureInvalidated = 901;

CUcontext const ctxToken = reinterpret_cast<CUcontext>(0x1000);
CUstream const streamToken = reinterpret_cast<CUstream>(0x2000);
CUmodule const moduleToken = reinterpret_cast<CUmodule>(0x3000);
std::map<uint64_t, uint64_t> allocations; // base -> size
std::map<uint64_t, uint64_t> pinned;      // cuMemHostAlloc: base -> size
std::string ptx;
CUresult sticky = kSuccess;
bool pendingFault = false;

using Work = std::function<void()>;
std::vector<Work> queue; // the stream: run at the next synchronization
bool capturing = false, captureInvalid = false;
std::vector<Work> captured;
struct Graph {
  std::vector<Work> nodes;
};
std::set<Graph *> graphs, execs;

std::vector<std::string> events;
std::map<std::string, CUresult> failures; // entry point -> error, once
struct NthFailure {
  long n;
  CUresult result;
};
std::map<std::string, NthFailure> nthFailures; // entry point -> when, what
std::map<std::string, long> calls; // entry point -> calls counted so far

void log(std::string event) { events.push_back(std::move(event)); }

/// FAKE_CUDA_FAIL=CALL:N[:ERROR],...: the fault injection of fakeCudaFailNth
/// for programs that cannot call it.
void readFailuresFromEnvironment() {
  static bool done = false;
  if (done)
    return;
  done = true;
  const char *env = std::getenv("FAKE_CUDA_FAIL");
  for (std::string rest = env ? env : ""; !rest.empty();) {
    size_t comma = rest.find(',');
    std::string item = rest.substr(0, comma);
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
    size_t colon = item.find(':');
    if (colon == std::string::npos)
      continue;
    char *end = nullptr;
    long n = std::strtol(item.c_str() + colon + 1, &end, 10);
    CUresult result =
        *end == ':' ? static_cast<CUresult>(std::strtol(end + 1, nullptr, 10))
                    : kOutOfMemory;
    nthFailures[item.substr(0, colon)] = {n, result};
  }
}

/// The error injected for this call of `call`, if any; counts the call.
CUresult injected(const char *call) {
  readFailuresFromEnvironment();
  long n = ++calls[call];
  CUresult r = kSuccess;
  auto it = failures.find(call);
  if (it != failures.end()) {
    r = it->second;
    failures.erase(it);
  } else if (auto nth = nthFailures.find(call);
             nth != nthFailures.end() && nth->second.n == n) {
    r = nth->second.result;
  }
  if (r == kSuccess)
    return kSuccess;
  log(std::string("fail ") + call);
  if (capturing)
    captureInvalid = true;
  return r;
}

bool inside(const std::map<uint64_t, uint64_t> &blocks, uint64_t p,
            uint64_t bytes) {
  auto it = blocks.upper_bound(p);
  if (it == blocks.begin())
    return false;
  --it;
  return p >= it->first && p + bytes <= it->first + it->second;
}

bool valid(uint64_t p, uint64_t bytes) { return inside(allocations, p, bytes); }

bool isPinned(const void *p, uint64_t bytes) {
  return inside(pinned, reinterpret_cast<uint64_t>(p), bytes);
}

template <typename T> T *at(uint64_t base, long long index) {
  uint64_t p = base + static_cast<uint64_t>(index) * sizeof(T);
  if (index < 0 || !valid(p, sizeof(T))) {
    pendingFault = true;
    static T sink;
    return &sink;
  }
  return reinterpret_cast<T *>(p);
}

template <typename T> T param(void **params, int i) {
  T v;
  std::memcpy(&v, params[i], sizeof(T));
  return v;
}

struct Dim3 {
  unsigned x, y, z;
};
using KernelFn = void (*)(void **params, Dim3 block, Dim3 thread, Dim3 dim);

void add3(void **p, Dim3 b, Dim3 t, Dim3) {
  long long i = static_cast<long long>(b.x) * 32 + t.x;
  long long n = param<long long>(p, 4), cols = param<long long>(p, 5);
  if (i < n)
    *at<float>(param<uint64_t>(p, 3), i) =
        *at<float>(param<uint64_t>(p, 0), i) +
        *at<float>(param<uint64_t>(p, 1), i) +
        *at<float>(param<uint64_t>(p, 2), i % cols);
}

void rowsum(void **p, Dim3 b, Dim3, Dim3) {
  long long r = b.x, cols = param<long long>(p, 2);
  float s = 0;
  for (long long c = 0; c < cols; ++c)
    s += *at<float>(param<uint64_t>(p, 0), r * cols + c);
  *at<float>(param<uint64_t>(p, 1), r) = s;
}

void poke(void **p, Dim3, Dim3, Dim3) {
  *at<float>(param<uint64_t>(p, 0), param<long long>(p, 1)) = 1.0f;
}

struct Kernel {
  const char *name;
  KernelFn fn;
  int params; // every parameter of these kernels is 8 bytes
};

const std::map<std::string, Kernel> &kernels() {
  static const std::map<std::string, Kernel> table = {
      {"add3", {"add3", add3, 6}},
      {"rowsum", {"rowsum", rowsum, 3}},
      {"poke", {"poke", poke, 2}}};
  return table;
}

CUresult live() { return sticky; }

/// Runs the queued work, as a synchronization does.
CUresult drain() {
  std::vector<Work> work;
  work.swap(queue);
  for (Work &w : work)
    w();
  if (pendingFault)
    sticky = kIllegalAddress;
  return live();
}

/// Work for the stream: recorded while capturing, queued otherwise.
void submit(const std::string &what, Work work) {
  if (capturing) {
    log("capture " + what);
    captured.push_back(std::move(work));
  } else {
    log(what);
    queue.push_back(std::move(work));
  }
}

/// Calls that a capture refuses: they fail and invalidate it.
bool refusedByCapture(const char *call) {
  if (!capturing)
    return false;
  captureInvalid = true;
  log(std::string("refused during capture: ") + call);
  return true;
}

} // namespace

extern "C" {

// ---- Test hooks ------------------------------------------------------------

/// Every event since the last call, one per line.
const char *fakeCudaTakeLog() {
  static std::string text;
  text.clear();
  for (const std::string &e : events)
    text += e + "\n";
  events.clear();
  return text.c_str();
}

/// The next call of the entry point `call` (its exported name) fails with
/// `result`.
void fakeCudaFailNext(const char *call, int result) { failures[call] = result; }

/// From now on, the `n`-th call (1 for the next) of the entry point `call`
/// fails with `result`; n = 0 injects nothing. Restarts its count.
void fakeCudaFailNth(const char *call, int n, int result) {
  readFailuresFromEnvironment();
  calls[call] = 0;
  if (n > 0)
    nthFailures[call] = {n, result};
  else
    nthFailures.erase(call);
}

/// How many times `call` was called since its last fakeCudaFailNth.
int fakeCudaCalls(const char *call) {
  auto it = calls.find(call);
  return it == calls.end() ? 0 : static_cast<int>(it->second);
}

/// How many "graphs", "execs", "pinned" buffers or device "allocations" are
/// live.
int fakeCudaLive(const char *what) {
  std::string w = what;
  if (w == "graphs")
    return static_cast<int>(graphs.size());
  if (w == "execs")
    return static_cast<int>(execs.size());
  if (w == "pinned")
    return static_cast<int>(pinned.size());
  if (w == "allocations")
    return static_cast<int>(allocations.size());
  return -1;
}

// ---- The driver API --------------------------------------------------------

CUresult cuGetErrorName(CUresult r, const char **s) {
  *s = r == kSuccess              ? "CUDA_SUCCESS"
       : r == kOutOfMemory        ? "CUDA_ERROR_OUT_OF_MEMORY"
       : r == 701                 ? "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES"
       : r == 719                 ? "CUDA_ERROR_LAUNCH_FAILED"
       : r == kIllegalAddress     ? "CUDA_ERROR_ILLEGAL_ADDRESS"
       : r == kNotFound           ? "CUDA_ERROR_NOT_FOUND"
       : r == kCaptureUnsupported ? "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED"
       : r == kCaptureInvalidated ? "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED"
                                  : "CUDA_ERROR_FAKE";
  return kSuccess;
}
CUresult cuGetErrorString(CUresult r, const char **s) {
  *s = r == kIllegalAddress ? "an illegal memory access was encountered"
                            : "an error of the fake driver";
  return kSuccess;
}
CUresult cuInit(unsigned) {
  return std::getenv("FAKE_CUDA_NO_DEVICE") ? kNoDevice : kSuccess;
}
CUresult cuDriverGetVersion(int *v) {
  *v = 13000;
  return kSuccess;
}
CUresult cuDeviceGetCount(int *n) {
  *n = 1;
  return kSuccess;
}
CUresult cuDeviceGet(CUdevice *d, int ordinal) {
  *d = 0;
  return ordinal == 0 ? kSuccess : kInvalidValue;
}
CUresult cuDeviceGetName(char *name, int len, CUdevice) {
  std::strncpy(name, "Fake CUDA device", static_cast<size_t>(len));
  return kSuccess;
}
CUresult cuDeviceGetAttribute(int *v, CUdevice_attribute attribute, CUdevice) {
  *v = attribute == 75 ? 9 : attribute == 76 ? 0 : 0;
  return kSuccess;
}
CUresult cuDevicePrimaryCtxRetain(CUcontext *ctx, CUdevice) {
  if (CUresult r = injected("cuDevicePrimaryCtxRetain"))
    return r;
  *ctx = ctxToken;
  return kSuccess;
}
CUresult cuDevicePrimaryCtxRelease_v2(CUdevice) { return kSuccess; }
CUresult cuCtxSetCurrent(CUcontext ctx) {
  return ctx == ctxToken ? live() : kInvalidContext;
}
CUresult cuStreamCreate(CUstream *s, unsigned) {
  if (CUresult r = injected("cuStreamCreate"))
    return r;
  *s = streamToken;
  return live();
}
CUresult cuStreamDestroy_v2(CUstream) { return live(); }
CUresult cuStreamSynchronize(CUstream s) {
  if (s != streamToken)
    return kInvalidHandle;
  if (CUresult r = injected("cuStreamSynchronize"))
    return r;
  if (refusedByCapture("cuStreamSynchronize"))
    return kCaptureUnsupported;
  log("sync");
  return drain();
}
CUresult cuModuleLoadDataEx(CUmodule *m, const void *image, unsigned n,
                            CUjit_option *options, void **values) {
  if (CUresult r = injected("cuModuleLoadDataEx"))
    return r;
  ptx = static_cast<const char *>(image);
  if (ptx.find(".version") == std::string::npos) {
    for (unsigned i = 0; i < n; ++i)
      if (options[i] == 5) // CU_JIT_ERROR_LOG_BUFFER
        std::strcpy(static_cast<char *>(values[i]), "fake: not PTX");
    return kInvalidImage;
  }
  *m = moduleToken;
  return live();
}
CUresult cuModuleUnload(CUmodule) { return kSuccess; }
CUresult cuModuleGetFunction(CUfunction *f, CUmodule m, const char *name) {
  if (CUresult r = injected("cuModuleGetFunction"))
    return r;
  auto it = kernels().find(name);
  if (m != moduleToken || it == kernels().end() ||
      ptx.find(std::string(".entry ") + name) == std::string::npos)
    return kNotFound;
  *f = reinterpret_cast<CUfunction>(const_cast<Kernel *>(&it->second));
  return live();
}
CUresult cuFuncGetAttribute(int *v, CUfunction_attribute attribute,
                            CUfunction) {
  *v = attribute == 0 ? 1024 : 0;
  return live();
}
CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t bytes) {
  if (CUresult r = injected("cuMemAlloc_v2"))
    return r;
  if (sticky)
    return sticky;
  if (refusedByCapture("cuMemAlloc"))
    return kCaptureUnsupported;
  if (bytes == 0)
    return kInvalidValue;
  void *m = std::malloc(bytes);
  *p = reinterpret_cast<uint64_t>(m);
  allocations[*p] = bytes;
  return kSuccess;
}
CUresult cuMemFree_v2(CUdeviceptr p) {
  if (refusedByCapture("cuMemFree"))
    return kCaptureUnsupported;
  auto it = allocations.find(p);
  if (it == allocations.end())
    return kInvalidValue;
  drain(); // the real cuMemFree waits for the work that may use the memory
  std::free(reinterpret_cast<void *>(p));
  allocations.erase(it);
  return live();
}
CUresult cuMemHostAlloc(void **p, size_t bytes, unsigned flags) {
  if (CUresult r = injected("cuMemHostAlloc"))
    return r;
  if (sticky)
    return sticky;
  if (refusedByCapture("cuMemHostAlloc"))
    return kCaptureUnsupported;
  if (bytes == 0 || flags != 0)
    return kInvalidValue;
  *p = std::malloc(bytes);
  pinned[reinterpret_cast<uint64_t>(*p)] = bytes;
  log("hostalloc " + std::to_string(bytes));
  return kSuccess;
}
CUresult cuMemFreeHost(void *p) {
  if (refusedByCapture("cuMemFreeHost"))
    return kCaptureUnsupported;
  auto it = pinned.find(reinterpret_cast<uint64_t>(p));
  if (it == pinned.end())
    return kInvalidValue;
  drain(); // as cuMemFree
  std::free(p);
  pinned.erase(it);
  log("hostfree");
  return live();
}
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src, size_t bytes,
                              CUstream stream) {
  if (CUresult r = injected("cuMemcpyHtoDAsync_v2"))
    return r;
  if (sticky)
    return sticky;
  if (refusedByCapture("cuMemcpyHtoDAsync"))
    return kCaptureUnsupported;
  if (stream != streamToken || !valid(dst, bytes))
    return kInvalidValue;
  void *to = reinterpret_cast<void *>(dst);
  if (isPinned(src, bytes)) { // DMA: the source is read when the copy runs
    submit("htod pinned " + std::to_string(bytes),
           [=] { std::memcpy(to, src, bytes); });
  } else { // the driver stages pageable memory before it returns
    auto copy =
        std::make_shared<std::string>(static_cast<const char *>(src), bytes);
    submit("htod pageable " + std::to_string(bytes),
           [=] { std::memcpy(to, copy->data(), bytes); });
  }
  return kSuccess;
}
CUresult cuMemcpyDtoHAsync_v2(void *dst, CUdeviceptr src, size_t bytes,
                              CUstream stream) {
  if (CUresult r = injected("cuMemcpyDtoHAsync_v2"))
    return r;
  if (sticky)
    return sticky;
  if (refusedByCapture("cuMemcpyDtoHAsync"))
    return kCaptureUnsupported;
  if (stream != streamToken || !valid(src, bytes))
    return kInvalidValue;
  const void *from = reinterpret_cast<const void *>(src);
  if (isPinned(dst, bytes)) {
    submit("dtoh pinned " + std::to_string(bytes),
           [=] { std::memcpy(dst, from, bytes); });
    return kSuccess;
  }
  // To pageable memory the copy is synchronous: it waits for the stream.
  log("dtoh pageable " + std::to_string(bytes));
  if (CUresult r = drain())
    return r;
  std::memcpy(dst, from, bytes);
  return kSuccess;
}
CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes,
                              CUstream stream) {
  if (CUresult r = injected("cuMemcpyDtoDAsync_v2"))
    return r;
  if (sticky)
    return sticky;
  if (stream != streamToken || !valid(dst, bytes) || !valid(src, bytes))
    return kInvalidValue;
  submit("dtod " + std::to_string(bytes), [=] {
    std::memmove(reinterpret_cast<void *>(dst),
                 reinterpret_cast<const void *>(src), bytes);
  });
  return kSuccess;
}
CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned smem,
                        CUstream stream, void **params, void **extra) {
  if (CUresult r = injected("cuLaunchKernel"))
    return r;
  if (sticky)
    return sticky;
  if (!f || stream != streamToken || extra || !params || gx * gy * gz == 0 ||
      bx * by * bz == 0 || bx * by * bz > 1024 || smem > 48 * 1024)
    return kInvalidValue;
  const Kernel *k = reinterpret_cast<const Kernel *>(f);
  // The driver copies the argument values at the launch.
  std::vector<uint64_t> values(static_cast<size_t>(k->params));
  for (int i = 0; i < k->params; ++i)
    std::memcpy(&values[i], params[i], sizeof(uint64_t));
  submit(std::string("launch ") + k->name, [=]() mutable {
    std::vector<void *> args;
    for (uint64_t &v : values)
      args.push_back(&v);
    Dim3 dim{bx, by, bz};
    for (unsigned z = 0; z < gz; ++z)
      for (unsigned y = 0; y < gy; ++y)
        for (unsigned x = 0; x < gx; ++x)
          for (unsigned tz = 0; tz < bz; ++tz)
            for (unsigned ty = 0; ty < by; ++ty)
              for (unsigned tx = 0; tx < bx; ++tx)
                k->fn(args.data(), {x, y, z}, {tx, ty, tz}, dim);
  });
  return kSuccess; // faults surface at the next synchronization
}
CUresult cuStreamBeginCapture_v2(CUstream stream, CUstreamCaptureMode mode) {
  if (CUresult r = injected("cuStreamBeginCapture_v2"))
    return r;
  if (sticky)
    return sticky;
  if (stream != streamToken || mode < 0 || mode > 2)
    return kInvalidValue;
  if (capturing)
    return kIllegalState;
  capturing = true;
  captureInvalid = false;
  captured.clear();
  log("begin capture");
  return kSuccess;
}
CUresult cuStreamEndCapture(CUstream stream, CUgraph *graph) {
  if (stream != streamToken || !graph)
    return kInvalidValue;
  if (!capturing)
    return kIllegalState;
  capturing = false;
  if (CUresult r = injected("cuStreamEndCapture")) {
    *graph = nullptr;
    return r;
  }
  if (captureInvalid) {
    log("end capture: invalidated");
    *graph = nullptr;
    captured.clear();
    return kCaptureInvalidated;
  }
  auto *g = new Graph{std::move(captured)};
  captured.clear();
  graphs.insert(g);
  *graph = reinterpret_cast<CUgraph>(g);
  log("end capture: " + std::to_string(g->nodes.size()) + " nodes");
  return live();
}
CUresult cuGraphInstantiateWithFlags(CUgraphExec *exec, CUgraph graph,
                                     unsigned long long flags) {
  if (CUresult r = injected("cuGraphInstantiateWithFlags"))
    return r;
  auto *g = reinterpret_cast<Graph *>(graph);
  if (!exec || !graphs.count(g) || flags != 0)
    return kInvalidValue;
  auto *e = new Graph{g->nodes};
  execs.insert(e);
  *exec = reinterpret_cast<CUgraphExec>(e);
  log("instantiate");
  return live();
}
CUresult cuGraphLaunch(CUgraphExec exec, CUstream stream) {
  if (CUresult r = injected("cuGraphLaunch"))
    return r;
  if (sticky)
    return sticky;
  auto *e = reinterpret_cast<Graph *>(exec);
  if (stream != streamToken || !execs.count(e))
    return kInvalidValue;
  if (refusedByCapture("cuGraphLaunch"))
    return kCaptureUnsupported;
  log("graph launch");
  for (const Work &w : e->nodes)
    queue.push_back(w);
  return kSuccess;
}
CUresult cuGraphExecDestroy(CUgraphExec exec) {
  auto *e = reinterpret_cast<Graph *>(exec);
  if (!execs.erase(e))
    return kInvalidValue;
  delete e;
  log("destroy exec");
  return live();
}
CUresult cuGraphDestroy(CUgraph graph) {
  auto *g = reinterpret_cast<Graph *>(graph);
  if (!graphs.erase(g))
    return kInvalidValue;
  delete g;
  log("destroy graph");
  return live();
}

} // extern "C"
