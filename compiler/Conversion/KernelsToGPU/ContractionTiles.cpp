//===- ContractionTiles.cpp - Tile sizes of matrix-product kernels --------===//
//
// The heuristic is deliberately small and untuned (no GPU has measured it
// yet): square 64x64 tiles by default; narrow tiles where the static N or M
// is small, so that a 10-class head does not leave most threads idle; larger
// 128x128 tiles for big products on sm_80 and newer, which have the
// registers and bandwidth to feed them.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/KernelsToGPU/ContractionTiles.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MathExtras.h"

namespace tensorc::kernels {

using mlir::ShapedType;

namespace {
constexpr int64_t kCpuTile = 32;
/// Accumulators per thread beyond which registers spill.
constexpr int64_t kMaxAccumulators = 64;

bool known(int64_t size) { return !ShapedType::isDynamic(size); }

ContractionTiles gpuTiles(int64_t m, int64_t n, int64_t k, int64_t tm,
                          int64_t tn) {
  ContractionTiles t;
  t.m = m;
  t.n = n;
  t.k = k;
  t.threadsM = tm;
  t.threadsN = tn;
  return t;
}
} // namespace

ContractionTiles chooseContractionTiles(bool cpu, int64_t sm, int64_t m,
                                        int64_t n, int64_t k) {
  if (cpu) {
    ContractionTiles t;
    t.m = t.n = t.k = kCpuTile;
    t.threadsM = t.threadsN = 1;
    return t;
  }
  // A narrow output: one warp-row of 8 threads spans N, blocks run tall.
  if (known(n) && n <= 16)
    return gpuTiles(128, 16, 16, 32, 8);
  if (known(n) && n <= 32)
    return gpuTiles(64, 32, 16, 16, 16);
  // A short output (M static and small, e.g. a GEMV-like product).
  if (known(m) && m <= 16)
    return gpuTiles(16, 128, 16, 8, 32);
  // Large products: 8x8 accumulators per thread double the arithmetic per
  // staged element.
  bool large = known(n) && n >= 1024 && (!known(m) || m >= 1024) &&
               (!known(k) || k >= 256);
  if (sm >= 80 && large)
    return gpuTiles(128, 128, 8, 16, 16);
  return gpuTiles(64, 64, 16, 16, 16);
}

ContractionTiles chooseMmaTiles(int64_t m, int64_t n, int64_t k) {
  // Warp tiles are multiples of 16 x 8 (one mma.sync); K steps of 32 are two
  // mma.sync deep. Shapes follow the scalar rules: narrow tiles for a small
  // N or M, 128 x 128 for large products.
  auto mmaTiles = [](int64_t tm, int64_t tn, int64_t warpsM, int64_t warpsN) {
    ContractionTiles t = gpuTiles(tm, tn, 32, warpsM, 32 * warpsN);
    t.mma = true;
    return t;
  };
  if (known(n) && n <= 16)
    return mmaTiles(128, 16, 4, 1); // warp tile 32 x 16
  if (known(n) && n <= 32)
    return mmaTiles(128, 32, 4, 1); // 32 x 32
  if (known(m) && m <= 16)
    return mmaTiles(16, 128, 1, 4); // 16 x 32
  bool large = known(n) && n >= 1024 && (!known(m) || m >= 1024) &&
               (!known(k) || k >= 256);
  if (large)
    return mmaTiles(128, 128, 2, 4); // 64 x 32: 16 mma.sync per K step of 16
  return mmaTiles(64, 64, 2, 2);     // 32 x 32
}

std::optional<ContractionTiles>
tilesFromSizes(bool cpu, llvm::ArrayRef<int64_t> sizes, std::string &error) {
  if (sizes.size() != 3) {
    error = "expected three tile sizes M,N,K";
    return std::nullopt;
  }
  ContractionTiles t;
  t.m = sizes[0];
  t.n = sizes[1];
  t.k = sizes[2];
  for (int64_t s : sizes)
    if (s < 1 || s > 1024 || !llvm::isPowerOf2_64(s)) {
      error = "tile sizes must be powers of two from 1 to 1024";
      return std::nullopt;
    }
  if (cpu) {
    t.threadsM = t.threadsN = 1;
    return t;
  }
  // 256 threads when the tile has room for them: up to 16 across N, the
  // rest down M.
  t.threadsN = std::min<int64_t>(t.n, 16);
  t.threadsM = std::min<int64_t>(t.m, 256 / t.threadsN);
  if (t.m * t.k % t.threads() || t.n * t.k % t.threads()) {
    error = "an M x K and a K x N tile must each be a multiple of the " +
            std::to_string(t.threads()) + " threads of a block (make K larger)";
    return std::nullopt;
  }
  if ((t.m / t.threadsM) * (t.n / t.threadsN) > kMaxAccumulators) {
    error = "more than " + std::to_string(kMaxAccumulators) +
            " accumulators per thread (M x N / 256); use a smaller tile";
    return std::nullopt;
  }
  if (tileWorkgroupBytes(t, 4, 4) > kMaxStaticWorkgroupBytes) {
    error = "the tiles need more than 48 KiB of workgroup memory ((M + N) x "
            "K x 4 bytes)";
    return std::nullopt;
  }
  return t;
}

std::optional<int64_t> parseSmVersion(llvm::StringRef arch) {
  int64_t sm;
  if (!arch.consume_front("sm_"))
    return std::nullopt;
  arch.consume_back("a");
  if (arch.getAsInteger(10, sm) || sm < 10 || sm > 999)
    return std::nullopt;
  return sm;
}

int64_t tileWorkgroupBytes(const ContractionTiles &t, int64_t aBytes,
                           int64_t bBytes) {
  return t.m * t.k * aBytes + t.n * t.k * bBytes;
}

} // namespace tensorc::kernels
