//===- Run.cpp - tensorc run ----------------------------------------------===//
//
//   tensorc run MODEL.tdsl|ARTIFACT.json --entry forward --input x=x.npy
//       [--params P.safetensors] [--param w1=w1.npy ...] [--dim B=8]
//       [--device auto|cuda|cpu] [--no-cuda-graphs] [--seed N] [--threads N]
//       -o out.npy
//   tensorc run MODEL.tdsl --batch RUNS.txt [--param ...] [--dim ...] ...
//
// A .tdsl model is compiled in-process for the device (the JIT); an artifact
// is loaded as written by `tensorc -o`. Parameters start from the model's
// initializers with the seed, or from --params (a safetensors file holding
// every param, as `tensorc init` and Session::saveParams write it); --param
// then replaces one from a .npy file.
//
// --batch runs several entry points in one session after one compile (the
// numerics tests run hundreds of small functions this way): each line of the
// file is `ENTRY OUT.npy [NAME=IN.npy ...]`, blank lines and `#` comments are
// skipped. A line that fails is reported with its line number and the others
// still run; the exit status is 1 if any failed.
//
//===----------------------------------------------------------------------===//

#include "Run.h"

#include "Compile.h"
#include "Frontend.h"
#include "compiler/JIT/Compiler.h"

#include "compiler/Frontend/MLIRGen.h"
#include "compiler/JIT/RuntimeBridge.h"
#include "compiler/Pipelines/Registration.h"

#include "tensorc/npy.h"
#include "tensorc/runtime.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;

namespace tensorc::driver {

cl::SubCommand runCommand("run", "Run an entry point of a model on .npy "
                                 "inputs");

namespace {
cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                               cl::desc("<model.tdsl|artifact.json>"),
                               cl::sub(runCommand));
cl::opt<std::string> entry("entry", cl::desc("Entry point to run"),
                           cl::init("forward"), cl::sub(runCommand));
cl::list<std::string> inputs("input", cl::desc("NAME=FILE.npy, per input"),
                             cl::sub(runCommand));
cl::opt<std::string> paramsFile(
    "params",
    cl::desc("Every param from a safetensors file (tensorc init writes one)"),
    cl::value_desc("file.safetensors"), cl::sub(runCommand));
cl::list<std::string> params("param",
                             cl::desc("NAME=FILE.npy: a parameter's value"),
                             cl::sub(runCommand));
cl::list<std::string> dims("dim", cl::desc("NAME=VALUE: bind a symbolic dim"),
                           cl::sub(runCommand));
cl::opt<std::string> device("device", cl::desc("auto, cuda or cpu"),
                            cl::init("auto"), cl::sub(runCommand));
cl::opt<std::string> backend("backend",
                             cl::desc("PTX generator for cuda: nvptx or "
                                      "nvrtc"),
                             cl::init("nvptx"), cl::sub(runCommand));
cl::opt<std::string> arch("arch", cl::desc("GPU architecture"),
                          cl::init("sm_90"), cl::sub(runCommand));
cl::opt<std::string> precision(
    "precision",
    cl::desc("f32, or bf16/f16: matrix products and convolutions in 16 bits"),
    cl::init("f32"), cl::sub(runCommand));
cl::opt<bool> noFusion("no-fusion", cl::desc("Run the unfused program"),
                       cl::init(false), cl::sub(runCommand));
cl::opt<bool> noCudaGraphs("no-cuda-graphs",
                           cl::desc("CUDA: launch every kernel directly "
                                    "instead of replaying a graph"),
                           cl::init(false), cl::sub(runCommand));
cl::opt<uint64_t> seed("seed", cl::desc("Seed of the initializers"),
                       cl::init(0), cl::sub(runCommand));
cl::opt<unsigned> threads("threads", cl::desc("CPU threads (0: all)"),
                          cl::init(0), cl::sub(runCommand));
cl::opt<std::string> output("o",
                            cl::desc("Output .npy (several outputs: "
                                     "PREFIX_NAME.npy)"),
                            cl::sub(runCommand));
cl::opt<std::string> batch(
    "batch",
    cl::desc("Run several entry points after one compile: each line of the "
             "file is 'ENTRY OUT.npy [NAME=IN.npy ...]' ('#' comments); "
             "replaces --entry, --input and -o"),
    cl::value_desc("file"), cl::sub(runCommand));
cl::opt<std::string> saveParams(
    "save-params",
    cl::desc("After the runs, write every param (optimizer state included) "
             "to this safetensors file"),
    cl::value_desc("file"), cl::sub(runCommand));

int fail(const Twine &message) {
  WithColor::error(errs(), "tensorc run") << message << "\n";
  return kUserError;
}

bool splitPair(StringRef arg, StringRef what, std::string &name,
               std::string &value) {
  auto [n, v] = arg.split('=');
  if (n.empty() || v.empty()) {
    fail("--" + what + " expects NAME=VALUE, got '" + arg + "'");
    return false;
  }
  name = n.str();
  value = v.str();
  return true;
}

/// Compiles the .tdsl model in-process for `target`.
Expected<std::shared_ptr<const Artifact>> compileModel(StringRef target) {
  SourceMgr sourceMgr;
  std::unique_ptr<ast::Model> model = loadModel(modelPath, sourceMgr);
  if (!model)
    return Status::error("the model has errors (reported above)");
  jit::CompileOptions options;
  options.target = target.str();
  options.backend = backend;
  options.arch = arch;
  options.fusion = !noFusion;
  options.precision = precision;
  options.tunedTiles = tunedTilesFromCache(options.target, arch);
  return compileToArtifact(*model, sourceMgr, options);
}

/// Reads `NAME=FILE.npy` pairs into `inputMap`.
Status readInputs(ArrayRef<std::string> pairs, TensorMap &inputMap) {
  for (StringRef pair : pairs) {
    auto [name, file] = pair.split('=');
    if (name.empty() || file.empty())
      return Status::error("an input must be NAME=FILE.npy, got '", pair.str(),
                           "'");
    Expected<HostTensor> value = readNpy(file.str());
    if (!value)
      return value.status();
    inputMap[name.str()] = std::move(*value);
  }
  return Status::success();
}

/// Runs `entryName` and writes its outputs to `out` (several outputs:
/// OUT_NAME.npy), or prints their types when `out` is empty.
Status runOne(Session &session, const std::string &entryName,
              const TensorMap &inputMap,
              const std::map<std::string, int64_t> &dimMap,
              const std::string &out) {
  Expected<TensorMap> outputs = session.run(entryName, inputMap, dimMap);
  if (!outputs)
    return outputs.status();
  for (auto &[name, tensor] : *outputs) {
    if (out.empty()) {
      outs() << name << ": " << tensor.typeString() << "\n";
      continue;
    }
    std::string path = outputs->size() == 1 ? out : out + "_" + name + ".npy";
    if (Status s = writeNpy(path, tensor); !s.ok())
      return s;
  }
  return Status::success();
}

/// --batch: one run per line of the file; reports each failing line and
/// goes on with the next.
int runBatch(Session &session, const std::map<std::string, int64_t> &dimMap) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> file =
      MemoryBuffer::getFile(batch, /*IsText=*/true);
  if (!file)
    return fail("cannot read '" + batch + "': " + file.getError().message());
  SmallVector<StringRef> lines;
  (*file)->getBuffer().split(lines, '\n');
  unsigned failures = 0;
  for (auto [index, line] : enumerate(lines)) {
    line = line.split('#').first.trim();
    if (line.empty())
      continue;
    SmallVector<StringRef> words;
    SplitString(line, words);
    std::string where = batch + ":" + std::to_string(index + 1) + ": ";
    if (words.size() < 2) {
      fail(where + "expected 'ENTRY OUT.npy [NAME=IN.npy ...]'");
      ++failures;
      continue;
    }
    std::vector<std::string> pairs(words.begin() + 2, words.end());
    TensorMap inputMap;
    Status s = readInputs(pairs, inputMap);
    if (s.ok())
      s = runOne(session, words[0].str(), inputMap, dimMap, words[1].str());
    if (!s.ok()) {
      fail(where + words[0] + ": " + s.message());
      ++failures;
    }
  }
  return failures ? kUserError : 0;
}
} // namespace

