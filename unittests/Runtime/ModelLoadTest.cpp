//===- ModelLoadTest.cpp - tensorc::Model with the runtime alone ----------===//
//
// Model::load and sessions from tensorc/tensorc.h, in a binary that links
// the runtime and no compiler: the hand-written AddRowSum artifact
// (TestModel.h) from files, checked exactly against a plain loop.
//
//===----------------------------------------------------------------------===//

#include "TestModel.h"
#include "TestUtil.h"
#include "tensorc/tensorc.h"

#include <fstream>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

std::vector<float> values(const HostTensor &t) {
  const float *p = t.data<float>();
  return std::vector<float>(p, p + t.numel());
}

TEST(ModelLoadTest, LoadsAnArtifactAndRunsItsSessions) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  std::string dir = makeTempDir();
  ASSERT_FALSE(dir.empty());
  {
    std::ifstream in(TENSORC_TEST_KERNELS_SO, std::ios::binary);
    std::ofstream out(dir + "/kernels.so", std::ios::binary);
    out << in.rdbuf();
    std::ofstream(dir + "/model.so.json")
        << addRowSumManifest(R"({"kind": "cpu"})", "kernels.so");
  }
  TC_ASSERT_OK_AND_ASSIGN(Model model, Model::load(dir + "/model.so.json"));
  EXPECT_EQ(model.name(), "AddRowSum");
  EXPECT_EQ(model.target(), DeviceKind::Cpu);
  EXPECT_EQ(model.entryNames(), std::vector<std::string>{"forward"});
  EXPECT_EQ(model.compileInfo().cache, CacheOutcome::Disabled);

  // Two sessions with different seeds: independent params.
  SessionOptions options;
  options.seed = testSeed();
  TC_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Session> a,
                          model.newSession(options));
  options.seed += 1;
  TC_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Session> b,
                          model.newSession(options));
  std::vector<float> w = values(*a->getParam("w"));
  EXPECT_NE(w, values(*b->getParam("w")));

  // Dims by name: B is bound by the inputs, and may be given as well.
  int64_t batch = 5;
  std::vector<float> x = randomFloats(batch * kCols, rng);
  std::vector<float> y = randomFloats(batch * kCols, rng);
  TensorMap inputs = {{"x", *HostTensor::fromVector<float>({batch, kCols}, x)},
                      {"y", *HostTensor::fromVector<float>({batch, kCols}, y)}};
  TC_ASSERT_OK_AND_ASSIGN(TensorMap out,
                          a->run("forward", inputs, {{"B", batch}}));
  std::vector<float> wantT, wantSum;
  addRowSumReference(x, y, w, batch, wantT, wantSum);
  EXPECT_EQ(values(out.at("sum")), wantSum);
  EXPECT_EQ(values(out.at("t")), wantT);
  auto disagree = a->run("forward", inputs, {{"B", batch + 1}});
  EXPECT_FALSE(disagree.ok());

  // An artifact for the CPU cannot run on CUDA.
  options.device = DeviceKind::Cuda;
  EXPECT_FALSE(model.newSession(options).ok());
}

} // namespace
