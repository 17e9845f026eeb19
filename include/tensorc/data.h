//===- data.h - Data sets and batching for training -----------------------===//
//
// What `tensorc train` feeds a model: Fashion-MNIST (IDX files, gzip or
// not), inputs and labels from .npy files, and character-level text windows
// for language models; seeded, reproducible shuffling and batching into
// reusable buffers. docs/data.md describes the formats, normalization and
// the exact shuffling and sampling streams.
//
// Every dataset is loaded and validated up front; iterating cannot fail.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_DATA_H
#define TENSORC_DATA_H

#include "tensorc/manifest.h"
#include "tensorc/status.h"
#include "tensorc/tensor.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tensorc {

//===----------------------------------------------------------------------===//
// Files: gzip and IDX
//===----------------------------------------------------------------------===//

/// Where Debian's dataset-fashion-mnist installs the files.
inline constexpr const char *kFashionMnistDir =
    "/usr/share/datasets/fashion-mnist";

/// Whether this build reads gzip files (zlib was found when it was built).
bool haveGzip();
/// Whether `bytes` starts with the gzip magic (1f 8b).
bool isGzip(const std::string &bytes);
/// Decompresses gzip data; concatenated members are read as gzip does. A
/// truncated stream, a bad checksum and trailing bytes that are not another
/// member are errors naming `source`.
Expected<std::string> gunzip(const std::string &bytes,
                             const std::string &source = "gzip data");

/// An IDX array of unsigned bytes, the element type of the MNIST family.
struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> data; // row-major, numel(dims) bytes
};
/// Decodes an (uncompressed) IDX file: magic 00 00 08 RANK, RANK big-endian
/// u32 dims, then exactly the bytes the dims announce.
Expected<IdxArray> decodeIdx(const std::string &bytes,
                             const std::string &source = "IDX data");
/// Reads an IDX file, decompressing it when it starts with the gzip magic.
Expected<IdxArray> readIdx(const std::string &path);

//===----------------------------------------------------------------------===//
// In-memory datasets and batching
//===----------------------------------------------------------------------===//

/// Examples in memory: every field has the example count as its first dim.
/// A classifier's dataset has two fields, inputs then labels; loadDataset
/// names them after the loss function's inputs (e.g. "x" and "y").
class TensorDataset {
public:
  TensorDataset() = default;
  /// Fails unless every field has rank >= 1 and the same first dim. Fields
  /// are named "0", "1", ... until setFieldNames.
  static Expected<TensorDataset> create(std::vector<HostTensor> fields,
                                        std::string name = "dataset");

  int64_t size() const { return size_; }
  const std::vector<HostTensor> &fields() const { return fields_; }
  const std::vector<std::string> &fieldNames() const { return fieldNames_; }
  /// One distinct name per field.
  Status setFieldNames(std::vector<std::string> names);
  const std::string &name() const { return name_; }

private:
  std::vector<HostTensor> fields_;
  std::vector<std::string> fieldNames_;
  int64_t size_ = 0;
  std::string name_;
};

/// The order of epoch `epoch` under `seed`: a permutation of [0, n) by
/// Fisher-Yates on a Philox4x32-10 stream, the same on every machine, and a
/// function of (n, seed, epoch) alone, so that a run can resume anywhere.
std::vector<int64_t> shuffledOrder(int64_t n, uint64_t seed, uint64_t epoch);

struct BatchOptions {
  int64_t batchSize = 64;
  /// Shuffle each epoch (shuffledOrder); otherwise examples in order.
  bool shuffle = true;
  uint64_t seed = 0;
  /// Skip the last batch when it is smaller than batchSize.
  bool dropLast = false;
};

/// One batch. Its tensors belong to the loader that made it and are reused
/// for the next batch.
struct Batch {
  uint64_t epoch = 0;
  /// The batch's position in its epoch (for a text sampler: the step).
  int64_t index = 0;
  /// Examples in it: the batch size, or fewer for an epoch's last batch.
  int64_t size = 0;
  /// One per dataset field, each with first dim `size`.
  std::vector<HostTensor> tensors;
  /// The dataset's field names when the loader was made (TextBatchSampler:
  /// none).
  std::vector<std::string> names;

  /// The tensors by name (copies), as Session::run takes its inputs; a
  /// tensor with no name is keyed by its position ("0", "1", ...).
  std::map<std::string, HostTensor> named() const;
};

/// Gathers batches of a TensorDataset, which must outlive it and which it
/// reads its field names from once, at create(). Two buffers are allocated
/// (full and last partial batch), never one per batch.
///
///   for (uint64_t e = 0; e < epochs; ++e) {
///     loader.seek(e);
///     while (const Batch *b = loader.next()) ...
///   }
class BatchLoader {
public:
  static Expected<BatchLoader> create(const TensorDataset &dataset,
                                      const BatchOptions &options);

