//===- Batching.cpp - TensorDataset and BatchLoader -----------------------===//

#include "DataInternal.h"
#include "Support.h"

#include <algorithm>
#include <cstring>

namespace tensorc {

Expected<TensorDataset> TensorDataset::create(std::vector<HostTensor> fields,
                                              std::string name) {
  if (fields.empty())
    return Status::error(name, ": a dataset needs at least one field");
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].rank() == 0)
      return Status::error(name, ": field ", i, " is a scalar (",
                           fields[i].typeString(),
                           "); each field needs the example count as its "
                           "first dim");
    if (fields[i].shape()[0] != fields[0].shape()[0])
      return Status::error(name, ": field ", i, " (", fields[i].typeString(),
                           ") has ", fields[i].shape()[0],
                           " examples, field 0 (", fields[0].typeString(),
                           ") has ", fields[0].shape()[0]);
  }
  TensorDataset dataset;
  dataset.size_ = fields[0].shape()[0];
  for (size_t i = 0; i < fields.size(); ++i)
    dataset.fieldNames_.push_back(std::to_string(i));
  dataset.fields_ = std::move(fields);
  dataset.name_ = std::move(name);
  return dataset;
}

Status TensorDataset::setFieldNames(std::vector<std::string> names) {
  if (names.size() != fields_.size())
    return Status::error(name_, ": ", names.size(), " names for ",
                         fields_.size(), " fields");
  for (size_t i = 0; i < names.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (names[i] == names[j])
        return Status::error(name_, ": two fields are named '", names[i], "'");
  fieldNames_ = std::move(names);
  return Status::success();
}

std::map<std::string, HostTensor> Batch::named() const {
  std::map<std::string, HostTensor> out;
  for (size_t i = 0; i < tensors.size(); ++i)
    out.emplace(i < names.size() ? names[i] : std::to_string(i), tensors[i]);
  return out;
}

namespace {

/// Tensors shaped like the dataset's fields with first dim `size`.
Expected<Batch> makeBatch(const TensorDataset &dataset, int64_t size) {
  Batch batch;
  batch.size = size;
  batch.names = dataset.fieldNames();
  for (const HostTensor &field : dataset.fields()) {
    std::vector<int64_t> shape = field.shape();
    shape[0] = size;
    TC_ASSIGN_OR_RETURN(HostTensor t, HostTensor::zeros(field.dtype(), shape));
    batch.tensors.push_back(std::move(t));
  }
  return batch;
}

} // namespace

Expected<BatchLoader> BatchLoader::create(const TensorDataset &dataset,
                                          const BatchOptions &options) {
  const std::string &name = dataset.name();
  if (options.batchSize <= 0)
    return Status::error(name, ": the batch size must be positive, given ",
                         options.batchSize);
  if (dataset.size() == 0)
    return Status::error(name, ": the dataset is empty");
  BatchLoader loader;
  loader.dataset_ = &dataset;
  loader.options_ = options;
  int64_t full = dataset.size() / options.batchSize;
  int64_t rest = dataset.size() % options.batchSize;
  loader.batchesPerEpoch_ = full + (rest && !options.dropLast ? 1 : 0);
  if (loader.batchesPerEpoch_ == 0)
    return Status::error(name, ": ", dataset.size(),
                         " examples make no full batch of ", options.batchSize,
                         ", and the last partial batch is dropped");
  if (full > 0) {
    TC_ASSIGN_OR_RETURN(loader.full_, makeBatch(dataset, options.batchSize));
  }
  if (rest && !options.dropLast) {
    TC_ASSIGN_OR_RETURN(loader.partial_, makeBatch(dataset, rest));
  }
  TC_RETURN_IF_ERROR(loader.seek(0));
  return loader;
}

Status BatchLoader::seek(uint64_t epoch, int64_t index) {
  if (index < 0 || index > batchesPerEpoch_)
    return Status::error(dataset_->name(), ": batch ", index,
                         " is out of range: an epoch has ", batchesPerEpoch_,
                         " batches");
  if (options_.shuffle) {
    if (epoch != epoch_ || order_.empty())
      order_ = shuffledOrder(dataset_->size(), options_.seed, epoch);
  } else if (order_.empty()) {
    order_.resize(static_cast<size_t>(dataset_->size()));
    for (size_t i = 0; i < order_.size(); ++i)
      order_[i] = static_cast<int64_t>(i);
  }
  epoch_ = epoch;
  nextIndex_ = index;
  return Status::success();
}

const Batch *BatchLoader::next() {
  if (nextIndex_ >= batchesPerEpoch_)
    return nullptr;
  int64_t begin = nextIndex_ * options_.batchSize;
  int64_t size = std::min(options_.batchSize, dataset_->size() - begin);
  Batch &batch = size == options_.batchSize ? full_ : partial_;
  batch.epoch = epoch_;
  batch.index = nextIndex_++;
  const std::vector<HostTensor> &fields = dataset_->fields();
  for (size_t f = 0; f < fields.size(); ++f) {
    size_t rowBytes = fields[f].byteSize() / dataset_->size();
    const auto *src = static_cast<const uint8_t *>(fields[f].data());
    auto *dst = static_cast<uint8_t *>(batch.tensors[f].data());
    for (int64_t i = 0; i < size; ++i)
      std::memcpy(dst + i * rowBytes, src + order_[begin + i] * rowBytes,
                  rowBytes);
  }
  return &batch;
}

} // namespace tensorc
