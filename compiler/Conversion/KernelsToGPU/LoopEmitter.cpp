//===- LoopEmitter.cpp - Elementwise and thread-per-output kernels --------===//
//
// Each block takes a contiguous chunk of the output's elements and its
// threads stride through the chunk, so that neighbouring threads touch
// neighbouring elements (coalesced on the GPU, one contiguous run per block
// on the CPU). Every element is evaluated from the kernel body; reductions
// run as serial loops inside the element.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/KernelsToGPU/Emitters.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

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

FailureOr<LaunchDims> emitLoopKernel(KernelContext &ctx, HostSide &host) {
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  const TargetConfig &cfg = ctx.config();
  tc::YieldOp yield = ctx.kernel().getYield();

  // The grid covers the first output; other outputs split the same grid.
  Value first = yield.getValues()[0];
  Value count = hostProduct(host, host.shapes.dims(first));
  int64_t perBlock = cfg.loopThreads * cfg.loopItemsPerThread;
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
    Value chunk = ctx.ceilDiv(n, gdim);
    Value start = arith::MulIOp::create(b, loc, bid, chunk);
    Value end = ctx.minIndex(arith::AddIOp::create(b, loc, start, chunk), n);
    Value first = arith::AddIOp::create(b, loc, start, tid);
    auto loop = scf::ForOp::create(b, loc, first, end, bdim);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      SmallVector<Value> idx =
          ctx.delinearize(loop.getInductionVar(), out.dims);
      Value v = ctx.eval(value, idx);
      if (!v)
        return failure();
      ctx.store(i, v, idx);
    }
    ctx.clearCache();
  }
  if (ctx.failed())
    return failure();
  return launch;
}

} // namespace tensorc::kernels
