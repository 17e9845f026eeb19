//===- FakeCudaDriver.cpp - A libcuda.so.1 stand-in for machines without GPU
//===//
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
//===----------------------------------------------------------------------===//

#include "runtime/cuda/CudaApi.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

// The runtime's own declarations of the driver types, so that the signatures
// below are exactly those the runtime calls through (UBSan checks that).
using namespace tensorc::cuda;

namespace {

constexpr CUresult kSuccess = 0, kInvalidValue = 1, kNoDevice = 100,
                   kInvalidImage = 200, kInvalidContext = 201,
                   kInvalidHandle = 400, kNotFound = 500, kIllegalAddress = 700;

CUcontext const ctxToken = reinterpret_cast<CUcontext>(0x1000);
CUstream const streamToken = reinterpret_cast<CUstream>(0x2000);
CUmodule const moduleToken = reinterpret_cast<CUmodule>(0x3000);
std::map<uint64_t, uint64_t> allocations; // base -> size
std::string ptx;
CUresult sticky = kSuccess;
bool pendingFault = false;

/// True when [p, p + bytes) lies inside one live allocation.
bool valid(uint64_t p, uint64_t bytes) {
  auto it = allocations.upper_bound(p);
  if (it == allocations.begin())
    return false;
  --it;
  return p >= it->first && p + bytes <= it->first + it->second;
}

/// A checked device access: a fault instead of touching bad memory.
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
using Kernel = void (*)(void **params, Dim3 block, Dim3 thread, Dim3 dim);

void add3(void **p, Dim3 b, Dim3 t, Dim3 dim) {
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

const std::map<std::string, Kernel> &kernels() {
  static const std::map<std::string, Kernel> table = {
      {"add3", add3}, {"rowsum", rowsum}, {"poke", poke}};
  return table;
}

CUresult live() { return sticky; }

} // namespace

extern "C" {

CUresult cuGetErrorName(CUresult r, const char **s) {
  *s = r == kSuccess          ? "CUDA_SUCCESS"
       : r == kIllegalAddress ? "CUDA_ERROR_ILLEGAL_ADDRESS"
       : r == kNotFound       ? "CUDA_ERROR_NOT_FOUND"
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
  *ctx = ctxToken;
  return kSuccess;
}
CUresult cuDevicePrimaryCtxRelease_v2(CUdevice) { return kSuccess; }
CUresult cuCtxSetCurrent(CUcontext ctx) {
  return ctx == ctxToken ? live() : kInvalidContext;
}
CUresult cuStreamCreate(CUstream *s, unsigned) {
  *s = streamToken;
  return live();
}
CUresult cuStreamDestroy_v2(CUstream) { return live(); }
CUresult cuStreamSynchronize(CUstream s) {
  if (s != streamToken)
    return kInvalidHandle;
  if (pendingFault)
    sticky = kIllegalAddress;
  return live();
}
CUresult cuModuleLoadDataEx(CUmodule *m, const void *image, unsigned n,
                            CUjit_option *options, void **values) {
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
  auto it = kernels().find(name);
  if (m != moduleToken || it == kernels().end() ||
      ptx.find(std::string(".entry ") + name) == std::string::npos)
    return kNotFound;
  *f = reinterpret_cast<CUfunction>(it->second);
  return live();
}
CUresult cuFuncGetAttribute(int *v, CUfunction_attribute attribute,
                            CUfunction) {
  *v = attribute == 0 ? 1024 : 0;
  return live();
}
CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t bytes) {
  if (sticky)
    return sticky;
  if (bytes == 0)
    return kInvalidValue;
  void *m = std::malloc(bytes);
  *p = reinterpret_cast<uint64_t>(m);
  allocations[*p] = bytes;
  return kSuccess;
}
CUresult cuMemFree_v2(CUdeviceptr p) {
  auto it = allocations.find(p);
  if (it == allocations.end())
    return kInvalidValue;
  std::free(reinterpret_cast<void *>(p));
  allocations.erase(it);
  return live();
}
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src, size_t bytes,
                              CUstream) {
  if (sticky)
    return sticky;
  if (!valid(dst, bytes))
    return kInvalidValue;
  std::memcpy(reinterpret_cast<void *>(dst), src, bytes);
  return kSuccess;
}
CUresult cuMemcpyDtoHAsync_v2(void *dst, CUdeviceptr src, size_t bytes,
                              CUstream) {
  if (sticky)
    return sticky;
  if (!valid(src, bytes))
    return kInvalidValue;
  std::memcpy(dst, reinterpret_cast<const void *>(src), bytes);
  return kSuccess;
}
CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes,
                              CUstream) {
  if (sticky)
    return sticky;
  if (!valid(dst, bytes) || !valid(src, bytes))
    return kInvalidValue;
  std::memmove(reinterpret_cast<void *>(dst),
               reinterpret_cast<const void *>(src), bytes);
  return kSuccess;
}
CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned smem,
                        CUstream stream, void **params, void **extra) {
  if (sticky)
    return sticky;
  if (!f || stream != streamToken || extra || !params || gx * gy * gz == 0 ||
      bx * by * bz == 0 || bx * by * bz > 1024 || smem > 48 * 1024)
    return kInvalidValue;
  Kernel k = reinterpret_cast<Kernel>(f);
  Dim3 dim{bx, by, bz};
  for (unsigned z = 0; z < gz; ++z)
    for (unsigned y = 0; y < gy; ++y)
      for (unsigned x = 0; x < gx; ++x)
        for (unsigned tz = 0; tz < bz; ++tz)
          for (unsigned ty = 0; ty < by; ++ty)
            for (unsigned tx = 0; tx < bx; ++tx)
              k(params, {x, y, z}, {tx, ty, tz}, dim);
  return kSuccess; // faults surface at the next synchronization
}

} // extern "C"
