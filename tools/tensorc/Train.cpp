//===- Train.cpp - tensorc train: the training loop -----------------------===//
//
//   tensorc train MODEL.tdsl --data fashion-mnist --epochs 5 --batch 64
//
// Compiles the model (its `train_step` comes from the train clause), loads
// the data the loss function takes, and runs one `train_step` per batch with
// the learning rate of the schedule; after each epoch it evaluates the test
// split (the loss function, and the accuracy of `forward`'s argmax), prints a
// line, appends to --metrics and writes --save. The last line is
// `test accuracy: 0.XXXX`; a plot of loss and accuracy is written at the end.
// docs/training.md describes it.
//
//===----------------------------------------------------------------------===//

#include "Train.h"

#include "Compile.h"
#include "Frontend.h"
#include "TrainReport.h"
#include "compiler/JIT/Compiler.h"

#include "tensorc/data.h"
#include "tensorc/runtime.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>
#include <cstring>

using namespace llvm;

namespace tensorc::driver {

cl::SubCommand trainCommand("train", "Train a model's train clause on a "
                                     "dataset (docs/training.md)");

namespace {
cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                               cl::desc("<model.tdsl>"), cl::sub(trainCommand));
cl::opt<std::string> dataSpec("data",
                              cl::desc("fashion-mnist[:DIR], npy:DIR or "
                                       "text:FILE (docs/data.md)"),
                              cl::init("fashion-mnist"), cl::sub(trainCommand));
cl::opt<unsigned> epochs("epochs", cl::desc("Epochs to train"), cl::init(1),
                         cl::sub(trainCommand));
cl::opt<int64_t> batchSize("batch", cl::desc("Examples per step"), cl::init(64),
                           cl::sub(trainCommand));
cl::opt<double> lrOption("lr",
                         cl::desc("Peak learning rate (default: the train "
                                  "clause's)"),
                         cl::init(0), cl::sub(trainCommand));
cl::opt<std::string> schedule("schedule",
                              cl::desc("Learning-rate schedule after the "
                                       "warm-up: constant or cosine"),
                              cl::init("constant"), cl::sub(trainCommand));
cl::opt<int64_t> warmup("warmup",
                        cl::desc("Steps of linear warm-up from 0 to --lr"),
                        cl::init(0), cl::sub(trainCommand));
cl::opt<std::string> device("device", cl::desc("auto, cuda or cpu"),
                            cl::init("auto"), cl::sub(trainCommand));
cl::opt<std::string> backend("backend",
                             cl::desc("PTX generator for cuda: nvptx or "
                                      "nvrtc"),
                             cl::init("nvptx"), cl::sub(trainCommand));
cl::opt<std::string> arch("arch", cl::desc("GPU architecture"),
                          cl::init("sm_90"), cl::sub(trainCommand));
cl::opt<bool> noFusion("no-fusion", cl::desc("Train the unfused program"),
                       cl::init(false), cl::sub(trainCommand));
cl::opt<std::string>
    precision("precision",
              cl::desc("f32, or bf16/f16 mixed precision (16-bit products, f32 "
                       "params and optimizer; f16 scales the loss)"),
              cl::init("f32"), cl::sub(trainCommand));
cl::opt<uint64_t> seed("seed",
                       cl::desc("Seed of the initializers, the shuffling and "
                                "dropout"),
                       cl::init(0), cl::sub(trainCommand));
cl::opt<unsigned> threads("threads", cl::desc("CPU threads (0: all)"),
                          cl::init(0), cl::sub(trainCommand));
cl::opt<std::string> savePath("save",
                              cl::desc("Checkpoint (params, optimizer state, "
                                       "step) written after each epoch"),
                              cl::value_desc("ckpt.safetensors"),
                              cl::sub(trainCommand));
cl::opt<std::string> resumePath("resume",
                                cl::desc("Continue from a checkpoint"),
                                cl::value_desc("ckpt.safetensors"),
                                cl::sub(trainCommand));
cl::opt<std::string> metricsPath("metrics",
                                 cl::desc("Append one JSON line per epoch"),
                                 cl::value_desc("run.jsonl"),
                                 cl::sub(trainCommand));
cl::opt<std::string> plotPath("plot",
                              cl::desc("SVG plot of loss and accuracy per "
                                       "epoch (default: train.svg; 'none' "
                                       "for no plot)"),
                              cl::init("train.svg"), cl::sub(trainCommand));
cl::opt<int64_t> maxSteps("max-steps",
                          cl::desc("Stop after this many steps in all (0: "
                                   "no limit)"),
                          cl::init(0), cl::sub(trainCommand));

int fail(const Twine &message) {
  WithColor::error(errs(), "tensorc train") << message << "\n";
  return kUserError;
}

float firstFloat(const HostTensor &t) {
  float v = 0;
  std::memcpy(&v, t.data(), sizeof v);
  return v;
}

/// The learning rate of step `step` (0-based) out of `total`.
double learningRate(double peak, int64_t step, int64_t total) {
  if (warmup > 0 && step < warmup)
    return peak * static_cast<double>(step + 1) / static_cast<double>(warmup);
  if (schedule == "cosine" && total > warmup) {
    double progress = static_cast<double>(step - warmup) /
                      static_cast<double>(total - warmup);
    return peak * 0.5 * (1.0 + std::cos(M_PI * std::min(progress, 1.0)));
  }
  return peak;
}

/// Index of the largest of `n` floats (the first on ties, like argmax).
int64_t argmax(const float *v, int64_t n) {
  int64_t best = 0;
  for (int64_t i = 1; i < n; ++i)
    if (v[i] > v[best])
      best = i;
  return best;
}

int64_t labelAt(const HostTensor &labels, int64_t i) {
  if (labels.dtype() == DType::I64)
    return static_cast<const int64_t *>(labels.data())[i];
  return static_cast<const int32_t *>(labels.data())[i];
}

struct Evaluation {
  double loss = 0, accuracy = -1;
};

/// The mean loss (entry `lossEntry`) and the accuracy of `forward`'s argmax
/// over the last axis against the labels (input `labelName`) on `data`.
Expected<Evaluation> evaluate(Session &session, const TensorDataset &data,
                              const std::string &lossEntry,
                              const std::string &labelName, bool haveForward) {
  BatchOptions options;
  options.batchSize = std::max<int64_t>(batchSize, 256);
  options.shuffle = false;
  Expected<BatchLoader> loader = BatchLoader::create(data, options);
  if (!loader)
    return loader.status();
  double lossSum = 0;
  int64_t examples = 0, correct = 0, predictions = 0;
  while (const Batch *batch = loader->next()) {
    TensorMap inputs = batch->named();
    Expected<TensorMap> out = session.run(lossEntry, inputs);
    if (!out)
      return out.status();
    lossSum += firstFloat(out->begin()->second) * batch->size;
    examples += batch->size;
    if (!haveForward)
      continue;
    HostTensor labels = inputs.at(labelName);
    inputs.erase(labelName);
    Expected<TensorMap> logits = session.run("forward", inputs);
    if (!logits)
      return logits.status();
    const HostTensor &y = logits->begin()->second;
    int64_t classes = y.shape().back();
    const float *v = static_cast<const float *>(y.data());
    for (int64_t i = 0; i < labels.numel(); ++i, ++predictions)
      correct += argmax(v + i * classes, classes) == labelAt(labels, i);
  }
  Evaluation e;
  e.loss = examples ? lossSum / examples : 0;
  if (haveForward && predictions)
    e.accuracy = static_cast<double>(correct) / predictions;
  return e;
}

/// Whether the `forward` entry takes the loss's inputs but the labels, and
/// returns one f32 tensor whose leading dims are the labels' shape.
bool forwardFits(const Manifest &manifest, const Entry &loss,
                 const std::string &labelName) {
  const Entry *forward = manifest.findEntry("forward");
  if (!forward || forward->outputs.size() != 1 ||
      forward->outputs[0].dtype != DType::F32)
    return false;
  for (const TensorInfo &in : forward->inputs)
    if (in.name == labelName ||
        std::none_of(loss.inputs.begin(), loss.inputs.end(),
                     [&](const TensorInfo &t) { return t.name == in.name; }))
      return false;
  return forward->inputs.size() + 1 == loss.inputs.size();
}

std::string formatSeconds(double s) {
  int64_t t = static_cast<int64_t>(s + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d:%02d", static_cast<int>(t / 60),
                static_cast<int>(t % 60));
  return buf;
}
} // namespace

