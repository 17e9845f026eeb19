//===- manifest.h - The artifact's manifest, parsed and validated
//----------===//
//
// docs/artifact.md describes the JSON. Manifest::parse checks every field,
// every reference between ids and every expression, so that the rest of the
// runtime can trust these structs: an index stored here is in range.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_MANIFEST_H
#define TENSORC_MANIFEST_H

#include "tensorc/status.h"
#include "tensorc/tensor.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tensorc {

/// Values of the model's dims, indexed like Manifest::dims; 0 means unbound
/// (a bound dim is at least 1).
using DimValues = std::vector<int64_t>;

/// A size expression (docs/artifact.md, "Expressions"), parsed once and
/// evaluated in 64-bit integers with overflow checks.
class Expr {
public:
  /// The constant 0.
  Expr();
  /// Parses `text`; every identifier must be one of `dims`.
  static Expected<Expr> parse(const std::string &text,
                              const std::vector<std::string> &dims);
  static Expr constant(int64_t value);

  /// Evaluates with `dims` (see DimValues). Errors name the expression, the
  /// dim values it used and what went wrong (overflow, division by zero, a
  /// negative operand of / or %, an unbound dim).
  Expected<int64_t> evaluate(const DimValues &dims) const;

  const std::string &text() const { return text_; }
  /// The dims it names, as (index into Manifest::dims, name), by index.
  const std::vector<std::pair<size_t, std::string>> &usedDims() const {
    return usedDims_;
  }
  /// The dim index when the expression is exactly one dim name.
  std::optional<size_t> singleDim() const;
  /// The value when the expression names no dim (and evaluates).
  std::optional<int64_t> constantValue() const;

  enum class Op : uint8_t {
    Const,
    Dim,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    CeilDiv,
    Min,
    Max
  };
  /// Nodes in post order: children come before their parent, so evaluation
  /// is one loop with no recursion. The root is last.
  struct Node {
    Op op;
    int64_t value; // Const: the value; Dim: the dim index
    uint32_t lhs, rhs;
  };

private:
  std::string text_;
  std::vector<Node> nodes_;
  std::vector<std::pair<size_t, std::string>> usedDims_;
  friend class ExprParser;
};

enum class InitKind {
  Zeros,
  Ones,
  Normal,
  Uniform,
  KaimingUniform,
  KaimingNormal,
  XavierUniform,
  /// The low 32 bits of the session's seed xor its high 32 bits (an i32
  /// param: the dropout key of training steps, docs/training.md).
  Seed,
  /// Every element args[0].
  Full
};

struct ParamInit {
  InitKind kind = InitKind::Zeros;
  /// normal: {mean, std}; uniform: {lo, hi}; full: {value}; otherwise
  /// empty.
  std::vector<double> args;
  int64_t fanIn = 0, fanOut = 0; // > 0 for the fan-based kinds
};

struct ParamInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  ParamInit init;
  int64_t numel = 0;
  uint64_t bytes = 0;
};

enum class KernelArgKind { Ptr, I64 };

struct KernelInfo {
  std::string name;
  std::array<int64_t, 3> block{};
  int64_t smem = 0;
  std::vector<KernelArgKind> args;
  /// A matrix product's key for tuned tiles and its tiles, "64x64x16:16x16"
  /// (informational; `tensorc tune`).
  std::string tileKey, tiles;
};

enum class BufferKind { Input, Param, Output, Temp, View };
const char *bufferKindName(BufferKind kind);

struct BufferInfo {
  int64_t id = 0;
  BufferKind kind = BufferKind::Temp;
  Expr bytes;
  int64_t slot = -1; // temp (always) and output (optionally): its slot
  size_t viewOf = 0; // view: index of the buffer it reinterprets
};

/// A user-visible input or output.
struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<Expr> shape;
  size_t buffer = 0; // index into Entry::buffers
  /// "f32[B, 784]".
  std::string typeString() const;
};

struct EntryParam {
  size_t param = 0;  // index into Manifest::params
  size_t buffer = 0; // index into Entry::buffers
};

struct LaunchArg {
  bool isBuffer = true;
  size_t buffer = 0; // isBuffer: index into Entry::buffers
  Expr value;        // otherwise: the size expression
};

struct Step {
  enum class Op { Launch, Copy } op = Op::Launch;
  // Launch:
  size_t kernel = 0; // index into Manifest::kernels
  std::array<Expr, 3> grid;
  std::vector<LaunchArg> args;
  // Copy (indices into Entry::buffers):
  size_t src = 0, dst = 0;
  Expr bytes;
};

struct Entry {
  std::string name;
  std::vector<TensorInfo> inputs, outputs;
  std::vector<EntryParam> params;
  std::vector<BufferInfo> buffers;
  int64_t slots = 0;
  std::vector<Step> steps;
  /// Indices of the model dims that any expression of this entry names.
  std::vector<size_t> usedDims;
};

/// The model's train clause (`train FN with OPTIMIZER(...)`), when it has one.
struct TrainInfo {
  std::string fn, optimizer;
  /// The clause's learning rate: the default of `train_step`'s `lr`.
  double lr = 0;
  /// f32, or the 16-bit type of the products (bf16, f16: loss scaling;
  /// docs/training.md, "Mixed precision").
  std::string precision = "f32";
};

struct Manifest {
  int64_t version = 1;
  std::string compiler, model;
  std::string targetKind, backend, arch; // targetKind: "cuda" or "cpu"
  std::string module;
  int64_t indexBits = 64;
  std::vector<std::string> dims;
  std::vector<ParamInfo> params;
  std::vector<KernelInfo> kernels;
  std::vector<Entry> entries;
  std::optional<TrainInfo> train;

  /// Parses and validates a manifest; `source` names it in messages.
  static Expected<Manifest> parse(const std::string &text,
                                  const std::string &source = "manifest");

  bool isCuda() const { return targetKind == "cuda"; }
  const Entry *findEntry(const std::string &name) const;
  const ParamInfo *findParam(const std::string &name) const;
  /// Index into `dims`, or -1.
  int64_t findDim(const std::string &name) const;
};

} // namespace tensorc

#endif // TENSORC_MANIFEST_H
