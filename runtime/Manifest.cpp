//===- Manifest.cpp - The manifest's top level, params and kernels
//---------===//

#include "ManifestParser.h"

#include <cmath>
#include <set>

namespace tensorc {

namespace {

bool isIdentifier(const std::string &s) {
  if (s.empty() ||
      !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_'))
    return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

/// A name that is unique among `seen`.
Expected<std::string> getUniqueName(const json &obj, const std::string &path,
                                    std::set<std::string> &seen,
                                    const char *what) {
  TC_ASSIGN_OR_RETURN(std::string name, getString(obj, path, "name"));
  if (name.empty() || name.find('\0') != std::string::npos)
    return Status::error(joinPath(path, "name"), ": expected a non-empty ",
                         what, " name");
  if (!seen.insert(name).second)
    return Status::error(joinPath(path, "name"), ": duplicate ", what, " '",
                         name, "'");
  return name;
}

Status parseTarget(const json &root, Manifest &m) {
  TC_ASSIGN_OR_RETURN(const json *target, getMember(root, "", "target"));
  TC_RETURN_IF_ERROR(expectObject(*target, "target"));
  TC_ASSIGN_OR_RETURN(m.targetKind, getString(*target, "target", "kind"));
  if (m.targetKind != "cuda" && m.targetKind != "cpu")
    return Status::error("target.kind: expected \"cuda\" or \"cpu\", given \"",
                         m.targetKind, "\"");
  // The CPU target has no backend or arch to speak of: optional there.
  bool cuda = m.isCuda();
  if (cuda || findMember(*target, "backend")) {
    TC_ASSIGN_OR_RETURN(m.backend, getString(*target, "target", "backend"));
    if (cuda && m.backend != "nvptx" && m.backend != "nvrtc")
      return Status::error(
          "target.backend: expected \"nvptx\" or \"nvrtc\", given \"",
          m.backend, "\"");
  }
  if (cuda || findMember(*target, "arch")) {
    TC_ASSIGN_OR_RETURN(m.arch, getString(*target, "target", "arch"));
    bool ok = m.arch.size() > 3 && m.arch.compare(0, 3, "sm_") == 0;
    for (size_t i = 3; ok && i < m.arch.size(); ++i)
      ok = std::isalnum(static_cast<unsigned char>(m.arch[i]));
    if (cuda && !ok)
      return Status::error("target.arch: expected \"sm_NN\", given \"", m.arch,
                           "\"");
  }
  return Status::success();
}

Status parseDims(const json &root, Manifest &m) {
  TC_ASSIGN_OR_RETURN(const json *dims, getArray(root, "", "dims"));
  for (size_t i = 0; i < dims->size(); ++i) {
    std::string path = concat("dims[", i, "]");
    TC_ASSIGN_OR_RETURN(std::string name, asString((*dims)[i], path));
    if (!isIdentifier(name) || name == "ceildiv" || name == "min" ||
        name == "max")
      return Status::error(path,
                           ": expected an identifier other than "
                           "ceildiv, min and max, given \"",
                           name, "\"");
    if (m.findDim(name) >= 0)
      return Status::error(path, ": duplicate dim '", name, "'");
    m.dims.push_back(name);
  }
  return Status::success();
}

struct InitKindInfo {
  const char *name;
  InitKind kind;
  size_t numArgs;
  bool usesFans;
};
constexpr InitKindInfo kInitKinds[] = {
    {"zeros", InitKind::Zeros, 0, false},
    {"ones", InitKind::Ones, 0, false},
    {"normal", InitKind::Normal, 2, false},
    {"uniform", InitKind::Uniform, 2, false},
    {"kaiming_uniform", InitKind::KaimingUniform, 0, true},
    {"kaiming_normal", InitKind::KaimingNormal, 0, true},
    {"xavier_uniform", InitKind::XavierUniform, 0, true},
    {"seed", InitKind::Seed, 0, false},
    {"full", InitKind::Full, 1, false},
};

Status parseInit(const json &param, const std::string &paramPath,
                 ParamInfo &p) {
  TC_ASSIGN_OR_RETURN(const json *init, getMember(param, paramPath, "init"));
  std::string path = joinPath(paramPath, "init");
  TC_RETURN_IF_ERROR(expectObject(*init, path));
  TC_ASSIGN_OR_RETURN(std::string kind, getString(*init, path, "kind"));
  const InitKindInfo *info = nullptr;
  for (const InitKindInfo &k : kInitKinds)
    if (kind == k.name)
      info = &k;
  if (!info)
    return Status::error(
        path, ".kind: unknown initializer \"", kind,
        "\" (expected zeros, ones, normal, uniform, "
        "kaiming_uniform, kaiming_normal, xavier_uniform, seed or full)");
  p.init.kind = info->kind;
  TC_ASSIGN_OR_RETURN(const json *args, getArray(*init, path, "args"));
  if (args->size() != info->numArgs)
    return Status::error(path, ".args: ", kind, " takes ", info->numArgs,
                         " arguments, given ", args->size());
  for (size_t i = 0; i < args->size(); ++i) {
    TC_ASSIGN_OR_RETURN(
        double v, asFiniteNumber((*args)[i], concat(path, ".args[", i, "]")));
    p.init.args.push_back(v);
  }
  if (p.init.kind == InitKind::Normal && p.init.args[1] < 0)
    return Status::error(path, ".args: normal needs std >= 0, given ",
                         p.init.args[1]);
  if (p.init.kind == InitKind::Uniform && !(p.init.args[0] < p.init.args[1]))
    return Status::error(path, ".args: uniform needs lo < hi, given [",
                         p.init.args[0], ", ", p.init.args[1], "]");
  // Fans are required where they are used, and checked wherever given.
  std::pair<const char *, int64_t *> fans[] = {{"fan_in", &p.init.fanIn},
                                               {"fan_out", &p.init.fanOut}};
  for (auto [key, field] : fans) {
    if (!info->usesFans && !findMember(*init, key))
      continue;
    TC_ASSIGN_OR_RETURN(*field, getInt(*init, path, key, 1, INT64_MAX));
  }
  if (p.init.kind == InitKind::Seed && p.dtype != DType::I32)
    return Status::error(path, ".kind: seed needs an i32 param, given ",
                         dtypeName(p.dtype));
  if (p.init.kind != InitKind::Zeros && p.init.kind != InitKind::Ones &&
      p.init.kind != InitKind::Seed && !isFloatDType(p.dtype))
    return Status::error(path, ".kind: ", kind,
                         " needs a floating-point "
                         "param, given ",
                         dtypeName(p.dtype));
  return Status::success();
}

Status parseParams(const json &root, Manifest &m) {
  TC_ASSIGN_OR_RETURN(const json *params, getArray(root, "", "params"));
  std::set<std::string> names;
  for (size_t i = 0; i < params->size(); ++i) {
    const json &pj = (*params)[i];
    std::string path = concat("params[", i, "]");
    TC_RETURN_IF_ERROR(expectObject(pj, path));
    ParamInfo p;
    TC_ASSIGN_OR_RETURN(p.name, getUniqueName(pj, path, names, "param"));
    path += " ('" + p.name + "')";
    TC_ASSIGN_OR_RETURN(std::string dtype, getString(pj, path, "dtype"));
    Expected<DType> d = parseDType(dtype);
    if (!d)
      return d.status().withContext(joinPath(path, "dtype"));
    p.dtype = *d;
    TC_ASSIGN_OR_RETURN(const json *shape, getArray(pj, path, "shape"));
    for (size_t j = 0; j < shape->size(); ++j) {
      TC_ASSIGN_OR_RETURN(
          int64_t dim,
          asInt((*shape)[j], concat(path, ".shape[", j, "]"), 1, INT64_MAX));
      p.shape.push_back(dim);
    }
    Expected<int64_t> numel = shapeNumel(p.shape);
    int64_t bytes;
    if (!numel ||
        !checkedMul(*numel, static_cast<int64_t>(dtypeSize(p.dtype)), bytes))
      return Status::error(path, ".shape: ", shapeString(p.shape),
                           " is too large");
    p.numel = *numel;
    p.bytes = static_cast<uint64_t>(bytes);
    TC_RETURN_IF_ERROR(parseInit(pj, path, p));
    m.params.push_back(std::move(p));
  }
  return Status::success();
}

Status parseKernels(const json &root, Manifest &m) {
  TC_ASSIGN_OR_RETURN(const json *kernels, getArray(root, "", "kernels"));
  std::set<std::string> names;
  for (size_t i = 0; i < kernels->size(); ++i) {
    const json &kj = (*kernels)[i];
    std::string path = concat("kernels[", i, "]");
    TC_RETURN_IF_ERROR(expectObject(kj, path));
    KernelInfo k;
    TC_ASSIGN_OR_RETURN(k.name, getUniqueName(kj, path, names, "kernel"));
    path += " ('" + k.name + "')";
    TC_ASSIGN_OR_RETURN(const json *block, getArray(kj, path, "block"));
    if (block->size() != 3)
      return Status::error(path, ".block: expected 3 sizes, given ",
                           block->size());
    for (size_t j = 0; j < 3; ++j) {
      TC_ASSIGN_OR_RETURN(
          k.block[j],
          asInt((*block)[j], concat(path, ".block[", j, "]"), 1, INT32_MAX));
    }
    TC_ASSIGN_OR_RETURN(k.smem, getInt(kj, path, "smem", 0, INT32_MAX));
    TC_ASSIGN_OR_RETURN(const json *args, getArray(kj, path, "args"));
    for (size_t j = 0; j < args->size(); ++j) {
      std::string argPath = concat(path, ".args[", j, "]");
      TC_ASSIGN_OR_RETURN(std::string kind, asString((*args)[j], argPath));
      if (kind != "ptr" && kind != "i64")
        return Status::error(argPath, ": expected \"ptr\" or \"i64\", given \"",
                             kind, "\"");
      k.args.push_back(kind == "ptr" ? KernelArgKind::Ptr : KernelArgKind::I64);
    }
    if (findMember(kj, "tile_key")) {
      TC_ASSIGN_OR_RETURN(k.tileKey, getString(kj, path, "tile_key"));
    }
    if (findMember(kj, "tiles")) {
      TC_ASSIGN_OR_RETURN(k.tiles, getString(kj, path, "tiles"));
    }
    m.kernels.push_back(std::move(k));
  }
  return Status::success();
}

/// The train clause: the function, the optimizer and its learning rate
/// (the other hyperparameters are compiled into train_step).
Status parseTrain(const json &root, Manifest &m) {
  const json *train = findMember(root, "train");
  if (!train)
    return Status::success();
  TC_RETURN_IF_ERROR(expectObject(*train, "train"));
  TrainInfo t;
  TC_ASSIGN_OR_RETURN(t.fn, getString(*train, "train", "fn"));
  TC_ASSIGN_OR_RETURN(t.optimizer, getString(*train, "train", "optimizer"));
  TC_ASSIGN_OR_RETURN(const json *lr, getMember(*train, "train", "lr"));
  TC_ASSIGN_OR_RETURN(t.lr, asFiniteNumber(*lr, "train.lr"));
  if (findMember(*train, "precision")) {
    TC_ASSIGN_OR_RETURN(t.precision, getString(*train, "train", "precision"));
    if (t.precision != "f32" && t.precision != "bf16" && t.precision != "f16")
      return Status::error("train.precision: expected \"f32\", \"bf16\" "
                           "or \"f16\", given \"",
                           t.precision, "\"");
  }
  m.train = std::move(t);
  return Status::success();
}

Status parseManifest(const std::string &text, Manifest &m) {
  TC_ASSIGN_OR_RETURN(json root, parseJson(text));
  TC_RETURN_IF_ERROR(expectObject(root, "the manifest"));
  TC_ASSIGN_OR_RETURN(std::string format, getString(root, "", "format"));
  if (format != "tensorc-artifact")
    return Status::error("format: expected \"tensorc-artifact\", given \"",
                         format, "\"");
  TC_ASSIGN_OR_RETURN(m.version, getInt(root, "", "version", 0, INT64_MAX));
  if (m.version != 1)
    return Status::error("version: this runtime reads version 1, given ",
                         m.version);
  // Informational, but typed when present.
  if (findMember(root, "compiler")) {
    TC_ASSIGN_OR_RETURN(m.compiler, getString(root, "", "compiler"));
  }
  if (findMember(root, "model")) {
    TC_ASSIGN_OR_RETURN(m.model, getString(root, "", "model"));
  }
  TC_RETURN_IF_ERROR(parseTarget(root, m));
  TC_ASSIGN_OR_RETURN(m.module, getString(root, "", "module"));
  if (m.module.empty() || m.module[0] == '/' ||
      m.module.find('\0') != std::string::npos)
    return Status::error("module: expected a file name relative to the "
                         "manifest, given \"",
                         m.module, "\"");
  TC_ASSIGN_OR_RETURN(m.indexBits, getInt(root, "", "index_bits", 0, 1024));
  if (m.indexBits != 32 && m.indexBits != 64)
    return Status::error("index_bits: expected 32 or 64, given ", m.indexBits);
  TC_RETURN_IF_ERROR(parseDims(root, m));
  TC_RETURN_IF_ERROR(parseParams(root, m));
  TC_RETURN_IF_ERROR(parseKernels(root, m));
  TC_RETURN_IF_ERROR(parseTrain(root, m));
  TC_ASSIGN_OR_RETURN(const json *entries, getArray(root, "", "entries"));
  if (entries->empty())
    return Status::error("entries: expected at least one entry point");
  std::set<std::string> names;
  for (size_t i = 0; i < entries->size(); ++i) {
    std::string path = concat("entries[", i, "]");
    TC_ASSIGN_OR_RETURN(Entry e, parseEntry((*entries)[i], path, m));
    if (!names.insert(e.name).second)
      return Status::error(path, ".name: duplicate entry '", e.name, "'");
    m.entries.push_back(std::move(e));
  }
  return Status::success();
}

} // namespace

Expected<Manifest> Manifest::parse(const std::string &text,
                                   const std::string &source) {
  Manifest m;
  Status s = parseManifest(text, m);
  if (!s.ok())
    return s.withContext(source);
  return m;
}

const Entry *Manifest::findEntry(const std::string &name) const {
  for (const Entry &e : entries)
    if (e.name == name)
      return &e;
  return nullptr;
}

const ParamInfo *Manifest::findParam(const std::string &name) const {
  for (const ParamInfo &p : params)
    if (p.name == name)
      return &p;
  return nullptr;
}

int64_t Manifest::findDim(const std::string &name) const {
  for (size_t i = 0; i < dims.size(); ++i)
    if (dims[i] == name)
      return static_cast<int64_t>(i);
  return -1;
}

const char *bufferKindName(BufferKind kind) {
  switch (kind) {
  case BufferKind::Input:
    return "input";
  case BufferKind::Param:
    return "param";
  case BufferKind::Output:
    return "output";
  case BufferKind::Temp:
    return "temp";
  case BufferKind::View:
    return "view";
  }
  return "?";
}

std::string TensorInfo::typeString() const {
  std::string s = std::string(dtypeName(dtype)) + "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + shape[i].text();
  return s + "]";
}

} // namespace tensorc
