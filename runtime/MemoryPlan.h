//===- MemoryPlan.h - Buffer sizes, slots and the arena layout
//-------------===//
//
// Once the dims are bound, every buffer of an entry has a size. Slots are laid
// out one after another in a single arena, each as large as its largest
// buffer; inputs and the outputs that have no slot get their own regions
// after them. Every region starts at a multiple of kArenaAlignment. Views
// resolve to the memory of the buffer they reinterpret.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_RUNTIME_MEMORYPLAN_H
#define TENSORC_RUNTIME_MEMORYPLAN_H

#include "tensorc/manifest.h"

namespace tensorc {

constexpr uint64_t kArenaAlignment = 256;

/// Where a buffer's bytes are: in a param's memory, or at an arena offset.
struct BufferLocation {
  bool inParam = false;
  size_t param = 0;    // inParam: index into Manifest::params
  uint64_t offset = 0; // otherwise: offset into the arena
};

struct MemoryPlan {
  std::vector<uint64_t> bufferBytes; // per buffer of the entry
  std::vector<BufferLocation> location;
  std::vector<uint64_t> slotOffset, slotBytes;
  uint64_t arenaBytes = 0;
};

/// Computes the plan and checks it: no negative size, a view no larger than
/// what it views, inputs and outputs exactly as large as their shapes.
Expected<MemoryPlan> planMemory(const Entry &entry, const DimValues &dims);

/// The shape of an input or output once the dims are bound.
Expected<std::vector<int64_t>> evaluateShape(const TensorInfo &tensor,
                                             const DimValues &dims);

} // namespace tensorc

#endif // TENSORC_RUNTIME_MEMORYPLAN_H
