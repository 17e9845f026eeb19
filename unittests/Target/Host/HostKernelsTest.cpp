//===- HostKernelsTest.cpp - Runs the CPU reference kernels ---------------===//
//
// Compiles test/Target/Inputs/cpu-kernels.mlir with the JIT and as a shared
// object, calls each kernel through the CPU ABI (args, grid, [begin, end))
// on fresh random inputs with the grid split into uneven ranges, and compares
// with plain C++.
//
//===----------------------------------------------------------------------===//

#include "unittests/Target/TargetTestUtil.h"

#include "compiler/Target/Host/HostJIT.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <deque>
#include <dlfcn.h>
#include <random>
#include <thread>
#include <vector>

using namespace tensorc::target;
using tensorc::target::testing::KernelModule;

namespace {

/// The kernels compiled once for the suite, both ways.
struct Compiled {
  std::unique_ptr<llvm::DefaultThreadPool> pool; // outlives the context
  std::unique_ptr<KernelModule> input;
  std::unique_ptr<HostKernels> jit;
  llvm::SmallString<128> dir;
  void *library = nullptr;
};
Compiled *compiled = nullptr;

/// `args` as the runtime passes it: each entry points at the value.
class Args {
public:
  template <typename T> Args &buffer(std::vector<T> &data) {
    pointers.push_back(data.data());
    slots.push_back(&pointers.back());
    return *this;
  }
  Args &size(int64_t value) {
    sizes.push_back(value);
    slots.push_back(&sizes.back());
    return *this;
  }
  void **data() { return slots.data(); }

private:
  std::deque<void *> pointers; // deques keep the addresses stable
  std::deque<int64_t> sizes;
  std::vector<void *> slots;
};

class HostKernelsTest : public ::testing::TestWithParam<const char *> {
public:
  static void SetUpTestSuite() {
    compiled = new Compiled;
    compiled->input = KernelModule::fromInput("cpu-kernels.mlir");
    ASSERT_TRUE(compiled->input->module) << compiled->input->diagnostics;
    // Three threads, so that the kernels compile in three shards (three
    // engines, three object files linked into one) on any machine.
    compiled->pool = std::make_unique<llvm::DefaultThreadPool>(
        llvm::hardware_concurrency(3));
    compiled->input->context->disableMultithreading();
    compiled->input->context->setThreadPool(*compiled->pool);
    auto shards = splitHostKernels(*compiled->input->module, HostOptions());
    ASSERT_TRUE(succeeded(shards));
    ASSERT_EQ(shards->size(), 3u);
    auto jit = HostKernels::create(*compiled->input->module);
    ASSERT_TRUE(succeeded(jit)) << compiled->input->diagnostics;
    compiled->jit = std::move(*jit);

    ASSERT_FALSE(
        llvm::sys::fs::createUniqueDirectory("tc-host-test", compiled->dir));
    llvm::SmallString<128> path = compiled->dir;
    llvm::sys::path::append(path, "kernels.so");
    ASSERT_TRUE(
        succeeded(writeHostSharedObject(*compiled->input->module, path)))
        << compiled->input->diagnostics;
    compiled->library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(compiled->library, nullptr) << dlerror();
  }

  static void TearDownTestSuite() {
    if (compiled->library)
      dlclose(compiled->library);
    llvm::sys::fs::remove_directories(compiled->dir);
    delete compiled;
    compiled = nullptr;
  }

protected:
  HostKernelFn kernel(const char *name) {
    void *fn = std::strcmp(GetParam(), "jit") == 0
                   ? compiled->jit->lookup(name)
                   : dlsym(compiled->library, name);
    EXPECT_NE(fn, nullptr) << name;
    return reinterpret_cast<HostKernelFn>(fn);
  }

  /// Runs the grid in `parts` uneven ranges, some of them empty.
  static void launch(HostKernelFn fn, Args &args, std::array<int64_t, 3> grid,
                     int parts = 3) {
    int64_t total = grid[0] * grid[1] * grid[2];
    int64_t begin = 0;
    for (int p = 1; p <= parts; ++p) {
      int64_t end = total * p * p / (parts * parts);
      fn(args.data(), grid.data(), begin, end);
      begin = end;
    }
  }

