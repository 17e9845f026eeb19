//===- CpuExecTest.cpp - Running artifacts on the CPU, end to end
//----------===//
//
// The hand-written AddRowSum artifact (TestModel.h) with its kernels from a
// resolver (as the JIT supplies them) and from a shared object (as an
// ahead-of-time artifact does), for several batch sizes and thread counts,
// checked exactly against a plain loop.
//
//===----------------------------------------------------------------------===//

#include "CpuSession.h"
#include "TestModel.h"
#include "TestUtil.h"
#include "runtime/Device.h"
#include "tensorc/runtime.h"

#include <atomic>
#include <fstream>
#include <sys/stat.h>

extern "C" {
extern std::atomic<int64_t> tensorcTestLaunchedBlocks;
}

using namespace tensorc;
using namespace tensorc::testing;

namespace {

const std::string &kCpuManifest = addRowSumCpuManifest();

std::unique_ptr<Session> cpuSession(unsigned threads, uint64_t seed = 0) {
  return addRowSumCpuSession(threads, seed);
}

HostTensor floats(std::vector<int64_t> shape, const std::vector<float> &v) {
  return *HostTensor::fromVector<float>(std::move(shape), v);
}

std::vector<float> values(const HostTensor &t) {
  const float *p = t.data<float>();
  return std::vector<float>(p, p + t.numel());
}

/// Runs `forward` on fresh random inputs and compares exactly with the
/// reference; `w` is the param's current value.
void checkForward(Session &session, int64_t batch, const std::vector<float> &w,
                  std::mt19937_64 &rng) {
  SCOPED_TRACE("B = " + std::to_string(batch));
  std::vector<float> x = randomFloats(batch * kCols, rng);
  std::vector<float> y = randomFloats(batch * kCols, rng);
  Expected<TensorMap> out =
      session.run("forward", {{"x", floats({batch, kCols}, x)},
                              {"y", floats({batch, kCols}, y)}});
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_EQ(out->size(), 2u);
  const HostTensor &sum = out->at("sum");
  const HostTensor &t = out->at("t");
  EXPECT_EQ(sum.shape(), (std::vector<int64_t>{batch}));
  EXPECT_EQ(t.shape(), (std::vector<int64_t>{batch, 4, 4}));
  std::vector<float> wantT, wantSum;
  addRowSumReference(x, y, w, batch, wantT, wantSum);
  EXPECT_EQ(values(sum), wantSum);
  EXPECT_EQ(values(t), wantT);
}

TEST(CpuExecTest, RunsEveryBatchSizeOnAnyNumberOfThreads) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  for (unsigned threads : {1u, 3u, 4u}) {
    SCOPED_TRACE(std::to_string(threads) + " threads");
    std::unique_ptr<Session> session = cpuSession(threads);
    ASSERT_TRUE(session);
    EXPECT_EQ(session->deviceKind(), DeviceKind::Cpu);
    EXPECT_EQ(session->deviceName(),
              "cpu (" + std::to_string(threads) +
                  (threads == 1 ? " thread)" : " threads)"));
    std::vector<float> w = randomFloats(kCols, rng);
    TC_ASSERT_OK(session->setParam("w", floats({kCols}, w)));
    TC_ASSERT_OK_AND_ASSIGN(HostTensor back, session->getParam("w"));
    EXPECT_EQ(values(back), w);
    // Growing and shrinking the batch reuses the arena.
    for (int64_t batch : {1, 7, 64, 1, 7, 300})
      checkForward(*session, batch, w, rng);
  }
}

TEST(CpuExecTest, ParamsStartFromTheirInitializers) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  std::unique_ptr<Session> session = cpuSession(2, testSeed());
  ASSERT_TRUE(session);
  EXPECT_EQ(session->paramNames(), std::vector<std::string>{"w"});
  TC_ASSERT_OK_AND_ASSIGN(HostTensor w, session->getParam("w"));
  std::vector<float> wv = values(w);
  for (float v : wv) {
    EXPECT_GE(v, -1.0f); // uniform(-1, 1)
    EXPECT_LT(v, 1.0f);
  }
  checkForward(*session, 7, wv, rng);
  // Same seed, same values; initParams resets what setParam changed.
  std::unique_ptr<Session> again = cpuSession(1, testSeed());
  EXPECT_EQ(values(*again->getParam("w")), wv);
  TC_ASSERT_OK(again->setParam("w", floats({kCols}, randomFloats(kCols, rng))));
  TC_ASSERT_OK(again->initParams(testSeed()));
  EXPECT_EQ(values(*again->getParam("w")), wv);
  TC_ASSERT_OK(again->initParams(testSeed() + 1));
  EXPECT_NE(values(*again->getParam("w")), wv);
}

