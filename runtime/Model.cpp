//===- Model.cpp - The runtime half of the public Model API ---------------===//
//
// Everything of tensorc::Model except Model::compile, which lives with the
// compiler (compiler/JIT/ModelCompile.cpp), so that a program that only loads
// artifacts links the runtime alone.
//
//===----------------------------------------------------------------------===//

#include "tensorc/tensorc.h"

#include <cassert>
#include <chrono>

namespace tensorc {

ModelSource ModelSource::file(std::string path) {
  ModelSource source;
  source.isFile_ = true;
  source.name_ = std::move(path);
  return source;
}

ModelSource ModelSource::text(std::string text, std::string name) {
  ModelSource source;
  source.name_ = std::move(name);
  source.text_ = std::move(text);
  return source;
}

Model::Model(std::shared_ptr<const Artifact> artifact, CompileInfo info)
    : artifact_(std::move(artifact)), info_(std::move(info)) {
  assert(artifact_ && "a Model needs an artifact");
}

Expected<Model> Model::load(const std::string &manifestPath) {
  auto start = std::chrono::steady_clock::now();
  Expected<std::shared_ptr<const Artifact>> artifact =
      Artifact::loadFile(manifestPath);
  if (!artifact)
    return artifact.status();
  CompileInfo info;
  info.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return Model(std::move(*artifact), std::move(info));
}

Expected<std::unique_ptr<Session>>
Model::newSession(const SessionOptions &options) const {
  return Session::create(artifact_, options);
}

DeviceKind Model::target() const {
  return manifest().isCuda() ? DeviceKind::Cuda : DeviceKind::Cpu;
}

std::vector<std::string> Model::entryNames() const {
  std::vector<std::string> names;
  for (const Entry &entry : manifest().entries)
    names.push_back(entry.name);
  return names;
}

} // namespace tensorc
