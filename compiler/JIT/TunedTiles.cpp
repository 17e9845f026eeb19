//===- TunedTiles.cpp - The tiles `tensorc tune` chose, on disk -----------===//

#include "compiler/JIT/TunedTiles.h"

#include "compiler/Conversion/KernelsToGPU/ContractionTiles.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <map>
#include <unistd.h>

namespace tensorc::jit {

namespace fs = llvm::sys::fs;
namespace json = llvm::json;

static constexpr llvm::StringLiteral kFormat = "tensorc-tuned-tiles";

std::string cacheDirFromEnvironment(std::string &why) {
  if (const char *off = std::getenv("TENSORC_NO_CACHE");
      off && *off && llvm::StringRef(off) != "0") {
    why = "TENSORC_NO_CACHE is set";
    return "";
  }
  if (const char *dir = std::getenv("TENSORC_CACHE_DIR"); dir && *dir)
    return dir;
  // $XDG_CACHE_HOME, else ~/.cache (from $HOME or the password database).
  llvm::SmallString<128> dir;
  if (!llvm::sys::path::cache_directory(dir)) {
    why = "there is no home directory (set TENSORC_CACHE_DIR)";
    return "";
  }
  llvm::sys::path::append(dir, "tensorc");
  return dir.str().str();
}

std::string tunedTilesPath(const std::string &cacheDir) {
  return cacheDir + "/tuned-tiles.json";
}

Expected<std::vector<TunedEntry>> readTunedTiles(const std::string &cacheDir) {
  std::string path = tunedTilesPath(cacheDir);
  std::vector<TunedEntry> entries;
  if (!fs::exists(path))
    return entries;
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return Status::error("cannot read '", path,
                         "': ", buffer.getError().message());
  llvm::Expected<json::Value> root = json::parse((*buffer)->getBuffer());
  if (!root)
    return Status::error("'", path, "' is not JSON (",
                         llvm::toString(root.takeError()), ")");
  const json::Object *object = root->getAsObject();
  const json::Object *tiles = object ? object->getObject("tiles") : nullptr;
  if (!object || object->getString("format") != kFormat ||
      object->getInteger("version") != 1 || !tiles)
    return Status::error("'", path, "' is not a \"", kFormat.str(),
                         "\" file of version 1");
  for (const auto &[key, value] : *tiles) {
    const json::Object *e = value.getAsObject();
    std::optional<llvm::StringRef> t = e ? e->getString("tiles") : std::nullopt;
    if (!t)
      return Status::error("'", path, "': the entry '", key.str(),
                           "' has no \"tiles\" string");
    TunedEntry entry;
    entry.key = key.str();
    entry.tiles = t->str();
    entry.seconds = e->getNumber("seconds").value_or(0);
    entry.defaultTiles = e->getString("default_tiles").value_or("").str();
    entry.defaultSeconds = e->getNumber("default_seconds").value_or(0);
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<std::string> tunedTilesFor(const std::string &cacheDir,
                                       const std::string &keyTarget,
                                       std::string &warning) {
  std::vector<std::string> out;
  Expected<std::vector<TunedEntry>> entries = readTunedTiles(cacheDir);
  if (!entries) {
    warning = entries.status().message() +
              "; compiling with the default tiles (tensorc tune rewrites it)";
    return out;
  }
  std::string prefix = keyTarget + "/";
  bool cpu = keyTarget == "cpu";
  for (const TunedEntry &e : *entries) {
    if (!llvm::StringRef(e.key).starts_with(prefix))
      continue;
    // Tiles the emitter cannot use (a hand-edited table) are left out, so
    // that they never fail a compile.
    std::string error;
    int64_t bytes = kernels::keyOperandBytes(e.key);
    if (!kernels::parseTiles(e.tiles, cpu, bytes, bytes, error)) {
      warning = "ignoring the tuned tiles '" + e.tiles + "' of '" + e.key +
                "' in '" + tunedTilesPath(cacheDir) + "': " + error;
      continue;
    }
    out.push_back(e.key + "=" + e.tiles);
  }
  return out;
}

Status storeTunedTiles(const std::string &cacheDir,
                       const std::vector<TunedEntry> &entries) {
  if (std::error_code ec = fs::create_directories(
          cacheDir, /*IgnoreExisting=*/true, fs::owner_all))
    return Status::error("cannot create '", cacheDir, "': ", ec.message());
  Expected<std::vector<TunedEntry>> old = readTunedTiles(cacheDir);
  std::map<std::string, TunedEntry> all;
  if (old) // a damaged table is replaced
    for (TunedEntry &e : *old)
      all[e.key] = std::move(e);
  for (const TunedEntry &e : entries)
    all[e.key] = e;
  json::Object tiles;
  for (const auto &[key, e] : all)
    tiles[key] = json::Object{{"tiles", e.tiles},
                              {"seconds", e.seconds},
                              {"default_tiles", e.defaultTiles},
                              {"default_seconds", e.defaultSeconds}};
  json::Object root{
      {"format", kFormat.str()}, {"version", 1}, {"tiles", std::move(tiles)}};
  std::string path = tunedTilesPath(cacheDir);
  std::string temp = path + ".tmp." + std::to_string(::getpid());
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(temp, ec, fs::OF_Text);
    if (!ec) {
      os << llvm::formatv("{0:2}", json::Value(std::move(root))) << "\n";
      os.close();
      ec = os.error();
    }
    if (ec) {
      fs::remove(temp);
      return Status::error("cannot write '", temp, "': ", ec.message());
    }
  }
  if (std::error_code ec = fs::rename(temp, path)) {
    fs::remove(temp);
    return Status::error("cannot replace '", path, "': ", ec.message());
  }
  return Status::success();
}

} // namespace tensorc::jit
