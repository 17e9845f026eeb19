//===- ContractionEmitter.cpp - Tiled matrix products with epilogues ------===//
//
// One block per BM x BN tile of the output (and per batch index). On the GPU,
// each K step stages a BM x BK tile of A and a BK x BN tile of B in
// workgroup memory; each thread accumulates a TM x TN register tile, with
// rows and columns strided by the thread grid so that stores coalesce. On
// the CPU (one thread per block) the accumulators live in a stack tile.
// Operand loads evaluate the kernel body, so transposes and other cheap
// producers are read in place (the prologue); once a tile is done, each
// output element evaluates the yielded values with the accumulator as the
// product's value (the epilogue: bias, activation, residual).
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/KernelsToGPU/ContractionMma.h"
#include "compiler/Conversion/KernelsToGPU/Emitters.h"

#include "dialects/TC/Transforms/KernelGrouping.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace tensorc::kernels {
namespace {

unsigned bitsOf(Type type) {
  return type.isIntOrFloat() ? type.getIntOrFloatBitWidth() : 64;
}

class ContractionEmitter {
public:
  ContractionEmitter(KernelContext &ctx, HostSide &host)
      : ctx(ctx), host(host), b(ctx.builder()), loc(ctx.loc()),
        cfg(ctx.config()) {}

  FailureOr<LaunchDims> run() {
    if (!match())
      return emitLoopKernel(ctx, host);
    sizes = ctx.loopSizes(op);
    if (ctx.failed())
      return failure();
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    std::string key = contractionKey(
        cfg.keyTarget, inputElementType(aIndex), inputElementType(bIndex),
        ranges[dims.m[0]], ranges[dims.n[0]], ranges[dims.k[0]]);
    tiles = cfg.contractionTiles(key, ranges[dims.m[0]], ranges[dims.n[0]],
                                 ranges[dims.k[0]],
                                 isTensorCoreProduct(op, aIndex, bIndex));
    int64_t bytes =
        tileWorkgroupBytes(tiles, bitsOf(inputElementType(aIndex)) / 8,
                           bitsOf(inputElementType(bIndex)) / 8);
    if (!cfg.cpu && bytes > kMaxStaticWorkgroupBytes) {
      ctx.kernel().emitError("contraction tiles ")
          << tiles.m << "x" << tiles.n << "x" << tiles.k << " need " << bytes
          << " bytes of workgroup memory (at most " << kMaxStaticWorkgroupBytes
          << ")";
      return failure();
    }
    // Visible in --emit=gpu and checked by tests.
    ctx.func()->setAttr(
        "tc.tiles", b.getDenseI64ArrayAttr({tiles.m, tiles.n, tiles.k,
                                            tiles.threadsM, tiles.threadsN}));
    // What `tensorc tune` tunes it by, and the tiles in its words (the
    // manifest has both).
    ctx.func()->setAttr("tc.tile_key", b.getStringAttr(key));
    ctx.func()->setAttr("tc.tile_text", b.getStringAttr(formatTiles(tiles)));
    if (tiles.mma)
      ctx.func()->setAttr("tc.mma", b.getStringAttr("m16n8k16"));
    ctx.func()->setAttr("tc.contraction_reads",
                        b.getDenseI64ArrayAttr(contractionReads()));
    SmallVector<Value> batchSizes;
    for (unsigned d : dims.batch)
      batchSizes.push_back(sizes[d]);
    batchCount = ctx.product(batchSizes);

    LaunchDims launch;
    SmallVector<Value> hostBatch;
    for (unsigned d : dims.batch)
      hostBatch.push_back(hostLoopSize(d));
    launch.grid[0] = hostCeilDiv(host, hostLoopSize(dims.n[0]), tiles.n);
    launch.grid[1] = hostCeilDiv(host, hostLoopSize(dims.m[0]), tiles.m);
    launch.grid[2] = hostMin(host, hostProduct(host, hostBatch), 65535);
    launch.block[0] = tiles.threadsN;
    launch.block[1] = tiles.threadsM;

    Value bz = gpu::BlockIdOp::create(b, loc, gpu::Dimension::z);
    Value gz = gpu::GridDimOp::create(b, loc, gpu::Dimension::z);
    auto batchLoop = scf::ForOp::create(b, loc, bz, batchCount, gz);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(batchLoop.getBody());
    loops.assign(op.getNumLoops(), ctx.constant(0));
    for (auto [d, v] :
         llvm::zip(dims.batch,
                   ctx.delinearize(batchLoop.getInductionVar(), batchSizes)))
      loops[d] = v;
    Value bx = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
    Value by = gpu::BlockIdOp::create(b, loc, gpu::Dimension::y);
    m0 = arith::MulIOp::create(b, loc, by, ctx.constant(tiles.m));
    n0 = arith::MulIOp::create(b, loc, bx, ctx.constant(tiles.n));
    LogicalResult result = cfg.cpu ? emitCpuTile() : emitGpuTile();
    if (failed(result) || ctx.failed())
      return failure();
    return launch;
  }

private:
  /// The kernel inputs the product's operands read, through any fused
  /// prologue, as positions among the kernel's tensor inputs (the launch's
  /// `ins`): a training step must not write a param among them in this
  /// kernel, since other blocks still read it (tc-update-params-in-place).
  SmallVector<int64_t> contractionReads() {
    Block &body = ctx.kernel().getBodyBlock();
    SmallVector<Value> work = {op.getDpsInputOperand(aIndex)->get(),
                               op.getDpsInputOperand(bIndex)->get()};
    DenseSet<Value> seen;
    SmallVector<int64_t> reads;
    while (!work.empty()) {
      Value v = work.pop_back_val();
      if (!seen.insert(v).second)
        continue;
      if (auto arg = dyn_cast<BlockArgument>(v)) {
        if (arg.getOwner() != &body || !isa<RankedTensorType>(arg.getType()))
          continue;
        reads.push_back(
            llvm::count_if(body.getArguments().take_front(arg.getArgNumber()),
                           [](BlockArgument a) {
                             return isa<RankedTensorType>(a.getType());
                           }));
        continue;
      }
      if (Operation *def = v.getDefiningOp())
        def->walk([&](Operation *nested) {
          llvm::append_range(work, nested->getOperands());
        });
    }
    llvm::sort(reads);
    reads.erase(llvm::unique(reads), reads.end());
    return reads;
  }

