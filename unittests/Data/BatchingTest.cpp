//===- BatchingTest.cpp - Shuffling and batching --------------------------===//

#include "DataTestUtil.h"

#include <algorithm>
#include <numeric>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

#define EXPECT_ERROR_HAS(result, text)                                         \
  EXPECT_NE(errorOf(result).find(text), std::string::npos) << errorOf(result)

TEST(ShuffleTest, MatchesTheDocumentedStream) {
  // From an independent Python implementation of docs/data.md's definition
  // (Philox4x32-10, the "shuf" tag, Fisher-Yates, multiply-shift).
  EXPECT_EQ(shuffledOrder(10, 42, 0),
            (std::vector<int64_t>{9, 7, 5, 4, 8, 1, 6, 3, 2, 0}));
  EXPECT_EQ(shuffledOrder(10, 42, 1),
            (std::vector<int64_t>{4, 0, 2, 3, 9, 8, 7, 5, 1, 6}));
  EXPECT_EQ(shuffledOrder(10, (uint64_t(1) << 40) + 5, 7),
            (std::vector<int64_t>{6, 7, 3, 1, 5, 9, 8, 0, 2, 4}));
  std::vector<int64_t> big = shuffledOrder(60000, 1, 3);
  EXPECT_EQ(std::vector<int64_t>(big.begin(), big.begin() + 8),
            (std::vector<int64_t>{58257, 10400, 1410, 11374, 33248, 21481,
                                  41799, 47721}));
  EXPECT_EQ(std::vector<int64_t>(big.end() - 3, big.end()),
            (std::vector<int64_t>{54570, 15843, 33180}));
}

TEST(ShuffleTest, EveryEpochIsADistinctPermutation) {
  std::vector<int64_t> identity(1000);
  std::iota(identity.begin(), identity.end(), 0);
  std::vector<std::vector<int64_t>> seen;
  for (uint64_t seed : {0ull, 1ull, 0xdeadbeefcafeull})
    for (uint64_t epoch = 0; epoch < 5; ++epoch) {
      std::vector<int64_t> order = shuffledOrder(1000, seed, epoch);
      EXPECT_EQ(order, shuffledOrder(1000, seed, epoch)) << "reproducible";
      EXPECT_NE(order, identity);
      std::vector<int64_t> sorted = order;
      std::sort(sorted.begin(), sorted.end());
      EXPECT_EQ(sorted, identity) << "seed " << seed << " epoch " << epoch;
      for (const auto &other : seen)
        EXPECT_NE(order, other);
      seen.push_back(order);
    }
  EXPECT_TRUE(shuffledOrder(0, 1, 0).empty());
  EXPECT_EQ(shuffledOrder(1, 1, 0), std::vector<int64_t>{0});
}

TEST(ShuffleTest, PositionsAreUniform) {
  // Where element 0 lands, over 20000 epochs of 10: about 2000 times each.
  std::vector<int> counts(10);
  for (uint64_t epoch = 0; epoch < 20000; ++epoch) {
    std::vector<int64_t> order = shuffledOrder(10, 5, epoch);
    ++counts[std::find(order.begin(), order.end(), 0) - order.begin()];
  }
  for (int c : counts) {
    EXPECT_GT(c, 1800);
    EXPECT_LT(c, 2200);
  }
}

/// x: f32[n, 3] with x[i][j] = 10 i + j; y: i64[n] with y[i] = i.
TensorDataset makeDataset(int64_t n) {
  std::vector<float> x;
  std::vector<int64_t> y;
  for (int64_t i = 0; i < n; ++i) {
    for (int j = 0; j < 3; ++j)
      x.push_back(static_cast<float>(10 * i + j));
    y.push_back(i);
  }
  std::vector<HostTensor> fields;
  fields.push_back(*HostTensor::fromVector<float>({n, 3}, x));
  fields.push_back(*HostTensor::fromVector<int64_t>({n}, y));
  return *TensorDataset::create(std::move(fields), "toy");
}

/// Checks that `batch` holds examples `order[begin, begin + size)`.
void expectExamples(const Batch &batch, const std::vector<int64_t> &order,
                    int64_t begin) {
  ASSERT_EQ(batch.tensors.size(), 2u);
  ASSERT_EQ(batch.tensors[0].shape(), (std::vector<int64_t>{batch.size, 3}));
  ASSERT_EQ(batch.tensors[1].shape(), (std::vector<int64_t>{batch.size}));
  for (int64_t i = 0; i < batch.size; ++i) {
    int64_t example = order[begin + i];
    EXPECT_EQ(batch.tensors[1].data<int64_t>()[i], example);
    for (int j = 0; j < 3; ++j)
      EXPECT_EQ(batch.tensors[0].data<float>()[3 * i + j], 10 * example + j);
  }
}

TEST(BatchLoaderTest, GathersShuffledBatchesWithAPartialLast) {
  TensorDataset dataset = makeDataset(10);
  BatchOptions options;
  options.batchSize = 4;
  options.seed = 42;
  TC_ASSERT_OK_AND_ASSIGN(BatchLoader loader,
                          BatchLoader::create(dataset, options));
  EXPECT_EQ(loader.batchesPerEpoch(), 3);
  for (uint64_t epoch : {0, 1}) {
    TC_ASSERT_OK(loader.seek(epoch));
    std::vector<int64_t> order = shuffledOrder(10, 42, epoch);
    std::vector<int64_t> sizes;
    const void *fullBuffer = nullptr;
    while (const Batch *batch = loader.next()) {
      EXPECT_EQ(batch->epoch, epoch);
      EXPECT_EQ(batch->index, static_cast<int64_t>(sizes.size()));
      expectExamples(*batch, order, 4 * batch->index);
      if (batch->size == 4) {
        // Full batches reuse one buffer.
        if (fullBuffer)
          EXPECT_EQ(batch->tensors[0].data(), fullBuffer);
        fullBuffer = batch->tensors[0].data();
      }
      sizes.push_back(batch->size);
    }
    EXPECT_EQ(sizes, (std::vector<int64_t>{4, 4, 2}));
    EXPECT_EQ(loader.next(), nullptr);
  }
}

