//===- LoadDatasetTest.cpp - --data specs loaded for a model's inputs -----===//

#include "DataTestUtil.h"
#include "tensorc/npy.h"

#include <algorithm>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

#define EXPECT_ERROR_HAS(result, text)                                         \
  EXPECT_NE(errorOf(result).find(text), std::string::npos) << errorOf(result)

TensorInfo info(const std::string &name, DType dtype,
                const std::vector<std::string> &dims) {
  TensorInfo t;
  t.name = name;
  t.dtype = dtype;
  for (const std::string &d : dims)
    t.shape.push_back(*Expr::parse(d, {"B", "T"}));
  return t;
}

TEST(InputSpecTest, DropsTheBatchDim) {
  TC_ASSERT_OK_AND_ASSIGN(
      InputSpec x, inputSpecOf(info("x", DType::F32, {"B", "1", "28", "28"})));
  EXPECT_EQ(x.name, "x");
  EXPECT_EQ(x.dtype, DType::F32);
  EXPECT_EQ(x.exampleShape, (std::vector<int64_t>{1, 28, 28}));
  TC_ASSERT_OK_AND_ASSIGN(InputSpec y,
                          inputSpecOf(info("y", DType::I32, {"B"})));
  EXPECT_TRUE(y.exampleShape.empty());
  EXPECT_ERROR_HAS(inputSpecOf(info("s", DType::F32, {})),
                   "input 's' (f32[]) cannot be fed from a dataset: its first "
                   "dim must be the batch dim");
  EXPECT_ERROR_HAS(inputSpecOf(info("w", DType::F32, {"784", "B"})),
                   "its first dim must be the batch dim");
  EXPECT_ERROR_HAS(inputSpecOf(info("t", DType::I32, {"B", "T"})),
                   "only its first dim may be a dim name, 'T' is one");
}

/// A Fashion-MNIST layout of 5 train and 2 test 2x2 images.
std::string writeTinyFashion() {
  std::string dir = makeTempDir();
  auto split = [&](const std::string &prefix, uint32_t n,
                   const std::string &labels) {
    std::string pixels(n * 4, '\0');
    for (size_t i = 0; i < pixels.size(); ++i)
      pixels[i] = static_cast<char>(i * 51);
    return writeBytes(dir + "/" + prefix + "-images-idx3-ubyte",
                      idxBytes({n, 2, 2}, pixels)) &&
           writeBytes(dir + "/" + prefix + "-labels-idx1-ubyte",
                      idxBytes({n}, labels));
  };
  if (dir.empty() ||
      !split("train", 5, std::string("\x03\x01\x00\x02\x03", 5)) ||
      !split("t10k", 2, std::string("\x02\x00", 2)))
    return "";
  return dir;
}

TEST(LoadDatasetTest, ShapesImagesForTheModel) {
  std::string dir = writeTinyFashion();
  ASSERT_FALSE(dir.empty());
  DataSpec spec = *parseDataSpec("fashion-mnist:" + dir);
  LoadOptions options;
  options.normalization.mode = Normalization::Mode::None;
  TC_ASSERT_OK_AND_ASSIGN(
      DatasetSplits splits,
      loadDataset(spec, {{"x", DType::F32, {1, 2, 2}}, {"y", DType::I64, {}}},
                  options));
  EXPECT_EQ(splits.train.fieldNames(), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(splits.test.fieldNames(), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(splits.train.fields()[0].typeString(), "f32[5, 1, 2, 2]");
  EXPECT_EQ(splits.test.fields()[1].typeString(), "i64[2]");

  BatchOptions batching;
  batching.batchSize = 3;
  batching.shuffle = false;
  TC_ASSERT_OK_AND_ASSIGN(BatchLoader loader,
                          BatchLoader::create(splits.train, batching));
  const Batch *first = loader.next();
  ASSERT_NE(first, nullptr);
  std::map<std::string, HostTensor> named = first->named();
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named["x"].typeString(), "f32[3, 1, 2, 2]");
  EXPECT_EQ(named["x"].data<float>()[5], (5 * 51) / 255.0f);
  EXPECT_EQ(named["y"].typeString(), "i64[3]");
  EXPECT_EQ(named["y"].data<int64_t>()[0], 3);
  const Batch *last = loader.next();
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->named()["y"].typeString(), "i64[2]");
  EXPECT_EQ(last->named()["y"].data<int64_t>()[1], 3);
  EXPECT_EQ(loader.next(), nullptr);

  // Labels beyond the default 10 classes need numClasses.
  options.numClasses = 3;
  EXPECT_ERROR_HAS(loadDataset(spec,
                               {{"x", DType::F32, {4}}, {"y", DType::I32, {}}},
                               options),
                   "label 3 of example 0 is out of range for 3 classes");
}