  /// One contraction with single M, N and K dims and two operands, one
  /// indexed by (M, K), the other by (K, N); every output has its shape.
  bool match() {
    for (Operation &inner : ctx.kernel().getBodyBlock()) {
      auto linalgOp = dyn_cast<linalg::LinalgOp>(&inner);
      if (!linalgOp || !tc::isContraction(linalgOp))
        continue;
      if (op)
        return false; // one contraction per kernel
      op = linalgOp;
    }
    if (!op || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1)
      return false;
    FailureOr<linalg::ContractionDimensions> found =
        linalg::inferContractionDims(op);
    if (failed(found) || found->k.size() != 1)
      return false;
    dims = *found;
    AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    if (!out.isProjectedPermutation() || !keepInnermost(dims.m, out) ||
        !keepInnermost(dims.n, out))
      return false;
    auto uses = [&](unsigned operand, unsigned d) {
      return op.getMatchingIndexingMap(op.getDpsInputOperand(operand))
          .isFunctionOfDim(d);
    };
    for (unsigned i = 0; i < 2; ++i) {
      if (uses(i, dims.m[0]) && !uses(i, dims.n[0]))
        aIndex = i;
      else if (uses(i, dims.n[0]) && !uses(i, dims.m[0]))
        bIndex = i;
    }
    if (aIndex < 0 || bIndex < 0)
      return false;
    int64_t rank = cast<RankedTensorType>(op->getResult(0).getType()).getRank();
    for (Value y : ctx.kernel().getYield().getValues())
      if (cast<RankedTensorType>(y.getType()).getRank() != rank)
        return false;
    return true;
  }

