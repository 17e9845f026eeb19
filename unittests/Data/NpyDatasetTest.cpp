//===- NpyDatasetTest.cpp - Datasets from .npy files; --data specs --------===//

#include "DataTestUtil.h"
#include "tensorc/npy.h"

using namespace tensorc;
using namespace tensorc::testing;

namespace {

#define EXPECT_ERROR_HAS(result, text)                                         \
  EXPECT_NE(errorOf(result).find(text), std::string::npos) << errorOf(result)

class NpyDatasetTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = makeTempDir();
    ASSERT_FALSE(dir.empty());
    std::vector<double> x(20);
    for (size_t i = 0; i < x.size(); ++i)
      x[i] = 0.5 * static_cast<double>(i);
    TC_ASSERT_OK(
        writeNpy(dir + "/x.npy", *HostTensor::fromVector<double>({5, 4}, x)));
    TC_ASSERT_OK(writeNpy(dir + "/y.npy", *HostTensor::fromVector<int64_t>(
                                              {5}, {0, 2, 1, 2, 0})));
  }
  std::string dir;
};

TEST_F(NpyDatasetTest, LoadsReshapesAndConverts) {
  NpyDatasetOptions options;
  options.exampleShape = {2, 2};
  options.inputType = DType::F32;
  options.labelType = DType::I32;
  options.numClasses = 3;
  TC_ASSERT_OK_AND_ASSIGN(DatasetSplits splits, loadNpyDir(dir, options));
  EXPECT_EQ(splits.train.size(), 5);
  EXPECT_EQ(splits.test.size(), 0);
  const HostTensor &x = splits.train.fields()[0];
  const HostTensor &y = splits.train.fields()[1];
  EXPECT_EQ(x.typeString(), "f32[5, 2, 2]");
  EXPECT_EQ(y.typeString(), "i32[5]");
  EXPECT_EQ(x.data<float>()[7], 3.5f);
  EXPECT_EQ(y.data<int32_t>()[3], 2);
  // Kept as stored without options.
  TC_ASSERT_OK_AND_ASSIGN(TensorDataset raw,
                          loadNpyDataset(dir + "/x.npy", dir + "/y.npy"));
  EXPECT_EQ(raw.fields()[0].typeString(), "f64[5, 4]");
  EXPECT_EQ(raw.fields()[1].typeString(), "i64[5]");
}

TEST_F(NpyDatasetTest, ReadsATestSplit) {
  TC_ASSERT_OK(writeNpy(dir + "/x_test.npy",
                        *HostTensor::fromVector<double>({1, 4}, {1, 2, 3, 4})));
  EXPECT_ERROR_HAS(loadNpyDir(dir), "'" + dir + "' has '" + dir +
                                        "/x_test.npy' but no '" + dir +
                                        "/y_test.npy': a test split needs "
                                        "both");
  TC_ASSERT_OK(writeNpy(dir + "/y_test.npy",
                        *HostTensor::fromVector<int32_t>({1}, {1})));
  EXPECT_ERROR_HAS(loadNpyDir(dir),
                   "the test split's labels (i32[1]) do not match the train "
                   "split's (i64[5])");
  NpyDatasetOptions options;
  options.labelType = DType::I64;
  TC_ASSERT_OK_AND_ASSIGN(DatasetSplits splits, loadNpyDir(dir, options));
  EXPECT_EQ(splits.test.size(), 1);
  EXPECT_EQ(splits.test.fields()[0].data<double>()[3], 4.0);
}

TEST_F(NpyDatasetTest, ReportsBadFiles) {
  NpyDatasetOptions options;
  options.numClasses = 2;
  EXPECT_ERROR_HAS(loadNpyDir(dir, options),
                   "'" + dir +
                       "/y.npy': label 2 of example 1 is out of range "
                       "for 2 classes");
  options.numClasses = 0;
  options.exampleShape = {3};
  EXPECT_ERROR_HAS(loadNpyDir(dir, options),
                   "f64[5, 4] cannot be reshaped to examples of shape [3]");
  options.exampleShape.clear();
  options.labelType = DType::F32;
  options.numClasses = 3;
  EXPECT_ERROR_HAS(loadNpyDir(dir, options),
                   "class labels must be i32 or i64, not f32");
  options = NpyDatasetOptions();
  options.inputType = DType::I32;
  EXPECT_ERROR_HAS(loadNpyDir(dir, options),
                   "element 1 (0.5) does not convert exactly to i32");
  TC_ASSERT_OK(writeNpy(dir + "/y.npy",
                        *HostTensor::fromVector<int64_t>({4}, {0, 1, 0, 1})));
  EXPECT_ERROR_HAS(loadNpyDir(dir), "'" + dir +
                                        "/x.npy' holds 5 examples (f64[5, 4]) "
                                        "but '" +
                                        dir + "/y.npy' holds 4 (i64[4])");
  TC_ASSERT_OK(writeNpy(dir + "/y.npy", *HostTensor::fromVector<int64_t>(
                                            {5}, {0, 1, 3000000000, 1, 0})));
  options = NpyDatasetOptions();
  options.labelType = DType::I32;
  EXPECT_ERROR_HAS(loadNpyDir(dir, options),
                   "element 2 (3e+09) does not convert exactly to i32");
  TC_ASSERT_OK(
      writeNpy(dir + "/y.npy", *HostTensor::fromVector<int64_t>({}, {1})));
  EXPECT_ERROR_HAS(loadNpyDir(dir), "y.npy' holds a scalar; a dataset needs "
                                    "the example count as the first dim");
  EXPECT_ERROR_HAS(loadNpyDir(dir + "/none"),
                   "cannot open '" + dir + "/none/x.npy'");
}

TEST(DataSpecTest, ParsesTheKinds) {
  TC_ASSERT_OK_AND_ASSIGN(DataSpec plain, parseDataSpec("fashion-mnist"));
  EXPECT_EQ(plain.kind, DataSpec::Kind::FashionMnist);
  EXPECT_EQ(plain.path, kFashionMnistDir);
  TC_ASSERT_OK_AND_ASSIGN(DataSpec dir, parseDataSpec("fashion-mnist:/d/m"));
  EXPECT_EQ(dir.path, "/d/m");
  TC_ASSERT_OK_AND_ASSIGN(DataSpec npy, parseDataSpec("npy:data"));
  EXPECT_EQ(npy.kind, DataSpec::Kind::Npy);
  EXPECT_EQ(npy.path, "data");
  TC_ASSERT_OK_AND_ASSIGN(DataSpec text, parseDataSpec("text:a:b.txt"));
  EXPECT_EQ(text.kind, DataSpec::Kind::Text);
  EXPECT_EQ(text.path, "a:b.txt");
  EXPECT_ERROR_HAS(parseDataSpec("mnist"), "unknown data 'mnist'; expected "
                                           "fashion-mnist[:DIR], npy:DIR");
  EXPECT_ERROR_HAS(parseDataSpec("text"), "'text' needs a file: text:FILE");
  EXPECT_ERROR_HAS(parseDataSpec("npy:"), "'npy:' names no directory");
  EXPECT_ERROR_HAS(parseDataSpec("fashion-mnist:"), "names no directory");
}

} // namespace
