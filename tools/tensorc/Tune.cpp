//===- Tune.cpp - tensorc tune: the fastest tiles of each product ---------===//
//
//   tensorc tune MODEL.tdsl --seconds 60 [--device cuda] [--dim B=128]
//
// Compiles the model with the heuristic's tiles, times every kernel of one
// entry point (Session::profileEntry), then compiles it again with each
// candidate tile configuration in turn (kernels::candidateTiles; round r
// gives every product key its r-th candidate, so one compile measures every
// key) until the time is up. The fastest tiles of each key go into the
// cache directory's tuned-tiles.json, which every later compile for the
// same target reads (docs/codegen.md, "Tuning").
//
//===----------------------------------------------------------------------===//

#include "Tune.h"

#include "Compile.h"
#include "Frontend.h"
#include "compiler/Conversion/KernelsToGPU/ContractionTiles.h"
#include "compiler/JIT/Compiler.h"
#include "compiler/JIT/TunedTiles.h"

#include "tensorc/runtime.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <random>

using namespace llvm;

namespace tensorc::driver {

cl::SubCommand tuneCommand("tune", "Time the tile sizes of each matrix product "
                                   "and keep the fastest (docs/codegen.md)");

namespace {
cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                               cl::desc("<model.tdsl>"), cl::sub(tuneCommand));
cl::opt<double> seconds("seconds",
                        cl::desc("Time to spend (the first compile and its "
                                 "timing always run)"),
                        cl::init(60), cl::sub(tuneCommand));
cl::opt<std::string> entryName("entry",
                               cl::desc("Entry point to time (default: "
                                        "train_step, else forward)"),
                               cl::sub(tuneCommand));
cl::list<std::string> dimList("dim",
                              cl::desc("NAME=VALUE: a symbolic dim's size "
                                       "while timing (default 64)"),
                              cl::sub(tuneCommand));
cl::opt<std::string> device("device", cl::desc("auto, cuda or cpu"),
                            cl::init("auto"), cl::sub(tuneCommand));
cl::opt<std::string> backend("backend",
                             cl::desc("PTX generator for cuda: nvptx or nvrtc"),
                             cl::init("nvptx"), cl::sub(tuneCommand));
cl::opt<std::string> arch("arch", cl::desc("GPU architecture"),
                          cl::init("sm_90"), cl::sub(tuneCommand));
cl::opt<std::string> precision("precision",
                               cl::desc("f32, or bf16/f16 mixed precision"),
                               cl::init("f32"), cl::sub(tuneCommand));
cl::opt<unsigned> threads("threads", cl::desc("CPU threads (0: all)"),
                          cl::init(0), cl::sub(tuneCommand));

int fail(const Twine &message) {
  WithColor::error(errs(), "tensorc tune") << message << "\n";
  return kUserError;
}

/// Random inputs of `entry` at `dims` (integers: 0, a valid label and
/// index everywhere).
Expected<TensorMap> inputsFor(const Entry &entry, const DimValues &dims) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(-1, 1);
  TensorMap inputs;
  for (const TensorInfo &t : entry.inputs) {
    if (t.name == "lr")
      continue; // the session's learning rate
    std::vector<int64_t> shape;
    for (const Expr &e : t.shape) {
      Expected<int64_t> v = e.evaluate(dims);
      if (!v)
        return v.status();
      shape.push_back(*v);
    }
    Expected<HostTensor> value = HostTensor::zeros(t.dtype, shape);
    if (!value)
      return value.status();
    if (t.dtype == DType::F32)
      for (int64_t i = 0; i < value->numel(); ++i)
        value->data<float>()[i] = static_cast<float>(u(rng));
    inputs.emplace(t.name, std::move(*value));
  }
  return inputs;
}

/// A candidate must beat the tiles it replaces by this much: less is within
/// the noise of the timings.
constexpr double kMinGain = 0.03;

/// Seconds per product key of one compile: the sum over its kernels of
/// their fastest profile; and the whole entry's time per run.
struct Measured {
  std::map<std::string, double> seconds; // key -> seconds
  std::map<std::string, std::string> tiles;
  std::map<std::string, int> kernels;
  double entrySeconds = 0;
};

class Tuner {
public:
  Tuner(const ast::Model &model, SourceMgr &sourceMgr,
        jit::CompileOptions options, DeviceKind kind)
      : model(model), sourceMgr(sourceMgr), base(std::move(options)),
        kind(kind) {}

