//===- DTypeTest.cpp - Element types, f16/bf16 conversions, HostTensor
//-----===//

#include "TestUtil.h"
#include "tensorc/tensor.h"

#include <cmath>
#include <limits>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

TEST(DTypeTest, NamesAndSizes) {
  for (DType d : {DType::F32, DType::F16, DType::BF16, DType::F64, DType::I32,
                  DType::I64, DType::Bool}) {
    Expected<DType> back = parseDType(dtypeName(d));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, d);
  }
  EXPECT_EQ(dtypeSize(DType::BF16), 2u);
  EXPECT_EQ(dtypeSize(DType::Bool), 1u);
  EXPECT_EQ(errorOf(parseDType("float")),
            "unknown element type 'float' (expected f32, f16, bf16, f64, i32, "
            "i64 or bool)");
}

TEST(DTypeTest, HalfKnownValues) {
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65519.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00);
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -24)), 0x0001);
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -25)), 0x0000); // ties to even
  EXPECT_EQ(floatToHalf(std::ldexp(3.0f, -25)), 0x0002);
  EXPECT_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3c00); // tie, even
  EXPECT_EQ(floatToHalf(1.0f + std::ldexp(3.0f, -11)), 0x3c02); // tie, even
  EXPECT_EQ(floatToHalf(std::numeric_limits<float>::infinity()), 0x7c00);
  EXPECT_EQ(floatToHalf(std::nanf("")) & 0x7c00, 0x7c00);
  EXPECT_NE(floatToHalf(std::nanf("")) & 0x3ff, 0);
  EXPECT_EQ(floatToBFloat16(1.0f), 0x3f80);
  EXPECT_EQ(floatToBFloat16(1.0f + std::ldexp(1.0f, -8)), 0x3f80); // tie
  EXPECT_EQ(floatToBFloat16(1.0f + std::ldexp(3.0f, -8)), 0x3f82); // tie
  EXPECT_TRUE(std::isnan(bfloat16ToFloat(floatToBFloat16(std::nanf("")))));
}

TEST(DTypeTest, EverySixteenBitValueRoundTrips) {
  for (uint32_t bits = 0; bits < 65536; ++bits) {
    uint16_t h = static_cast<uint16_t>(bits);
    float f = halfToFloat(h);
    if (std::isnan(f))
      EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(f))));
    else
      EXPECT_EQ(floatToHalf(f), h) << std::hex << bits;
    float g = bfloat16ToFloat(h);
    if (!std::isnan(g))
      EXPECT_EQ(floatToBFloat16(g), h) << std::hex << bits;
  }
}

TEST(DTypeTest, HalfRoundsToNearest) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  std::uniform_real_distribution<float> dist(-70000.0f, 70000.0f);
  for (int i = 0; i < 100000; ++i) {
    float f = dist(rng) * (i % 2 ? 1.0f : 1e-4f);
    float h = halfToFloat(floatToHalf(f));
    if (std::fabs(f) >= 65520.0f) {
      EXPECT_TRUE(std::isinf(h)) << f;
      continue;
    }
    // No other half is closer to f.
    uint16_t bits = floatToHalf(f);
    for (int d : {-1, 1}) {
      uint16_t other = static_cast<uint16_t>(bits + d);
      float o = halfToFloat(other);
      if ((other & 0x7fff) <= 0x7bff && ((other ^ bits) & 0x8000) == 0)
        EXPECT_LE(std::fabs(h - f), std::fabs(o - f)) << f;
    }
  }
}

TEST(DTypeTest, HostTensor) {
  TC_ASSERT_OK_AND_ASSIGN(
      HostTensor t, HostTensor::fromVector<int32_t>({2, 2}, {1, 2, 3, 4}));
  EXPECT_EQ(t.typeString(), "i32[2, 2]");
  EXPECT_EQ(t.numel(), 4);
  EXPECT_EQ(t.data<int32_t>()[3], 4);
  EXPECT_EQ(errorOf(HostTensor::fromVector<float>({2, 3}, {1, 2})),
            "a f32[2, 3] tensor holds 24 bytes, given 8");
  EXPECT_EQ(errorOf(HostTensor::zeros(DType::F32, {2, -1})),
            "shape [2, -1]: dim 1 is negative");
  EXPECT_EQ(errorOf(HostTensor::zeros(DType::F32, {INT64_MAX, 2})),
            "shape [9223372036854775807, 2]: the element count overflows 64 "
            "bits");
  EXPECT_EQ(errorOf(HostTensor::zeros(DType::F64, {INT64_MAX / 4})),
            "a f64[2305843009213693951] tensor is too large");
  HostTensor scalar;
  EXPECT_EQ(scalar.typeString(), "f32[]");
  EXPECT_EQ(scalar.numel(), 1);
}

} // namespace