TEST(BatchLoaderTest, DropsTheLastBatchOrKeepsTheOrder) {
  TensorDataset dataset = makeDataset(10);
  BatchOptions options;
  options.batchSize = 4;
  options.dropLast = true;
  options.shuffle = false;
  TC_ASSERT_OK_AND_ASSIGN(BatchLoader loader,
                          BatchLoader::create(dataset, options));
  EXPECT_EQ(loader.batchesPerEpoch(), 2);
  std::vector<int64_t> identity(10);
  std::iota(identity.begin(), identity.end(), 0);
  for (uint64_t epoch : {0, 3}) {
    TC_ASSERT_OK(loader.seek(epoch));
    int64_t count = 0;
    while (const Batch *batch = loader.next()) {
      EXPECT_EQ(batch->size, 4);
      expectExamples(*batch, identity, 4 * count++);
    }
    EXPECT_EQ(count, 2);
  }
  options.batchSize = 5;
  TC_ASSERT_OK_AND_ASSIGN(BatchLoader exact,
                          BatchLoader::create(dataset, options));
  EXPECT_EQ(exact.batchesPerEpoch(), 2);
  options.dropLast = false;
  options.batchSize = 64;
  TC_ASSERT_OK_AND_ASSIGN(BatchLoader one,
                          BatchLoader::create(dataset, options));
  ASSERT_EQ(one.batchesPerEpoch(), 1);
  const Batch *only = one.next();
  ASSERT_NE(only, nullptr);
  EXPECT_EQ(only->size, 10);
  expectExamples(*only, identity, 0);
}

TEST(BatchLoaderTest, ResumesAtAnyStep) {
  TensorDataset dataset = makeDataset(23);
  BatchOptions options;
  options.batchSize = 5;
  options.seed = 9;
  TC_ASSERT_OK_AND_ASSIGN(BatchLoader straight,
                          BatchLoader::create(dataset, options));
  // Every batch of three epochs, as a run sees them.
  std::vector<std::vector<int64_t>> run;
  for (uint64_t epoch = 0; epoch < 3; ++epoch) {
    TC_ASSERT_OK(straight.seek(epoch));
    while (const Batch *b = straight.next())
      run.emplace_back(b->tensors[1].data<int64_t>(),
                       b->tensors[1].data<int64_t>() + b->size);
  }
  ASSERT_EQ(run.size(), 15u);
  // A fresh loader resumed at step s gives the same batches from there on.
  for (int64_t step : {0, 4, 5, 7, 14}) {
    TC_ASSERT_OK_AND_ASSIGN(BatchLoader resumed,
                            BatchLoader::create(dataset, options));
    int64_t per = resumed.batchesPerEpoch();
    TC_ASSERT_OK(resumed.seek(step / per, step % per));
    for (int64_t s = step; s < 15; ++s) {
      const Batch *b = resumed.next();
      if (!b) {
        TC_ASSERT_OK(resumed.seek(s / per));
        b = resumed.next();
      }
      ASSERT_NE(b, nullptr);
      EXPECT_EQ(std::vector<int64_t>(b->tensors[1].data<int64_t>(),
                                     b->tensors[1].data<int64_t>() + b->size),
                run[s])
          << "step " << s << " after resuming at " << step;
    }
  }
}

TEST(BatchLoaderTest, RejectsBadOptionsAndDatasets) {
  TensorDataset dataset = makeDataset(10);
  BatchOptions options;
  options.batchSize = 0;
  EXPECT_ERROR_HAS(BatchLoader::create(dataset, options),
                   "toy: the batch size must be positive, given 0");
  options.batchSize = 11;
  options.dropLast = true;
  EXPECT_ERROR_HAS(BatchLoader::create(dataset, options),
                   "toy: 10 examples make no full batch of 11");
  options = BatchOptions();
  TC_ASSERT_OK_AND_ASSIGN(BatchLoader loader,
                          BatchLoader::create(dataset, options));
  EXPECT_ERROR_HAS(loader.seek(0, 2),
                   "batch 2 is out of range: an epoch has 1 batches");
  TC_ASSERT_OK(loader.seek(0, 1)); // the end of the epoch
  EXPECT_EQ(loader.next(), nullptr);

  TC_ASSERT_OK_AND_ASSIGN(
      TensorDataset empty,
      TensorDataset::create({*HostTensor::zeros(DType::F32, {0, 3})}, "e"));
  EXPECT_EQ(empty.size(), 0);
  EXPECT_ERROR_HAS(BatchLoader::create(empty, options), "e: the dataset is "
                                                        "empty");
  std::vector<HostTensor> mismatched;
  mismatched.push_back(*HostTensor::zeros(DType::F32, {4, 3}));
  mismatched.push_back(*HostTensor::zeros(DType::I32, {5}));
  EXPECT_ERROR_HAS(TensorDataset::create(std::move(mismatched), "m"),
                   "m: field 1 (i32[5]) has 5 examples, field 0 (f32[4, 3]) "
                   "has 4");
  EXPECT_ERROR_HAS(TensorDataset::create({HostTensor()}, "s"),
                   "s: field 0 is a scalar");
  EXPECT_ERROR_HAS(TensorDataset::create({HostTensor()}, "s"),
                   "); each field needs the example count as its first dim");
  EXPECT_ERROR_HAS(TensorDataset::create({}, "n"),
                   "n: a dataset needs at least one field");
}

} // namespace
