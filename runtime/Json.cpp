//===- Json.cpp - Checked access to nlohmann::json
//-------------------------===//

#include "Json.h"

#include <cmath>

namespace tensorc {

namespace {
/// Records the first syntax error of a SAX parse, to report its position
/// (json::parse without exceptions only says that the text is invalid).
struct ErrorRecorder : nlohmann::json_sax<json> {
  std::string message;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t &) override { return true; }
  bool string(string_t &) override { return true; }
  bool binary(binary_t &) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t &) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string &,
                   const nlohmann::detail::exception &ex) override {
    message = ex.what();
    return false;
  }
};
} // namespace

Expected<json> parseJson(const std::string &text) {
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!value.is_discarded())
    return Expected<json>(std::move(value)); // never copy: copies recurse
  ErrorRecorder recorder;
  json::sax_parse(text, &recorder);
  return Status::error("not valid JSON: ", recorder.message.empty()
                                               ? "syntax error"
                                               : recorder.message);
}

std::string describeJson(const json &value) {
  // Never dump a container: dump() recurses, and a hostile manifest can nest
  // arrays deeply enough to overflow the stack.
  if (value.is_array())
    return concat("an array of ", value.size(), " elements");
  if (value.is_object())
    return concat("an object with ", value.size(), " keys");
  // error_handler_t::replace: dump() must not abort on invalid UTF-8.
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 40)
    text = text.substr(0, 37) + "...";
  if (value.is_null())
    return "null";
  if (value.is_boolean())
    return "the boolean " + text;
  if (value.is_string())
    return "the string " + text;
  return "the number " + text;
}

std::string joinPath(const std::string &path, const char *key) {
  return path.empty() ? std::string(key) : path + "." + key;
}

Status expectObject(const json &value, const std::string &path) {
  if (!value.is_object())
    return Status::error(path, ": expected an object, given ",
                         describeJson(value));
  return Status::success();
}

Status expectArray(const json &value, const std::string &path) {
  if (!value.is_array())
    return Status::error(path, ": expected an array, given ",
                         describeJson(value));
  return Status::success();
}

const json *findMember(const json &obj, const char *key) {
  if (!obj.is_object())
    return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

Expected<const json *> getMember(const json &obj, const std::string &path,
                                 const char *key) {
  TC_RETURN_IF_ERROR(expectObject(obj, path.empty() ? "the manifest" : path));
  const json *member = findMember(obj, key);
  if (!member)
    return Status::error(path.empty() ? "the manifest" : path,
                         ": missing required key '", key, "'");
  return member;
}

Expected<std::string> asString(const json &value, const std::string &path) {
  if (!value.is_string())
    return Status::error(path, ": expected a string, given ",
                         describeJson(value));
  return value.get_ref<const std::string &>();
}

static std::string rangeText(int64_t min, int64_t max) {
  if (max == INT64_MAX && min == 0)
    return "a non-negative integer";
  if (max == INT64_MAX && min == 1)
    return "a positive integer";
  return concat("an integer in [", min, ", ", max, "]");
}

Expected<int64_t> asInt(const json &value, const std::string &path, int64_t min,
                        int64_t max) {
  int64_t v;
  if (value.is_number_unsigned()) {
    uint64_t u = value.get<uint64_t>();
    if (u > static_cast<uint64_t>(max))
      return Status::error(path, ": expected ", rangeText(min, max), ", given ",
                           u);
    v = static_cast<int64_t>(u);
  } else if (value.is_number_integer()) {
    v = value.get<int64_t>();
  } else {
    return Status::error(path, ": expected an integer, given ",
                         describeJson(value));
  }
  if (v < min || v > max)
    return Status::error(path, ": expected ", rangeText(min, max), ", given ",
                         v);
  return v;
}

Expected<double> asFiniteNumber(const json &value, const std::string &path) {
  if (!value.is_number())
    return Status::error(path, ": expected a number, given ",
                         describeJson(value));
  double v = value.get<double>();
  if (!std::isfinite(v))
    return Status::error(path, ": expected a finite number, given ",
                         describeJson(value));
  return v;
}

Expected<std::string> getString(const json &obj, const std::string &path,
                                const char *key) {
  TC_ASSIGN_OR_RETURN(const json *member, getMember(obj, path, key));
  return asString(*member, joinPath(path, key));
}

Expected<int64_t> getInt(const json &obj, const std::string &path,
                         const char *key, int64_t min, int64_t max) {
  TC_ASSIGN_OR_RETURN(const json *member, getMember(obj, path, key));
  return asInt(*member, joinPath(path, key), min, max);
}

Expected<const json *> getArray(const json &obj, const std::string &path,
                                const char *key) {
  TC_ASSIGN_OR_RETURN(const json *member, getMember(obj, path, key));
  TC_RETURN_IF_ERROR(expectArray(*member, joinPath(path, key)));
  return member;
}

} // namespace tensorc
