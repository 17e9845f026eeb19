//===- SessionRun.cpp - Run an entry point
//---------------------------------===//
//
// Validate the inputs and bind the dims, plan the memory and evaluate every
// step's sizes; only then copy the inputs in, launch, and copy outputs out.
// On CUDA the steps are captured into a graph on the first run with given
// dims, and later runs with the same dims replay it.
//
//===----------------------------------------------------------------------===//

#include "Binding.h"
#include "Device.h"
#include "GraphCache.h"
#include "Schedule.h"
#include "Support.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace tensorc {

namespace {

/// Launches the kernels and copies of an entry, in order: steps [first,
/// last), all of them by default.
Status issueSteps(Device &device, const Manifest &m, const Entry &entry,
                  const std::vector<PreparedStep> &steps,
                  const std::vector<DevicePtr> &address, size_t first = 0,
                  size_t last = SIZE_MAX) {
  std::vector<uint64_t> values;
  std::vector<void *> args;
  for (size_t i = first; i < std::min(last, steps.size()); ++i) {
    const PreparedStep &s = steps[i];
    std::string where = describeStep(m, entry, i);
    if (s.op == Step::Op::Copy) {
      TC_RETURN_IF_ERROR(
          device.copyOnDevice(address[s.dst], address[s.src], s.bytes, where));
      continue;
    }
    // args[j] points at the j-th parameter's value (docs/artifact.md); the
    // driver copies the values at the launch (or the capture).
    values.assign(s.args.size(), 0);
    args.resize(s.args.size());
    for (size_t j = 0; j < s.args.size(); ++j) {
      const PreparedArg &a = s.args[j];
      if (a.isBuffer) {
        values[j] = address[a.buffer];
      } else if (m.indexBits == 32) {
        int32_t v = static_cast<int32_t>(a.value); // range checked
        std::memcpy(&values[j], &v, sizeof(v));
      } else {
        std::memcpy(&values[j], &a.value, sizeof(a.value));
      }
      args[j] = &values[j];
    }
    const KernelInfo &k = m.kernels[s.kernel];
    LaunchDims dims;
    dims.grid = s.grid;
    dims.block = k.block;
    TC_RETURN_IF_ERROR(device.launch(k.name, dims, args.data(), where));
  }
  return Status::success();
}

/// Runs the entry through its graph for these dims, captured on first use.
Status runGraph(Device &device, GraphCache &graphs, const Manifest &m,
                const Entry &entry, const DimValues &dims,
                const std::vector<PreparedStep> &steps,
                const std::vector<DevicePtr> &address) {
  GraphKey key;
  key.entry = static_cast<size_t>(&entry - m.entries.data());
  std::string dimText;
  for (size_t d : entry.usedDims) {
    key.dims.push_back(dims[d]);
    dimText +=
        concat(dimText.empty() ? " for " : ", ", m.dims[d], " = ", dims[d]);
  }
  DeviceGraph *graph = graphs.find(key);
  if (!graph) {
    std::string where = concat("entry '", entry.name,
                               "' (capturing a CUDA graph", dimText, ")");
    TC_RETURN_IF_ERROR(device.beginCapture(where));
    if (Status s = issueSteps(device, m, entry, steps, address); !s.ok()) {
      device.abortCapture();
      return s.withContext(concat("capturing a CUDA graph", dimText));
    }
    TC_ASSIGN_OR_RETURN(std::unique_ptr<DeviceGraph> made,
                        device.endCapture(where));
    graph = graphs.insert(std::move(key), std::move(made));
  }
  return device.launchGraph(*graph, concat("entry '", entry.name,
                                           "' (launching its CUDA graph",
                                           dimText, ")"));
}

} // namespace

/// An entry with its dims bound, its memory placed and its steps evaluated.
struct Session::PreparedRun {
  const Entry *entry = nullptr;
  DimValues dims;
  std::vector<PreparedStep> steps;
  std::vector<DevicePtr> address;
  std::vector<std::vector<int64_t>> outputShapes;
};

