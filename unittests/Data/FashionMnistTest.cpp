//===- FashionMnistTest.cpp - Fashion-MNIST from Debian's files -----------===//
//
// The expected numbers were computed once with Python and NumPy on the same
// files (gzip.open, np.frombuffer(..., offset=16 or 8)).
//
//===----------------------------------------------------------------------===//

#include "DataTestUtil.h"

#include <cmath>
#include <sys/stat.h>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

#define EXPECT_ERROR_HAS(result, text)                                         \
  EXPECT_NE(errorOf(result).find(text), std::string::npos) << errorOf(result)

bool haveFashionMnist() {
  struct stat st;
  return haveGzip() &&
         ::stat((std::string(kFashionMnistDir) + "/t10k-labels-idx1-ubyte.gz")
                    .c_str(),
                &st) == 0;
}

#define TC_REQUIRE_FASHION_MNIST()                                             \
  do {                                                                         \
    if (!haveFashionMnist())                                                   \
      GTEST_SKIP() << "Fashion-MNIST is not installed in " << kFashionMnistDir \
                   << " (Debian's dataset-fashion-mnist), or no zlib";         \
  } while (0)

struct SplitFacts {
  const char *split;
  int64_t n;
  std::vector<int64_t> histogramFirst1000;
  int64_t weightedLabels; // sum of i * label[i]
  int64_t weightedPixels; // sum of pixel[k] * (k % 251), k flat
  std::vector<int> row14; // image 0, row 14
  int pixel777_13_13;
  int pixel31337_20_7; // image 31337 % n
};

const SplitFacts kExpected[] = {
    {"train",
     60000,
     {107, 104, 86, 92, 95, 100, 100, 115, 102, 99},
     8087216427,
     428843984823,
     {0,   0,   1,   4,   6,   7,   2,   0,   0,   0,   0,   0,   237, 226,
      217, 223, 222, 219, 222, 221, 216, 223, 229, 215, 218, 255, 77,  0},
     0,
     148},
    {"t10k",
     10000,
     {107, 105, 111, 93, 115, 87, 97, 95, 95, 95},
     225732341,
     71679932715,
     {0,   0,   0,   0,   0,   0,   2,   4,   1,   0,   0,   0,   98,  136,
      110, 109, 110, 162, 135, 144, 149, 159, 167, 144, 158, 169, 119, 0},
     143,
     185},
};

TEST(FashionMnistTest, IdxFilesMatchNumPy) {
  TC_REQUIRE_FASHION_MNIST();
  for (const SplitFacts &e : kExpected) {
    SCOPED_TRACE(e.split);
    std::string base = std::string(kFashionMnistDir) + "/" + e.split;
    TC_ASSERT_OK_AND_ASSIGN(IdxArray images,
                            readIdx(base + "-images-idx3-ubyte.gz"));
    TC_ASSERT_OK_AND_ASSIGN(IdxArray labels,
                            readIdx(base + "-labels-idx1-ubyte.gz"));
    ASSERT_EQ(images.dims, (std::vector<int64_t>{e.n, 28, 28}));
    ASSERT_EQ(labels.dims, (std::vector<int64_t>{e.n}));
    std::vector<int64_t> histogram(10), first1000(10);
    int64_t weightedLabels = 0, weightedPixels = 0;
    for (int64_t i = 0; i < e.n; ++i) {
      ASSERT_LT(labels.data[i], 10);
      ++histogram[labels.data[i]];
      if (i < 1000)
        ++first1000[labels.data[i]];
      weightedLabels += i * labels.data[i];
    }
    for (size_t k = 0; k < images.data.size(); ++k)
      weightedPixels += images.data[k] * static_cast<int64_t>(k % 251);
    EXPECT_EQ(histogram, std::vector<int64_t>(10, e.n / 10));
    EXPECT_EQ(first1000, e.histogramFirst1000);
    EXPECT_EQ(weightedLabels, e.weightedLabels);
    EXPECT_EQ(weightedPixels, e.weightedPixels);
    std::vector<int> row(images.data.begin() + 14 * 28,
                         images.data.begin() + 15 * 28);
    EXPECT_EQ(row, e.row14);
    EXPECT_EQ(images.data[777 * 784 + 13 * 28 + 13], e.pixel777_13_13);
    EXPECT_EQ(images.data[(31337 % e.n) * 784 + 20 * 28 + 7],
              e.pixel31337_20_7);
  }
}

