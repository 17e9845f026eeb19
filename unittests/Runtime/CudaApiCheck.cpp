//===- CudaApiCheck.cpp - runtime/cuda/ agrees with cuda.h
//-----------------===//
//
// The runtime declares the driver API itself (it must build without the CUDA
// toolkit). Where the toolkit is installed, this file checks at compile time
// that every entry of CudaSymbols.def has cuda.h's signature and exported
// symbol, and that every constant has cuda.h's value.
//
//===----------------------------------------------------------------------===//

#include <cuda.h>

#include "runtime/cuda/CudaApi.h"
#include "tensorc/runtime.h"

#include "gtest/gtest.h"

#include <type_traits>

namespace {

constexpr bool sameString(const char *a, const char *b) {
  return *a == *b && (*a == '\0' || sameString(a + 1, b + 1));
}

#define TC_STRINGIFY_IMPL(x) #x
#define TC_STRINGIFY(x) TC_STRINGIFY_IMPL(x)
// `name` expands through cuda.h's macros (cuMemAlloc -> cuMemAlloc_v2), so
// this compares our symbol with the one cuda.h selects, and our parameter
// types, read in the global namespace, with cuda.h's declaration.
#define TC_CU_SYM(name, symbol, ...)                                           \
  static_assert(sameString(TC_STRINGIFY(name), symbol),                        \
                "wrong exported symbol for " #name);                           \
  static_assert(                                                               \
      std::is_same<CUresult (*)(__VA_ARGS__), decltype(&name)>::value,         \
      "wrong signature for " #name);
#include "runtime/cuda/CudaSymbols.def"

#define TC_SAME_VALUE(constant)                                                \
  static_assert(static_cast<long long>(tensorc::cuda::constant) ==             \
                    static_cast<long long>(::constant),                        \
                #constant " differs from cuda.h");
TC_SAME_VALUE(CUDA_SUCCESS)
TC_SAME_VALUE(CUDA_ERROR_NO_DEVICE)
TC_SAME_VALUE(CUDA_ERROR_ILLEGAL_ADDRESS)
TC_SAME_VALUE(CUDA_ERROR_LAUNCH_TIMEOUT)
TC_SAME_VALUE(CUDA_ERROR_ASSERT)
TC_SAME_VALUE(CUDA_ERROR_HARDWARE_STACK_ERROR)
TC_SAME_VALUE(CUDA_ERROR_ILLEGAL_INSTRUCTION)
TC_SAME_VALUE(CUDA_ERROR_MISALIGNED_ADDRESS)
TC_SAME_VALUE(CUDA_ERROR_INVALID_ADDRESS_SPACE)
TC_SAME_VALUE(CUDA_ERROR_INVALID_PC)
TC_SAME_VALUE(CUDA_ERROR_LAUNCH_FAILED)
TC_SAME_VALUE(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
TC_SAME_VALUE(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)
TC_SAME_VALUE(CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK)
TC_SAME_VALUE(CU_JIT_INFO_LOG_BUFFER)
TC_SAME_VALUE(CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES)
TC_SAME_VALUE(CU_JIT_ERROR_LOG_BUFFER)
TC_SAME_VALUE(CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES)
TC_SAME_VALUE(CU_STREAM_DEFAULT)
TC_SAME_VALUE(CU_STREAM_CAPTURE_MODE_THREAD_LOCAL)
static_assert(sizeof(tensorc::cuda::CUdeviceptr) == sizeof(::CUdeviceptr));
static_assert(sizeof(tensorc::cuda::CUresult) == sizeof(::CUresult));
static_assert(sizeof(tensorc::cuda::CUstreamCaptureMode) ==
              sizeof(::CUstreamCaptureMode));

TEST(CudaApiCheck, DeclarationsMatchCudaH) {
  // The checks above are static; this records that they were compiled.
  SUCCEED();
}

} // namespace
