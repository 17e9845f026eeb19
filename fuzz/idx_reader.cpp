//===- idx_reader.cpp - Fuzz target: IDX files, gzip or not ---------------===//
//
// Any input must be decoded or refused with an error; never a crash, a hang,
// an out-of-bounds read or an allocation that the input's size does not
// justify. A decoded array must hold exactly the bytes its dims announce.
//
//===----------------------------------------------------------------------===//

#include "tensorc/data.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes(reinterpret_cast<const char *>(data), size);
  if (tensorc::isGzip(bytes)) {
    tensorc::Expected<std::string> inflated = tensorc::gunzip(bytes, "fuzz.gz");
    if (!inflated)
      return 0;
    bytes = std::move(*inflated);
  }
  tensorc::Expected<tensorc::IdxArray> array =
      tensorc::decodeIdx(bytes, "fuzz.idx");
  if (!array)
    return 0;
  uint64_t numel = 1;
  for (int64_t d : array->dims)
    numel *= static_cast<uint64_t>(d);
  if (array->dims.empty() || numel != array->data.size())
    std::abort();
  return 0;
}
