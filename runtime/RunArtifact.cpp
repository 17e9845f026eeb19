//===- RunArtifact.cpp - Running an entry point on .npy files -------------===//

#include "tensorc/run.h"

#include "Support.h"
#include "tensorc/npy.h"

#include <ostream>

namespace tensorc {

Expected<std::pair<std::string, std::string>>
parseNameValue(const std::string &arg, const std::string &what) {
  size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size())
    return Status::error(what, " must be NAME=VALUE, got '", arg, "'");
  return std::make_pair(arg.substr(0, eq), arg.substr(eq + 1));
}

Expected<TensorMap> readNpyFiles(const NpyFiles &files) {
  TensorMap tensors;
  for (const auto &[name, file] : files) {
    TC_ASSIGN_OR_RETURN(HostTensor value, readNpy(file));
    tensors[name] = std::move(value);
  }
  return tensors;
}

Status setParamsFromNpy(Session &session, const NpyFiles &files) {
  for (const auto &[name, file] : files) {
    TC_ASSIGN_OR_RETURN(HostTensor value, readNpy(file));
    TC_RETURN_IF_ERROR(session.setParam(name, value));
  }
  return Status::success();
}

Status runArtifact(std::shared_ptr<const Artifact> artifact,
                   const RunRequest &request, std::ostream &summary) {
  Expected<std::unique_ptr<Session>> session =
      Session::create(std::move(artifact), request.session);
  if (!session)
    return session.status();
  if (!request.paramsFile.empty())
    TC_RETURN_IF_ERROR((*session)->loadParams(request.paramsFile));
  TC_RETURN_IF_ERROR(setParamsFromNpy(**session, request.params));
  TC_ASSIGN_OR_RETURN(TensorMap inputs, readNpyFiles(request.inputs));
  Expected<TensorMap> outputs =
      (*session)->run(request.entry, inputs, request.dims);
  if (!outputs)
    return outputs.status();
  for (const auto &[name, tensor] : *outputs) {
    if (request.output.empty()) {
      summary << name << ": " << tensor.typeString() << "\n";
      continue;
    }
    std::string path = outputs->size() == 1
                           ? request.output
                           : request.output + "_" + name + ".npy";
    if (Status s = writeNpy(path, tensor); !s.ok())
      return s;
  }
  return Status::success();
}

} // namespace tensorc
