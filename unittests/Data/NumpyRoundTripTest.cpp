//===- NumpyRoundTripTest.cpp - .npy datasets against NumPy itself --------===//
//
// NumPy writes the files the loader reads, and reads back the batches the
// loader gathers. Skipped where /usr/bin/python3 has no NumPy.
//
//===----------------------------------------------------------------------===//

#include "DataTestUtil.h"
#include "tensorc/npy.h"

#include <cstdlib>
#include <fstream>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

#define EXPECT_ERROR_HAS(result, text)                                         \
  EXPECT_NE(errorOf(result).find(text), std::string::npos) << errorOf(result)

constexpr const char *kPython = "/usr/bin/python3";

/// Runs `script` with the python interpreter in `dir`; its exit status.
int runPython(const std::string &dir, const std::string &script) {
  std::string path = dir + "/script.py";
  if (!writeBytes(path, script))
    return -1;
  std::string command =
      std::string("cd '") + dir + "' && " + kPython + " " + path;
  return std::system(command.c_str());
}

bool haveNumpy() {
  std::string command =
      std::string(kPython) + " -c 'import numpy' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

TEST(NumpyRoundTripTest, ReadsWhatNumpyWritesAndBack) {
  if (!haveNumpy())
    GTEST_SKIP() << kPython << " with NumPy is not available";
  std::string dir = makeTempDir();
  ASSERT_FALSE(dir.empty());
  // Inputs x[i, j, k] = 0.25 (i * 6 + j * 3 + k) - 3 in several dtypes;
  // labels y[i] = (3 i) % 5.
  ASSERT_EQ(runPython(dir, R"(
import numpy as np
x = np.arange(7 * 6, dtype=np.float64).reshape(7, 2, 3) * 0.25 - 3
y = (np.arange(7) * 3) % 5
np.save('x.npy', x.astype(np.float32))
np.save('y.npy', y.astype(np.int64))
np.save('x_test.npy', x[:3].astype(np.float16))
np.save('y_test.npy', y[:3].astype(np.int32))
np.save('x64.npy', x)
np.save('big.npy', x.astype('>f4'))
np.save('fortran.npy', np.asfortranarray(x))
np.save('u8.npy', np.arange(7, dtype=np.uint8))
)"),
            0);
  TC_ASSERT_OK_AND_ASSIGN(TensorDataset f32,
                          loadNpyDataset(dir + "/x.npy", dir + "/y.npy"));
  TC_ASSERT_OK_AND_ASSIGN(
      TensorDataset f16,
      loadNpyDataset(dir + "/x_test.npy", dir + "/y_test.npy"));
  TC_ASSERT_OK_AND_ASSIGN(TensorDataset f64,
                          loadNpyDataset(dir + "/x64.npy", dir + "/y.npy"));
  EXPECT_EQ(f32.fields()[0].typeString(), "f32[7, 2, 3]");
  EXPECT_EQ(f32.fields()[1].typeString(), "i64[7]");
  EXPECT_EQ(f16.fields()[0].typeString(), "f16[3, 2, 3]");
  EXPECT_EQ(f16.fields()[1].typeString(), "i32[3]");
  for (int64_t i = 0; i < 42; ++i) {
    double v = 0.25 * static_cast<double>(i) - 3; // exact in f16 too
    EXPECT_EQ(f32.fields()[0].data<float>()[i], v);
    EXPECT_EQ(f64.fields()[0].data<double>()[i], v);
    if (i < 18)
      EXPECT_EQ(
          halfToFloat(static_cast<const uint16_t *>(f16.fields()[0].data())[i]),
          v);
  }
  for (int64_t i = 0; i < 7; ++i)
    EXPECT_EQ(f32.fields()[1].data<int64_t>()[i], (3 * i) % 5);

  // Layouts and types NumPy writes that the reader refuses, with a way out.
  EXPECT_ERROR_HAS(loadNpyDataset(dir + "/big.npy", dir + "/y.npy"),
                   "big-endian");
  EXPECT_ERROR_HAS(loadNpyDataset(dir + "/fortran.npy", dir + "/y.npy"),
                   "fortran");
  EXPECT_ERROR_HAS(loadNpyDataset(dir + "/x.npy", dir + "/u8.npy"), "u1");

  // Shuffled, converted batches written back and checked by NumPy.
  NpyDatasetOptions options;
  options.exampleShape = {6};
  options.labelType = DType::I32;
  options.numClasses = 5;
  // The f16 test split must be converted to the train split's type.
  EXPECT_ERROR_HAS(loadNpyDir(dir, options),
                   "the test split's inputs (f16[3, 6]) do not match the "
                   "train split's (f32[7, 6])");
  options.inputType = DType::F32;
  TC_ASSERT_OK_AND_ASSIGN(DatasetSplits splits, loadNpyDir(dir, options));
  EXPECT_EQ(splits.test.fields()[0].typeString(), "f32[3, 6]");
  EXPECT_EQ(splits.test.fields()[0].data<float>()[17], 0.25f * 17 - 3);
  BatchOptions batching;
  batching.batchSize = 4;
  batching.seed = 11;
  TC_ASSERT_OK_AND_ASSIGN(BatchLoader loader,
                          BatchLoader::create(splits.train, batching));
  std::vector<int64_t> order = shuffledOrder(7, 11, 0);
  std::string orderText;
  for (int64_t i : order)
    orderText += std::to_string(i) + ",";
  int index = 0;
  while (const Batch *batch = loader.next()) {
    TC_ASSERT_OK(writeNpy(dir + "/bx" + std::to_string(index) + ".npy",
                          batch->tensors[0]));
    TC_ASSERT_OK(writeNpy(dir + "/by" + std::to_string(index) + ".npy",
                          batch->tensors[1]));
    ++index;
  }
  ASSERT_EQ(index, 2);
  EXPECT_EQ(runPython(dir, R"(
import numpy as np, sys
x = np.load('x.npy').reshape(7, 6)
y = np.load('y.npy')
order = [)" + orderText + R"(]
bx = np.concatenate([np.load('bx0.npy'), np.load('bx1.npy')])
by = np.concatenate([np.load('by0.npy'), np.load('by1.npy')])
ok = (bx.dtype == np.float32 and by.dtype == np.int32 and
      bx.shape == (7, 6) and np.load('bx1.npy').shape == (3, 6) and
      (bx == x[order]).all() and (by == y[order]).all())
sys.exit(0 if ok else 1)
)"),
            0);
}

} // namespace
