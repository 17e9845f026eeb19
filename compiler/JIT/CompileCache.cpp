//===- CompileCache.cpp - Compiled models on disk, by key -----------------===//

#include "compiler/JIT/CompileCache.h"
#include "compiler/JIT/TunedTiles.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <unistd.h>

namespace tensorc::jit {

namespace fs = llvm::sys::fs;

static constexpr llvm::StringLiteral kChecksums = "checksums";
static constexpr llvm::StringLiteral kHeader = "tensorc-cache-entry 1";

static bool envFlag(const char *name) {
  const char *value = std::getenv(name);
  return value && *value && llvm::StringRef(value) != "0";
}

CacheLog::CacheLog(LogFn fn) : fn_(std::move(fn)) {
  const char *level = std::getenv("TENSORC_LOG");
  debugToStderr_ = level && llvm::StringRef(level) == "debug";
}

void CacheLog::debug(const std::string &message) const {
  if (fn_)
    fn_(LogLevel::Debug, message);
  else if (debugToStderr_)
    llvm::errs() << "tensorc: debug: " << message << "\n";
}

void CacheLog::warning(const std::string &message) const {
  if (fn_)
    fn_(LogLevel::Warning, message);
  else
    llvm::errs() << "tensorc: warning: " << message << "\n";
}

std::string selectCacheDir(const CompileOptions &options, std::string &why) {
  if (!options.cache) {
    why = "CompileOptions::cache is false";
    return "";
  }
  if (envFlag("TENSORC_NO_CACHE")) {
    why = "TENSORC_NO_CACHE is set";
    return "";
  }
  if (!options.cacheDir.empty())
    return options.cacheDir;
  return cacheDirFromEnvironment(why);
}

std::string sha256Hex(llvm::StringRef data) {
  return llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(data)),
                     /*LowerCase=*/true);
}

/// The whole file, read (not mapped: a file truncated under a mapping would
/// raise SIGBUS), or an error.
static Expected<std::string> readWhole(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false,
                                            /*IsVolatile=*/true);
  if (!buffer)
    return Status::error("cannot read '", path,
                         "': ", buffer.getError().message());
  return (*buffer)->getBuffer().str();
}

static Status writeWhole(const std::string &path, llvm::StringRef bytes) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, fs::OF_None);
  if (!ec) {
    os << bytes;
    os.close();
    ec = os.error();
  }
  if (ec)
    return Status::error("cannot write '", path, "': ", ec.message());
  return Status::success();
}

std::string CompileCache::entryPath(const std::string &key) const {
  return dir_ + "/" + key;
}

/// Reads an entry's files and checks them against its checksums; fills
/// `files` (name -> bytes) or says what is wrong.
static Status readVerified(const std::string &entry, const std::string &key,
                           std::map<std::string, std::string> &files) {
  Expected<std::string> sums = readWhole(entry + "/" + kChecksums.str());
  if (!sums)
    return sums.status();
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(*sums).split(lines, '\n', -1, /*KeepEmpty=*/false);
  if (lines.empty() || lines[0] != (kHeader + " " + key).str())
    return Status::error("its checksums file does not start with '",
                         kHeader.str(), " ", key, "'");
  for (llvm::StringRef line : llvm::ArrayRef(lines).drop_front()) {
    auto [hash, name] = line.split(' ');
    if (name != "key.txt" && name != "manifest.json" && name != "module.ptx" &&
        name != "module.so")
      return Status::error("its checksums file has a bad line '", line.str(),
                           "'");
    Expected<std::string> bytes = readWhole(entry + "/" + name.str());
    if (!bytes)
      return bytes.status();
    if (sha256Hex(*bytes) != hash)
      return Status::error("'", name.str(),
                           "' does not match its checksum (truncated or "
                           "damaged)");
    files[name.str()] = std::move(*bytes);
  }
  if (!files.count("manifest.json") || !files.count("key.txt") ||
      files.count("module.ptx") + files.count("module.so") != 1)
    return Status::error("its checksums file does not name a manifest, a key "
                         "and one module");
  return Status::success();
}

std::shared_ptr<const Artifact> CompileCache::lookup(const std::string &key) {
  std::string entry = entryPath(key);
  if (!fs::is_directory(entry)) {
    log_.debug("compile cache: miss, no entry " + entry);
    return nullptr;
  }
  auto reject = [&](const Status &why) -> std::shared_ptr<const Artifact> {
    log_.debug("compile cache: entry " + entry + " is unusable (" +
               why.message() + "); removing it and compiling again");
    remove(entry);
    return nullptr;
  };
  std::map<std::string, std::string> files;
  if (Status s = readVerified(entry, key, files); !s.ok())
    return reject(s);
  Expected<std::shared_ptr<const Artifact>> artifact = Status::error("");
  if (files.count("module.ptx")) {
    artifact = Artifact::fromMemory(files["manifest.json"],
                                    std::move(files["module.ptx"]));
  } else {
    // Verified above; dlopen maps the same inode (entries never change in
    // place, they are replaced).
    auto resolver = SharedObjectResolver::open(entry + "/module.so");
    if (!resolver)
      return reject(resolver.status());
    artifact =
        Artifact::fromMemory(files["manifest.json"], "", std::move(*resolver));
  }
  if (!artifact)
    return reject(artifact.status());
  log_.debug("compile cache: hit " + entry);
  return std::move(*artifact);
}

