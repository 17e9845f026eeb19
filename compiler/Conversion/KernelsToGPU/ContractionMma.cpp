//===- ContractionMma.cpp - Matrix-product tiles on tensor cores ----------===//
//
// A block of warpsM x warpsN warps computes a BM x BN output tile; each warp
// owns a (BM / warpsM) x (BN / warpsN) part of it as 16 x 8 pieces, one
// nvgpu.mma.sync (m16n8k16) per piece and K step of 16. Each K step of BK
// stages A as [BM][BK] and B as [BN][BK] (both K-contiguous, so that the two
// elements of a fragment register are neighbours) in workgroup memory with
// masked loads (0 outside the product), then every thread gathers its
// fragments from there in the lane layout of the PTX ISA ("Matrix Fragments
// for mma.m16n8k16 with floating point type"), with
//   g = lane / 4, t = lane % 4,
//   A (vector<4x2>): register p, half h = A[g + 8 (p % 2)][2t + h + 8 (p / 2)]
//   B (vector<2x2>): register p, half h = B[2t + h + 8 p][g]
//   C (vector<2x2xf32>): [p][h]        = C[g + 8 p][2t + h]
// (docs/codegen.md, "Tensor cores"). Accumulators are scalars carried by the
// K loop; the epilogue runs per accumulator, masked at the edges.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/KernelsToGPU/ContractionMma.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace tensorc::kernels {

bool isTensorCoreProduct(linalg::LinalgOp op, int aIndex, int bIndex) {
  Block &body = op->getRegion(0).front();
  if (body.getNumArguments() != 3 || aIndex < 0 || bIndex < 0)
    return false;
  BlockArgument a = body.getArgument(aIndex), bArg = body.getArgument(bIndex),
                acc = body.getArgument(2);
  if (a.getType() != bArg.getType() ||
      !(a.getType().isF16() || a.getType().isBF16()) || !acc.getType().isF32())
    return false;
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (!yield || yield.getNumOperands() != 1)
    return false;
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value product = add.getLhs() == acc   ? add.getRhs()
                  : add.getRhs() == acc ? add.getLhs()
                                        : Value();
  auto mul = product ? product.getDefiningOp<arith::MulFOp>() : nullptr;
  if (!mul)
    return false;
  auto extended = [](Value v) -> Value {
    auto ext = v.getDefiningOp<arith::ExtFOp>();
    return ext ? ext.getIn() : Value();
  };
  Value x = extended(mul.getLhs()), y = extended(mul.getRhs());
  return (x == a && y == bArg) || (x == bArg && y == a);
}

namespace {

class MmaTile {
public:
  MmaTile(KernelContext &ctx, const ContractionTiles &tiles, Type elementType,
          const MmaTileIO &io)
      : ctx(ctx), b(ctx.builder()), loc(ctx.loc()), tiles(tiles),
        elementType(elementType), io(io) {}

  LogicalResult emit();

private:
  Value c(int64_t v) { return ctx.constant(v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value div(Value x, int64_t y) {
    return arith::DivUIOp::create(b, loc, x, c(y));
  }
  Value rem(Value x, int64_t y) {
    return arith::RemUIOp::create(b, loc, x, c(y));
  }
  Value lessThan(Value x, Value bound) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, bound);
  }
  Value both(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }

  /// Stages the K step at `k0` of both operands in workgroup memory.
  LogicalResult stage(Value k0);
  /// One K step of 16 at tile column `ks`: fragments, then every mma.sync.
  void multiply(int64_t ks, MutableArrayRef<Value> acc);
  Value fragment(Value buffer, Value base, ArrayRef<int64_t> offsets,
                 int64_t rows);

