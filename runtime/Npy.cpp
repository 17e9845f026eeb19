//===- Npy.cpp - NumPy .npy files
//------------------------------------------===//
//
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html:
// "\x93NUMPY", major, minor, a little-endian header length (2 bytes in 1.0,
// 4 in 2.0 and 3.0), then a Python dict literal with exactly the keys
// 'descr', 'fortran_order' and 'shape', padded with spaces and ending in a
// newline; then the data.
//
//===----------------------------------------------------------------------===//

#include "tensorc/npy.h"
#include "Support.h"

#include <cctype>
#include <map>

namespace tensorc {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

struct DescrInfo {
  const char *descr;
  DType dtype;
};
constexpr DescrInfo kDescrs[] = {{"<f4", DType::F32}, {"<f8", DType::F64},
                                 {"<f2", DType::F16}, {"<i4", DType::I32},
                                 {"<i8", DType::I64}, {"|b1", DType::Bool},
                                 {"<b1", DType::Bool}};

/// The header's dict literal: string keys; values that are strings,
/// booleans or tuples of integers.
class HeaderParser {
public:
  struct Value {
    enum Kind { String, Bool, Tuple } kind = String;
    std::string text;
    bool flag = false;
    std::vector<int64_t> items;
  };

  explicit HeaderParser(const std::string &text) : text_(text) {}

  Status parse(std::map<std::string, Value> &out) {
    if (!consume('{'))
      return fail("expected '{'");
    while (!consume('}')) {
      std::string key;
      TC_RETURN_IF_ERROR(parseString(key));
      if (!consume(':'))
        return fail("expected ':'");
      Value v;
      TC_RETURN_IF_ERROR(parseValue(v));
      if (!out.emplace(key, std::move(v)).second)
        return Status::error("the header repeats the key '", key, "'");
      if (!consume(',') && !peek('}'))
        return fail("expected ',' or '}'");
    }
    skipSpace();
    if (pos_ != text_.size())
      return fail("expected the end of the header");
    return Status::success();
  }

private:
  Status fail(const char *what) {
    return Status::error("malformed header at offset ", pos_, " (", what,
                         "): ", text_);
  }
  void skipSpace() {
    while (pos_ < text_.size() &&
           std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
  }
  bool peek(char c) {
    skipSpace();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  bool consume(char c) {
    if (!peek(c))
      return false;
    ++pos_;
    return true;
  }
  Status parseString(std::string &out) {
    skipSpace();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"'))
      return fail("expected a quoted string");
    char quote = text_[pos_++];
    size_t end = text_.find(quote, pos_);
    if (end == std::string::npos)
      return fail("unterminated string");
    out = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return Status::success();
  }
  Status parseValue(Value &v) {
    skipSpace();
    if (text_.compare(pos_, 4, "True") == 0 ||
        text_.compare(pos_, 5, "False") == 0) {
      v.kind = Value::Bool;
      v.flag = text_[pos_] == 'T';
      pos_ += v.flag ? 4 : 5;
      return Status::success();
    }
    if (consume('(')) {
      v.kind = Value::Tuple;
      while (!consume(')')) {
        skipSpace();
        int64_t n = 0;
        size_t begin = pos_;
        while (pos_ < text_.size() &&
               std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
          if (!checkedMul(n, 10, n) || !checkedAdd(n, text_[pos_] - '0', n))
            return fail("a dim does not fit in 64 bits");
          ++pos_;
        }
        if (pos_ == begin)
          return fail("expected a non-negative integer");
        if (pos_ < text_.size() && text_[pos_] == 'L') // Python 2 longs
          ++pos_;
        v.items.push_back(n);
        if (!consume(',') && !peek(')'))
          return fail("expected ',' or ')'");
      }
      return Status::success();
    }
    v.kind = Value::String;
    return parseString(v.text);
  }

  const std::string &text_;
  size_t pos_ = 0;
};

uint32_t readLE(const std::string &bytes, size_t at, size_t width) {
  uint32_t v = 0;
  for (size_t i = 0; i < width; ++i)
    v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + i]))
         << (8 * i);
  return v;
}

} // namespace

