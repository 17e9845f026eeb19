//===- smoke_main.cpp - Run a fuzz target without libFuzzer ---------------===//
//
//   tensorc-fuzz-smoke CORPUS_DIR [SECONDS]
//
// Runs the target on every file of the corpus, then on deterministic random
// mutations of them (fixed seed) until SECONDS (default 20) have passed. It
// needs no sanitizer runtime, so the test suite can run it with any compiler;
// a crash fails the test.
//
//===----------------------------------------------------------------------===//

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {
using Bytes = std::string;

void run(const Bytes &input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.data()),
                         input.size());
}

/// One random edit in the style of libFuzzer's mutators: flip, insert,
/// delete, duplicate a span, splice from another input, or insert a token.
Bytes mutate(const Bytes &in, const std::vector<Bytes> &corpus,
             std::mt19937_64 &rng) {
  static const std::string tokens[] = {
      "(",        ")",       "[",
      "]",        "{",       "}",
      ",",        "=",       "->",
      "@",        "-",       "*",
      "let ",     "return ", "fn ",
      "dim ",     "param ",  "train ",
      "model ",   "f32",     "i32",
      "bool",     "1e400",   "99999999999999999999",
      "-1",       "0",       "inf",
      "\"tanh\"", "\xff",    std::string("\0", 1),
      "reshape(", "sum(",    "concat([",
      "conv2d(",  "B*T",     "true",
      "# c\n",    "\n"};
  Bytes out = in;
  auto pos = [&](size_t n) { return n ? size_t(rng() % (n + 1)) : 0; };
  switch (rng() % 7) {
  case 0:
    if (!out.empty())
      out[rng() % out.size()] ^= char(1u << (rng() % 8));
    break;
  case 1:
    out.insert(pos(out.size()), 1, char(rng() % 256));
    break;
  case 2:
    if (!out.empty()) {
      size_t at = rng() % out.size();
      out.erase(at, std::min<size_t>(out.size() - at, 1 + rng() % 16));
    }
    break;
  case 3:
    if (!out.empty() && out.size() < (1u << 20)) {
      size_t at = rng() % out.size();
      size_t len = std::min<size_t>(out.size() - at, 1 + rng() % 64);
      out.insert(pos(out.size()), out.substr(at, len));
    }
    break;
  case 4: {
    const Bytes &other = corpus[rng() % corpus.size()];
    size_t cut = pos(out.size());
    out = out.substr(0, cut) + other.substr(pos(other.size()));
    break;
  }
  case 5: {
    const std::string &t = tokens[rng() % (sizeof(tokens) / sizeof(*tokens))];
    out.insert(pos(out.size()), t);
    break;
  }
  default:
    if (!out.empty())
      out.resize(pos(out.size()));
    break;
  }
  return out;
}
} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    llvm::errs() << "usage: " << argv[0] << " CORPUS_DIR [SECONDS]\n";
    return 2;
  }
  double seconds = argc > 2 ? std::atof(argv[2]) : 20.0;
  std::vector<Bytes> corpus;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(argv[1], ec), end; it != end && !ec;
       it.increment(ec)) {
    auto buffer = llvm::MemoryBuffer::getFile(it->path());
    if (buffer)
      corpus.push_back((*buffer)->getBuffer().str());
  }
  if (ec || corpus.empty()) {
    llvm::errs() << "error: no corpus files in '" << argv[1] << "'\n";
    return 2;
  }
  // Directory order is not stable; the seed only makes sense over a sorted
  // corpus.
  std::sort(corpus.begin(), corpus.end());
  for (const Bytes &input : corpus)
    run(input);

  std::mt19937_64 rng(0x7d51);
  auto start = std::chrono::steady_clock::now();
  uint64_t runs = 0;
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
             .count() < seconds) {
    Bytes input = corpus[rng() % corpus.size()];
    unsigned edits = 1 + rng() % 8;
    for (unsigned i = 0; i < edits; ++i)
      input = mutate(input, corpus, rng);
    run(input);
    ++runs;
  }
  llvm::outs() << "ran " << corpus.size() << " corpus inputs and " << runs
               << " mutations in " << llvm::format("%.1f", seconds) << " s\n";
  return 0;
}