TEST(CpuExecTest, LoadsAnAheadOfTimeSharedObject) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  std::string dir = makeTempDir();
  ASSERT_FALSE(dir.empty());
  {
    std::ifstream in(TENSORC_TEST_KERNELS_SO, std::ios::binary);
    std::ofstream out(dir + "/kernels.so", std::ios::binary);
    out << in.rdbuf();
    std::ofstream manifest(dir + "/model.so.json");
    manifest << kCpuManifest;
  }
  // The module is found relative to the manifest, not the working directory.
  Expected<std::shared_ptr<const Artifact>> artifact =
      Artifact::loadFile(dir + "/model.so.json");
  ASSERT_TRUE(artifact.ok()) << errorOf(artifact);
  SessionOptions options;
  options.cpuThreads = 3; // device auto: the artifact's target, the CPU
  TC_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Session> session,
                          Session::create(*artifact, options));
  std::vector<float> w = randomFloats(kCols, rng);
  TC_ASSERT_OK(session->setParam("w", floats({kCols}, w)));
  for (int64_t batch : {1, 7, 64})
    checkForward(*session, batch, w, rng);

  // A manifest naming a kernel the shared object lacks fails at load.
  {
    std::string renamed = kCpuManifest;
    for (size_t at; (at = renamed.find("\"rowsum\"")) != std::string::npos;)
      renamed.replace(at, 8, "\"rowsum2\"");
    std::ofstream manifest(dir + "/bad.so.json");
    manifest << renamed;
  }
  TC_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const Artifact> bad,
                          Artifact::loadFile(dir + "/bad.so.json"));
  std::string msg = errorOf(Session::create(bad));
  EXPECT_NE(msg.find("artifact '" + dir +
                     "/bad.so.json': kernel 'rowsum2' "
                     "is not in '" +
                     dir + "/kernels.so'"),
            std::string::npos)
      << msg;

  // A missing or corrupt module is reported with its path. (Other names:
  // dlopen would return the loaded kernels.so even after its file is gone.)
  auto writeManifest = [&](const std::string &name, const std::string &module) {
    std::string text = kCpuManifest;
    text.replace(text.find("kernels.so"), 10, module);
    std::ofstream(dir + "/" + name) << text;
  };
  writeManifest("gone.so.json", "gone.so");
  msg = errorOf(Artifact::loadFile(dir + "/gone.so.json"));
  EXPECT_NE(msg.find("artifact '" + dir +
                     "/gone.so.json': cannot load the "
                     "CPU kernels '" +
                     dir + "/gone.so': "),
            std::string::npos)
      << msg;
  writeManifest("corrupt.so.json", "corrupt.so");
  std::ofstream(dir + "/corrupt.so") << "not an ELF file";
  msg = errorOf(Artifact::loadFile(dir + "/corrupt.so.json"));
  EXPECT_NE(msg.find("cannot load the CPU kernels '" + dir + "/corrupt.so'"),
            std::string::npos)
      << msg;
  msg = errorOf(Artifact::loadFile(dir + "/missing.json"));
  EXPECT_NE(msg.find("artifact '" + dir + "/missing.json': cannot open"),
            std::string::npos)
      << msg;
  for (const char *f : {"/kernels.so", "/model.so.json", "/bad.so.json",
                        "/gone.so.json", "/corrupt.so.json", "/corrupt.so"})
    std::remove((dir + f).c_str());
  rmdir(dir.c_str());
}