TEST(FashionMnistTest, LoadsNormalizedSplits) {
  TC_REQUIRE_FASHION_MNIST();
  ImageDatasetOptions options; // [N, 1, 28, 28], i32, mean 0.2860 std 0.3530
  TC_ASSERT_OK_AND_ASSIGN(DatasetSplits splits, loadFashionMnist(options));
  EXPECT_EQ(splits.mean, 0.2860);
  EXPECT_EQ(splits.std, 0.3530);
  const HostTensor &x = splits.train.fields()[0];
  const HostTensor &y = splits.test.fields()[1];
  EXPECT_EQ(x.typeString(), "f32[60000, 1, 28, 28]");
  EXPECT_EQ(splits.train.fields()[1].typeString(), "i32[60000]");
  EXPECT_EQ(splits.test.fields()[0].typeString(), "f32[10000, 1, 28, 28]");
  EXPECT_EQ(y.typeString(), "i32[10000]");
  EXPECT_EQ(y.data<int32_t>()[0], 9);
  EXPECT_EQ(y.data<int32_t>()[1], 2);
  EXPECT_EQ(y.data<int32_t>()[9999], 5);
  auto normalized = [](int p) {
    return (static_cast<float>(p) / 255.0f - 0.2860f) / 0.3530f;
  };
  EXPECT_EQ(x.data<float>()[14 * 28 + 12], normalized(237));
  EXPECT_EQ(x.data<float>()[0], normalized(0));
  EXPECT_NEAR(x.data<float>()[14 * 28 + 25], (1.0 - 0.2860) / 0.3530, 1e-6);
}

TEST(FashionMnistTest, FlatLayoutI64AndStatisticsOfTheTrainSplit) {
  TC_REQUIRE_FASHION_MNIST();
  ImageDatasetOptions options;
  options.exampleShape = {784};
  options.labelType = DType::I64;
  options.normalization.mode = Normalization::Mode::FromTrain;
  TC_ASSERT_OK_AND_ASSIGN(DatasetSplits splits, loadFashionMnist(options));
  // NumPy: (x / 255).mean() and .std() over the train images.
  EXPECT_NEAR(splits.mean, 0.2860405970, 1e-9);
  EXPECT_NEAR(splits.std, 0.3530242445, 1e-9);
  EXPECT_EQ(splits.train.fields()[0].typeString(), "f32[60000, 784]");
  EXPECT_EQ(splits.test.fields()[1].typeString(), "i64[10000]");
  EXPECT_EQ(splits.train.fields()[1].data<int64_t>()[0], 9);
  // The test split is standardized with the train split's statistics.
  float mean = static_cast<float>(splits.mean);
  float std = static_cast<float>(splits.std);
  const float *t = splits.test.fields()[0].data<float>();
  EXPECT_EQ(t[777 * 784 + 13 * 28 + 13], (143 / 255.0f - mean) / std);

  options.normalization.mode = Normalization::Mode::None;
  options.exampleShape = {28, 28};
  TC_ASSERT_OK_AND_ASSIGN(DatasetSplits raw, loadFashionMnist(options));
  EXPECT_EQ(raw.mean, 0);
  EXPECT_EQ(raw.std, 1);
  const float *x = raw.train.fields()[0].data<float>();
  EXPECT_EQ(x[14 * 28 + 12], 237 / 255.0f);
  EXPECT_EQ(x[14 * 28 + 25], 1.0f);
  EXPECT_EQ(x[(31337 * 28 + 20) * 28 + 7], 148 / 255.0f);
}

