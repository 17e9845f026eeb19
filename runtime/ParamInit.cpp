//===- ParamInit.cpp - Parameter initializers
//------------------------------===//
//
// Element i uses Philox block i / 2 (two 53-bit uniforms per block, or one
// Box-Muller pair for the normal kinds), with the counter
// (lo32(i / 2), hi32(i / 2), lo32(h), hi32(h)) where h is the FNV-1a hash of
// the param's name, and the key (lo32(seed), hi32(seed)).
//
//===----------------------------------------------------------------------===//

#include "ParamInit.h"
#include "Philox.h"
#include "Support.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace tensorc {

namespace {

uint64_t fnv1a(const std::string &s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

class Stream {
public:
  Stream(uint64_t seed, const std::string &name)
      : key_{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)},
        salt_(fnv1a(name)) {}

  PhiloxBlock block(uint64_t index) const {
    return philox4x32(
        {static_cast<uint32_t>(index), static_cast<uint32_t>(index >> 32),
         static_cast<uint32_t>(salt_), static_cast<uint32_t>(salt_ >> 32)},
        key_);
  }

  /// Uniform in [0, 1), 53 bits.
  double uniform(uint64_t i) const {
    PhiloxBlock b = block(i / 2);
    uint64_t bits =
        (static_cast<uint64_t>(b[2 * (i % 2)]) << 32) | b[2 * (i % 2) + 1];
    return static_cast<double>(bits >> 11) * 0x1p-53;
  }

  /// Standard normal (Box-Muller; elements 2k and 2k+1 share a block).
  double normal(uint64_t i) const {
    PhiloxBlock b = block(i / 2);
    uint64_t a = (static_cast<uint64_t>(b[0]) << 32) | b[1];
    uint64_t c = (static_cast<uint64_t>(b[2]) << 32) | b[3];
    double u1 = static_cast<double>((a >> 11) + 1) * 0x1p-53; // (0, 1]
    double u2 = static_cast<double>(c >> 11) * 0x1p-53;       // [0, 1)
    double r = std::sqrt(-2.0 * std::log(u1));
    double theta = 2.0 * M_PI * u2;
    return i % 2 ? r * std::sin(theta) : r * std::cos(theta);
  }

private:
  PhiloxKey key_;
  uint64_t salt_;
};

/// The largest value of `dtype` that is below `b` (as a double): storing
/// anything at most this never rounds up to `b`.
double largestBelow(DType dtype, double b) {
  switch (dtype) {
  case DType::F64:
    return std::nextafter(b, -std::numeric_limits<double>::infinity());
  case DType::F32: {
    float f = static_cast<float>(b);
    if (static_cast<double>(f) >= b)
      f = std::nextafter(f, -std::numeric_limits<float>::infinity());
    return f;
  }
  case DType::F16:
  case DType::BF16: {
    // Step the 16-bit pattern of b (rounded) down until it is below b.
    auto encode = [&](float v) {
      return dtype == DType::F16 ? floatToHalf(v) : floatToBFloat16(v);
    };
    auto decode = [&](uint16_t bits) {
      return dtype == DType::F16 ? halfToFloat(bits) : bfloat16ToFloat(bits);
    };
    uint16_t bits = encode(static_cast<float>(b));
    for (int step = 0; step < 4 && decode(bits) >= b; ++step)
      bits = (bits & 0x8000) ? (bits == 0x8000 ? 0x8001 : bits + 1)
                             : (bits == 0 ? 0x8001 : bits - 1);
    return decode(bits);
  }
  default:
    return b;
  }
}

void store(HostTensor &t, int64_t i, double v) {
  switch (t.dtype()) {
  case DType::F32:
    static_cast<float *>(t.data())[i] = static_cast<float>(v);
    break;
  case DType::F64:
    static_cast<double *>(t.data())[i] = v;
    break;
  case DType::F16:
    static_cast<uint16_t *>(t.data())[i] = floatToHalf(static_cast<float>(v));
    break;
  case DType::BF16:
    static_cast<uint16_t *>(t.data())[i] =
        floatToBFloat16(static_cast<float>(v));
    break;
  case DType::I32:
    static_cast<int32_t *>(t.data())[i] = static_cast<int32_t>(v);
    break;
  case DType::I64:
    static_cast<int64_t *>(t.data())[i] = static_cast<int64_t>(v);
    break;
  case DType::Bool:
    static_cast<uint8_t *>(t.data())[i] = v != 0;
    break;
  }
}

} // namespace

Expected<HostTensor> initialParamValue(const ParamInfo &p, uint64_t seed) {
  TC_ASSIGN_OR_RETURN(HostTensor t, HostTensor::zeros(p.dtype, p.shape));
  const ParamInit &init = p.init;
  if (init.kind == InitKind::Seed) {
    // Stored as its bits: an i32 holds the 32-bit key word exactly.
    uint32_t word = static_cast<uint32_t>(seed ^ (seed >> 32));
    if (p.dtype != DType::I32)
      return Status::error("param '", p.name,
                           "': the seed initializer needs i32, given ",
                           dtypeName(p.dtype));
    for (int64_t i = 0; i < t.numel(); ++i)
      std::memcpy(static_cast<int32_t *>(t.data()) + i, &word, sizeof word);
    return t;
  }
  if (init.kind != InitKind::Zeros && init.kind != InitKind::Ones &&
      !isFloatDType(p.dtype))
    return Status::error("param '", p.name,
                         "': a random initializer needs a "
                         "floating-point type, given ",
                         dtypeName(p.dtype));
  if (init.kind == InitKind::Full) {
    for (int64_t i = 0; i < t.numel(); ++i)
      store(t, i, init.args[0]);
    return t;
  }
  Stream stream(seed, p.name);
  int64_t n = t.numel();
  double a = 0, b = 1; // uniform: [a, b); normal: mean a, std b
  bool normal = false;
  switch (init.kind) {
  case InitKind::Zeros:
  case InitKind::Seed: // handled above
  case InitKind::Full: // handled above
    return t;
  case InitKind::Ones:
    for (int64_t i = 0; i < n; ++i)
      store(t, i, 1.0);
    return t;
  case InitKind::Normal:
    normal = true;
    a = init.args[0];
    b = init.args[1];
    break;
  case InitKind::Uniform:
    a = init.args[0];
    b = init.args[1];
    break;
  case InitKind::KaimingUniform: // gain sqrt(2), bound gain * sqrt(3 / fan_in)
    b = std::sqrt(6.0 / static_cast<double>(init.fanIn));
    a = -b;
    break;
  case InitKind::KaimingNormal: // std gain / sqrt(fan_in)
    normal = true;
    a = 0;
    b = std::sqrt(2.0 / static_cast<double>(init.fanIn));
    break;
  case InitKind::XavierUniform:
    b = std::sqrt(6.0 / (static_cast<double>(init.fanIn) +
                         static_cast<double>(init.fanOut)));
    a = -b;
    break;
  }
  double below = normal ? 0 : largestBelow(p.dtype, b);
  for (int64_t i = 0; i < n; ++i) {
    uint64_t k = static_cast<uint64_t>(i);
    if (normal) {
      store(t, i, a + b * stream.normal(k));
      continue;
    }
    // a + (b - a) * u is below b, but rounding to the element type can make
    // it b; uniform values stay in [a, b).
    store(t, i, std::min(a + (b - a) * stream.uniform(k), below));
  }
  return t;
}

} // namespace tensorc
