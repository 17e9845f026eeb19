//===- CompileCacheTest.cpp - Model::compile's cache ----------------------===//

#include "APITestUtil.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace tensorc;
using namespace tensorc::testing;
namespace fs = std::filesystem;

namespace {

struct CacheFixture : ::testing::Test {
  TempDir dir;
  LogCapture log;
  uint64_t seed = testSeed();

  CompileOptions options() {
    CompileOptions o;
    o.device = DeviceKind::Cpu;
    o.cacheDir = dir.path() + "/cache";
    o.log = log.fn();
    return o;
  }
  Model compile(const CompileOptions &o,
                const std::string &source = kTinySource) {
    auto model = Model::compile(ModelSource::text(source, "tiny.tdsl"), o);
    EXPECT_TRUE(model.ok()) << model.status().message();
    return std::move(*model);
  }
  /// The cache's entries (not its staging or trash directories).
  std::vector<std::string> entries() {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto &e : fs::directory_iterator(dir.path() + "/cache", ec))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
};

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeFile(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

TEST_F(CacheFixture, MissStoresAnEntryAndTheNextCompileHitsIt) {
  SCOPED_TRACE("TENSORC_TEST_SEED=" + std::to_string(seed));
  HostTensor x = randomInput(7, seed);
  std::vector<float> first, second;
  double missSeconds, hitSeconds;
  std::string entry;
  {
    Model model = compile(options());
    ASSERT_EQ(model.compileInfo().cache, CacheOutcome::Miss) << log.all();
    entry = model.compileInfo().cacheEntry;
    missSeconds = model.compileInfo().seconds;
    first = runAndCheck(model, x, seed);
  }
  EXPECT_EQ(entries().size(), 1u) << "no staging directory may be left";
  for (const char *file :
       {"manifest.json", "module.so", "key.txt", "checksums"})
    EXPECT_TRUE(fs::is_regular_file(entry + "/" + file)) << file;
  std::string key = readFile(entry + "/key.txt");
  EXPECT_NE(key.find("target cpu"), std::string::npos) << key;
  EXPECT_NE(key.find("source sha256 "), std::string::npos) << key;

  Model model = compile(options());
  ASSERT_EQ(model.compileInfo().cache, CacheOutcome::Hit) << log.all();
  EXPECT_EQ(model.compileInfo().cacheEntry, entry);
  hitSeconds = model.compileInfo().seconds;
  second = runAndCheck(model, x, seed);
  EXPECT_EQ(first, second);
  EXPECT_LT(hitSeconds, missSeconds);
  std::printf("compile: miss %.3f s, hit %.4f s\n", missSeconds, hitSeconds);
  EXPECT_TRUE(log.has(LogLevel::Debug, "hit " + entry)) << log.all();
}

TEST_F(CacheFixture, ChangedSourceOrOptionsMiss) {
  compile(options());
  // A comment is enough: the key hashes the text.
  Model changedText = compile(options(), std::string(kTinySource) + "# .\n");
  EXPECT_EQ(changedText.compileInfo().cache, CacheOutcome::Miss);
  CompileOptions unfused = options();
  unfused.fusion = false;
  Model changedOptions = compile(unfused);
  EXPECT_EQ(changedOptions.compileInfo().cache, CacheOutcome::Miss);
  CompileOptions cuda = options();
  cuda.device = DeviceKind::Cuda;
  Model ptx = compile(cuda);
  EXPECT_EQ(ptx.compileInfo().cache, CacheOutcome::Miss);
  EXPECT_TRUE(
      fs::is_regular_file(ptx.compileInfo().cacheEntry + "/module.ptx"));
  CompileOptions otherArch = cuda;
  otherArch.arch = "sm_80";
  EXPECT_EQ(compile(otherArch).compileInfo().cache, CacheOutcome::Miss);
  CompileOptions bf16 = options();
  bf16.precision = "bf16";
  Model mixed = compile(bf16);
  EXPECT_EQ(mixed.compileInfo().cache, CacheOutcome::Miss);
  EXPECT_EQ(entries().size(), 6u);

  // Each of them hits now, and the PTX comes back as it was stored.
  EXPECT_EQ(compile(unfused).compileInfo().cache, CacheOutcome::Hit);
  EXPECT_EQ(compile(bf16).compileInfo().cache, CacheOutcome::Hit);
  Model ptxAgain = compile(cuda);
  EXPECT_EQ(ptxAgain.compileInfo().cache, CacheOutcome::Hit);
  EXPECT_EQ(ptxAgain.artifact()->module(), ptx.artifact()->module());
  runAndCheck(compile(unfused), randomInput(3, seed), seed);
}

/// Damages the entry's `file` with `damage`, compiles with `o` again, and
/// checks that the entry was rejected (for `reason`, when given, in the
/// debug log), recompiled and stored whole again, and (CPU) that the
/// recompiled model computes the right results.
void checkDamageIsRepaired(
    CacheFixture &t, const CompileOptions &o, const std::string &file,
    const std::function<void(const std::string &)> &damage,
    const std::string &reason = "") {
  SCOPED_TRACE(file);
  std::string entry, checksums, module;
  {
    Model model = t.compile(o);
    entry = model.compileInfo().cacheEntry;
    checksums = readFile(entry + "/checksums");
    module = model.artifact()->module();
  } // unloads the shared object before it is damaged
  std::string before = readFile(entry + "/" + file);
  damage(entry + "/" + file);
  ASSERT_NE(readFile(entry + "/" + file), before) << "nothing was damaged";
  t.log.lines.clear();
  Model model = t.compile(o);
  EXPECT_EQ(model.compileInfo().cache, CacheOutcome::Miss) << t.log.all();
  EXPECT_TRUE(t.log.has(LogLevel::Debug, "is unusable")) << t.log.all();
  EXPECT_TRUE(t.log.has(LogLevel::Debug, reason)) << t.log.all();
  EXPECT_FALSE(t.log.has(LogLevel::Warning, "")) << t.log.all();
  if (o.device == DeviceKind::Cpu)
    runAndCheck(model, randomInput(9, t.seed), t.seed);
  else
    EXPECT_EQ(model.artifact()->module(), module);
  // Stored again, whole, and used from now on.
  EXPECT_EQ(readFile(entry + "/checksums"), checksums);
  EXPECT_EQ(readFile(entry + "/" + file), before);
  EXPECT_EQ(t.compile(o).compileInfo().cache, CacheOutcome::Hit);
  EXPECT_EQ(t.entries().size(), 1u) << "a staging or trash directory is left";
}

/// `bytes` with bit `bit` of byte `at` flipped.
std::string flipBit(std::string bytes, size_t at, int bit) {
  bytes[at] = static_cast<char>(bytes[at] ^ (1 << bit));
  return bytes;
}

TEST_F(CacheFixture, TruncatedModuleIsRecompiled) {
  checkDamageIsRepaired(
      *this, options(), "module.so",
      [](const std::string &path) {
        std::string bytes = readFile(path);
        writeFile(path, bytes.substr(0, bytes.size() / 2));
      },
      "'module.so' does not match its checksum (truncated or damaged)");
}

TEST_F(CacheFixture, TruncatedManifestIsRecompiled) {
  checkDamageIsRepaired(*this, options(), "manifest.json",
                        [](const std::string &path) {
                          std::string bytes = readFile(path);
                          writeFile(path, bytes.substr(0, bytes.size() - 1));
                        });
}

TEST_F(CacheFixture, OneFlippedBitInTheModuleIsRecompiled) {
  SCOPED_TRACE("TENSORC_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  checkDamageIsRepaired(
      *this, options(), "module.so", [&](const std::string &path) {
        std::string bytes = readFile(path);
        writeFile(path, flipBit(bytes, rng() % bytes.size(), int(rng() % 8)));
      });
}

TEST_F(CacheFixture, OneFlippedBitInThePtxIsRecompiled) {
  SCOPED_TRACE("TENSORC_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  CompileOptions cuda = options();
  cuda.device = DeviceKind::Cuda;
  checkDamageIsRepaired(
      *this, cuda, "module.ptx", [&](const std::string &path) {
        std::string bytes = readFile(path);
        writeFile(path, flipBit(bytes, rng() % bytes.size(), int(rng() % 7)));
      });
}

TEST_F(CacheFixture, FlippedByteInTheManifestIsRecompiled) {
  checkDamageIsRepaired(*this, options(), "manifest.json",
                        [](const std::string &path) {
                          std::string bytes = readFile(path);
                          // A digit of a size: still valid JSON, but not the
                          // model.
                          size_t at = bytes.find("\"bytes\": ");
                          ASSERT_NE(at, std::string::npos) << bytes;
                          at = bytes.find_first_of("0123456789", at);
                          bytes[at] = bytes[at] == '1' ? '2' : '1';
                          writeFile(path, bytes);
                        });
}

TEST_F(CacheFixture, AWrongChecksumIsRecompiled) {
  // The files are intact; the checksum of the module is not theirs.
  checkDamageIsRepaired(
      *this, options(), "checksums", [](const std::string &path) {
        std::string sums = readFile(path);
        size_t line = sums.find(" module.so\n");
        ASSERT_NE(line, std::string::npos) << sums;
        size_t at = line - 64; // the hex digest before the name
        sums.replace(at, 64, std::string(64, sums[at] == 'a' ? 'b' : 'a'));
        writeFile(path, sums);
      });
}

TEST_F(CacheFixture, EmptyOrMissingChecksumsAreRecompiled) {
  checkDamageIsRepaired(
      *this, options(), "checksums",
      [](const std::string &path) { writeFile(path, ""); },
      "its checksums file does not start with '");
  checkDamageIsRepaired(*this, options(), "checksums",
                        [](const std::string &path) { fs::remove(path); });
}

TEST_F(CacheFixture, ChecksumsNamingOtherFilesAreRecompiled) {
  // A line for a file the cache never writes.
  checkDamageIsRepaired(
      *this, options(), "checksums",
      [](const std::string &path) {
        writeFile(path, readFile(path) + std::string(64, 'a') + " notes.txt\n");
      },
      "its checksums file has a bad line '");
  // The module's line gone: every named file is intact, one is missing.
  checkDamageIsRepaired(
      *this, options(), "checksums",
      [](const std::string &path) {
        std::string sums = readFile(path);
        size_t end = sums.find(" module.so\n");
        ASSERT_NE(end, std::string::npos) << sums;
        size_t begin = sums.rfind('\n', end) + 1;
        writeFile(path, sums.erase(begin, end + 11 - begin));
      },
      "its checksums file does not name a manifest, a key and one module");
}

TEST_F(CacheFixture, UnwritableCacheDirectoryWarnsAndStillCompiles) {
  // Under a regular file nothing can be created, even by root.
  writeFile(dir.path() + "/file", "x");
  CompileOptions o = options();
  o.cacheDir = dir.path() + "/file/cache";
  Model model = compile(o);
  EXPECT_EQ(model.compileInfo().cache, CacheOutcome::Disabled);
  EXPECT_TRUE(log.has(LogLevel::Warning, "cannot use '" + o.cacheDir + "'"))
      << log.all();
  runAndCheck(model, randomInput(5, seed), seed);

  // A read-only directory (where permissions apply: not as root).
  fs::create_directories(dir.path() + "/ro");
  chmod((dir.path() + "/ro").c_str(), 0555);
  o.cacheDir = dir.path() + "/ro";
  log.lines.clear();
  Model readOnly = compile(o);
  if (geteuid() != 0) {
    EXPECT_EQ(readOnly.compileInfo().cache, CacheOutcome::Disabled);
    EXPECT_TRUE(log.has(LogLevel::Warning, "cannot use")) << log.all();
  }
  runAndCheck(readOnly, randomInput(5, seed), seed);
  chmod((dir.path() + "/ro").c_str(), 0755);
}

unsigned modeOf(const std::string &path) {
  struct stat st;
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST_F(CacheFixture, NewCacheDirectoriesArePrivate) {
  // Even with a umask that lets everyone in.
  mode_t oldMask = umask(0);
  CompileOptions o = options();
  o.cacheDir = dir.path() + "/a/b/cache";
  Model model = compile(o);
  umask(oldMask);
  EXPECT_EQ(model.compileInfo().cache, CacheOutcome::Miss) << log.all();
  for (const char *sub : {"/a", "/a/b", "/a/b/cache"})
    EXPECT_EQ(modeOf(dir.path() + sub), 0700u) << sub;
  EXPECT_EQ(modeOf(model.compileInfo().cacheEntry) & 077, 0u);
}

TEST_F(CacheFixture, ASharedCacheDirectoryIsNotUsed) {
  // Whoever may write there could plant a module.so that a hit dlopens.
  std::string shared = dir.path() + "/shared";
  fs::create_directories(shared);
  chmod(shared.c_str(), 0777);
  CompileOptions o = options();
  o.cacheDir = shared;
  Model model = compile(o);
  EXPECT_EQ(model.compileInfo().cache, CacheOutcome::Disabled);
  EXPECT_TRUE(log.has(LogLevel::Warning, "writable by other users (mode 0777)"))
      << log.all();
  EXPECT_TRUE(fs::is_empty(shared));
  runAndCheck(model, randomInput(3, seed), seed);

  chmod(shared.c_str(), 0700);
  if (geteuid() == 0) { // root can hand it to another user
    ASSERT_EQ(chown(shared.c_str(), 65534, 65534), 0);
    log.lines.clear();
    EXPECT_EQ(compile(o).compileInfo().cache, CacheOutcome::Disabled);
    EXPECT_TRUE(log.has(LogLevel::Warning, "belongs to user 65534"))
        << log.all();
    ASSERT_EQ(chown(shared.c_str(), 0, 0), 0);
  }
  log.lines.clear();
  EXPECT_EQ(compile(o).compileInfo().cache, CacheOutcome::Miss) << log.all();
}

TEST_F(CacheFixture, LeftoversOfCrashedCompilesAreSweptAway) {
  std::string cache = dir.path() + "/cache";
  compile(options()); // creates the cache
  auto old = fs::file_time_type::clock::now() - std::chrono::hours(25);
  for (const char *name : {"/.staging-0123-abcdef", "/.trash-x1y2z3"}) {
    fs::create_directories(cache + name + "/sub");
    writeFile(cache + name + "/sub/module.so", "partial");
    fs::last_write_time(cache + name, old);
  }
  // A compile in progress elsewhere: left alone.
  fs::create_directories(cache + "/.staging-4567-fedcba");
  Model model = compile(options(), std::string(kTinySource) + "# new\n");
  EXPECT_EQ(model.compileInfo().cache, CacheOutcome::Miss);
  EXPECT_FALSE(fs::exists(cache + "/.staging-0123-abcdef")) << log.all();
  EXPECT_FALSE(fs::exists(cache + "/.trash-x1y2z3")) << log.all();
  EXPECT_TRUE(fs::exists(cache + "/.staging-4567-fedcba"));
  EXPECT_TRUE(log.has(LogLevel::Debug, "did not finish")) << log.all();
}

/// Sets an environment variable for one scope.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name_(name) {
    if (const char *old = std::getenv(name))
      old_ = old;
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

private:
  const char *name_;
  std::optional<std::string> old_;
};

TEST_F(CacheFixture, TheOptionAndTheEnvironmentTurnItOff) {
  CompileOptions off = options();
  off.cache = false;
  EXPECT_EQ(compile(off).compileInfo().cache, CacheOutcome::Disabled);
  {
    ScopedEnv env("TENSORC_NO_CACHE", "1");
    EXPECT_EQ(compile(options()).compileInfo().cache, CacheOutcome::Disabled);
  }
  EXPECT_TRUE(entries().empty());
  EXPECT_FALSE(log.has(LogLevel::Warning, "")) << log.all();
  ScopedEnv env("TENSORC_NO_CACHE", "0");
  EXPECT_EQ(compile(options()).compileInfo().cache, CacheOutcome::Miss);
}

TEST_F(CacheFixture, TheDirectoryComesFromTheEnvironment) {
  CompileOptions o = options();
  o.cacheDir.clear();
  ScopedEnv noOverride("TENSORC_NO_CACHE", nullptr);
  {
    ScopedEnv cacheDir("TENSORC_CACHE_DIR", (dir.path() + "/env").c_str());
    Model model = compile(o);
    EXPECT_EQ(model.compileInfo().cacheEntry.rfind(dir.path() + "/env/", 0), 0u)
        << model.compileInfo().cacheEntry;
  }
  ScopedEnv unset("TENSORC_CACHE_DIR", nullptr);
  ScopedEnv xdg("XDG_CACHE_HOME", (dir.path() + "/xdg").c_str());
  Model model = compile(o);
  EXPECT_EQ(
      model.compileInfo().cacheEntry.rfind(dir.path() + "/xdg/tensorc/", 0), 0u)
      << model.compileInfo().cacheEntry;
}

} // namespace