Status CompileCache::open() {
  bool existed = fs::is_directory(dir_);
  if (std::error_code ec =
          fs::create_directories(dir_, /*IgnoreExisting=*/true, fs::owner_all))
    return Status::error("cannot create '", dir_, "': ", ec.message());
  // mkdir's mode went through the umask: make the new directory exactly 0700.
  if (!existed)
    if (std::error_code ec = fs::setPermissions(dir_, fs::owner_all))
      return Status::error("cannot make '", dir_, "' private: ", ec.message());
  fs::file_status status;
  if (std::error_code ec = fs::status(dir_, status))
    return Status::error("cannot stat '", dir_, "': ", ec.message());
  if (status.type() != fs::file_type::directory_file)
    return Status::error("'", dir_, "' is not a directory");
  if (status.getUser() != ::geteuid())
    return Status::error("'", dir_, "' belongs to user ", status.getUser(),
                         ", not to this one");
  // Whoever can write here can plant code that a hit would dlopen.
  if (status.permissions() & (fs::group_write | fs::others_write)) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o",
                  static_cast<unsigned>(status.permissions()) & 07777);
    return Status::error("'", dir_, "' is writable by other users (mode ", mode,
                         "); make it private with chmod 700");
  }
  return Status::success();
}

void CompileCache::sweepLeftovers() {
  auto dayAgo = std::chrono::system_clock::now() - std::chrono::hours(24);
  std::error_code ec;
  std::vector<std::string> stale;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end;
       it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (!name.starts_with(".staging-") && !name.starts_with(".trash-"))
      continue;
    fs::file_status status;
    if (!fs::status(it->path(), status, /*Follow=*/false) &&
        status.type() == fs::file_type::directory_file &&
        status.getLastModificationTime() < dayAgo)
      stale.push_back(it->path());
  }
  for (const std::string &path : stale) {
    log_.debug("compile cache: removing " + path +
               ", left by a process that did not finish");
    fs::remove_directories(path, /*IgnoreErrors=*/true);
  }
}

Expected<std::string> CompileCache::createStaging(const std::string &key) {
  sweepLeftovers();
  llvm::SmallString<128> staging;
  if (std::error_code ec =
          fs::createUniqueDirectory(dir_ + "/.staging-" + key, staging))
    return Status::error("cannot create a directory in '", dir_,
                         "': ", ec.message());
  // It becomes the entry: 0700 like the cache (it was made 0770 & umask).
  if (std::error_code ec = fs::setPermissions(staging, fs::owner_all)) {
    fs::remove(staging);
    return Status::error("cannot make '", staging.str().str(),
                         "' private: ", ec.message());
  }
  return staging.str().str();
}

Expected<std::string> CompileCache::publish(const std::string &staging,
                                            const std::string &key,
                                            const std::string &keyText,
                                            const std::string &manifest,
                                            const std::string &moduleFile,
                                            const std::string &moduleText) {
  auto fail = [&](const Status &s) -> Expected<std::string> {
    remove(staging);
    return s;
  };
  std::string module = moduleText;
  if (moduleFile == "module.so") {
    Expected<std::string> bytes = readWhole(staging + "/module.so");
    if (!bytes)
      return fail(bytes.status());
    module = std::move(*bytes);
  } else if (Status s = writeWhole(staging + "/" + moduleFile, moduleText);
             !s.ok()) {
    return fail(s);
  }
  if (Status s = writeWhole(staging + "/manifest.json", manifest); !s.ok())
    return fail(s);
  if (Status s = writeWhole(staging + "/key.txt", keyText); !s.ok())
    return fail(s);
  // The checksums last: they vouch for the files above.
  std::string sums = (kHeader + " " + key + "\n").str() + sha256Hex(keyText) +
                     " key.txt\n" + sha256Hex(manifest) + " manifest.json\n" +
                     sha256Hex(module) + " " + moduleFile + "\n";
  if (Status s = writeWhole(staging + "/" + kChecksums.str(), sums); !s.ok())
    return fail(s);

  std::string entry = entryPath(key);
  std::error_code ec = fs::rename(staging, entry);
  if (!ec) {
    log_.debug("compile cache: stored " + entry);
    return entry;
  }
  // rename(2) does not replace a non-empty directory: another process
  // published this entry first. Keep theirs.
  if (ec == std::errc::directory_not_empty || ec == std::errc::file_exists) {
    log_.debug("compile cache: " + entry +
               " was stored by another process meanwhile; keeping it");
    remove(staging);
    return entry;
  }
  return fail(Status::error("cannot rename '", staging, "' to '", entry,
                            "': ", ec.message()));
}

void CompileCache::remove(const std::string &path) {
  llvm::SmallString<128> trash;
  if (!fs::createUniqueDirectory(dir_ + "/.trash", trash)) {
    // An empty directory is replaced by rename(2).
    if (!fs::rename(path, trash)) {
      fs::remove_directories(trash, /*IgnoreErrors=*/true);
      return;
    }
    fs::remove(trash);
  }
  // Already gone (another process removed it), or no room for a trash
  // directory: delete in place.
  fs::remove_directories(path, /*IgnoreErrors=*/true);
}

} // namespace tensorc::jit
