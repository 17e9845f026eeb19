//===- Safetensors.cpp - Hugging Face safetensors files -------------------===//
//
// Reading checks, in order: the header length (present, at most
// kSafetensorsMaxHeaderBytes, within the file), the header text (a JSON
// object, no duplicate keys, no deeper nesting than a header has), every
// entry (known dtype, shape, data_offsets that fit the data and match
// dtype × shape), and that the entries tile the data exactly: no overlap, no
// gap, nothing past the end or after the last tensor. Only then is a tensor
// allocated and read.
//
//===----------------------------------------------------------------------===//

#include "tensorc/safetensors.h"

#include "Json.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "safetensors data is little-endian, and is copied as is");

namespace tensorc {

namespace {

struct DTypeSpelling {
  const char *name;
  DType dtype;
};
// In the order of the reference implementation's Dtype enum, which sorts the
// tensors of a file (decreasing), so that each one is aligned to its size.
constexpr DTypeSpelling kDTypes[] = {{"BOOL", DType::Bool}, {"F16", DType::F16},
                                     {"BF16", DType::BF16}, {"I32", DType::I32},
                                     {"F32", DType::F32},   {"F64", DType::F64},
                                     {"I64", DType::I64}};
// Valid safetensors dtypes that tensorc has no element type for.
constexpr const char *kUnsupportedDTypes[] = {
    "U8",      "I8",      "I16",     "U16", "U32",     "U64",    "C64",
    "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4",  "F6_E2M3", "F6_E3M2"};

int dtypeRank(DType dtype) {
  for (size_t i = 0; i < std::size(kDTypes); ++i)
    if (kDTypes[i].dtype == dtype)
      return static_cast<int>(i);
  return 0;
}

Expected<DType> parseSafetensorsDType(const std::string &name) {
  for (const DTypeSpelling &d : kDTypes)
    if (name == d.name)
      return d.dtype;
  for (const char *u : kUnsupportedDTypes)
    if (name == u)
      return Status::error("dtype '", name,
                           "' is not supported by tensorc (it has F32, F16, "
                           "BF16, F64, I32, I64 and BOOL)");
  return Status::error("unknown dtype '", name,
                       "' (expected F32, F16, BF16, F64, I32, I64 or BOOL)");
}

/// Where the bytes come from: memory, or a file read piece by piece.
class ByteSource {
public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  /// Reads exactly `n` bytes at `offset` (within size()).
  virtual Status read(uint64_t offset, uint64_t n, void *dst) = 0;
};

class MemorySource final : public ByteSource {
public:
  explicit MemorySource(const std::string &bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  Status read(uint64_t offset, uint64_t n, void *dst) override {
    if (n)
      std::memcpy(dst, bytes_.data() + offset, n);
    return Status::success();
  }

private:
  const std::string &bytes_;
};

class FileSource final : public ByteSource {
public:
  static Expected<std::unique_ptr<FileSource>> open(const std::string &path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      return Status::error("cannot open '", path, "': ", std::strerror(errno));
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      int err = errno;
      ::close(fd);
      return Status::error("cannot read '", path, "': ", std::strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
      ::close(fd);
      return Status::error("cannot read '", path, "': ",
                           S_ISDIR(st.st_mode) ? "it is a directory"
                                               : "it is not a regular file");
    }
    return std::unique_ptr<FileSource>(
        new FileSource(fd, static_cast<uint64_t>(st.st_size), path));
  }
  ~FileSource() override { ::close(fd_); }
  uint64_t size() const override { return size_; }
  Status read(uint64_t offset, uint64_t n, void *dst) override {
    auto *out = static_cast<char *>(dst);
    while (n > 0) {
      ssize_t got = ::pread(fd_, out, std::min<uint64_t>(n, 1u << 30),
                            static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        return Status::error("cannot read '", path_,
                             "': ", std::strerror(errno));
      if (got == 0)
        return Status::error(path_,
                             ": the file became shorter while it was read");
      out += got;
      offset += static_cast<uint64_t>(got);
      n -= static_cast<uint64_t>(got);
    }
    return Status::success();
  }

private:
  FileSource(int fd, uint64_t size, std::string path)
      : fd_(fd), size_(size), path_(std::move(path)) {}
  int fd_;
  uint64_t size_;
  std::string path_;
};

/// A first pass over the header. nlohmann::json keeps one of two duplicate
/// keys silently; this refuses them, and refuses nesting deeper than a
/// header has (object, entry, shape) before a DOM is built.
class HeaderChecker final : public nlohmann::json_sax<json> {
public:
  std::string error;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t &) override { return true; }
  bool string(string_t &) override { return true; }
  bool binary(binary_t &) override { return true; }
  bool start_object(std::size_t) override { return enter(); }
  bool end_object() override { return leave(); }
  bool start_array(std::size_t) override { return enter(); }
  bool end_array() override { return leave(); }
  bool key(string_t &k) override {
    if (keys_.back().insert(k).second) {
      if (keys_.size() == 1)
        entry_ = k;
      return true;
    }
    error = keys_.size() == 1
                ? concat("two entries of the header are named '", k, "'")
                : concat("the entry '", entry_, "' repeats the key '", k, "'");
    return false;
  }
  bool parse_error(std::size_t, const std::string &,
                   const nlohmann::detail::exception &ex) override {
    error = concat("the header is not valid JSON: ", ex.what());
    return false;
  }

private:
  static constexpr size_t kMaxDepth = 3;
  bool enter() {
    if (keys_.size() == kMaxDepth) {
      error = concat("the entry '", entry_,
                     "' nests deeper than a "
                     "safetensors header does");
      return false;
    }
    keys_.emplace_back();
    return true;
  }
  bool leave() {
    keys_.pop_back();
    return true;
  }
  std::vector<std::set<std::string>> keys_;
  std::string entry_;
};

/// A tensor's entry in the header, checked against itself.
struct TensorEntry {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;
};

Expected<TensorEntry> parseEntry(const std::string &name, const json &value,
                                 uint64_t dataBytes) {
  std::string path = concat("tensor '", name, "'");
  if (!value.is_object())
    return Status::error(path,
                         ": expected an object with dtype, shape and "
                         "data_offsets, given ",
                         describeJson(value));
  TensorEntry e;
  e.name = name;
  TC_ASSIGN_OR_RETURN(std::string dtype, getString(value, path, "dtype"));
  Expected<DType> parsed = parseSafetensorsDType(dtype);
  if (!parsed)
    return parsed.status().withContext(path);
  e.dtype = *parsed;
  TC_ASSIGN_OR_RETURN(const json *shape, getArray(value, path, "shape"));
  for (size_t i = 0; i < shape->size(); ++i) {
    TC_ASSIGN_OR_RETURN(
        int64_t d,
        asInt((*shape)[i], concat(path, ": shape[", i, "]"), 0, INT64_MAX));
    e.shape.push_back(d);
  }
  TC_ASSIGN_OR_RETURN(const json *offsets,
                      getArray(value, path, "data_offsets"));
  if (offsets->size() != 2)
    return Status::error(path,
                         ": data_offsets must be [BEGIN, END], given an "
                         "array of ",
                         offsets->size(), " elements");
  TC_ASSIGN_OR_RETURN(
      int64_t begin,
      asInt((*offsets)[0], path + ": data_offsets[0]", 0, INT64_MAX));
  TC_ASSIGN_OR_RETURN(
      int64_t end,
      asInt((*offsets)[1], path + ": data_offsets[1]", 0, INT64_MAX));
  e.begin = static_cast<uint64_t>(begin);
  e.end = static_cast<uint64_t>(end);
  std::string type =
      concat(safetensorsDTypeName(e.dtype), shapeString(e.shape));
  if (e.end < e.begin)
    return Status::error(path, ": data_offsets [", e.begin, ", ", e.end,
                         "] end before they begin");
  if (e.end > dataBytes)
    return Status::error(path, " (", type, "): data_offsets [", e.begin, ", ",
                         e.end, "] reach past the end of the ", dataBytes,
                         "-byte data (is the file truncated?)");
  Expected<int64_t> numel = shapeNumel(e.shape);
  int64_t bytes = 0;
  if (!numel ||
      !checkedMul(*numel, static_cast<int64_t>(dtypeSize(e.dtype)), bytes))
    return Status::error(path, ": shape ", shapeString(e.shape),
                         " is too large");
  if (static_cast<uint64_t>(bytes) != e.end - e.begin)
    return Status::error(path, ": a ", type, " tensor holds ", bytes,
                         " bytes, but data_offsets [", e.begin, ", ", e.end,
                         "] span ", e.end - e.begin);
  return e;
}

/// The entries must tile [0, dataBytes) exactly, in some order.
Status checkLayout(std::vector<TensorEntry> &entries, uint64_t dataBytes) {
  std::sort(entries.begin(), entries.end(),
            [](const TensorEntry &a, const TensorEntry &b) {
              return std::tie(a.begin, a.end) < std::tie(b.begin, b.end);
            });
  uint64_t covered = 0;
  const TensorEntry *previous = nullptr;
  for (const TensorEntry &e : entries) {
    if (e.begin < covered)
      return Status::error("tensor '", e.name, "' (bytes [", e.begin, ", ",
                           e.end, ")) overlaps tensor '", previous->name,
                           "' (bytes [", previous->begin, ", ", previous->end,
                           "))");
    if (e.begin > covered)
      return Status::error("bytes [", covered, ", ", e.begin,
                           ") of the data belong to no tensor");
    covered = e.end;
    previous = &e;
  }
  if (covered != dataBytes)
    return Status::error("the last ", dataBytes - covered,
                         " bytes of the data (from byte ", covered,
                         ") belong to no tensor");
  return Status::success();
}

Expected<Safetensors> decode(ByteSource &in, const std::string &source) {
  auto fail = [&](auto &&...parts) {
    return Status::error(source, ": ", parts...);
  };
  uint64_t size = in.size();
  if (size < 8)
    return fail("truncated: ", size,
                " bytes, but a safetensors file starts with an 8-byte "
                "header length");
  unsigned char prefix[8];
  TC_RETURN_IF_ERROR(in.read(0, 8, prefix));
  uint64_t headerBytes = 0;
  for (int i = 7; i >= 0; --i)
    headerBytes = headerBytes << 8 | prefix[i];
  if (headerBytes > kSafetensorsMaxHeaderBytes)
    return fail("the header length is ", headerBytes, " bytes, more than the ",
                kSafetensorsMaxHeaderBytes,
                " a safetensors header may have: not a safetensors file, or "
                "a corrupt one");
  if (headerBytes > size - 8)
    return fail("truncated: the header length is ", headerBytes,
                " bytes, but only ", size - 8, " bytes follow it");
  std::string header(static_cast<size_t>(headerBytes), '\0');
  TC_RETURN_IF_ERROR(in.read(8, headerBytes, header.data()));
  if (header.empty() || header[0] != '{') {
    unsigned char c = header.empty() ? 0 : header[0];
    return fail("the header is not a JSON object: it ",
                header.empty()    ? std::string("is empty")
                : std::isprint(c) ? concat("starts with '", char(c), "'")
                                  : concat("starts with byte ", int(c)),
                ", where a safetensors header starts with '{'");
  }
  HeaderChecker checker;
  json::sax_parse(header, &checker);
  if (!checker.error.empty())
    return fail(checker.error);
  Expected<json> root = parseJson(header);
  if (!root)
    return fail(root.status().message());

  uint64_t dataStart = 8 + headerBytes, dataBytes = size - dataStart;
  Safetensors out;
  std::vector<TensorEntry> entries;
  for (auto it = root->begin(); it != root->end(); ++it) {
    if (it.key() == "__metadata__") {
      if (!it->is_object())
        return fail("__metadata__: expected an object of strings, given ",
                    describeJson(*it));
      for (auto m = it->begin(); m != it->end(); ++m) {
        if (!m->is_string())
          return fail("__metadata__ '", m.key(), "': expected a string, given ",
                      describeJson(*m));
        out.metadata[m.key()] = m->get<std::string>();
      }
      continue;
    }
    Expected<TensorEntry> e = parseEntry(it.key(), *it, dataBytes);
    if (!e)
      return e.status().withContext(source);
    entries.push_back(std::move(*e));
  }
  if (Status s = checkLayout(entries, dataBytes); !s.ok())
    return s.withContext(source);

  for (const TensorEntry &e : entries) {
    Expected<HostTensor> t = HostTensor::zeros(e.dtype, e.shape);
    if (!t)
      return t.status().withContext(concat(source, ": tensor '", e.name, "'"));
    TC_RETURN_IF_ERROR(in.read(dataStart + e.begin, t->byteSize(), t->data()));
    if (e.dtype == DType::Bool) {
      const auto *b = static_cast<const uint8_t *>(t->data());
      for (size_t i = 0; i < t->byteSize(); ++i)
        if (b[i] > 1)
          return fail("tensor '", e.name, "': BOOL element ", i, " is ",
                      int(b[i]), ", not 0 or 1");
    }
    out.tensors.emplace(e.name, std::move(*t));
  }
  return out;
}

/// True when `text` is valid UTF-8 (JSON text must be).
bool isUtf8(const std::string &text) {
  size_t i = 0, n = text.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80         ? 1
                 : (c >> 5) == 6  ? 2
                 : (c >> 4) == 14 ? 3
                 : (c >> 3) == 30 ? 4
                                  : 0;
    if (len == 0 || i + len > n)
      return false;
    uint32_t cp = len == 1 ? c : c & (0x7f >> len);
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc >> 6) != 2)
        return false;
      cp = cp << 6 | (cc & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF.
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
      return false;
    i += len;
  }
  return true;
}

/// The header (padded) and the tensors in file order.
Expected<std::pair<std::string, std::vector<const HostTensor *>>>
prepare(const Safetensors &contents) {
  std::vector<std::pair<const std::string *, const HostTensor *>> order;
  for (const auto &[name, tensor] : contents.tensors) {
    if (name == "__metadata__")
      return Status::error("a tensor cannot be named '__metadata__' (the "
                           "header's key for the metadata)");
    if (!isUtf8(name))
      return Status::error("tensor name '", name, "' is not valid UTF-8");
    order.emplace_back(&name, &tensor);
  }
  for (const auto &[key, value] : contents.metadata)
    if (!isUtf8(key) || !isUtf8(value))
      return Status::error("metadata '", key, "' is not valid UTF-8");
  std::sort(order.begin(), order.end(), [](auto &a, auto &b) {
    int ra = dtypeRank(a.second->dtype()), rb = dtypeRank(b.second->dtype());
    return ra != rb ? ra > rb : *a.first < *b.first;
  });

  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!contents.metadata.empty())
    header["__metadata__"] = contents.metadata;
  uint64_t offset = 0;
  std::vector<const HostTensor *> tensors;
  for (const auto &[name, tensor] : order) {
    nlohmann::ordered_json entry = nlohmann::ordered_json::object();
    entry["dtype"] = safetensorsDTypeName(tensor->dtype());
    entry["shape"] = tensor->shape();
    entry["data_offsets"] = {offset, offset + tensor->byteSize()};
    header[*name] = std::move(entry);
    offset += tensor->byteSize();
    tensors.push_back(tensor);
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<char>((uint64_t(text.size()) >> (8 * i)) & 0xff);
  out += text;
  return std::make_pair(std::move(out), std::move(tensors));
}

} // namespace