  /// Accumulator r (0..3) of the piece (i, j): its tile row and column.
  Value accRow(int64_t i, int64_t r) {
    return add(rowBase, c(16 * i + 8 * (r / 2)));
  }
  Value accCol(int64_t j, int64_t r) { return add(colBase, c(8 * j + r % 2)); }
  int64_t accIndex(int64_t i, int64_t j, int64_t r) {
    return (i * fragsN + j) * 4 + r;
  }

  KernelContext &ctx;
  OpBuilder &b;
  Location loc;
  const ContractionTiles &tiles;
  Type elementType;
  const MmaTileIO &io;
  int64_t fragsM = 0, fragsN = 0;
  Value as, bs, tid;
  /// Tile row of this lane's first accumulator row (warp row + g) and tile
  /// column of its first accumulator column (warp column + 2t).
  Value rowBase, colBase;
  /// Slots of this lane's first A and B fragment elements in workgroup
  /// memory: (rowBase) * BK + 2t and (warp column + g) * BK + 2t.
  Value aBase, bBase;
};

LogicalResult MmaTile::stage(Value k0) {
  int64_t threads = tiles.threads();
  // A: consecutive threads read consecutive k (rows of A are contiguous);
  // the slot mm * BK + kk is then the element number itself.
  for (int64_t r = 0; r < tiles.m * tiles.k / threads; ++r) {
    Value e = add(tid, c(r * threads));
    Value m = add(io.m0, div(e, tiles.k));
    Value k = add(k0, rem(e, tiles.k));
    Value v =
        io.loadA(both(lessThan(m, io.mSize), lessThan(k, io.kSize)), m, k);
    if (!v)
      return failure();
    memref::StoreOp::create(b, loc, v, as, ValueRange{e});
  }
  // B: consecutive threads read consecutive n, stored transposed.
  for (int64_t r = 0; r < tiles.n * tiles.k / threads; ++r) {
    Value e = add(tid, c(r * threads));
    Value kk = div(e, tiles.n), nn = rem(e, tiles.n);
    Value n = add(io.n0, nn);
    Value k = add(k0, kk);
    Value v =
        io.loadB(both(lessThan(n, io.nSize), lessThan(k, io.kSize)), k, n);
    if (!v)
      return failure();
    memref::StoreOp::create(b, loc, v, bs,
                            ValueRange{add(mul(nn, c(tiles.k)), kk)});
  }
  return success();
}

Value MmaTile::fragment(Value buffer, Value base, ArrayRef<int64_t> offsets,
                        int64_t rows) {
  SmallVector<Value> elements;
  for (int64_t offset : offsets)
    elements.push_back(
        memref::LoadOp::create(b, loc, buffer, ValueRange{add(base, c(offset))})
            .getResult());
  return vector::FromElementsOp::create(
      b, loc, VectorType::get({rows, 2}, elementType), elements);
}

void MmaTile::multiply(int64_t ks, MutableArrayRef<Value> acc) {
  int64_t bk = tiles.k;
  SmallVector<Value> aFrags, bFrags;
  for (int64_t i = 0; i < fragsM; ++i) {
    // Register p, half h: row g + 8 (p % 2), column 2t + h + 8 (p / 2).
    SmallVector<int64_t> offsets;
    for (int64_t p = 0; p < 4; ++p)
      for (int64_t h = 0; h < 2; ++h)
        offsets.push_back((16 * i + 8 * (p % 2)) * bk + 16 * ks + 8 * (p / 2) +
                          h);
    aFrags.push_back(fragment(as, aBase, offsets, 4));
  }
  for (int64_t j = 0; j < fragsN; ++j) {
    // Register p, half h: row (k) 2t + h + 8 p, column g.
    SmallVector<int64_t> offsets;
    for (int64_t p = 0; p < 2; ++p)
      for (int64_t h = 0; h < 2; ++h)
        offsets.push_back(8 * j * bk + 16 * ks + 8 * p + h);
    bFrags.push_back(fragment(bs, bBase, offsets, 2));
  }
  auto accType = VectorType::get({2, 2}, b.getF32Type());
  for (int64_t i = 0; i < fragsM; ++i)
    for (int64_t j = 0; j < fragsN; ++j) {
      SmallVector<Value> cs;
      for (int64_t r = 0; r < 4; ++r)
        cs.push_back(acc[accIndex(i, j, r)]);
      Value cv = vector::FromElementsOp::create(b, loc, accType, cs);
      Value d = nvgpu::MmaSyncOp::create(b, loc, aFrags[i], bFrags[j], cv,
                                         ArrayRef<int64_t>{16, 8, 16});
      for (int64_t r = 0; r < 4; ++r)
        acc[accIndex(i, j, r)] = vector::ExtractOp::create(
            b, loc, d, ArrayRef<int64_t>{r / 2, r % 2});
    }
}

LogicalResult MmaTile::emit() {
  int64_t warpM = tiles.m / tiles.warpsM(), warpN = tiles.n / tiles.warpsN();
  fragsM = warpM / 16;
  fragsN = warpN / 8;
  as = ctx.workgroupBuffer(elementType, tiles.m * tiles.k);
  bs = ctx.workgroupBuffer(elementType, tiles.n * tiles.k);
  Value tx = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  Value ty = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::y);
  tid = add(mul(ty, c(tiles.threadsN)), tx);
  Value lane = rem(tx, 32);
  Value group = div(lane, 4), twoT = mul(rem(lane, 4), c(2));
  Value warpRow = mul(ty, c(warpM)), warpCol = mul(div(tx, 32), c(warpN));
  rowBase = add(warpRow, group);
  colBase = add(warpCol, twoT);
  aBase = add(mul(rowBase, c(tiles.k)), twoT);
  bBase = add(mul(add(warpCol, group), c(tiles.k)), twoT);
  Value lastM = arith::SubIOp::create(b, loc, io.mSize, c(1));
  Value lastN = arith::SubIOp::create(b, loc, io.nSize, c(1));

