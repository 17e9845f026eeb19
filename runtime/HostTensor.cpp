//===- HostTensor.cpp - Owned host tensors
//---------------------------------===//

#include "Support.h"
#include "tensorc/tensor.h"

namespace tensorc {

Expected<HostTensor> HostTensor::zeros(DType dtype,
                                       std::vector<int64_t> shape) {
  TC_ASSIGN_OR_RETURN(int64_t numel, shapeNumel(shape));
  int64_t bytes;
  // Also refuse sizes that the address space cannot hold.
  if (!checkedMul(numel, static_cast<int64_t>(dtypeSize(dtype)), bytes) ||
      static_cast<uint64_t>(bytes) > SIZE_MAX / 2)
    return Status::error("a ", dtypeName(dtype), shapeString(shape),
                         " tensor is too large");
  HostTensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  t.bytes_.assign(static_cast<size_t>(bytes), 0);
  return t;
}

Expected<HostTensor> HostTensor::fromBytes(DType dtype,
                                           std::vector<int64_t> shape,
                                           const void *data, size_t bytes) {
  TC_ASSIGN_OR_RETURN(HostTensor t, zeros(dtype, std::move(shape)));
  if (bytes != t.byteSize())
    return Status::error("a ", t.typeString(), " tensor holds ", t.byteSize(),
                         " bytes, given ", bytes);
  if (bytes)
    std::memcpy(t.data(), data, bytes);
  return t;
}

std::string HostTensor::typeString() const {
  return dtypeName(dtype_) + shapeString(shape_);
}

} // namespace tensorc
