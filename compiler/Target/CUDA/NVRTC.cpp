//===- NVRTC.cpp - CUDA C++ to PTX with a dlopen'ed NVRTC -----------------===//
//
// The few NVRTC entry points used are declared here (nvrtc.h is not needed
// to build), looked up once, and kept for the life of the process.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/CUDA/NVRTC.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Regex.h"

#include <cstddef>
#include <cstdlib>
#include <dlfcn.h>
#include <memory>
#include <optional>
#include <type_traits>

using namespace mlir;

namespace tensorc::cuda {

namespace {
// nvrtc.h: nvrtcResult is an enum (0 is NVRTC_SUCCESS), nvrtcProgram an
// opaque pointer.
using nvrtcResult = int;
using nvrtcProgram = struct _nvrtcProgram *;

struct NVRTCLibrary {
  nvrtcResult (*version)(int *, int *);
  const char *(*getErrorString)(nvrtcResult);
  nvrtcResult (*createProgram)(nvrtcProgram *, const char *, const char *, int,
                               const char *const *, const char *const *);
  nvrtcResult (*destroyProgram)(nvrtcProgram *);
  nvrtcResult (*compileProgram)(nvrtcProgram, int, const char *const *);
  nvrtcResult (*getPTXSize)(nvrtcProgram, size_t *);
  nvrtcResult (*getPTX)(nvrtcProgram, char *);
  nvrtcResult (*getProgramLogSize)(nvrtcProgram, size_t *);
  nvrtcResult (*getProgramLog)(nvrtcProgram, char *);
  /// Empty when loaded; otherwise what went wrong.
  std::string error;
};
} // namespace

/// The library, loaded on first use (thread-safe).
static const NVRTCLibrary &nvrtc() {
  static NVRTCLibrary lib = [] {
    NVRTCLibrary lib{};
    // $TENSORC_NVRTC_LIBRARY alone if set; else the unversioned name (a
    // toolkit on LD_LIBRARY_PATH), the CUDA 13 runtime package's soname, and
    // the default toolkit location.
    std::vector<std::string> candidates = {"libnvrtc.so", "libnvrtc.so.13",
                                           "/usr/local/cuda/lib64/libnvrtc.so"};
    if (const char *path = std::getenv("TENSORC_NVRTC_LIBRARY"))
      candidates = {path};
    void *handle = nullptr;
    for (const std::string &candidate : candidates)
      if ((handle = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL)))
        break;
    if (!handle) {
      lib.error = "NVRTC not found (tried " + llvm::join(candidates, ", ") +
                  "): install the CUDA toolkit's NVRTC, add its lib64 to "
                  "LD_LIBRARY_PATH or set TENSORC_NVRTC_LIBRARY to "
                  "libnvrtc.so's path";
      return lib;
    }
    bool complete = true;
    auto load = [&](auto &fn, const char *symbol) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(
          dlsym(handle, symbol));
      if (!fn && complete) {
        lib.error = std::string("NVRTC has no symbol ") + symbol;
        complete = false;
      }
    };
    load(lib.version, "nvrtcVersion");
    load(lib.getErrorString, "nvrtcGetErrorString");
    load(lib.createProgram, "nvrtcCreateProgram");
    load(lib.destroyProgram, "nvrtcDestroyProgram");
    load(lib.compileProgram, "nvrtcCompileProgram");
    load(lib.getPTXSize, "nvrtcGetPTXSize");
    load(lib.getPTX, "nvrtcGetPTX");
    load(lib.getProgramLogSize, "nvrtcGetProgramLogSize");
    load(lib.getProgramLog, "nvrtcGetProgramLog");
    return lib;
  }();
  return lib;
}

bool isNVRTCAvailable(std::string *why) {
  const NVRTCLibrary &lib = nvrtc();
  if (why)
    *why = lib.error;
  return lib.error.empty();
}

std::string getNVRTCVersion() {
  const NVRTCLibrary &lib = nvrtc();
  int major = 0, minor = 0;
  if (!lib.error.empty() || lib.version(&major, &minor) != 0)
    return "";
  return std::to_string(major) + "." + std::to_string(minor);
}

/// `sm_90` / `sm_90a` / `compute_90` as NVRTC's virtual architecture.
static std::optional<std::string> virtualArch(StringRef arch) {
  llvm::Regex form("^(sm|compute)_([0-9]+[af]?)$");
  SmallVector<StringRef> groups;
  if (!form.match(arch, &groups))
    return std::nullopt;
  return ("compute_" + groups[2]).str();
}

FailureOr<std::string> compileCUDAToPTX(StringRef source, StringRef arch,
                                        Location loc,
                                        const NVRTCOptions &options) {
  std::optional<std::string> target = virtualArch(arch);
  if (!target)
    return emitError(loc) << "unknown GPU architecture '" << arch
                          << "' (expected sm_XX, e.g. sm_90)";
  const NVRTCLibrary &lib = nvrtc();
  if (!lib.error.empty())
    return emitError(loc) << lib.error;

  std::vector<std::string> args = {
      "--gpu-architecture=" + *target, "-default-device",
      options.fmad ? "--fmad=true" : "--fmad=false"};
  if (options.lineInfo)
    args.push_back("-lineinfo");
  args.insert(args.end(), options.extraOptions.begin(),
              options.extraOptions.end());
  std::vector<const char *> argv;
  for (const std::string &arg : args)
    argv.push_back(arg.c_str());

  std::string text = source.str(); // NVRTC wants a NUL-terminated string.
  nvrtcProgram program = nullptr;
  nvrtcResult status = lib.createProgram(&program, text.c_str(),
                                         "tc_kernels.cu", 0, nullptr, nullptr);
  if (status != 0)
    return emitError(loc) << "nvrtcCreateProgram failed: "
                          << lib.getErrorString(status);
  // Destroys the program on every path out.
  std::unique_ptr<nvrtcProgram, void (*)(nvrtcProgram *)> guard(
      &program, [](nvrtcProgram *p) { nvrtc().destroyProgram(p); });

  status =
      lib.compileProgram(program, static_cast<int>(argv.size()), argv.data());
  size_t logSize = 0;
  std::string log;
  if (lib.getProgramLogSize(program, &logSize) == 0 && logSize > 1) {
    log.resize(logSize);
    lib.getProgramLog(program, log.data());
    log.resize(logSize - 1);
  }
  StringRef trimmed = StringRef(log).trim();
  if (status != 0)
    return emitError(loc) << "NVRTC failed to compile the kernels ("
                          << lib.getErrorString(status)
                          << ", options: " << llvm::join(args, " ") << "):\n"
                          << trimmed;
  // The printer's output should compile cleanly: show what NVRTC noticed.
  if (!trimmed.empty())
    emitWarning(loc) << "NVRTC: " << trimmed;
  size_t ptxSize = 0;
  if ((status = lib.getPTXSize(program, &ptxSize)) != 0)
    return emitError(loc) << "nvrtcGetPTXSize failed: "
                          << lib.getErrorString(status);
  std::string ptx(ptxSize, '\0');
  if ((status = lib.getPTX(program, ptx.data())) != 0)
    return emitError(loc) << "nvrtcGetPTX failed: "
                          << lib.getErrorString(status);
  if (!ptx.empty() && ptx.back() == '\0')
    ptx.pop_back();
  return ptx;
}

} // namespace tensorc::cuda
