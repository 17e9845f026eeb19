//===- SafetensorsPythonTest.cpp - Files shared with Python's safetensors -===//
//
// Both directions against the reference implementation, on fresh random
// values: a file tensorc writes loads in `safetensors.numpy` with the same
// values (checked through .npy files numpy writes) and is saved back by
// Python byte for byte the same; a file Python writes loads here with the
// values numpy saved beside it. BF16, which numpy lacks, goes through
// `safetensors.torch` where PyTorch is installed.
//
//===----------------------------------------------------------------------===//

#include "PythonUtil.h"
#include "TestUtil.h"
#include "tensorc/npy.h"
#include "tensorc/safetensors.h"

#include <cstring>
#include <fstream>
#include <sstream>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

std::string readBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

HostTensor randomTensor(DType dtype, std::vector<int64_t> shape,
                        std::mt19937_64 &rng) {
  HostTensor t = *HostTensor::zeros(dtype, std::move(shape));
  auto *b = static_cast<uint8_t *>(t.data());
  for (size_t i = 0; i < t.byteSize(); ++i)
    b[i] = static_cast<uint8_t>(rng());
  if (dtype == DType::Bool)
    for (size_t i = 0; i < t.byteSize(); ++i)
      b[i] = i == 0 || (b[i] & 1);
  if (dtype == DType::F16) // no NaN or infinity: numpy compares them oddly
    for (size_t i = 1; i < t.byteSize(); i += 2)
      b[i] &= 0xbb;
  return t;
}

bool sameBytes(const HostTensor &a, const HostTensor &b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() &&
         std::memcmp(a.data(), b.data(), a.byteSize()) == 0;
}

class SafetensorsPythonTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = makeTempDir();
    ASSERT_FALSE(dir.empty());
  }
  void TearDown() override {
    std::string command = "rm -rf " + shellQuote(dir);
    (void)std::system(command.c_str());
  }
  std::string dir;
};

// Loads ARGV[1] with safetensors.numpy, saves each tensor as NAME.npy in
// ARGV[2] and prints the metadata; then saves the tensors back to ARGV[3]
// with only the "model" metadata (Python orders several keys at random).
const char *kReadScript = R"py(
import os, sys
import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file
src, out, back = sys.argv[1:4]
tensors = load_file(src)
with safe_open(src, framework="np") as f:
    meta = f.metadata()
    assert sorted(f.keys()) == sorted(tensors), (f.keys(), tensors.keys())
for name, value in tensors.items():
    assert isinstance(value, np.ndarray), name
    np.save(os.path.join(out, name + ".npy"), value)
print("metadata", sorted(meta.items()))
save_file(tensors, back, metadata={"model": meta["model"]})
)py";

TEST_F(SafetensorsPythonTest, TensorcFilesLoadInPython) {
  TC_REQUIRE_PYTHON_SAFETENSORS();
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  Safetensors s;
  s.tensors["layer.w"] = randomTensor(DType::F32, {5, 3}, rng);
  s.tensors["layer.b"] = randomTensor(DType::F32, {3}, rng);
  s.tensors["half"] = randomTensor(DType::F16, {4, 2}, rng);
  s.tensors["f64"] = randomTensor(DType::F64, {2, 1, 3}, rng);
  s.tensors["i32"] = randomTensor(DType::I32, {6}, rng);
  s.tensors["i64"] = randomTensor(DType::I64, {2, 2}, rng);
  s.tensors["mask"] = randomTensor(DType::Bool, {7}, rng);
  s.tensors["scalar"] = randomTensor(DType::F32, {}, rng);
  s.tensors["empty"] = *HostTensor::zeros(DType::F32, {0, 3});
  s.metadata["model"] = "MLP";
  s.metadata["step"] = std::to_string(rng() % 1000);
  std::string path = dir + "/t.safetensors", back = dir + "/back.safetensors";
  TC_ASSERT_OK(writeSafetensors(path, s));

  std::string output;
  ASSERT_EQ(runPython(dir, "read", kReadScript, {path, dir, back}, output), 0)
      << output;
  EXPECT_NE(output.find("metadata [('model', 'MLP'), ('step', '" +
                        s.metadata["step"] + "')]"),
            std::string::npos)
      << output;
  for (const auto &[name, t] : s.tensors) {
    TC_ASSERT_OK_AND_ASSIGN(HostTensor fromNumpy,
                            readNpy(dir + "/" + name + ".npy"));
    EXPECT_TRUE(sameBytes(fromNumpy, t))
        << name << ": numpy read " << fromNumpy.typeString() << ", written "
        << t.typeString();
  }
  // The reference implementation writes the very same bytes.
  s.metadata.erase("step");
  EXPECT_EQ(readBytes(back), *encodeSafetensors(s));
}

