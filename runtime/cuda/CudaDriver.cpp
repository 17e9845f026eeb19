//===- CudaDriver.cpp - libcuda.so.1, loaded at run time
//-------------------===//

#include "CudaDriver.h"
#include "../Support.h"

#include <dlfcn.h>

namespace tensorc::cuda {

namespace {
Expected<const CudaDriver *> load() {
  // Never dlclose'd: the driver lives as long as the process.
  void *lib = ::dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *err = ::dlerror();
    return Status::error("no CUDA driver: dlopen(\"libcuda.so.1\") failed (",
                         err ? err : "unknown reason",
                         "); is the NVIDIA driver installed?");
  }
  static CudaDriver driver;
#define TC_CU_SYM(name, symbol, ...)                                           \
  driver.name = reinterpret_cast<decltype(driver.name)>(::dlsym(lib, symbol)); \
  if (!driver.name)                                                            \
    return Status::error("the CUDA driver libcuda.so.1 lacks ", symbol,        \
                         "; the driver is too old");
#include "CudaSymbols.def"

  int version = 0;
  driver.cuDriverGetVersion(&version);
  CUresult r = driver.cuInit(0);
  if (r != CUDA_SUCCESS)
    return Status::error(
        "the CUDA driver (version ", version / 1000, ".", version % 1000 / 10,
        ") did not initialise: cuInit ", "failed with ", driver.describe(r),
        r == CUDA_ERROR_NO_DEVICE ? "; no GPU is visible" : "");
  int count = 0;
  TC_RETURN_IF_ERROR(
      driver.check(driver.cuDeviceGetCount(&count), "cuDeviceGetCount"));
  if (count == 0)
    return Status::error("the CUDA driver sees no GPU");
  return &driver;
}
} // namespace

Expected<const CudaDriver *> CudaDriver::get() {
  static Expected<const CudaDriver *> driver = load();
  return driver;
}

std::string CudaDriver::describe(CUresult result) const {
  const char *name = nullptr, *text = nullptr;
  if (cuGetErrorName(result, &name) != CUDA_SUCCESS || !name)
    name = "an unknown CUDA error";
  if (cuGetErrorString(result, &text) != CUDA_SUCCESS || !text)
    text = "no description";
  return concat(name, " (", result, "): ", text);
}

Status CudaDriver::check(CUresult result, const char *call) const {
  if (result == CUDA_SUCCESS)
    return Status::success();
  return Status::error(call, " failed with ", describe(result));
}

bool isStickyError(CUresult result) {
  switch (result) {
  case CUDA_ERROR_ILLEGAL_ADDRESS:
  case CUDA_ERROR_LAUNCH_TIMEOUT:
  case CUDA_ERROR_ASSERT:
  case CUDA_ERROR_HARDWARE_STACK_ERROR:
  case CUDA_ERROR_ILLEGAL_INSTRUCTION:
  case CUDA_ERROR_MISALIGNED_ADDRESS:
  case CUDA_ERROR_INVALID_ADDRESS_SPACE:
  case CUDA_ERROR_INVALID_PC:
  case CUDA_ERROR_LAUNCH_FAILED:
    return true;
  default:
    return false;
  }
}

} // namespace tensorc::cuda
