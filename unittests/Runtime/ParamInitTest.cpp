//===- ParamInitTest.cpp - Parameter initializers and the generator
//--------===//

#include "runtime/ParamInit.h"
#include "TestUtil.h"
#include "runtime/Philox.h"

#include <cmath>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

ParamInfo param(InitKind kind, std::vector<double> args,
                std::vector<int64_t> shape = {1 << 20}, int64_t fanIn = 0,
                int64_t fanOut = 0, DType dtype = DType::F32,
                std::string name = "p") {
  ParamInfo p;
  p.name = std::move(name);
  p.dtype = dtype;
  p.shape = std::move(shape);
  p.numel = *shapeNumel(p.shape);
  p.bytes = static_cast<uint64_t>(p.numel) * dtypeSize(dtype);
  p.init.kind = kind;
  p.init.args = std::move(args);
  p.init.fanIn = fanIn;
  p.init.fanOut = fanOut;
  return p;
}

struct Stats {
  double mean = 0, std = 0, min = INFINITY, max = -INFINITY;
  double withinOneStd = 0; // fraction of values within mean +- std
  double lagCorrelation = 0;
};

Stats stats(const HostTensor &t) {
  const float *v = t.data<float>();
  int64_t n = t.numel();
  Stats s;
  for (int64_t i = 0; i < n; ++i) {
    s.mean += v[i];
    s.min = std::min<double>(s.min, v[i]);
    s.max = std::max<double>(s.max, v[i]);
  }
  s.mean /= static_cast<double>(n);
  double cov = 0;
  for (int64_t i = 0; i < n; ++i) {
    double d = v[i] - s.mean;
    s.std += d * d;
    if (i + 1 < n)
      cov += d * (v[i + 1] - s.mean);
  }
  s.lagCorrelation = cov / s.std;
  s.std = std::sqrt(s.std / static_cast<double>(n));
  for (int64_t i = 0; i < n; ++i)
    s.withinOneStd += std::fabs(v[i] - s.mean) <= s.std;
  s.withinOneStd /= static_cast<double>(n);
  return s;
}

Stats initStats(const ParamInfo &p) {
  Expected<HostTensor> t = initialParamValue(p, testSeed());
  EXPECT_TRUE(t.ok()) << errorOf(t);
  return t ? stats(*t) : Stats();
}

