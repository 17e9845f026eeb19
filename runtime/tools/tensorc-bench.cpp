//===- tensorc-bench.cpp - Time an artifact's entry points ----------------===//
//
//   tensorc-bench ARTIFACT.json [--entry forward] [--input NAME=FILE.npy]...
//       [--param NAME=FILE.npy]... [--dim NAME=VALUE]...
//       [--device auto|cuda|cpu] [--seed N]
//       [--threads N] [--no-cuda-graphs] [-o PREFIX]
//       [--iterations N] [--repeat R]
//       [--train-steps N] [--losses FILE.npy] [--params-out P.safetensors]
//
// What bench/gpu_bench.py measures tensorc with, using the runtime alone:
//   -o PREFIX        one run of the entry, outputs to PREFIX_NAME.npy (for
//                    the check against the reference before timing);
//   --train-steps N  N optimizer steps (Session::trainStep: inputs copied in
//                    and the loss read back each step, as a training loop
//                    does), each timed; --losses writes the N losses,
//                    --params-out every param after them;
//   --iterations N   R samples (--repeat, default 5) of the mean time of N
//                    back-to-back runs with the inputs resident on the device
//                    (Session::timeEntry), as CUDA-event timings of PyTorch
//                    measure.
// Prints one JSON object: device, memory the session holds, the samples and
// their medians in milliseconds. Exit status 1 on any error.
//
//===----------------------------------------------------------------------===//

#include "tensorc/npy.h"
#include "tensorc/run.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <sstream>

using namespace tensorc;

static const char kUsage[] =
    "usage: tensorc-bench ARTIFACT.json [--entry NAME] "
    "[--input NAME=FILE.npy]... [--param NAME=FILE.npy]... "
    "[--dim NAME=VALUE]... "
    "[--device auto|cuda|cpu] [--seed N] [--threads N] [--no-cuda-graphs] "
    "[-o PREFIX] [--iterations N] [--repeat R] [--train-steps N] "
    "[--losses FILE.npy] [--params-out P.safetensors]\n";

namespace {

struct Options {
  std::string artifact, entry = "forward", output, losses, paramsOut;
  NpyFiles inputs, params;
  std::map<std::string, int64_t> dims;
  SessionOptions session;
  int iterations = 0, repeat = 5, trainSteps = 0;
};

int fail(const std::string &message) {
  std::cerr << "tensorc-bench: error: " << message << "\n";
  return 1;
}

/// Parses a count >= 0 ("--iterations 100").
bool parseCount(const char *text, int &out) {
  char *end = nullptr;
  long v = std::strtol(text, &end, 10);
  if (!*text || *end || v < 0 || v > 1000000000)
    return false;
  out = static_cast<int>(v);
  return true;
}

double median(std::vector<double> v) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string jsonList(const std::vector<double> &v) {
  std::ostringstream out;
  out.precision(6);
  out << "[";
  for (size_t i = 0; i < v.size(); ++i)
    out << (i ? ", " : "") << v[i];
  out << "]";
  return out.str();
}

/// Parses the command line; an error message, or empty on success.
std::string parse(int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg[0] != '-') {
      if (!o.artifact.empty())
        return "more than one artifact given";
      o.artifact = arg;
      continue;
    }
    if (arg == "--no-cuda-graphs") {
      o.session.cudaGraphs = false;
      continue;
    }
    if (i + 1 >= argc)
      return "missing value after " + arg;
    const char *v = argv[++i];
    if (arg == "--entry") {
      o.entry = v;
    } else if (arg == "--input" || arg == "--param" || arg == "--dim") {
      auto pair = parseNameValue(v, arg);
      if (!pair)
        return pair.status().message();
      if (arg == "--input")
        o.inputs.push_back(*pair);
      else if (arg == "--param")
        o.params.push_back(*pair);
      else
        o.dims[pair->first] = std::strtoll(pair->second.c_str(), nullptr, 10);
    } else if (arg == "--device") {
      auto kind = parseDeviceKind(v);
      if (!kind)
        return kind.status().message();
      o.session.device = *kind;
    } else if (arg == "--seed") {
      o.session.seed = std::strtoull(v, nullptr, 10);
    } else if (arg == "--threads") {
      o.session.cpuThreads = std::strtoul(v, nullptr, 10);
    } else if (arg == "-o") {
      o.output = v;
    } else if (arg == "--losses") {
      o.losses = v;
    } else if (arg == "--params-out") {
      o.paramsOut = v;
    } else if (arg == "--iterations" || arg == "--repeat" ||
               arg == "--train-steps") {
      int &count = arg == "--iterations" ? o.iterations
                   : arg == "--repeat"   ? o.repeat
                                         : o.trainSteps;
      if (!parseCount(v, count))
        return arg + " takes a count, got '" + v + "'";
    } else {
      return "unknown option " + arg;
    }
  }
  if (o.artifact.empty())
    return "no artifact given";
  if (!o.losses.empty() && o.trainSteps == 0)
    return "--losses needs --train-steps";
  return "";
}

