//===- CudaDriver.h - libcuda.so.1, loaded at run time
//---------------------===//
//
// As IREE does: the driver's entry points are found with dlsym, through the
// X-macro table in CudaSymbols.def, so that the runtime links nothing of CUDA
// and runs (on the CPU) where no driver is installed.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_RUNTIME_CUDA_CUDADRIVER_H
#define TENSORC_RUNTIME_CUDA_CUDADRIVER_H

#include "CudaApi.h"
#include "tensorc/status.h"

#include <string>

namespace tensorc::cuda {

struct CudaDriver {
#define TC_CU_SYM(name, symbol, ...) CUresult (*name)(__VA_ARGS__) = nullptr;
#include "CudaSymbols.def"

  /// Loads the driver and calls cuInit once per process; later calls return
  /// the same table, or the same error.
  static Expected<const CudaDriver *> get();

  /// "CUDA_ERROR_ILLEGAL_ADDRESS (700): an illegal memory access ...".
  std::string describe(CUresult result) const;
  /// `call` failed: "cuMemAlloc failed with CUDA_ERROR_... (2): ...".
  Status check(CUresult result, const char *call) const;
};

/// True for the errors that leave the context unusable.
bool isStickyError(CUresult result);

} // namespace tensorc::cuda

#endif // TENSORC_RUNTIME_CUDA_CUDADRIVER_H