TEST(CpuExecTest, InvalidInputsAreRejectedBeforeAnyLaunch) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  std::unique_ptr<Session> session = cpuSession(2);
  ASSERT_TRUE(session);
  HostTensor x = floats({7, kCols}, randomFloats(7 * kCols, rng));
  HostTensor y8 = floats({8, kCols}, randomFloats(8 * kCols, rng));
  HostTensor xi = *HostTensor::zeros(DType::I32, {7, kCols});
  int64_t launched = tensorcTestLaunchedBlocks.load();
  struct Case {
    std::string entry;
    TensorMap inputs;
    std::map<std::string, int64_t> dims;
    std::string message;
  } cases[] = {
      {"backward",
       {},
       {},
       "no entry point 'backward' (its entry points: "
       "forward)"},
      {"forward",
       {{"x", x}},
       {},
       "entry 'forward': missing input 'y' "
       "(f32[B, 16])"},
      {"forward",
       {{"x", x}, {"y", x}, {"z", x}},
       {},
       "entry 'forward': unknown input 'z'; its inputs are x (f32[B, 16]), y "
       "(f32[B, 16])"},
      {"forward",
       {{"x", xi}, {"y", x}},
       {},
       "entry 'forward': input 'x': expected dtype f32, given i32 (i32[7, "
       "16])"},
      {"forward",
       {{"x", x}, {"y", floats({7 * kCols}, randomFloats(7 * kCols, rng))}},
       {},
       "entry 'forward': input 'y': expected rank 2 (f32[B, 16]), given rank "
       "1 (f32[112])"},
      {"forward",
       {{"x", x}, {"y", y8}},
       {},
       "entry 'forward': input 'y': dim 0 is 'B' = 8 (f32[8, 16]), but input "
       "'x' dim 0 bound B = 7"},
      {"forward",
       {{"x", x}, {"y", x}},
       {{"B", 6}},
       "entry 'forward': input 'x': dim 0 is 'B' = 7 (f32[7, 16]), but the "
       "explicit binding bound B = 6"},
  };
  for (const Case &c : cases) {
    std::string msg = errorOf(session->run(c.entry, c.inputs, c.dims));
    EXPECT_NE(msg.find(c.message), std::string::npos)
        << "\n  expected: " << c.message << "\n  given:    " << msg;
  }
  EXPECT_EQ(tensorcTestLaunchedBlocks.load(), launched);
  // The session is still usable.
  EXPECT_TRUE(session->run("forward", {{"x", x}, {"y", x}}).ok());
  EXPECT_GT(tensorcTestLaunchedBlocks.load(), launched);
}

TEST(CpuExecTest, PlanBytesIsTheArenaOfTheRun) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  std::unique_ptr<Session> session = cpuSession(2);
  ASSERT_TRUE(session);
  uint64_t previous = 0;
  for (int64_t batch : {3, 40, 300}) {
    HostTensor x = floats({batch, kCols}, randomFloats(batch * kCols, rng));
    TensorMap inputs{{"x", x}, {"y", x}};
    TC_ASSERT_OK_AND_ASSIGN(uint64_t planned,
                            session->planBytes("forward", inputs));
    // Known before the run, nothing allocated for it: the arena is still
    // the last run's.
    EXPECT_EQ(session->memoryUse().arenaBytes, previous);
    TC_ASSERT_OK(session->run("forward", inputs).status());
    EXPECT_EQ(session->memoryUse().arenaBytes, planned) << "batch " << batch;
    EXPECT_GE(planned, 2 * batch * kCols * sizeof(float)); // x and y at least
    previous = planned;
  }
  HostTensor x = floats({5, kCols}, randomFloats(5 * kCols, rng));
  EXPECT_NE(errorOf(session->planBytes("forward", {{"x", x}}))
                .find("missing input 'y'"),
            std::string::npos);
  EXPECT_NE(errorOf(session->planBytes("backward", {})).find("no entry point"),
            std::string::npos);
}

TEST(CpuExecTest, ACpuArtifactFromMemoryNeedsItsKernels) {
  // The JIT hands its kernels over with the manifest; without them the
  // artifact is refused before any session could try to run it.
  std::string msg =
      errorOf(Artifact::fromMemory(addRowSumCpuManifest(), "", nullptr));
  EXPECT_NE(msg.find("targets the CPU, but no kernel resolver supplies its "
                     "kernels"),
            std::string::npos)
      << msg;
}