  int64_t batchesPerEpoch() const { return batchesPerEpoch_; }
  const BatchOptions &options() const { return options_; }
  /// Positions the loader before batch `index` of `epoch`; step s of a run
  /// is seek(s / batchesPerEpoch(), s % batchesPerEpoch()).
  Status seek(uint64_t epoch, int64_t index = 0);
  /// The next batch of the current epoch, or null at its end. The batch is
  /// valid until the next call.
  const Batch *next();

private:
  const TensorDataset *dataset_ = nullptr;
  BatchOptions options_;
  int64_t batchesPerEpoch_ = 0;
  uint64_t epoch_ = 0;
  int64_t nextIndex_ = 0;
  std::vector<int64_t> order_;
  Batch full_, partial_;
};

//===----------------------------------------------------------------------===//
// Image classification: Fashion-MNIST, and .npy files
//===----------------------------------------------------------------------===//

/// Pixels are scaled to [0, 1] (p / 255, in f32), then optionally
/// standardized: (x - mean) / std.
struct Normalization {
  enum class Mode {
    None,     ///< [0, 1] only
    Fixed,    ///< the given mean and std (default: Fashion-MNIST's)
    FromTrain ///< mean and std (population) of the train split's pixels
  };
  Mode mode = Mode::Fixed;
  double mean = 0.2860;
  double std = 0.3530;
};

struct ImageDatasetOptions {
  /// Holds {train,t10k}-{images-idx3,labels-idx1}-ubyte, each with ".gz"
  /// or without.
  std::string dir = kFashionMnistDir;
  /// Shape of one example as the model's input wants it: {1, 28, 28} for
  /// f32[B, 1, 28, 28], {784} for f32[B, 784]; it must hold rows * cols.
  std::vector<int64_t> exampleShape = {1, 28, 28};
  /// I32 or I64.
  DType labelType = DType::I32;
  Normalization normalization;
  /// Labels must be below this.
  int64_t numClasses = 10;
};

/// A train and a test split. `test` is empty (size 0) when a source has none.
struct DatasetSplits {
  TensorDataset train, test;
  /// The standardization applied after scaling (0 and 1 when none).
  double mean = 0, std = 1;
};

/// Fashion-MNIST (or MNIST, in the same layout): images f32, labels
/// labelType.
Expected<DatasetSplits> loadFashionMnist(const ImageDatasetOptions &options);

struct NpyDatasetOptions {
  /// When not empty: reshape each input example to this (same numel).
  std::vector<int64_t> exampleShape;
  /// Convert inputs and labels to these (integers must convert exactly);
  /// kept as stored when unset.
  std::optional<DType> inputType, labelType;
  /// When > 0: integer labels must lie in [0, numClasses).
  int64_t numClasses = 0;
};

/// Inputs and labels from two .npy files with the same first dim.
Expected<TensorDataset> loadNpyDataset(const std::string &inputsPath,
                                       const std::string &labelsPath,
                                       const NpyDatasetOptions &options = {});
/// DIR/x.npy and DIR/y.npy, and DIR/x_test.npy and DIR/y_test.npy as the
/// test split when both exist.
Expected<DatasetSplits> loadNpyDir(const std::string &dir,
                                   const NpyDatasetOptions &options = {});

//===----------------------------------------------------------------------===//
// Character-level text
//===----------------------------------------------------------------------===//

/// Maps characters (Unicode code points) to token ids 0..size()-1.
class CharVocab {
public:
  /// '\n' and the 95 printable ASCII characters ' '..'~', ids in code-point
  /// order ('\n' = 0, ' ' = 1, 'A' = 34, '~' = 95): 96 ids, tiny_gpt's V.
  /// Unknown characters become '?'.
  static CharVocab printableAscii();
  /// The characters of `alphabet` (UTF-8, each once), ids in that order.
  /// `unknown` must be one of them.
  static Expected<CharVocab> fromAlphabet(const std::string &alphabet,
                                          char32_t unknown);

  int64_t size() const { return static_cast<int64_t>(chars_.size()); }
  /// The id of `c`: its own when in the vocabulary, else the id of its
  /// fold (docs/data.md: tab -> space, typographic quotes and dashes ->
  /// ASCII, no-break space -> space), else the unknown character's.
  int32_t idOf(char32_t c) const;
  char32_t charOf(int32_t id) const { return chars_[id]; }
  /// Tokenizes UTF-8: "\r\n" and "\r" read as "\n"; an invalid byte reads as
  /// an unknown character.
  std::vector<int32_t> encode(const std::string &text) const;
  /// The UTF-8 text of `ids` (all in range).
  std::string decode(const std::vector<int32_t> &ids) const;

private:
  std::vector<char32_t> chars_;
  std::unordered_map<char32_t, int32_t> ids_;
  int32_t unknown_ = 0;
};

