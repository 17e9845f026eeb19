//===- Device.cpp - Device selection
//---------------------------------------===//

#include "Device.h"

namespace tensorc {

Device::~Device() = default;
DeviceGraph::~DeviceGraph() = default;

Status Device::beginCapture(const std::string &where) {
  return Status::error(where, ": ", name(), " has no graphs");
}

Expected<std::unique_ptr<DeviceGraph>>
Device::endCapture(const std::string &where) {
  return Status::error(where, ": ", name(), " has no graphs");
}

Status Device::launchGraph(DeviceGraph &, const std::string &where) {
  return Status::error(where, ": ", name(), " has no graphs");
}

Expected<std::unique_ptr<Device>> Device::create(DeviceKind kind,
                                                 const DeviceOptions &options) {
  switch (kind) {
  case DeviceKind::Cpu:
    return createCpuDevice(options);
  case DeviceKind::Cuda:
    return createCudaDevice(options);
  case DeviceKind::Auto: {
    Expected<std::unique_ptr<Device>> cuda = createCudaDevice(options);
    if (cuda)
      return cuda;
    return createCpuDevice(options);
  }
  }
  return Status::error("unknown device kind");
}

const char *deviceKindName(DeviceKind kind) {
  switch (kind) {
  case DeviceKind::Auto:
    return "auto";
  case DeviceKind::Cuda:
    return "cuda";
  case DeviceKind::Cpu:
    return "cpu";
  }
  return "?";
}

Expected<DeviceKind> parseDeviceKind(const std::string &name) {
  for (DeviceKind k : {DeviceKind::Auto, DeviceKind::Cuda, DeviceKind::Cpu})
    if (name == deviceKindName(k))
      return k;
  return Status::error("unknown device '", name,
                       "' (expected auto, cuda or cpu)");
}

} // namespace tensorc
