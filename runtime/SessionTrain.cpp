//===- SessionTrain.cpp - Optimizer steps and the learning rate -----------===//
//
// Training over the artifact's `train_step` entry (tc-build-train-step): its
// inputs are the trained function's plus the f32 scalar `lr`, which the
// session supplies, so that callers pass what they pass to the loss.
//
//===----------------------------------------------------------------------===//

#include "Support.h"
#include "tensorc/runtime.h"

#include <cmath>
#include <cstring>

namespace tensorc {

namespace {
constexpr const char *kTrainStep = "train_step";
constexpr const char *kLearningRate = "lr";

float scalarF32(const HostTensor &t) {
  float v = 0;
  std::memcpy(&v, t.data(), sizeof v);
  return v;
}
} // namespace

Expected<TensorMap> Session::withLearningRate(const std::string &entry,
                                              const TensorMap &inputs) const {
  TensorMap all = inputs;
  if (entry != kTrainStep || all.count(kLearningRate))
    return all;
  TC_ASSIGN_OR_RETURN(HostTensor lr, HostTensor::fromVector<float>(
                                         {}, {static_cast<float>(lr_)}));
  all.emplace(kLearningRate, std::move(lr));
  return all;
}

Status Session::setLearningRate(double lr) {
  if (!std::isfinite(lr))
    return Status::error("setLearningRate: the learning rate must be finite, "
                         "given ",
                         lr);
  lr_ = lr;
  return Status::success();
}

Expected<float> Session::trainStep(const TensorMap &inputs,
                                   const std::map<std::string, int64_t> &dims) {
  const Manifest &m = manifest();
  const Entry *step = m.findEntry(kTrainStep);
  if (!step)
    return Status::error("trainStep: ",
                         m.model.empty() ? "the model"
                                         : "model '" + m.model + "'",
                         " has no train clause, so no 'train_step' entry "
                         "(docs/language.md, \"train\")");
  if (inputs.count(kLearningRate))
    return Status::error("trainStep: 'lr' is not an input here: the session "
                         "supplies it (setLearningRate)");
  TC_ASSIGN_OR_RETURN(TensorMap all, withLearningRate(kTrainStep, inputs));
  Expected<TensorMap> out = run(kTrainStep, all, dims);
  if (!out)
    return out.status().withContext("trainStep");
  auto loss = out->find("loss");
  if (loss == out->end() || loss->second.dtype() != DType::F32 ||
      loss->second.numel() != 1)
    return Status::error("trainStep: 'train_step' has no f32 scalar 'loss'");
  return scalarF32(loss->second);
}

Expected<int64_t> Session::stepCount() {
  if (!manifest().findParam("opt.step"))
    return Status::error("stepCount: the model has no optimizer state "
                         "'opt.step' (no train clause)");
  TC_ASSIGN_OR_RETURN(HostTensor t, getParam("opt.step"));
  return static_cast<int64_t>(scalarF32(t));
}

} // namespace tensorc
