//===- ModelTest.cpp - tensorc::Model: compile, load, sessions ------------===//

#include "APITestUtil.h"

#include <fstream>
#include <map>
#include <unistd.h>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

CompileOptions uncachedCpu() {
  CompileOptions options;
  options.device = DeviceKind::Cpu;
  options.cache = false;
  return options;
}

TEST(ModelTest, CompilesSourceTextAndRunsEveryBatchSize) {
  uint64_t seed = testSeed();
  SCOPED_TRACE("TENSORC_TEST_SEED=" + std::to_string(seed));
  auto model = Model::compile(ModelSource::text(kTinySource, "tiny.tdsl"),
                              uncachedCpu());
  ASSERT_TRUE(model.ok()) << model.status().message();
  EXPECT_EQ(model->name(), "Tiny");
  EXPECT_EQ(model->target(), DeviceKind::Cpu);
  EXPECT_EQ(model->entryNames(), std::vector<std::string>{"forward"});
  EXPECT_EQ(model->compileInfo().cache, CacheOutcome::Disabled);
  EXPECT_GT(model->compileInfo().seconds, 0);
  // One compile serves every batch size; a copy of the model shares it.
  Model copy = *model;
  for (int64_t batch : {1, 3, 17})
    runAndCheck(copy, randomInput(batch, seed + batch), seed);
}

TEST(ModelTest, SessionsOfOneModelAreIndependent) {
  uint64_t seed = testSeed();
  auto model = Model::compile(ModelSource::text(kTinySource), uncachedCpu());
  ASSERT_TRUE(model.ok()) << model.status().message();
  HostTensor x = randomInput(5, seed);
  std::vector<float> a = runAndCheck(*model, x, seed);
  std::vector<float> b = runAndCheck(*model, x, seed + 1);
  std::vector<float> c = runAndCheck(*model, x, seed);
  EXPECT_EQ(a, c);
  EXPECT_NE(a, b) << "the seed does not reach the initializers";
}

TEST(ModelTest, CompilesAFile) {
  TempDir dir;
  std::string path = dir.path() + "/tiny.tdsl";
  std::ofstream(path) << kTinySource;
  auto model = Model::compile(ModelSource::file(path), uncachedCpu());
  ASSERT_TRUE(model.ok()) << model.status().message();
  runAndCheck(*model, randomInput(4, testSeed()), testSeed());
}

TEST(ModelTest, CompileErrorsAreLocatedAndShowTheSource) {
  std::string source = "model Bad {\n  fn f(x: f32[4]) -> f32[4] {\n"
                       "    return x + undefined_name\n  }\n}\n";
  auto model =
      Model::compile(ModelSource::text(source, "bad.tdsl"), uncachedCpu());
  ASSERT_FALSE(model.ok());
  const std::string &message = model.status().message();
  EXPECT_NE(message.find("bad.tdsl:3:16: error:"), std::string::npos)
      << message;
  EXPECT_NE(message.find("return x + undefined_name"), std::string::npos)
      << message;
  EXPECT_NE(message.find("^"), std::string::npos) << message;
}

TEST(ModelTest, MissingFilesAndBadOptionsAreErrors) {
  auto missing =
      Model::compile(ModelSource::file("/nonexistent/m.tdsl"), uncachedCpu());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(
      missing.status().message().find("cannot open '/nonexistent/m.tdsl'"),
      std::string::npos)
      << missing.status().message();

  CompileOptions options = uncachedCpu();
  options.device = DeviceKind::Cuda;
  options.backend = "bogus";
  auto bad = Model::compile(ModelSource::text(kTinySource), options);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown backend 'bogus'"),
            std::string::npos)
      << bad.status().message();

  CompileOptions fp8 = uncachedCpu();
  fp8.precision = "fp8";
  auto badPrecision = Model::compile(ModelSource::text(kTinySource), fp8);
  ASSERT_FALSE(badPrecision.ok());
  EXPECT_NE(badPrecision.status().message().find(
                "unknown precision 'fp8'; use f32, bf16 or f16"),
            std::string::npos)
      << badPrecision.status().message();

  // A source over 64 MiB is refused before it is read (a sparse file: no
  // disk is used).
  TempDir dir;
  std::string huge = dir.path() + "/huge.tdsl";
  {
    std::ofstream(huge) << kTinySource;
  }
  ASSERT_EQ(::truncate(huge.c_str(), (int64_t(64) << 20) + 1), 0);
  auto tooLarge = Model::compile(ModelSource::file(huge), uncachedCpu());
  ASSERT_FALSE(tooLarge.ok());
  EXPECT_NE(tooLarge.status().message().find(
                "' is 67108865 bytes; sources are limited to 64 MiB"),
            std::string::npos)
      << tooLarge.status().message();

  auto load = Model::load("/nonexistent/model.so.json");
  ASSERT_FALSE(load.ok());
  EXPECT_NE(load.status().message().find("/nonexistent/model.so.json"),
            std::string::npos);
}

