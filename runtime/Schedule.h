//===- Schedule.h - An entry's steps with every expression evaluated
//-------===//
//
// Everything that can fail is evaluated before the first launch, so that a
// run either starts with a complete, checked schedule or not at all.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_RUNTIME_SCHEDULE_H
#define TENSORC_RUNTIME_SCHEDULE_H

#include "MemoryPlan.h"

#include <array>

namespace tensorc {

struct PreparedArg {
  bool isBuffer = true;
  size_t buffer = 0; // isBuffer: index into Entry::buffers
  int64_t value = 0; // otherwise
};

struct PreparedStep {
  Step::Op op = Step::Op::Launch;
  size_t kernel = 0;
  std::array<int64_t, 3> grid{};
  std::vector<PreparedArg> args;
  size_t src = 0, dst = 0; // copy: buffer indices
  uint64_t bytes = 0;
};

/// "entry 'forward' step 2 (launch of 'forward_k1')", for messages.
std::string describeStep(const Manifest &manifest, const Entry &entry,
                         size_t step);

Expected<std::vector<PreparedStep>> prepareSteps(const Manifest &manifest,
                                                 const Entry &entry,
                                                 const DimValues &dims,
                                                 const MemoryPlan &plan);

} // namespace tensorc

#endif // TENSORC_RUNTIME_SCHEDULE_H
