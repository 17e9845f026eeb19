//===- SafetensorsTest.cpp - Reading and writing safetensors files --------===//
//
// Round trips of every dtype on fresh random values, the exact layout the
// reference implementation writes, one test per way a file can lie
// (truncation, offsets, sizes, header length, header text), and atomic
// writes. SafetensorsPythonTest.cpp checks the files against Python's
// safetensors itself.
//
//===----------------------------------------------------------------------===//

#include "tensorc/safetensors.h"
#include "TestUtil.h"

#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

/// A tensor of `dtype` with random bytes that are valid for it (BOOL: 0 or
/// 1), never all zero.
HostTensor randomTensor(DType dtype, std::vector<int64_t> shape,
                        std::mt19937_64 &rng) {
  HostTensor t = *HostTensor::zeros(dtype, std::move(shape));
  auto *b = static_cast<uint8_t *>(t.data());
  for (size_t i = 0; i < t.byteSize(); ++i)
    b[i] = dtype == DType::Bool ? (i == 0 ? 1 : rng() & 1)
                                : static_cast<uint8_t>(rng() | (i == 0));
  return t;
}

bool sameTensor(const HostTensor &a, const HostTensor &b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() &&
         a.byteSize() == b.byteSize() &&
         std::memcmp(a.data(), b.data(), a.byteSize()) == 0;
}

Safetensors everyDType(std::mt19937_64 &rng) {
  Safetensors s;
  s.tensors["f32"] = randomTensor(DType::F32, {3, 5}, rng);
  s.tensors["f16"] = randomTensor(DType::F16, {7}, rng);
  s.tensors["bf16"] = randomTensor(DType::BF16, {2, 3}, rng);
  s.tensors["f64"] = randomTensor(DType::F64, {4, 1, 2}, rng);
  s.tensors["i32"] = randomTensor(DType::I32, {9}, rng);
  s.tensors["i64"] = randomTensor(DType::I64, {2, 2}, rng);
  s.tensors["bool"] = randomTensor(DType::Bool, {5}, rng);
  s.tensors["scalar"] = randomTensor(DType::F32, {}, rng);
  s.tensors["empty"] = *HostTensor::zeros(DType::F32, {0, 4});
  s.metadata["model"] = "Test";
  s.metadata["format"] = "pt";
  return s;
}

/// A file made of a header (as given: not padded) and `data`.
std::string rawFile(const std::string &header, const std::string &data = "") {
  std::string out(8, '\0');
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<char>(n >> (8 * i));
  return out + header + data;
}

std::string decodeError(const std::string &bytes) {
  return errorOf(decodeSafetensors(bytes, "f.safetensors"));
}

TEST(SafetensorsTest, RoundTripsEveryDType) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  Safetensors s = everyDType(rng);
  TC_ASSERT_OK_AND_ASSIGN(std::string bytes, encodeSafetensors(s));
  TC_ASSERT_OK_AND_ASSIGN(Safetensors back, decodeSafetensors(bytes));
  EXPECT_EQ(back.metadata, s.metadata);
  ASSERT_EQ(back.tensors.size(), s.tensors.size());
  for (const auto &[name, t] : s.tensors) {
    ASSERT_TRUE(back.tensors.count(name)) << name;
    EXPECT_TRUE(sameTensor(back.tensors.at(name), t)) << name;
  }
  // Encoding what was decoded gives the same bytes.
  TC_ASSERT_OK_AND_ASSIGN(std::string again, encodeSafetensors(back));
  EXPECT_EQ(again, bytes);
}

TEST(SafetensorsTest, LayoutIsTheReferenceOne) {
  // Tensors by decreasing dtype (I64 > F64 > F32 > I32 > BF16 > F16 > BOOL),
  // then by name; compact JSON padded with spaces to a multiple of 8.
  Safetensors s;
  s.tensors["b"] = *HostTensor::fromVector<float>({2}, {1.5f, -2.0f});
  s.tensors["a"] = *HostTensor::fromVector<float>({1}, {3.0f});
  s.tensors["z"] = *HostTensor::fromVector<int64_t>({1}, {7});
  s.tensors["m"] = *HostTensor::fromVector<bool>({3}, {true, false, true});
  s.metadata["k"] = "v";
  TC_ASSERT_OK_AND_ASSIGN(std::string bytes, encodeSafetensors(s));
  std::string header =
      R"({"__metadata__":{"k":"v"},)"
      R"("z":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},)"
      R"("a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},)"
      R"("b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]},)"
      R"("m":{"dtype":"BOOL","shape":[3],"data_offsets":[20,23]}})";
  header.append((8 - header.size() % 8) % 8, ' ');
  ASSERT_GE(bytes.size(), 8 + header.size());
  EXPECT_EQ(bytes.substr(8, header.size()), header);
  EXPECT_EQ(bytes.size(), 8 + header.size() + 23);
  EXPECT_EQ(static_cast<uint8_t>(bytes[0]), header.size());
  int64_t z;
  std::memcpy(&z, bytes.data() + 8 + header.size(), 8);
  EXPECT_EQ(z, 7);
}

