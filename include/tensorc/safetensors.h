//===- safetensors.h - Hugging Face safetensors files -----------*- C++ -*-===//
//
// https://huggingface.co/docs/safetensors: an 8-byte little-endian header
// length N, N bytes of JSON (an object mapping each tensor's name to its
// "dtype", "shape" and "data_offsets" in the data that follows, and an
// optional "__metadata__" map of strings), then the tensors' bytes, packed,
// little-endian and row-major. Reading checks every part of a file and says
// what is wrong with which tensor; writing produces the bytes the reference
// implementation writes, atomically.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_SAFETENSORS_H
#define TENSORC_SAFETENSORS_H

#include "tensorc/status.h"
#include "tensorc/tensor.h"

#include <cstdint>
#include <map>
#include <string>

namespace tensorc {

/// The contents of a safetensors file.
struct Safetensors {
  std::map<std::string, HostTensor> tensors;
  /// The "__metadata__" map (free-form strings).
  std::map<std::string, std::string> metadata;
};

/// The largest header a reader accepts, as in the reference implementation:
/// a longer one means a corrupt or hostile file.
constexpr uint64_t kSafetensorsMaxHeaderBytes = 100'000'000;

/// "F32", "BF16", "BOOL", ...: the safetensors spelling of a dtype.
const char *safetensorsDTypeName(DType dtype);

/// Decodes a whole file held in memory; `source` names it in messages.
Expected<Safetensors>
decodeSafetensors(const std::string &bytes,
                  const std::string &source = "safetensors data");
/// Encodes the tensors (sorted by decreasing alignment, then by name, as the
/// reference implementation does) with the header padded to 8 bytes.
Expected<std::string> encodeSafetensors(const Safetensors &contents);

/// Reads and checks a file; each tensor is read straight into its own
/// memory, so a file is never held twice.
Expected<Safetensors> readSafetensors(const std::string &path);
/// Writes atomically: a temporary file beside `path`, then a rename; on
/// failure nothing is left behind and an existing `path` is untouched.
Status writeSafetensors(const std::string &path, const Safetensors &contents);

} // namespace tensorc

#endif // TENSORC_SAFETENSORS_H
