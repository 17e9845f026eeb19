//===- MemoryPlan.cpp - Buffer sizes, slots and the arena layout
//-----------===//

#include "MemoryPlan.h"
#include "Support.h"

#include <algorithm>

namespace tensorc {

Expected<std::vector<int64_t>> evaluateShape(const TensorInfo &tensor,
                                             const DimValues &dims) {
  std::vector<int64_t> shape;
  for (const Expr &x : tensor.shape) {
    Expected<int64_t> v = x.evaluate(dims);
    if (!v)
      return v.status().withContext("shape of '" + tensor.name + "'");
    if (*v < 1)
      return Status::error("shape of '", tensor.name, "': '", x.text(),
                           "' = ", *v, " is not a positive size");
    shape.push_back(*v);
  }
  return shape;
}

namespace {
/// Reserves a region of `bytes` at the end of the arena.
Status reserve(uint64_t bytes, uint64_t &arenaEnd, uint64_t &offset) {
  uint64_t end;
  if (!alignUp(arenaEnd, kArenaAlignment, offset) ||
      __builtin_add_overflow(offset, bytes, &end))
    return Status::error("the arena size overflows 64 bits");
  arenaEnd = end;
  return Status::success();
}
} // namespace

Expected<MemoryPlan> planMemory(const Entry &entry, const DimValues &dims) {
  std::string where = "entry '" + entry.name + "'";
  MemoryPlan plan;
  size_t n = entry.buffers.size();
  plan.bufferBytes.resize(n);
  plan.location.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const BufferInfo &b = entry.buffers[i];
    Expected<int64_t> bytes = b.bytes.evaluate(dims);
    if (!bytes)
      return bytes.status().withContext(
          concat(where, ": size of buffer ", b.id));
    if (*bytes < 0)
      return Status::error(where, ": buffer ", b.id, " has a negative size: '",
                           b.bytes.text(), "' = ", *bytes);
    plan.bufferBytes[i] = static_cast<uint64_t>(*bytes);
  }

  // Slots first, each as large as its largest buffer.
  plan.slotBytes.assign(static_cast<size_t>(entry.slots), 0);
  for (size_t i = 0; i < n; ++i)
    if (entry.buffers[i].slot >= 0) {
      uint64_t &s = plan.slotBytes[static_cast<size_t>(entry.buffers[i].slot)];
      s = std::max(s, plan.bufferBytes[i]);
    }
  uint64_t end = 0;
  for (uint64_t bytes : plan.slotBytes) {
    uint64_t offset;
    TC_RETURN_IF_ERROR(reserve(bytes, end, offset).withContext(where));
    plan.slotOffset.push_back(offset);
  }

  // Then a region per buffer that owns memory outside the slots.
  for (size_t i = 0; i < n; ++i) {
    const BufferInfo &b = entry.buffers[i];
    BufferLocation &loc = plan.location[i];
    if (b.slot >= 0) {
      loc.offset = plan.slotOffset[static_cast<size_t>(b.slot)];
    } else if (b.kind == BufferKind::Input || b.kind == BufferKind::Output) {
      TC_RETURN_IF_ERROR(
          reserve(plan.bufferBytes[i], end, loc.offset).withContext(where));
    }
  }
  for (const EntryParam &p : entry.params) {
    plan.location[p.buffer].inParam = true;
    plan.location[p.buffer].param = p.param;
  }
  plan.arenaBytes = end;

  // Views: the same bytes as the (non-view) buffer at the end of the chain.
  for (size_t i = 0; i < n; ++i) {
    size_t base = i;
    while (entry.buffers[base].kind == BufferKind::View)
      base = entry.buffers[base].viewOf;
    if (base == i)
      continue;
    plan.location[i] = plan.location[base];
    if (plan.bufferBytes[i] > plan.bufferBytes[base])
      return Status::error(where, ": view ", entry.buffers[i].id, " has ",
                           plan.bufferBytes[i], " bytes ('",
                           entry.buffers[i].bytes.text(), "'), more than the ",
                           plan.bufferBytes[base], " of buffer ",
                           entry.buffers[base].id, " that it views");
  }

  // Inputs and outputs are copied whole: their sizes must match the shapes.
  for (const auto *list : {&entry.inputs, &entry.outputs})
    for (const TensorInfo &t : *list) {
      TC_ASSIGN_OR_RETURN(std::vector<int64_t> shape, evaluateShape(t, dims));
      Expected<int64_t> numel = shapeNumel(shape);
      int64_t bytes = 0;
      if (!numel ||
          !checkedMul(*numel, static_cast<int64_t>(dtypeSize(t.dtype)), bytes))
        return Status::error(where, ": '", t.name, "' ", dtypeName(t.dtype),
                             shapeString(shape), " is too large");
      if (static_cast<uint64_t>(bytes) != plan.bufferBytes[t.buffer])
        return Status::error(
            where, ": '", t.name, "' is ", dtypeName(t.dtype),
            shapeString(shape), " (", bytes, " bytes), but its buffer ",
            entry.buffers[t.buffer].id, " has ", plan.bufferBytes[t.buffer],
            " bytes ('", entry.buffers[t.buffer].bytes.text(), "')");
    }
  return plan;
}

} // namespace tensorc