TEST(ModelTest, ACudaModelCompilesWithoutAGpuAndSaysWhyItCannotRun) {
  CompileOptions options = uncachedCpu();
  options.device = DeviceKind::Cuda;
  auto model = Model::compile(ModelSource::text(kTinySource), options);
  ASSERT_TRUE(model.ok()) << model.status().message();
  EXPECT_EQ(model->target(), DeviceKind::Cuda);
  EXPECT_NE(model->artifact()->module().find(".entry"), std::string::npos);
  if (probeCuda().ok())
    GTEST_SKIP() << "a GPU is usable here";
  auto session = model->newSession();
  ASSERT_FALSE(session.ok());
  // A CPU session of a CUDA model is refused too, with a way out.
  SessionOptions cpu;
  cpu.device = DeviceKind::Cpu;
  auto onCpu = model->newSession(cpu);
  ASSERT_FALSE(onCpu.ok());
}

TEST(ModelTest, BadInputsAreRefusedByNameBeforeRunning) {
  uint64_t seed = testSeed();
  auto model = Model::compile(ModelSource::text(kTinySource), uncachedCpu());
  ASSERT_TRUE(model.ok()) << model.status().message();
  SessionOptions options;
  options.seed = seed;
  auto session = model->newSession(options);
  ASSERT_TRUE(session.ok()) << session.status().message();
  HostTensor x = randomInput(3, seed);
  std::vector<float> seven(3 * 7, 0.5f);
  std::vector<int32_t> ints(3 * 8, 1);
  struct Case {
    const char *what;
    TensorMap inputs;
    std::map<std::string, int64_t> dims;
    std::vector<std::string> says;
  } cases[] = {
      {"unknown name", {{"x", x}, {"z", x}}, {}, {"unknown input 'z'"}},
      {"missing", {}, {}, {"missing input 'x'"}},
      {"dtype",
       {{"x", *HostTensor::fromVector<int32_t>({3, 8}, ints)}},
       {},
       {"'x'", "expected dtype f32"}},
      {"rank",
       {{"x", *HostTensor::fromVector<float>({24}, std::vector<float>(24, 1))}},
       {},
       {"'x'", "expected rank 2"}},
      {"static dim",
       {{"x", *HostTensor::fromVector<float>({3, 7}, seven)}},
       {},
       {"'x'", "dim 1 expected 8"}},
      {"dim by name disagrees", {{"x", x}}, {{"B", 4}}, {"'B'"}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.what);
    auto out = (*session)->run("forward", c.inputs, c.dims);
    ASSERT_FALSE(out.ok());
    for (const std::string &part : c.says)
      EXPECT_NE(out.status().message().find(part), std::string::npos)
          << out.status().message();
  }
  // Nothing ran: the session still computes the right thing.
  auto out = (*session)->run("forward", {{"x", x}}, {{"B", 3}});
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->count("result"), 1u);
  runAndCheck(*model, x, seed);
}

TEST(ModelTest, LoadRunsACacheEntryAsAnArtifact) {
  uint64_t seed = testSeed();
  TempDir dir;
  CompileOptions options = uncachedCpu();
  options.cache = true;
  options.cacheDir = dir.path();
  auto compiled = Model::compile(ModelSource::text(kTinySource), options);
  ASSERT_TRUE(compiled.ok()) << compiled.status().message();
  ASSERT_EQ(compiled->compileInfo().cache, CacheOutcome::Miss);
  // An entry is an artifact: its manifest names module.so beside it.
  auto loaded =
      Model::load(compiled->compileInfo().cacheEntry + "/manifest.json");
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->name(), "Tiny");
  HostTensor x = randomInput(6, seed);
  EXPECT_EQ(runAndCheck(*loaded, x, seed), runAndCheck(*compiled, x, seed));
}

} // namespace