  std::mt19937 rng{12345};
  std::vector<float> random(size_t n, float lo = -4, float hi = 4) {
    std::uniform_real_distribution<float> dist(lo, hi);
    std::vector<float> v(n);
    for (float &x : v)
      x = dist(rng);
    return v;
  }
};

TEST_P(HostKernelsTest, BiasRelu) {
  HostKernelFn fn = kernel("bias_relu");
  ASSERT_NE(fn, nullptr);
  for (int64_t m : {1, 7, 1000, 4097})
    for (int64_t n : {1, 3, 256})
      for (int64_t blocks : {int64_t(1), int64_t(5), m}) {
        std::vector<float> x = random(m), b = random(n), y(m, -1);
        Args args;
        args.buffer(x).buffer(b).buffer(y).size(m).size(n);
        launch(fn, args, {blocks, 1, 1});
        for (int64_t i = 0; i < m; ++i)
          ASSERT_EQ(y[i], std::max(x[i] + b[i % n], 0.0f))
              << "m=" << m << " n=" << n << " i=" << i;
      }
}

TEST_P(HostKernelsTest, SoftmaxRows) {
  HostKernelFn fn = kernel("softmax_rows");
  ASSERT_NE(fn, nullptr);
  for (int64_t rows : {1, 3, 17})
    for (int64_t n : {1, 5, 128, 1001}) {
      std::vector<float> x = random(rows * n, -10, 10), y(rows * n, -1);
      Args args;
      args.buffer(x).buffer(y).size(rows).size(n);
      launch(fn, args, {rows, 1, 1});
      for (int64_t r = 0; r < rows; ++r) {
        const float *row = &x[r * n];
        double max = *std::max_element(row, row + n), sum = 0;
        for (int64_t j = 0; j < n; ++j)
          sum += std::exp(double(row[j]) - max);
        for (int64_t j = 0; j < n; ++j) {
          double want = std::exp(double(row[j]) - max) / sum;
          ASSERT_NEAR(y[r * n + j], want, 1e-5 * want)
              << "rows=" << rows << " n=" << n << " at " << r << "," << j;
        }
      }
    }
}

TEST_P(HostKernelsTest, MatmulTiled) {
  HostKernelFn fn = kernel("matmul_tiled");
  ASSERT_NE(fn, nullptr);
  struct Shape {
    int64_t batch, M, N, K;
  };
  for (Shape s : {Shape{1, 1, 1, 1}, Shape{2, 17, 5, 33}, Shape{3, 16, 16, 16},
                  Shape{1, 40, 31, 7}}) {
    std::vector<float> a = random(s.batch * s.M * s.K),
                       b = random(s.batch * s.K * s.N),
                       c(s.batch * s.M * s.N, -1);
    Args args;
    args.buffer(a).buffer(b).buffer(c).size(s.M).size(s.N).size(s.K);
    launch(fn, args, {(s.N + 15) / 16, (s.M + 15) / 16, s.batch}, 4);
    for (int64_t z = 0; z < s.batch; ++z)
      for (int64_t i = 0; i < s.M; ++i)
        for (int64_t j = 0; j < s.N; ++j) {
          double want = 0, scale = 0;
          for (int64_t k = 0; k < s.K; ++k) {
            double p =
                double(a[(z * s.M + i) * s.K + k]) * b[(z * s.K + k) * s.N + j];
            want += p;
            scale += std::fabs(p);
          }
          // Relative to the terms' magnitude: sums may cancel.
          ASSERT_NEAR(c[(z * s.M + i) * s.N + j], want, 1e-5 * scale)
              << "batch " << z << " at " << i << "," << j;
        }
  }
}

TEST_P(HostKernelsTest, MixedTypes) {
  HostKernelFn fn = kernel("mixed_types");
  ASSERT_NE(fn, nullptr);
  std::uniform_int_distribution<int32_t> ints(-2, 2);
  for (int64_t m : {1, 9, 333}) {
    std::vector<float> hf = random(m, -3, 3);
    std::vector<_Float16> h(m), y(m, _Float16(-7));
    std::vector<int32_t> l(m);
    for (int64_t i = 0; i < m; ++i) {
      h[i] = _Float16(hf[i]);
      l[i] = ints(rng);
    }
    Args args;
    args.buffer(h).buffer(l).buffer(y).size(m);
    launch(fn, args, {m, 1, 1});
    for (int64_t i = 0; i < m; ++i) {
      float e = std::erf(float(h[i])), lf = float(l[i]);
      _Float16 want = _Float16(e > lf ? e : lf);
      ASSERT_EQ(std::memcmp(&y[i], &want, sizeof want), 0)
          << "i=" << i << " got " << float(y[i]) << " want " << float(want);
    }
  }
}

TEST_P(HostKernelsTest, MathFunctions) {
  HostKernelFn fn = kernel("math_funcs");
  ASSERT_NE(fn, nullptr);
  for (int64_t m : {1, 2, 1025}) {
    std::vector<float> x = random(m, -6, 6), erf(m), tanh(m), exp(m), log(m);
    Args args;
    args.buffer(x).buffer(erf).buffer(tanh).buffer(exp).buffer(log).size(m);
    launch(fn, args, {m, 1, 1});
    for (int64_t i = 0; i < m; ++i) {
      ASSERT_EQ(erf[i], std::erf(x[i])) << x[i];
      ASSERT_EQ(tanh[i], std::tanh(x[i])) << x[i];
      ASSERT_EQ(exp[i], std::exp(x[i])) << x[i];
      ASSERT_EQ(log[i], std::log(std::fabs(x[i]) + 0.5f)) << x[i];
    }
  }
}

TEST_P(HostKernelsTest, UnstructuredBodyOn2DGrid) {
  HostKernelFn fn = kernel("scale_cf");
  ASSERT_NE(fn, nullptr);
  for (int64_t m : {1, 13, 100}) {
    int64_t gx = 7, gy = (m + gx - 1) / gx;
    std::vector<float> x = random(m), y(m, -1);
    Args args;
    args.buffer(x).buffer(y).size(m);
    launch(fn, args, {gx, gy, 1}, 5);
    for (int64_t i = 0; i < m; ++i)
      ASSERT_EQ(y[i], x[i] + x[i]) << "m=" << m << " i=" << i;
  }
}

TEST_P(HostKernelsTest, EmptyRangeRunsNothing) {
  HostKernelFn fn = kernel("bias_relu");
  ASSERT_NE(fn, nullptr);
  std::vector<float> x = random(4), b = random(4), y(4, -1);
  Args args;
  args.buffer(x).buffer(b).buffer(y).size(4).size(4);
  std::array<int64_t, 3> grid = {4, 1, 1};
  fn(args.data(), grid.data(), 2, 2);
  EXPECT_EQ(y, std::vector<float>(4, -1));
  fn(args.data(), grid.data(), 1, 2); // block 1 only
  EXPECT_EQ(y[0], -1);
  EXPECT_EQ(y[1], std::max(x[1] + b[1], 0.0f));
  EXPECT_EQ(y[2], -1);
}

// The runtime splits a grid across threads: stack buffers keep the ranges
// independent.
TEST_P(HostKernelsTest, ConcurrentRanges) {
  HostKernelFn fn = kernel("matmul_tiled");
  ASSERT_NE(fn, nullptr);
  int64_t batch = 3, M = 50, N = 45, K = 20;
  std::vector<float> a = random(batch * M * K), b = random(batch * K * N),
                     c(batch * M * N, -1), serial(batch * M * N, -1);
  Args args, serialArgs;
  args.buffer(a).buffer(b).buffer(c).size(M).size(N).size(K);
  serialArgs.buffer(a).buffer(b).buffer(serial).size(M).size(N).size(K);
  std::array<int64_t, 3> grid = {(N + 15) / 16, (M + 15) / 16, batch};
  int64_t total = grid[0] * grid[1] * grid[2];
  std::vector<std::thread> threads;
  for (int64_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      fn(args.data(), grid.data(), total * t / 4, total * (t + 1) / 4);
    });
  for (std::thread &thread : threads)
    thread.join();
  fn(serialArgs.data(), grid.data(), 0, total);
  EXPECT_EQ(c, serial);
}

