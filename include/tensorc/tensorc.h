//===- tensorc.h - The C++ API: compile or load a model, run it -*- C++ -*-===//
//
// A Model is a compiled model: compiled in-process from .tdsl source
// (Model::compile, the JIT; link tensorc::tensorc) or loaded from an
// artifact that `tensorc -o` wrote (Model::load; tensorc::runtime is enough).
// It gives Sessions, which hold the parameters on a device and run entry
// points (tensorc/runtime.h). docs/api.md describes the API and the compile
// cache.
//
//   auto model = tensorc::Model::compile(
//       tensorc::ModelSource::file("examples/fashion_mlp.tdsl"));
//   if (!model) { std::cerr << model.status().message() << "\n"; return 1; }
//   auto session = model->newSession();   // params from the initializers
//   auto out = (*session)->run("forward", {{"x", x}});
//   auto loss = (*session)->trainStep({{"x", x}, {"y", y}});  // train clause
//   (*session)->saveCheckpoint("ckpt.safetensors");
//
// This header includes no MLIR or LLVM header.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_TENSORC_H
#define TENSORC_TENSORC_H

#include "tensorc/manifest.h"
#include "tensorc/npy.h"
#include "tensorc/runtime.h"
#include "tensorc/status.h"
#include "tensorc/tensor.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tensorc {

/// The .tdsl source of a model: a file, or text in memory.
class ModelSource {
public:
  /// The file at `path`, read when the model is compiled.
  static ModelSource file(std::string path);
  /// `text` itself; `name` stands for the file name in diagnostics.
  static ModelSource text(std::string text, std::string name = "<memory>");

  bool isFile() const { return isFile_; }
  /// The path (a file) or the name (text).
  const std::string &name() const { return name_; }
  /// The source text (empty for a file).
  const std::string &text() const { return text_; }

private:
  bool isFile_ = false;
  std::string name_, text_;
};

enum class LogLevel { Debug, Warning };
/// Receives what the compile cache has to say (docs/api.md, "Logging").
using LogFn = std::function<void(LogLevel, const std::string &)>;

struct CompileOptions {
  /// The device to compile for. `Auto` compiles for CUDA when probeCuda()
  /// finds a usable GPU, otherwise for the CPU. Compiling for CUDA needs no
  /// GPU (it makes PTX), running does.
  DeviceKind device = DeviceKind::Auto;
  /// CUDA: the PTX generator, "nvptx" (LLVM) or "nvrtc" (CUDA C++).
  std::string backend = "nvptx";
  /// CUDA: the GPU architecture the PTX is for.
  std::string arch = "sm_90";
  /// false compiles one kernel per op (the reference for fused kernels).
  bool fusion = true;
  /// "f32", or "bf16"/"f16" for mixed precision: matrix products and
  /// convolutions take 16-bit operands (f32 accumulation), everything else
  /// and the params stay f32; f16 training scales the loss
  /// (docs/training.md, "Mixed precision").
  std::string precision = "f32";
  /// Reuse and store compiled models in the cache directory. The
  /// environment variable TENSORC_NO_CACHE=1 turns the cache off as well.
  bool cache = true;
  /// The cache directory; empty: $TENSORC_CACHE_DIR, else
  /// $XDG_CACHE_HOME/tensorc, else ~/.cache/tensorc. Created with mode 0700;
  /// one that others may write to is not used (a warning says so).
  std::string cacheDir;
  /// Where cache messages go; null: warnings to stderr, and debug messages
  /// too when TENSORC_LOG=debug.
  LogFn log;
};

enum class CacheOutcome {
  /// The cache was off, or could not be used (a warning said why).
  Disabled,
  /// Compiled, and stored in the cache.
  Miss,
  /// Loaded from the cache: nothing was compiled.
  Hit,
};

/// How a model came to be.
struct CompileInfo {
  CacheOutcome cache = CacheOutcome::Disabled;
  /// The cache entry (a directory holding an artifact) on a hit or a miss.
  std::string cacheEntry;
  /// Wall time of Model::compile or Model::load.
  double seconds = 0;
};

/// A compiled model: its artifact (a validated manifest and its kernels).
/// Cheap to copy (the artifact is shared) and safe to share between
/// threads; each Session is used by one thread at a time.
class Model {
public:
  /// Compiles .tdsl source in-process for options.device, through the
  /// compile cache. Errors carry the compiler's diagnostics
  /// (`file:line:col: error: ...`, the source line and a caret).
  /// Defined in libtensorc (tensorc::tensorc), not in the runtime library.
  static Expected<Model> compile(const ModelSource &source,
                                 const CompileOptions &options = {});
  /// Loads the artifact whose manifest is at `manifestPath` (`model.ptx.json`
  /// or `model.so.json`, as `tensorc -o` writes them). Needs no compiler.
  static Expected<Model> load(const std::string &manifestPath);
  /// Wraps an artifact that is already loaded.
  explicit Model(std::shared_ptr<const Artifact> artifact,
                 CompileInfo info = {});

  /// A new session: the device (SessionOptions::device; `Auto` is the
  /// device the model was compiled for) with every parameter initialised
  /// from its initializer and SessionOptions::seed. Then run entry points
  /// with Session::run(entry, inputs by name, dims by name).
  Expected<std::unique_ptr<Session>>
  newSession(const SessionOptions &options = {}) const;

  /// The model's name in the .tdsl source.
  const std::string &name() const { return manifest().model; }
  /// Cuda or Cpu: what the kernels were compiled for.
  DeviceKind target() const;
  /// The entry points ("forward", ...), in the manifest's order.
  std::vector<std::string> entryNames() const;
  const Manifest &manifest() const { return artifact_->manifest(); }
  const std::shared_ptr<const Artifact> &artifact() const { return artifact_; }
  const CompileInfo &compileInfo() const { return info_; }

private:
  std::shared_ptr<const Artifact> artifact_;
  CompileInfo info_;
};

} // namespace tensorc

#endif // TENSORC_TENSORC_H
