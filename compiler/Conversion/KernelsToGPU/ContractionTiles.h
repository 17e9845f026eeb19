//===- ContractionTiles.h - Tile sizes of matrix products -------*- C++ -*-===//
//
// How a contraction kernel splits its output among blocks and threads, the
// heuristic that picks it from the product's static sizes and the GPU
// architecture, and the checks on sizes a user gives (--tile-sizes).
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_CONVERSION_KERNELSTOGPU_CONTRACTIONTILES_H
#define TENSORC_CONVERSION_KERNELSTOGPU_CONTRACTIONTILES_H

#include "mlir/IR/Types.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tensorc::kernels {

/// A block computes an m x n output tile, staging k-deep slices of its
/// operands through workgroup memory (GPU); threadsM x threadsN threads each
/// hold (m / threadsM) x (n / threadsN) accumulators. On the CPU a block is
/// one thread and k is unused (the whole K loop runs over an m x n tile).
///
/// Tensor-core tiles (`mma`: mma.sync m16n8k16, f16/bf16 inputs, f32
/// accumulators) are computed by warps instead: threadsM warps down M and
/// threadsN / 32 warps across N, each warp owning an (m / warpsM()) x
/// (n / warpsN()) part of the tile.
struct ContractionTiles {
  int64_t m = 64, n = 64, k = 16;
  int64_t threadsM = 16, threadsN = 16;
  bool mma = false;

  int64_t warpsM() const { return threadsM; }
  int64_t warpsN() const { return threadsN / 32; }

  int64_t threads() const { return threadsM * threadsN; }
  bool operator==(const ContractionTiles &o) const {
    return m == o.m && n == o.n && k == o.k && threadsM == o.threadsM &&
           threadsN == o.threadsN && mma == o.mma;
  }
};

/// The tiles for a product with static sizes m, n, k (ShapedType::kDynamic
/// where a size is symbolic) on a GPU of compute capability `sm` (90 for
/// sm_90), or on the CPU. docs/codegen.md lists the rules.
ContractionTiles chooseContractionTiles(bool cpu, int64_t sm, int64_t m,
                                        int64_t n, int64_t k);

/// Tensor-core tiles for a product with static sizes m, n, k (kDynamic where
/// symbolic) whose operands are f16 or bf16 and whose accumulator is f32, on
/// sm_80 or newer. docs/codegen.md ("Tensor cores") lists the rules.
ContractionTiles chooseMmaTiles(int64_t m, int64_t n, int64_t k);

/// Tiles from user-given sizes {m, n, k}: picks the threads and checks that
/// the emitter can use them; otherwise `error` says why not.
std::optional<ContractionTiles>
tilesFromSizes(bool cpu, llvm::ArrayRef<int64_t> sizes, std::string &error);

/// What identifies a product for tuned tiles (`tensorc tune`): the target
/// ("cpu" or the arch, "sm_90"), the operand types and the static sizes,
/// "?" where symbolic, e.g. "sm_90/bf16/?x256x784". Products of one key
/// share their tuned tiles.
std::string contractionKey(llvm::StringRef target, mlir::Type a, mlir::Type b,
                           int64_t m, int64_t n, int64_t k);

/// The widest operand element of a product key, in bytes.
int64_t keyOperandBytes(llvm::StringRef key);

/// Tiles as tuned-tile tables write them: "MxNxK:TMxTN" (threads), or
/// "mma:MxNxK:WMxWN" (warps) for tensor-core tiles.
std::string formatTiles(const ContractionTiles &t);
/// The tiles `text` (formatTiles' form) names, if the emitter can use them
/// for operands of `aBytes` and `bBytes` bytes on the CPU or a GPU;
/// otherwise `error` says why not.
std::optional<ContractionTiles> parseTiles(llvm::StringRef text, bool cpu,
                                           int64_t aBytes, int64_t bBytes,
                                           std::string &error);
/// The tiles `tensorc tune` tries for a product (the heuristic's choice is
/// tried as well): a fixed list per target and kind, each valid for it.
std::vector<ContractionTiles> candidateTiles(bool cpu, bool mma);

/// 90 for "sm_90" or "sm_90a"; nullopt for anything else.
std::optional<int64_t> parseSmVersion(llvm::StringRef arch);

/// Workgroup memory of a GPU tile for operands of these byte widths.
int64_t tileWorkgroupBytes(const ContractionTiles &t, int64_t aBytes,
                           int64_t bBytes);

/// Static workgroup memory a kernel may use on every GPU we target.
constexpr int64_t kMaxStaticWorkgroupBytes = 48 * 1024;

} // namespace tensorc::kernels

#endif // TENSORC_CONVERSION_KERNELSTOGPU_CONTRACTIONTILES_H
