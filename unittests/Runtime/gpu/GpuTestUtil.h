//===- GpuTestUtil.h - Checks and helpers of RuntimeGpuTest ------*- C++
//-*-===//
//
// RuntimeGpuTest is a plain program (GoogleTest may be missing on the GPU
// machine): CHECK counts a failure and prints it, and main() exits 1 when
// any check failed.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_UNITTESTS_RUNTIME_GPU_GPUTESTUTIL_H
#define TENSORC_UNITTESTS_RUNTIME_GPU_GPUTESTUTIL_H

#include "tensorc/runtime.h"
#include "unittests/Runtime/TestModel.h"

#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace tensorc::testing {

inline int failures = 0;

#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      ++::tensorc::testing::failures;                                          \
      std::printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);              \
      std::printf("     %s\n",                                                 \
                  ::tensorc::detail::concat(__VA_ARGS__).c_str());             \
    }                                                                          \
  } while (0)

inline bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

template <typename T> std::string errorOf(const T &result) {
  if (result.ok())
    return "<unexpected success>";
  if constexpr (std::is_same_v<T, Status>)
    return result.message();
  else
    return result.status().message();
}

inline std::vector<float> randomFloats(size_t n, std::mt19937_64 &rng) {
  std::uniform_real_distribution<float> mag(0.25f, 2.0f);
  std::vector<float> v(n);
  for (float &x : v)
    x = (rng() & 1 ? 1.0f : -1.0f) * mag(rng);
  return v;
}

inline HostTensor floats(std::vector<int64_t> shape,
                         const std::vector<float> &v) {
  return *HostTensor::fromVector<float>(std::move(shape), v);
}

inline std::vector<float> values(const HostTensor &t) {
  return std::vector<float>(t.data<float>(), t.data<float>() + t.numel());
}

/// Runs `forward` on fresh random inputs and compares exactly with the
/// reference; `w` is the param's current value.
inline void checkForward(Session &session, int64_t batch,
                         const std::vector<float> &w, std::mt19937_64 &rng) {
  std::vector<float> x = randomFloats(batch * kCols, rng);
  std::vector<float> y = randomFloats(batch * kCols, rng);
  Expected<TensorMap> out =
      session.run("forward", {{"x", floats({batch, kCols}, x)},
                              {"y", floats({batch, kCols}, y)}});
  CHECK(out.ok(), "B = ", batch, ": ", errorOf(out));
  if (!out)
    return;
  std::vector<float> wantT, wantSum;
  addRowSumReference(x, y, w, batch, wantT, wantSum);
  CHECK(values(out->at("sum")) == wantSum, "B = ", batch, ": sum differs");
  CHECK(values(out->at("t")) == wantT, "B = ", batch, ": t differs");
  CHECK(out->at("t").shape() == (std::vector<int64_t>{batch, 4, 4}),
        "B = ", batch, ": t has shape ", shapeString(out->at("t").shape()));
}

/// Graphs, pinned staging and their errors, checked through the fake
/// driver's log (GraphChecks.cpp); does nothing on a real driver.
void checkGraphsWithFakeDriver(const std::shared_ptr<const Artifact> &artifact,
                               uint64_t seed, std::mt19937_64 &rng);

/// The n-th allocation, module load, copy or launch fails, for every n
/// (FaultChecks.cpp); does nothing on a real driver.
void checkFaultsWithFakeDriver(const std::shared_ptr<const Artifact> &artifact,
                               uint64_t seed, std::mt19937_64 &rng);

} // namespace tensorc::testing

#endif // TENSORC_UNITTESTS_RUNTIME_GPU_GPUTESTUTIL_H