int runMain() {
  if (!batch.empty() &&
      (!inputs.empty() || !output.empty() || entry.getNumOccurrences()))
    return fail("--batch replaces --entry, --input and -o");
  if (Status status = checkPrecision(precision); !status.ok())
    return fail(status.message());
  if (precision.getNumOccurrences() && StringRef(modelPath).ends_with(".json"))
    return fail("--precision is for a .tdsl model; an artifact has its "
                "precision already");
  Expected<DeviceKind> kind = parseDeviceKind(device);
  if (!kind)
    return fail(kind.status().message());
  Expected<std::shared_ptr<const Artifact>> artifact =
      Status::error("no artifact");
  if (StringRef(modelPath).ends_with(".json")) {
    artifact = Artifact::loadFile(modelPath);
  } else {
    // The JIT compiles for the device that will run the model.
    bool cuda = *kind == DeviceKind::Cuda ||
                (*kind == DeviceKind::Auto && probeCuda().ok());
    artifact = compileModel(cuda ? "cuda" : "cpu");
  }
  if (!artifact)
    return fail(artifact.status().message());

  SessionOptions options;
  options.device = *kind;
  options.cpuThreads = threads;
  options.seed = seed;
  options.cudaGraphs = !noCudaGraphs;
  Expected<std::unique_ptr<Session>> session =
      Session::create(*artifact, options);
  if (!session)
    return fail(session.status().message());
  if (!paramsFile.empty())
    if (Status s = (*session)->loadParams(paramsFile); !s.ok())
      return fail(s.message());
  for (const std::string &p : params) {
    std::string name, file;
    if (!splitPair(p, "param", name, file))
      return kUserError;
    Expected<HostTensor> value = readNpy(file);
    if (!value)
      return fail(value.status().message());
    if (Status s = (*session)->setParam(name, *value); !s.ok())
      return fail(s.message());
  }
  std::map<std::string, int64_t> dimMap;
  for (const std::string &d : dims) {
    std::string name, value;
    if (!splitPair(d, "dim", name, value))
      return kUserError;
    int64_t v;
    if (StringRef(value).getAsInteger(10, v))
      return fail("--dim " + name + " expects an integer, got '" + value + "'");
    dimMap[name] = v;
  }
  if (!batch.empty()) {
    if (int rc = runBatch(**session, dimMap))
      return rc;
  } else {
    TensorMap inputMap;
    if (Status s = readInputs(inputs, inputMap); !s.ok())
      return fail(s.message());
    if (Status s = runOne(**session, entry, inputMap, dimMap, output); !s.ok())
      return fail(s.message());
  }
  if (!saveParams.empty())
    if (Status s = (*session)->saveParams(saveParams); !s.ok())
      return fail(s.message());
  return 0;
}

} // namespace tensorc::driver
