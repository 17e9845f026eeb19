//===- CheckpointCrashTest.cpp - A save that dies leaves the old file -----===//
//
// Session::saveParams writes a temporary file beside the checkpoint and
// renames it over the old one. A process that dies in the middle of the
// write, or a write that fails (disk full), must leave the previous
// checkpoint bit for bit as it was. A child process saves under a file-size
// limit smaller than the new checkpoint: the kernel kills it with SIGXFSZ in
// the middle of write(2), or, with SIGXFSZ ignored, write(2) fails with
// EFBIG.
//
//===----------------------------------------------------------------------===//

#include "CpuSession.h"
#include "TestModel.h"
#include "TestUtil.h"
#include "tensorc/runtime.h"
#include "tensorc/safetensors.h"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

std::unique_ptr<Session> cpuSession(uint64_t seed) {
  return addRowSumCpuSession(1, seed);
}

std::string readBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> listDir(const std::string &dir) {
  std::vector<std::string> names;
  if (DIR *d = ::opendir(dir.c_str())) {
    while (dirent *e = ::readdir(d))
      if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
        names.push_back(e->d_name);
    ::closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

class CheckpointCrashTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = makeTempDir();
    ASSERT_FALSE(dir.empty());
    path = dir + "/params.safetensors";
    // The previous checkpoint, and how large the next one will be.
    std::unique_ptr<Session> old = cpuSession(1);
    ASSERT_TRUE(old);
    TC_ASSERT_OK(old->saveParams(path));
    oldBytes = readBytes(path);
    ASSERT_FALSE(oldBytes.empty());
    std::unique_ptr<Session> next = cpuSession(2);
    ASSERT_TRUE(next);
    TC_ASSERT_OK(next->saveParams(dir + "/probe"));
    newSize = readBytes(dir + "/probe").size();
    ASSERT_NE(readBytes(dir + "/probe"), oldBytes);
    ASSERT_EQ(::unlink((dir + "/probe").c_str()), 0);
  }
  void TearDown() override {
    for (const std::string &name : listDir(dir))
      ::unlink((dir + "/" + name).c_str());
    ::rmdir(dir.c_str());
  }

  /// Saves another session's params to `path` in a child process whose
  /// files may not grow past half the new checkpoint. Returns the child's
  /// wait status; with `ignoreSignal` the child exits 0 when the save
  /// reported an error, 1 when it claimed success.
  int saveInChild(bool ignoreSignal) {
    pid_t pid = ::fork();
    if (pid == 0) {
      std::unique_ptr<Session> next = cpuSession(2);
      if (!next)
        ::_exit(3);
      if (ignoreSignal)
        std::signal(SIGXFSZ, SIG_IGN);
      rlimit limit{static_cast<rlim_t>(newSize / 2),
                   static_cast<rlim_t>(newSize / 2)};
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0)
        ::_exit(4);
      Status saved = next->saveParams(path);
      if (!saved.ok())
        std::fprintf(stderr, "child: %s\n", saved.message().c_str());
      ::_exit(saved.ok() ? 1 : 0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
  }

  /// The previous checkpoint is there, unchanged, and loads.
  void expectOldCheckpointIntact() {
    EXPECT_EQ(readBytes(path), oldBytes);
    std::unique_ptr<Session> s = cpuSession(3);
    ASSERT_TRUE(s);
    TC_ASSERT_OK(s->loadParams(path));
    std::unique_ptr<Session> old = cpuSession(1);
    ASSERT_TRUE(old);
    Expected<HostTensor> want = old->getParam("w");
    Expected<HostTensor> w = s->getParam("w");
    ASSERT_TRUE(w.ok() && want.ok());
    ASSERT_EQ(w->byteSize(), want->byteSize());
    EXPECT_EQ(std::memcmp(w->data(), want->data(), w->byteSize()), 0);
  }

  std::string dir, path, oldBytes;
  size_t newSize = 0;
};

TEST_F(CheckpointCrashTest, KilledMidSaveLeavesThePreviousCheckpoint) {
  int status = saveInChild(/*ignoreSignal=*/false);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child was not killed: " << status;
  EXPECT_EQ(WTERMSIG(status), SIGXFSZ);
  expectOldCheckpointIntact();
  // The dead process leaves its partial temporary file behind, under
  // another name; the next save is not disturbed by it.
  std::vector<std::string> names = listDir(dir);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "params.safetensors");
  EXPECT_EQ(names[1].rfind("params.safetensors.tmp.", 0), 0u) << names[1];
  std::unique_ptr<Session> next = cpuSession(2);
  ASSERT_TRUE(next);
  TC_ASSERT_OK(next->saveParams(path));
  EXPECT_EQ(readBytes(path).size(), newSize);
  TC_ASSERT_OK(readSafetensors(path).status());
}

TEST_F(CheckpointCrashTest, FailedWriteLeavesThePreviousCheckpoint) {
  int status = saveInChild(/*ignoreSignal=*/true);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "the save did not report the failed write";
  expectOldCheckpointIntact();
  // A failure the process lives through cleans up after itself.
  EXPECT_EQ(listDir(dir), std::vector<std::string>{"params.safetensors"});
}

} // namespace
