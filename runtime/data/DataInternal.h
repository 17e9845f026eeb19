//===- DataInternal.h - Helpers shared by the data loader's files ---------===//

#ifndef TENSORC_RUNTIME_DATA_DATAINTERNAL_H
#define TENSORC_RUNTIME_DATA_DATAINTERNAL_H

#include "Philox.h"
#include "tensorc/data.h"

#include <cstdint>
#include <string>

namespace tensorc::data {

/// Stream tags (the last counter word is hi32(b) ^ tag), so that the
/// shuffle, the text windows and the param initializers of one seed draw
/// from different Philox blocks.
constexpr uint32_t kShuffleTag = 0x73687566; // "shuf"
constexpr uint32_t kTextTag = 0x74657874;    // "text"

/// Draw `a` of stream (seed, tag, b): block a / 2 of Philox4x32-10 with key
/// (lo32(seed), hi32(seed)) and counter (lo32(a / 2), hi32(a / 2), lo32(b),
/// hi32(b) ^ tag); words 2(a % 2) and 2(a % 2) + 1 are its high and low
/// halves.
inline uint64_t randomWord(uint64_t seed, uint32_t tag, uint64_t a,
                           uint64_t b) {
  uint64_t k = a / 2;
  PhiloxBlock block = philox4x32(
      {static_cast<uint32_t>(k), static_cast<uint32_t>(k >> 32),
       static_cast<uint32_t>(b), static_cast<uint32_t>(b >> 32) ^ tag},
      {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)});
  size_t w = 2 * (a % 2);
  return (static_cast<uint64_t>(block[w]) << 32) | block[w + 1];
}

/// floor(r * n / 2^64): uniform in [0, n) up to a bias below n / 2^64
/// (Lemire's multiply-shift, without the rejection step, so that every draw
/// is one word).
inline uint64_t boundedDraw(uint64_t r, uint64_t n) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(r) * n) >> 64);
}

/// Whether `path` names an existing regular file.
bool isFile(const std::string &path);

/// `t` converted to `dtype`. Integer targets need integral values in range;
/// `what` names the tensor in messages.
Expected<HostTensor> convertTensor(const HostTensor &t, DType dtype,
                                   const std::string &what);

/// Checks that integer labels lie in [0, numClasses).
Status checkLabels(const HostTensor &labels, int64_t numClasses,
                   const std::string &what);

} // namespace tensorc::data

#endif // TENSORC_RUNTIME_DATA_DATAINTERNAL_H
