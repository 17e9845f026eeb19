//===- ManifestEntry.cpp - One entry point of the manifest
//-----------------===//
//
// Reads the buffers, inputs, outputs, params and steps of an entry and checks
// every reference between them: ids exist and have the right kind, each
// input/output/param buffer is named exactly once, views form no cycle,
// launches match their kernel's parameters.
//
//===----------------------------------------------------------------------===//

#include "ManifestParser.h"

#include <map>
#include <set>

namespace tensorc {

Expected<Expr> parseExprAt(const json &value, const std::string &path,
                           const std::vector<std::string> &dims) {
  if (!value.is_string())
    return Status::error(path,
                         ": expected a size expression (a string), "
                         "given ",
                         describeJson(value));
  Expected<Expr> e = Expr::parse(value.get_ref<const std::string &>(), dims);
  if (!e)
    return e.status().withContext(path);
  return e;
}

namespace {

class EntryParser {
public:
  EntryParser(const std::string &path, const Manifest &m)
      : path_(path), m_(m) {}

  Expected<Entry> parse(const json &ej) {
    TC_RETURN_IF_ERROR(expectObject(ej, path_));
    TC_ASSIGN_OR_RETURN(e_.name, getString(ej, path_, "name"));
    if (e_.name.empty())
      return Status::error(path_, ".name: expected a non-empty name");
    path_ += " ('" + e_.name + "')";
    TC_ASSIGN_OR_RETURN(e_.slots, getInt(ej, path_, "slots", 0, INT32_MAX));
    TC_RETURN_IF_ERROR(parseBuffers(ej));
    TC_RETURN_IF_ERROR(
        parseTensors(ej, "inputs", BufferKind::Input, e_.inputs));
    TC_RETURN_IF_ERROR(
        parseTensors(ej, "outputs", BufferKind::Output, e_.outputs));
    TC_RETURN_IF_ERROR(parseParams(ej));
    TC_RETURN_IF_ERROR(checkEachNamedOnce());
    TC_RETURN_IF_ERROR(parseSteps(ej));
    std::set<size_t> used;
    for (const Expr *x : exprs_)
      for (const auto &d : x->usedDims())
        used.insert(d.first);
    e_.usedDims.assign(used.begin(), used.end());
    return std::move(e_);
  }

private:
  Expected<Expr> expr(const json &value, const std::string &path) {
    return parseExprAt(value, path, m_.dims);
  }

  /// The index of the buffer with the id at `path`.
  Expected<size_t> bufferRef(const json &value, const std::string &path) {
    TC_ASSIGN_OR_RETURN(int64_t id, asInt(value, path, 0, INT64_MAX));
    auto it = ids_.find(id);
    if (it == ids_.end())
      return Status::error(path, ": no buffer has id ", id);
    return it->second;
  }

  std::string bufferName(size_t index) const {
    const BufferInfo &b = e_.buffers[index];
    return concat("buffer ", b.id, " (", bufferKindName(b.kind), ")");
  }