// As many shards as the option allows and the context has threads (the suite
// above checks the kernels of three shards).
TEST(HostShards, ShardCountFollowsThreadsAndOption) {
  llvm::DefaultThreadPool pool(llvm::hardware_concurrency(4));
  auto input = KernelModule::fromInput("cpu-kernels.mlir");
  ASSERT_TRUE(input->module) << input->diagnostics;
  mlir::MLIRContext &context = *input->context;
  auto count = [&](unsigned maxShards) -> size_t {
    HostOptions opts;
    opts.shards = maxShards;
    auto shards = splitHostKernels(*input->module, opts);
    EXPECT_TRUE(succeeded(shards)) << input->diagnostics;
    return succeeded(shards) ? shards->size() : 0;
  };
  context.disableMultithreading();
  EXPECT_EQ(count(8), 1u);
  context.setThreadPool(pool);
  // Shards are balanced by size: a large kernel can leave one part empty.
  EXPECT_GE(count(8), 3u);
  EXPECT_LE(count(8), 4u);
  EXPECT_EQ(count(2), 2u);
  EXPECT_EQ(count(0), 1u); // 0 means 1, not none
  context.disableMultithreading();
}

INSTANTIATE_TEST_SUITE_P(Backends, HostKernelsTest,
                         ::testing::Values("jit", "so"), [](const auto &info) {
                           return std::string(info.param);
                         });

} // namespace
