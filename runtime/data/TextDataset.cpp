//===- TextDataset.cpp - Character-level text windows ---------------------===//
//
// Row r of batch `step` is the window at offset
// boundedDraw(randomWord(seed, "text", r, step), tokens - T): ids are tokens
// [o, o + T), targets tokens [o + 1, o + T + 1).
//
//===----------------------------------------------------------------------===//

#include "DataInternal.h"
#include "Support.h"

#include <cmath>

namespace tensorc {

Expected<TextDataset> TextDataset::create(std::vector<int32_t> tokens,
                                          int64_t context, std::string name) {
  if (context <= 0)
    return Status::error(name, ": the context length must be positive, given ",
                         context);
  if (static_cast<int64_t>(tokens.size()) <= context)
    return Status::error(name, ": ", tokens.size(),
                         " tokens are too few for windows of ", context,
                         " tokens and their targets (at least ", context + 1,
                         " are needed)");
  TextDataset dataset;
  dataset.tokens_ = std::move(tokens);
  dataset.context_ = context;
  dataset.name_ = std::move(name);
  return dataset;
}

int64_t TextDataset::windowOffset(uint64_t seed, uint64_t step,
                                  int64_t row) const {
  uint64_t r =
      data::randomWord(seed, data::kTextTag, static_cast<uint64_t>(row), step);
  return static_cast<int64_t>(
      data::boundedDraw(r, static_cast<uint64_t>(numOffsets())));
}

Expected<TextSplits> loadTextDataset(const std::string &path,
                                     const TextDatasetOptions &options,
                                     const CharVocab &vocab) {
  if (vocab.size() > options.vocabSize)
    return Status::error("a vocabulary of ", vocab.size(),
                         " characters does not fit the model's vocabulary "
                         "size ",
                         options.vocabSize);
  if (!(options.validationFraction >= 0 && options.validationFraction < 1))
    return Status::error("the validation fraction must be in [0, 1), given ",
                         options.validationFraction);
  TC_ASSIGN_OR_RETURN(std::string text, readFile(path));
  std::vector<int32_t> tokens = vocab.encode(text);
  int64_t n = static_cast<int64_t>(tokens.size());
  int64_t validation =
      static_cast<int64_t>(std::floor(n * options.validationFraction));
  TextSplits splits;
  splits.vocab = vocab;
  // A fraction too small for one token leaves the validation split empty.
  if (validation > 0) {
    std::vector<int32_t> tail(tokens.end() - validation, tokens.end());
    TC_ASSIGN_OR_RETURN(splits.validation,
                        TextDataset::create(std::move(tail), options.context,
                                            path + " (validation split)"));
  }
  tokens.resize(static_cast<size_t>(n - validation));
  TC_ASSIGN_OR_RETURN(splits.train, TextDataset::create(std::move(tokens),
                                                        options.context, path));
  return splits;
}

namespace {
template <typename T>
void copyWindows(const std::vector<int32_t> &tokens, int64_t context,
                 int64_t stride, int64_t count, T *ids, T *targets) {
  for (int64_t k = 0; k < count; ++k)
    for (int64_t i = 0; i < context; ++i) {
      ids[k * context + i] = tokens[k * stride + i];
      targets[k * context + i] = tokens[k * stride + i + 1];
    }
}
} // namespace

Expected<TensorDataset> windowDataset(const TextDataset &text, int64_t stride,
                                      DType idType) {
  if (stride <= 0)
    return Status::error(
        text.name(), ": the window stride must be positive, given ", stride);
  if (idType != DType::I32 && idType != DType::I64)
    return Status::error(text.name(), ": token ids must be i32 or i64, not ",
                         dtypeName(idType));
  int64_t context = text.context();
  // create() guarantees one window: tokens >= context + 1.
  int64_t count = (text.numOffsets() - 1) / stride + 1;
  TC_ASSIGN_OR_RETURN(HostTensor ids,
                      HostTensor::zeros(idType, {count, context}));
  TC_ASSIGN_OR_RETURN(HostTensor targets,
                      HostTensor::zeros(idType, {count, context}));
  if (idType == DType::I32)
    copyWindows(text.tokens(), context, stride, count, ids.data<int32_t>(),
                targets.data<int32_t>());
  else
    copyWindows(text.tokens(), context, stride, count, ids.data<int64_t>(),
                targets.data<int64_t>());
  std::vector<HostTensor> fields;
  fields.push_back(std::move(ids));
  fields.push_back(std::move(targets));
  return TensorDataset::create(std::move(fields), text.name());
}

Expected<TextBatchSampler> TextBatchSampler::create(const TextDataset &dataset,
                                                    int64_t batchSize,
                                                    uint64_t seed,
                                                    DType idType) {
  if (batchSize <= 0)
    return Status::error(
        dataset.name(), ": the batch size must be positive, given ", batchSize);
  if (idType != DType::I32 && idType != DType::I64)
    return Status::error(dataset.name(), ": token ids must be i32 or i64, not ",
                         dtypeName(idType));
  TextBatchSampler sampler;
  sampler.dataset_ = &dataset;
  sampler.seed_ = seed;
  sampler.batch_.size = batchSize;
  for (int i = 0; i < 2; ++i) {
    TC_ASSIGN_OR_RETURN(
        HostTensor t,
        HostTensor::zeros(idType, {batchSize, dataset.context()}));
    sampler.batch_.tensors.push_back(std::move(t));
  }
  return sampler;
}

namespace {
template <typename T>
void fillWindows(const TextDataset &dataset, uint64_t seed, uint64_t step,
                 int64_t batchSize, T *ids, T *targets) {
  const int32_t *tokens = dataset.tokens().data();
  int64_t t = dataset.context();
  for (int64_t row = 0; row < batchSize; ++row) {
    int64_t offset = dataset.windowOffset(seed, step, row);
    for (int64_t i = 0; i < t; ++i) {
      ids[row * t + i] = tokens[offset + i];
      targets[row * t + i] = tokens[offset + i + 1];
    }
  }
}
} // namespace

const Batch &TextBatchSampler::sample(uint64_t step) {
  batch_.index = static_cast<int64_t>(step);
  HostTensor &ids = batch_.tensors[0], &targets = batch_.tensors[1];
  if (ids.dtype() == DType::I32)
    fillWindows(*dataset_, seed_, step, batch_.size, ids.data<int32_t>(),
                targets.data<int32_t>());
  else
    fillWindows(*dataset_, seed_, step, batch_.size, ids.data<int64_t>(),
                targets.data<int64_t>());
  return batch_;
}

} // namespace tensorc
