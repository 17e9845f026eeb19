//===- TextDatasetTest.cpp - Character tokenizer and text windows ---------===//

#include "DataTestUtil.h"

#include <algorithm>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

#define EXPECT_ERROR_HAS(result, text)                                         \
  EXPECT_NE(errorOf(result).find(text), std::string::npos) << errorOf(result)

TEST(CharVocabTest, PrintableAsciiInCodePointOrder) {
  CharVocab vocab = CharVocab::printableAscii();
  EXPECT_EQ(vocab.size(), 96);
  EXPECT_EQ(vocab.idOf('\n'), 0);
  EXPECT_EQ(vocab.idOf(' '), 1);
  EXPECT_EQ(vocab.idOf('A'), 34);
  EXPECT_EQ(vocab.idOf('a'), 66);
  EXPECT_EQ(vocab.idOf('~'), 95);
  EXPECT_EQ(vocab.charOf(34), U'A');
  std::string text = "Hello, World!\n  {x: [1, 2]} ~`|\\\"'";
  std::vector<int32_t> ids = vocab.encode(text);
  EXPECT_EQ(ids.size(), text.size());
  EXPECT_EQ(vocab.decode(ids), text);
}

TEST(CharVocabTest, MapsOtherCharactersDeterministically) {
  CharVocab vocab = CharVocab::printableAscii();
  // Line ends, tab, typographic punctuation, then characters with no
  // stand-in ('?'), an invalid byte and a truncated sequence.
  std::string text = "a\r\nb\rc\td\xC2\xA0"
                     "\xE2\x80\x9Cq\xE2\x80\x9D \xE2\x80\x98s\xE2\x80\x99 "
                     "\xE2\x80\x94-\xE2\x80\x93 "
                     "caf\xC3\xA9 \xF0\x9F\x98\x80 \xFF \xC0\xAF \xE2\x80";
  EXPECT_EQ(vocab.decode(vocab.encode(text)),
            "a\nb\nc d \"q\" 's' --- caf? ? ? ?? ??");
  EXPECT_EQ(vocab.encode("\xE2\x80\x9C"), vocab.encode("\""));
}

TEST(CharVocabTest, CustomAlphabets) {
  TC_ASSERT_OK_AND_ASSIGN(CharVocab vocab,
                          CharVocab::fromAlphabet("ba\xC3\xA9_", U'_'));
  EXPECT_EQ(vocab.size(), 4);
  EXPECT_EQ(vocab.encode("abc\xC3\xA9\t"),
            (std::vector<int32_t>{1, 0, 3, 2, 3}));
  EXPECT_EQ(vocab.decode({2, 1}), "\xC3\xA9"
                                  "a");
  EXPECT_ERROR_HAS(CharVocab::fromAlphabet("abca", U'a'),
                   "the alphabet has the character U+0061 twice");
  EXPECT_ERROR_HAS(CharVocab::fromAlphabet("abc", U'?'),
                   "the character for unknown ones (U+003F) is not in the "
                   "alphabet");
  EXPECT_ERROR_HAS(CharVocab::fromAlphabet("ab\xFF", U'a'),
                   "the alphabet is not valid UTF-8 (byte 2)");
}

/// Tokens 0, 1, ..., n - 1 (mod 96).
TextDataset counting(int64_t n, int64_t context) {
  std::vector<int32_t> tokens(n);
  for (int64_t i = 0; i < n; ++i)
    tokens[i] = static_cast<int32_t>(i % 96);
  return *TextDataset::create(std::move(tokens), context, "counting");
}

TEST(TextDatasetTest, WindowsAndShiftedTargets) {
  const int64_t T = 8, B = 5;
  TextDataset dataset = counting(1000 + T, T);
  ASSERT_EQ(dataset.numOffsets(), 1000);
  // From the Python implementation of docs/data.md's definition.
  std::vector<int64_t> step3 = {523, 486, 771, 757, 383};
  std::vector<int64_t> step4 = {806, 382, 475, 844, 494};
  for (int64_t row = 0; row < B; ++row) {
    EXPECT_EQ(dataset.windowOffset(7, 3, row), step3[row]);
    EXPECT_EQ(dataset.windowOffset(7, 4, row), step4[row]);
  }
  for (DType idType : {DType::I32, DType::I64}) {
    TC_ASSERT_OK_AND_ASSIGN(TextBatchSampler sampler,
                            TextBatchSampler::create(dataset, B, 7, idType));
    // Step 3 is the same whatever came before it.
    for (uint64_t step : {3, 4, 3}) {
      const Batch &batch = sampler.sample(step);
      EXPECT_EQ(batch.index, static_cast<int64_t>(step));
      EXPECT_EQ(batch.size, B);
      ASSERT_EQ(batch.tensors.size(), 2u);
      EXPECT_EQ(batch.tensors[0].typeString(),
                std::string(dtypeName(idType)) + "[5, 8]");
      EXPECT_EQ(batch.tensors[1].typeString(),
                std::string(dtypeName(idType)) + "[5, 8]");
      const std::vector<int64_t> &offsets = step == 3 ? step3 : step4;
      for (int64_t row = 0; row < B; ++row)
        for (int64_t i = 0; i < T; ++i) {
          int64_t id, target;
          if (idType == DType::I32) {
            id = batch.tensors[0].data<int32_t>()[row * T + i];
            target = batch.tensors[1].data<int32_t>()[row * T + i];
          } else {
            id = batch.tensors[0].data<int64_t>()[row * T + i];
            target = batch.tensors[1].data<int64_t>()[row * T + i];
          }
          EXPECT_EQ(id, (offsets[row] + i) % 96);
          EXPECT_EQ(target, (offsets[row] + i + 1) % 96);
        }
    }
  }
}