  Expected<Measured> measure(const std::vector<std::string> &tuned) {
    jit::CompileOptions options = base;
    options.tunedTiles = tuned;
    Expected<std::shared_ptr<const Artifact>> artifact =
        compileToArtifact(model, sourceMgr, options);
    if (!artifact)
      return artifact.status();
    const Manifest &m = (*artifact)->manifest();
    std::string name = entryName;
    if (name.empty())
      name = m.findEntry("train_step") ? "train_step" : "forward";
    const Entry *entry = m.findEntry(name);
    if (!entry)
      return Status::error("the model has no entry point '", name, "'");
    DimValues dims(m.dims.size(), 64);
    for (size_t i = 0; i < m.dims.size(); ++i)
      if (auto it = dimValues.find(m.dims[i]); it != dimValues.end())
        dims[i] = it->second;
    Expected<TensorMap> inputs = inputsFor(*entry, dims);
    if (!inputs)
      return inputs.status();
    SessionOptions so;
    so.device = kind;
    so.cpuThreads = threads;
    Expected<std::unique_ptr<Session>> session = Session::create(*artifact, so);
    if (!session)
      return session.status();
    // The fastest of several short passes: a pass that another process
    // interrupted (a descheduled worker thread stalls a CPU kernel) loses.
    // As many as fit in about a second, 2 to 7 on the CPU, 3 on a GPU.
    bool cpu = kind == DeviceKind::Cpu;
    int iterations = cpu ? 3 : 20, passes = cpu ? 7 : 3;
    std::vector<double> best;
    for (int pass = 0; pass < passes; ++pass) {
      Expected<std::vector<Session::KernelTime>> times =
          (*session)->profileEntry(name, *inputs, iterations);
      if (!times)
        return times.status();
      best.resize(times->size(), 1e30);
      double total = 0;
      for (size_t i = 0; i < times->size(); ++i) {
        best[i] = std::min(best[i], (*times)[i].seconds);
        total += (*times)[i].seconds * iterations;
      }
      if (pass == 0 && cpu)
        passes =
            std::clamp(static_cast<int>(1.0 / std::max(total, 1e-6)), 2, 7);
    }
    Measured out;
    out.entrySeconds = 1e30;
    for (int pass = 0; pass < passes; ++pass) {
      Expected<double> whole = (*session)->timeEntry(
          name, withLr(**session, name, *inputs), iterations);
      if (!whole)
        return whole.status();
      out.entrySeconds = std::min(out.entrySeconds, *whole);
    }
    size_t launch = 0;
    for (const Step &s : entry->steps) {
      if (s.op != Step::Op::Launch)
        continue;
      const KernelInfo &k = m.kernels[s.kernel];
      double t = best[launch++];
      if (k.tileKey.empty())
        continue;
      out.seconds[k.tileKey] += t;
      out.tiles[k.tileKey] = k.tiles;
      ++out.kernels[k.tileKey];
    }
    return out;
  }

  std::map<std::string, int64_t> dimValues;

private:
  /// timeEntry takes train_step's `lr` from the caller.
  static TensorMap withLr(Session &s, const std::string &entry,
                          TensorMap inputs) {
    if (entry == "train_step")
      inputs.emplace("lr", *HostTensor::fromVector<float>(
                               {}, {static_cast<float>(s.learningRate())}));
    return inputs;
  }

  const ast::Model &model;
  SourceMgr &sourceMgr;
  jit::CompileOptions base;
  DeviceKind kind;
};
} // namespace

