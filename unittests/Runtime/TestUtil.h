//===- TestUtil.h - Random inputs and temporary files for runtime tests
//----===//

#ifndef TENSORC_UNITTESTS_RUNTIME_TESTUTIL_H
#define TENSORC_UNITTESTS_RUNTIME_TESTUTIL_H

#include "tensorc/status.h"

#include "gtest/gtest.h"

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace tensorc::testing {

/// A fresh seed per run (TENSORC_TEST_SEED repeats one); tests print it on
/// failure through TC_TRACE_SEED.
inline uint64_t testSeed() {
  static uint64_t seed = []() -> uint64_t {
    if (const char *env = std::getenv("TENSORC_TEST_SEED"))
      return std::strtoull(env, nullptr, 10);
    return static_cast<uint64_t>(
        std::chrono::steady_clock::now().time_since_epoch().count());
  }();
  return seed;
}

#define TC_TRACE_SEED()                                                        \
  SCOPED_TRACE("random seed " +                                                \
               std::to_string(::tensorc::testing::testSeed()) +                \
               " (rerun with TENSORC_TEST_SEED=" +                             \
               std::to_string(::tensorc::testing::testSeed()) + ")")

/// Uniform in [-2, -0.25] u [0.25, 2]: never zero, so that a kernel that
/// skips an element cannot pass by accident.
inline std::vector<float> randomFloats(size_t n, std::mt19937_64 &rng) {
  std::uniform_real_distribution<float> mag(0.25f, 2.0f);
  std::vector<float> v(n);
  for (float &x : v)
    x = (rng() & 1 ? 1.0f : -1.0f) * mag(rng);
  return v;
}

/// Unwraps an Expected in a test, failing with its message.
#define TC_ASSERT_OK_AND_ASSIGN(lhs, expr)                                     \
  TC_ASSERT_OK_AND_ASSIGN_IMPL(TC_TEST_CONCAT(tcTestValue_, __LINE__), lhs,    \
                               expr)
#define TC_TEST_CONCAT_IMPL(a, b) a##b
#define TC_TEST_CONCAT(a, b) TC_TEST_CONCAT_IMPL(a, b)
#define TC_ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr)                           \
  auto tmp = (expr);                                                           \
  ASSERT_TRUE(tmp.ok()) << tmp.status().message();                             \
  lhs = std::move(*tmp)

#define TC_ASSERT_OK(expr)                                                     \
  do {                                                                         \
    ::tensorc::Status tcTestStatus_ = (expr);                                  \
    ASSERT_TRUE(tcTestStatus_.ok()) << tcTestStatus_.message();                \
  } while (0)

/// The error message of a result that must have failed.
template <typename T> std::string errorOf(const T &result) {
  if (result.ok())
    return "<unexpected success>";
  if constexpr (std::is_same_v<T, Status>)
    return result.message();
  else
    return result.status().message();
}

/// A fresh directory under the test temporary directory.
inline std::string makeTempDir() {
  const char *base = std::getenv("TMPDIR");
  std::string dir = std::string(base ? base : "/tmp") + "/tensorc-rt-XXXXXX";
  if (!mkdtemp(dir.data()))
    return "";
  return dir;
}

} // namespace tensorc::testing

#endif // TENSORC_UNITTESTS_RUNTIME_TESTUTIL_H
