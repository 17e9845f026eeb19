//===- main.cpp - Embedding tensorc: compile a model, classify images -----===//
//
//   embed [--model FILE.tdsl] [--images N] [--seed S] [--device auto|cuda|cpu]
//         [--save-input X.npy] [--save-output Y.npy]
//
// Compiles the Fashion-MNIST MLP in-process (through the compile cache: the
// second run loads it), runs `forward` on the first N test images of
// /usr/share/datasets/fashion-mnist (random images where they are missing)
// with parameters from the initializers, and prints each image's top class.
// The model is untrained, so the classes are arbitrary but reproducible.
//
//===----------------------------------------------------------------------===//

#include <tensorc/tensorc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#ifdef EMBED_HAVE_ZLIB
#include <zlib.h>
#endif

namespace {

const char *kDataDir = "/usr/share/datasets/fashion-mnist";
const char *kClassNames[] = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                             "Coat",        "Sandal",    "Shirt",    "Sneaker",
                             "Bag",         "Ankle boot"};

/// The whole file `path` (gzip or not, when built with zlib), or false.
bool readFile(const std::string &path, std::string &bytes) {
#ifdef EMBED_HAVE_ZLIB
  gzFile file = gzopen(path.c_str(), "rb"); // reads plain files as they are
  if (!file)
    return false;
  char buffer[1 << 16];
  int n;
  while ((n = gzread(file, buffer, sizeof(buffer))) > 0)
    bytes.append(buffer, static_cast<size_t>(n));
  gzclose(file);
  return n == 0;
#else
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0)
    return false;
  FILE *file = std::fopen(path.c_str(), "rb");
  if (!file)
    return false;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0)
    bytes.append(buffer, n);
  bool ok = !std::ferror(file);
  std::fclose(file);
  return ok;
#endif
}

/// The first `count` items of an IDX file of unsigned bytes whose items have
/// `itemBytes` bytes (784 for images, 1 for labels); empty if unreadable.
std::vector<uint8_t> readIdx(const std::string &name, int64_t count,
                             size_t itemBytes) {
  std::string bytes;
  std::string path = std::string(kDataDir) + "/" + name;
  if (!readFile(path + ".gz", bytes) && !readFile(path, bytes))
    return {};
  if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 8)
    return {};
  size_t header = 4 + 4 * static_cast<size_t>(bytes[3]);
  size_t want = static_cast<size_t>(count) * itemBytes;
  if (bytes.size() < header + want)
    return {};
  return std::vector<uint8_t>(bytes.begin() + header,
                              bytes.begin() + header + want);
}

int fail(const std::string &message) {
  std::cerr << "embed: " << message << "\n";
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  std::string modelPath = EMBED_DEFAULT_MODEL, device = "auto", saveInput,
              saveOutput;
  int64_t images = 8;
  uint64_t seed = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc)
      return fail("usage: embed [--model F] [--images N] [--seed S] "
                  "[--device D] [--save-input F] [--save-output F]");
    std::string value = argv[++i];
    if (arg == "--model")
      modelPath = value;
    else if (arg == "--images")
      images = std::atoll(value.c_str());
    else if (arg == "--seed")
      seed = std::strtoull(value.c_str(), nullptr, 10);
    else if (arg == "--device")
      device = value;
    else if (arg == "--save-input")
      saveInput = value;
    else if (arg == "--save-output")
      saveOutput = value;
    else
      return fail("unknown option '" + arg + "'");
  }
  if (images < 1)
    return fail("--images must be at least 1");

  // Compile in-process, for the GPU when there is one (or as --device says).
  auto deviceKind = tensorc::parseDeviceKind(device);
  if (!deviceKind)
    return fail(deviceKind.status().message());
  tensorc::CompileOptions options;
  options.device = *deviceKind;
  auto model =
      tensorc::Model::compile(tensorc::ModelSource::file(modelPath), options);
  if (!model)
    return fail(model.status().message());
  const tensorc::CompileInfo &info = model->compileInfo();
  std::cerr << "compiled " << model->name() << " for "
            << tensorc::deviceKindName(model->target()) << " in "
            << info.seconds << " s (cache "
            << (info.cache == tensorc::CacheOutcome::Hit    ? "hit"
                : info.cache == tensorc::CacheOutcome::Miss ? "miss"
                                                            : "off")
            << ")\n";

  // A batch of images: f32[N, 784], pixels scaled to [0, 1].
  std::vector<float> pixels(static_cast<size_t>(images) * 784);
  std::vector<uint8_t> raw = readIdx("t10k-images-idx3-ubyte", images, 784);
  std::vector<uint8_t> labels = readIdx("t10k-labels-idx1-ubyte", images, 1);
  if (!raw.empty()) {
    for (size_t i = 0; i < pixels.size(); ++i)
      pixels[i] = static_cast<float>(raw[i]) / 255.0f;
  } else {
    std::cerr << "no Fashion-MNIST test images in " << kDataDir
              << ": using random images\n";
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    for (float &p : pixels)
      p = uniform(rng);
  }
  auto x = tensorc::HostTensor::fromVector<float>({images, 784}, pixels);
  if (!x)
    return fail(x.status().message());

  // A session: the device, and the params from their initializers.
  tensorc::SessionOptions sessionOptions;
  sessionOptions.seed = seed;
  auto session = model->newSession(sessionOptions);
  if (!session)
    return fail(session.status().message());
  auto outputs = (*session)->run("forward", {{"x", *x}});
  if (!outputs)
    return fail(outputs.status().message());
  // Outputs by name: a single return value is "result", f32[N, 10] here.
  auto found = outputs->find("result");
  if (found == outputs->end() ||
      found->second.shape() != std::vector<int64_t>{images, 10})
    return fail("forward did not return f32[" + std::to_string(images) +
                ", 10] as \"result\"");
  const tensorc::HostTensor &logits = found->second;

  for (int64_t i = 0; i < images; ++i) {
    const float *row = logits.data<float>() + i * 10;
    int best = 0;
    for (int c = 1; c < 10; ++c)
      if (row[c] > row[best])
        best = c;
    std::cout << "image " << i << ": class " << best << " ("
              << kClassNames[best] << ")";
    if (!labels.empty() && labels[i] < 10)
      std::cout << ", label " << int(labels[i]) << " ("
                << kClassNames[labels[i]] << ")";
    std::cout << "\n";
  }
  if (!saveInput.empty())
    if (tensorc::Status s = tensorc::writeNpy(saveInput, *x); !s.ok())
      return fail(s.message());
  if (!saveOutput.empty())
    if (tensorc::Status s = tensorc::writeNpy(saveOutput, logits); !s.ok())
      return fail(s.message());
  return 0;
}