int bench(const Options &o) {
  auto artifact = Artifact::loadFile(o.artifact);
  if (!artifact)
    return fail(artifact.status().message());
  auto session = Session::create(*artifact, o.session);
  if (!session)
    return fail(session.status().message());
  Session &s = **session;
  if (Status st = setParamsFromNpy(s, o.params); !st.ok())
    return fail(st.message());
  Expected<TensorMap> read = readNpyFiles(o.inputs);
  if (!read)
    return fail(read.status().message());
  const TensorMap &inputs = *read;

  if (!o.output.empty()) {
    Expected<TensorMap> outputs = s.run(o.entry, inputs, o.dims);
    if (!outputs)
      return fail(outputs.status().message());
    for (const auto &[name, tensor] : *outputs)
      if (Status st = writeNpy(o.output + "_" + name + ".npy", tensor);
          !st.ok())
        return fail(st.message());
  }

  std::vector<double> stepMs, losses;
  for (int i = 0; i < o.trainSteps; ++i) {
    auto start = std::chrono::steady_clock::now();
    Expected<float> loss = s.trainStep(inputs, o.dims);
    std::chrono::duration<double, std::milli> ms =
        std::chrono::steady_clock::now() - start;
    if (!loss)
      return fail(loss.status().message());
    stepMs.push_back(ms.count());
    losses.push_back(*loss);
  }
  if (!o.losses.empty()) {
    std::vector<float> values(losses.begin(), losses.end());
    auto tensor = HostTensor::fromVector<float>(
        {static_cast<int64_t>(values.size())}, values);
    if (!tensor)
      return fail(tensor.status().message());
    if (Status st = writeNpy(o.losses, *tensor); !st.ok())
      return fail(st.message());
  }

  if (!o.paramsOut.empty())
    if (Status st = s.saveParams(o.paramsOut); !st.ok())
      return fail(st.message());

  // train_step takes the learning rate as an input; trainStep supplies it,
  // a timed run of the entry needs it too.
  TensorMap timed = inputs;
  if (o.entry == "train_step" && !timed.count("lr")) {
    auto lr = HostTensor::fromVector<float>(
        {}, {static_cast<float>(s.learningRate())});
    if (!lr)
      return fail(lr.status().message());
    timed.emplace("lr", std::move(*lr));
  }
  std::vector<double> runMs;
  for (int r = 0; o.iterations > 0 && r < o.repeat; ++r) {
    Expected<double> seconds =
        s.timeEntry(o.entry, timed, o.iterations, o.dims);
    if (!seconds)
      return fail(seconds.status().message());
    runMs.push_back(*seconds * 1e3);
  }

  // Steps after the first few: the first captures the graph.
  std::vector<double> steady(
      stepMs.begin() + std::min<size_t>(3, stepMs.size()), stepMs.end());
  Session::MemoryUse use = s.memoryUse();
  std::cout << "{\"device\": \"" << s.deviceName() << "\", \"entry\": \""
            << o.entry << "\", \"param_bytes\": " << use.paramBytes
            << ", \"arena_bytes\": " << use.arenaBytes
            << ", \"iterations\": " << o.iterations
            << ", \"run_ms\": " << jsonList(runMs)
            << ", \"run_ms_median\": " << median(runMs)
            << ", \"train_step_ms\": " << jsonList(stepMs)
            << ", \"train_step_ms_median\": " << median(steady)
            << ", \"losses\": " << jsonList(losses) << "}\n";
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::cout << kUsage;
      return 0;
    }
  Options o;
  if (std::string error = parse(argc, argv, o); !error.empty()) {
    std::cerr << "tensorc-bench: error: " << error << "\n" << kUsage;
    return 1;
  }
  return bench(o);
}