// Saves random tensors of every numpy dtype to ARGV[2] with metadata, and
// each one as NAME.npy in ARGV[1].
const char *kWriteScript = R"py(
import os, sys
import numpy as np
from safetensors.numpy import save_file
out, path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = np.random.default_rng(seed)
tensors = {
    "w1": rng.standard_normal((7, 5)).astype(np.float32),
    "b1": rng.standard_normal(5).astype(np.float32),
    "half": rng.standard_normal((3, 3)).astype(np.float16),
    "f64": rng.standard_normal((2, 3, 2)),
    "ids": rng.integers(-2**31, 2**31, size=8, dtype=np.int32),
    "big": rng.integers(-2**62, 2**62, size=(2, 3), dtype=np.int64),
    "mask": rng.integers(0, 2, size=5).astype(np.bool_),
    "scalar": np.array(rng.standard_normal(), dtype=np.float32),
    "empty": np.zeros((2, 0), dtype=np.float32),
    # A view (transposed): safetensors stores it row-major, as numpy sees it.
    "wt": rng.standard_normal((4, 6)).astype(np.float32).T,
}
for name, value in tensors.items():
    np.save(os.path.join(out, name + ".npy"), value.copy(order="C"))
# One metadata key: Python orders several at random.
save_file({k: v.copy(order="C") for k, v in tensors.items()}, path,
          metadata={"seed": str(seed)})
)py";

TEST_F(SafetensorsPythonTest, PythonFilesLoadInTensorc) {
  TC_REQUIRE_PYTHON_SAFETENSORS();
  TC_TRACE_SEED();
  std::string path = dir + "/py.safetensors", output;
  std::string seed = std::to_string(testSeed() % 1000000007);
  ASSERT_EQ(runPython(dir, "write", kWriteScript, {dir, path, seed}, output), 0)
      << output;
  TC_ASSERT_OK_AND_ASSIGN(Safetensors s, readSafetensors(path));
  EXPECT_EQ(s.metadata, (std::map<std::string, std::string>{{"seed", seed}}));
  EXPECT_EQ(s.tensors.size(), 10u);
  for (const char *name : {"w1", "b1", "half", "f64", "ids", "big", "mask",
                           "scalar", "empty", "wt"}) {
    TC_ASSERT_OK_AND_ASSIGN(HostTensor want,
                            readNpy(dir + "/" + name + ".npy"));
    auto it = s.tensors.find(name);
    ASSERT_NE(it, s.tensors.end()) << name;
    EXPECT_TRUE(sameBytes(it->second, want))
        << name << ": read " << it->second.typeString() << ", numpy saved "
        << want.typeString();
  }
  EXPECT_EQ(s.tensors.at("wt").shape(), (std::vector<int64_t>{6, 4}));
  EXPECT_EQ(s.tensors.at("scalar").shape(), std::vector<int64_t>{});
  // What tensorc writes back is what Python wrote.
  TC_ASSERT_OK_AND_ASSIGN(std::string again, encodeSafetensors(s));
  EXPECT_EQ(again, readBytes(path));
}

// BF16 through PyTorch: ARGV[1] (written by tensorc) is read, each value
// printed as float32 bits; then ARGV[2] is written from the same values + 1.
const char *kBf16Script = R"py(
import sys
import torch
from safetensors.torch import load_file, save_file
t = load_file(sys.argv[1])["x"]
assert t.dtype == torch.bfloat16 and list(t.shape) == [3, 4], t
print(" ".join(str(v) for v in t.float().flatten().tolist()))
save_file({"x": t + 1}, sys.argv[2])
)py";

TEST_F(SafetensorsPythonTest, Bf16ThroughPyTorch) {
  TC_REQUIRE_PYTHON_SAFETENSORS();
  if (!pythonHas("torch, safetensors.torch"))
    GTEST_SKIP() << "skipped: " << pythonPath()
                 << " has no PyTorch (numpy has no bfloat16)";
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  // Small integers and halves: exact in bf16, and after adding 1.
  std::vector<uint16_t> bits(12);
  std::vector<float> want(12);
  for (size_t i = 0; i < bits.size(); ++i) {
    float v = (static_cast<int>(rng() % 64) - 32) * 0.5f;
    uint32_t u;
    std::memcpy(&u, &v, 4);
    bits[i] = static_cast<uint16_t>(u >> 16);
    want[i] = v;
  }
  Safetensors s;
  s.tensors["x"] =
      *HostTensor::fromBytes(DType::BF16, {3, 4}, bits.data(), bits.size() * 2);
  std::string in = dir + "/bf16.safetensors", out = dir + "/bf16b.safetensors";
  TC_ASSERT_OK(writeSafetensors(in, s));
  std::string output;
  ASSERT_EQ(runPython(dir, "bf16", kBf16Script, {in, out}, output), 0)
      << output;
  std::istringstream values(output);
  for (float w : want) {
    float v = 0;
    values >> v;
    EXPECT_EQ(v, w) << output;
  }
  TC_ASSERT_OK_AND_ASSIGN(Safetensors back, readSafetensors(out));
  const HostTensor &x = back.tensors.at("x");
  ASSERT_EQ(x.dtype(), DType::BF16);
  for (size_t i = 0; i < want.size(); ++i) {
    uint16_t b;
    std::memcpy(&b, static_cast<const char *>(x.data()) + 2 * i, 2);
    uint32_t u = uint32_t(b) << 16;
    float v;
    std::memcpy(&v, &u, 4);
    EXPECT_EQ(v, want[i] + 1) << i;
  }
}

} // namespace
