//===- KernelResolver.cpp - CPU kernels from a table or a shared object
//----===//

#include "Support.h"
#include "tensorc/runtime.h"

#include <dlfcn.h>

namespace tensorc {

KernelResolver::~KernelResolver() = default;

Expected<CpuKernelFn> MapKernelResolver::lookup(const std::string &name) {
  auto it = table_.find(name);
  if (it == table_.end() || !it->second)
    return Status::error("no CPU kernel '", name, "' was registered");
  return it->second;
}

Expected<std::unique_ptr<SharedObjectResolver>>
SharedObjectResolver::open(const std::string &path) {
  // A name without a slash would be searched for in the library path.
  std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  void *handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *err = ::dlerror();
    return Status::error("cannot load the CPU kernels '", path,
                         "': ", err ? err : "dlopen failed");
  }
  return std::unique_ptr<SharedObjectResolver>(
      new SharedObjectResolver(handle, path));
}

SharedObjectResolver::~SharedObjectResolver() { ::dlclose(handle_); }

Expected<CpuKernelFn> SharedObjectResolver::lookup(const std::string &name) {
  ::dlerror(); // clear any earlier error
  void *sym = ::dlsym(handle_, name.c_str());
  if (!sym) {
    const char *err = ::dlerror();
    return Status::error("kernel '", name, "' is not in '", path_,
                         "': ", err ? err : "dlsym returned null");
  }
  return reinterpret_cast<CpuKernelFn>(sym);
}

} // namespace tensorc
