//===- Gzip.cpp - gzip decompression through zlib ------------------------===//
//
// zlib is optional: without it (TENSORC_HAVE_ZLIB unset) the runtime still
// builds, and reading a gzip file says how to get past it.
//
//===----------------------------------------------------------------------===//

#include "Support.h"
#include "tensorc/data.h"

#if TENSORC_HAVE_ZLIB
#include <algorithm>
#include <climits>
#include <zlib.h>
#endif

namespace tensorc {

bool isGzip(const std::string &bytes) {
  return bytes.size() >= 2 && static_cast<uint8_t>(bytes[0]) == 0x1f &&
         static_cast<uint8_t>(bytes[1]) == 0x8b;
}

#if TENSORC_HAVE_ZLIB

bool haveGzip() { return true; }

namespace {

/// Inflates the member that starts at `pos`, appending to `out`; `pos` moves
/// past it.
Status inflateMember(const std::string &bytes, size_t &pos, std::string &out,
                     const std::string &source) {
  z_stream zs{};
  // 16 + MAX_WBITS: a gzip wrapper, whose CRC-32 and length zlib checks.
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
    return Status::error("cannot decompress '", source,
                         "': zlib failed to initialise");
  const size_t start = pos;
  size_t fed = start;
  char buffer[1 << 16];
  int ret = Z_OK;
  for (;;) {
    if (zs.avail_in == 0 && fed < bytes.size()) {
      size_t chunk = std::min<size_t>(bytes.size() - fed, UINT_MAX);
      zs.next_in =
          reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data() + fed));
      zs.avail_in = static_cast<uInt>(chunk);
      fed += chunk;
    }
    zs.next_out = reinterpret_cast<Bytef *>(buffer);
    zs.avail_out = sizeof(buffer);
    ret = inflate(&zs, Z_NO_FLUSH);
    out.append(buffer, sizeof(buffer) - zs.avail_out);
    if (ret == Z_STREAM_END)
      break;
    if (ret == Z_OK && zs.avail_out == 0)
      continue; // more output is pending
    if ((ret == Z_OK || ret == Z_BUF_ERROR) && zs.avail_in == 0 &&
        fed == bytes.size()) {
      inflateEnd(&zs);
      return Status::error("'", source, "' is a truncated gzip file: it ends ",
                           "inside the compressed stream that starts at "
                           "offset ",
                           start, " (", out.size(),
                           " bytes were decompressed)");
    }
    if (ret != Z_OK) {
      std::string why = zs.msg ? zs.msg : "error " + std::to_string(ret);
      inflateEnd(&zs);
      return Status::error("'", source, "' is not valid gzip data: ", why,
                           " (near offset ", start + zs.total_in, ")");
    }
  }
  pos = start + zs.total_in;
  inflateEnd(&zs);
  return Status::success();
}

} // namespace

Expected<std::string> gunzip(const std::string &bytes,
                             const std::string &source) {
  if (!isGzip(bytes))
    return Status::error("'", source,
                         "' is not gzip data: it does not start with the "
                         "gzip magic 1f 8b");
  std::string out;
  size_t pos = 0;
  // gzip files may hold several members, read as their concatenation.
  while (pos < bytes.size()) {
    if (pos > 0 && !isGzip(bytes.substr(pos, 2)))
      return Status::error("'", source, "' has ", bytes.size() - pos,
                           " bytes of trailing garbage after the gzip "
                           "stream (at offset ",
                           pos, ")");
    TC_RETURN_IF_ERROR(inflateMember(bytes, pos, out, source));
  }
  return out;
}

#else // !TENSORC_HAVE_ZLIB

bool haveGzip() { return false; }

Expected<std::string> gunzip(const std::string &bytes,
                             const std::string &source) {
  (void)bytes;
  return Status::error("'", source,
                       "' is gzip-compressed, and this build of tensorc has "
                       "no zlib: decompress it first (gzip -dk FILE), or "
                       "install zlib (zlib1g-dev) and rebuild");
}

#endif

} // namespace tensorc
