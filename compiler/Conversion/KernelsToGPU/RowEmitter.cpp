//===- RowEmitter.cpp - One block per row, cooperative reductions --------===//
//
// softmax, log_softmax, layernorm, rmsnorm, cross-entropy's row part and
// reductions over trailing dims. Each block walks its rows; for each row, the
// threads reduce a strided share of the columns, combine their partials with
// warp shuffles and workgroup memory, and every thread then holds the row's
// value, which the rest of the row reads as an override. Outputs over the
// whole row are written by all threads, per-row outputs by thread 0.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/KernelsToGPU/Emitters.h"

#include "dialects/TC/Transforms/KernelGrouping.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace tensorc::kernels {
namespace {

/// The identity of a reduction's combiner, or null if it is not one we know.
TypedAttr combinerIdentity(Operation *combiner, Type type) {
  auto floatType = dyn_cast<FloatType>(type);
  auto intType = dyn_cast<IntegerType>(type);
  auto f = [&](double v) -> TypedAttr { return FloatAttr::get(floatType, v); };
  auto fAPF = [&](APFloat v) -> TypedAttr {
    return FloatAttr::get(floatType, v);
  };
  auto i = [&](APInt v) -> TypedAttr { return IntegerAttr::get(intType, v); };
  if (floatType) {
    const llvm::fltSemantics &sem = floatType.getFloatSemantics();
    if (isa<arith::AddFOp>(combiner))
      return fAPF(APFloat::getZero(sem, /*Negative=*/true));
    if (isa<arith::MulFOp>(combiner))
      return f(1.0);
    if (isa<arith::MaximumFOp>(combiner))
      return fAPF(APFloat::getInf(sem, /*Negative=*/true));
    if (isa<arith::MinimumFOp>(combiner))
      return fAPF(APFloat::getInf(sem, /*Negative=*/false));
    if (isa<arith::MaxNumFOp, arith::MinNumFOp>(combiner))
      return fAPF(APFloat::getQNaN(sem));
    return {};
  }
  if (!intType)
    return {};
  unsigned w = intType.getWidth();
  if (isa<arith::AddIOp, arith::OrIOp, arith::XOrIOp, arith::MaxUIOp>(combiner))
    return i(APInt::getZero(w));
  if (isa<arith::MulIOp>(combiner))
    return i(APInt(w, 1));
  if (isa<arith::MaxSIOp>(combiner))
    return i(APInt::getSignedMinValue(w));
  if (isa<arith::MinSIOp>(combiner))
    return i(APInt::getSignedMaxValue(w));
  if (isa<arith::MinUIOp, arith::AndIOp>(combiner))
    return i(APInt::getAllOnes(w));
  return {};
}

/// A row reduction of the kernel: the op, its combiner and its identity.
struct RowReduction {
  linalg::GenericOp op;
  Operation *combiner;
  TypedAttr identity;
};

class RowEmitter {
public:
  RowEmitter(KernelContext &ctx, HostSide &host)
      : ctx(ctx), host(host), b(ctx.builder()), loc(ctx.loc()),
        cfg(ctx.config()) {}

