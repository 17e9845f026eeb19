//===- HostSharedObject.cpp - Kernels as a shared object ------------------===//
//
// Ahead-of-time CPU code: an object file from LLVM, linked into a shared
// object by the system's compiler driver (which knows the platform's crt
// files and libm) so that the runtime can dlopen it without LLVM.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/Host/HostTarget.h"

#include "mlir/IR/Threading.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;

namespace tensorc::target {

/// The driver named in the options, else `cc`, else Debian's clang-22.
static FailureOr<std::string> findLinkerDriver(Location loc,
                                               const HostOptions &opts) {
  if (!opts.linker.empty()) {
    // findProgramByName returns names with a slash unchecked.
    if (StringRef(opts.linker).contains('/')) {
      if (llvm::sys::fs::can_execute(opts.linker))
        return opts.linker;
    } else if (llvm::ErrorOr<std::string> found =
                   llvm::sys::findProgramByName(opts.linker)) {
      return *found;
    }
    return emitError(loc, "linker driver '") << opts.linker << "' not found";
  }
  if (llvm::ErrorOr<std::string> cc = llvm::sys::findProgramByName("cc"))
    return *cc;
  const char *clang = "/usr/lib/llvm-22/bin/clang";
  if (llvm::sys::fs::can_execute(clang))
    return std::string(clang);
  return emitError(loc, "no linker driver to build the CPU shared object: "
                        "install a C compiler (`cc`) or clang-22, or name one "
                        "in the host options");
}

/// Writes `llvmModule` as an object file to a new temporary file.
static LogicalResult emitObject(Location loc, llvm::Module &llvmModule,
                                llvm::TargetMachine &machine,
                                SmallVectorImpl<char> &objectPath) {
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("tc-kernels", "o", fd, objectPath))
    return emitError(loc, "cannot create a temporary object file: ")
           << ec.message();
  llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
  llvm::legacy::PassManager codegen;
  if (machine.addPassesToEmitFile(codegen, os, nullptr,
                                  llvm::CodeGenFileType::ObjectFile))
    return emitError(loc, "LLVM cannot emit object files for this host");
  codegen.run(llvmModule);
  os.close();
  if (os.has_error())
    return emitError(loc, "cannot write the object file: ")
           << os.error().message();
  return success();
}

LogicalResult writeHostSharedObject(ModuleOp module, StringRef path,
                                    const HostOptions &opts) {
  Location loc = module.getLoc();
  FailureOr<std::string> linker = findLinkerDriver(loc, opts);
  if (failed(linker))
    return failure();
  auto shards = splitHostKernels(module, opts);
  if (failed(shards))
    return failure();

  // One object file per shard, compiled in parallel, each in its own
  // LLVMContext.
  SmallVector<SmallString<128>> objects(shards->size());
  llvm::scope_exit removeObjects([&] {
    for (const SmallString<128> &object : objects)
      if (!object.empty())
        llvm::sys::fs::remove(object);
  });
  LogicalResult compiled = failableParallelForEachN(
      module.getContext(), 0, shards->size(), [&](size_t s) -> LogicalResult {
        FailureOr<OwningOpRef<ModuleOp>> lowered =
            lowerKernelsToHostLLVM(*(*shards)[s], opts);
        if (failed(lowered))
          return failure();
        FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
            createHostTargetMachine(loc, opts, /*forJIT=*/false);
        if (failed(machine))
          return failure();
        llvm::LLVMContext llvmContext;
        FailureOr<std::unique_ptr<llvm::Module>> llvmModule =
            translateHostKernelsToLLVMIR(**lowered, llvmContext, **machine,
                                         opts);
        if (failed(llvmModule))
          return failure();
        return emitObject(loc, **llvmModule, **machine, objects[s]);
      });
  if (failed(compiled))
    return failure();

  SmallString<128> logPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("tc-link", "log", logPath))
    return emitError(loc, "cannot create a temporary file: ") << ec.message();
  llvm::FileRemover removeLog(logPath);

  // Link next to the destination and rename, so that a process that has the
  // old shared object mapped never sees a half-written file.
  std::string partial =
      (path + ".tmp" + Twine(llvm::sys::Process::getProcessId())).str();
  llvm::FileRemover removePartial(partial);
  SmallVector<StringRef> argv = {*linker, "-shared", "-o", partial};
  argv.append(objects.begin(), objects.end());
  argv.push_back("-lm");
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(logPath),
                                          StringRef(logPath)};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*linker, argv, /*Env=*/std::nullopt,
                                     redirects, /*SecondsToWait=*/0,
                                     /*MemoryLimit=*/0, &message);
  if (rc != 0) {
    InFlightDiagnostic diag = emitError(loc, "linking ")
                              << path << " with " << *linker << " failed";
    if (!message.empty())
      diag << ": " << message;
    if (auto log = llvm::MemoryBuffer::getFile(logPath))
      diag << "\n" << (*log)->getBuffer();
    return failure();
  }
  if (std::error_code ec = llvm::sys::fs::rename(partial, path))
    return emitError(loc, "cannot write ") << path << ": " << ec.message();
  return success();
}

} // namespace tensorc::target
