//===- SessionParamsTest.cpp - Session::loadParams and saveParams ---------===//
//
// On the CPU, with the hand-written AddRowSum artifact (TestModel.h): params
// saved and loaded back give the same outputs, a file that does not match
// the model changes nothing and lists every difference, and the files are
// the ones Python's safetensors reads and writes.
//
//===----------------------------------------------------------------------===//

#include "CpuSession.h"
#include "PythonUtil.h"
#include "TestModel.h"
#include "TestUtil.h"
#include "tensorc/npy.h"
#include "tensorc/runtime.h"
#include "tensorc/safetensors.h"

#include <fstream>
#include <sstream>
#include <sys/stat.h>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

std::unique_ptr<Session> cpuSession(uint64_t seed) {
  return addRowSumCpuSession(2, seed);
}

HostTensor floats(std::vector<int64_t> shape, const std::vector<float> &v) {
  return *HostTensor::fromVector<float>(std::move(shape), v);
}

std::vector<float> values(const HostTensor &t) {
  return std::vector<float>(t.data<float>(), t.data<float>() + t.numel());
}

/// forward on fresh random inputs matches the reference computed with `w`.
void checkForward(Session &session, const std::vector<float> &w,
                  std::mt19937_64 &rng) {
  int64_t batch = 1 + static_cast<int64_t>(rng() % 40);
  std::vector<float> x = randomFloats(batch * kCols, rng);
  std::vector<float> y = randomFloats(batch * kCols, rng);
  Expected<TensorMap> out =
      session.run("forward", {{"x", floats({batch, kCols}, x)},
                              {"y", floats({batch, kCols}, y)}});
  ASSERT_TRUE(out.ok()) << out.status().message();
  std::vector<float> wantT, wantSum;
  addRowSumReference(x, y, w, batch, wantT, wantSum);
  EXPECT_EQ(values(out->at("sum")), wantSum);
  EXPECT_EQ(values(out->at("t")), wantT);
}

class SessionParamsTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = makeTempDir();
    ASSERT_FALSE(dir.empty());
    path = dir + "/params.safetensors";
  }
  void TearDown() override {
    std::string command = "rm -rf " + shellQuote(dir);
    (void)std::system(command.c_str());
  }
  std::string dir, path;
};

TEST_F(SessionParamsTest, SavedParamsLoadBack) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  std::unique_ptr<Session> a = cpuSession(testSeed());
  ASSERT_TRUE(a);
  std::vector<float> w = randomFloats(kCols, rng);
  TC_ASSERT_OK(a->setParam("w", floats({kCols}, w)));
  TC_ASSERT_OK(a->saveParams(path));

  TC_ASSERT_OK_AND_ASSIGN(Safetensors file, readSafetensors(path));
  ASSERT_EQ(file.tensors.size(), 1u);
  EXPECT_EQ(file.tensors.at("w").shape(), std::vector<int64_t>{kCols});
  EXPECT_EQ(values(file.tensors.at("w")), w);
  EXPECT_EQ(file.metadata.at("model"), "AddRowSum");

  // Another session (another seed) takes the saved values.
  std::unique_ptr<Session> b = cpuSession(testSeed() + 1);
  ASSERT_TRUE(b);
  EXPECT_NE(values(*b->getParam("w")), w);
  TC_ASSERT_OK(b->loadParams(path));
  EXPECT_EQ(values(*b->getParam("w")), w);
  checkForward(*b, w, rng);
}

TEST_F(SessionParamsTest, InitialParamsMatchTheSession) {
  std::unique_ptr<Session> s = cpuSession(testSeed());
  ASSERT_TRUE(s);
  TC_ASSERT_OK_AND_ASSIGN(TensorMap init,
                          initialParams(s->manifest(), testSeed()));
  ASSERT_EQ(init.size(), 1u);
  EXPECT_EQ(values(init.at("w")), values(*s->getParam("w")));
}

TEST(SessionTest, CreateNeedsAnArtifact) {
  EXPECT_EQ(errorOf(Session::create(nullptr, SessionOptions())),
            "Session::create: no artifact");
}