  Status parseBuffers(const json &ej) {
    TC_ASSIGN_OR_RETURN(const json *buffers, getArray(ej, path_, "buffers"));
    std::vector<const json *> viewOf;
    for (size_t i = 0; i < buffers->size(); ++i) {
      const json &bj = (*buffers)[i];
      std::string path = concat(path_, ".buffers[", i, "]");
      TC_RETURN_IF_ERROR(expectObject(bj, path));
      BufferInfo b;
      TC_ASSIGN_OR_RETURN(b.id, getInt(bj, path, "id", 0, INT32_MAX));
      if (!ids_.emplace(b.id, i).second)
        return Status::error(path, ".id: duplicate buffer id ", b.id);
      path += concat(" (id ", b.id, ")");
      TC_ASSIGN_OR_RETURN(std::string kind, getString(bj, path, "kind"));
      static const std::pair<const char *, BufferKind> kinds[] = {
          {"input", BufferKind::Input},
          {"param", BufferKind::Param},
          {"output", BufferKind::Output},
          {"temp", BufferKind::Temp},
          {"view", BufferKind::View}};
      bool known = false;
      for (const auto &[name, k] : kinds)
        if (kind == name) {
          b.kind = k;
          known = true;
        }
      if (!known)
        return Status::error(path,
                             ".kind: expected input, param, output, "
                             "temp or view, given \"",
                             kind, "\"");
      TC_ASSIGN_OR_RETURN(const json *bytes, getMember(bj, path, "bytes"));
      TC_ASSIGN_OR_RETURN(b.bytes, expr(*bytes, path + ".bytes"));
      // Only temps (always) and outputs (optionally) live in slots.
      const json *slot = findMember(bj, "slot");
      if (b.kind == BufferKind::Temp ||
          (b.kind == BufferKind::Output && slot)) {
        TC_ASSIGN_OR_RETURN(b.slot, getInt(bj, path, "slot", 0, INT64_MAX));
        if (b.slot >= e_.slots)
          return Status::error(path, ".slot: expected a slot in [0, ", e_.slots,
                               "), given ", b.slot);
      } else if (slot) {
        return Status::error(path, ": ", kind,
                             " buffers have no slot (only temp and output "
                             "buffers live in slots)");
      }
      const json *of = findMember(bj, "of");
      if (b.kind == BufferKind::View) {
        TC_ASSIGN_OR_RETURN(of, getMember(bj, path, "of"));
      } else if (of) {
        return Status::error(path, ": only a view has 'of', this is a ", kind,
                             " buffer");
      }
      viewOf.push_back(of);
      e_.buffers.push_back(std::move(b));
    }
    for (BufferInfo &b : e_.buffers)
      exprs_.push_back(&b.bytes);
    // A slot holds at least one buffer; more slots than buffers is a broken
    // plan (and would have the runtime size a huge table).
    if (static_cast<uint64_t>(e_.slots) > e_.buffers.size())
      return Status::error(path_, ".slots: ", e_.slots, " slots for ",
                           e_.buffers.size(), " buffers");
    // Views may name buffers that come later: resolve once all are known.
    for (size_t i = 0; i < e_.buffers.size(); ++i) {
      if (!viewOf[i])
        continue;
      std::string path =
          concat(path_, ".buffers[", i, "] (id ", e_.buffers[i].id, ").of");
      TC_ASSIGN_OR_RETURN(e_.buffers[i].viewOf, bufferRef(*viewOf[i], path));
    }
    for (size_t i = 0; i < e_.buffers.size(); ++i) {
      size_t at = i, hops = 0;
      while (e_.buffers[at].kind == BufferKind::View) {
        at = e_.buffers[at].viewOf;
        if (++hops > e_.buffers.size())
          return Status::error(path_, ".buffers: buffer ", e_.buffers[i].id,
                               " is a view of itself (a cycle of views)");
      }
    }
    return Status::success();
  }

  Status parseTensors(const json &ej, const char *key, BufferKind kind,
                      std::vector<TensorInfo> &out) {
    TC_ASSIGN_OR_RETURN(const json *list, getArray(ej, path_, key));
    std::set<std::string> names;
    for (size_t i = 0; i < list->size(); ++i) {
      const json &tj = (*list)[i];
      std::string path = concat(path_, ".", key, "[", i, "]");
      TC_RETURN_IF_ERROR(expectObject(tj, path));
      TensorInfo t;
      TC_ASSIGN_OR_RETURN(t.name, getString(tj, path, "name"));
      if (t.name.empty())
        return Status::error(path, ".name: expected a non-empty name");
      if (!names.insert(t.name).second)
        return Status::error(path, ".name: duplicate name '", t.name, "'");
      path += " ('" + t.name + "')";
      TC_ASSIGN_OR_RETURN(std::string dtype, getString(tj, path, "dtype"));
      Expected<DType> d = parseDType(dtype);
      if (!d)
        return d.status().withContext(path + ".dtype");
      t.dtype = *d;
      TC_ASSIGN_OR_RETURN(const json *shape, getArray(tj, path, "shape"));
      for (size_t j = 0; j < shape->size(); ++j) {
        const json &dj = (*shape)[j];
        std::string dimPath = concat(path, ".shape[", j, "]");
        if (dj.is_number()) {
          TC_ASSIGN_OR_RETURN(int64_t v, asInt(dj, dimPath, 1, INT64_MAX));
          t.shape.push_back(Expr::constant(v));
        } else {
          TC_ASSIGN_OR_RETURN(Expr x, expr(dj, dimPath));
          t.shape.push_back(std::move(x));
        }
      }
      TC_ASSIGN_OR_RETURN(const json *buffer, getMember(tj, path, "buffer"));
      TC_ASSIGN_OR_RETURN(t.buffer, bufferRef(*buffer, path + ".buffer"));
      if (e_.buffers[t.buffer].kind != kind)
        return Status::error(path, ".buffer: expected an ",
                             bufferKindName(kind), " buffer, given ",
                             bufferName(t.buffer));
      ++namedCount_[t.buffer];
      out.push_back(std::move(t));
    }
    return Status::success();
  }