TEST(SafetensorsTest, TruncatedFiles) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  TC_ASSERT_OK_AND_ASSIGN(std::string bytes,
                          encodeSafetensors(everyDType(rng)));
  EXPECT_EQ(decodeError(bytes.substr(0, 5)),
            "f.safetensors: truncated: 5 bytes, but a safetensors file starts "
            "with an 8-byte header length");
  uint64_t headerBytes =
      static_cast<uint8_t>(bytes[0]) | static_cast<uint8_t>(bytes[1]) << 8;
  std::string cut = bytes.substr(0, 8 + headerBytes / 2);
  EXPECT_EQ(decodeError(cut),
            "f.safetensors: truncated: the header length is " +
                std::to_string(headerBytes) + " bytes, but only " +
                std::to_string(headerBytes / 2) + " bytes follow it");
  // Cut inside the data: the last tensor (by offset) reaches past the end.
  std::string msg = decodeError(bytes.substr(0, bytes.size() - 1));
  EXPECT_NE(msg.find("reach past the end of the"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(is the file truncated?)"), std::string::npos) << msg;
  // Every shorter prefix is refused too, never read out of bounds.
  for (size_t n = 0; n < bytes.size(); n += 7)
    EXPECT_FALSE(decodeSafetensors(bytes.substr(0, n)).ok()) << n;
}

TEST(SafetensorsTest, AbsurdHeaderLength) {
  std::string bytes = rawFile("{}");
  bytes[7] = '\x7f'; // about 9e18
  std::string msg = decodeError(bytes);
  EXPECT_NE(msg.find("f.safetensors: the header length is 9151314442816847874 "
                     "bytes, more than the 100000000 a safetensors header may "
                     "have"),
            std::string::npos)
      << msg;
  bytes = rawFile("{}");
  bytes[0] = '\x01';
  bytes[3] = '\x10'; // 268435457: over the limit, even with the data there
  EXPECT_NE(decodeError(bytes).find("more than the 100000000"),
            std::string::npos);
}

TEST(SafetensorsTest, HeaderThatLiesAboutOffsetsAndSizes) {
  std::string data(16, '\x11');
  struct Case {
    std::string header, message;
  } cases[] = {
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,12]},)"
       R"("b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}})",
       "tensor 'a': a F32[2] tensor holds 8 bytes, but data_offsets [0, 12] "
       "span 12"},
      {R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
       R"("b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}})",
       "tensor 'b' (bytes [12, 16)) overlaps tensor 'a' (bytes [0, 16))"},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
       R"("b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}})",
       "bytes [8, 12) of the data belong to no tensor"},
      {R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}})",
       "the last 4 bytes of the data (from byte 12) belong to no tensor"},
      {R"({"a":{"dtype":"F32","shape":[8],"data_offsets":[0,32]}})",
       "tensor 'a' (F32[8]): data_offsets [0, 32] reach past the end of the "
       "16-byte data (is the file truncated?)"},
      {R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}})",
       "tensor 'a': data_offsets [8, 4] end before they begin"},
      {R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0]}})",
       "tensor 'a': data_offsets must be [BEGIN, END], given an array of 1 "
       "elements"},
      {R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[-4,16]}})",
       "tensor 'a': data_offsets[0]"},
      {R"({"a":{"dtype":"F32","shape":[4611686018427387904,4],)"
       R"("data_offsets":[0,16]}})",
       "tensor 'a': shape [4611686018427387904, 4] is too large"},
      {R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,16]}})",
       "tensor 'a': shape[0]"},
      {R"({"a":{"dtype":"F32","data_offsets":[0,16]}})", "tensor 'a'"},
      {R"({"a":{"dtype":"Q7","shape":[4],"data_offsets":[0,16]}})",
       "tensor 'a': unknown dtype 'Q7' (expected F32, F16, BF16, F64, I32, "
       "I64 or BOOL)"},
      {R"({"a":{"dtype":"U8","shape":[16],"data_offsets":[0,16]}})",
       "tensor 'a': dtype 'U8' is not supported by tensorc"},
      {R"({"a":[1,2]})",
       "tensor 'a': expected an object with dtype, shape and data_offsets"},
      {R"({"__metadata__":{"k":1},)"
       R"("a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})",
       "__metadata__ 'k': expected a string"},
      {R"({"__metadata__":["k"],)"
       R"("a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})",
       "__metadata__: expected an object of strings, given an array"},
      {R"({"a":{"dtype":"BOOL","shape":[16],"data_offsets":[0,16]}})",
       "tensor 'a': BOOL element 0 is 17, not 0 or 1"},
  };
  for (const Case &c : cases) {
    std::string msg = decodeError(rawFile(c.header, data));
    EXPECT_NE(msg.find(c.message), std::string::npos)
        << "\n  header:   " << c.header << "\n  expected: " << c.message
        << "\n  given:    " << msg;
    EXPECT_EQ(msg.rfind("f.safetensors", 0), 0u) << msg;
  }
}

