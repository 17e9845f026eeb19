//===- DataTestUtil.cpp - Files for the data loader's tests ---------------===//

#include "DataTestUtil.h"

#include <fstream>
#include <sstream>
#if TENSORC_HAVE_ZLIB
#include <zlib.h>
#endif

namespace tensorc::testing {

std::string idxBytes(const std::vector<uint32_t> &dims, const std::string &data,
                     uint8_t type) {
  std::string out = {0, 0, static_cast<char>(type),
                     static_cast<char>(dims.size())};
  for (uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      out += static_cast<char>((d >> shift) & 0xff);
  return out + data;
}

std::string gzipBytes(const std::string &bytes) {
#if TENSORC_HAVE_ZLIB
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    return "";
  std::string out(deflateBound(&zs, bytes.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  zs.next_out = reinterpret_cast<Bytef *>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int ret = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return ret == Z_STREAM_END ? out : "";
#else
  (void)bytes;
  return "";
#endif
}

bool writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream os(path, std::ios::binary);
  os.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(os);
}

std::string readBytes(const std::string &path) {
  std::ifstream is(path, std::ios::binary);
  std::ostringstream os;
  os << is.rdbuf();
  return os.str();
}

} // namespace tensorc::testing
