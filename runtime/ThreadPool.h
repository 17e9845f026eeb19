//===- ThreadPool.h - Split a range across a few threads
//-------------------===//

#ifndef TENSORC_RUNTIME_THREADPOOL_H
#define TENSORC_RUNTIME_THREADPOOL_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tensorc {

/// A fixed set of threads that run one parallelFor at a time. The calling
/// thread takes a share too, so a pool of size 1 starts no thread.
class ThreadPool {
public:
  explicit ThreadPool(unsigned size);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  unsigned size() const { return static_cast<unsigned>(workers_.size()) + 1; }

  /// Calls fn(begin, end) on contiguous, near-equal ranges covering
  /// [0, total), a few per thread (fewer when total is small), and returns
  /// when all have finished. Threads take the ranges in turn, so a thread
  /// that the OS holds back (a busy machine) delays the job by one range, not
  /// by a whole share.
  void parallelFor(int64_t total,
                   const std::function<void(int64_t, int64_t)> &fn);

  /// Ranges per thread in a job.
  static constexpr unsigned kRangesPerThread = 4;

private:
  void workerLoop();
  /// Runs ranges of generation `generation` until none is left.
  void runRanges(uint64_t generation,
                 const std::function<void(int64_t, int64_t)> &fn, int64_t total,
                 unsigned shares);
  /// The range of share `index` among `shares`.
  static void shareOf(int64_t total, unsigned shares, unsigned index,
                      int64_t &begin, int64_t &end);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  uint64_t generation_ = 0;
  bool stopping_ = false;
  // The job of the current generation.
  const std::function<void(int64_t, int64_t)> *fn_ = nullptr;
  int64_t total_ = 0;
  unsigned shares_ = 0;
  /// (generation << 32) | the next range to take: a thread that read an
  /// older generation's job never takes a range of a newer one.
  std::atomic<uint64_t> next_{0};
  std::atomic<unsigned> finished_{0};
};

} // namespace tensorc

#endif // TENSORC_RUNTIME_THREADPOOL_H
