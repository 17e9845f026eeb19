//===- SessionParams.cpp - Params from and to safetensors files -----------===//
//
// A params file holds one tensor per param, named after it. Loading checks
// the whole file against the manifest before it touches a param, so that a
// file for another model (or another version of this one) changes nothing
// and the error lists every difference at once.
//
//===----------------------------------------------------------------------===//

#include "Device.h"
#include "ParamInit.h"
#include "Support.h"
#include "tensorc/safetensors.h"

namespace tensorc {

Expected<TensorMap> initialParams(const Manifest &manifest, uint64_t seed) {
  TensorMap values;
  for (const ParamInfo &p : manifest.params) {
    TC_ASSIGN_OR_RETURN(HostTensor value, initialParamValue(p, seed));
    values.emplace(p.name, std::move(value));
  }
  return values;
}

Status Session::loadParams(const std::string &path) {
  const Manifest &m = manifest();
  TC_ASSIGN_OR_RETURN(Safetensors file, readSafetensors(path));
  std::vector<std::string> problems;
  for (const ParamInfo &p : m.params) {
    std::string type = dtypeName(p.dtype) + shapeString(p.shape);
    auto it = file.tensors.find(p.name);
    if (it == file.tensors.end())
      problems.push_back(concat("no tensor '", p.name, "' (param ", type, ")"));
    else if (it->second.dtype() != p.dtype || it->second.shape() != p.shape)
      problems.push_back(concat("tensor '", p.name, "' is ",
                                it->second.typeString(), ", but the param is ",
                                type));
  }
  for (const auto &[name, tensor] : file.tensors)
    if (!m.findParam(name))
      problems.push_back(concat("tensor '", name, "' (", tensor.typeString(),
                                ") is no param of the model"));
  if (!problems.empty()) {
    std::string list;
    for (const std::string &p : problems)
      list += "\n  " + p;
    return Status::error(path, " does not hold the params of ",
                         m.model.empty() ? artifact_->source()
                                         : "model '" + m.model + "'",
                         " (no param was changed):", list);
  }
  for (size_t i = 0; i < m.params.size(); ++i) {
    const HostTensor &value = file.tensors.at(m.params[i].name);
    TC_RETURN_IF_ERROR(
        device_->copyToDevice(paramMemory_[i], value.data(), value.byteSize())
            .withContext(
                concat("loading param '", m.params[i].name, "' from ", path)));
  }
  return device_->synchronize("loading the params from " + path);
}

Status Session::saveParams(const std::string &path) {
  Safetensors file;
  for (const ParamInfo &p : manifest().params) {
    TC_ASSIGN_OR_RETURN(HostTensor value, getParam(p.name));
    file.tensors.emplace(p.name, std::move(value));
  }
  if (!manifest().model.empty())
    file.metadata["model"] = manifest().model;
  return writeSafetensors(path, file);
}

} // namespace tensorc