int tuneMain() {
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };
  if (!(seconds > 0))
    return fail("--seconds must be positive");
  if (Status status = checkPrecision(precision); !status.ok())
    return fail(status.message());
  if (backend != "nvptx" && backend != "nvrtc")
    return fail("unknown --backend '" + backend + "'; use nvptx or nvrtc");
  if (!kernels::parseSmVersion(arch))
    return fail("unknown --arch '" + arch + "'; expected sm_NN, e.g. sm_90");
  Expected<DeviceKind> kind = parseDeviceKind(device);
  if (!kind)
    return fail(kind.status().message());
  std::map<std::string, int64_t> dimValues;
  for (const std::string &d : dimList) {
    auto [name, value] = StringRef(d).split('=');
    int64_t v;
    if (name.empty() || value.getAsInteger(10, v) || v < 1)
      return fail("--dim expects NAME=N with N >= 1, got '" + d + "'");
    dimValues[name.str()] = v;
  }
  std::string why;
  std::string cacheDir = jit::cacheDirFromEnvironment(why);
  if (cacheDir.empty())
    return fail("the cache is off (" + why +
                "), and the tuned tiles are kept there");

  SourceMgr sourceMgr;
  std::unique_ptr<ast::Model> model = loadModel(modelPath, sourceMgr);
  if (!model)
    return kUserError;
  bool cuda = *kind == DeviceKind::Cuda ||
              (*kind == DeviceKind::Auto && probeCuda().ok());
  DeviceKind runOn = cuda ? DeviceKind::Cuda : DeviceKind::Cpu;
  jit::CompileOptions options;
  options.target = cuda ? "cuda" : "cpu";
  options.backend = backend;
  options.arch = arch;
  options.precision = precision;
  Tuner tuner(*model, sourceMgr, options, runOn);
  tuner.dimValues = dimValues;

  // Round 0: the heuristic's tiles, what every candidate is measured
  // against.
  Expected<Measured> defaults = tuner.measure({});
  if (!defaults)
    return fail(defaults.status().message());
  if (defaults->seconds.empty()) {
    outs() << "tensorc tune: " << modelPath << " has no matrix product\n";
    return 0;
  }
  std::map<std::string, std::vector<std::string>> candidates;
  size_t rounds = 0;
  for (const auto &[key, tiles] : defaults->tiles) {
    bool mma = StringRef(tiles).starts_with("mma:");
    int64_t bytes = kernels::keyOperandBytes(key);
    for (const kernels::ContractionTiles &t :
         kernels::candidateTiles(!cuda, mma)) {
      std::string text = kernels::formatTiles(t), error;
      if (text != tiles &&
          kernels::parseTiles(text, !cuda, bytes, bytes, error))
        candidates[key].push_back(text);
    }
    rounds = std::max(rounds, candidates[key].size());
  }

  std::map<std::string, std::pair<double, std::string>> best;
  for (const auto &[key, s] : defaults->seconds)
    best[key] = {s, defaults->tiles[key]};
  size_t tried = 0;
  double roundSeconds = elapsed();
  for (size_t r = 0; r < rounds && elapsed() + roundSeconds <= seconds; ++r) {
    auto roundStart = elapsed();
    std::vector<std::string> table;
    for (const auto &[key, list] : candidates)
      if (!list.empty())
        table.push_back(key + "=" + list[r % list.size()]);
    Expected<Measured> m = tuner.measure(table);
    ++tried;
    roundSeconds = elapsed() - roundStart;
    if (!m) {
      WithColor::warning(errs(), "tensorc tune")
          << "round " << r + 1 << " failed: " << m.status().message() << "\n";
      continue;
    }
    for (const auto &[key, s] : m->seconds)
      if (s < best[key].first * (1 - kMinGain))
        best[key] = {s, m->tiles[key]};
  }

  // The winners against the default, measured again side by side: a key
  // keeps its winner only if it is still faster there (the rounds ran at
  // other moments, under other noise).
  std::vector<std::string> table;
  for (const auto &[key, b] : best)
    if (b.second != defaults->tiles[key])
      table.push_back(key + "=" + b.second);
  Expected<Measured> tuned = tuner.measure(table);
  if (!tuned)
    return fail(tuned.status().message());
  Expected<Measured> again = tuner.measure({});
  if (!again)
    return fail(again.status().message());

  std::vector<jit::TunedEntry> entries;
  outs() << formatv("{0,-28} {1,7} {2,-22} {3,10} {4,-22} {5,10} {6,7}\n",
                    "product", "kernels", "default tiles", "ms", "tuned tiles",
                    "ms", "speedup");
  for (const auto &[key, d] : again->seconds) {
    std::string tiles = tuned->tiles[key];
    double s = tuned->seconds[key];
    if (!(s < d * (1 - kMinGain))) { // not faster after all
      tiles = again->tiles[key];
      s = d;
    }
    entries.push_back({key, tiles, s, again->tiles[key], d});
    outs() << formatv("{0,-28} {1,7} {2,-22} {3,10:f4} {4,-22} {5,10:f4} "
                      "{6,6:f2}x\n",
                      key, again->kernels[key], again->tiles[key], d * 1e3,
                      tiles, s * 1e3, d / s);
  }
  // The whole entry with what is stored.
  std::vector<std::string> kept;
  for (const jit::TunedEntry &e : entries)
    if (e.tiles != e.defaultTiles)
      kept.push_back(e.key + "=" + e.tiles);
  double keptSeconds = again->entrySeconds;
  if (!kept.empty()) {
    Expected<Measured> final = tuner.measure(kept);
    if (!final)
      return fail(final.status().message());
    keptSeconds = final->entrySeconds;
  }
  outs() << formatv("whole entry: {0:f4} ms with the default tiles, {1:f4} "
                    "ms with the tuned ones ({2:f2}x)\n",
                    again->entrySeconds * 1e3, keptSeconds * 1e3,
                    again->entrySeconds / keptSeconds);
  if (Status s = jit::storeTunedTiles(cacheDir, entries); !s.ok())
    return fail(s.message());
  outs() << formatv("tensorc tune: {0} of {1} rounds in {2:f1} s on {3}; "
                    "wrote {4}\n",
                    tried, rounds, elapsed(), cuda ? "cuda" : "cpu",
                    jit::tunedTilesPath(cacheDir));
  return 0;
}

} // namespace tensorc::driver
