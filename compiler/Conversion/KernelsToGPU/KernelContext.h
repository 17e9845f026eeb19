//===- KernelContext.h - Building one gpu.func from a tc.kernel -*- C++ -*-===//
//
// The emitters share this: a tc.kernel body (linalg on tensors) is turned
// into scalar code by *evaluating* tensors at index values. A kernel input is
// a load from its flat buffer; an elementwise producer is its payload, cloned
// at that element; a reduction is a loop over its reduction dims; a value the
// emitter has already computed (a row's maximum, a matmul accumulator) is an
// override. Sizes are index values of the gpu.func, read from the kernel's
// size arguments.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_CONVERSION_KERNELSTOGPU_KERNELCONTEXT_H
#define TENSORC_CONVERSION_KERNELSTOGPU_KERNELCONTEXT_H

#include "compiler/Conversion/KernelsToGPU/ContractionTiles.h"
#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringMap.h"

#include <functional>

namespace tensorc::kernels {

/// Launch parameters that differ between the GPU and the CPU: the CPU runs
/// one thread per block and gives each block a contiguous chunk of work.
struct TargetConfig {
  bool cpu = false;
  int64_t warpSize = 32;
  /// Elementwise and thread-per-output kernels.
  int64_t loopThreads = 256;
  int64_t loopItemsPerThread = 4;
  /// Elementwise kernels read and write this many bytes of consecutive
  /// elements per access where the layout allows (16: ld.global.v4.b32);
  /// 0 keeps every access scalar (the CPU).
  int64_t vectorBytes = 16;
  /// Row kernels: threads per block (one block per row on the GPU).
  int64_t rowThreads = 256;
  int64_t rowsPerBlock = 1;
  /// Contraction tiles: chosen per product (ContractionTiles.h) unless the
  /// user fixed them, or `tensorc tune` chose them for the product's key
  /// (contractionKey).
  std::optional<ContractionTiles> tiles;
  llvm::StringMap<ContractionTiles> tuned;
  /// "cpu" or the arch ("sm_90"): the first part of a product's key.
  std::string keyTarget = "cpu";
  /// The GPU's compute capability (90 for sm_90).
  int64_t sm = 90;
  /// A float sum that one thread computes sequentially adds blocks of this
  /// many terms separately and then the block sums with compensation
  /// (CompensatedSum), so its rounding error grows with the block, not n.
  int64_t serialSumBlock = 256;

  static TargetConfig forTarget(llvm::StringRef target);
  /// Tiles for a product with these static sizes (kDynamic if symbolic)
  /// and key; `tensorCores` if its types suit mma.sync (f16/bf16 into f32).
  /// Tiles the user fixed are scalar tiles; tuned ones are of the product's
  /// kind.
  ContractionTiles contractionTiles(llvm::StringRef key, int64_t m, int64_t n,
                                    int64_t k, bool tensorCores) const {
    if (tiles)
      return *tiles;
    bool mma = tensorCores && !cpu && sm >= 80;
    auto it = tuned.find(key);
    if (it != tuned.end() && it->second.mma == mma)
      return it->second;
    if (mma)
      return chooseMmaTiles(m, n, k);
    return chooseContractionTiles(cpu, sm, m, n, k);
  }
};

/// Rebuilds index computations of a tc.kernel body (tensor.dim, arith,
/// tensor.empty sizes) elsewhere: in the gpu.func, or on the host before the
/// launch. The callbacks say what a dim of a kernel argument and an index
/// argument are at the destination.
class ShapeCloner {
public:
  using ArgDimFn = std::function<mlir::Value(mlir::BlockArgument, int64_t)>;
  using IndexArgFn = std::function<mlir::Value(mlir::BlockArgument)>;

  ShapeCloner(mlir::OpBuilder &b, ArgDimFn argDim, IndexArgFn indexArg)
      : b(b), argDim(std::move(argDim)), indexArg(std::move(indexArg)) {}

