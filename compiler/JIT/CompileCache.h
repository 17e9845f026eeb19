//===- CompileCache.h - Compiled models on disk, by key ---------*- C++ -*-===//
//
// Model::compile stores what it compiles under a key that hashes everything
// the result depends on, and reuses it when the key comes again
// (docs/api.md, "The compile cache"). An entry is a directory
//
//   <cache>/<key>/manifest.json   the manifest
//                 module.ptx      PTX (CUDA) or module.so (CPU kernels)
//                 key.txt         what the key hashes, for people
//                 checksums       SHA-256 of each file, written last
//
// which is itself an artifact (`tensorc run <cache>/<key>/manifest.json`).
// It is built in a private staging directory and published with one
// rename(2), so that readers see a whole entry or none, and two processes
// compiling the same model never write the same files. Every hit checks the
// checksums first: a truncated or damaged entry is removed, never used.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_JIT_COMPILECACHE_H
#define TENSORC_JIT_COMPILECACHE_H

#include "tensorc/tensorc.h"

#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>

namespace tensorc::jit {

/// The cache's messages: to the caller's LogFn, or to stderr (warnings
/// always, debug messages when TENSORC_LOG=debug).
class CacheLog {
public:
  explicit CacheLog(LogFn fn);
  void debug(const std::string &message) const;
  void warning(const std::string &message) const;

private:
  LogFn fn_;
  bool debugToStderr_ = false;
};

/// The directory `options` and the environment select, or "" when the
/// cache is off; `why` then says why.
std::string selectCacheDir(const CompileOptions &options, std::string &why);

/// SHA-256 of `data`, in lower-case hex.
std::string sha256Hex(llvm::StringRef data);

class CompileCache {
public:
  CompileCache(std::string dir, const CacheLog &log)
      : dir_(std::move(dir)), log_(log) {}

  const std::string &dir() const { return dir_; }
  std::string entryPath(const std::string &key) const;

  /// Creates the cache directory when it is missing (mode 0700, as are the
  /// parents it creates) and checks that it is private: owned by this user
  /// and writable by nobody else, since hits dlopen the shared objects in
  /// it. An error says why the cache cannot be used.
  Status open();

  /// The artifact stored under `key`, or null when there is none. An entry
  /// that fails any check is removed, and the reason logged at debug level.
  std::shared_ptr<const Artifact> lookup(const std::string &key);

  /// A new private directory in the (opened) cache to compile into; an
  /// error when it cannot be written. Sweeps away the staging and trash
  /// directories that crashed processes left behind.
  Expected<std::string> createStaging(const std::string &key);

  /// Writes the manifest, the module (`moduleText`, or for `module.so` the
  /// file already in `staging`), `keyText` and the checksums into
  /// `staging`, and publishes it as entry `key`. When another process
  /// published that entry first, `staging` is dropped and its entry kept.
  /// Returns the entry's path; on failure `staging` is removed.
  Expected<std::string>
  publish(const std::string &staging, const std::string &key,
          const std::string &keyText, const std::string &manifest,
          const std::string &moduleFile, const std::string &moduleText);

  /// Removes a directory of the cache (a staging directory, a bad entry):
  /// first renamed aside, so that no reader sees it half deleted.
  void remove(const std::string &path);

private:
  /// Removes `.staging-*` and `.trash-*` directories older than a day.
  void sweepLeftovers();

  std::string dir_;
  const CacheLog &log_;
};

} // namespace tensorc::jit

#endif // TENSORC_JIT_COMPILECACHE_H