TEST_F(SessionParamsTest, AMismatchedFileChangesNothing) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  std::unique_ptr<Session> s = cpuSession(testSeed());
  ASSERT_TRUE(s);
  std::vector<float> w = values(*s->getParam("w"));

  auto load = [&](const Safetensors &file) {
    EXPECT_TRUE(writeSafetensors(path, file).ok());
    return errorOf(s->loadParams(path));
  };
  std::string head =
      path + " does not hold the params of model 'AddRowSum' (no param was "
             "changed):\n  ";
  Safetensors wrongShape;
  wrongShape.tensors["w"] = floats({kCols + 1}, randomFloats(kCols + 1, rng));
  wrongShape.tensors["v"] = floats({2}, randomFloats(2, rng));
  EXPECT_EQ(load(wrongShape), head + "tensor 'w' is f32[17], but the param is "
                                     "f32[16]\n  tensor 'v' (f32[2]) is no "
                                     "param of the model");
  Safetensors wrongDType;
  wrongDType.tensors["w"] = *HostTensor::zeros(DType::F64, {kCols});
  EXPECT_EQ(load(wrongDType),
            head + "tensor 'w' is f64[16], but the param is f32[16]");
  Safetensors missing;
  missing.tensors["W"] = floats({kCols}, randomFloats(kCols, rng));
  EXPECT_EQ(load(missing), head + "no tensor 'w' (param f32[16])\n  tensor "
                                  "'W' (f32[16]) is no param of the model");
  EXPECT_EQ(values(*s->getParam("w")), w);

  // A truncated file: the reader's error, and nothing changed.
  Safetensors good;
  good.tensors["w"] = floats({kCols}, randomFloats(kCols, rng));
  TC_ASSERT_OK_AND_ASSIGN(std::string bytes, encodeSafetensors(good));
  std::ofstream(path, std::ios::binary) << bytes.substr(0, bytes.size() - 3);
  std::string msg = errorOf(s->loadParams(path));
  EXPECT_NE(msg.find(path + ": tensor 'w' (F32[16]): data_offsets [0, 64] "
                            "reach past the end of the 61-byte data"),
            std::string::npos)
      << msg;
  EXPECT_EQ(values(*s->getParam("w")), w);
  checkForward(*s, w, rng);
  EXPECT_NE(errorOf(s->loadParams(dir + "/none.safetensors"))
                .find("cannot open '" + dir + "/none.safetensors'"),
            std::string::npos);
}

TEST_F(SessionParamsTest, AFailedSaveKeepsTheOldFile) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  std::unique_ptr<Session> s = cpuSession(testSeed());
  ASSERT_TRUE(s);
  TC_ASSERT_OK(s->saveParams(path));
  std::ifstream in(path, std::ios::binary);
  std::stringstream before;
  before << in.rdbuf();
  // A directory where the file should be: the rename fails.
  std::string target = dir + "/taken";
  ASSERT_EQ(mkdir(target.c_str(), 0755), 0);
  std::string msg = errorOf(s->saveParams(target));
  EXPECT_EQ(msg.find("cannot "), 0u) << msg;
  EXPECT_NE(msg.find(target), std::string::npos) << msg;
  std::string listing;
  std::string command = "ls -A " + shellQuote(dir);
  FILE *ls = ::popen(command.c_str(), "r");
  char buffer[256];
  while (size_t n = std::fread(buffer, 1, sizeof(buffer), ls))
    listing.append(buffer, n);
  ::pclose(ls);
  EXPECT_EQ(listing, "params.safetensors\ntaken\n"); // no temporary left
  TC_ASSERT_OK(s->setParam("w", floats({kCols}, randomFloats(kCols, rng))));
  EXPECT_FALSE(s->saveParams(dir + "/no/dir/p.safetensors").ok());
  std::ifstream again(path, std::ios::binary);
  std::stringstream after;
  after << again.rdbuf();
  EXPECT_EQ(after.str(), before.str());
}

// ARGV[1]: params saved by tensorc; ARGV[2]: params to write with fresh
// values, also saved as ARGV[3] (.npy).
const char *kParamsScript = R"py(
import sys
import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file
saved, new, npy, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
p = load_file(saved)
assert list(p) == ["w"] and p["w"].dtype == np.float32, p
assert p["w"].shape == (16,), p["w"].shape
with safe_open(saved, framework="np") as f:
    assert f.metadata() == {"model": "AddRowSum"}, f.metadata()
print(" ".join(repr(float(v)) for v in p["w"]))
w = np.random.default_rng(seed).uniform(-3, 3, 16).astype(np.float32)
np.save(npy, w)
save_file({"w": w}, new)
)py";

TEST_F(SessionParamsTest, ParamsFilesAreSharedWithPython) {
  TC_REQUIRE_PYTHON_SAFETENSORS();
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  std::unique_ptr<Session> s = cpuSession(testSeed());
  ASSERT_TRUE(s);
  std::vector<float> w = values(*s->getParam("w"));
  TC_ASSERT_OK(s->saveParams(path));
  std::string fromPython = dir + "/py.safetensors", npy = dir + "/w.npy";
  std::string output;
  ASSERT_EQ(runPython(dir, "params", kParamsScript,
                      {path, fromPython, npy, std::to_string(rng() >> 33)},
                      output),
            0)
      << output;
  std::istringstream printed(output);
  for (float want : w) {
    double v = 0;
    printed >> v;
    EXPECT_EQ(static_cast<float>(v), want) << output;
  }
  TC_ASSERT_OK(s->loadParams(fromPython));
  TC_ASSERT_OK_AND_ASSIGN(HostTensor pyW, readNpy(npy));
  EXPECT_EQ(values(*s->getParam("w")), values(pyW));
  EXPECT_NE(values(pyW), w);
  checkForward(*s, values(pyW), rng);
}

} // namespace