TEST(LoadDatasetTest, ReportsInputsThatDoNotFit) {
  std::string dir = writeTinyFashion();
  ASSERT_FALSE(dir.empty());
  DataSpec spec = *parseDataSpec("fashion-mnist:" + dir);
  EXPECT_ERROR_HAS(
      loadDataset(spec, {{"x", DType::F32, {784}}, {"y", DType::I32, {}}}),
      "the model's input 'x' (f32[B, 784]): the images of '" + dir +
          "/train-images-idx3-ubyte' are 2x2 pixels, which do not fit the "
          "example shape [784]");
  EXPECT_ERROR_HAS(
      loadDataset(spec, {{"x", DType::F16, {4}}, {"y", DType::I32, {}}}),
      "fashion-mnist gives f32 images, but the model's input 'x' (f16[B, 4]) "
      "is not f32");
  EXPECT_ERROR_HAS(
      loadDataset(spec, {{"x", DType::F32, {4}}, {"y", DType::F32, {}}}),
      "the model's input 'y' (f32[B]) is not i32[B] or i64[B]");
  EXPECT_ERROR_HAS(loadDataset(spec, {{"x", DType::F32, {4}}}),
                   "'fashion-mnist:" + dir +
                       "' gives two tensors per example (an input and its "
                       "label), but the model takes 1 data inputs (x)");
  // .npy labels of the wrong shape are caught after loading.
  TC_ASSERT_OK(
      writeNpy(dir + "/x.npy", *HostTensor::zeros(DType::F32, {3, 4})));
  TC_ASSERT_OK(
      writeNpy(dir + "/y.npy", *HostTensor::zeros(DType::I32, {3, 2})));
  DataSpec npy = *parseDataSpec("npy:" + dir);
  EXPECT_ERROR_HAS(
      loadDataset(npy, {{"x", DType::F32, {2, 2}}, {"y", DType::I32, {}}}),
      "'npy:" + dir +
          "' gives i32[3, 2] (examples of shape [2]) for the model's input "
          "'y' (i32[B])");
  TC_ASSERT_OK(writeNpy(dir + "/y.npy",
                        *HostTensor::fromVector<int32_t>({3}, {0, 4, 1})));
  TC_ASSERT_OK_AND_ASSIGN(
      DatasetSplits npySplits,
      loadDataset(npy, {{"x", DType::F64, {2, 2}}, {"y", DType::I64, {}}}));
  EXPECT_EQ(npySplits.train.fields()[0].typeString(), "f64[3, 2, 2]");
  EXPECT_EQ(npySplits.train.fields()[1].data<int64_t>()[1], 4);
  EXPECT_EQ(npySplits.test.size(), 0);
  EXPECT_TRUE(npySplits.test.fields().empty());
  LoadOptions fourClasses;
  fourClasses.numClasses = 4;
  EXPECT_ERROR_HAS(loadDataset(npy,
                               {{"x", DType::F32, {4}}, {"y", DType::I32, {}}},
                               fourClasses),
                   "label 4 of example 1 is out of range for 4 classes");
}

