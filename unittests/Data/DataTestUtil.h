//===- DataTestUtil.h - Files for the data loader's tests -----------------===//

#ifndef TENSORC_UNITTESTS_DATA_DATATESTUTIL_H
#define TENSORC_UNITTESTS_DATA_DATATESTUTIL_H

#include "tensorc/data.h"
#include "unittests/Runtime/TestUtil.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tensorc::testing {

/// An IDX file of unsigned bytes: magic 00 00 `type` rank, the dims, `data`.
std::string idxBytes(const std::vector<uint32_t> &dims, const std::string &data,
                     uint8_t type = 0x08);
/// `bytes` as one gzip member (empty when built without zlib).
std::string gzipBytes(const std::string &bytes);
/// Writes `bytes` to `path`; false on failure.
bool writeBytes(const std::string &path, const std::string &bytes);
/// The bytes of `path`; empty on failure.
std::string readBytes(const std::string &path);

/// Skips the test in a build without zlib.
#define TC_REQUIRE_GZIP()                                                      \
  do {                                                                         \
    if (!::tensorc::haveGzip())                                                \
      GTEST_SKIP() << "built without zlib";                                    \
  } while (0)

} // namespace tensorc::testing

#endif // TENSORC_UNITTESTS_DATA_DATATESTUTIL_H