  FailureOr<LaunchDims> run() {
    if (!collectReductions())
      return emitLoopKernel(ctx, host);
    // LLVM 22's loop vectorizer can spend minutes on the CPU code of some
    // row kernels (docs/reliability.md, random-model finding 4); their float
    // sums cannot be vectorized without reassociation anyway.
    ctx.func()->setAttr(tc::kScalarLoopsAttr, b.getUnitAttr());
    Value anyReduction = reductions.front().op->getResult(0);
    SmallVector<Value> rowDims = ctx.dims(anyReduction);
    Value rows = ctx.product(rowDims);

    LaunchDims launch;
    Value hostRows = hostProduct(host, host.shapes.dims(anyReduction));
    launch.grid[0] =
        hostMin(host, hostCeilDiv(host, hostRows, cfg.rowsPerBlock),
                (int64_t(1) << 31) - 1);
    launch.grid[1] = launch.grid[2] = hostConstant(host, 1);
    launch.block[0] = cfg.rowThreads;

    bid = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
    tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
    bdim = gpu::BlockDimOp::create(b, loc, gpu::Dimension::x);
    Value gdim = gpu::GridDimOp::create(b, loc, gpu::Dimension::x);
    Value chunk = ctx.ceilDiv(rows, gdim);
    Value start = arith::MulIOp::create(b, loc, bid, chunk);
    Value end = ctx.minIndex(arith::AddIOp::create(b, loc, start, chunk), rows);
    auto rowLoop = scf::ForOp::create(b, loc, start, end, ctx.constant(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(rowLoop.getBody());
    SmallVector<Value> rowIdx =
        ctx.delinearize(rowLoop.getInductionVar(), rowDims);
    for (RowReduction &r : reductions)
      if (failed(reduceRow(r, rowIdx)))
        return failure();
    if (failed(writeOutputs(rowIdx)))
      return failure();
    return launch;
  }

private:
  /// Finds the kernel's row reductions; false if one of them is not a row
  /// reduction we can run cooperatively.
  bool collectReductions() {
    for (Operation &op : ctx.kernel().getBodyBlock()) {
      auto linalgOp = dyn_cast<linalg::LinalgOp>(&op);
      if (!linalgOp || linalgOp.getNumReductionLoops() == 0)
        continue;
      int64_t rank = tc::rowReductionRank(linalgOp);
      if (rank < 0 || (rows >= 0 && rank != rows))
        return false;
      rows = rank;
      auto generic = cast<linalg::GenericOp>(&op);
      SmallVector<Operation *> combiners;
      Block &body = generic.getRegion().front();
      matchReduction(body.getArguments().take_back(1), 0, combiners);
      Type type = body.getArguments().back().getType();
      TypedAttr identity = combinerIdentity(combiners.front(), type);
      if (!identity)
        return false;
      reductions.push_back({generic, combiners.front(), identity});
    }
    return !reductions.empty();
  }

  LogicalResult reduceRow(RowReduction &r, ArrayRef<Value> rowIdx) {
    linalg::GenericOp op = r.op;
    SmallVector<Value> sizes = ctx.loopSizes(op);
    if (ctx.failed())
      return failure();
    ArrayRef<Value> colSizes = ArrayRef<Value>(sizes).drop_front(rows);
    Value cols = ctx.product(colSizes);
    Value identity = arith::ConstantOp::create(b, loc, r.identity);
    Value partial;
    if (cfg.rowThreads == 1 && floatSumCombiner(op)) {
      // One thread sums the whole row: in blocks (TargetConfig), adding the
      // block sums with compensation.
      Value block = ctx.constant(cfg.serialSumBlock);
      CompensatedSum start = CompensatedSum::start(b, loc, identity);
      auto outer =
          scf::ForOp::create(b, loc, ctx.constant(0), cols, block,
                             ValueRange{start.sum, start.compensation});
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(outer.getBody());
        Value lo = outer.getInductionVar();
        Value hi = ctx.minIndex(arith::AddIOp::create(b, loc, lo, block), cols);
        FailureOr<Value> sum =
            accumulate(r, rowIdx, colSizes, lo, hi, ctx.constant(1), identity);
        if (failed(sum))
          return failure();
        CompensatedSum running{outer.getRegionIterArg(0),
                               outer.getRegionIterArg(1)};
        CompensatedSum next = running.add(b, loc, *sum);
        scf::YieldOp::create(b, loc, ValueRange{next.sum, next.compensation});
      }
      partial =
          CompensatedSum{outer.getResult(0), outer.getResult(1)}.result(b, loc);
    } else {
      FailureOr<Value> sum =
          accumulate(r, rowIdx, colSizes, tid, cols, bdim, identity);
      if (failed(sum))
        return failure();
      partial = *sum;
    }
    ctx.clearCache();
    Value total = blockReduce(r, partial);
    // Fold the partials into the init (the fill value at this row).
    Value init = ctx.eval(op.getDpsInits()[0], rowIdx);
    if (!init)
      return failure();
    ctx.setOverride(op->getResult(0),
                    combineWith(b, loc, r.combiner, init, total));
    return success();
  }

  /// Folds the reduction's payload over the columns lo, lo + step, ... < hi
  /// of the row, starting from `init`.
  FailureOr<Value> accumulate(RowReduction &r, ArrayRef<Value> rowIdx,
                              ArrayRef<Value> colSizes, Value lo, Value hi,
                              Value step, Value init) {
    linalg::GenericOp op = r.op;
    auto loop = scf::ForOp::create(b, loc, lo, hi, step, ValueRange{init});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    SmallVector<Value> loops(rowIdx.begin(), rowIdx.end());
    llvm::append_range(loops,
                       ctx.delinearize(loop.getInductionVar(), colSizes));
    SmallVector<Value> args = ctx.inputArgs(op, loops);
    args.push_back(loop.getRegionIterArg(0));
    SmallVector<Value> yielded = ctx.payload(op, loops, args);
    if (yielded.size() != 1)
      return failure();
    scf::YieldOp::create(b, loc, yielded[0]);
    // Values evaluated in the loop body do not dominate what follows it.
    ctx.clearCache();
    return loop.getResult(0);
  }

  /// Combines one value per thread into the block's total, in every thread.
  Value blockReduce(RowReduction &r, Value partial) {
    if (cfg.rowThreads == 1)
      return partial;
    Type type = partial.getType();
    Value smem = scratch(type);
    bool shuffles = type.isF32() || type.isInteger(32);
    int64_t slots = cfg.rowThreads;
    Value v = partial;
    if (shuffles) {
      for (int32_t off = cfg.warpSize / 2; off >= 1; off /= 2) {
        auto shuffle = gpu::ShuffleOp::create(b, loc, v, off, cfg.warpSize,
                                              gpu::ShuffleMode::XOR);
        v = combineWith(b, loc, r.combiner, v, shuffle.getShuffleResult());
      }
      slots = cfg.rowThreads / cfg.warpSize;
      Value warpSize = ctx.constant(cfg.warpSize);
      Value lane = arith::RemUIOp::create(b, loc, tid, warpSize);
      Value warp = arith::DivUIOp::create(b, loc, tid, warpSize);
      Value leader = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                           lane, ctx.constant(0));
      auto ifOp = scf::IfOp::create(b, loc, leader, /*withElse=*/false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
      memref::StoreOp::create(b, loc, v, smem, ValueRange{warp});
    } else {
      memref::StoreOp::create(b, loc, v, smem, ValueRange{tid});
    }
    gpu::BarrierOp::create(b, loc);
    Value total =
        memref::LoadOp::create(b, loc, smem, ValueRange{ctx.constant(0)});
    for (int64_t s = 1; s < slots; ++s) {
      Value p =
          memref::LoadOp::create(b, loc, smem, ValueRange{ctx.constant(s)});
      total = combineWith(b, loc, r.combiner, total, p);
    }
    // The buffer is reused by the next reduction.
    gpu::BarrierOp::create(b, loc);
    return total;
  }

  Value scratch(Type type) {
    if (Value v = scratchBuffers.lookup(type))
      return v;
    Value v = ctx.workgroupBuffer(type, cfg.rowThreads);
    scratchBuffers[type] = v;
    return v;
  }

  LogicalResult writeOutputs(ArrayRef<Value> rowIdx) {
    tc::YieldOp yield = ctx.kernel().getYield();
    for (auto [i, value] : llvm::enumerate(yield.getValues())) {
      const Buffer &out = ctx.output(i);
      if (static_cast<int64_t>(out.dims.size()) == rows) {
        // One value per row: thread 0 writes it.
        Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                            tid, ctx.constant(0));
        auto ifOp = scf::IfOp::create(b, loc, first, /*withElse=*/false);
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(&ifOp.getThenRegion().front());
        Value v = ctx.eval(value, rowIdx);
        if (!v)
          return failure();
        ctx.store(i, v, rowIdx);
        ctx.clearCache();
        continue;
      }
      ArrayRef<Value> colDims = ArrayRef<Value>(out.dims).drop_front(rows);
      Value cols = ctx.product(colDims);
      auto loop = scf::ForOp::create(b, loc, tid, cols, bdim);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      SmallVector<Value> idx(rowIdx.begin(), rowIdx.end());
      llvm::append_range(idx, ctx.delinearize(loop.getInductionVar(), colDims));
      Value v = ctx.eval(value, idx);
      if (!v)
        return failure();
      ctx.store(i, v, idx);
      ctx.clearCache();
    }
    return success();
  }

  KernelContext &ctx;
  HostSide &host;
  OpBuilder &b;
  Location loc;
  const TargetConfig &cfg;
  int64_t rows = -1;
  SmallVector<RowReduction> reductions;
  Value bid, tid, bdim;
  llvm::DenseMap<Type, Value> scratchBuffers;
};

} // namespace

FailureOr<LaunchDims> emitRowKernel(KernelContext &ctx, HostSide &host) {
  return RowEmitter(ctx, host).run();
}

} // namespace tensorc::kernels
