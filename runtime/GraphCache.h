//===- GraphCache.h - A session's graphs, by entry and bound dims ---------===//
//
// A graph holds every address and size of the run it was captured from: the
// params, the arena and the values of the dims. So a session keeps one per
// entry and set of values of the dims the entry uses, drops them all when the
// arena moves, and keeps at most a fixed number, evicting the least recently
// used (a caller cycling through many batch sizes must not grow it without
// bound).
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_RUNTIME_GRAPHCACHE_H
#define TENSORC_RUNTIME_GRAPHCACHE_H

#include "Device.h"

#include <map>
#include <tuple>
#include <vector>

namespace tensorc {

struct GraphKey {
  size_t entry = 0;          // index into Manifest::entries
  std::vector<int64_t> dims; // values of Entry::usedDims, in that order
  bool operator<(const GraphKey &o) const {
    return std::tie(entry, dims) < std::tie(o.entry, o.dims);
  }
};

class GraphCache {
public:
  static constexpr size_t kDefaultCapacity = 64;
  explicit GraphCache(size_t capacity = kDefaultCapacity)
      : capacity_(capacity ? capacity : 1) {}

  /// The graph for `key`, or null; a hit counts as a use.
  DeviceGraph *find(const GraphKey &key) {
    auto it = graphs_.find(key);
    if (it == graphs_.end())
      return nullptr;
    it->second.lastUse = ++clock_;
    return it->second.graph.get();
  }

  /// Stores `graph` (evicting the least recently used one when full).
  DeviceGraph *insert(GraphKey key, std::unique_ptr<DeviceGraph> graph) {
    if (graphs_.size() >= capacity_ && !graphs_.count(key)) {
      auto oldest = graphs_.begin();
      for (auto it = graphs_.begin(); it != graphs_.end(); ++it)
        if (it->second.lastUse < oldest->second.lastUse)
          oldest = it;
      graphs_.erase(oldest);
    }
    Slot &slot = graphs_[std::move(key)];
    slot.graph = std::move(graph);
    slot.lastUse = ++clock_;
    return slot.graph.get();
  }

  void clear() { graphs_.clear(); }
  size_t size() const { return graphs_.size(); }

private:
  struct Slot {
    std::unique_ptr<DeviceGraph> graph;
    uint64_t lastUse = 0;
  };
  std::map<GraphKey, Slot> graphs_;
  uint64_t clock_ = 0;
  size_t capacity_;
};

} // namespace tensorc

#endif // TENSORC_RUNTIME_GRAPHCACHE_H