  // Global rows and columns of this thread's accumulators.
  int64_t count = fragsM * fragsN * 4;
  SmallVector<Value> rows(count), cols(count), init(count);
  for (int64_t i = 0; i < fragsM; ++i)
    for (int64_t j = 0; j < fragsN; ++j)
      for (int64_t r = 0; r < 4; ++r) {
        int64_t x = accIndex(i, j, r);
        rows[x] = add(io.m0, accRow(i, r));
        cols[x] = add(io.n0, accCol(j, r));
        init[x] =
            io.init(ctx.minIndex(rows[x], lastM), ctx.minIndex(cols[x], lastN));
        if (!init[x])
          return failure();
      }

  Value kTiles = ctx.ceilDiv(io.kSize, c(tiles.k));
  auto kLoop = scf::ForOp::create(b, loc, c(0), kTiles, c(1), init);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    if (failed(stage(mul(kLoop.getInductionVar(), c(tiles.k)))))
      return failure();
    gpu::BarrierOp::create(b, loc);
    SmallVector<Value> acc(kLoop.getRegionIterArgs());
    for (int64_t ks = 0; ks < tiles.k / 16; ++ks)
      multiply(ks, acc);
    gpu::BarrierOp::create(b, loc);
    scf::YieldOp::create(b, loc, acc);
  }
  ctx.clearCache();
  for (int64_t x = 0; x < count; ++x) {
    Value in = both(lessThan(rows[x], io.mSize), lessThan(cols[x], io.nSize));
    auto ifOp = scf::IfOp::create(b, loc, in, /*withElse=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    if (failed(io.epilogue(rows[x], cols[x], kLoop.getResult(x))))
      return failure();
  }
  return success();
}

} // namespace

LogicalResult emitMmaTile(KernelContext &ctx, const ContractionTiles &tiles,
                          Type elementType, const MmaTileIO &io) {
  return MmaTile(ctx, tiles, elementType, io).emit();
}

} // namespace tensorc::kernels