TEST(CpuExecTest, ParamErrors) {
  std::unique_ptr<Session> session = cpuSession(1);
  ASSERT_TRUE(session);
  EXPECT_EQ(
      errorOf(session->setParam("w", floats({15}, std::vector<float>(15)))),
      "param 'w': expected f32[16], given f32[15]");
  EXPECT_EQ(
      errorOf(session->setParam("w", *HostTensor::zeros(DType::F64, {16}))),
      "param 'w': expected f32[16], given f64[16]");
  EXPECT_EQ(errorOf(session->getParam("v")),
            "artifact of 'AddRowSum' in memory: no param is named 'v'");
}

TEST(CpuExecTest, KernelsMustBeSupplied) {
  EXPECT_EQ(errorOf(Artifact::fromMemory(kCpuManifest, "")),
            "artifact of 'AddRowSum' in memory targets the CPU, but no kernel "
            "resolver supplies its kernels");
  auto partial = std::make_shared<MapKernelResolver>();
  partial->add("add3", add3);
  TC_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const Artifact> artifact,
                          Artifact::fromMemory(kCpuManifest, "", partial));
  EXPECT_EQ(errorOf(Session::create(artifact)),
            "artifact of 'AddRowSum' in memory: no CPU kernel 'rowsum' was "
            "registered");
}

const char *kFakePtx = ".version 8.0\n.target sm_90\n.address_size 64\n"
                       ".visible .entry add3(\n) { ret; }\n"
                       ".visible .entry rowsum (\n) { ret; }\n";

TEST(CpuExecTest, DeviceChoiceFollowsTheArtifact) {
  const std::string cudaManifest = addRowSumManifest(
      R"({"kind": "cuda", "backend": "nvptx", "arch": "sm_90"})", "k.ptx");
  TC_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const Artifact> ptx,
                          Artifact::fromMemory(cudaManifest, kFakePtx));
  SessionOptions cpu;
  cpu.device = DeviceKind::Cpu;
  EXPECT_EQ(errorOf(Session::create(ptx, cpu)),
            "artifact of 'AddRowSum' in memory holds PTX (module 'k.ptx'); "
            "compile the model with --target=cpu to run it on the CPU");
  TC_ASSERT_OK_AND_ASSIGN(
      std::shared_ptr<const Artifact> host,
      Artifact::fromMemory(kCpuManifest, "", addRowSumKernels()));
  SessionOptions cuda;
  cuda.device = DeviceKind::Cuda;
  EXPECT_NE(errorOf(Session::create(host, cuda)).find("holds CPU kernels"),
            std::string::npos);

  Status probe = probeCuda();
  if (probe.ok())
    GTEST_SKIP() << "a CUDA driver is present: the no-GPU paths are not "
                    "exercised here";
  EXPECT_NE(probe.message().find("no CUDA driver: dlopen(\"libcuda.so.1\") "
                                 "failed"),
            std::string::npos)
      << probe.message();
  std::string msg = errorOf(Session::create(ptx));
  EXPECT_EQ(msg, "artifact of 'AddRowSum' in memory needs a GPU, but none is "
                 "usable: " +
                     probe.message() +
                     " (compile the model with --target=cpu to run it on the "
                     "CPU)");
  EXPECT_EQ(errorOf(Device::create(DeviceKind::Cuda, {})), probe.message());
  TC_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Device> fallback,
                          Device::create(DeviceKind::Auto, {}));
  EXPECT_EQ(fallback->kind(), DeviceKind::Cpu);
}

TEST(CpuExecTest, MismatchedPtxIsCaughtAtLoad) {
  const std::string cudaManifest = addRowSumManifest(
      R"({"kind": "cuda", "backend": "nvrtc", "arch": "sm_80"})", "k.ptx");
  std::string ptx = kFakePtx;
  ptx.replace(ptx.find("rowsum"), 6, "rowsum_v2");
  EXPECT_EQ(errorOf(Artifact::fromMemory(cudaManifest, ptx)),
            "artifact of 'AddRowSum' in memory: its PTX module has no kernel "
            "'rowsum' (no '.entry rowsum'): the module and the manifest do "
            "not match");
  EXPECT_EQ(errorOf(Artifact::fromMemory(cudaManifest, "\x7f"
                                                       "ELF")),
            "artifact of 'AddRowSum' in memory: its PTX module is not PTX "
            "text");
}

} // namespace
