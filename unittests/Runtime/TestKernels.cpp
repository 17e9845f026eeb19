//===- TestKernels.cpp - CPU kernels of TestModel.h
//------------------------===//
//
// Written as the CPU backend emits them (docs/artifact.md, "Kernel ABI"):
// args[i] points at the i-th parameter's value; the function runs blocks
// [blockBegin, blockEnd) of the grid. Built into the tests (for the kernel
// resolver) and as a shared object (for dlopen).
//
//===----------------------------------------------------------------------===//

#include <algorithm>
#include <atomic>
#include <cstdint>

extern "C" {

std::atomic<int64_t> tensorcTestLaunchedBlocks{0};

// t[i] = x[i] + y[i] + w[i % cols] for i < n, 32 elements per block.
void add3(void **args, const int64_t *grid, int64_t blockBegin,
          int64_t blockEnd) {
  const float *x = *static_cast<const float **>(args[0]);
  const float *y = *static_cast<const float **>(args[1]);
  const float *w = *static_cast<const float **>(args[2]);
  float *t = *static_cast<float **>(args[3]);
  int64_t n = *static_cast<const int64_t *>(args[4]);
  int64_t cols = *static_cast<const int64_t *>(args[5]);
  for (int64_t b = blockBegin; b < blockEnd; ++b)
    for (int64_t i = b * 32; i < std::min(n, b * 32 + 32); ++i)
      t[i] = x[i] + y[i] + w[i % cols];
  tensorcTestLaunchedBlocks += blockEnd - blockBegin;
}

// sum[r] = the sum of row r of v, one row per block.
void rowsum(void **args, const int64_t *grid, int64_t blockBegin,
            int64_t blockEnd) {
  const float *v = *static_cast<const float **>(args[0]);
  float *sum = *static_cast<float **>(args[1]);
  int64_t cols = *static_cast<const int64_t *>(args[2]);
  for (int64_t r = blockBegin; r < blockEnd; ++r) {
    float s = 0;
    for (int64_t c = 0; c < cols; ++c)
      s += v[r * cols + c];
    sum[r] = s;
  }
  tensorcTestLaunchedBlocks += blockEnd - blockBegin;
}

} // extern "C"
