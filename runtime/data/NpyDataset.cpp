//===- NpyDataset.cpp - Inputs and labels from .npy files -----------------===//

#include "DataInternal.h"
#include "Support.h"
#include "tensorc/npy.h"

#include <cmath>
#include <sys/stat.h>

namespace tensorc {

namespace data {

bool isFile(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

namespace {

double load(const HostTensor &t, int64_t i) {
  const void *p = t.data();
  switch (t.dtype()) {
  case DType::F32:
    return static_cast<const float *>(p)[i];
  case DType::F16:
    return halfToFloat(static_cast<const uint16_t *>(p)[i]);
  case DType::BF16:
    return bfloat16ToFloat(static_cast<const uint16_t *>(p)[i]);
  case DType::F64:
    return static_cast<const double *>(p)[i];
  case DType::I32:
    return static_cast<const int32_t *>(p)[i];
  case DType::I64:
    return static_cast<double>(static_cast<const int64_t *>(p)[i]);
  case DType::Bool:
    return static_cast<const uint8_t *>(p)[i] != 0;
  }
  return 0;
}

/// Stores `v`; false when an integer target cannot hold it exactly.
bool store(HostTensor &t, int64_t i, double v) {
  void *p = t.data();
  switch (t.dtype()) {
  case DType::F32:
    static_cast<float *>(p)[i] = static_cast<float>(v);
    return true;
  case DType::F16:
    static_cast<uint16_t *>(p)[i] = floatToHalf(static_cast<float>(v));
    return true;
  case DType::BF16:
    static_cast<uint16_t *>(p)[i] = floatToBFloat16(static_cast<float>(v));
    return true;
  case DType::F64:
    static_cast<double *>(p)[i] = v;
    return true;
  case DType::I32:
    if (!(v >= INT32_MIN && v <= INT32_MAX) || v != std::trunc(v))
      return false;
    static_cast<int32_t *>(p)[i] = static_cast<int32_t>(v);
    return true;
  case DType::I64:
    // 2^63 is the first double out of range.
    if (!(v >= -0x1p63 && v < 0x1p63) || v != std::trunc(v))
      return false;
    static_cast<int64_t *>(p)[i] = static_cast<int64_t>(v);
    return true;
  case DType::Bool:
    if (v != 0 && v != 1)
      return false;
    static_cast<uint8_t *>(p)[i] = v != 0;
    return true;
  }
  return false;
}

} // namespace

Expected<HostTensor> convertTensor(const HostTensor &t, DType dtype,
                                   const std::string &what) {
  if (t.dtype() == dtype)
    return t;
  TC_ASSIGN_OR_RETURN(HostTensor out, HostTensor::zeros(dtype, t.shape()));
  for (int64_t i = 0, n = t.numel(); i < n; ++i) {
    // Through double: exact for every value that an integer target holds.
    if (!store(out, i, load(t, i)))
      return Status::error(what, ": element ", i, " (", load(t, i),
                           ") does not convert exactly to ", dtypeName(dtype));
  }
  return out;
}

Status checkLabels(const HostTensor &labels, int64_t numClasses,
                   const std::string &what) {
  if (labels.dtype() != DType::I32 && labels.dtype() != DType::I64)
    return Status::error(what, ": class labels must be i32 or i64, not ",
                         dtypeName(labels.dtype()));
  for (int64_t i = 0, n = labels.numel(); i < n; ++i) {
    int64_t v = labels.dtype() == DType::I32 ? labels.data<int32_t>()[i]
                                             : labels.data<int64_t>()[i];
    if (v < 0 || v >= numClasses)
      return Status::error(what, ": label ", v, " of example ", i,
                           " is out of range for ", numClasses, " classes");
  }
  return Status::success();
}

} // namespace data

Expected<TensorDataset> loadNpyDataset(const std::string &inputsPath,
                                       const std::string &labelsPath,
                                       const NpyDatasetOptions &options) {
  TC_ASSIGN_OR_RETURN(HostTensor x, readNpy(inputsPath));
  TC_ASSIGN_OR_RETURN(HostTensor y, readNpy(labelsPath));
  if (x.rank() == 0 || y.rank() == 0)
    return Status::error("'", x.rank() == 0 ? inputsPath : labelsPath,
                         "' holds a scalar; a dataset needs the example "
                         "count as the first dim");
  if (x.shape()[0] != y.shape()[0])
    return Status::error("'", inputsPath, "' holds ", x.shape()[0],
                         " examples (", x.typeString(), ") but '", labelsPath,
                         "' holds ", y.shape()[0], " (", y.typeString(), ")");
  if (!options.exampleShape.empty()) {
    std::vector<int64_t> shape = {x.shape()[0]};
    shape.insert(shape.end(), options.exampleShape.begin(),
                 options.exampleShape.end());
    auto numel = shapeNumel(shape);
    if (!numel.ok() || *numel != x.numel())
      return Status::error("'", inputsPath, "': ", x.typeString(),
                           " cannot be reshaped to examples of shape ",
                           shapeString(options.exampleShape));
    TC_ASSIGN_OR_RETURN(
        x, HostTensor::fromBytes(x.dtype(), shape, x.data(), x.byteSize()));
  }
  if (options.inputType) {
    TC_ASSIGN_OR_RETURN(
        x, data::convertTensor(x, *options.inputType, "'" + inputsPath + "'"));
  }
  if (options.labelType) {
    TC_ASSIGN_OR_RETURN(
        y, data::convertTensor(y, *options.labelType, "'" + labelsPath + "'"));
  }
  if (options.numClasses > 0)
    TC_RETURN_IF_ERROR(
        data::checkLabels(y, options.numClasses, "'" + labelsPath + "'"));
  std::vector<HostTensor> fields;
  fields.push_back(std::move(x));
  fields.push_back(std::move(y));
  return TensorDataset::create(std::move(fields), inputsPath);
}

Expected<DatasetSplits> loadNpyDir(const std::string &dir,
                                   const NpyDatasetOptions &options) {
  DatasetSplits splits;
  TC_ASSIGN_OR_RETURN(splits.train,
                      loadNpyDataset(dir + "/x.npy", dir + "/y.npy", options));
  std::string xTest = dir + "/x_test.npy", yTest = dir + "/y_test.npy";
  bool haveX = data::isFile(xTest), haveY = data::isFile(yTest);
  if (haveX != haveY)
    return Status::error("'", dir, "' has '", haveX ? xTest : yTest,
                         "' but no '", haveX ? yTest : xTest,
                         "': a test split needs both");
  if (haveX) {
    TC_ASSIGN_OR_RETURN(splits.test, loadNpyDataset(xTest, yTest, options));
    const auto &a = splits.train.fields(), &b = splits.test.fields();
    for (size_t i = 0; i < a.size(); ++i) {
      std::vector<int64_t> sa(a[i].shape().begin() + 1, a[i].shape().end());
      std::vector<int64_t> sb(b[i].shape().begin() + 1, b[i].shape().end());
      if (a[i].dtype() != b[i].dtype() || sa != sb)
        return Status::error("'", dir, "': the test split's ",
                             i ? "labels" : "inputs", " (", b[i].typeString(),
                             ") do not match the train "
                             "split's (",
                             a[i].typeString(), ")");
    }
  }
  return splits;
}

} // namespace tensorc
