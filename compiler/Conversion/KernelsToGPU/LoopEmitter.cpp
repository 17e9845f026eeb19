//===- LoopEmitter.cpp - Elementwise and thread-per-output kernels --------===//
//
// Each block takes a contiguous chunk of the output's elements and its
// threads stride through the chunk, so that neighbouring threads touch
// neighbouring elements (coalesced on the GPU, one contiguous run per block
// on the CPU). Every element is evaluated from the kernel body; reductions
// run as serial loops inside the element.
//
// On the GPU, a kernel without reductions takes its output in groups of
// consecutive elements that fill 16 bytes (4 f32, 8 f16): each thread
// evaluates a group lane by lane, reads the inputs it reads element for
// element with one aligned vector.load per group and writes the group with
// one vector.store (ld/st.global.v4.b32); the last elements that fill no
// group are a scalar tail (docs/codegen.md, "Vector accesses").
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/KernelsToGPU/Emitters.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;

namespace tensorc::kernels {

Value hostConstant(HostSide &host, int64_t v) {
  return arith::ConstantIndexOp::create(host.b, host.loc, v);
}

Value hostCeilDiv(HostSide &host, Value a, int64_t c) {
  return arith::CeilDivUIOp::create(host.b, host.loc, a, hostConstant(host, c));
}

Value hostProduct(HostSide &host, ArrayRef<Value> values) {
  Value p = hostConstant(host, 1);
  for (Value v : values)
    p = arith::MulIOp::create(host.b, host.loc, p, v);
  return p;
}

Value hostMin(HostSide &host, Value a, int64_t c) {
  return arith::MinUIOp::create(host.b, host.loc, a, hostConstant(host, c));
}

/// Elements per vector access of an output of `type` in this kernel, or 1
/// (scalar): only on the GPU, only for kernels without reductions (whose
/// loads are not the output's elements), only for byte-addressable types.
static int64_t vectorWidth(KernelContext &ctx, Type type) {
  int64_t bytes = KernelContext::vectorElementBytes(type);
  if (ctx.config().vectorBytes == 0 || bytes == 0 ||
      bytes >= ctx.config().vectorBytes)
    return 1;
  bool reduces = false;
  ctx.kernel().getBody().walk(
      [&](linalg::LinalgOp op) { reduces |= op.getNumReductionLoops() != 0; });
  return reduces ? 1 : ctx.config().vectorBytes / bytes;
}

/// Output `i` at linear position `linear`, evaluated and stored element by
/// element.
static LogicalResult emitScalarElement(KernelContext &ctx, unsigned i,
                                       Value value, Value linear) {
  SmallVector<Value> idx = ctx.delinearize(linear, ctx.output(i).dims);
  Value v = ctx.eval(value, idx);
  if (!v)
    return failure();
  ctx.store(i, v, idx);
  return success();
}

/// Group `group` of `width` elements of output `i`, evaluated lane by lane
/// and stored with one vector.store.
static LogicalResult emitVectorGroup(KernelContext &ctx, unsigned i,
                                     Value value, Value group, int64_t width) {
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  ArrayRef<Value> dims = ctx.output(i).dims;
  Value base = arith::MulIOp::create(b, loc, group, ctx.constant(width));
  ctx.beginLanes(base, width, dims);
  // The lanes share a row when the row length is a multiple of the width:
  // one delinearization, then the last index plus the lane.
  std::optional<int64_t> rowLength = getConstantIntValue(dims.back());
  bool sameRow = dims.size() == 1 || (rowLength && *rowLength % width == 0);
  SmallVector<Value> first = ctx.delinearize(base, dims);
  SmallVector<Value> values;
  for (int64_t k = 0; k < width; ++k) {
    SmallVector<Value> idx = first;
    if (k != 0 && sameRow)
      idx.back() = arith::AddIOp::create(b, loc, first.back(), ctx.constant(k));
    else if (k != 0)
      idx = ctx.delinearize(
          arith::AddIOp::create(b, loc, base, ctx.constant(k)), dims);
    ctx.setLane(k, idx);
    Value v = ctx.eval(value, idx);
    if (!v) {
      ctx.endLanes();
      return failure();
    }
    values.push_back(v);
  }
  ctx.storeLanes(i, values);
  ctx.endLanes();
  return success();
}

FailureOr<LaunchDims> emitLoopKernel(KernelContext &ctx, HostSide &host) {
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  const TargetConfig &cfg = ctx.config();
  tc::YieldOp yield = ctx.kernel().getYield();

  // The grid covers the first output; other outputs split the same grid.
  Value first = yield.getValues()[0];
  Value count = hostProduct(host, host.shapes.dims(first));
  int64_t firstWidth = vectorWidth(ctx, getElementTypeOrSelf(first.getType()));
  int64_t perBlock =
      cfg.loopThreads * std::max(cfg.loopItemsPerThread, firstWidth);
  LaunchDims launch;
  launch.grid[0] =
      hostMin(host, hostCeilDiv(host, count, perBlock), (int64_t(1) << 31) - 1);
  launch.grid[1] = launch.grid[2] = hostConstant(host, 1);
  launch.block[0] = cfg.loopThreads;

  Value bid = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
  Value tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  Value bdim = gpu::BlockDimOp::create(b, loc, gpu::Dimension::x);
  Value gdim = gpu::GridDimOp::create(b, loc, gpu::Dimension::x);
  for (auto [i, value] : llvm::enumerate(yield.getValues())) {
    const Buffer &out = ctx.output(i);
    Value n = ctx.product(out.dims);
    int64_t width =
        out.dims.empty()
            ? 1
            : vectorWidth(ctx, getElementTypeOrSelf(value.getType()));
    // Blocks take contiguous chunks of the groups (elements when scalar).
    Value groups = width == 1
                       ? n
                       : arith::DivUIOp::create(b, loc, n, ctx.constant(width))
                             .getResult();
    Value chunk = ctx.ceilDiv(groups, gdim);
    Value start = arith::MulIOp::create(b, loc, bid, chunk);
    Value end =
        ctx.minIndex(arith::AddIOp::create(b, loc, start, chunk), groups);
    Value firstItem = arith::AddIOp::create(b, loc, start, tid);
    auto loop = scf::ForOp::create(b, loc, firstItem, end, bdim);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      if (failed(width == 1
                     ? emitScalarElement(ctx, i, value, loop.getInductionVar())
                     : emitVectorGroup(ctx, i, value, loop.getInductionVar(),
                                       width)))
        return failure();
    }
    ctx.clearCache();
    // The tail that fills no group: one element per thread of the grid.
    // None when the static dims alone make the count a multiple of the
    // width ([B, 4096]).
    int64_t staticCount = 1;
    for (int64_t size : cast<RankedTensorType>(value.getType()).getShape())
      if (!ShapedType::isDynamic(size))
        staticCount *= size;
    if (width == 1 || staticCount % width == 0)
      continue;
    Value tailStart =
        arith::MulIOp::create(b, loc, groups, ctx.constant(width));
    Value globalTid = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, bid, bdim), tid);
    Value stride = arith::MulIOp::create(b, loc, bdim, gdim);
    auto tail = scf::ForOp::create(
        b, loc, arith::AddIOp::create(b, loc, tailStart, globalTid), n, stride);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(tail.getBody());
      if (failed(emitScalarElement(ctx, i, value, tail.getInductionVar())))
        return failure();
    }
    ctx.clearCache();
  }
  if (ctx.failed())
    return failure();
  return launch;
}

} // namespace tensorc::kernels
