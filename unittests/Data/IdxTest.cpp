//===- IdxTest.cpp - IDX files and gzip -----------------------------------===//

#include "DataTestUtil.h"

using namespace tensorc;
using namespace tensorc::testing;

namespace {

#define EXPECT_ERROR_HAS(result, text)                                         \
  EXPECT_NE(errorOf(result).find(text), std::string::npos) << errorOf(result)

TEST(IdxTest, DecodesBytesRowMajor) {
  TC_ASSERT_OK_AND_ASSIGN(
      IdxArray a,
      decodeIdx(idxBytes({2, 3}, "\x01\x02\x03\x04\x05\xff"), "m.idx"));
  EXPECT_EQ(a.dims, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.data, (std::vector<uint8_t>{1, 2, 3, 4, 5, 255}));
  TC_ASSERT_OK_AND_ASSIGN(IdxArray empty, decodeIdx(idxBytes({0, 28}, "")));
  EXPECT_EQ(empty.dims, (std::vector<int64_t>{0, 28}));
  EXPECT_TRUE(empty.data.empty());
}

TEST(IdxTest, RejectsMalformedHeaders) {
  EXPECT_ERROR_HAS(decodeIdx(std::string("\0\0\x08", 3), "a.idx"),
                   "'a.idx' is not an IDX file: it has 3 bytes");
  EXPECT_ERROR_HAS(decodeIdx("GIF89a-and-more", "b.idx"),
                   "'b.idx' is not an IDX file: its magic number 0x47494638");
  EXPECT_ERROR_HAS(decodeIdx(idxBytes({1}, "abcd", 0x0D), "c.idx"),
                   "'c.idx' holds IDX elements of type 0x0d (f32)");
  EXPECT_ERROR_HAS(decodeIdx(idxBytes({1}, "a", 0x42), "d.idx"),
                   "'d.idx' has an unknown IDX element type 0x42");
  EXPECT_ERROR_HAS(decodeIdx(idxBytes({}, "a"), "e.idx"),
                   "'e.idx' is an IDX file of rank 0");
  std::string header = idxBytes({60000, 28, 28}, "").substr(0, 10);
  EXPECT_ERROR_HAS(decodeIdx(header, "f.idx"),
                   "'f.idx' is truncated: its rank 3 needs a header of 16 "
                   "bytes, the file has 10");
}

TEST(IdxTest, ChecksDimsAgainstTheData) {
  EXPECT_ERROR_HAS(decodeIdx(idxBytes({2, 3}, "12345"), "g.idx"),
                   "'g.idx' is truncated: dims [2, 3] need 6 bytes of data, "
                   "the file has 5");
  EXPECT_ERROR_HAS(decodeIdx(idxBytes({2, 3}, "1234567"), "h.idx"),
                   "'h.idx' has 1 bytes of trailing garbage after its [2, 3]");
  // (2^32-1)^2 overflows int64; (2^32-1)(2^31-1) does not, but no file is
  // that large.
  uint32_t big = 0xffffffffu;
  EXPECT_ERROR_HAS(decodeIdx(idxBytes({big, big}, "x"), "i.idx"),
                   "'i.idx' announces dims [4294967295, 4294967295] whose "
                   "element count overflows");
  EXPECT_ERROR_HAS(decodeIdx(idxBytes({big, 0x7fffffffu}, "x"), "j.idx"),
                   "'j.idx' is truncated: dims [4294967295, 2147483647] need "
                   "9223372030412324865 bytes of data, the file has 1");
}

TEST(IdxTest, ReadsPlainAndGzipFiles) {
  std::string dir = makeTempDir();
  ASSERT_FALSE(dir.empty());
  std::string bytes = idxBytes({3, 2, 2}, "abcdefghijkl");
  ASSERT_TRUE(writeBytes(dir + "/plain", bytes));
  TC_ASSERT_OK_AND_ASSIGN(IdxArray plain, readIdx(dir + "/plain"));
  EXPECT_EQ(plain.dims, (std::vector<int64_t>{3, 2, 2}));
  EXPECT_EQ(plain.data[11], 'l');
  EXPECT_ERROR_HAS(readIdx(dir + "/missing"),
                   "cannot open '" + dir + "/missing'");
  if (!haveGzip()) {
    ASSERT_TRUE(writeBytes(dir + "/z.gz", std::string("\x1f\x8b\x08", 3)));
    EXPECT_ERROR_HAS(readIdx(dir + "/z.gz"), "this build of tensorc has no "
                                             "zlib");
    return;
  }
  std::string gz = gzipBytes(bytes);
  ASSERT_TRUE(writeBytes(dir + "/z.gz", gz));
  TC_ASSERT_OK_AND_ASSIGN(IdxArray unzipped, readIdx(dir + "/z.gz"));
  EXPECT_EQ(unzipped.dims, plain.dims);
  EXPECT_EQ(unzipped.data, plain.data);
  // The messages of a decompressed file name the file.
  ASSERT_TRUE(writeBytes(dir + "/bad.gz", gzipBytes(bytes + "!")));
  EXPECT_ERROR_HAS(readIdx(dir + "/bad.gz"), "'" + dir +
                                                 "/bad.gz' has 1 bytes of "
                                                 "trailing garbage after its");
}

TEST(GzipTest, ReadsConcatenatedMembers) {
  TC_REQUIRE_GZIP();
  TC_ASSERT_OK_AND_ASSIGN(std::string out,
                          gunzip(gzipBytes("hello, ") + gzipBytes("world")));
  EXPECT_EQ(out, "hello, world");
  std::string large(300000, 'x');
  for (size_t i = 0; i < large.size(); i += 7)
    large[i] = static_cast<char>(i * 31);
  TC_ASSERT_OK_AND_ASSIGN(std::string back, gunzip(gzipBytes(large)));
  EXPECT_EQ(back, large);
}

TEST(GzipTest, RejectsBadStreams) {
  TC_REQUIRE_GZIP();
  std::string data(5000, 'a');
  for (size_t i = 0; i < data.size(); ++i)
    data[i] = static_cast<char>((i * i) >> 3);
  std::string gz = gzipBytes(data);
  ASSERT_GT(gz.size(), 30u);
  EXPECT_ERROR_HAS(gunzip(idxBytes({1}, "a"), "p.gz"),
                   "'p.gz' is not gzip data: it does not start with the gzip "
                   "magic 1f 8b");
  EXPECT_ERROR_HAS(gunzip(gz.substr(0, gz.size() / 2), "t.gz"),
                   "'t.gz' is a truncated gzip file");
  // Only the 8-byte trailer (CRC-32 and length) missing.
  EXPECT_ERROR_HAS(gunzip(gz.substr(0, gz.size() - 4), "t2.gz"),
                   "'t2.gz' is a truncated gzip file");
  EXPECT_ERROR_HAS(gunzip(gz + "junk", "g.gz"),
                   "'g.gz' has 4 bytes of trailing garbage after the gzip "
                   "stream (at offset " +
                       std::to_string(gz.size()) + ")");
  std::string badCrc = gz;
  badCrc[badCrc.size() - 8] ^= 1;
  EXPECT_ERROR_HAS(gunzip(badCrc, "c.gz"),
                   "'c.gz' is not valid gzip data: incorrect data check");
  std::string badLength = gz;
  badLength[badLength.size() - 1] ^= 1;
  EXPECT_ERROR_HAS(gunzip(badLength, "l.gz"),
                   "'l.gz' is not valid gzip data: incorrect length check");
  std::string badMethod = gz;
  badMethod[2] = 7;
  EXPECT_ERROR_HAS(gunzip(badMethod, "m.gz"), "'m.gz' is not valid gzip data");
}

} // namespace