TEST(ParamInitTest, PhiloxKnownAnswers) {
  // Random123's kat_vectors for philox4x32_10.
  EXPECT_EQ(philox4x32({0, 0, 0, 0}, {0, 0}),
            (PhiloxBlock{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(philox4x32({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
                       {0xffffffff, 0xffffffff}),
            (PhiloxBlock{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(philox4x32({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
                       {0xa4093822, 0x299f31d0}),
            (PhiloxBlock{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

// 2^20 samples: tolerances are about five standard errors.
TEST(ParamInitTest, Normal) {
  TC_TRACE_SEED();
  Stats s = initStats(param(InitKind::Normal, {0.5, 2}));
  EXPECT_NEAR(s.mean, 0.5, 0.01);
  EXPECT_NEAR(s.std, 2.0, 0.01);
  EXPECT_NEAR(s.withinOneStd, 0.6827, 0.003);
  EXPECT_NEAR(s.lagCorrelation, 0, 0.005);
  EXPECT_LT(s.min, 0.5 - 4 * 2); // the tails are there
  EXPECT_GT(s.max, 0.5 + 4 * 2);
}

TEST(ParamInitTest, Uniform) {
  TC_TRACE_SEED();
  Stats s = initStats(param(InitKind::Uniform, {-3, 5}));
  EXPECT_NEAR(s.mean, 1.0, 0.015);
  EXPECT_NEAR(s.std, 8 / std::sqrt(12.0), 0.01);
  EXPECT_NEAR(s.withinOneStd, 1 / std::sqrt(3.0), 0.003);
  EXPECT_NEAR(s.lagCorrelation, 0, 0.005);
  EXPECT_GE(s.min, -3.0);
  EXPECT_LT(s.max, 5.0);
  EXPECT_LT(s.min, -3.0 + 1e-3);
  EXPECT_GT(s.max, 5.0 - 1e-3);
}

TEST(ParamInitTest, KaimingAndXavierUsePyTorchsBounds) {
  TC_TRACE_SEED();
  double bound = std::sqrt(6.0 / 784); // gain sqrt(2) * sqrt(3 / fan_in)
  Stats s =
      initStats(param(InitKind::KaimingUniform, {}, {1024, 1024}, 784, 1024));
  EXPECT_NEAR(s.mean, 0, 0.001);
  EXPECT_NEAR(s.std, bound / std::sqrt(3.0), 0.001);
  EXPECT_GE(s.min, -bound);
  EXPECT_LE(s.max, bound);
  EXPECT_LT(s.min, -bound * 0.999);

  s = initStats(param(InitKind::KaimingNormal, {}, {1024, 1024}, 100, 7));
  EXPECT_NEAR(s.mean, 0, 0.001);
  EXPECT_NEAR(s.std, std::sqrt(2.0 / 100), 0.001);
  EXPECT_NEAR(s.withinOneStd, 0.6827, 0.003);

  bound = std::sqrt(6.0 / (300 + 100));
  s = initStats(param(InitKind::XavierUniform, {}, {1024, 1024}, 300, 100));
  EXPECT_NEAR(s.std, bound / std::sqrt(3.0), 0.001);
  EXPECT_GE(s.min, -bound);
  EXPECT_LE(s.max, bound);
}

TEST(ParamInitTest, ZerosOnesAndOtherDtypes) {
  TC_ASSERT_OK_AND_ASSIGN(
      HostTensor z, initialParamValue(param(InitKind::Zeros, {}, {5}), 1));
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(z.data<float>()[i], 0.0f);
  TC_ASSERT_OK_AND_ASSIGN(
      HostTensor ones,
      initialParamValue(param(InitKind::Ones, {}, {3}, 0, 0, DType::I64), 1));
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(ones.data<int64_t>()[i], 1);
  // f16, bf16 and f64 params hold the f32 values, rounded.
  ParamInfo f32 = param(InitKind::Normal, {0, 1}, {1000});
  TC_ASSERT_OK_AND_ASSIGN(HostTensor ref, initialParamValue(f32, 7));
  for (DType d : {DType::F16, DType::BF16, DType::F64}) {
    ParamInfo p = f32;
    p.dtype = d;
    TC_ASSERT_OK_AND_ASSIGN(HostTensor t, initialParamValue(p, 7));
    for (int i = 0; i < 1000; ++i) {
      float want = ref.data<float>()[i];
      const auto *bits = static_cast<const uint16_t *>(t.data());
      if (d == DType::F16)
        EXPECT_EQ(bits[i], floatToHalf(want));
      else if (d == DType::BF16)
        EXPECT_EQ(bits[i], floatToBFloat16(want));
      else
        EXPECT_NEAR(t.data<double>()[i], want, 1e-6);
    }
  }
  EXPECT_EQ(errorOf(initialParamValue(
                param(InitKind::Normal, {0, 1}, {2}, 0, 0, DType::I32), 1)),
            "param 'p': a random initializer needs a floating-point type, "
            "given i32");
  EXPECT_EQ(errorOf(initialParamValue(
                param(InitKind::Seed, {}, {}, 0, 0, DType::F32), 1)),
            "param 'p': the seed initializer needs i32, given f32");
}

TEST(ParamInitTest, FullHoldsItsValueInEveryDtype) {
  // 65536 is the first loss scale of f16 training (docs/training.md); it
  // must be exact, not the largest value below it as uniform would give.
  for (DType d : {DType::F32, DType::F64, DType::F16, DType::BF16}) {
    for (double v : {65536.0, -0.375}) {
      TC_ASSERT_OK_AND_ASSIGN(
          HostTensor t,
          initialParamValue(param(InitKind::Full, {v}, {7}, 0, 0, d), 3));
      for (int i = 0; i < 7; ++i) {
        if (d == DType::F32)
          EXPECT_EQ(t.data<float>()[i], static_cast<float>(v));
        else if (d == DType::F64)
          EXPECT_EQ(t.data<double>()[i], v);
        else if (d == DType::F16 && v != 65536.0) // 65536 > f16's max
          EXPECT_EQ(static_cast<const uint16_t *>(t.data())[i],
                    floatToHalf(static_cast<float>(v)));
        else if (d == DType::BF16)
          EXPECT_EQ(static_cast<const uint16_t *>(t.data())[i],
                    floatToBFloat16(static_cast<float>(v)));
      }
    }
  }
}

TEST(ParamInitTest, DeterministicBySeedAndName) {
  TC_TRACE_SEED();
  uint64_t seed = testSeed();
  ParamInfo p = param(InitKind::Normal, {0, 1}, {4097});
  TC_ASSERT_OK_AND_ASSIGN(HostTensor a, initialParamValue(p, seed));
  TC_ASSERT_OK_AND_ASSIGN(HostTensor b, initialParamValue(p, seed));
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.byteSize()), 0);
  TC_ASSERT_OK_AND_ASSIGN(HostTensor c, initialParamValue(p, seed + 1));
  EXPECT_NE(std::memcmp(a.data(), c.data(), a.byteSize()), 0);
  p.name = "q";
  TC_ASSERT_OK_AND_ASSIGN(HostTensor d, initialParamValue(p, seed));
  EXPECT_NE(std::memcmp(a.data(), d.data(), a.byteSize()), 0);
  // A prefix of the tensor does not depend on its size.
  p.name = "p";
  p.shape = {100};
  TC_ASSERT_OK_AND_ASSIGN(HostTensor e, initialParamValue(p, seed));
  EXPECT_EQ(std::memcmp(a.data(), e.data(), e.byteSize()), 0);
  // Fixed seeds give fixed values (docs/runtime.md): a change to the
  // generator must be a deliberate, visible one.
  ParamInfo fixed =
      param(InitKind::Uniform, {0, 1}, {3}, 0, 0, DType::F64, "w");
  TC_ASSERT_OK_AND_ASSIGN(HostTensor u, initialParamValue(fixed, 0));
  EXPECT_EQ(u.data<double>()[0], 0.98963112198828806);
  EXPECT_EQ(u.data<double>()[1], 0.4306787265438905);
  EXPECT_EQ(u.data<double>()[2], 0.40315751388343801);
  fixed.init.kind = InitKind::Normal;
  TC_ASSERT_OK_AND_ASSIGN(HostTensor n, initialParamValue(fixed, 42));
  // Box-Muller goes through libm's log, sqrt, cos and sin.
  EXPECT_NEAR(n.data<double>()[0], -0.055260387747381665, 1e-15);
  EXPECT_NEAR(n.data<double>()[1], 0.38571804959594691, 1e-15);
  EXPECT_NEAR(n.data<double>()[2], -0.91255777452466336, 1e-15);
}

} // namespace