  /// Keeps the M (or N) dim of `ds` innermost in the output `out` and moves
  /// the others to the batch dims: they index the output and one operand,
  /// which the other operand is broadcast across (the image index of a
  /// convolution over gathered windows, whose filter has none).
  bool keepInnermost(SmallVector<unsigned, 2> &ds, AffineMap out) {
    if (ds.empty())
      return false;
    auto position = [&](unsigned d) {
      return *out.getResultPosition(getAffineDimExpr(d, op.getContext()));
    };
    unsigned inner = *llvm::max_element(
        ds, [&](unsigned x, unsigned y) { return position(x) < position(y); });
    for (unsigned d : ds)
      if (d != inner)
        dims.batch.push_back(d);
    ds.assign({inner});
    return true;
  }

  Value hostLoopSize(unsigned d) {
    for (OpOperand &operand : op->getOpOperands()) {
      AffineMap map = op.getMatchingIndexingMap(&operand);
      for (auto [pos, e] : llvm::enumerate(map.getResults()))
        if (auto de = dyn_cast<AffineDimExpr>(e); de && de.getPosition() == d)
          return host.shapes.dim(operand.get(), pos);
    }
    return {};
  }

  Value operandValue(int index, Value m, Value n, Value k) {
    SmallVector<Value> at(loops);
    at[dims.m[0]] = m;
    at[dims.n[0]] = n;
    at[dims.k[0]] = k;
    OpOperand *operand = op.getDpsInputOperand(index);
    SmallVector<Value> idx;
    for (AffineExpr e : op.getMatchingIndexingMap(operand).getResults())
      idx.push_back(at[cast<AffineDimExpr>(e).getPosition()]);
    return ctx.eval(operand->get(), idx);
  }

  SmallVector<Value> outputIndex(Value m, Value n) {
    SmallVector<Value> at(loops);
    at[dims.m[0]] = m;
    at[dims.n[0]] = n;
    SmallVector<Value> idx;
    for (AffineExpr e :
         op.getMatchingIndexingMap(op.getDpsInitOperand(0)).getResults())
      idx.push_back(at[cast<AffineDimExpr>(e).getPosition()]);
    return idx;
  }

  /// acc' = payload(a, b, acc).
  Value multiplyAdd(Value a, Value bv, Value acc) {
    SmallVector<Value> args(3);
    args[aIndex] = a;
    args[bIndex] = bv;
    args[2] = acc;
    SmallVector<Value> r = ctx.payload(op, loops, args);
    return r.empty() ? Value() : r[0];
  }