TEST(TextDatasetTest, OffsetsCoverTheText) {
  // 11 tokens and T = 8: offsets 0, 1, 2, each about a third of the time.
  TextDataset dataset = counting(11, 8);
  std::vector<int> counts(3);
  for (uint64_t step = 0; step < 3000; ++step)
    for (int64_t row = 0; row < 4; ++row) {
      int64_t o = dataset.windowOffset(1, step, row);
      ASSERT_GE(o, 0);
      ASSERT_LT(o, 3);
      ++counts[o];
    }
  for (int c : counts) {
    EXPECT_GT(c, 3700);
    EXPECT_LT(c, 4300);
  }
  // The last offset's target is the last token.
  TC_ASSERT_OK_AND_ASSIGN(TextBatchSampler sampler,
                          TextBatchSampler::create(dataset, 64, 1));
  const Batch &batch = sampler.sample(0);
  bool sawLast = false;
  for (int64_t row = 0; row < 64; ++row)
    sawLast |= batch.tensors[1].data<int32_t>()[row * 8 + 7] == 10;
  EXPECT_TRUE(sawLast);
}

TEST(TextDatasetTest, RejectsBadSizes) {
  EXPECT_ERROR_HAS(TextDataset::create({1, 2, 3}, 3, "short"),
                   "short: 3 tokens are too few for windows of 3 tokens and "
                   "their targets (at least 4 are needed)");
  EXPECT_ERROR_HAS(TextDataset::create({1, 2, 3}, 0, "zero"),
                   "the context length must be positive");
  TextDataset dataset = counting(20, 4);
  EXPECT_ERROR_HAS(TextBatchSampler::create(dataset, 0, 1),
                   "the batch size must be positive");
  EXPECT_ERROR_HAS(TextBatchSampler::create(dataset, 2, 1, DType::F32),
                   "token ids must be i32 or i64, not f32");
}

TEST(TextDatasetTest, LoadsTheShippedText) {
  std::string path =
      std::string(TENSORC_SOURCE_DIR) + "/examples/data/kjv-genesis.txt";
  TextDatasetOptions options; // tiny_gpt: V = 96, T = 64
  TC_ASSERT_OK_AND_ASSIGN(TextSplits splits, loadTextDataset(path, options));
  EXPECT_EQ(splits.vocab.size(), 96);
  int64_t train = static_cast<int64_t>(splits.train.tokens().size());
  int64_t validation = static_cast<int64_t>(splits.validation.tokens().size());
  // 193261 ASCII bytes, no carriage returns: one token each.
  EXPECT_EQ(train + validation, 193261);
  EXPECT_EQ(validation, 19326);
  EXPECT_EQ(splits.train.context(), 64);
  std::vector<int32_t> head(splits.train.tokens().begin(),
                            splits.train.tokens().begin() + 60);
  EXPECT_EQ(splits.vocab.decode(head),
            "\nGenesis 1\n\n  1 In the beginning God created the heaven and ");
  int32_t unknown = splits.vocab.idOf(0x1F600);
  int64_t unknowns = 0;
  for (const TextDataset *d : {&splits.train, &splits.validation})
    unknowns += std::count(d->tokens().begin(), d->tokens().end(), unknown);
  // The text's own 146 question marks, and no unknown characters.
  EXPECT_EQ(unknowns, 146);

  options.vocabSize = 95;
  EXPECT_ERROR_HAS(loadTextDataset(path, options),
                   "a vocabulary of 96 characters does not fit the model's "
                   "vocabulary size 95");
  options.vocabSize = 96;
  options.validationFraction = 1;
  EXPECT_ERROR_HAS(loadTextDataset(path, options),
                   "the validation fraction must be in [0, 1)");
  options.validationFraction = 0;
  TC_ASSERT_OK_AND_ASSIGN(TextSplits all, loadTextDataset(path, options));
  EXPECT_EQ(all.train.tokens().size(), 193261u);
  EXPECT_TRUE(all.validation.tokens().empty());
  EXPECT_ERROR_HAS(loadTextDataset(path + ".missing", options),
                   "cannot open '" + path + ".missing'");
}

TEST(TextDatasetTest, SmallTextsAndTheirSplits) {
  std::string dir = makeTempDir();
  ASSERT_FALSE(dir.empty());
  ASSERT_TRUE(writeBytes(dir + "/t.txt", "abc\r\ndef\r\nghi\r\njkl\r\n"));
  TextDatasetOptions options;
  options.context = 4;
  options.validationFraction = 0.25;
  // 16 tokens: 12 for training, 4 for validation, too few for a window.
  EXPECT_ERROR_HAS(loadTextDataset(dir + "/t.txt", options),
                   "(validation split): 4 tokens are too few");
  options.context = 3;
  TC_ASSERT_OK_AND_ASSIGN(TextSplits splits,
                          loadTextDataset(dir + "/t.txt", options));
  EXPECT_EQ(splits.vocab.decode(splits.train.tokens()), "abc\ndef\nghi\n");
  EXPECT_EQ(splits.vocab.decode(splits.validation.tokens()), "jkl\n");
}

} // namespace
