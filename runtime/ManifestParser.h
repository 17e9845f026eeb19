//===- ManifestParser.h - Pieces of Manifest::parse
//------------------------===//

#ifndef TENSORC_RUNTIME_MANIFESTPARSER_H
#define TENSORC_RUNTIME_MANIFESTPARSER_H

#include "Json.h"
#include "tensorc/manifest.h"

namespace tensorc {

/// Parses the string at `path` as an expression over `dims`.
Expected<Expr> parseExprAt(const json &value, const std::string &path,
                           const std::vector<std::string> &dims);

/// Parses one element of `entries`; `manifest` holds the parsed dims, params
/// and kernels that the entry refers to.
Expected<Entry> parseEntry(const json &value, const std::string &path,
                           const Manifest &manifest);

} // namespace tensorc

#endif // TENSORC_RUNTIME_MANIFESTPARSER_H
