//===- Philox.h - The Philox4x32-10 counter-based generator
//----------------===//
//
// Salmon et al., "Parallel random numbers: as easy as 1, 2, 3" (SC'11), as in
// Random123 and cuRAND. Counter-based: element i of a tensor is a pure
// function of (key, i), so initialisation is deterministic, needs no state
// and could run in parallel or on the GPU with the same numbers.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_RUNTIME_PHILOX_H
#define TENSORC_RUNTIME_PHILOX_H

#include <array>
#include <cstdint>

namespace tensorc {

using PhiloxBlock = std::array<uint32_t, 4>;
using PhiloxKey = std::array<uint32_t, 2>;

inline PhiloxBlock philox4x32(PhiloxBlock ctr, PhiloxKey key) {
  constexpr uint32_t kM0 = 0xD2511F53, kM1 = 0xCD9E8D57;
  constexpr uint32_t kW0 = 0x9E3779B9, kW1 = 0xBB67AE85;
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = static_cast<uint64_t>(kM0) * ctr[0];
    uint64_t p1 = static_cast<uint64_t>(kM1) * ctr[2];
    ctr = {static_cast<uint32_t>(p1 >> 32) ^ ctr[1] ^ key[0],
           static_cast<uint32_t>(p1),
           static_cast<uint32_t>(p0 >> 32) ^ ctr[3] ^ key[1],
           static_cast<uint32_t>(p0)};
    key[0] += kW0;
    key[1] += kW1;
  }
  return ctr;
}

} // namespace tensorc

#endif // TENSORC_RUNTIME_PHILOX_H
