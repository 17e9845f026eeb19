//===- GpuTest.cpp - The runtime's CUDA path, on a machine with a GPU
//------===//
//
// A plain program (GoogleTest may be missing on the GPU machine): runs the
// AddRowSum artifact of ../TestModel.h with the PTX kernels of kernels.ptx and
// checks every result exactly against the reference; then checks the errors.
// Exits 77 (skipped, for ctest) when no CUDA device is usable, 1 on any
// failure. Run it under compute-sanitizer too; the sticky-error check at the
// end faults on purpose and is skipped with --no-fault.
//
//===----------------------------------------------------------------------===//

#include "GpuTestUtil.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

std::string readText(const char *path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const char *kTarget =
    R"({"kind": "cuda", "backend": "nvptx", "arch": "sm_80"})";

// Entry `poke` writes 2^40 floats past its output: an illegal address.
const char *kPokeManifest = R"json({
  "format": "tensorc-artifact", "version": 1, "model": "Poke",
  "target": {"kind": "cuda", "backend": "nvptx", "arch": "sm_80"},
  "module": "kernels.ptx", "index_bits": 64, "dims": ["B"], "params": [],
  "kernels": [{"name": "poke", "block": [1, 1, 1], "smem": 0,
               "args": ["ptr", "i64"]}],
  "entries": [{
    "name": "poke",
    "inputs": [{"name": "x", "dtype": "f32", "shape": ["B"], "buffer": 0}],
    "outputs": [{"name": "y", "dtype": "f32", "shape": ["B"], "buffer": 1}],
    "params": [],
    "buffers": [{"id": 0, "kind": "input", "bytes": "4*B"},
                {"id": 1, "kind": "output", "bytes": "4*B"}],
    "slots": 0,
    "steps": [{"op": "launch", "kernel": "poke", "grid": ["1", "1", "1"],
               "args": [{"buffer": 1}, {"dim": "1099511627776"}]}]
  }]
})json";

} // namespace

