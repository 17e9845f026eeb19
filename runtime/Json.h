//===- Json.h - Checked access to nlohmann::json without exceptions
//--------===//
//
// The runtime is built with -fno-exceptions, where nlohmann::json aborts on a
// type error. These helpers check the type before every access and return an
// error that names the path of the value, what was expected and what was
// given.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_RUNTIME_JSON_H
#define TENSORC_RUNTIME_JSON_H

#include "Support.h"

#include "nlohmann/json.hpp"

namespace tensorc {

using json = nlohmann::json;

/// Parses JSON; the error says where the text is malformed.
Expected<json> parseJson(const std::string &text);

/// "a string (\"abc\")", "the number 1.5", "an object", ...
std::string describeJson(const json &value);

/// `path.key` for messages.
std::string joinPath(const std::string &path, const char *key);

Status expectObject(const json &value, const std::string &path);
/// The member `key` of the object `obj` (at `path`): an error when missing.
Expected<const json *> getMember(const json &obj, const std::string &path,
                                 const char *key);
/// As getMember, but nullptr when missing.
const json *findMember(const json &obj, const char *key);

Expected<std::string> asString(const json &value, const std::string &path);
Expected<int64_t> asInt(const json &value, const std::string &path, int64_t min,
                        int64_t max);
Expected<double> asFiniteNumber(const json &value, const std::string &path);
Status expectArray(const json &value, const std::string &path);

Expected<std::string> getString(const json &obj, const std::string &path,
                                const char *key);
Expected<int64_t> getInt(const json &obj, const std::string &path,
                         const char *key, int64_t min, int64_t max);
/// The array member `key`.
Expected<const json *> getArray(const json &obj, const std::string &path,
                                const char *key);

} // namespace tensorc

#endif // TENSORC_RUNTIME_JSON_H
