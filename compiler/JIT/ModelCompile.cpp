//===- ModelCompile.cpp - Model::compile: source to a runnable model ------===//
//
// The compiler half of tensorc::Model (the rest is runtime/Model.cpp):
// source text -> tc (frontend) -> jit::compile -> an Artifact, through the
// compile cache. With the cache, CPU kernels are linked into a shared object
// inside the cache entry (the same code `tensorc --target=cpu -o` writes)
// and dlopened; without it they are compiled in memory with ORC.
//
//===----------------------------------------------------------------------===//

#include "compiler/Frontend/Diagnostics.h"
#include "compiler/Frontend/MLIRGen.h"
#include "compiler/Frontend/Parser.h"
#include "compiler/Frontend/Sema.h"
#include "compiler/JIT/CompileCache.h"
#include "compiler/JIT/Compiler.h"
#include "compiler/JIT/CompilerIdentity.h"
#include "compiler/JIT/RuntimeBridge.h"
#include "compiler/JIT/TunedTiles.h"
#include "compiler/Pipelines/Registration.h"
#include "compiler/Target/CUDA/NVRTC.h"

#include "tensorc/tensorc.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <mutex>
#include <optional>

using namespace mlir;

namespace tensorc {
namespace {

/// The frontend's limit (tools/tensorc/Frontend.cpp).
constexpr uint64_t kMaxSourceBytes = 64ull << 20;

/// The source text, read from the file when it is one.
Expected<std::string> readSource(const ModelSource &source) {
  if (!source.isFile()) {
    if (source.text().size() > kMaxSourceBytes)
      return Status::error("'", source.name(),
                           "' is larger than the 64 MiB limit on sources");
    return source.text();
  }
  uint64_t size = 0;
  if (std::error_code ec = llvm::sys::fs::file_size(source.name(), size))
    return Status::error("cannot open '", source.name(), "': ", ec.message());
  if (size > kMaxSourceBytes)
    return Status::error("'", source.name(), "' is ", size,
                         " bytes; sources are limited to 64 MiB");
  auto buffer = llvm::MemoryBuffer::getFile(source.name(), /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return Status::error("cannot read '", source.name(),
                         "': ", buffer.getError().message());
  return (*buffer)->getBuffer().str();
}

/// The device to compile for: Auto is CUDA when a GPU is usable.
std::string targetFor(DeviceKind device) {
  if (device == DeviceKind::Cuda ||
      (device == DeviceKind::Auto && probeCuda().ok()))
    return "cuda";
  return "cpu";
}

/// Everything the compiled model depends on, one item per line; the cache
/// key is its hash, and it is kept in the entry as key.txt.
std::string describeCompile(const std::string &source,
                            const jit::CompileOptions &options) {
  std::string text = "tensorc compile cache 1\ncompiler " +
                     jit::compilerIdentity() + "\ntarget " + options.target;
  if (options.target == "cpu")
    text += " " + jit::hostIdentity();
  else if (options.backend == "nvrtc")
    text += " nvrtc " + cuda::getNVRTCVersion();
  text += "\nbackend " + options.backend + "\narch " + options.arch +
          "\nfusion " + (options.fusion ? "on" : "off") + "\nprecision " +
          options.precision + "\n";
  for (const std::string &tiles : options.tunedTiles)
    text += "tuned " + tiles + "\n";
  text += "source sha256 " + jit::sha256Hex(source) + "\n";
  return text;
}

/// CPU entries are shared objects, which take a linker driver (as
/// compiler/Target/Host/HostSharedObject.cpp looks for it).
bool haveLinkerDriver() {
  return static_cast<bool>(llvm::sys::findProgramByName("cc")) ||
         llvm::sys::fs::can_execute("/usr/lib/llvm-22/bin/clang");
}

/// Source -> checked AST -> tc, then the whole compiler. Every diagnostic
/// (with its file:line:col, source line and caret) goes to `diagnostics`.
FailureOr<jit::CompiledModel> compileSource(const std::string &text,
                                            const std::string &name,
                                            const jit::CompileOptions &options,
                                            llvm::raw_ostream &diagnostics) {
  // jit::compile applies the pass manager's command-line options, which
  // fails unless they are registered (the tensorc tool registers them too).
  static std::once_flag registered;
  std::call_once(registered, [] {
    registerPassManagerCLOptions();
    registerDefaultTimingManagerCLOptions();
  });
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, name),
                               llvm::SMLoc());
  DiagnosticEngine diag(sourceMgr, diagnostics);
  std::unique_ptr<ast::Model> model = parseModel(diag);
  if (!model || diag.hasErrors() || !checkModel(*model, diag) ||
      diag.hasErrors())
    return failure();

