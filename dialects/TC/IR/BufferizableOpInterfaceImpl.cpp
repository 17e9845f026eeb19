//===- BufferizableOpInterfaceImpl.cpp - tc ops and bufferization ---------===//
//
// A tc.launch is destination-passing style: it reads its inputs and writes
// its outputs whole (kernels never read an output before writing it), so an
// output bufferizes to a write-only buffer and a fresh destination needs no
// copy.
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/IR/BufferizableOpInterfaceImpl.h"
#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace tensorc::tc;

namespace {
struct LaunchOpInterface
    : DstBufferizableOpInterfaceExternalModel<LaunchOpInterface, LaunchOp> {
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const AnalysisState &) const {
    return !cast<DestinationStyleOpInterface>(op).isDpsInit(&operand);
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto launch = cast<LaunchOp>(op);
    auto buffersOf = [&](ValueRange values,
                         SmallVectorImpl<Value> &out) -> LogicalResult {
      for (Value v : values) {
        if (!isa<TensorType>(v.getType())) {
          out.push_back(v);
          continue;
        }
        FailureOr<Value> buffer = getBuffer(rewriter, v, options, state);
        if (failed(buffer))
          return failure();
        out.push_back(*buffer);
      }
      return success();
    };
    SmallVector<Value> ins, outs;
    if (failed(buffersOf(launch.getInputs(), ins)) ||
        failed(buffersOf(launch.getOutputs(), outs)))
      return failure();
    rewriter.setInsertionPoint(launch);
    LaunchOp::create(rewriter, launch.getLoc(), TypeRange{},
                     launch.getKernelAttr(), launch.getGridX(),
                     launch.getGridY(), launch.getGridZ(),
                     launch.getBlockAttr(), launch.getSmemAttr(), ins, outs,
                     launch.getDims());
    replaceOpWithBufferizedValues(rewriter, op, outs);
    return success();
  }
};
} // namespace

void tensorc::tc::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, TCDialect *) {
    LaunchOp::attachInterface<LaunchOpInterface>(*context);
  });
}
