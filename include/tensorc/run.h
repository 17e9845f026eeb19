//===- run.h - Running an entry point on .npy files -------------*- C++ -*-===//
//
// What `tensorc run` (with the compiler) and `tensorc-rt` (the runtime
// alone) do once they have an artifact: read inputs from .npy files and
// parameters from a safetensors or .npy files, run one entry point, write the
// outputs.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_RUN_H
#define TENSORC_RUN_H

#include "tensorc/runtime.h"

#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tensorc {

/// NAME=FILE.npy pairs, as parsed.
using NpyFiles = std::vector<std::pair<std::string, std::string>>;

struct RunRequest {
  std::string entry = "forward";
  /// A safetensors file of every param (Session::loadParams), read before
  /// `params`; empty: the params start from their initializers.
  std::string paramsFile;
  /// NAME=FILE.npy pairs.
  NpyFiles inputs, params;
  std::map<std::string, int64_t> dims;
  SessionOptions session;
  /// An .npy file for a single output; a prefix (PREFIX_NAME.npy) for
  /// several; empty to print the outputs' types to `summary`.
  std::string output;
};

/// Splits "NAME=VALUE"; `what` names the option in the error.
Expected<std::pair<std::string, std::string>>
parseNameValue(const std::string &arg, const std::string &what);

/// Reads each file into a map keyed by its name.
Expected<TensorMap> readNpyFiles(const NpyFiles &files);

/// Sets each named param from its file (Session::setParam checks them).
Status setParamsFromNpy(Session &session, const NpyFiles &files);

/// Runs the request on the artifact.
Status runArtifact(std::shared_ptr<const Artifact> artifact,
                   const RunRequest &request, std::ostream &summary);

} // namespace tensorc

#endif // TENSORC_RUN_H