  /// Dim `d` of a tensor of the kernel body; null if it cannot be derived.
  mlir::Value dim(mlir::Value tensor, int64_t d);
  /// All dims of a tensor.
  llvm::SmallVector<mlir::Value> dims(mlir::Value tensor);
  /// The index value `v` of the kernel body, rebuilt.
  mlir::Value index(mlir::Value v);

private:
  mlir::OpBuilder &b;
  ArgDimFn argDim;
  IndexArgFn indexArg;
  llvm::DenseMap<std::pair<mlir::Value, int64_t>, mlir::Value> dimCache;
  llvm::DenseMap<mlir::Value, mlir::Value> indexCache;
};

/// A flat buffer of the gpu.func and the dims of the tensor it holds.
struct Buffer {
  mlir::Value memref;
  llvm::SmallVector<mlir::Value> dims;
};

class KernelContext {
public:
  KernelContext(tc::KernelOp kernel, mlir::gpu::GPUFuncOp func,
                const TargetConfig &config);

  mlir::OpBuilder &builder() { return b; }
  mlir::Location loc() const { return kernelLoc; }
  tc::KernelOp kernel() { return kernelOp; }
  mlir::gpu::GPUFuncOp func() { return gpuFunc; }
  const TargetConfig &config() const { return cfg; }

  /// Binds a kernel body value to its gpu.func buffer (inputs and outputs).
  void bindBuffer(mlir::Value tensor, mlir::Value memref);
  /// Binds an index argument or a dim of a kernel argument.
  void bindIndexArg(mlir::BlockArgument arg, mlir::Value value);
  void bindArgDim(mlir::BlockArgument arg, int64_t d, mlir::Value value);
  /// The output buffer for a yielded value.
  const Buffer &output(unsigned i) const { return outputs[i]; }
  unsigned numOutputs() const { return outputs.size(); }
  void addOutput(mlir::Value memref, mlir::Value yielded);

  /// Sizes in the gpu.func.
  mlir::Value dim(mlir::Value tensor, int64_t d) {
    return shapes.dim(tensor, d);
  }
  llvm::SmallVector<mlir::Value> dims(mlir::Value tensor) {
    return shapes.dims(tensor);
  }
  mlir::Value constant(int64_t v);
  mlir::Value product(llvm::ArrayRef<mlir::Value> values);
  mlir::Value linearize(mlir::ValueRange idx, llvm::ArrayRef<mlir::Value> dims);
  llvm::SmallVector<mlir::Value> delinearize(mlir::Value linear,
                                             llvm::ArrayRef<mlir::Value> dims);
  mlir::Value ceilDiv(mlir::Value a, mlir::Value b);
  mlir::Value minIndex(mlir::Value a, mlir::Value b);

  /// The scalar value of `tensor` (a value of the kernel body) at `idx`.
  /// Returns null and reports an error for what it cannot evaluate.
  mlir::Value eval(mlir::Value tensor, mlir::ValueRange idx);
  /// Stores `value` at `idx` of output `i`.
  void store(unsigned i, mlir::Value value, mlir::ValueRange idx);

  /// Vectorized elementwise code: the caller evaluates `width` consecutive
  /// output elements, linear `base` (a multiple of `width`) to base+width-1
  /// of an output of dims `dims`, one lane at a time (`setLane` with the
  /// lane's indices). While lanes are on, a kernel input whose element the
  /// lane reads is the lane's own (same indices, same row-major layout) is
  /// read once for all lanes with an aligned vector.load at `base`, placed
  /// after `base`'s definition; other reads (broadcasts, transposes,
  /// gathers) stay scalar.
  void beginLanes(mlir::Value base, int64_t width,
                  llvm::ArrayRef<mlir::Value> dims);
  void setLane(unsigned lane, llvm::ArrayRef<mlir::Value> idx);
  void endLanes() { lanes.reset(); }
  /// Stores the lanes' values of output `i` with one aligned vector.store
  /// at the lanes' base.
  void storeLanes(unsigned i, llvm::ArrayRef<mlir::Value> values);
  /// Bytes of an element of `type` for vector accesses (8, 16, 32 or 64-bit
  /// integers and floats), 0 for anything else (i1 is not byte-addressable).
  static int64_t vectorElementBytes(mlir::Type type);

  /// Replaces evaluation of `tensor` by `scalar` (valid where the emitter
  /// knows it is the value at the element being computed).
  void setOverride(mlir::Value tensor, mlir::Value scalar) {
    overrides[tensor] = scalar;
  }
  void clearOverride(mlir::Value tensor) { overrides.erase(tensor); }
  /// Forgets evaluated values (call when leaving a region whose values
  /// would not dominate later code).
  void clearCache() { cache.clear(); }

