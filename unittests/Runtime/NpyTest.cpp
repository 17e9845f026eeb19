//===- NpyTest.cpp - NumPy .npy reading and writing
//------------------------===//

#include "tensorc/npy.h"
#include "TestUtil.h"

#include <fstream>
#include <sys/stat.h>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

HostTensor randomTensor(DType dtype, std::vector<int64_t> shape,
                        std::mt19937_64 &rng) {
  HostTensor t = *HostTensor::zeros(dtype, std::move(shape));
  auto *bytes = static_cast<uint8_t *>(t.data());
  for (size_t i = 0; i < t.byteSize(); ++i)
    bytes[i] = static_cast<uint8_t>(rng());
  if (dtype == DType::Bool)
    for (size_t i = 0; i < t.byteSize(); ++i)
      bytes[i] &= 1;
  return t;
}

/// A file with the given header dict and `dataBytes` bytes of data.
std::string npyFile(const std::string &dict, size_t dataBytes, int major = 1) {
  std::string header = dict;
  size_t prefix = major == 1 ? 10 : 12;
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  for (size_t i = 0; i < prefix - 8; ++i)
    out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return out + header + std::string(dataBytes, '\x01');
}

TEST(NpyTest, RoundTripsEveryDtypeAndRank) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  std::vector<std::vector<int64_t>> shapes = {{},     {1},       {7},
                                              {3, 5}, {2, 0, 4}, {2, 3, 4, 5}};
  for (DType dtype : {DType::F32, DType::F16, DType::F64, DType::I32,
                      DType::I64, DType::Bool})
    for (const auto &shape : shapes) {
      HostTensor t = randomTensor(dtype, shape, rng);
      TC_ASSERT_OK_AND_ASSIGN(std::string bytes, encodeNpy(t));
      EXPECT_EQ((bytes.size() - t.byteSize()) % 64, 0u)
          << "the data starts at a multiple of 64";
      TC_ASSERT_OK_AND_ASSIGN(HostTensor back, decodeNpy(bytes));
      EXPECT_EQ(back.typeString(), t.typeString());
      ASSERT_EQ(back.byteSize(), t.byteSize());
      EXPECT_EQ(std::memcmp(back.data(), t.data(), t.byteSize()), 0)
          << t.typeString();
    }
}

TEST(NpyTest, WritesWhatNumPyWrites) {
  HostTensor t = *HostTensor::fromVector<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  TC_ASSERT_OK_AND_ASSIGN(std::string bytes, encodeNpy(t));
  // np.save of np.arange(1, 7, dtype='<f4').reshape(2, 3), NumPy 1.24: the
  // same 128 bytes of header, then the data.
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': "
                       "(2, 3), }";
  header.append(128 - 10 - header.size() - 1, ' ');
  ASSERT_EQ(bytes.size(), 152u);
  EXPECT_EQ(bytes.substr(0, 10), std::string("\x93NUMPY\x01\x00\x76\x00", 10));
  EXPECT_EQ(bytes.substr(10, 118), header + "\n");
  EXPECT_EQ(std::memcmp(bytes.data() + 128, t.data(), 24), 0);
  HostTensor v = *HostTensor::fromVector<int64_t>({3}, {1, 2, 3});
  EXPECT_NE(encodeNpy(v)->find("'shape': (3,), }"), std::string::npos);
  HostTensor s = *HostTensor::fromVector<double>({}, {2.5});
  EXPECT_NE(encodeNpy(s)->find("'shape': (), }"), std::string::npos);
}

TEST(NpyTest, ReadsVersion2AndOldSpellings) {
  std::string v2 = npyFile("{'descr': '<i4', 'fortran_order': False, "
                           "'shape': (2,), }",
                           8, 2);
  TC_ASSERT_OK_AND_ASSIGN(HostTensor t, decodeNpy(v2));
  EXPECT_EQ(t.typeString(), "i32[2]");
  // Python 2 longs, double quotes, no trailing comma, keys in any order.
  std::string old = npyFile("{\"shape\": (2L, 1L), \"fortran_order\": False, "
                            "\"descr\": \"|b1\"}",
                            2);
  TC_ASSERT_OK_AND_ASSIGN(HostTensor b, decodeNpy(old));
  EXPECT_EQ(b.typeString(), "bool[2, 1]");
  // Fortran order is C order for one dim.
  TC_ASSERT_OK(decodeNpy(npyFile("{'descr': '<f8', 'fortran_order': True, "
                                 "'shape': (3,), }",
                                 24))
                   .status());
}