TEST(FashionMnistTest, AnEpochOfShuffledBatchesSeesEveryImageOnce) {
  TC_REQUIRE_FASHION_MNIST();
  TC_ASSERT_OK_AND_ASSIGN(
      DatasetSplits splits,
      loadDataset(*parseDataSpec("fashion-mnist"),
                  {{"x", DType::F32, {784}}, {"y", DType::I32, {}}}));
  const TensorDataset &train = splits.train;
  EXPECT_EQ(train.fieldNames(), (std::vector<std::string>{"x", "y"}));
  BatchOptions options;
  options.batchSize = 64;
  options.seed = 1234;
  TC_ASSERT_OK_AND_ASSIGN(BatchLoader loader,
                          BatchLoader::create(train, options));
  // 60000 = 937 * 64 + 32.
  ASSERT_EQ(loader.batchesPerEpoch(), 938);
  // Per-pixel sums over the epoch equal the dataset's: a permutation.
  std::vector<double> expected(784), seen(784);
  const float *all = train.fields()[0].data<float>();
  for (int64_t i = 0; i < 60000; ++i)
    for (int p = 0; p < 784; ++p)
      expected[p] += all[i * 784 + p];
  std::vector<int64_t> histogram(10);
  std::vector<int32_t> firstLabels[2];
  for (uint64_t epoch : {0, 1}) {
    TC_ASSERT_OK(loader.seek(epoch));
    int64_t batches = 0, examples = 0;
    while (const Batch *batch = loader.next()) {
      ++batches;
      examples += batch->size;
      std::map<std::string, HostTensor> in = batch->named();
      ASSERT_EQ(in["x"].shape(), (std::vector<int64_t>{batch->size, 784}));
      ASSERT_EQ(in["y"].shape(), (std::vector<int64_t>{batch->size}));
      const int32_t *y = in["y"].data<int32_t>();
      if (batch->index == 0)
        firstLabels[epoch].assign(y, y + batch->size);
      if (epoch != 0)
        continue;
      for (int64_t i = 0; i < batch->size; ++i) {
        ++histogram[y[i]];
        for (int p = 0; p < 784; ++p)
          seen[p] += in["x"].data<float>()[i * 784 + p];
      }
      if (batch->index == 937)
        EXPECT_EQ(batch->size, 32);
    }
    EXPECT_EQ(batches, 938);
    EXPECT_EQ(examples, 60000);
  }
  EXPECT_EQ(histogram, std::vector<int64_t>(10, 6000));
  for (int p = 0; p < 784; ++p)
    ASSERT_NEAR(seen[p], expected[p], 1e-6 * (1 + std::fabs(expected[p])))
        << "pixel " << p;
  // Shuffled: not the file's order, and another order the next epoch.
  std::vector<int32_t> fileOrder(train.fields()[1].data<int32_t>(),
                                 train.fields()[1].data<int32_t>() + 64);
  EXPECT_NE(firstLabels[0], fileOrder);
  EXPECT_NE(firstLabels[0], firstLabels[1]);
}