  Status parseParams(const json &ej) {
    TC_ASSIGN_OR_RETURN(const json *list, getArray(ej, path_, "params"));
    std::set<size_t> seen;
    for (size_t i = 0; i < list->size(); ++i) {
      const json &pj = (*list)[i];
      std::string path = concat(path_, ".params[", i, "]");
      TC_RETURN_IF_ERROR(expectObject(pj, path));
      TC_ASSIGN_OR_RETURN(std::string name, getString(pj, path, "name"));
      const ParamInfo *info = m_.findParam(name);
      if (!info)
        return Status::error(path, ".name: no param is named '", name, "'");
      EntryParam p;
      p.param = static_cast<size_t>(info - m_.params.data());
      if (!seen.insert(p.param).second)
        return Status::error(path, ".name: param '", name, "' is listed twice");
      TC_ASSIGN_OR_RETURN(const json *buffer, getMember(pj, path, "buffer"));
      TC_ASSIGN_OR_RETURN(p.buffer, bufferRef(*buffer, path + ".buffer"));
      const BufferInfo &b = e_.buffers[p.buffer];
      if (b.kind != BufferKind::Param)
        return Status::error(path, ".buffer: expected a param buffer, given ",
                             bufferName(p.buffer));
      std::optional<int64_t> bytes = b.bytes.constantValue();
      if (!bytes || static_cast<uint64_t>(*bytes) != info->bytes)
        return Status::error(path, ": param '", name, "' (",
                             dtypeName(info->dtype), shapeString(info->shape),
                             ") has ", info->bytes, " bytes, but buffer ", b.id,
                             " has '", b.bytes.text(), "'");
      ++namedCount_[p.buffer];
      e_.params.push_back(p);
    }
    return Status::success();
  }

  Status checkEachNamedOnce() {
    for (size_t i = 0; i < e_.buffers.size(); ++i) {
      BufferKind k = e_.buffers[i].kind;
      if (k != BufferKind::Input && k != BufferKind::Output &&
          k != BufferKind::Param)
        continue;
      int n = namedCount_[i];
      if (n != 1)
        return Status::error(path_, ": ", bufferName(i),
                             " must be named by "
                             "exactly one of "
                             "the entry's ",
                             bufferKindName(k), "s, but ",
                             n == 0 ? "none names it" : concat(n, " name it"));
    }
    return Status::success();
  }

