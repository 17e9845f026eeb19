//===- ThreadPool.cpp - Split a range across a few threads
//-----------------===//

#include "ThreadPool.h"

#include <algorithm>

namespace tensorc {

ThreadPool::ThreadPool(unsigned size) {
  for (unsigned i = 1; i < size; ++i)
    workers_.emplace_back([this, i] { workerLoop(i); });
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

void ThreadPool::parallelFor(int64_t total,
                             const std::function<void(int64_t, int64_t)> &fn) {
  if (total <= 0)
    return;
  unsigned shares = static_cast<unsigned>(
      std::min<int64_t>(total, static_cast<int64_t>(size())));
  if (shares == 1) {
    fn(0, total);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    fn_ = &fn;
    total_ = total;
    shares_ = shares;
    pending_ = shares - 1;
    ++generation_;
  }
  wake_.notify_all();
  int64_t begin, end;
  shareOf(total, shares, 0, begin, end);
  fn(begin, end);
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [this] { return pending_ == 0; });
  fn_ = nullptr;
}

void ThreadPool::workerLoop(unsigned index) {
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
    if (index < shares) {
      int64_t begin, end;
      shareOf(total, shares, index, begin, end);
      (*fn)(begin, end);
      std::lock_guard<std::mutex> lock(mutex_);
      if (--pending_ == 0)
        done_.notify_one();
    }
  }
}

} // namespace tensorc