TEST(FashionMnistTest, TruncatedOrCorruptedFilesAreErrors) {
  TC_REQUIRE_FASHION_MNIST();
  std::string dir = makeTempDir();
  ASSERT_FALSE(dir.empty());
  std::string images =
      readBytes(std::string(kFashionMnistDir) + "/t10k-images-idx3-ubyte.gz");
  std::string labels =
      readBytes(std::string(kFashionMnistDir) + "/t10k-labels-idx1-ubyte.gz");
  ASSERT_GT(images.size(), 1000u);
  ASSERT_GT(labels.size(), 1000u);
  // The test split as the train split too, cut short.
  std::string path = dir + "/train-images-idx3-ubyte.gz";
  for (const char *prefix : {"train", "t10k"})
    ASSERT_TRUE(
        writeBytes(dir + "/" + prefix + "-labels-idx1-ubyte.gz", labels));
  ASSERT_TRUE(writeBytes(dir + "/t10k-images-idx3-ubyte.gz", images));
  ImageDatasetOptions options;
  options.dir = dir;
  ASSERT_TRUE(writeBytes(path, images.substr(0, images.size() / 2)));
  EXPECT_ERROR_HAS(loadFashionMnist(options),
                   "'" + path + "' is a truncated gzip file");
  // A flipped bit in the deflate stream.
  std::string corrupted = images;
  corrupted[corrupted.size() / 2] ^= 0x10;
  ASSERT_TRUE(writeBytes(path, corrupted));
  EXPECT_ERROR_HAS(loadFashionMnist(options), "'" + path + "' ");
  // Decompressed but cut short: the IDX reader notices.
  TC_ASSERT_OK_AND_ASSIGN(std::string raw, gunzip(images));
  ASSERT_TRUE(writeBytes(path, gzipBytes(raw.substr(0, raw.size() - 100))));
  EXPECT_ERROR_HAS(loadFashionMnist(options),
                   "'" + path +
                       "' is truncated: dims [10000, 28, 28] need 7840000 "
                       "bytes of data, the file has 7839900");
  ASSERT_TRUE(writeBytes(path, images));
  TC_ASSERT_OK(loadFashionMnist(options).status());
}

/// A Fashion-MNIST directory of `n` tiny images with the given labels.
void writeSplit(const std::string &dir, const std::string &prefix,
                const std::vector<uint32_t> &imageDims,
                const std::string &labels, bool gz) {
  size_t numel = 1;
  for (uint32_t d : imageDims)
    numel *= d;
  std::string pixels(numel, '\0');
  for (size_t i = 0; i < numel; ++i)
    pixels[i] = static_cast<char>(i * 37);
  std::string images = idxBytes(imageDims, pixels);
  std::string labelFile =
      idxBytes({static_cast<uint32_t>(labels.size())}, labels);
  std::string suffix = gz ? ".gz" : "";
  ASSERT_TRUE(writeBytes(dir + "/" + prefix + "-images-idx3-ubyte" + suffix,
                         gz ? gzipBytes(images) : images));
  ASSERT_TRUE(writeBytes(dir + "/" + prefix + "-labels-idx1-ubyte" + suffix,
                         gz ? gzipBytes(labelFile) : labelFile));
}

TEST(FashionMnistTest, ReportsBadOptionsAndImages) {
  std::string dir = makeTempDir();
  ASSERT_FALSE(dir.empty());
  ImageDatasetOptions options;
  options.dir = dir;
  options.numClasses = 0;
  EXPECT_ERROR_HAS(loadFashionMnist(options),
                   "the number of classes must be in [1, 256], given 0");
  options.numClasses = 10;
  options.normalization.std = 0;
  EXPECT_ERROR_HAS(loadFashionMnist(options),
                   "normalization needs a finite mean and a positive std, "
                   "given mean 0.286 and std 0");
  options.normalization = Normalization();
  // As many pixels (the example shape fits both), but not the same rows.
  options.exampleShape = {6};
  writeSplit(dir, "train", {2, 2, 3}, std::string("\x01\x00", 2), false);
  writeSplit(dir, "t10k", {1, 3, 2}, "\x04", false);
  EXPECT_ERROR_HAS(loadFashionMnist(options),
                   "the images of '" + dir + "/train-images-idx3-ubyte' and '" +
                       dir + "/t10k-images-idx3-ubyte' differ in size");
  // Statistics of a train split whose pixels are all the same.
  options.exampleShape = {4};
  writeSplit(dir, "train", {2, 2, 2}, std::string("\x01\x00", 2), false);
  writeSplit(dir, "t10k", {1, 2, 2}, "\x04", false);
  ASSERT_TRUE(writeBytes(dir + "/train-images-idx3-ubyte",
                         idxBytes({2, 2, 2}, std::string(8, '\x07'))));
  options.normalization.mode = Normalization::Mode::FromTrain;
  EXPECT_ERROR_HAS(loadFashionMnist(options),
                   "'" + dir +
                       "/train-images-idx3-ubyte': every pixel has the same "
                       "value, so its std is 0 and cannot normalize");
}

