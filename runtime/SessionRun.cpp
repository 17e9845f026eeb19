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

namespace tensorc {

namespace {

/// Launches the kernels and copies of an entry, in order.
Status issueSteps(Device &device, const Manifest &m, const Entry &entry,
                  const std::vector<PreparedStep> &steps,
                  const std::vector<DevicePtr> &address) {
  std::vector<uint64_t> values;
  std::vector<void *> args;
  for (size_t i = 0; i < steps.size(); ++i) {
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

Expected<TensorMap> Session::run(const std::string &entryName,
                                 const TensorMap &inputs,
                                 const std::map<std::string, int64_t> &dimMap) {
  const Manifest &m = manifest();
  const Entry *entry = m.findEntry(entryName);
  if (!entry) {
    std::string names;
    for (const Entry &e : m.entries)
      names += (names.empty() ? "" : ", ") + e.name;
    return Status::error(artifact_->source(), ": no entry point '", entryName,
                         "' (its entry points: ", names, ")");
  }
  TC_ASSIGN_OR_RETURN(DimValues dims, bindDims(m, *entry, inputs, dimMap));
  Expected<MemoryPlan> plan = planMemory(*entry, dims);
  if (!plan)
    return plan.status().withContext(artifact_->source());
  Expected<std::vector<PreparedStep>> steps =
      prepareSteps(m, *entry, dims, *plan);
  if (!steps)
    return steps.status().withContext(artifact_->source());
  std::vector<std::vector<int64_t>> outputShapes;
  for (const TensorInfo &t : entry->outputs) {
    TC_ASSIGN_OR_RETURN(std::vector<int64_t> shape, evaluateShape(t, dims));
    outputShapes.push_back(std::move(shape));
  }

  // Nothing has touched the device yet; from here on only it can fail.
  TC_RETURN_IF_ERROR(ensureArena(std::max<uint64_t>(plan->arenaBytes, 1)));
  std::vector<DevicePtr> address(entry->buffers.size());
  for (size_t i = 0; i < address.size(); ++i) {
    const BufferLocation &loc = plan->location[i];
    address[i] = loc.inParam ? paramMemory_[loc.param] : arena_ + loc.offset;
  }
  for (const TensorInfo &t : entry->inputs) {
    const HostTensor &value = inputs.find(t.name)->second;
    TC_RETURN_IF_ERROR(
        device_->copyToDevice(address[t.buffer], value.data(), value.byteSize())
            .withContext(
                concat("entry '", entry->name, "', input '", t.name, "'")));
  }

  if (graphs_ && !steps->empty()) {
    TC_RETURN_IF_ERROR(
        runGraph(*device_, *graphs_, m, *entry, dims, *steps, address));
  } else {
    TC_RETURN_IF_ERROR(issueSteps(*device_, m, *entry, *steps, address));
  }
  // Launches are asynchronous on CUDA: a fault shows up here, not at its
  // launch. Say which kernel ran last and how to pinpoint the faulty one.
  std::string lastKernel;
  for (const PreparedStep &s : *steps)
    if (s.op == Step::Op::Launch)
      lastKernel = m.kernels[s.kernel].name;
  TC_RETURN_IF_ERROR(device_->synchronize(concat(
      "running entry '", entry->name, "'",
      lastKernel.empty() ? std::string()
                         : concat(" (last launch: kernel '", lastKernel,
                                  "'; SessionOptions::syncEachLaunch names "
                                  "the kernel at fault)"))));

  TensorMap outputs;
  for (size_t i = 0; i < entry->outputs.size(); ++i) {
    const TensorInfo &t = entry->outputs[i];
    TC_ASSIGN_OR_RETURN(HostTensor value,
                        HostTensor::zeros(t.dtype, outputShapes[i]));
    TC_RETURN_IF_ERROR(
        device_->copyToHost(value.data(), address[t.buffer], value.byteSize())
            .withContext(
                concat("entry '", entry->name, "', output '", t.name, "'")));
    outputs.emplace(t.name, std::move(value));
  }
  return outputs;
}

} // namespace tensorc
