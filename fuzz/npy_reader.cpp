//===- npy_reader.cpp - Fuzz target: NumPy .npy files ---------------------===//
//
// Any input must be decoded or refused with an error; never a crash, a hang,
// an out-of-bounds read or an allocation the input's size does not justify.
// A decoded array must hold exactly the bytes its dtype and shape announce,
// and must survive encode -> decode unchanged.
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck.h"
#include "tensorc/npy.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace tensorc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes(reinterpret_cast<const char *>(data), size);
  Expected<HostTensor> decoded = decodeNpy(bytes, "fuzz.npy");
  if (!decoded) {
    FUZZ_CHECK(!decoded.status().message().empty(), "an empty error");
    return 0;
  }
  FUZZ_CHECK(fuzz::sizeMatchesShape(*decoded), "size and shape differ");
  FUZZ_CHECK(decoded->byteSize() <= size, "more data than input bytes");

  Expected<std::string> encoded = encodeNpy(*decoded);
  FUZZ_CHECK(encoded.ok(), encoded.status().message().c_str());
  Expected<HostTensor> again = decodeNpy(*encoded, "re-encoded");
  FUZZ_CHECK(again.ok(), again.status().message().c_str());
  FUZZ_CHECK(fuzz::sameTensor(*decoded, *again), "round trip changed it");
  return 0;
}