/// The tokens of one split of a text.
class TextDataset {
public:
  TextDataset() = default;
  /// Needs context + 1 tokens at least: a window and its shifted target.
  static Expected<TextDataset> create(std::vector<int32_t> tokens,
                                      int64_t context,
                                      std::string name = "text");

  const std::vector<int32_t> &tokens() const { return tokens_; }
  int64_t context() const { return context_; }
  const std::string &name() const { return name_; }
  /// Number of window offsets: tokens - context.
  int64_t numOffsets() const {
    return static_cast<int64_t>(tokens_.size()) - context_;
  }
  /// The offset of row `row` of batch `step` under `seed`: uniform in
  /// [0, numOffsets()), a function of (seed, step, row) alone.
  int64_t windowOffset(uint64_t seed, uint64_t step, int64_t row) const;

private:
  std::vector<int32_t> tokens_;
  int64_t context_ = 0;
  std::string name_;
};

struct TextDatasetOptions {
  /// The model's vocabulary size: the vocabulary must fit in it.
  int64_t vocabSize = 96;
  /// T, the window length.
  int64_t context = 64;
  /// The last fraction of the tokens is the validation split.
  double validationFraction = 0.1;
};

struct TextSplits {
  CharVocab vocab;
  TextDataset train, validation;
};

/// A text file tokenized with `vocab` (printable ASCII by default).
Expected<TextSplits>
loadTextDataset(const std::string &path, const TextDatasetOptions &options = {},
                const CharVocab &vocab = CharVocab::printableAscii());

/// The windows of `text` as a dataset of two fields, ids and targets, both
/// idType [N, T] (T = text.context()): example k is tokens [o, o + T) and
/// tokens [o + 1, o + T + 1) with o = k * stride, for every such window that
/// fits (N = (tokens - 1 - T) / stride + 1).
Expected<TensorDataset> windowDataset(const TextDataset &text, int64_t stride,
                                      DType idType = DType::I32);

/// Batches of random windows: tensors[0] = ids [B, T], tensors[1] = targets
/// [B, T] (the same window one token later), both idType (I32 or I64).
/// Batch `step` is a function of (seed, step) alone.
class TextBatchSampler {
public:
  static Expected<TextBatchSampler> create(const TextDataset &dataset,
                                           int64_t batchSize, uint64_t seed,
                                           DType idType = DType::I32);
  /// Valid until the next call.
  const Batch &sample(uint64_t step);

private:
  const TextDataset *dataset_ = nullptr;
  uint64_t seed_ = 0;
  Batch batch_;
};

//===----------------------------------------------------------------------===//
// Command-line data specs, loaded for a model's inputs
//===----------------------------------------------------------------------===//

/// `--data` of `tensorc train`: "fashion-mnist[:DIR]", "npy:DIR" (see
/// loadNpyDir) or "text:FILE".
struct DataSpec {
  enum class Kind { FashionMnist, Npy, Text };
  Kind kind = Kind::FashionMnist;
  std::string path; // the default dir for a bare "fashion-mnist"
};
Expected<DataSpec> parseDataSpec(const std::string &spec);

/// One data input of the function being trained, as a dataset must supply
/// it.
struct InputSpec {
  std::string name;
  DType dtype = DType::F32;
  /// The input's shape without its leading batch dim: {784}, {1, 28, 28},
  /// {} for class labels, {64} for a window of text.
  std::vector<int64_t> exampleShape;
};
/// The InputSpec of a manifest input: its first dim must be a dim name (the
/// batch, bound per batch), every other dim a constant.
Expected<InputSpec> inputSpecOf(const TensorInfo &input);

struct LoadOptions {
  /// Images (fashion-mnist).
  Normalization normalization;
  /// Integer labels must lie in [0, numClasses); 0: 10 for fashion-mnist,
  /// unchecked for npy.
  int64_t numClasses = 0;
  /// Text: the model's vocabulary size, which the vocabulary must fit.
  int64_t vocabSize = 96;
  /// Text: offset between consecutive windows; 0 means the window length.
  int64_t textStride = 0;
  /// Text: the last fraction of the tokens is the test split.
  double textValidationFraction = 0.1;
};

/// Loads `spec` for a function whose data inputs are `inputs`, in this
/// order: the model input and the labels (fashion-mnist, npy), or the token
/// ids and the targets (text, each [T]: windowDataset of loadTextDataset's
/// splits with the printable-ASCII vocabulary). Every split's fields have the
/// inputs' dtypes and example shapes and are named after them; a mismatch
/// that cannot be converted is an error naming the input.
Expected<DatasetSplits> loadDataset(const DataSpec &spec,
                                    const std::vector<InputSpec> &inputs,
                                    const LoadOptions &options = {});

} // namespace tensorc

#endif // TENSORC_DATA_H
