//===- main.cpp - Load an artifact with the runtime alone and run it ------===//
//
//   load-and-run MANIFEST.json X.npy Y.npy SEED
//
// Runs `forward` of the artifact on X with the params from the initializers
// and SEED, and writes the output to Y.
//
//===----------------------------------------------------------------------===//

#include <tensorc/tensorc.h>

#include <cstdlib>
#include <iostream>

int main(int argc, char **argv) {
  if (argc != 5) {
    std::cerr << "usage: load-and-run MANIFEST.json X.npy Y.npy SEED\n";
    return 1;
  }
  auto model = tensorc::Model::load(argv[1]);
  auto x = tensorc::readNpy(argv[2]);
  if (!model || !x) {
    std::cerr << (!model ? model.status() : x.status()).message() << "\n";
    return 1;
  }
  tensorc::SessionOptions options;
  options.seed = std::strtoull(argv[4], nullptr, 10);
  auto session = model->newSession(options);
  if (!session) {
    std::cerr << session.status().message() << "\n";
    return 1;
  }
  auto outputs = (*session)->run("forward", {{"x", *x}});
  if (!outputs) {
    std::cerr << outputs.status().message() << "\n";
    return 1;
  }
  tensorc::Status written =
      tensorc::writeNpy(argv[3], outputs->begin()->second);
  if (!written.ok()) {
    std::cerr << written.message() << "\n";
    return 1;
  }
  std::cout << model->name() << " on " << (*session)->deviceName() << "\n";
  return 0;
}