  Value lessThan(Value x, Value bound) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, bound);
  }

  /// `cond ? value-built-by-fn : zero`, evaluated only when `cond` holds.
  Value guardedLoad(Value cond, Type type, function_ref<Value()> fn) {
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{type}, cond, true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    Value v = fn();
    if (!v)
      return {};
    scf::YieldOp::create(b, loc, v);
    b.setInsertionPointToStart(&ifOp.getElseRegion().front());
    scf::YieldOp::create(
        b, loc,
        arith::ConstantOp::create(b, loc, b.getZeroAttr(type)).getResult());
    ctx.clearCache();
    return ifOp.getResult(0);
  }

  /// Writes every yielded value at (m, n) with the accumulator as the
  /// product.
  LogicalResult epilogue(Value m, Value n, Value acc) {
    ctx.setOverride(op->getResult(0), acc);
    SmallVector<Value> idx = outputIndex(m, n);
    for (auto [i, y] : llvm::enumerate(ctx.kernel().getYield().getValues())) {
      Value v = ctx.eval(y, idx);
      if (!v)
        return failure();
      ctx.store(i, v, idx);
    }
    ctx.clearOverride(op->getResult(0));
    ctx.clearCache();
    return success();
  }

  Type inputElementType(int index) {
    Block &body = op->getRegion(0).front();
    return body.getArgument(index).getType();
  }

  /// The tile on tensor cores (ContractionMma.cpp).
  LogicalResult emitMmaGpuTile() {
    MmaTileIO io;
    auto loadA = [&](Value in, Value m, Value k) {
      return guardedLoad(in, inputElementType(aIndex), [&] {
        return operandValue(aIndex, m, ctx.constant(0), k);
      });
    };
    auto loadB = [&](Value in, Value k, Value n) {
      return guardedLoad(in, inputElementType(bIndex), [&] {
        return operandValue(bIndex, ctx.constant(0), n, k);
      });
    };
    auto init = [&](Value m, Value n) {
      return ctx.eval(op.getDpsInits()[0], outputIndex(m, n));
    };
    auto write = [&](Value m, Value n, Value acc) {
      return epilogue(m, n, acc);
    };
    io.loadA = loadA;
    io.loadB = loadB;
    io.init = init;
    io.epilogue = write;
    io.mSize = sizes[dims.m[0]];
    io.nSize = sizes[dims.n[0]];
    io.kSize = sizes[dims.k[0]];
    io.m0 = m0;
    io.n0 = n0;
    return emitMmaTile(ctx, tiles, inputElementType(aIndex), io);
  }

  LogicalResult emitGpuTile() {
    if (tiles.mma)
      return emitMmaGpuTile();
    int64_t tm = tiles.m / tiles.threadsM, tn = tiles.n / tiles.threadsN;
    int64_t threads = tiles.threadsM * tiles.threadsN;
    Type aType = inputElementType(aIndex), bType = inputElementType(bIndex);
    Type accType = op->getRegion(0).front().getArgument(2).getType();
    Value as = ctx.workgroupBuffer(aType, tiles.k * tiles.m);
    Value bs = ctx.workgroupBuffer(bType, tiles.k * tiles.n);
    Value tx = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
    Value ty = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::y);
    Value tid = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, ty, ctx.constant(tiles.threadsN)),
        tx);
    Value mSize = sizes[dims.m[0]], nSize = sizes[dims.n[0]],
          kSize = sizes[dims.k[0]];
    Value lastM = arith::SubIOp::create(b, loc, mSize, ctx.constant(1));
    Value lastN = arith::SubIOp::create(b, loc, nSize, ctx.constant(1));

    // Rows and columns of this thread's outputs.
    SmallVector<Value> rowsOf(tm), colsOf(tn);
    for (int64_t i = 0; i < tm; ++i)
      rowsOf[i] = arith::AddIOp::create(
          b, loc, m0,
          arith::AddIOp::create(b, loc, ty, ctx.constant(i * tiles.threadsM)));
    for (int64_t j = 0; j < tn; ++j)
      colsOf[j] = arith::AddIOp::create(
          b, loc, n0,
          arith::AddIOp::create(b, loc, tx, ctx.constant(j * tiles.threadsN)));

    // Accumulators start at the init (clamped: never read out of bounds).
    SmallVector<Value> init;
    for (int64_t i = 0; i < tm; ++i)
      for (int64_t j = 0; j < tn; ++j) {
        SmallVector<Value> idx = outputIndex(ctx.minIndex(rowsOf[i], lastM),
                                             ctx.minIndex(colsOf[j], lastN));
        Value v = ctx.eval(op.getDpsInits()[0], idx);
        if (!v)
          return failure();
        init.push_back(v);
      }
    Value kTiles = ctx.ceilDiv(kSize, ctx.constant(tiles.k));
    auto kLoop = scf::ForOp::create(b, loc, ctx.constant(0), kTiles,
                                    ctx.constant(1), init);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(kLoop.getBody());
      Value k0 = arith::MulIOp::create(b, loc, kLoop.getInductionVar(),
                                       ctx.constant(tiles.k));
      // Stage the A tile ([BK][BM], K-major) and the B tile ([BK][BN]).
      for (int64_t r = 0; r < tiles.m * tiles.k / threads; ++r) {
        Value e = arith::AddIOp::create(b, loc, tid, ctx.constant(r * threads));
        Value mm = arith::DivUIOp::create(b, loc, e, ctx.constant(tiles.k));
        Value kk = arith::RemUIOp::create(b, loc, e, ctx.constant(tiles.k));
        Value m = arith::AddIOp::create(b, loc, m0, mm);
        Value k = arith::AddIOp::create(b, loc, k0, kk);
        Value in = arith::AndIOp::create(b, loc, lessThan(m, mSize),
                                         lessThan(k, kSize));
        Value v = guardedLoad(in, aType, [&] {
          return operandValue(aIndex, m, ctx.constant(0), k);
        });
        if (!v)
          return failure();
        Value slot = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, kk, ctx.constant(tiles.m)),
            mm);
        memref::StoreOp::create(b, loc, v, as, ValueRange{slot});
      }
      for (int64_t r = 0; r < tiles.n * tiles.k / threads; ++r) {
        Value e = arith::AddIOp::create(b, loc, tid, ctx.constant(r * threads));
        Value kk = arith::DivUIOp::create(b, loc, e, ctx.constant(tiles.n));
        Value nn = arith::RemUIOp::create(b, loc, e, ctx.constant(tiles.n));
        Value n = arith::AddIOp::create(b, loc, n0, nn);
        Value k = arith::AddIOp::create(b, loc, k0, kk);
        Value in = arith::AndIOp::create(b, loc, lessThan(n, nSize),
                                         lessThan(k, kSize));
        Value v = guardedLoad(in, bType, [&] {
          return operandValue(bIndex, ctx.constant(0), n, k);
        });
        if (!v)
          return failure();
        Value slot = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, kk, ctx.constant(tiles.n)),
            nn);
        memref::StoreOp::create(b, loc, v, bs, ValueRange{slot});
      }
      gpu::BarrierOp::create(b, loc);
      auto inner =
          scf::ForOp::create(b, loc, ctx.constant(0), ctx.constant(tiles.k),
                             ctx.constant(1), kLoop.getRegionIterArgs());
      {
        OpBuilder::InsertionGuard innerGuard(b);
        b.setInsertionPointToStart(inner.getBody());
        Value kk = inner.getInductionVar();
        SmallVector<Value> a(tm), bv(tn);
        for (int64_t i = 0; i < tm; ++i) {
          Value slot = arith::AddIOp::create(
              b, loc, arith::MulIOp::create(b, loc, kk, ctx.constant(tiles.m)),
              arith::AddIOp::create(b, loc, ty,
                                    ctx.constant(i * tiles.threadsM)));
          a[i] = memref::LoadOp::create(b, loc, as, ValueRange{slot});
        }
        for (int64_t j = 0; j < tn; ++j) {
          Value slot = arith::AddIOp::create(
              b, loc, arith::MulIOp::create(b, loc, kk, ctx.constant(tiles.n)),
              arith::AddIOp::create(b, loc, tx,
                                    ctx.constant(j * tiles.threadsN)));
          bv[j] = memref::LoadOp::create(b, loc, bs, ValueRange{slot});
        }
        SmallVector<Value> next;
        for (int64_t i = 0; i < tm; ++i)
          for (int64_t j = 0; j < tn; ++j) {
            Value r =
                multiplyAdd(a[i], bv[j], inner.getRegionIterArgs()[i * tn + j]);
            if (!r)
              return failure();
            next.push_back(r);
          }
        scf::YieldOp::create(b, loc, next);
      }
      gpu::BarrierOp::create(b, loc);
      scf::YieldOp::create(b, loc, inner.getResults());
    }
    ctx.clearCache();
    (void)accType;
    for (int64_t i = 0; i < tm; ++i)
      for (int64_t j = 0; j < tn; ++j) {
        Value in = arith::AndIOp::create(b, loc, lessThan(rowsOf[i], mSize),
                                         lessThan(colsOf[j], nSize));
        auto ifOp = scf::IfOp::create(b, loc, in, /*withElse=*/false);
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(&ifOp.getThenRegion().front());
        if (failed(epilogue(rowsOf[i], colsOf[j], kLoop.getResult(i * tn + j))))
          return failure();
      }
    return success();
  }

  LogicalResult emitCpuTile() {
    Type accType = op->getRegion(0).front().getArgument(2).getType();
    Value acc = ctx.workgroupBuffer(accType, tiles.m * tiles.n);
    Value mSize = sizes[dims.m[0]], nSize = sizes[dims.n[0]],
          kSize = sizes[dims.k[0]];
    Value mEnd = ctx.minIndex(ctx.constant(tiles.m),
                              arith::SubIOp::create(b, loc, mSize, m0));
    Value nEnd = ctx.minIndex(ctx.constant(tiles.n),
                              arith::SubIOp::create(b, loc, nSize, n0));
    Value zero = ctx.constant(0), one = ctx.constant(1);
    auto slotOf = [&](Value i, Value j) -> Value {
      return arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, i, ctx.constant(tiles.n)), j);
    };
    auto forEachElement =
        [&](function_ref<LogicalResult(Value, Value)> fn) -> LogicalResult {
      auto li = scf::ForOp::create(b, loc, zero, mEnd, one);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(li.getBody());
      auto lj = scf::ForOp::create(b, loc, zero, nEnd, one);
      b.setInsertionPointToStart(lj.getBody());
      LogicalResult r = fn(li.getInductionVar(), lj.getInductionVar());
      ctx.clearCache();
      return r;
    };
    // acc = init.
    if (failed(forEachElement([&](Value i, Value j) {
          Value m = arith::AddIOp::create(b, loc, m0, i);
          Value n = arith::AddIOp::create(b, loc, n0, j);
          Value v = ctx.eval(op.getDpsInits()[0], outputIndex(m, n));
          if (!v)
            return failure();
          memref::StoreOp::create(b, loc, v, acc, ValueRange{slotOf(i, j)});
          return success();
        })))
      return failure();
    // acc += A[m, k] * B[k, n], k outermost so that B rows stream.
    auto kLoop = scf::ForOp::create(b, loc, zero, kSize, one);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(kLoop.getBody());
      Value k = kLoop.getInductionVar();
      auto li = scf::ForOp::create(b, loc, zero, mEnd, one);
      b.setInsertionPointToStart(li.getBody());
      Value i = li.getInductionVar();
      Value m = arith::AddIOp::create(b, loc, m0, i);
      Value a = operandValue(aIndex, m, zero, k);
      if (!a)
        return failure();
      auto lj = scf::ForOp::create(b, loc, zero, nEnd, one);
      b.setInsertionPointToStart(lj.getBody());
      Value j = lj.getInductionVar();
      Value n = arith::AddIOp::create(b, loc, n0, j);
      Value bv = operandValue(bIndex, zero, n, k);
      if (!bv)
        return failure();
      Value slot = slotOf(i, j);
      Value old = memref::LoadOp::create(b, loc, acc, ValueRange{slot});
      Value r = multiplyAdd(a, bv, old);
      if (!r)
        return failure();
      memref::StoreOp::create(b, loc, r, acc, ValueRange{slot});
    }
    ctx.clearCache();
    return forEachElement([&](Value i, Value j) {
      Value m = arith::AddIOp::create(b, loc, m0, i);
      Value n = arith::AddIOp::create(b, loc, n0, j);
      Value v = memref::LoadOp::create(b, loc, acc, ValueRange{slotOf(i, j)});
      return epilogue(m, n, v);
    });
  }

  KernelContext &ctx;
  HostSide &host;
  OpBuilder &b;
  Location loc;
  const TargetConfig &cfg;
  linalg::LinalgOp op;
  linalg::ContractionDimensions dims;
  int aIndex = -1, bIndex = -1;
  SmallVector<Value> sizes, loops;
  Value batchCount, m0, n0;
  ContractionTiles tiles;
};

} // namespace

FailureOr<LaunchDims> emitContractionKernel(KernelContext &ctx,
                                            HostSide &host) {
  return ContractionEmitter(ctx, host).run();
}

} // namespace tensorc::kernels