namespace {
/// f16 training: the loss scale and the steps it skipped so far (optimizer
/// state of train_step, docs/training.md "Mixed precision").
Expected<std::string> lossScaleLine(Session &s, int64_t steps) {
  Expected<HostTensor> scale = s.getParam("opt.loss_scale");
  if (!scale)
    return scale.status();
  Expected<HostTensor> skipped = s.getParam("opt.loss_scale.skipped_steps");
  if (!skipped)
    return skipped.status();
  return formatv("f16 loss scale {0}; {1} of {2} steps skipped (gradients "
                 "overflowed f16)",
                 format("%g", *scale->data<float>()),
                 static_cast<int64_t>(*skipped->data<float>()), steps)
      .str();
}
} // namespace

int trainMain() {
  if (batchSize < 1)
    return fail("--batch must be at least 1");
  if (schedule != "constant" && schedule != "cosine")
    return fail("unknown --schedule '" + schedule +
                "'; use constant or cosine");
  Expected<DeviceKind> kind = parseDeviceKind(device);
  if (!kind)
    return fail(kind.status().message());
  if (Status status = checkPrecision(precision); !status.ok())
    return fail(status.message());
  Expected<DataSpec> spec = parseDataSpec(dataSpec);
  if (!spec)
    return fail(spec.status().message());

  SourceMgr sourceMgr;
  std::unique_ptr<ast::Model> model = loadModel(modelPath, sourceMgr);
  if (!model)
    return kUserError;
  if (!model->train)
    return fail("'" + modelPath +
                "' has no train clause (docs/language.md, "
                "\"train\")");
  std::string lossEntry = model->train->fn->name;
  double peakLr = lrOption > 0 ? lrOption.getValue() : model->train->hyper.lr;

  bool cuda = *kind == DeviceKind::Cuda ||
              (*kind == DeviceKind::Auto && probeCuda().ok());
  jit::CompileOptions compileOptions;
  compileOptions.target = cuda ? "cuda" : "cpu";
  compileOptions.backend = backend;
  compileOptions.arch = arch;
  compileOptions.fusion = !noFusion;
  compileOptions.precision = precision;
  compileOptions.tunedTiles = tunedTilesFromCache(compileOptions.target, arch);
  auto compileStart = std::chrono::steady_clock::now();
  Expected<std::shared_ptr<const Artifact>> artifact =
      compileToArtifact(*model, sourceMgr, compileOptions);
  if (!artifact)
    return fail(artifact.status().message());
  double compileSeconds = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - compileStart)
                              .count();

  SessionOptions options;
  options.device = *kind;
  options.cpuThreads = threads;
  options.seed = seed;
  Expected<std::unique_ptr<Session>> session =
      Session::create(*artifact, options);
  if (!session)
    return fail(session.status().message());
  Session &s = **session;
  if (!resumePath.empty())
    if (Status st = s.loadCheckpoint(resumePath); !st.ok())
      return fail(st.message());

  // The data: one field per input of the loss function.
  const Manifest &manifest = s.manifest();
  const Entry *step = manifest.findEntry("train_step");
  const Entry *loss = manifest.findEntry(lossEntry);
  if (!step || !loss)
    return fail("internal error: the artifact has no train_step");
  std::vector<InputSpec> inputSpecs;
  for (const TensorInfo &input : loss->inputs) {
    Expected<InputSpec> in = inputSpecOf(input);
    if (!in)
      return fail(in.status().message());
    inputSpecs.push_back(*in);
  }
  Expected<DatasetSplits> data = loadDataset(*spec, inputSpecs);
  if (!data)
    return fail(data.status().message());
  std::string labelName = loss->inputs.back().name;
  bool haveTest = !data->test.fields().empty() && data->test.size() > 0;
  bool haveForward = forwardFits(manifest, *loss, labelName);

  BatchOptions batchOptions;
  batchOptions.batchSize = batchSize;
  batchOptions.seed = seed;
  Expected<BatchLoader> loader = BatchLoader::create(data->train, batchOptions);
  if (!loader)
    return fail(loader.status().message());
  int64_t perEpoch = loader->batchesPerEpoch();
  int64_t totalSteps = perEpoch * epochs;
  if (maxSteps > 0)
    totalSteps = std::min<int64_t>(totalSteps, maxSteps);
  // The step count in the optimizer state says where a resumed run was.
  Expected<int64_t> stepCount = s.stepCount();
  int64_t done = stepCount ? *stepCount : 0;

  outs() << "training " << model->name << " on " << dataSpec << ": "
         << data->train.size() << " examples, " << perEpoch
         << " steps per epoch of " << batchSize << ", "
         << (cuda ? "cuda" : "cpu")
         << (precision == "f32" ? "" : ", " + precision + " products")
         << " (compiled in " << format("%.2f", compileSeconds) << " s)\n";
  // The device memory of training, from the static plan, before any step:
  // params with the optimizer state, and the arena of one train_step.
  if (const Batch *first = loader->next()) {
    Expected<uint64_t> stepBytes = s.planBytes("train_step", first->named());
    if (!stepBytes)
      return fail(stepBytes.status().message());
    uint64_t paramBytes = s.memoryUse().paramBytes;
    auto mib = [](uint64_t bytes) {
      return format("%.2f MiB", bytes / (1024.0 * 1024.0));
    };
    outs() << "memory: " << mib(paramBytes + *stepBytes) << " ("
           << mib(paramBytes) << " params and optimizer state, "
           << mib(*stepBytes) << " train_step plan at batch " << first->size
           << ")\n";
  }
  outs().flush();

  TrainReport report(metricsPath);
  bool progress = sys::Process::StandardErrIsDisplayed();
  double lastAccuracy = -1;
  for (int64_t epoch = done / perEpoch;
       epoch < static_cast<int64_t>(epochs) && done < totalSteps; ++epoch) {
    if (Status st = loader->seek(epoch, done % perEpoch); !st.ok())
      return fail(st.message());
    auto start = std::chrono::steady_clock::now();
    auto lastDraw = start;
    double lossSum = 0;
    int64_t examples = 0, steps = 0;
    while (done < totalSteps) {
      const Batch *batch = loader->next();
      if (!batch)
        break;
      if (Status st = s.setLearningRate(learningRate(peakLr, done, totalSteps));
          !st.ok())
        return fail(st.message());
      Expected<float> out = s.trainStep(batch->named());
      if (!out)
        return fail(out.status().message());
      float l = *out;
      if (!std::isfinite(l))
        return fail("the loss is " + std::to_string(l) + " at step " +
                    std::to_string(done + 1) + "; lower --lr");
      lossSum += static_cast<double>(l) * batch->size;
      examples += batch->size;
      ++steps;
      ++done;
      auto now = std::chrono::steady_clock::now();
      if (progress &&
          std::chrono::duration<double>(now - lastDraw).count() > 0.2) {
        lastDraw = now;
        double elapsed = std::chrono::duration<double>(now - start).count();
        int64_t left = std::min(perEpoch - batch->index - 1, totalSteps - done);
        drawProgress(errs(), epoch + 1, epochs, batch->index + 1, perEpoch,
                     lossSum / examples, examples / elapsed,
                     formatSeconds(elapsed / steps * left));
      }
    }
    if (progress)
      clearProgress(errs());
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    EpochRecord record;
    record.epoch = epoch + 1;
    record.step = done;
    record.trainLoss = examples ? lossSum / examples : 0;
    record.seconds = seconds;
    record.examplesPerSecond = seconds > 0 ? examples / seconds : 0;
    if (haveTest) {
      Expected<Evaluation> e =
          evaluate(s, data->test, lossEntry, labelName, haveForward);
      if (!e)
        return fail(e.status().message());
      record.testLoss = e->loss;
      record.testAccuracy = e->accuracy;
      lastAccuracy = e->accuracy;
    }
    outs() << formatEpoch(record, epochs) << "\n";
    outs().flush();
    if (Status st = report.add(record); !st.ok())
      return fail(st.message());
    if (!savePath.empty())
      if (Status st = s.saveCheckpoint(savePath); !st.ok())
        return fail(st.message());
  }
  if (plotPath != "none")
    if (Status st = report.writePlot(plotPath, model->name); !st.ok())
      return fail(st.message());
  if (precision == "f16") {
    Expected<std::string> line = lossScaleLine(s, done);
    if (!line)
      return fail(line.status().message());
    outs() << *line << "\n";
  }
  if (lastAccuracy >= 0)
    outs() << "test accuracy: " << format("%.4f", lastAccuracy) << "\n";
  return 0;
}

} // namespace tensorc::driver
