//===- FuzzCheck.h - Invariant checks shared by the fuzz targets -*- C++
//-*-===//
//
// A broken invariant must stop the fuzzer with a message, in the
// instrumented build and in the -smoke drivers (which have no sanitizer):
// FUZZ_CHECK prints what failed and aborts.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_FUZZ_FUZZCHECK_H
#define TENSORC_FUZZ_FUZZCHECK_H

#include "tensorc/tensor.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#define FUZZ_CHECK(cond, what)                                                 \
  do {                                                                         \
    if (!(cond)) {                                                             \
      std::fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", __FILE__,     \
                   __LINE__, #cond, what);                                     \
      std::abort();                                                            \
    }                                                                          \
  } while (0)

namespace tensorc::fuzz {

/// Same dtype, shape and bytes.
inline bool sameTensor(const HostTensor &a, const HostTensor &b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() &&
         a.byteSize() == b.byteSize() &&
         (a.byteSize() == 0 ||
          std::memcmp(a.data(), b.data(), a.byteSize()) == 0);
}

/// The bytes a tensor must hold for its dtype and shape.
inline bool sizeMatchesShape(const HostTensor &t) {
  Expected<int64_t> numel = shapeNumel(t.shape());
  return numel.ok() &&
         static_cast<uint64_t>(*numel) * dtypeSize(t.dtype()) == t.byteSize();
}

} // namespace tensorc::fuzz

#endif // TENSORC_FUZZ_FUZZCHECK_H