int main(int argc, char **argv) {
  bool fault = !(argc > 1 && std::strcmp(argv[1], "--no-fault") == 0);
  Status probe = probeCuda();
  if (!probe.ok()) {
    std::printf("skipped: %s\n", probe.message().c_str());
    return 77;
  }
  uint64_t seed = static_cast<uint64_t>(
      std::chrono::steady_clock::now().time_since_epoch().count());
  if (const char *env = std::getenv("TENSORC_TEST_SEED"))
    seed = std::strtoull(env, nullptr, 10);
  std::printf("random seed %llu (rerun with TENSORC_TEST_SEED=%llu)\n",
              static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  std::string ptx = readText(TENSORC_GPU_TEST_PTX);
  CHECK(!ptx.empty(), "cannot read ", TENSORC_GPU_TEST_PTX);

  // From files, as `tensorc run` loads an artifact.
  char dir[] = "/tmp/tensorc-gpu-XXXXXX";
  CHECK(mkdtemp(dir), "mkdtemp failed");
  std::string manifestPath = std::string(dir) + "/model.ptx.json";
  std::ofstream(std::string(dir) + "/kernels.ptx") << ptx;
  std::ofstream(manifestPath) << addRowSumManifest(kTarget, "kernels.ptx");
  Expected<std::shared_ptr<const Artifact>> artifact =
      Artifact::loadFile(manifestPath);
  CHECK(artifact.ok(), errorOf(artifact));
  if (!artifact)
    return 1;

  // Graphs (the default), direct launches, and a sync after each launch.
  for (int mode = 0; mode < 3; ++mode) {
    SessionOptions options; // device auto: CUDA
    options.seed = seed;
    options.cudaGraphs = mode != 1;
    options.syncEachLaunch = mode == 2;
    Expected<std::unique_ptr<Session>> session =
        Session::create(*artifact, options);
    CHECK(session.ok(), errorOf(session));
    if (!session)
      return 1;
    Session &s = **session;
    const char *modes[] = {" (CUDA graphs)", " (direct launches)",
                           " (sync after each launch)"};
    std::printf("ok   session on %s%s\n", s.deviceName().c_str(), modes[mode]);
    CHECK(s.deviceKind() == DeviceKind::Cuda, "not on CUDA");

    // Params: initialised on the host with the seed, copied to the GPU.
    Expected<HostTensor> w0 = s.getParam("w");
    CHECK(w0.ok(), errorOf(w0));
    std::vector<float> w = values(*w0);
    for (float v : w)
      CHECK(v >= -1.0f && v < 1.0f, "w = ", v, " is outside uniform(-1, 1)");
    for (int64_t batch : {1, 7, 64, 1000, 3})
      checkForward(s, batch, w, rng);
    w = randomFloats(kCols, rng);
    Status set = s.setParam("w", floats({kCols}, w));
    CHECK(set.ok(), set.message());
    CHECK(values(*s.getParam("w")) == w, "getParam after setParam differs");
    checkForward(s, 33, w, rng);

    // Bad inputs are caught before the GPU sees anything.
    std::string msg = errorOf(s.run(
        "forward", {{"x", floats({2, kCols}, randomFloats(2 * kCols, rng))},
                    {"y", floats({3, kCols}, randomFloats(3 * kCols, rng))}}));
    CHECK(contains(msg, "input 'y': dim 0 is 'B' = 3 (f32[3, 16]), but input "
                        "'x' dim 0 bound B = 2"),
          msg);
    checkForward(s, 5, w, rng);

    // Params through a safetensors file and back.
    std::string paramsPath = std::string(dir) + "/params.safetensors";
    Status saved = s.saveParams(paramsPath);
    CHECK(saved.ok(), saved.message());
    CHECK(s.setParam("w", floats({kCols}, randomFloats(kCols, rng))).ok(),
          "setParam");
    Status loaded = s.loadParams(paramsPath);
    CHECK(loaded.ok(), loaded.message());
    CHECK(values(*s.getParam("w")) == w, "loadParams did not restore w");
    checkForward(s, 64, w, rng);
    std::remove(paramsPath.c_str());
  }

  checkGraphsWithFakeDriver(*artifact, seed, rng);
  checkFaultsWithFakeDriver(*artifact, seed, rng);

  // A module whose PTX lacks a kernel is refused before any launch.
  std::string renamed = addRowSumManifest(kTarget, "kernels.ptx");
  renamed.replace(renamed.find("\"rowsum\""), 8, "\"rowsum9\"");
  renamed.replace(renamed.find("\"rowsum\""), 8, "\"rowsum9\"");
  std::string msg = errorOf(Artifact::fromMemory(renamed, ptx));
  CHECK(contains(msg, "has no kernel 'rowsum9'"), msg);

  if (fault) {
    // An illegal address poisons the context: the session says so, on this
    // run and every later one, instead of returning garbage.
    Expected<std::shared_ptr<const Artifact>> poke =
        Artifact::fromMemory(kPokeManifest, ptx);
    CHECK(poke.ok(), errorOf(poke));
    Expected<std::unique_ptr<Session>> session = Session::create(*poke);
    CHECK(session.ok(), errorOf(session));
    if (session) {
      TensorMap in = {{"x", floats({4}, randomFloats(4, rng))}};
      msg = errorOf((*session)->run("poke", in));
      CHECK(contains(msg, "CUDA_ERROR_ILLEGAL_ADDRESS") &&
                contains(msg, "entry 'poke'") &&
                contains(msg, "last launch: kernel 'poke'") &&
                contains(msg, "the CUDA context is now unusable"),
            msg);
      std::printf("ok   fault reported: %s\n", msg.c_str());
      msg = errorOf((*session)->run("poke", in));
      CHECK(contains(msg, "the CUDA device is unusable after an earlier "
                          "error"),
            msg);
      std::printf("ok   later run refused: %s\n", msg.c_str());
    }
  }

  std::remove((std::string(dir) + "/kernels.ptx").c_str());
  std::remove(manifestPath.c_str());
  rmdir(dir);
  std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
  return failures ? 1 : 0;
}