TEST(LoadDatasetTest, TextWindowsForTinyGpt) {
  // tiny_gpt's loss(idx: i32[B, T], targets: i32[B, T]) with T = 64, V = 96.
  DataSpec spec = *parseDataSpec(std::string("text:") + TENSORC_SOURCE_DIR +
                                 "/examples/data/kjv-genesis.txt");
  std::vector<InputSpec> inputs = {{"idx", DType::I32, {64}},
                                   {"targets", DType::I32, {64}}};
  TC_ASSERT_OK_AND_ASSIGN(DatasetSplits splits, loadDataset(spec, inputs));
  // 173935 train and 19326 test tokens: (n - 1 - 64) / 64 + 1 windows.
  EXPECT_EQ(splits.train.fields()[0].typeString(), "i32[2717, 64]");
  EXPECT_EQ(splits.train.fields()[1].typeString(), "i32[2717, 64]");
  EXPECT_EQ(splits.test.size(), 301);
  EXPECT_EQ(splits.train.fieldNames(),
            (std::vector<std::string>{"idx", "targets"}));
  const int32_t *ids = splits.train.fields()[0].data<int32_t>();
  const int32_t *targets = splits.train.fields()[1].data<int32_t>();
  CharVocab vocab = CharVocab::printableAscii();
  EXPECT_EQ(vocab.decode(std::vector<int32_t>(ids, ids + 11)), "\nGenesis 1\n");
  // Window 1 starts where window 0 ends; targets are ids one token later.
  EXPECT_EQ(ids[64], targets[63]);
  for (int64_t i = 0; i < 2717 * 64; ++i) {
    ASSERT_GE(ids[i], 0);
    ASSERT_LT(ids[i], 96);
    if (i % 64 != 63)
      ASSERT_EQ(targets[i], ids[i + 1]) << i;
  }

  LoadOptions options;
  options.textStride = 32;
  options.textValidationFraction = 0;
  inputs = {{"idx", DType::I64, {64}}, {"targets", DType::I64, {64}}};
  TC_ASSERT_OK_AND_ASSIGN(DatasetSplits half,
                          loadDataset(spec, inputs, options));
  EXPECT_EQ(half.train.fields()[0].typeString(), "i64[6038, 64]");
  EXPECT_TRUE(half.test.fields().empty());

  EXPECT_ERROR_HAS(loadDataset(spec, {{"idx", DType::I32, {64}},
                                      {"targets", DType::I32, {32}}}),
                   "the model's input 'idx' (i32[B, 64]) and input 'targets' "
                   "(i32[B, 32]) differ");
  EXPECT_ERROR_HAS(loadDataset(spec, {{"idx", DType::F32, {64}},
                                      {"targets", DType::F32, {64}}}),
                   "text gives windows of token ids, but the model's input "
                   "'idx' (f32[B, 64]) is not i32[B, T] or i64[B, T]");
  options.vocabSize = 65;
  EXPECT_ERROR_HAS(loadDataset(spec, inputs, options),
                   "a vocabulary of 96 characters does not fit the model's "
                   "vocabulary size 65");
}

TEST(WindowDatasetTest, StridesOverTheTokens) {
  std::vector<int32_t> tokens(12);
  for (int32_t i = 0; i < 12; ++i)
    tokens[i] = i;
  TC_ASSERT_OK_AND_ASSIGN(TextDataset text,
                          TextDataset::create(tokens, 4, "counting"));
  // Offsets 0, 3, 6: offset 7 + 4 would need a 13th target.
  TC_ASSERT_OK_AND_ASSIGN(TensorDataset windows, windowDataset(text, 3));
  ASSERT_EQ(windows.size(), 3);
  EXPECT_EQ(windows.fields()[0].typeString(), "i32[3, 4]");
  const int32_t *ids = windows.fields()[0].data<int32_t>();
  const int32_t *targets = windows.fields()[1].data<int32_t>();
  EXPECT_EQ(std::vector<int32_t>(ids + 8, ids + 12),
            (std::vector<int32_t>{6, 7, 8, 9}));
  EXPECT_EQ(std::vector<int32_t>(targets + 8, targets + 12),
            (std::vector<int32_t>{7, 8, 9, 10}));
  // Stride 1 reaches the last target.
  TC_ASSERT_OK_AND_ASSIGN(TensorDataset all,
                          windowDataset(text, 1, DType::I64));
  ASSERT_EQ(all.size(), 8);
  EXPECT_EQ(all.fields()[1].data<int64_t>()[8 * 4 - 1], 11);
  EXPECT_ERROR_HAS(windowDataset(text, 0), "the window stride must be "
                                           "positive, given 0");
  EXPECT_ERROR_HAS(windowDataset(text, 2, DType::F32),
                   "token ids must be i32 or i64, not f32");
}

TEST(TensorDatasetTest, NamesFields) {
  std::vector<HostTensor> fields;
  fields.push_back(*HostTensor::zeros(DType::F32, {2, 3}));
  fields.push_back(*HostTensor::zeros(DType::I32, {2}));
  TC_ASSERT_OK_AND_ASSIGN(TensorDataset dataset,
                          TensorDataset::create(std::move(fields), "d"));
  EXPECT_EQ(dataset.fieldNames(), (std::vector<std::string>{"0", "1"}));
  EXPECT_ERROR_HAS(dataset.setFieldNames({"x"}), "d: 1 names for 2 fields");
  EXPECT_ERROR_HAS(dataset.setFieldNames({"x", "x"}),
                   "d: two fields are named 'x'");
  TC_ASSERT_OK(dataset.setFieldNames({"x", "y"}));
  EXPECT_EQ(dataset.fieldNames(), (std::vector<std::string>{"x", "y"}));
}

} // namespace
