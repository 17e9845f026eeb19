//===- Session.cpp - An artifact on a device, with its params
//--------------===//

#include "Device.h"
#include "GraphCache.h"
#include "ParamInit.h"
#include "Support.h"

namespace tensorc {

namespace {
/// The device an artifact runs on: the one it was compiled for.
Expected<std::unique_ptr<Device>> chooseDevice(const Artifact &artifact,
                                               const SessionOptions &options) {
  const Manifest &m = artifact.manifest();
  DeviceOptions deviceOptions;
  deviceOptions.cpuThreads = options.cpuThreads;
  deviceOptions.syncEachLaunch = options.syncEachLaunch;
  if (!m.isCuda()) {
    if (options.device == DeviceKind::Cuda)
      return Status::error(artifact.source(), " holds CPU kernels (module '",
                           m.module,
                           "'); compile the model for cuda to run "
                           "it on a GPU");
    return createCpuDevice(deviceOptions);
  }
  if (options.device == DeviceKind::Cpu)
    return Status::error(artifact.source(), " holds PTX (module '", m.module,
                         "'); compile the model with --target=cpu to run it "
                         "on the CPU");
  Expected<std::unique_ptr<Device>> cuda = createCudaDevice(deviceOptions);
  if (!cuda)
    return Status::error(artifact.source(),
                         " needs a GPU, but none is "
                         "usable: ",
                         cuda.status().message(),
                         options.device == DeviceKind::Auto
                             ? " (compile the model with --target=cpu to run "
                               "it on the CPU)"
                             : "");
  return cuda;
}
} // namespace

Expected<std::unique_ptr<Session>>
Session::create(std::shared_ptr<const Artifact> artifact,
                const SessionOptions &options) {
  if (!artifact)
    return Status::error("Session::create: no artifact");
  std::unique_ptr<Session> session(new Session());
  session->artifact_ = std::move(artifact);
  session->options_ = options;
  TC_ASSIGN_OR_RETURN(session->device_,
                      chooseDevice(*session->artifact_, options));
  TC_RETURN_IF_ERROR(session->device_->loadKernels(*session->artifact_));
  TC_RETURN_IF_ERROR(session->allocateParams());
  TC_RETURN_IF_ERROR(session->initParams(options.seed));
  if (const auto &train = session->manifest().train)
    session->lr_ = train->lr;
  // A graph cannot synchronize between its launches: syncEachLaunch, a
  // debugging aid, launches directly.
  if (options.cudaGraphs && !options.syncEachLaunch &&
      session->device_->supportsGraphs())
    session->graphs_ = std::make_unique<GraphCache>();
  return session;
}

Session::~Session() {
  graphs_.reset(); // before the device that made them
  if (!device_)
    return;
  for (uint64_t p : paramMemory_)
    device_->release(p);
  if (arena_)
    device_->release(arena_);
}

DeviceKind Session::deviceKind() const { return device_->kind(); }
std::string Session::deviceName() const { return device_->name(); }

Status Session::allocateParams() {
  for (const ParamInfo &p : manifest().params) {
    TC_ASSIGN_OR_RETURN(uint64_t ptr,
                        device_->allocate(p.bytes, "param '" + p.name + "'"));
    paramMemory_.push_back(ptr);
  }
  return Status::success();
}

Status Session::initParams(uint64_t seed) {
  const Manifest &m = manifest();
  for (size_t i = 0; i < m.params.size(); ++i) {
    TC_ASSIGN_OR_RETURN(HostTensor value, initialParamValue(m.params[i], seed));
    TC_RETURN_IF_ERROR(
        device_->copyToDevice(paramMemory_[i], value.data(), value.byteSize()));
  }
  // Copies from pageable memory may still be in flight; finish them here so
  // that errors surface now.
  return device_->synchronize("initialising the params");
}

std::vector<std::string> Session::paramNames() const {
  std::vector<std::string> names;
  for (const ParamInfo &p : manifest().params)
    names.push_back(p.name);
  return names;
}

Expected<HostTensor> Session::getParam(const std::string &name) {
  const ParamInfo *p = manifest().findParam(name);
  if (!p)
    return Status::error(artifact_->source(), ": no param is named '", name,
                         "'");
  size_t index = static_cast<size_t>(p - manifest().params.data());
  TC_ASSIGN_OR_RETURN(HostTensor value, HostTensor::zeros(p->dtype, p->shape));
  TC_RETURN_IF_ERROR(
      device_->copyToHost(value.data(), paramMemory_[index], p->bytes));
  return value;
}

Status Session::setParam(const std::string &name, const HostTensor &value) {
  const ParamInfo *p = manifest().findParam(name);
  if (!p)
    return Status::error(artifact_->source(), ": no param is named '", name,
                         "'");
  if (value.dtype() != p->dtype || value.shape() != p->shape)
    return Status::error("param '", name, "': expected ", dtypeName(p->dtype),
                         shapeString(p->shape), ", given ", value.typeString());
  size_t index = static_cast<size_t>(p - manifest().params.data());
  TC_RETURN_IF_ERROR(
      device_->copyToDevice(paramMemory_[index], value.data(), p->bytes));
  return device_->synchronize("setting param '" + name + "'");
}

Status Session::ensureArena(uint64_t bytes) {
  if (arena_ && bytes <= arenaBytes_)
    return Status::success();
  if (arena_)
    device_->release(arena_);
  arena_ = 0;
  arenaBytes_ = 0;
  if (graphs_) // they hold addresses in the old arena
    graphs_->clear();
  TC_ASSIGN_OR_RETURN(arena_, device_->allocate(bytes, "the memory arena"));
  arenaBytes_ = bytes;
  return Status::success();
}

} // namespace tensorc