  DialectRegistry registry;
  registerTensorcDialects(registry);
  MLIRContext context(registry);
  // Errors point at the .tdsl source; a dump of the op helps no user.
  context.printOpOnDiagnostic(false);
  SourceMgrDiagnosticHandler handler(sourceMgr, &context, diagnostics);
  OwningOpRef<ModuleOp> module = mlirGen(context, *model, sourceMgr);
  if (!module)
    return failure();
  FailureOr<jit::CompiledModel> compiled =
      jit::compile(std::move(module), options);
  // The lowered module belongs to `context`, which ends here.
  if (succeeded(compiled))
    compiled->lowered = OwningOpRef<ModuleOp>();
  return compiled;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

} // namespace

Expected<Model> Model::compile(const ModelSource &source,
                               const CompileOptions &options) {
  auto start = std::chrono::steady_clock::now();
  Expected<std::string> text = readSource(source);
  if (!text)
    return text.status();

  jit::CompileOptions jitOptions;
  jitOptions.target = targetFor(options.device);
  jitOptions.backend = options.backend;
  jitOptions.arch = options.arch;
  jitOptions.fusion = options.fusion;
  jitOptions.precision = options.precision;

  // The cache, when it is on and usable.
  jit::CacheLog log(options.log);
  std::string why;
  std::string cacheDir = jit::selectCacheDir(options, why);
  if (cacheDir.empty())
    log.debug("compile cache: off (" + why + ")");
  if (!cacheDir.empty() && jitOptions.target == "cpu" && !haveLinkerDriver()) {
    log.warning("compile cache: no linker driver (`cc` or clang-22) to make "
                "the CPU kernels a shared object; compiling without the "
                "cache");
    cacheDir.clear();
  }
  std::optional<jit::CompileCache> cache;
  std::string key, keyText, staging;
  CompileInfo info;
  if (!cacheDir.empty()) {
    cache.emplace(cacheDir, log);
    if (Status opened = cache->open(); !opened.ok()) {
      log.warning("compile cache: cannot use '" + cacheDir + "' (" +
                  opened.message() +
                  "); compiling without the cache (TENSORC_NO_CACHE=1 "
                  "turns it off)");
      cache.reset();
    }
  }
  if (cache) {
    // The tiles `tensorc tune` stored for this target; they are part of the
    // key, so a new tuning misses the entries compiled before it.
    std::string warning;
    jitOptions.tunedTiles = jit::tunedTilesFor(
        cacheDir, jitOptions.target == "cpu" ? "cpu" : jitOptions.arch,
        warning);
    if (!warning.empty())
      log.warning("tuned tiles: " + warning);
    keyText = describeCompile(*text, jitOptions);
    key = jit::sha256Hex(keyText);
    if (std::shared_ptr<const Artifact> hit = cache->lookup(key)) {
      info.cache = CacheOutcome::Hit;
      info.cacheEntry = cache->entryPath(key);
      info.seconds = secondsSince(start);
      return Model(std::move(hit), std::move(info));
    }
    Expected<std::string> dir = cache->createStaging(key);
    if (dir) {
      staging = std::move(*dir);
    } else {
      log.warning("compile cache: cannot use '" + cacheDir + "' (" +
                  dir.status().message() +
                  "); compiling without the cache (TENSORC_NO_CACHE=1 "
                  "turns it off)");
      cache.reset();
    }
  }

  std::string moduleFile;
  if (cache) {
    moduleFile = jitOptions.target == "cpu" ? "module.so" : "module.ptx";
    jitOptions.moduleFile = moduleFile;
    if (jitOptions.target == "cpu") {
      jitOptions.jitHostKernels = false;
      jitOptions.sharedObjectPath = staging + "/module.so";
    }
  } else {
    jitOptions.moduleFile = "jit"; // in memory: no file is read
  }
  std::string diagnostics;
  llvm::raw_string_ostream diagnosticStream(diagnostics);
  FailureOr<jit::CompiledModel> compiled =
      compileSource(*text, source.name(), jitOptions, diagnosticStream);
  if (failed(compiled)) {
    if (cache)
      cache->remove(staging);
    llvm::StringRef message = llvm::StringRef(diagnostics).rtrim();
    if (message.empty())
      return Status::error("compiling '", source.name(), "' failed");
    return Status::error(message.str());
  }
  if (!cache) {
    Expected<std::shared_ptr<const Artifact>> artifact =
        jit::makeArtifact(std::move(*compiled));
    if (!artifact)
      return artifact.status();
    info.seconds = secondsSince(start);
    return Model(std::move(*artifact), std::move(info));
  }

  // Load before publishing: if another process publishes the same entry
  // first, this staging directory is deleted, which a dlopened file
  // survives.
  Expected<std::shared_ptr<const Artifact>> artifact = Status::error("");
  if (jitOptions.target == "cpu") {
    auto resolver = SharedObjectResolver::open(jitOptions.sharedObjectPath);
    if (!resolver) {
      cache->remove(staging);
      return resolver.status();
    }
    artifact =
        Artifact::fromMemory(compiled->manifest, "", std::move(*resolver));
  } else {
    artifact = Artifact::fromMemory(compiled->manifest, compiled->ptx);
  }
  if (!artifact) {
    cache->remove(staging);
    return artifact.status();
  }
  Expected<std::string> entry = cache->publish(
      staging, key, keyText, compiled->manifest, moduleFile, compiled->ptx);
  if (entry) {
    info.cache = CacheOutcome::Miss;
    info.cacheEntry = std::move(*entry);
  } else {
    log.warning("compile cache: cannot store the compiled model in '" +
                cacheDir + "' (" + entry.status().message() + ")");
  }
  info.seconds = secondsSince(start);
  return Model(std::move(*artifact), std::move(info));
}

} // namespace tensorc