Expected<HostTensor> decodeNpy(const std::string &bytes,
                               const std::string &source) {
  auto fail = [&](auto &&...parts) {
    return Status::error(source, ": ", parts...);
  };
  if (bytes.size() < kMagicSize + 2 ||
      bytes.compare(0, kMagicSize, kMagic, kMagicSize) != 0)
    return fail("not a .npy file (no \\x93NUMPY magic)");
  int major = static_cast<unsigned char>(bytes[6]);
  int minor = static_cast<unsigned char>(bytes[7]);
  if (major < 1 || major > 3 || minor != 0)
    return fail("unsupported format version ", major, ".", minor,
                " (expected 1.0, 2.0 or 3.0)");
  size_t lengthWidth = major == 1 ? 2 : 4;
  size_t prefix = 8 + lengthWidth;
  if (bytes.size() < prefix)
    return fail("truncated: the file ends inside the header length");
  uint64_t headerLength = readLE(bytes, 8, lengthWidth);
  if (headerLength > bytes.size() - prefix)
    return fail("truncated: the header announces ", headerLength,
                " bytes, but only ", bytes.size() - prefix, " follow");
  std::string header = bytes.substr(prefix, headerLength);
  if (header.empty() || header.back() != '\n')
    return fail("the header does not end with a newline");

  std::map<std::string, HeaderParser::Value> dict;
  Status parsed = HeaderParser(header).parse(dict);
  if (!parsed.ok())
    return parsed.withContext(source);
  for (const char *key : {"descr", "fortran_order", "shape"})
    if (!dict.count(key))
      return fail("the header lacks '", key, "'");
  if (dict.size() != 3)
    return fail("the header has keys other than descr, fortran_order and "
                "shape");
  const auto &descr = dict["descr"];
  const auto &fortran = dict["fortran_order"];
  const auto &shapeValue = dict["shape"];
  if (descr.kind != HeaderParser::Value::String)
    return fail("'descr' is not a string (structured dtypes are not "
                "supported)");
  if (fortran.kind != HeaderParser::Value::Bool)
    return fail("'fortran_order' is not True or False");
  if (shapeValue.kind != HeaderParser::Value::Tuple)
    return fail("'shape' is not a tuple");

  const DescrInfo *info = nullptr;
  for (const DescrInfo &d : kDescrs)
    if (descr.text == d.descr)
      info = &d;
  if (!info) {
    if (!descr.text.empty() && descr.text[0] == '>')
      return fail("big-endian data ('", descr.text,
                  "') is not supported; convert it with "
                  "a.astype(a.dtype.newbyteorder('<'))");
    return fail("unsupported dtype '", descr.text,
                "' (expected <f4, <f8, <f2, <i4, <i8 or |b1)");
  }
  std::vector<int64_t> shape = shapeValue.items;
  if (fortran.flag && shape.size() > 1)
    return fail("Fortran-order data is not supported; save it with "
                "np.ascontiguousarray(a)");

  Expected<int64_t> numel = shapeNumel(shape);
  int64_t dataBytes = 0;
  if (!numel ||
      !checkedMul(*numel, static_cast<int64_t>(dtypeSize(info->dtype)),
                  dataBytes))
    return fail("shape ", shapeString(shape), " is too large");
  size_t dataStart = prefix + static_cast<size_t>(headerLength);
  uint64_t available = bytes.size() - dataStart;
  if (available < static_cast<uint64_t>(dataBytes))
    return fail("truncated: a ", dtypeName(info->dtype), shapeString(shape),
                " array needs ", dataBytes, " bytes of data, the file has ",
                available);
  if (available > static_cast<uint64_t>(dataBytes))
    return fail(available - static_cast<uint64_t>(dataBytes),
                " bytes follow the data of a ", dtypeName(info->dtype),
                shapeString(shape), " array");
  Expected<HostTensor> t =
      HostTensor::fromBytes(info->dtype, shape, bytes.data() + dataStart,
                            static_cast<size_t>(dataBytes));
  if (!t)
    return t.status().withContext(source);
  if (info->dtype == DType::Bool) {
    const auto *b = static_cast<const uint8_t *>(t->data());
    for (int64_t i = 0; i < *numel; ++i)
      if (b[i] > 1)
        return fail("bool element ", i, " is ", int(b[i]), ", not 0 or 1");
  }
  return t;
}

Expected<std::string> encodeNpy(const HostTensor &tensor) {
  const char *descr = nullptr;
  for (const DescrInfo &d : kDescrs)
    if (d.dtype == tensor.dtype() && !descr)
      descr = d.descr;
  if (!descr)
    return Status::error("a ", dtypeName(tensor.dtype()),
                         " tensor has no NumPy dtype");
  std::string dims;
  for (int64_t d : tensor.shape())
    dims += std::to_string(d) + ", ";
  if (tensor.rank() > 1)
    dims.erase(dims.size() - 2); // "(3, 4)", but "(3,)" and "()"
  else if (tensor.rank() == 1)
    dims.pop_back();
  std::string header =
      concat("{'descr': '", descr, "', 'fortran_order': False, 'shape': (",
             dims, "), }");
  // Pad with spaces so that the data starts at a multiple of 64 bytes.
  size_t prefix = header.size() + 1 < 65536 - 64 ? 10 : 12;
  size_t total = prefix + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out(kMagic, kMagicSize);
  out += static_cast<char>(prefix == 10 ? 1 : 2);
  out += '\0';
  for (size_t i = 0; i < prefix - 8; ++i)
    out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  out += header;
  out.append(static_cast<const char *>(tensor.data()), tensor.byteSize());
  return out;
}

Expected<HostTensor> readNpy(const std::string &path) {
  TC_ASSIGN_OR_RETURN(std::string bytes, readFile(path));
  return decodeNpy(bytes, path);
}

Status writeNpy(const std::string &path, const HostTensor &tensor) {
  Expected<std::string> bytes = encodeNpy(tensor);
  if (!bytes)
    return bytes.status().withContext(path);
  return writeFileAtomic(path, *bytes);
}

} // namespace tensorc
