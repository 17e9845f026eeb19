//===- Shuffle.cpp - The per-epoch order of a dataset ---------------------===//
//
// Fisher-Yates from the last position down: draw t = n - 1 - i picks
// j = boundedDraw(randomWord(seed, "shuf", t, epoch), i + 1) and swaps
// positions i and j. Integer arithmetic only, so every machine and compiler
// gives the same order.
//
//===----------------------------------------------------------------------===//

#include "DataInternal.h"

#include <numeric>
#include <utility>

namespace tensorc {

std::vector<int64_t> shuffledOrder(int64_t n, uint64_t seed, uint64_t epoch) {
  std::vector<int64_t> order(n > 0 ? static_cast<size_t>(n) : 0);
  std::iota(order.begin(), order.end(), int64_t(0));
  for (int64_t i = n - 1; i > 0; --i) {
    uint64_t t = static_cast<uint64_t>(n - 1 - i);
    uint64_t r = data::randomWord(seed, data::kShuffleTag, t, epoch);
    uint64_t j = data::boundedDraw(r, static_cast<uint64_t>(i) + 1);
    std::swap(order[i], order[j]);
  }
  return order;
}

} // namespace tensorc