TEST(FashionMnistTest, ReadsUncompressedDirectories) {
  std::string dir = makeTempDir();
  ASSERT_FALSE(dir.empty());
  writeSplit(dir, "train", {3, 2, 2}, std::string("\x01\x00\x09", 3), false);
  writeSplit(dir, "t10k", {1, 2, 2}, "\x04", false);
  ImageDatasetOptions options;
  options.dir = dir;
  options.exampleShape = {4};
  options.normalization.mode = Normalization::Mode::None;
  TC_ASSERT_OK_AND_ASSIGN(DatasetSplits splits, loadFashionMnist(options));
  EXPECT_EQ(splits.train.size(), 3);
  EXPECT_EQ(splits.test.size(), 1);
  EXPECT_EQ(splits.train.fields()[0].data<float>()[5], (5 * 37) / 255.0f);
  EXPECT_EQ(splits.train.fields()[1].data<int32_t>()[2], 9);
  EXPECT_EQ(splits.test.fields()[1].data<int32_t>()[0], 4);
}

TEST(FashionMnistTest, ReportsBadDirectories) {
  std::string dir = makeTempDir();
  ASSERT_FALSE(dir.empty());
  ImageDatasetOptions options;
  options.dir = dir;
  EXPECT_ERROR_HAS(loadFashionMnist(options),
                   "no 'train-images-idx3-ubyte.gz' or "
                   "'train-images-idx3-ubyte' in '" +
                       dir + "'");
  options.dir = "/nonexistent";
  EXPECT_ERROR_HAS(loadFashionMnist(options), "in '/nonexistent'");

  options.dir = dir;
  writeSplit(dir, "t10k", {1, 28, 28}, "\x01", false);
  // 5 images, 4 labels.
  writeSplit(dir, "train", {5, 28, 28}, "\x01\x02\x03\x04", false);
  EXPECT_ERROR_HAS(loadFashionMnist(options),
                   "'" + dir +
                       "/train-images-idx3-ubyte' holds 5 images but '" + dir +
                       "/train-labels-idx1-ubyte' holds 4 labels");
  writeSplit(dir, "train", {4, 28, 28}, "\x01\x02\x0a\x04", false);
  EXPECT_ERROR_HAS(loadFashionMnist(options),
                   "'" + dir +
                       "/train-labels-idx1-ubyte': label 10 of example 2 is "
                       "out of range for 10 classes");
  options.numClasses = 11;
  TC_ASSERT_OK(loadFashionMnist(options).status());
  options.exampleShape = {1, 14, 28};
  EXPECT_ERROR_HAS(loadFashionMnist(options),
                   "are 28x28 pixels, which do not fit the example shape "
                   "[1, 14, 28]");
  options.exampleShape = {784};
  options.labelType = DType::F32;
  EXPECT_ERROR_HAS(loadFashionMnist(options), "labels must be i32 or i64");
  options.labelType = DType::I32;
  options.normalization.std = 0;
  EXPECT_ERROR_HAS(loadFashionMnist(options), "a positive std");
  options.normalization = Normalization();

  // A label file in the images' place.
  ASSERT_TRUE(
      writeBytes(dir + "/train-images-idx3-ubyte", idxBytes({4}, "abcd")));
  EXPECT_ERROR_HAS(loadFashionMnist(options),
                   "holds a [4] array; images must have rank 3");
  // The .gz file is preferred to the uncompressed one.
  if (haveGzip()) {
    writeSplit(dir, "train", {2, 28, 28}, "\x01\x02", true);
    TC_ASSERT_OK_AND_ASSIGN(DatasetSplits splits, loadFashionMnist(options));
    EXPECT_EQ(splits.train.size(), 2);
  }
}

} // namespace
