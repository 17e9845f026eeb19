//===- Schedule.cpp - An entry's steps with every expression evaluated
//-----===//

#include "Schedule.h"
#include "Support.h"

#include <algorithm>

namespace tensorc {

std::string describeStep(const Manifest &manifest, const Entry &entry,
                         size_t step) {
  const Step &s = entry.steps[step];
  if (s.op == Step::Op::Copy)
    return concat("entry '", entry.name, "' step ", step, " (copy of buffer ",
                  entry.buffers[s.src].id, " to buffer ",
                  entry.buffers[s.dst].id, ")");
  return concat("entry '", entry.name, "' step ", step, " (launch of '",
                manifest.kernels[s.kernel].name, "')");
}

Expected<std::vector<PreparedStep>> prepareSteps(const Manifest &manifest,
                                                 const Entry &entry,
                                                 const DimValues &dims,
                                                 const MemoryPlan &plan) {
  std::vector<PreparedStep> out;
  out.reserve(entry.steps.size());
  for (size_t i = 0; i < entry.steps.size(); ++i) {
    const Step &s = entry.steps[i];
    std::string where = describeStep(manifest, entry, i);
    PreparedStep p;
    p.op = s.op;
    if (s.op == Step::Op::Copy) {
      p.src = s.src;
      p.dst = s.dst;
      Expected<int64_t> bytes = s.bytes.evaluate(dims);
      if (!bytes)
        return bytes.status().withContext(where);
      uint64_t room =
          std::min(plan.bufferBytes[s.src], plan.bufferBytes[s.dst]);
      if (*bytes < 0 || static_cast<uint64_t>(*bytes) > room)
        return Status::error(where, ": copies '", s.bytes.text(),
                             "' = ", *bytes, " bytes; the buffers hold ",
                             plan.bufferBytes[s.src], " and ",
                             plan.bufferBytes[s.dst]);
      p.bytes = static_cast<uint64_t>(*bytes);
      out.push_back(std::move(p));
      continue;
    }
    p.kernel = s.kernel;
    for (size_t j = 0; j < 3; ++j) {
      Expected<int64_t> g = s.grid[j].evaluate(dims);
      if (!g)
        return g.status().withContext(concat(where, ": grid[", j, "]"));
      if (*g < 1)
        return Status::error(where, ": grid[", j, "] '", s.grid[j].text(),
                             "' = ", *g, " is not a positive block count");
      p.grid[j] = *g;
    }
    int64_t total;
    if (!checkedMul(p.grid[0], p.grid[1], total) ||
        !checkedMul(total, p.grid[2], total))
      return Status::error(where, ": the grid's block count overflows");
    for (size_t j = 0; j < s.args.size(); ++j) {
      const LaunchArg &a = s.args[j];
      PreparedArg arg;
      arg.isBuffer = a.isBuffer;
      arg.buffer = a.buffer;
      if (!a.isBuffer) {
        Expected<int64_t> v = a.value.evaluate(dims);
        if (!v)
          return v.status().withContext(concat(where, ": argument ", j));
        if (manifest.indexBits == 32 && (*v < INT32_MIN || *v > INT32_MAX))
          return Status::error(where, ": argument ", j, " '", a.value.text(),
                               "' = ", *v,
                               " does not fit the 32-bit index type");
        arg.value = *v;
      }
      p.args.push_back(arg);
    }
    out.push_back(std::move(p));
  }
  return out;
}

} // namespace tensorc
