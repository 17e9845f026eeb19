//===- CompilerIdentity.cpp - What a compile cache key must cover ---------===//

#include "compiler/JIT/CompilerIdentity.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <cstring>
#include <elf.h>
#include <link.h>
#include <vector>

namespace tensorc::jit {
namespace {

/// The GNU build id in the notes of a loaded object, as hex, or "".
std::string buildId(const dl_phdr_info &info) {
  for (int i = 0; i < info.dlpi_phnum; ++i) {
    const ElfW(Phdr) &ph = info.dlpi_phdr[i];
    if (ph.p_type != PT_NOTE)
      continue;
    const char *at =
        reinterpret_cast<const char *>(info.dlpi_addr + ph.p_vaddr);
    const char *end = at + ph.p_memsz;
    auto align4 = [](size_t n) { return (n + 3) & ~size_t(3); };
    while (at + sizeof(ElfW(Nhdr)) <= end) {
      const auto *note = reinterpret_cast<const ElfW(Nhdr) *>(at);
      const char *name = at + sizeof(ElfW(Nhdr));
      const char *desc = name + align4(note->n_namesz);
      if (desc + note->n_descsz > end)
        break;
      if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 &&
          std::memcmp(name, "GNU", 4) == 0)
        return llvm::toHex(
            llvm::ArrayRef(reinterpret_cast<const uint8_t *>(desc),
                           note->n_descsz),
            /*LowerCase=*/true);
      at = desc + align4(note->n_descsz);
    }
  }
  return "";
}

/// The build id of the object at `path`, or its size and modification time
/// when it has none.
std::string objectId(const dl_phdr_info &info, const std::string &path) {
  std::string id = buildId(info);
  if (!id.empty())
    return "build-id " + id;
  llvm::sys::fs::file_status status;
  if (llvm::sys::fs::status(path, status))
    return "unknown";
  return "size " + std::to_string(status.getSize()) + " mtime " +
         std::to_string(
             status.getLastModificationTime().time_since_epoch().count());
}

bool contains(const dl_phdr_info &info, uintptr_t address) {
  for (int i = 0; i < info.dlpi_phnum; ++i) {
    const ElfW(Phdr) &ph = info.dlpi_phdr[i];
    uintptr_t begin = info.dlpi_addr + ph.p_vaddr;
    if (ph.p_type == PT_LOAD && address >= begin &&
        address < begin + ph.p_memsz)
      return true;
  }
  return false;
}

struct Scan {
  uintptr_t self;                 // an address in this compiler's code
  std::vector<std::string> parts; // "name id", one per object of interest
};

int visit(dl_phdr_info *info, size_t, void *data) {
  auto *scan = static_cast<Scan *>(data);
  std::string path = info->dlpi_name ? info->dlpi_name : "";
  llvm::StringRef file = llvm::sys::path::filename(path);
  if (contains(*info, scan->self))
    scan->parts.push_back(
        "self " + objectId(*info, path.empty() ? "/proc/self/exe" : path));
  else if (file.starts_with("libLLVM") || file.starts_with("libMLIR"))
    scan->parts.push_back(file.str() + " " + objectId(*info, path));
  return 0;
}

} // namespace

const std::string &compilerIdentity() {
  static const std::string identity = [] {
    Scan scan;
    scan.self = reinterpret_cast<uintptr_t>(&visit);
    dl_iterate_phdr(visit, &scan);
    std::sort(scan.parts.begin(), scan.parts.end());
    std::string id = std::string("tensorc ") + TENSORC_VERSION + "; LLVM " +
                     LLVM_VERSION_STRING;
    for (const std::string &part : scan.parts)
      id += "; " + part;
    return id;
  }();
  return identity;
}

const std::string &hostIdentity() {
  static const std::string identity = [] {
    std::vector<std::string> features;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features.push_back((feature.getValue() ? "+" : "-") +
                         feature.getKey().str());
    std::sort(features.begin(), features.end());
    return llvm::sys::getProcessTriple() + " " +
           llvm::sys::getHostCPUName().str() + " " + llvm::join(features, ",");
  }();
  return identity;
}

} // namespace tensorc::jit
