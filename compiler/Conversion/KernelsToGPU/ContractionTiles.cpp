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
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

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

/// Whether the emitters can use `t`; otherwise `error` says why not.
static bool checkTiles(const ContractionTiles &t, bool cpu, int64_t aBytes,
                       int64_t bBytes, std::string &error) {
  for (int64_t s : {t.m, t.n, t.k})
    if (s < 1 || s > 1024 || !llvm::isPowerOf2_64(s)) {
      error = "tile sizes must be powers of two from 1 to 1024";
      return false;
    }
  if (cpu) {
    if (t.mma || t.threadsM != 1 || t.threadsN != 1) {
      error = "CPU tiles have one thread (TMxTN = 1x1) and no tensor cores";
      return false;
    }
    return true;
  }
  if (t.threadsM < 1 || t.threadsN < 1 || t.threads() > 1024) {
    error = "a block has 1 to 1024 threads";
    return false;
  }
  if (t.mma) {
    if (t.threadsN % 32 || t.m % (16 * t.warpsM()) || t.n % (8 * t.warpsN()) ||
        t.k % 16) {
      error = "tensor-core tiles need warp tiles of 16 x 8 pieces and K "
              "steps of 16";
      return false;
    }
  } else if (t.m % t.threadsM || t.n % t.threadsN) {
    error = "the threads must divide the tile";
    return false;
  }
  if (t.m * t.k % t.threads() || t.n * t.k % t.threads()) {
    error = "an M x K and a K x N tile must each be a multiple of the " +
            std::to_string(t.threads()) + " threads of a block (make K larger)";
    return false;
  }
  if (!t.mma && (t.m / t.threadsM) * (t.n / t.threadsN) > kMaxAccumulators) {
    error = "more than " + std::to_string(kMaxAccumulators) +
            " accumulators per thread (M x N / 256); use a smaller tile";
    return false;
  }
  if (tileWorkgroupBytes(t, aBytes, bBytes) > kMaxStaticWorkgroupBytes) {
    error = "the tiles need more than 48 KiB of workgroup memory ((M + N) x "
            "K x 4 bytes)";
    return false;
  }
  return true;
}

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
  if (cpu) {
    t.threadsM = t.threadsN = 1;
  } else {
    // 256 threads when the tile has room for them: up to 16 across N, the
    // rest down M.
    t.threadsN = std::clamp<int64_t>(t.n, 1, 16);
    t.threadsM = std::clamp<int64_t>(t.m, 1, 256 / t.threadsN);
  }
  if (!checkTiles(t, cpu, 4, 4, error))
    return std::nullopt;
  return t;
}

std::string contractionKey(llvm::StringRef target, mlir::Type a, mlir::Type b,
                           int64_t m, int64_t n, int64_t k) {
  auto typeName = [](mlir::Type t) {
    std::string s;
    llvm::raw_string_ostream os(s);
    t.print(os);
    return s;
  };
  auto size = [](int64_t s) {
    return known(s) ? std::to_string(s) : std::string("?");
  };
  std::string types = typeName(a);
  if (b != a)
    types += "." + typeName(b);
  return (target + "/" + types + "/" + size(m) + "x" + size(n) + "x" + size(k))
      .str();
}

int64_t keyOperandBytes(llvm::StringRef key) {
  llvm::StringRef types = key.split('/').second.split('/').first;
  llvm::SmallVector<llvm::StringRef> parts;
  types.split(parts, '.');
  int64_t bytes = 2;
  for (llvm::StringRef t : parts)
    bytes = std::max<int64_t>(bytes, t == "f64" ? 8 : t == "f32" ? 4 : 2);
  return bytes;
}

std::string formatTiles(const ContractionTiles &t) {
  std::string sizes = std::to_string(t.m) + "x" + std::to_string(t.n) + "x" +
                      std::to_string(t.k) + ":";
  if (t.mma)
    return "mma:" + sizes + std::to_string(t.warpsM()) + "x" +
           std::to_string(t.warpsN());
  return sizes + std::to_string(t.threadsM) + "x" + std::to_string(t.threadsN);
}

std::optional<ContractionTiles> parseTiles(llvm::StringRef text, bool cpu,
                                           int64_t aBytes, int64_t bBytes,
                                           std::string &error) {
  ContractionTiles t;
  t.mma = text.consume_front("mma:");
  auto [sizes, threads] = text.split(':');
  llvm::SmallVector<llvm::StringRef> s, th;
  sizes.split(s, 'x');
  threads.split(th, 'x');
  int64_t v[5];
  if (s.size() != 3 || th.size() != 2) {
    error = "expected MxNxK:TMxTN or mma:MxNxK:WMxWN";
    return std::nullopt;
  }
  llvm::StringRef parts[5] = {s[0], s[1], s[2], th[0], th[1]};
  for (int i = 0; i < 5; ++i)
    if (parts[i].getAsInteger(10, v[i]) || v[i] < 1 || v[i] > 1024) {
      error = "expected MxNxK:TMxTN or mma:MxNxK:WMxWN with sizes from 1 to "
              "1024";
      return std::nullopt;
    }
  t.m = v[0];
  t.n = v[1];
  t.k = v[2];
  t.threadsM = v[3];
  t.threadsN = t.mma ? v[4] * 32 : v[4];
  if (!checkTiles(t, cpu, aBytes, bBytes, error))
    return std::nullopt;
  return t;
}

std::vector<ContractionTiles> candidateTiles(bool cpu, bool mma) {
  std::vector<ContractionTiles> out;
  auto add = [&](ContractionTiles t) {
    std::string error;
    // 4-byte operands: valid for every product of this kind.
    if (checkTiles(t, cpu, 4, 4, error) &&
        std::find(out.begin(), out.end(), t) == out.end())
      out.push_back(t);
  };
  if (cpu) {
    for (int64_t m : {32, 16, 64, 8})
      for (int64_t n : {32, 64, 16, 128})
        add(gpuTiles(m, n, 32, 1, 1));
    return out;
  }
  if (mma) {
    auto mmaTiles = [](int64_t tm, int64_t tn, int64_t warpsM, int64_t warpsN) {
      ContractionTiles t = gpuTiles(tm, tn, 32, warpsM, 32 * warpsN);
      t.mma = true;
      return t;
    };
    add(mmaTiles(128, 128, 2, 4));
    add(mmaTiles(64, 64, 2, 2));
    add(mmaTiles(128, 64, 2, 2));
    add(mmaTiles(64, 128, 2, 2));
    add(mmaTiles(128, 128, 4, 2));
    add(mmaTiles(128, 32, 4, 1));
    add(mmaTiles(128, 16, 4, 1));
    add(mmaTiles(16, 128, 1, 4));
    add(mmaTiles(32, 64, 2, 1));
    return out;
  }
  add(gpuTiles(64, 64, 16, 16, 16));
  add(gpuTiles(128, 128, 8, 16, 16));
  add(gpuTiles(128, 64, 16, 16, 16));
  add(gpuTiles(64, 128, 16, 16, 16));
  add(gpuTiles(32, 64, 16, 16, 16));
  add(gpuTiles(64, 32, 16, 16, 16));
  add(gpuTiles(128, 16, 16, 32, 8));
  add(gpuTiles(16, 128, 16, 8, 32));
  add(gpuTiles(32, 32, 32, 16, 16));
  return out;
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
