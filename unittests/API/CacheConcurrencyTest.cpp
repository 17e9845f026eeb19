//===- CacheConcurrencyTest.cpp - Two processes compile the same model ----===//
//
// The test starts several copies of this program (ChildCompile below) that
// wait for a signal file, then compile the same model into the same empty
// cache at once and write their results; all must succeed, agree, and leave
// one whole entry behind.
//
//===----------------------------------------------------------------------===//

#include "APITestUtil.h"

#include <algorithm>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

using namespace tensorc;
using namespace tensorc::testing;
namespace fs = std::filesystem;

namespace {

/// Set in the children: the shared directory.
const char *kChildEnv = "TENSORC_TEST_CACHE_CHILD";

TEST(CacheConcurrency, ChildCompile) {
  const char *shared = std::getenv(kChildEnv);
  if (!shared)
    GTEST_SKIP() << "run by CacheConcurrency.ProcessesCompileAtOnce";
  std::string dir = shared;
  // Not forever: the parent may have failed before it said go.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (!fs::exists(dir + "/go")) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no go";
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  CompileOptions options;
  options.device = DeviceKind::Cpu;
  options.cacheDir = dir + "/cache";
  auto model = Model::compile(ModelSource::text(kTinySource), options);
  ASSERT_TRUE(model.ok()) << model.status().message();
  uint64_t seed = std::strtoull(std::getenv("TENSORC_TEST_SEED"), nullptr, 10);
  std::vector<float> y = runAndCheck(*model, randomInput(11, seed), seed);
  ASSERT_FALSE(y.empty());
  std::string out = dir + "/out." + std::to_string(getpid());
  std::ofstream(out, std::ios::binary)
      .write(reinterpret_cast<const char *>(y.data()),
             static_cast<std::streamsize>(y.size() * sizeof(float)));
  CacheOutcome outcome = model->compileInfo().cache;
  ASSERT_NE(outcome, CacheOutcome::Disabled);
  std::ofstream(dir + "/outcome." + std::to_string(getpid()))
      << (outcome == CacheOutcome::Hit ? "hit" : "miss");
}

/// Starts the children on `dir`, lets them go at once and waits for them;
/// returns each one's output and counts those that compiled.
std::vector<std::string> runChildren(const std::string &dir, uint64_t seed,
                                     int &misses) {
  std::vector<std::string> env;
  for (char **e = environ; *e; ++e)
    if (std::string(*e).rfind("TENSORC_TEST_SEED=", 0) != 0)
      env.push_back(*e);
  env.push_back(std::string(kChildEnv) + "=" + dir);
  env.push_back("TENSORC_TEST_SEED=" + std::to_string(seed));
  std::vector<char *> envp;
  for (std::string &e : env)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string filter = "--gtest_filter=CacheConcurrency.ChildCompile";
  char *argv[] = {const_cast<char *>("/proc/self/exe"), filter.data(), nullptr};

  std::vector<pid_t> children;
  for (int i = 0; i < 4; ++i) {
    pid_t child;
    if (posix_spawn(&child, "/proc/self/exe", nullptr, nullptr, argv,
                    envp.data()) == 0)
      children.push_back(child);
    else
      ADD_FAILURE() << "posix_spawn failed";
  }
  std::ofstream(dir + "/go") << "go";
  std::vector<std::string> outputs;
  misses = 0;
  for (pid_t child : children) {
    int status = 0;
    EXPECT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "child " << child << " failed (status " << status << ")";
    std::ifstream in(dir + "/out." + std::to_string(child), std::ios::binary);
    outputs.emplace_back(std::istreambuf_iterator<char>(in),
                         std::istreambuf_iterator<char>());
    EXPECT_EQ(outputs.back().size(), 11u * 4 * sizeof(float));
    std::ifstream outcome(dir + "/outcome." + std::to_string(child));
    misses += std::string(std::istreambuf_iterator<char>(outcome),
                          std::istreambuf_iterator<char>()) == "miss";
  }
  std::printf("%d of %zu processes compiled\n", misses, children.size());
  return outputs;
}

/// Checks that `cache` holds one entry and nothing else, that it hits, and
/// that its results are `expected` (bit for bit) and correct.
void checkOneGoodEntry(const std::string &cache, uint64_t seed,
                       const std::string &expected) {
  std::string listing;
  for (const auto &e : fs::directory_iterator(cache))
    listing += e.path().filename().string() + " ";
  EXPECT_EQ(std::count(listing.begin(), listing.end(), ' '), 1) << listing;
  LogCapture log;
  CompileOptions options;
  options.device = DeviceKind::Cpu;
  options.cacheDir = cache;
  options.log = log.fn();
  auto model = Model::compile(ModelSource::text(kTinySource), options);
  ASSERT_TRUE(model.ok()) << model.status().message();
  EXPECT_EQ(model->compileInfo().cache, CacheOutcome::Hit) << log.all();
  std::vector<float> y = runAndCheck(*model, randomInput(11, seed), seed);
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(y.data()),
                        y.size() * sizeof(float)),
            expected);
}

TEST(CacheConcurrency, ProcessesCompileAtOnce) {
  if (std::getenv(kChildEnv))
    GTEST_SKIP() << "in a child";
  uint64_t seed = testSeed();
  SCOPED_TRACE("TENSORC_TEST_SEED=" + std::to_string(seed));
  TempDir dir;
  int misses = 0;
  std::vector<std::string> outputs = runChildren(dir.path(), seed, misses);
  // Someone compiled (most often all of them did, at once).
  EXPECT_GE(misses, 1);
  ASSERT_FALSE(outputs.empty());
  for (const std::string &output : outputs)
    EXPECT_EQ(output, outputs[0]);
  checkOneGoodEntry(dir.path() + "/cache", seed, outputs[0]);
}

TEST(CacheConcurrency, ProcessesRepairADamagedEntryAtOnce) {
  if (std::getenv(kChildEnv))
    GTEST_SKIP() << "in a child";
  uint64_t seed = testSeed();
  SCOPED_TRACE("TENSORC_TEST_SEED=" + std::to_string(seed));
  TempDir dir;
  std::string module;
  {
    CompileOptions options;
    options.device = DeviceKind::Cpu;
    options.cacheDir = dir.path() + "/cache";
    auto model = Model::compile(ModelSource::text(kTinySource), options);
    ASSERT_TRUE(model.ok()) << model.status().message();
    module = model->compileInfo().cacheEntry + "/module.so";
  }
  fs::resize_file(module, fs::file_size(module) - 100);
  int misses = 0;
  std::vector<std::string> outputs = runChildren(dir.path(), seed, misses);
  // Nobody used the damaged entry: all see it and compile, or some find the
  // entry another one stored again.
  EXPECT_GE(misses, 1);
  ASSERT_FALSE(outputs.empty());
  for (const std::string &output : outputs)
    EXPECT_EQ(output, outputs[0]);
  checkOneGoodEntry(dir.path() + "/cache", seed, outputs[0]);
}

} // namespace
