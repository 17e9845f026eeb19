//===- LoadDataset.cpp - A --data spec, shaped for the model's inputs -----===//
//
// The one call `tensorc train` makes: it turns the loss function's data
// inputs into InputSpecs and gets splits whose fields fit them, so that its
// loop is the same for images, .npy files and text.
//
//===----------------------------------------------------------------------===//

#include "DataInternal.h"
#include "Support.h"

namespace tensorc {

Expected<InputSpec> inputSpecOf(const TensorInfo &input) {
  if (input.shape.empty() || !input.shape[0].singleDim())
    return Status::error("input '", input.name, "' (", input.typeString(),
                         ") cannot be fed from a dataset: its first dim must "
                         "be the batch dim, a dim name such as B");
  InputSpec spec;
  spec.name = input.name;
  spec.dtype = input.dtype;
  for (size_t i = 1; i < input.shape.size(); ++i) {
    std::optional<int64_t> dim = input.shape[i].constantValue();
    if (!dim)
      return Status::error("input '", input.name, "' (", input.typeString(),
                           ") cannot be fed from a dataset: only its first "
                           "dim may be a dim name, '",
                           input.shape[i].text(), "' is one");
    spec.exampleShape.push_back(*dim);
  }
  return spec;
}

namespace {

std::string typeOf(const InputSpec &input) {
  std::vector<int64_t> shape = {0};
  shape.insert(shape.end(), input.exampleShape.begin(),
               input.exampleShape.end());
  std::string dims = shapeString(shape);
  return std::string(dtypeName(input.dtype)) + "[B" + dims.substr(2);
}

std::string describe(const InputSpec &input) {
  return "input '" + input.name + "' (" + typeOf(input) + ")";
}

bool isIndexType(DType dtype) {
  return dtype == DType::I32 || dtype == DType::I64;
}

Expected<DatasetSplits> loadFashion(const DataSpec &spec,
                                    const std::vector<InputSpec> &inputs,
                                    const LoadOptions &options) {
  const InputSpec &x = inputs[0], &y = inputs[1];
  if (x.dtype != DType::F32)
    return Status::error("fashion-mnist gives f32 images, but the model's ",
                         describe(x), " is not f32");
  if (!y.exampleShape.empty() || !isIndexType(y.dtype))
    return Status::error("fashion-mnist gives one class label per image, "
                         "but the model's ",
                         describe(y), " is not i32[B] or i64[B]");
  ImageDatasetOptions image;
  image.dir = spec.path;
  image.exampleShape = x.exampleShape;
  image.labelType = y.dtype;
  image.normalization = options.normalization;
  image.numClasses = options.numClasses > 0 ? options.numClasses : 10;
  auto splits = loadFashionMnist(image);
  if (!splits.ok() &&
      splits.status().message().find("do not fit") != std::string::npos)
    return splits.status().withContext("the model's " + describe(x));
  return splits;
}

Expected<DatasetSplits> loadNpy(const DataSpec &spec,
                                const std::vector<InputSpec> &inputs,
                                const LoadOptions &options) {
  NpyDatasetOptions npy;
  npy.exampleShape = inputs[0].exampleShape;
  npy.inputType = inputs[0].dtype;
  npy.labelType = inputs[1].dtype;
  if (isIndexType(inputs[1].dtype))
    npy.numClasses = options.numClasses;
  return loadNpyDir(spec.path, npy);
}

Expected<DatasetSplits> loadText(const DataSpec &spec,
                                 const std::vector<InputSpec> &inputs,
                                 const LoadOptions &options) {
  for (const InputSpec &input : inputs)
    if (input.exampleShape.size() != 1 || !isIndexType(input.dtype))
      return Status::error("text gives windows of token ids, but the "
                           "model's ",
                           describe(input), " is not i32[B, T] or i64[B, T]");
  if (inputs[0].exampleShape != inputs[1].exampleShape ||
      inputs[0].dtype != inputs[1].dtype)
    return Status::error("the model's ", describe(inputs[0]), " and ",
                         describe(inputs[1]),
                         " differ; text gives windows and targets of the same "
                         "type");
  TextDatasetOptions text;
  text.vocabSize = options.vocabSize;
  text.context = inputs[0].exampleShape[0];
  text.validationFraction = options.textValidationFraction;
  TC_ASSIGN_OR_RETURN(TextSplits tokens, loadTextDataset(spec.path, text));
  int64_t stride = options.textStride > 0 ? options.textStride : text.context;
  DatasetSplits splits;
  TC_ASSIGN_OR_RETURN(splits.train,
                      windowDataset(tokens.train, stride, inputs[0].dtype));
  if (!tokens.validation.tokens().empty()) {
    TC_ASSIGN_OR_RETURN(
        splits.test, windowDataset(tokens.validation, stride, inputs[0].dtype));
  }
  return splits;
}

/// Checks that field i of `dataset` fits inputs[i] (npy labels of the wrong
/// shape get here) and names it after it.
Status conform(TensorDataset &dataset, const std::vector<InputSpec> &inputs,
               const std::string &what) {
  std::vector<std::string> names;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const HostTensor &field = dataset.fields()[i];
    std::vector<int64_t> example(field.shape().begin() + 1,
                                 field.shape().end());
    if (example != inputs[i].exampleShape || field.dtype() != inputs[i].dtype)
      return Status::error(what, " gives ", field.typeString(),
                           " (examples of shape ", shapeString(example),
                           ") for the model's ", describe(inputs[i]));
    names.push_back(inputs[i].name);
  }
  return dataset.setFieldNames(std::move(names));
}

} // namespace

Expected<DatasetSplits> loadDataset(const DataSpec &spec,
                                    const std::vector<InputSpec> &inputs,
                                    const LoadOptions &options) {
  const char *kind = spec.kind == DataSpec::Kind::FashionMnist ? "fashion-mnist"
                     : spec.kind == DataSpec::Kind::Npy        ? "npy"
                                                               : "text";
  std::string what = std::string(kind) + ":" + spec.path;
  if (inputs.size() != 2) {
    std::string names;
    for (const InputSpec &input : inputs)
      names += (names.empty() ? "" : ", ") + input.name;
    return Status::error(
        "'", what, "' gives two tensors per example (",
        spec.kind == DataSpec::Kind::Text ? "token ids and targets"
                                          : "an input and its label",
        "), but the model takes ", inputs.size(), " data inputs (", names, ")");
  }
  Expected<DatasetSplits> splits = Status::error("unreachable");
  switch (spec.kind) {
  case DataSpec::Kind::FashionMnist:
    splits = loadFashion(spec, inputs, options);
    break;
  case DataSpec::Kind::Npy:
    splits = loadNpy(spec, inputs, options);
    break;
  case DataSpec::Kind::Text:
    splits = loadText(spec, inputs, options);
    break;
  }
  if (!splits)
    return splits;
  TC_RETURN_IF_ERROR(conform(splits->train, inputs, "'" + what + "'"));
  if (!splits->test.fields().empty())
    TC_RETURN_IF_ERROR(
        conform(splits->test, inputs, "'" + what + "' (test split)"));
  return splits;
}

} // namespace tensorc
