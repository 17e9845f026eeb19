//===- APITestUtil.h - A small model, its reference, temporary dirs -------===//

#ifndef TENSORC_UNITTESTS_API_APITESTUTIL_H
#define TENSORC_UNITTESTS_API_APITESTUTIL_H

#include "tensorc/tensorc.h"

#include "gtest/gtest.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace tensorc::testing {

/// y = relu(x @ w + b) with a symbolic batch; random params.
inline const char *kTinySource = R"(# A layer for the API tests.
model Tiny {
  dim B
  param w: f32[8, 4] = kaiming_uniform
  param b: f32[4] = uniform(-1, 1)

  fn forward(x: f32[B, 8]) -> f32[B, 4] {
    return relu(x @ w + b)
  }
}
)";

/// A fresh seed per run (TENSORC_TEST_SEED repeats one).
inline uint64_t testSeed() {
  static uint64_t seed = []() -> uint64_t {
    if (const char *env = std::getenv("TENSORC_TEST_SEED"))
      return std::strtoull(env, nullptr, 10);
    return static_cast<uint64_t>(
        std::chrono::steady_clock::now().time_since_epoch().count());
  }();
  return seed;
}

/// Random f32[batch, 8], never zero.
inline HostTensor randomInput(int64_t batch, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> mag(0.25f, 2.0f);
  std::vector<float> v(static_cast<size_t>(batch * 8));
  for (float &x : v)
    x = (rng() & 1 ? 1.0f : -1.0f) * mag(rng);
  return *HostTensor::fromVector<float>({batch, 8}, v);
}

/// A CPU session of `model` with 2 threads and params from `seed`; null
/// (after a failed expectation) if it cannot be made.
inline std::unique_ptr<Session> newSession(const Model &model, uint64_t seed) {
  SessionOptions options;
  options.device = DeviceKind::Cpu;
  options.seed = seed;
  options.cpuThreads = 2;
  auto session = model.newSession(options);
  EXPECT_TRUE(session.ok()) << session.status().message();
  return session.ok() ? std::move(*session) : nullptr;
}

/// Runs `forward` of `model` on `x` with params from `seed`, checks the
/// result against relu(x @ w + b) computed here, and returns it.
inline std::vector<float> runAndCheck(const Model &model, const HostTensor &x,
                                      uint64_t seed) {
  SessionOptions options;
  options.seed = seed;
  options.device = DeviceKind::Cpu;
  auto session = model.newSession(options);
  EXPECT_TRUE(session.ok()) << session.status().message();
  if (!session.ok())
    return {};
  auto outputs = (*session)->run("forward", {{"x", x}});
  EXPECT_TRUE(outputs.ok()) << outputs.status().message();
  if (!outputs.ok())
    return {};
  const HostTensor &y = outputs->begin()->second;
  int64_t batch = x.shape()[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{batch, 4}));
  auto w = (*session)->getParam("w");
  auto b = (*session)->getParam("b");
  EXPECT_TRUE(w.ok() && b.ok());
  if (!w.ok() || !b.ok() || y.shape() != std::vector<int64_t>{batch, 4})
    return {};
  const float *xs = x.data<float>(), *ws = w->data<float>(),
              *bs = b->data<float>(), *ys = y.data<float>();
  bool positive = false;
  for (int64_t i = 0; i < batch; ++i)
    for (int64_t j = 0; j < 4; ++j) {
      double acc = bs[j];
      for (int64_t k = 0; k < 8; ++k)
        acc += double(xs[i * 8 + k]) * ws[k * 4 + j];
      double want = std::max(acc, 0.0);
      EXPECT_NEAR(ys[i * 4 + j], want, 1e-5 * (1 + std::fabs(want)))
          << "at [" << i << ", " << j << "]";
      positive |= want > 0;
    }
  // Each output is cut by relu with chance 1/2: a batch of 1 (4 outputs) is
  // all zero in one seed of 16, but 16 outputs all zero (chance 2^-16) means
  // the inputs or params are degenerate and the check proves nothing.
  if (batch * 4 >= 16)
    EXPECT_TRUE(positive) << "relu cut everything: the check proves nothing";
  return std::vector<float>(ys, ys + batch * 4);
}

/// A temporary directory, removed with its contents at the end of scope.
class TempDir {
public:
  TempDir() {
    const char *tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp && *tmp ? tmp : "/tmp") + "/tensorc-api-XXXXXX";
    path_ = mkdtemp(pattern.data()) ? pattern : "";
    EXPECT_FALSE(path_.empty()) << "mkdtemp failed";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string &path() const { return path_; }

private:
  std::string path_;
};

/// Logs of one compile.
struct LogCapture {
  std::vector<std::pair<LogLevel, std::string>> lines;
  LogFn fn() {
    return [this](LogLevel level, const std::string &message) {
      lines.emplace_back(level, message);
    };
  }
  bool has(LogLevel level, const std::string &part) const {
    for (const auto &[l, m] : lines)
      if (l == level && m.find(part) != std::string::npos)
        return true;
    return false;
  }
  std::string all() const {
    std::string text;
    for (const auto &[l, m] : lines)
      text += (l == LogLevel::Debug ? "debug: " : "warning: ") + m + "\n";
    return text;
  }
};

} // namespace tensorc::testing

#endif // TENSORC_UNITTESTS_API_APITESTUTIL_H
