//===- tensorc-rt.cpp - Run an artifact with the runtime alone ------------===//
//
//   tensorc-rt ARTIFACT.json [--entry forward] [--input NAME=FILE.npy]...
//       [--params P.safetensors] [--param NAME=FILE.npy]...
//       [--dim NAME=VALUE]... [--device auto|cuda|cpu] [--no-cuda-graphs]
//       [--seed N] [--threads N] [-o OUT.npy]
//
// `tensorc run` without the compiler: for machines that have the runtime and
// an artifact (a GPU machine with no LLVM). Exit status 1 on any error.
//
//===----------------------------------------------------------------------===//

#include "tensorc/run.h"

#include <cstdlib>
#include <cstring>
#include <iostream>

using namespace tensorc;

static const char kUsage[] =
    "usage: tensorc-rt ARTIFACT.json [--entry NAME] "
    "[--input NAME=FILE.npy]... [--params P.safetensors] "
    "[--param NAME=FILE.npy]... [--dim NAME=VALUE]... "
    "[--device auto|cuda|cpu] [--no-cuda-graphs] [--seed N] [--threads N] "
    "[-o OUT.npy]\n";

static int usage(const char *message) {
  std::cerr << "tensorc-rt: error: " << message << "\n" << kUsage;
  return 1;
}

int main(int argc, char **argv) {
  RunRequest request;
  std::string artifactPath;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char * {
      return i + 1 < argc ? argv[++i] : nullptr;
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg[0] != '-') {
      if (!artifactPath.empty())
        return usage("more than one artifact given");
      artifactPath = arg;
      continue;
    }
    if (arg == "--no-cuda-graphs") {
      request.session.cudaGraphs = false;
      continue;
    }
    const char *v = value();
    if (!v)
      return usage(("missing value after " + arg).c_str());
    if (arg == "--entry") {
      request.entry = v;
    } else if (arg == "--params") {
      request.paramsFile = v;
    } else if (arg == "--input" || arg == "--param" || arg == "--dim") {
      auto pair = parseNameValue(v, arg);
      if (!pair)
        return usage(pair.status().message().c_str());
      if (arg == "--input")
        request.inputs.push_back(*pair);
      else if (arg == "--param")
        request.params.push_back(*pair);
      else
        request.dims[pair->first] =
            std::strtoll(pair->second.c_str(), nullptr, 10);
    } else if (arg == "--device") {
      auto kind = parseDeviceKind(v);
      if (!kind)
        return usage(kind.status().message().c_str());
      request.session.device = *kind;
    } else if (arg == "--seed") {
      request.session.seed = std::strtoull(v, nullptr, 10);
    } else if (arg == "--threads") {
      request.session.cpuThreads = std::strtoul(v, nullptr, 10);
    } else if (arg == "-o") {
      request.output = v;
    } else {
      return usage(("unknown option " + arg).c_str());
    }
  }
  if (artifactPath.empty())
    return usage("no artifact given");
  auto artifact = Artifact::loadFile(artifactPath);
  if (!artifact) {
    std::cerr << "tensorc-rt: error: " << artifact.status().message() << "\n";
    return 1;
  }
  Status s = runArtifact(*artifact, request, std::cout);
  if (!s.ok()) {
    std::cerr << "tensorc-rt: error: " << s.message() << "\n";
    return 1;
  }
  return 0;
}
