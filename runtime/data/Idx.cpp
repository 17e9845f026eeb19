//===- Idx.cpp - IDX files (the MNIST format) -----------------------------===//
//
// http://yann.lecun.com/exdb/mnist/: a big-endian magic number 00 00 TYPE
// RANK, RANK big-endian u32 dims, then the elements, row-major. The MNIST
// family stores unsigned bytes (TYPE 0x08), the only type read here.
//
//===----------------------------------------------------------------------===//

#include "Support.h"
#include "tensorc/data.h"

#include <cstdio>

namespace tensorc {

namespace {

std::string hex(uint64_t value, int digits) {
  char buffer[24];
  std::snprintf(buffer, sizeof(buffer), "0x%0*llx", digits,
                static_cast<unsigned long long>(value));
  return buffer;
}

uint32_t readBigEndian32(const std::string &bytes, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i)
    v = (v << 8) | static_cast<uint8_t>(bytes[at + i]);
  return v;
}

/// The IDX element types, for messages about the ones not read.
const char *idxTypeName(uint8_t type) {
  switch (type) {
  case 0x08:
    return "unsigned byte";
  case 0x09:
    return "signed byte";
  case 0x0B:
    return "i16";
  case 0x0C:
    return "i32";
  case 0x0D:
    return "f32";
  case 0x0E:
    return "f64";
  default:
    return nullptr;
  }
}

} // namespace

Expected<IdxArray> decodeIdx(const std::string &bytes,
                             const std::string &source) {
  if (bytes.size() < 4)
    return Status::error("'", source, "' is not an IDX file: it has ",
                         bytes.size(),
                         " bytes, fewer than its 4-byte magic number");
  uint32_t magic = readBigEndian32(bytes, 0);
  if (magic >> 16 != 0)
    return Status::error("'", source, "' is not an IDX file: its magic number ",
                         hex(magic, 8),
                         " does not start with 00 00 (images have "
                         "0x00000803, labels 0x00000801)");
  uint8_t type = static_cast<uint8_t>(magic >> 8);
  if (type != 0x08) {
    if (const char *name = idxTypeName(type))
      return Status::error("'", source, "' holds IDX elements of type ",
                           hex(type, 2), " (", name,
                           "); the data loader reads unsigned bytes (0x08)");
    return Status::error("'", source, "' has an unknown IDX element type ",
                         hex(type, 2), " in its magic number ", hex(magic, 8),
                         " (unsigned bytes are 0x08)");
  }
  size_t rank = magic & 0xff;
  if (rank == 0)
    return Status::error("'", source,
                         "' is an IDX file of rank 0; expected 1 or more dims");
  size_t header = 4 + 4 * rank;
  if (bytes.size() < header)
    return Status::error("'", source, "' is truncated: its rank ", rank,
                         " needs a header of ", header, " bytes, the file has ",
                         bytes.size());
  IdxArray array;
  array.dims.reserve(rank);
  int64_t numel = 1;
  bool overflow = false;
  for (size_t i = 0; i < rank; ++i) {
    array.dims.push_back(readBigEndian32(bytes, 4 + 4 * i));
    overflow = overflow || !checkedMul(numel, array.dims.back(), numel);
  }
  if (overflow)
    return Status::error("'", source, "' announces dims ",
                         shapeString(array.dims),
                         " whose element count overflows 64 bits");
  uint64_t data = bytes.size() - header;
  if (static_cast<uint64_t>(numel) > data)
    return Status::error("'", source, "' is truncated: dims ",
                         shapeString(array.dims), " need ", numel,
                         " bytes of data, the file has ", data);
  if (static_cast<uint64_t>(numel) < data)
    return Status::error("'", source, "' has ", data - numel,
                         " bytes of trailing garbage after its ",
                         shapeString(array.dims), " array");
  array.data.assign(bytes.begin() + header, bytes.end());
  return array;
}

Expected<IdxArray> readIdx(const std::string &path) {
  TC_ASSIGN_OR_RETURN(std::string bytes, readFile(path));
  if (isGzip(bytes)) {
    TC_ASSIGN_OR_RETURN(bytes, gunzip(bytes, path));
  }
  return decodeIdx(bytes, path);
}

} // namespace tensorc
