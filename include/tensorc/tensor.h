//===- tensor.h - Element types and host tensors
//---------------------------===//
//
// A HostTensor is what crosses the API: an element type, a shape and the bytes
// it owns, row-major and contiguous.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_TENSOR_H
#define TENSORC_TENSOR_H

#include "tensorc/status.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace tensorc {

/// The element types of the language (docs/language.md).
enum class DType : uint8_t { F32, F16, BF16, F64, I32, I64, Bool };

/// "f32", "bf16", ...: the spelling used in .tdsl and in manifests.
const char *dtypeName(DType dtype);
/// Parses a spelling from dtypeName; fails on anything else.
Expected<DType> parseDType(const std::string &name);
/// Bytes per element (bool is one byte).
size_t dtypeSize(DType dtype);
bool isFloatDType(DType dtype);

/// IEEE binary16 and bfloat16 conversions, rounding to nearest even.
uint16_t floatToHalf(float value);
float halfToFloat(uint16_t bits);
uint16_t floatToBFloat16(float value);
float bfloat16ToFloat(uint16_t bits);

/// The DType of a C++ element type; f16/bf16 have none (use raw bytes).
template <typename T> struct DTypeOf;
template <> struct DTypeOf<float> {
  static constexpr DType value = DType::F32;
};
template <> struct DTypeOf<double> {
  static constexpr DType value = DType::F64;
};
template <> struct DTypeOf<int32_t> {
  static constexpr DType value = DType::I32;
};
template <> struct DTypeOf<int64_t> {
  static constexpr DType value = DType::I64;
};
template <> struct DTypeOf<bool> {
  static constexpr DType value = DType::Bool;
};
static_assert(sizeof(bool) == 1, "bool tensors hold one byte per element");

/// Formats a shape as "[7, 784]".
std::string shapeString(const std::vector<int64_t> &shape);
/// Number of elements of `shape`, or an error on a negative dim or overflow.
Expected<int64_t> shapeNumel(const std::vector<int64_t> &shape);

/// An owned, contiguous, row-major tensor in host memory.
class HostTensor {
public:
  /// An f32 scalar holding 0.
  HostTensor() : bytes_(4, 0) {}

  /// A zero-filled tensor; fails on a negative dim or a size overflow.
  static Expected<HostTensor> zeros(DType dtype, std::vector<int64_t> shape);
  /// A tensor holding a copy of `data`, which must have exactly the size.
  static Expected<HostTensor> fromBytes(DType dtype, std::vector<int64_t> shape,
                                        const void *data, size_t bytes);
  template <typename T>
  static Expected<HostTensor> fromVector(std::vector<int64_t> shape,
                                         const std::vector<T> &values) {
    if constexpr (std::is_same_v<T, bool>) { // std::vector<bool> packs bits
      std::vector<uint8_t> bytes(values.begin(), values.end());
      return fromBytes(DType::Bool, std::move(shape), bytes.data(),
                       bytes.size());
    } else {
      return fromBytes(DTypeOf<T>::value, std::move(shape), values.data(),
                       values.size() * sizeof(T));
    }
  }

  DType dtype() const { return dtype_; }
  const std::vector<int64_t> &shape() const { return shape_; }
  size_t rank() const { return shape_.size(); }
  int64_t numel() const {
    return static_cast<int64_t>(bytes_.size() / dtypeSize(dtype_));
  }
  size_t byteSize() const { return bytes_.size(); }
  void *data() { return bytes_.data(); }
  const void *data() const { return bytes_.data(); }
  /// Typed access; T must match the dtype.
  template <typename T> T *data() {
    assert(DTypeOf<T>::value == dtype_ && "element type mismatch");
    return reinterpret_cast<T *>(bytes_.data());
  }
  template <typename T> const T *data() const {
    assert(DTypeOf<T>::value == dtype_ && "element type mismatch");
    return reinterpret_cast<const T *>(bytes_.data());
  }
  /// "f32[7, 784]".
  std::string typeString() const;

private:
  DType dtype_ = DType::F32;
  std::vector<int64_t> shape_;
  std::vector<uint8_t> bytes_;
};

} // namespace tensorc

#endif // TENSORC_TENSOR_H