  /// Clones a linalg op's payload with block arguments `args`, `linalg.index`
  /// giving `loops`; tensor.extract inside evaluates its tensor. Returns the
  /// yielded values.
  llvm::SmallVector<mlir::Value> payload(mlir::linalg::LinalgOp op,
                                         mlir::ValueRange loops,
                                         mlir::ValueRange args);
  /// The payload block arguments of `op`'s inputs at loop values `loops`
  /// (unused arguments get a null value).
  llvm::SmallVector<mlir::Value> inputArgs(mlir::linalg::LinalgOp op,
                                           mlir::ValueRange loops);
  /// The size of each loop of `op`, from the operands that index it.
  llvm::SmallVector<mlir::Value> loopSizes(mlir::linalg::LinalgOp op);

  /// A workgroup buffer of `size` elements (a stack buffer on the CPU).
  mlir::Value workgroupBuffer(mlir::Type elementType, int64_t size);

  bool failed() const { return hadError; }
  void error(mlir::Operation *op, const llvm::Twine &message);

private:
  mlir::Value evalLinalg(mlir::linalg::LinalgOp op, unsigned resultNo,
                         mlir::ValueRange idx);
  mlir::Value evalPad(mlir::tensor::PadOp pad, mlir::ValueRange idx);
  mlir::Value cloneScalar(mlir::Value v);
  /// The lane's element of a vector load of `buffer`, or null if the lane
  /// does not read its own element of it.
  mlir::Value laneLoad(const Buffer &buffer, mlir::ValueRange idx);

  struct Lanes {
    mlir::Value base;
    int64_t width;
    llvm::SmallVector<mlir::Value> dims;
    llvm::SmallVector<mlir::Value> idx;
    unsigned lane = 0;
    mlir::Operation *loadPoint;
    llvm::DenseMap<mlir::Value, mlir::Value> loaded;
  };
  std::optional<Lanes> lanes;

  tc::KernelOp kernelOp;
  mlir::gpu::GPUFuncOp gpuFunc;
  TargetConfig cfg;
  mlir::OpBuilder b;
  mlir::Location kernelLoc;
  /// Sizes depend only on the kernel's arguments, so they are built at the
  /// top of the kernel (before `anchor`), where they dominate every use and
  /// can be cached.
  mlir::OpBuilder sizeBuilder;
  ShapeCloner shapes;
  llvm::DenseMap<mlir::Value, Buffer> buffers;
  llvm::DenseMap<mlir::Value, mlir::Value> indexArgs;
  llvm::DenseMap<std::pair<mlir::Value, int64_t>, mlir::Value> argDims;
  llvm::SmallVector<Buffer> outputs;
  llvm::DenseMap<mlir::Value, mlir::Value> overrides;
  /// (tensor, indices, block) -> value, so a DAG is not recomputed per use.
  std::map<std::tuple<void *, llvm::SmallVector<void *>, mlir::Block *>,
           mlir::Value>
      cache;
  bool hadError = false;
};

/// `combiner` (an op of a reduction's payload) applied to x and y.
mlir::Value combineWith(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Operation *combiner, mlir::Value x,
                        mlir::Value y);

/// The arith.addf that combines the single result of a float sum, or null
/// if `op` is not one.
mlir::Operation *floatSumCombiner(mlir::linalg::LinalgOp op);

/// A float running sum with Neumaier's compensation term: adding block sums
/// this way keeps the rounding error of the outer sum near one ulp of the
/// result, however large the running sum gets on the way.
struct CompensatedSum {
  mlir::Value sum, compensation;

  /// The start of a sum at `init` (compensation -0.0, so that an untouched
  /// sum keeps its sign).
  static CompensatedSum start(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value init);
  /// (sum + x) with the rounding error of the addition kept aside.
  CompensatedSum add(mlir::OpBuilder &b, mlir::Location loc,
                     mlir::Value x) const;
  /// sum + compensation.
  mlir::Value result(mlir::OpBuilder &b, mlir::Location loc) const;
};

} // namespace tensorc::kernels

#endif // TENSORC_CONVERSION_KERNELSTOGPU_KERNELCONTEXT_H
