//===- BF16MmaSyncToNVVM.cpp - bf16 nvgpu.mma.sync to nvvm.mma.sync -------===//
//
// `tc-bf16-mma-sync-to-nvvm`: MLIR 22's convert-nvgpu-to-nvvm cannot deduce
// PTX types for bf16 operands, so the bf16 case is rewritten here into the
// nvvm.mma.sync that PTX's `mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16
// .f32` needs: each row of an operand vector (two bf16, low half first) is
// one .b32 register, accumulators are four f32.
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tensorc::tc {
#define GEN_PASS_DEF_TCBF16MMASYNCTONVVM
#include "dialects/TC/Transforms/Passes.h.inc"
} // namespace tensorc::tc

using namespace mlir;

namespace {

struct BF16MmaSync : OpRewritePattern<nvgpu::MmaSyncOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(nvgpu::MmaSyncOp op,
                                PatternRewriter &rewriter) const override {
    auto aType = cast<VectorType>(op.getMatrixA().getType());
    auto bType = cast<VectorType>(op.getMatrixB().getType());
    auto cType = cast<VectorType>(op.getMatrixC().getType());
    if (!aType.getElementType().isBF16() || !bType.getElementType().isBF16())
      return rewriter.notifyMatchFailure(op, "not bf16");
    if (op.getMmaShapeAsArray() != std::array<int64_t, 3>{16, 8, 16} ||
        aType.getShape() != ArrayRef<int64_t>{4, 2} ||
        bType.getShape() != ArrayRef<int64_t>{2, 2} ||
        cType.getShape() != ArrayRef<int64_t>{2, 2} ||
        !cType.getElementType().isF32())
      return rewriter.notifyMatchFailure(
          op, "only m16n8k16 with f32 accumulators is supported");
    Location loc = op.getLoc();
    Type i32 = rewriter.getI32Type();
    auto wordType = VectorType::get({1}, i32);
    auto registers = [&](Value matrix, int64_t rows) {
      SmallVector<Value> regs;
      for (int64_t r = 0; r < rows; ++r) {
        Value pair = vector::ExtractOp::create(rewriter, loc, matrix,
                                               ArrayRef<int64_t>{r});
        Value word = vector::BitCastOp::create(rewriter, loc, wordType, pair);
        regs.push_back(vector::ExtractOp::create(rewriter, loc, word,
                                                 ArrayRef<int64_t>{0}));
      }
      return regs;
    };
    SmallVector<Value> a = registers(op.getMatrixA(), 4);
    SmallVector<Value> b = registers(op.getMatrixB(), 2);
    SmallVector<Value> c;
    for (int64_t i = 0; i < 4; ++i)
      c.push_back(vector::ExtractOp::create(rewriter, loc, op.getMatrixC(),
                                            ArrayRef<int64_t>{i / 2, i % 2}));
    Type f32 = rewriter.getF32Type();
    auto resultType = LLVM::LLVMStructType::getLiteral(rewriter.getContext(),
                                                       {f32, f32, f32, f32});
    std::array<NVVM::MMATypes, 2> types = {NVVM::MMATypes::bf16,
                                           NVVM::MMATypes::bf16};
    std::array<NVVM::MMALayout, 2> layouts = {NVVM::MMALayout::row,
                                              NVVM::MMALayout::col};
    Value d = NVVM::MmaOp::create(rewriter, loc, resultType, a, b, c,
                                  ArrayRef<int64_t>{16, 8, 16}, std::nullopt,
                                  std::nullopt, types, layouts);
    SmallVector<Value> results;
    for (int64_t i = 0; i < 4; ++i)
      results.push_back(LLVM::ExtractValueOp::create(rewriter, loc, d, i));
    rewriter.replaceOpWithNewOp<vector::FromElementsOp>(op, cType, results);
    return success();
  }
};

struct BF16MmaSyncToNVVM
    : tensorc::tc::impl::TCBF16MmaSyncToNVVMBase<BF16MmaSyncToNVVM> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<BF16MmaSync>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