Expected<const Entry *> Session::findEntry(const std::string &name) const {
  const Manifest &m = manifest();
  if (const Entry *entry = m.findEntry(name))
    return entry;
  std::string names;
  for (const Entry &e : m.entries)
    names += (names.empty() ? "" : ", ") + e.name;
  return Status::error(artifact_->source(), ": no entry point '", name,
                       "' (its entry points: ", names, ")");
}

Expected<std::unique_ptr<Session::PreparedRun>>
Session::prepareRun(const std::string &entryName, const TensorMap &inputs,
                    const std::map<std::string, int64_t> &dimMap) {
  const Manifest &m = manifest();
  TC_ASSIGN_OR_RETURN(const Entry *entry, findEntry(entryName));
  auto run = std::make_unique<PreparedRun>();
  PreparedRun &r = *run;
  r.entry = entry;
  TC_ASSIGN_OR_RETURN(r.dims, bindDims(m, *entry, inputs, dimMap));
  Expected<MemoryPlan> plan = planMemory(*entry, r.dims);
  if (!plan)
    return plan.status().withContext(artifact_->source());
  Expected<std::vector<PreparedStep>> steps =
      prepareSteps(m, *entry, r.dims, *plan);
  if (!steps)
    return steps.status().withContext(artifact_->source());
  r.steps = std::move(*steps);
  for (const TensorInfo &t : entry->outputs) {
    TC_ASSIGN_OR_RETURN(std::vector<int64_t> shape, evaluateShape(t, r.dims));
    r.outputShapes.push_back(std::move(shape));
  }

  // Nothing has touched the device yet; from here on only it can fail.
  TC_RETURN_IF_ERROR(ensureArena(std::max<uint64_t>(plan->arenaBytes, 1)));
  r.address.resize(entry->buffers.size());
  for (size_t i = 0; i < r.address.size(); ++i) {
    const BufferLocation &loc = plan->location[i];
    r.address[i] = loc.inParam ? paramMemory_[loc.param] : arena_ + loc.offset;
  }
  for (const TensorInfo &t : entry->inputs) {
    const HostTensor &value = inputs.find(t.name)->second;
    TC_RETURN_IF_ERROR(
        device_
            ->copyToDevice(r.address[t.buffer], value.data(), value.byteSize())
            .withContext(
                concat("entry '", entry->name, "', input '", t.name, "'")));
  }
  return run;
}

Status Session::launchRun(const PreparedRun &r) {
  const Manifest &m = manifest();
  if (graphs_ && !r.steps.empty())
    return runGraph(*device_, *graphs_, m, *r.entry, r.dims, r.steps,
                    r.address);
  return issueSteps(*device_, m, *r.entry, r.steps, r.address);
}

Status Session::finishRun(const PreparedRun &r) {
  // Launches are asynchronous on CUDA: a fault shows up here, not at its
  // launch. Say which kernel ran last and how to pinpoint the faulty one.
  const Manifest &m = manifest();
  std::string lastKernel;
  for (const PreparedStep &s : r.steps)
    if (s.op == Step::Op::Launch)
      lastKernel = m.kernels[s.kernel].name;
  return device_->synchronize(concat(
      "running entry '", r.entry->name, "'",
      lastKernel.empty() ? std::string()
                         : concat(" (last launch: kernel '", lastKernel,
                                  "'; SessionOptions::syncEachLaunch names "
                                  "the kernel at fault)")));
}

Expected<TensorMap> Session::run(const std::string &entryName,
                                 const TensorMap &inputs,
                                 const std::map<std::string, int64_t> &dimMap) {
  TC_ASSIGN_OR_RETURN(std::unique_ptr<PreparedRun> run,
                      prepareRun(entryName, inputs, dimMap));
  const PreparedRun &r = *run;
  TC_RETURN_IF_ERROR(launchRun(r));
  TC_RETURN_IF_ERROR(finishRun(r));

  TensorMap outputs;
  for (size_t i = 0; i < r.entry->outputs.size(); ++i) {
    const TensorInfo &t = r.entry->outputs[i];
    TC_ASSIGN_OR_RETURN(HostTensor value,
                        HostTensor::zeros(t.dtype, r.outputShapes[i]));
    TC_RETURN_IF_ERROR(
        device_->copyToHost(value.data(), r.address[t.buffer], value.byteSize())
            .withContext(
                concat("entry '", r.entry->name, "', output '", t.name, "'")));
    outputs.emplace(t.name, std::move(value));
  }
  return outputs;
}

