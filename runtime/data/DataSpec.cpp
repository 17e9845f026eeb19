//===- DataSpec.cpp - `--data` specs of tensorc train ---------------------===//

#include "tensorc/data.h"

namespace tensorc {

Expected<DataSpec> parseDataSpec(const std::string &spec) {
  size_t colon = spec.find(':');
  std::string kind = spec.substr(0, colon);
  std::string path = colon == std::string::npos ? "" : spec.substr(colon + 1);
  bool hasPath = colon != std::string::npos;
  DataSpec out;
  out.path = path;
  if (kind == "fashion-mnist") {
    out.kind = DataSpec::Kind::FashionMnist;
    if (!hasPath)
      out.path = kFashionMnistDir;
  } else if (kind == "npy") {
    out.kind = DataSpec::Kind::Npy;
  } else if (kind == "text") {
    out.kind = DataSpec::Kind::Text;
  } else {
    return Status::error("unknown data '", spec,
                         "'; expected fashion-mnist[:DIR], npy:DIR (with "
                         "x.npy and y.npy) or text:FILE");
  }
  if (hasPath && path.empty())
    return Status::error("'", spec, "' names no ",
                         out.kind == DataSpec::Kind::Text ? "file"
                                                          : "directory",
                         " after the ':'");
  if (!hasPath && out.kind != DataSpec::Kind::FashionMnist)
    return Status::error("'", spec, "' needs a ",
                         out.kind == DataSpec::Kind::Text
                             ? "file: text:FILE"
                             : "directory: npy:DIR");
  return out;
}

} // namespace tensorc
