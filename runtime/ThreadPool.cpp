//===- ThreadPool.cpp - Split a range across a few threads
//-----------------===//

#include "ThreadPool.h"

#include <algorithm>

namespace tensorc {

ThreadPool::ThreadPool(unsigned size) {
  for (unsigned i = 1; i < size; ++i)
    workers_.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread &t : workers_)
    t.join();
}

void ThreadPool::shareOf(int64_t total, unsigned shares, unsigned index,
                         int64_t &begin, int64_t &end) {
  // The first `total % shares` shares get one more; no product can overflow.
  int64_t base = total / shares, extra = total % shares;
  begin = base * index + std::min<int64_t>(index, extra);
  end = begin + base + (static_cast<int64_t>(index) < extra ? 1 : 0);
}

void ThreadPool::runRanges(uint64_t generation,
                           const std::function<void(int64_t, int64_t)> &fn,
                           int64_t total, unsigned shares) {
  for (;;) {
    uint64_t next = next_.load();
    do {
      if ((next >> 32) != (generation & 0xffffffffu) ||
          (next & 0xffffffffu) >= shares)
        return;
    } while (!next_.compare_exchange_weak(next, next + 1));
    int64_t begin, end;
    shareOf(total, shares, static_cast<unsigned>(next & 0xffffffffu), begin,
            end);
    fn(begin, end);
    if (finished_.fetch_add(1) + 1 == shares) {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.notify_one();
    }
  }
}

void ThreadPool::parallelFor(int64_t total,
                             const std::function<void(int64_t, int64_t)> &fn) {
  if (total <= 0)
    return;
  unsigned shares = static_cast<unsigned>(std::min<int64_t>(
      total, static_cast<int64_t>(size()) * kRangesPerThread));
  if (size() == 1 || shares == 1) {
    fn(0, total);
    return;
  }
  uint64_t generation;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    fn_ = &fn;
    total_ = total;
    shares_ = shares;
    generation = ++generation_;
    finished_.store(0);
    next_.store((generation & 0xffffffffu) << 32);
  }
  wake_.notify_all();
  runRanges(generation, fn, total, shares);
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return finished_.load() == shares; });
  fn_ = nullptr;
}

void ThreadPool::workerLoop() {
  uint64_t seen = 0;
  for (;;) {
    const std::function<void(int64_t, int64_t)> *fn;
    int64_t total;
    unsigned shares;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_)
        return;
      seen = generation_;
      fn = fn_;
      total = total_;
      shares = shares_;
    }
    if (fn)
      runRanges(seen, *fn, total, shares);
  }
}

} // namespace tensorc