TEST(NpyTest, MalformedFilesSayWhatIsWrong) {
  const std::string good =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  std::string valid = npyFile(good, 24);
  struct Case {
    std::string name, bytes, message;
  } cases[] = {
      {"empty", "", "not a .npy file (no \\x93NUMPY magic)"},
      {"magic", "\x93NUMPX" + valid.substr(6), "no \\x93NUMPY magic"},
      {"version", valid.substr(0, 6) + "\x04" + valid.substr(7),
       "unsupported format version 4.0 (expected 1.0, 2.0 or 3.0)"},
      {"header length cut", valid.substr(0, 9),
       "truncated: the file ends inside the header length"},
      {"header cut", valid.substr(0, 40),
       "truncated: the header announces 118 bytes, but only 30 follow"},
      {"data cut", valid.substr(0, valid.size() - 1),
       "truncated: a f32[2, 3] array needs 24 bytes of data, the file has 23"},
      {"trailing data", valid + "x",
       "1 bytes follow the data of a f32[2, 3] array"},
      {"big endian",
       npyFile("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }",
               24),
       "big-endian data ('>f4') is not supported"},
      {"fortran",
       npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
               24),
       "Fortran-order data is not supported"},
      {"dtype",
       npyFile("{'descr': '<u2', 'fortran_order': False, 'shape': (2, 3), }",
               12),
       "unsupported dtype '<u2' (expected <f4, <f8, <f2, <i4, <i8 or |b1)"},
      {"structured",
       npyFile("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': "
               "(2,), }",
               8),
       "expected a quoted string"},
      {"missing key", npyFile("{'descr': '<f4', 'shape': (2, 3), }", 24),
       "the header lacks 'fortran_order'"},
      {"extra key",
       npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), "
               "'x': 1}",
               24),
       "expected a quoted string"},
      {"extra string key",
       npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), "
               "'x': 'y'}",
               24),
       "keys other than descr, fortran_order and shape"},
      {"repeated key",
       npyFile("{'descr': '<f4', 'descr': '<f4', 'shape': (2, 3), }", 24),
       "the header repeats the key 'descr'"},
      {"negative dim",
       npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3), }",
               24),
       "expected a non-negative integer"},
      {"huge dims",
       npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': "
               "(4294967296, 4294967296), }",
               0),
       "shape [4294967296, 4294967296] is too large"},
      {"dim overflow",
       npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': "
               "(99999999999999999999,), }",
               0),
       "a dim does not fit in 64 bits"},
      {"shape not tuple",
       npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': '2', }", 24),
       "'shape' is not a tuple"},
      {"fortran not bool",
       npyFile("{'descr': '<f4', 'fortran_order': 'no', 'shape': (2, 3), }",
               24),
       "'fortran_order' is not True or False"},
      {"no newline", valid.substr(0, 127) + " " + valid.substr(128),
       "the header does not end with a newline"},
      {"garbage header", npyFile("hello", 0), "malformed header at offset 0"},
      {"missing comma",
       npyFile("{'descr': '<f4' 'fortran_order': False, 'shape': (2, 3), }",
               24),
       "malformed header at offset 16 (expected ',' or '}')"},
      {"after the dict",
       npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } 1",
               24),
       "(expected the end of the header)"},
      {"descr not string",
       npyFile("{'descr': True, 'fortran_order': False, 'shape': (2, 3), }",
               24),
       "'descr' is not a string (structured dtypes are not supported)"},
      {"bad bool",
       npyFile("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", 0) +
           std::string("\x01\x00\x02", 3),
       "bool element 2 is 2, not 0 or 1"},
  };
  for (const Case &c : cases) {
    Expected<HostTensor> t = decodeNpy(c.bytes, "f.npy");
    ASSERT_FALSE(t.ok()) << c.name;
    EXPECT_EQ(t.status().message().rfind("f.npy: ", 0), 0u)
        << t.status().message();
    EXPECT_NE(t.status().message().find(c.message), std::string::npos)
        << c.name << "\n  expected: " << c.message
        << "\n  given:    " << t.status().message();
  }
  // Every truncation of a valid file is an error.
  for (size_t n = 0; n < valid.size(); ++n)
    EXPECT_FALSE(decodeNpy(valid.substr(0, n)).ok()) << n;
}

TEST(NpyTest, Bf16HasNoNumPyDtype) {
  HostTensor t = *HostTensor::zeros(DType::BF16, {2});
  EXPECT_EQ(errorOf(encodeNpy(t)), "a bf16 tensor has no NumPy dtype");
}

TEST(NpyTest, FilesAreWrittenAtomically) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  std::string dir = makeTempDir();
  ASSERT_FALSE(dir.empty());
  std::string path = dir + "/x.npy";
  HostTensor t = randomTensor(DType::F32, {16, 3}, rng);
  TC_ASSERT_OK(writeNpy(path, t));
  TC_ASSERT_OK_AND_ASSIGN(HostTensor back, readNpy(path));
  EXPECT_EQ(std::memcmp(back.data(), t.data(), t.byteSize()), 0);
  // A failed write leaves the old file as it was.
  HostTensor bad = *HostTensor::zeros(DType::BF16, {1});
  EXPECT_FALSE(writeNpy(path, bad).ok());
  TC_ASSERT_OK_AND_ASSIGN(back, readNpy(path));
  EXPECT_EQ(back.typeString(), "f32[16, 3]");
  std::string msg = errorOf(readNpy(dir + "/missing.npy"));
  EXPECT_NE(msg.find("cannot open '" + dir +
                     "/missing.npy': No such file or directory"),
            std::string::npos)
      << msg;
  msg = errorOf(writeNpy(dir + "/no/such/dir/x.npy", t));
  EXPECT_NE(msg.find("cannot create a temporary file beside"),
            std::string::npos)
      << msg;
  std::remove(path.c_str());
  rmdir(dir.c_str());
}

} // namespace
