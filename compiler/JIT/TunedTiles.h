//===- TunedTiles.h - The tiles `tensorc tune` chose, on disk ---*- C++ -*-===//
//
// `tensorc tune` times every candidate tile configuration of each matrix
// product of a model and stores the fastest per product key
// (kernels::contractionKey) in the cache directory, as tuned-tiles.json.
// Later compiles for the same target read it and give tc-emit-kernels the
// entries of their target (docs/codegen.md, "Tuning").
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_COMPILER_JIT_TUNEDTILES_H
#define TENSORC_COMPILER_JIT_TUNEDTILES_H

#include "tensorc/status.h"

#include <string>
#include <vector>

namespace tensorc::jit {

/// The cache directory the environment selects: $TENSORC_CACHE_DIR, else
/// $XDG_CACHE_HOME/tensorc or ~/.cache/tensorc; "" when TENSORC_NO_CACHE is
/// set or there is no home directory (`why` then says which).
std::string cacheDirFromEnvironment(std::string &why);

/// One product key's winner, with what it was measured against.
struct TunedEntry {
  std::string key;   // kernels::contractionKey
  std::string tiles; // kernels::formatTiles
  double seconds = 0;
  std::string defaultTiles; // the heuristic's choice
  double defaultSeconds = 0;
};

std::string tunedTilesPath(const std::string &cacheDir);

/// Every entry of `cacheDir`'s table (none when there is no file). A file
/// that is not a table of this format is an error.
Expected<std::vector<TunedEntry>> readTunedTiles(const std::string &cacheDir);

/// The "KEY=TILES" entries of the table whose keys are for `keyTarget`
/// ("cpu" or the arch), for jit::CompileOptions::tunedTiles. A damaged
/// table gives none, and tiles the emitter cannot use are left out;
/// `warning` then says why (compiles go on with the default tiles).
std::vector<std::string> tunedTilesFor(const std::string &cacheDir,
                                       const std::string &keyTarget,
                                       std::string &warning);

/// Adds `entries` to the table, replacing those of the same keys, and
/// writes it atomically (a temporary file renamed over it).
Status storeTunedTiles(const std::string &cacheDir,
                       const std::vector<TunedEntry> &entries);

} // namespace tensorc::jit

#endif // TENSORC_COMPILER_JIT_TUNEDTILES_H