const char *safetensorsDTypeName(DType dtype) {
  for (const DTypeSpelling &d : kDTypes)
    if (d.dtype == dtype)
      return d.name;
  return "?";
}

Expected<Safetensors> decodeSafetensors(const std::string &bytes,
                                        const std::string &source) {
  MemorySource in(bytes);
  return decode(in, source);
}

Expected<std::string> encodeSafetensors(const Safetensors &contents) {
  TC_ASSIGN_OR_RETURN(auto prepared, prepare(contents));
  std::string out = std::move(prepared.first);
  for (const HostTensor *t : prepared.second)
    out.append(static_cast<const char *>(t->data()), t->byteSize());
  return out;
}

Expected<Safetensors> readSafetensors(const std::string &path) {
  TC_ASSIGN_OR_RETURN(std::unique_ptr<FileSource> in, FileSource::open(path));
  return decode(*in, path);
}

Status writeSafetensors(const std::string &path, const Safetensors &contents) {
  Expected<std::pair<std::string, std::vector<const HostTensor *>>> prepared =
      prepare(contents);
  if (!prepared)
    return prepared.status().withContext("cannot write '" + path + "'");
  std::vector<std::string_view> pieces{prepared->first};
  for (const HostTensor *t : prepared->second)
    pieces.emplace_back(static_cast<const char *>(t->data()), t->byteSize());
  return writeFileAtomic(path, pieces);
}

} // namespace tensorc