TEST(SafetensorsTest, HeaderThatIsNotAHeader) {
  struct Case {
    std::string header, message;
  } cases[] = {
      {"", "the header is not a JSON object: it is empty"},
      {"[1, 2]", "the header is not a JSON object: it starts with '['"},
      {std::string("\0\0", 2), "it starts with byte 0"},
      {R"({"a": )", "the header is not valid JSON"},
      {R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},)"
       R"("a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}})",
       "two entries of the header are named 'a'"},
      {R"({"a":{"dtype":"F32","dtype":"F64","shape":[0],)"
       R"("data_offsets":[0,0]}})",
       "the entry 'a' repeats the key 'dtype'"},
      {R"({"a":{"shape":[[[0]]]}})",
       "the entry 'a' nests deeper than a safetensors header does"},
      {std::string(100, '['), "starts with '['"},
  };
  for (const Case &c : cases) {
    std::string msg = decodeError(rawFile(c.header));
    EXPECT_NE(msg.find(c.message), std::string::npos)
        << "\n  expected: " << c.message << "\n  given:    " << msg;
  }
  // Deep nesting is refused before a DOM is built (no stack overflow).
  std::string deep = "{\"a\":" + std::string(200000, '[');
  EXPECT_NE(decodeError(rawFile(deep)).find("nests deeper"), std::string::npos);
}

TEST(SafetensorsTest, WritesAtomically) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  std::string dir = makeTempDir();
  ASSERT_FALSE(dir.empty());
  std::string path = dir + "/p.safetensors";
  Safetensors s = everyDType(rng);
  TC_ASSERT_OK(writeSafetensors(path, s));
  TC_ASSERT_OK_AND_ASSIGN(Safetensors back, readSafetensors(path));
  for (const auto &[name, t] : s.tensors)
    EXPECT_TRUE(sameTensor(back.tensors.at(name), t)) << name;
  std::ifstream in(path, std::ios::binary);
  std::stringstream file;
  file << in.rdbuf();
  EXPECT_EQ(file.str(), *encodeSafetensors(s));

  // A failed write leaves the old file as it was, and no temporary file.
  Safetensors bad = s;
  bad.tensors["__metadata__"] = randomTensor(DType::F32, {1}, rng);
  std::string msg = errorOf(writeSafetensors(path, bad));
  EXPECT_NE(msg.find("cannot write '" + path +
                     "': a tensor cannot be named "
                     "'__metadata__'"),
            std::string::npos)
      << msg;
  Safetensors badName;
  badName.tensors["\xff"] = randomTensor(DType::F32, {1}, rng);
  EXPECT_NE(errorOf(writeSafetensors(path, badName))
                .find("tensor name '\xff' is not valid UTF-8"),
            std::string::npos);
  Safetensors badMetadata = s;
  badMetadata.metadata["k\xc3"] = "v";
  EXPECT_NE(errorOf(writeSafetensors(path, badMetadata))
                .find("metadata 'k\xc3' is not valid UTF-8"),
            std::string::npos);
  EXPECT_EQ(errorOf(writeSafetensors(dir + "/no/such/dir/p.safetensors", s))
                .find("cannot "),
            0u);
  TC_ASSERT_OK_AND_ASSIGN(back, readSafetensors(path));
  EXPECT_TRUE(sameTensor(back.tensors.at("f32"), s.tensors.at("f32")));
  std::vector<std::string> names;
  if (DIR *d = opendir(dir.c_str())) {
    while (dirent *e = readdir(d))
      if (e->d_name[0] != '.')
        names.push_back(e->d_name);
    closedir(d);
  }
  EXPECT_EQ(names, std::vector<std::string>{"p.safetensors"});

  EXPECT_NE(errorOf(readSafetensors(dir + "/missing.safetensors"))
                .find("cannot open '" + dir + "/missing.safetensors'"),
            std::string::npos);
  EXPECT_NE(errorOf(readSafetensors(dir))
                .find("cannot read '" + dir + "': it is a directory"),
            std::string::npos);
  std::remove(path.c_str());
  rmdir(dir.c_str());
}

} // namespace
