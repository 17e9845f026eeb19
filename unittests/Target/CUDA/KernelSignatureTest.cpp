//===- KernelSignatureTest.cpp - NVRTC and NVPTX kernels are interchangeable //
//
// The runtime launches whichever PTX the artifact holds with the same
// arguments (docs/artifact.md), so both backends must give every kernel the
// same name and the same parameters: a 64-bit pointer per buffer, a 64-bit
// integer per size.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/CUDA/CUDAEmitter.h"
#include "compiler/Target/CUDA/NVRTC.h"
#include "unittests/Target/TargetTestUtil.h"
#ifdef TENSORC_HAVE_NVPTX_TARGET
#include "compiler/Target/NVPTX/PTXTarget.h"
#endif

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/Regex.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {

struct Entry {
  std::string name;
  /// Each parameter's type, `.u64` or `.b64` for both pointers and sizes.
  std::vector<std::string> params;
};

/// The `.entry` signatures of a PTX module, in order.
std::vector<Entry> entries(llvm::StringRef ptx) {
  std::vector<Entry> result;
  llvm::Regex entry(
      "\\.entry[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*\\(([^)]*)\\)");
  llvm::SmallVector<llvm::StringRef> groups;
  while (entry.match(ptx, &groups)) {
    Entry e{groups[1].str(), {}};
    llvm::SmallVector<llvm::StringRef> params;
    groups[2].split(params, ',', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef param : params) {
      llvm::SmallVector<llvm::StringRef> words;
      param.trim().split(words, ' ', -1, /*KeepEmpty=*/false);
      if (words.size() >= 2)
        e.params.push_back(words[1].str());
    }
    result.push_back(std::move(e));
    ptx = ptx.drop_front(ptx.find(groups[0]) + groups[0].size());
  }
  return result;
}

class KernelSignatureTest : public ::testing::Test {
protected:
  void SetUp() override {
    registry.insert<arith::ArithDialect, gpu::GPUDialect, math::MathDialect,
                    memref::MemRefDialect, scf::SCFDialect>();
    context = std::make_unique<MLIRContext>(registry);
    module = parseSourceFile<ModuleOp>(TENSORC_KERNELS_MLIR, context.get());
    ASSERT_TRUE(module) << "cannot parse " << TENSORC_KERNELS_MLIR;
  }

  /// The kernels compiled by the NVRTC path; skips where NVRTC is missing.
  std::string nvrtcPTX() {
    FailureOr<std::string> source =
        tensorc::cuda::translateKernelsToCUDA(*module);
    EXPECT_TRUE(succeeded(source));
    if (failed(source))
      return "";
    FailureOr<std::string> ptx =
        tensorc::cuda::compileCUDAToPTX(*source, "sm_90", module->getLoc());
    EXPECT_TRUE(succeeded(ptx));
    return succeeded(ptx) ? *ptx : "";
  }

  DialectRegistry registry;
  std::unique_ptr<MLIRContext> context;
  OwningOpRef<ModuleOp> module;
};

TEST_F(KernelSignatureTest, NVRTCFollowsTheKernelABI) {
  if (!tensorc::cuda::isNVRTCAvailable())
    GTEST_SKIP() << "NVRTC not available";
  std::vector<Entry> kernels = entries(nvrtcPTX());
  // Names and parameter counts of test/Target/Inputs/kernels.mlir.
  std::vector<std::pair<std::string, size_t>> expected = {{"bias_relu", 5},
                                                          {"softmax_rows", 4},
                                                          {"matmul_tiled", 6},
                                                          {"mixed_types", 4}};
  ASSERT_EQ(kernels.size(), expected.size());
  for (size_t i = 0; i < kernels.size(); ++i) {
    EXPECT_EQ(kernels[i].name, expected[i].first);
    ASSERT_EQ(kernels[i].params.size(), expected[i].second) << kernels[i].name;
    for (const std::string &type : kernels[i].params)
      EXPECT_EQ(type, ".u64") << kernels[i].name;
  }
}

TEST_F(KernelSignatureTest, NVRTCShardsGiveTheSameKernels) {
  if (!tensorc::cuda::isNVRTCAvailable())
    GTEST_SKIP() << "NVRTC not available";
  auto kernels = module->lookupSymbol<gpu::GPUModuleOp>("tc_kernels");
  ASSERT_TRUE(kernels);
  FailureOr<std::string> one =
      tensorc::cuda::compileKernelsWithNVRTC(kernels, "sm_90", {}, 1);
  ASSERT_TRUE(succeeded(one));
  FailureOr<std::string> three =
      tensorc::cuda::compileKernelsWithNVRTC(kernels, "sm_90", {}, 3);
  ASSERT_TRUE(succeeded(three));
  using tensorc::target::testing::countOf;
  using tensorc::target::testing::ptxEntryBodies;
  EXPECT_EQ(countOf(*three, ".version"), 1u);
  std::map<std::string, std::string> a = ptxEntryBodies(*one),
                                     b = ptxEntryBodies(*three);
  EXPECT_EQ(a.size(), 4u);
  EXPECT_EQ(a, b);
  // One program is what compileCUDAToPTX makes of the whole source.
  EXPECT_EQ(ptxEntryBodies(nvrtcPTX()), a);
}

#ifdef TENSORC_HAVE_NVPTX_TARGET
TEST_F(KernelSignatureTest, NVRTCMatchesNVPTX) {
  if (!tensorc::cuda::isNVRTCAvailable())
    GTEST_SKIP() << "NVRTC not available";
  FailureOr<std::string> reference =
      tensorc::target::translateKernelsToPTX(*module);
  ASSERT_TRUE(succeeded(reference));
  std::vector<Entry> nvptx = entries(*reference);
  std::vector<Entry> nvrtc = entries(nvrtcPTX());
  ASSERT_EQ(nvptx.size(), nvrtc.size());
  for (size_t i = 0; i < nvptx.size(); ++i) {
    EXPECT_EQ(nvptx[i].name, nvrtc[i].name);
    ASSERT_EQ(nvptx[i].params.size(), nvrtc[i].params.size()) << nvptx[i].name;
    // .u64 and .b64 are the same 8 bytes to cuLaunchKernel.
    for (size_t p = 0; p < nvptx[i].params.size(); ++p)
      EXPECT_EQ(nvptx[i].params[p].substr(2), nvrtc[i].params[p].substr(2))
          << nvptx[i].name << " parameter " << p;
  }
}
#endif

} // namespace
