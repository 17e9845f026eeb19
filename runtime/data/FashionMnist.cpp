//===- FashionMnist.cpp - Fashion-MNIST (and MNIST) from IDX files --------===//

#include "DataInternal.h"
#include "Support.h"

#include <cmath>

namespace tensorc {

namespace {

/// DIR/NAME.gz, else DIR/NAME.
Expected<std::string> findFile(const std::string &dir,
                               const std::string &name) {
  for (const std::string &candidate :
       {dir + "/" + name + ".gz", dir + "/" + name})
    if (data::isFile(candidate))
      return candidate;
  std::string hint = dir == kFashionMnistDir
                         ? " (install Debian's dataset-fashion-mnist, or "
                           "give the directory: fashion-mnist:DIR)"
                         : "";
  return Status::error("no '", name, ".gz' or '", name, "' in '", dir, "'",
                       hint);
}

struct RawSplit {
  IdxArray images, labels;
  std::string imagesPath, labelsPath;
};

Expected<RawSplit> readSplit(const std::string &dir, const std::string &prefix,
                             const ImageDatasetOptions &options) {
  RawSplit split;
  TC_ASSIGN_OR_RETURN(split.imagesPath,
                      findFile(dir, prefix + "-images-idx3-ubyte"));
  TC_ASSIGN_OR_RETURN(split.labelsPath,
                      findFile(dir, prefix + "-labels-idx1-ubyte"));
  TC_ASSIGN_OR_RETURN(split.images, readIdx(split.imagesPath));
  TC_ASSIGN_OR_RETURN(split.labels, readIdx(split.labelsPath));
  const std::vector<int64_t> &dims = split.images.dims;
  if (dims.size() != 3)
    return Status::error("'", split.imagesPath, "' holds a ", shapeString(dims),
                         " array; images must have rank 3: [N, rows, cols]");
  if (split.labels.dims.size() != 1)
    return Status::error("'", split.labelsPath, "' holds a ",
                         shapeString(split.labels.dims),
                         " array; labels must have rank 1: [N]");
  if (split.labels.dims[0] != dims[0])
    return Status::error("'", split.imagesPath, "' holds ", dims[0],
                         " images but '", split.labelsPath, "' holds ",
                         split.labels.dims[0], " labels");
  TC_ASSIGN_OR_RETURN(int64_t exampleNumel, shapeNumel(options.exampleShape));
  int64_t pixels;
  if (!checkedMul(dims[1], dims[2], pixels) || exampleNumel != pixels)
    return Status::error("the images of '", split.imagesPath, "' are ", dims[1],
                         "x", dims[2],
                         " pixels, which do not fit the example shape ",
                         shapeString(options.exampleShape));
  for (size_t i = 0; i < split.labels.data.size(); ++i)
    if (split.labels.data[i] >= options.numClasses)
      return Status::error("'", split.labelsPath, "': label ",
                           int(split.labels.data[i]), " of example ", i,
                           " is out of range for ", options.numClasses,
                           " classes");
  return split;
}

/// Population mean and std of all pixels / 255, exact from the histogram.
void pixelStats(const IdxArray &images, double &mean, double &std) {
  uint64_t histogram[256] = {};
  for (uint8_t p : images.data)
    ++histogram[p];
  double n = static_cast<double>(images.data.size()), sum = 0, sumSq = 0;
  for (int v = 0; v < 256; ++v) {
    sum += histogram[v] * (v / 255.0);
    sumSq += histogram[v] * (v / 255.0) * (v / 255.0);
  }
  mean = n ? sum / n : 0;
  std = n ? std::sqrt(std::max(0.0, sumSq / n - mean * mean)) : 0;
}

Expected<TensorDataset> makeDataset(const RawSplit &split,
                                    const ImageDatasetOptions &options,
                                    const float (&lut)[256],
                                    const std::string &name) {
  int64_t n = split.images.dims[0];
  std::vector<int64_t> shape = {n};
  shape.insert(shape.end(), options.exampleShape.begin(),
               options.exampleShape.end());
  TC_ASSIGN_OR_RETURN(HostTensor images, HostTensor::zeros(DType::F32, shape));
  float *x = images.data<float>();
  for (size_t i = 0; i < split.images.data.size(); ++i)
    x[i] = lut[split.images.data[i]];
  TC_ASSIGN_OR_RETURN(HostTensor labels,
                      HostTensor::zeros(options.labelType, {n}));
  for (int64_t i = 0; i < n; ++i) {
    if (options.labelType == DType::I32)
      labels.data<int32_t>()[i] = split.labels.data[i];
    else
      labels.data<int64_t>()[i] = split.labels.data[i];
  }
  std::vector<HostTensor> fields;
  fields.push_back(std::move(images));
  fields.push_back(std::move(labels));
  return TensorDataset::create(std::move(fields), name);
}

} // namespace

Expected<DatasetSplits> loadFashionMnist(const ImageDatasetOptions &options) {
  if (options.labelType != DType::I32 && options.labelType != DType::I64)
    return Status::error("labels must be i32 or i64, not ",
                         dtypeName(options.labelType));
  if (options.numClasses <= 0 || options.numClasses > 256)
    return Status::error("the number of classes must be in [1, 256], given ",
                         options.numClasses);
  const Normalization &norm = options.normalization;
  DatasetSplits splits;
  if (norm.mode == Normalization::Mode::Fixed) {
    splits.mean = norm.mean;
    splits.std = norm.std;
  }
  if (!std::isfinite(splits.mean) || !std::isfinite(splits.std) ||
      !(splits.std > 0))
    return Status::error("normalization needs a finite mean and a positive "
                         "std, given mean ",
                         splits.mean, " and std ", splits.std);

  TC_ASSIGN_OR_RETURN(RawSplit train, readSplit(options.dir, "train", options));
  TC_ASSIGN_OR_RETURN(RawSplit test, readSplit(options.dir, "t10k", options));
  if (train.images.dims[1] != test.images.dims[1] ||
      train.images.dims[2] != test.images.dims[2])
    return Status::error("the images of '", train.imagesPath, "' and '",
                         test.imagesPath, "' differ in size");
  if (norm.mode == Normalization::Mode::FromTrain) {
    pixelStats(train.images, splits.mean, splits.std);
    if (!(splits.std > 0))
      return Status::error("'", train.imagesPath,
                           "': every pixel has the same value, so its std "
                           "is 0 and cannot normalize");
  }
  // As torchvision's ToTensor and Normalize compute it, in f32.
  float lut[256];
  float mean = static_cast<float>(splits.mean);
  float std = static_cast<float>(splits.std);
  for (int v = 0; v < 256; ++v)
    lut[v] = (static_cast<float>(v) / 255.0f - mean) / std;
  TC_ASSIGN_OR_RETURN(splits.train,
                      makeDataset(train, options, lut, train.imagesPath));
  TC_ASSIGN_OR_RETURN(splits.test,
                      makeDataset(test, options, lut, test.imagesPath));
  return splits;
}

} // namespace tensorc
