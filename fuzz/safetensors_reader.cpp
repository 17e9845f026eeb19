//===- safetensors_reader.cpp - Fuzz target: safetensors files ------------===//
//
// Any input must be decoded or refused with an error; never a crash, a hang,
// an out-of-bounds read or an allocation the input's size does not justify.
// A decoded file must hold tensors whose bytes match their dtype and shape,
// and must survive encode -> decode unchanged (the writer accepts whatever
// the reader accepts).
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck.h"
#include "tensorc/safetensors.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace tensorc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes(reinterpret_cast<const char *>(data), size);
  Expected<Safetensors> decoded = decodeSafetensors(bytes, "fuzz.safetensors");
  if (!decoded) {
    FUZZ_CHECK(!decoded.status().message().empty(), "an empty error");
    return 0;
  }
  uint64_t total = 0;
  for (const auto &[name, tensor] : decoded->tensors) {
    FUZZ_CHECK(fuzz::sizeMatchesShape(tensor), name.c_str());
    total += tensor.byteSize();
  }
  FUZZ_CHECK(total <= size, "more tensor bytes than input bytes");

  Expected<std::string> encoded = encodeSafetensors(*decoded);
  FUZZ_CHECK(encoded.ok(), encoded.status().message().c_str());
  Expected<Safetensors> again = decodeSafetensors(*encoded, "re-encoded");
  FUZZ_CHECK(again.ok(), again.status().message().c_str());
  FUZZ_CHECK(again->metadata == decoded->metadata, "metadata changed");
  FUZZ_CHECK(again->tensors.size() == decoded->tensors.size(),
             "tensor count changed");
  for (const auto &[name, tensor] : decoded->tensors) {
    auto it = again->tensors.find(name);
    FUZZ_CHECK(it != again->tensors.end(), name.c_str());
    FUZZ_CHECK(fuzz::sameTensor(tensor, it->second), name.c_str());
  }
  // The writer's output is canonical: a second round trip is byte-identical.
  Expected<std::string> twice = encodeSafetensors(*again);
  FUZZ_CHECK(twice.ok() && *twice == *encoded, "encoding is not canonical");
  return 0;
}