Expected<double>
Session::timeEntry(const std::string &entryName, const TensorMap &inputs,
                   int iterations,
                   const std::map<std::string, int64_t> &dimMap) {
  if (iterations < 1)
    return Status::error("timeEntry: iterations must be at least 1, given ",
                         iterations);
  TC_ASSIGN_OR_RETURN(std::unique_ptr<PreparedRun> run,
                      prepareRun(entryName, inputs, dimMap));
  const PreparedRun &r = *run;
  // One run first: it captures the graph, and the copies of the inputs
  // finish before the clock starts.
  TC_RETURN_IF_ERROR(launchRun(r));
  TC_RETURN_IF_ERROR(finishRun(r));
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i)
    TC_RETURN_IF_ERROR(launchRun(r));
  TC_RETURN_IF_ERROR(finishRun(r));
  std::chrono::duration<double> elapsed =
      std::chrono::steady_clock::now() - start;
  return elapsed.count() / iterations;
}

Expected<std::vector<Session::KernelTime>>
Session::profileEntry(const std::string &entryName, const TensorMap &inputs,
                      int iterations,
                      const std::map<std::string, int64_t> &dimMap) {
  if (iterations < 1)
    return Status::error("profileEntry: iterations must be at least 1, given ",
                         iterations);
  TC_ASSIGN_OR_RETURN(TensorMap all, withLearningRate(entryName, inputs));
  TC_ASSIGN_OR_RETURN(std::unique_ptr<PreparedRun> run,
                      prepareRun(entryName, all, dimMap));
  const PreparedRun &r = *run;
  const Manifest &m = manifest();
  TC_RETURN_IF_ERROR(launchRun(r));
  TC_RETURN_IF_ERROR(finishRun(r));
  std::vector<KernelTime> times;
  for (size_t i = 0; i < r.steps.size(); ++i) {
    if (r.steps[i].op != Step::Op::Launch) {
      TC_RETURN_IF_ERROR(
          issueSteps(*device_, m, *r.entry, r.steps, r.address, i, i + 1));
      continue;
    }
    std::string where = describeStep(m, *r.entry, i);
    TC_RETURN_IF_ERROR(device_->synchronize(where));
    auto start = std::chrono::steady_clock::now();
    for (int n = 0; n < iterations; ++n)
      TC_RETURN_IF_ERROR(
          issueSteps(*device_, m, *r.entry, r.steps, r.address, i, i + 1));
    TC_RETURN_IF_ERROR(device_->synchronize(where));
    std::chrono::duration<double> elapsed =
        std::chrono::steady_clock::now() - start;
    times.push_back(
        {i, m.kernels[r.steps[i].kernel].name, elapsed.count() / iterations});
  }
  return times;
}

Expected<uint64_t>
Session::planBytes(const std::string &entryName, const TensorMap &inputs,
                   const std::map<std::string, int64_t> &dimMap) const {
  const Manifest &m = manifest();
  TC_ASSIGN_OR_RETURN(const Entry *entry, findEntry(entryName));
  TC_ASSIGN_OR_RETURN(TensorMap all, withLearningRate(entryName, inputs));
  TC_ASSIGN_OR_RETURN(DimValues dims, bindDims(m, *entry, all, dimMap));
  Expected<MemoryPlan> plan = planMemory(*entry, dims);
  if (!plan)
    return plan.status().withContext(artifact_->source());
  return plan->arenaBytes;
}

Session::MemoryUse Session::memoryUse() const {
  MemoryUse use;
  for (const ParamInfo &p : manifest().params)
    use.paramBytes += p.bytes;
  use.arenaBytes = arenaBytes_;
  return use;
}

} // namespace tensorc
