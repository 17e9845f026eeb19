//===- Artifact.cpp - A manifest and its module, from files or memory
//------===//

#include "Support.h"
#include "tensorc/runtime.h"

namespace tensorc {

namespace {

/// Checks that `ptx` looks like PTX text that defines every kernel of the
/// manifest, so that a mismatched module is caught when it is loaded, even on
/// a machine without a GPU.
Status checkPtx(const std::string &ptx, const Manifest &m,
                const std::string &what) {
  if (ptx.find('\0') != std::string::npos ||
      ptx.find(".version") == std::string::npos)
    return Status::error(what, " is not PTX text");
  for (const KernelInfo &k : m.kernels) {
    std::string needle = ".entry " + k.name;
    bool found = false;
    for (size_t at = ptx.find(needle); at != std::string::npos && !found;
         at = ptx.find(needle, at + 1)) {
      size_t end = at + needle.size();
      found = end < ptx.size() &&
              (ptx[end] == '(' ||
               std::isspace(static_cast<unsigned char>(ptx[end])));
    }
    if (!found)
      return Status::error(what, " has no kernel '", k.name, "' (no '.entry ",
                           k.name,
                           "'): the module and the manifest do not match");
  }
  return Status::success();
}

} // namespace

Expected<std::shared_ptr<const Artifact>>
Artifact::loadFile(const std::string &manifestPath) {
  std::string source = "artifact '" + manifestPath + "'";
  Expected<std::string> text = readFile(manifestPath);
  if (!text)
    return text.status().withContext(source);
  auto artifact = std::make_shared<Artifact>();
  artifact->source_ = source;
  TC_ASSIGN_OR_RETURN(artifact->manifest_, Manifest::parse(*text, source));
  const Manifest &m = artifact->manifest_;
  std::string dir = parentDir(manifestPath);
  std::string modulePath = dir.empty() ? m.module : dir + "/" + m.module;
  std::string what = concat(source, ": its module '", modulePath, "'");
  if (m.isCuda()) {
    Expected<std::string> ptx = readFile(modulePath);
    if (!ptx)
      return ptx.status().withContext(source);
    TC_RETURN_IF_ERROR(checkPtx(*ptx, m, what));
    artifact->module_ = std::move(*ptx);
  } else {
    Expected<std::unique_ptr<SharedObjectResolver>> resolver =
        SharedObjectResolver::open(modulePath);
    if (!resolver)
      return resolver.status().withContext(source);
    artifact->resolver_ = std::move(*resolver);
  }
  return std::shared_ptr<const Artifact>(std::move(artifact));
}

Expected<std::shared_ptr<const Artifact>>
Artifact::fromMemory(const std::string &manifestText, std::string module,
                     std::shared_ptr<KernelResolver> resolver) {
  auto artifact = std::make_shared<Artifact>();
  artifact->source_ = "artifact in memory";
  TC_ASSIGN_OR_RETURN(artifact->manifest_,
                      Manifest::parse(manifestText, artifact->source_));
  const Manifest &m = artifact->manifest_;
  if (!m.model.empty())
    artifact->source_ = "artifact of '" + m.model + "' in memory";
  if (m.isCuda()) {
    TC_RETURN_IF_ERROR(
        checkPtx(module, m, artifact->source_ + ": its PTX module"));
    artifact->module_ = std::move(module);
  } else if (!resolver) {
    return Status::error(artifact->source_, " targets the CPU, but no kernel "
                                            "resolver supplies its kernels");
  }
  artifact->resolver_ = std::move(resolver);
  return std::shared_ptr<const Artifact>(std::move(artifact));
}

} // namespace tensorc
