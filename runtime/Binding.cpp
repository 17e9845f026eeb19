//===- Binding.cpp - Validate a run's inputs and bind the dims
//-------------===//

#include "Binding.h"
#include "Support.h"

namespace tensorc {

namespace {
std::string inputList(const Entry &entry) {
  std::string s;
  for (const TensorInfo &t : entry.inputs)
    s += (s.empty() ? "" : ", ") + t.name + " (" + t.typeString() + ")";
  return s.empty() ? "none" : s;
}
} // namespace

Expected<DimValues>
bindDims(const Manifest &manifest, const Entry &entry, const TensorMap &inputs,
         const std::map<std::string, int64_t> &explicitDims) {
  std::string where = "entry '" + entry.name + "'";
  DimValues dims(manifest.dims.size(), 0);
  // Where each dim was bound, for messages about conflicts.
  std::vector<std::string> boundBy(manifest.dims.size());

  for (const auto &[name, value] : explicitDims) {
    int64_t d = manifest.findDim(name);
    if (d < 0) {
      std::string known;
      for (const std::string &n : manifest.dims)
        known += (known.empty() ? "" : ", ") + n;
      return Status::error(
          where, ": unknown dim '", name,
          "' (the model's dims: ", known.empty() ? "none" : known, ")");
    }
    if (value < 1)
      return Status::error(where, ": dim '", name,
                           "' must be at least 1, given ", value);
    dims[d] = value;
    boundBy[d] = "the explicit binding";
  }

  for (const auto &[name, tensor] : inputs) {
    bool known = false;
    for (const TensorInfo &t : entry.inputs)
      known |= t.name == name;
    if (!known)
      return Status::error(where, ": unknown input '", name,
                           "'; its inputs are ", inputList(entry));
  }

  for (const TensorInfo &t : entry.inputs) {
    auto it = inputs.find(t.name);
    if (it == inputs.end())
      return Status::error(where, ": missing input '", t.name, "' (",
                           t.typeString(), ")");
    const HostTensor &given = it->second;
    std::string in = where + ": input '" + t.name + "'";
    if (given.dtype() != t.dtype)
      return Status::error(in, ": expected dtype ", dtypeName(t.dtype),
                           ", given ", dtypeName(given.dtype()), " (",
                           given.typeString(), ")");
    if (given.rank() != t.shape.size())
      return Status::error(in, ": expected rank ", t.shape.size(), " (",
                           t.typeString(), "), given rank ", given.rank(), " (",
                           given.typeString(), ")");
    for (size_t j = 0; j < t.shape.size(); ++j) {
      int64_t size = given.shape()[j];
      const Expr &want = t.shape[j];
      if (std::optional<int64_t> c = want.constantValue()) {
        if (size != *c)
          return Status::error(in, ": dim ", j, " expected ", *c, " (",
                               t.typeString(), "), given ", size, " (",
                               given.typeString(), ")");
        continue;
      }
      std::optional<size_t> d = want.singleDim();
      if (!d)
        continue; // a compound expression: checked once all dims are bound
      std::string here = concat("input '", t.name, "' dim ", j);
      if (dims[*d] == 0) {
        if (size < 1)
          return Status::error(in, ": dim ", j, " binds '", want.text(),
                               "', which must be at least 1, given ", size,
                               " (", given.typeString(), ")");
        dims[*d] = size;
        boundBy[*d] = here;
      } else if (dims[*d] != size) {
        return Status::error(in, ": dim ", j, " is '", want.text(),
                             "' = ", size, " (", given.typeString(), "), but ",
                             boundBy[*d], " bound ", want.text(), " = ",
                             dims[*d]);
      }
    }
  }

  for (size_t d : entry.usedDims)
    if (dims[d] == 0)
      return Status::error(where, ": dim '", manifest.dims[d],
                           "' is not bound: no input names it; bind it "
                           "explicitly");

  for (const TensorInfo &t : entry.inputs) {
    const HostTensor &given = inputs.find(t.name)->second;
    for (size_t j = 0; j < t.shape.size(); ++j) {
      const Expr &want = t.shape[j];
      if (want.constantValue() || want.singleDim())
        continue;
      Expected<int64_t> value = want.evaluate(dims);
      if (!value)
        return value.status().withContext(
            concat(where, ": input '", t.name, "' dim ", j));
      int64_t expected = *value;
      if (given.shape()[j] != expected)
        return Status::error(where, ": input '", t.name, "': dim ", j,
                             " expected ", want.text(), " = ", expected, " (",
                             t.typeString(), "), given ", given.shape()[j],
                             " (", given.typeString(), ")");
    }
  }
  return dims;
}

} // namespace tensorc