  Status parseSteps(const json &ej) {
    TC_ASSIGN_OR_RETURN(const json *steps, getArray(ej, path_, "steps"));
    e_.steps.reserve(steps->size());
    for (size_t i = 0; i < steps->size(); ++i) {
      const json &sj = (*steps)[i];
      std::string path = concat(path_, ".steps[", i, "]");
      TC_RETURN_IF_ERROR(expectObject(sj, path));
      TC_ASSIGN_OR_RETURN(std::string op, getString(sj, path, "op"));
      Step s;
      if (op == "launch") {
        TC_RETURN_IF_ERROR(parseLaunch(sj, path, s));
      } else if (op == "copy") {
        s.op = Step::Op::Copy;
        TC_ASSIGN_OR_RETURN(const json *src, getMember(sj, path, "src"));
        TC_ASSIGN_OR_RETURN(s.src, bufferRef(*src, path + ".src"));
        TC_ASSIGN_OR_RETURN(const json *dst, getMember(sj, path, "dst"));
        TC_ASSIGN_OR_RETURN(s.dst, bufferRef(*dst, path + ".dst"));
        if (s.src == s.dst)
          return Status::error(path, ": copies ", bufferName(s.src),
                               " onto itself");
        TC_ASSIGN_OR_RETURN(const json *bytes, getMember(sj, path, "bytes"));
        TC_ASSIGN_OR_RETURN(s.bytes, expr(*bytes, path + ".bytes"));
      } else {
        return Status::error(path,
                             ".op: expected \"launch\" or \"copy\", "
                             "given \"",
                             op, "\"");
      }
      e_.steps.push_back(std::move(s));
      Step &added = e_.steps.back();
      if (added.op == Step::Op::Copy) {
        exprs_.push_back(&added.bytes);
      } else {
        for (Expr &g : added.grid)
          exprs_.push_back(&g);
        for (LaunchArg &a : added.args)
          if (!a.isBuffer)
            exprs_.push_back(&a.value);
      }
    }
    for (const TensorInfo &t : e_.inputs)
      for (const Expr &x : t.shape)
        exprs_.push_back(&x);
    for (const TensorInfo &t : e_.outputs)
      for (const Expr &x : t.shape)
        exprs_.push_back(&x);
    return Status::success();
  }

  Status parseLaunch(const json &sj, const std::string &stepPath, Step &s) {
    TC_ASSIGN_OR_RETURN(std::string name, getString(sj, stepPath, "kernel"));
    size_t k = 0;
    while (k < m_.kernels.size() && m_.kernels[k].name != name)
      ++k;
    if (k == m_.kernels.size())
      return Status::error(stepPath, ".kernel: no kernel is named '", name,
                           "'");
    s.kernel = k;
    const KernelInfo &kernel = m_.kernels[k];
    std::string path = stepPath + " (launch of '" + name + "')";
    TC_ASSIGN_OR_RETURN(const json *grid, getArray(sj, path, "grid"));
    if (grid->size() != 3)
      return Status::error(path, ".grid: expected 3 expressions, given ",
                           grid->size());
    for (size_t j = 0; j < 3; ++j) {
      TC_ASSIGN_OR_RETURN(s.grid[j],
                          expr((*grid)[j], concat(path, ".grid[", j, "]")));
    }
    TC_ASSIGN_OR_RETURN(const json *args, getArray(sj, path, "args"));
    if (args->size() != kernel.args.size())
      return Status::error(path, ".args: kernel '", name, "' takes ",
                           kernel.args.size(), " arguments, given ",
                           args->size());
    for (size_t j = 0; j < args->size(); ++j) {
      const json &aj = (*args)[j];
      std::string argPath = concat(path, ".args[", j, "]");
      TC_RETURN_IF_ERROR(expectObject(aj, argPath));
      const json *buffer = findMember(aj, "buffer");
      const json *dim = findMember(aj, "dim");
      if ((buffer != nullptr) == (dim != nullptr))
        return Status::error(argPath, ": expected exactly one of 'buffer' "
                                      "and 'dim'");
      bool wantPtr = kernel.args[j] == KernelArgKind::Ptr;
      if (wantPtr != (buffer != nullptr))
        return Status::error(argPath, ": parameter ", j, " of kernel '", name,
                             "' is ", wantPtr ? "a pointer" : "an i64",
                             ", given ", wantPtr ? "a dim" : "a buffer");
      LaunchArg a;
      if (buffer) {
        TC_ASSIGN_OR_RETURN(a.buffer, bufferRef(*buffer, argPath + ".buffer"));
      } else {
        a.isBuffer = false;
        TC_ASSIGN_OR_RETURN(a.value, expr(*dim, argPath + ".dim"));
      }
      s.args.push_back(std::move(a));
    }
    return Status::success();
  }

  std::string path_;
  const Manifest &m_;
  Entry e_;
  std::map<int64_t, size_t> ids_;
  std::map<size_t, int> namedCount_;
  // Every expression of the entry, to collect the dims it uses.
  std::vector<const Expr *> exprs_;
};

} // namespace

Expected<Entry> parseEntry(const json &value, const std::string &path,
                           const Manifest &manifest) {
  return EntryParser(path, manifest).parse(value);
}

} // namespace tensorc
