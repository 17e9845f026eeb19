//===- ThreadPoolTest.cpp - Splitting a grid across threads
//----------------===//

#include "runtime/ThreadPool.h"
#include "TestUtil.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

using namespace tensorc;

namespace {

TEST(ThreadPoolTest, EveryIndexRunsOnceInContiguousRanges) {
  for (unsigned size : {1u, 2u, 3u, 5u, 8u}) {
    ThreadPool pool(size);
    EXPECT_EQ(pool.size(), size);
    for (int64_t total : {0, 1, 2, 3, 7, 8, 64, 1000, 1001}) {
      std::mutex mutex;
      std::vector<std::pair<int64_t, int64_t>> ranges;
      pool.parallelFor(total, [&](int64_t begin, int64_t end) {
        std::lock_guard<std::mutex> lock(mutex);
        ranges.push_back({begin, end});
      });
      std::sort(ranges.begin(), ranges.end());
      int64_t next = 0;
      for (auto [begin, end] : ranges) {
        EXPECT_EQ(begin, next) << "size " << size << " total " << total;
        EXPECT_LT(begin, end);
        // Near-equal shares: no range is more than one longer than another.
        EXPECT_LE(end - begin, total / static_cast<int64_t>(ranges.size()) + 1);
        next = end;
      }
      EXPECT_EQ(next, total);
      int64_t shares =
          size == 1
              ? std::min<int64_t>(total, 1)
              : std::min<int64_t>(total, size * ThreadPool::kRangesPerThread);
      EXPECT_EQ(ranges.size(), static_cast<size_t>(shares));
    }
  }
}

// A thread held back in one range does not hold back the others: they take
// the remaining ranges. The first range blocks until the others are done.
TEST(ThreadPoolTest, OthersTakeTheRangesOfASlowThread) {
  ThreadPool pool(2);
  const int shares = 2 * ThreadPool::kRangesPerThread;
  std::atomic<int> started{0}, finished{0};
  std::atomic<std::thread::id> slow{};
  std::atomic<int> rangesOfSlow{0};
  pool.parallelFor(shares, [&](int64_t, int64_t) {
    if (started.fetch_add(1) == 0) {
      slow = std::this_thread::get_id();
      auto deadline =
          std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (finished.load() < shares - 1 &&
             std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (std::this_thread::get_id() == slow.load())
      ++rangesOfSlow;
    ++finished;
  });
  EXPECT_EQ(finished.load(), shares);
  EXPECT_EQ(rangesOfSlow.load(), 1);
}

TEST(ThreadPoolTest, ManyJobsInARow) {
  ThreadPool pool(4);
  std::atomic<int64_t> sum{0};
  for (int job = 0; job < 2000; ++job)
    pool.parallelFor(job % 17, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i)
        sum += i;
    });
  int64_t want = 0;
  for (int job = 0; job < 2000; ++job)
    want += (job % 17) * (job % 17 - 1) / 2;
  EXPECT_EQ(sum.load(), want);
}

} // namespace
