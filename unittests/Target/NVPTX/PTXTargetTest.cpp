//===- PTXTargetTest.cpp - PTX for the reference kernels ------------------===//
//
// No GPU here: checks the PTX text (one module, the kernel ABI on every
// .entry, the options) and reports how long generation takes; ptxas runs in
// the lit tests (test/Target/ptx.mlir).
//
//===----------------------------------------------------------------------===//

#include "unittests/Target/TargetTestUtil.h"

#include "compiler/Target/NVPTX/PTXShards.h"
#include "compiler/Target/NVPTX/PTXTarget.h"

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <regex>

using namespace tensorc::target;
using mlir::FailureOr;
using tensorc::target::testing::countOf;
using tensorc::target::testing::KernelModule;
using tensorc::target::testing::ptxEntryBodies;
using tensorc::target::testing::wrapKernel;

namespace {

struct EntryParams {
  int pointers = 0, integers = 0;
};

/// Counts the parameters of `.entry name(...)`.
EntryParams entryParams(const std::string &ptx, const std::string &name) {
  EntryParams params;
  size_t start = ptx.find(".entry " + name + "(");
  if (start == std::string::npos)
    return {-1, -1};
  std::string list = ptx.substr(start, ptx.find(')', start) - start);
  std::regex param(R"(\.param \.u64 (\.ptr )?)");
  for (auto it = std::sregex_iterator(list.begin(), list.end(), param);
       it != std::sregex_iterator(); ++it)
    ++((*it)[1].matched ? params.pointers : params.integers);
  return params;
}

TEST(PTXTarget, ReferenceKernelsFollowTheABI) {
  auto km = KernelModule::fromInput("kernels.mlir");
  ASSERT_TRUE(km->module);
  auto start = std::chrono::steady_clock::now();
  FailureOr<std::string> ptx = translateKernelsToPTX(*km->module);
  std::chrono::duration<double, std::milli> cold =
      std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(succeeded(ptx)) << km->diagnostics;
  EXPECT_NE(ptx->find(".target sm_90"), std::string::npos);
  struct Expected {
    const char *name;
    int pointers, integers;
  };
  for (Expected e : {Expected{"bias_relu", 3, 2},
                     {"softmax_rows", 2, 2},
                     {"matmul_tiled", 3, 3},
                     {"mixed_types", 3, 1}}) {
    EntryParams got = entryParams(*ptx, e.name);
    EXPECT_EQ(got.pointers, e.pointers) << e.name;
    EXPECT_EQ(got.integers, e.integers) << e.name;
  }
  // libdevice is linked in: no calls to __nv_* functions remain.
  EXPECT_EQ(ptx->find("__nv_"), std::string::npos);

  start = std::chrono::steady_clock::now();
  ASSERT_TRUE(succeeded(translateKernelsToPTX(*km->module)));
  std::chrono::duration<double, std::milli> warm =
      std::chrono::steady_clock::now() - start;
  std::cout << "PTX for the 4 reference kernels: " << cold.count()
            << " ms cold, " << warm.count() << " ms warm\n";
  RecordProperty("ptx_cold_ms", std::to_string(cold.count()));
  RecordProperty("ptx_warm_ms", std::to_string(warm.count()));
}

TEST(PTXTarget, InputModuleIsUnchanged) {
  auto km = KernelModule::fromInput("kernels.mlir");
  ASSERT_TRUE(km->module);
  ASSERT_TRUE(succeeded(translateKernelsToPTX(*km->module)));
  auto gpuModule =
      km->module->lookupSymbol<mlir::gpu::GPUModuleOp>("tc_kernels");
  ASSERT_TRUE(gpuModule);
  EXPECT_FALSE(gpuModule.getTargetsAttr());
  for (auto func : gpuModule.getOps<mlir::gpu::GPUFuncOp>())
    EXPECT_FALSE(func->hasAttr("tc.abi"));
}

TEST(PTXTarget, ArchAndFastMath) {
  auto km = KernelModule::fromInput("kernels.mlir");
  ASSERT_TRUE(km->module);
  PTXOptions opts;
  opts.arch = "sm_80";
  FailureOr<std::string> precise = translateKernelsToPTX(*km->module, opts);
  ASSERT_TRUE(succeeded(precise)) << km->diagnostics;
  EXPECT_NE(precise->find(".target sm_80"), std::string::npos);
  EXPECT_NE(precise->find("div.rn.f32"), std::string::npos);
  opts.fastMath = true;
  FailureOr<std::string> fast = translateKernelsToPTX(*km->module, opts);
  ASSERT_TRUE(succeeded(fast)) << km->diagnostics;
  EXPECT_EQ(fast->find("div.rn.f32"), std::string::npos);
}

TEST(PTXTarget, BufferSizeReadIsRejected) {
  auto km = KernelModule::fromString(wrapKernel(R"(
    gpu.func @k(%x: memref<?xf32>) kernel {
      %c0 = arith.constant 0 : index
      %n = memref.dim %x, %c0 : memref<?xf32>
      %f = arith.index_cast %n : index to i32
      %v = arith.sitofp %f : i32 to f32
      memref.store %v, %x[%c0] : memref<?xf32>
      gpu.return
    })"));
  ASSERT_TRUE(km->module);
  EXPECT_TRUE(failed(translateKernelsToPTX(*km->module)));
  EXPECT_NE(km->diagnostics.find("uses buffer argument #0"), std::string::npos)
      << km->diagnostics;
}

TEST(PTXTarget, ScalarFloatArgumentIsRejected) {
  auto km = KernelModule::fromString(wrapKernel(R"(
    gpu.func @k(%x: memref<?xf32>, %s: f32) kernel {
      gpu.return
    })"));
  ASSERT_TRUE(km->module);
  EXPECT_TRUE(failed(translateKernelsToPTX(*km->module)));
  EXPECT_NE(km->diagnostics.find("passes only buffers and index sizes"),
            std::string::npos)
      << km->diagnostics;
}

TEST(PTXTarget, MissingKernelModule) {
  auto km = KernelModule::fromString("module {}");
  ASSERT_TRUE(km->module);
  EXPECT_TRUE(failed(translateKernelsToPTX(*km->module)));
  EXPECT_NE(km->diagnostics.find("no gpu.module @tc_kernels"),
            std::string::npos);
}

TEST(PTXTarget, ShardsGiveTheSameKernels) {
  auto km = KernelModule::fromInput("kernels.mlir");
  ASSERT_TRUE(km->module);
  PTXOptions whole;
  whole.shards = 1;
  FailureOr<std::string> one = translateKernelsToPTX(*km->module, whole);
  ASSERT_TRUE(succeeded(one)) << km->diagnostics;
  PTXOptions split;
  split.shards = 3;
  FailureOr<std::string> three = translateKernelsToPTX(*km->module, split);
  ASSERT_TRUE(succeeded(three)) << km->diagnostics;

  // One header, every kernel once, in the module's order, with the code the
  // whole module gets.
  EXPECT_EQ(countOf(*three, ".version"), 1u);
  EXPECT_EQ(countOf(*three, ".address_size"), 1u);
  std::map<std::string, std::string> a = ptxEntryBodies(*one),
                                     b = ptxEntryBodies(*three);
  EXPECT_EQ(a.size(), 4u);
  EXPECT_EQ(a, b);
  EXPECT_LT(three->find(".entry bias_relu("),
            three->find(".entry mixed_types("));
}

TEST(PTXTarget, JoinKeepsOneHeader) {
  auto km = KernelModule::fromString("module {}");
  std::string header = "//\n.version 8.0\n.target sm_90\n.address_size 64\n";
  FailureOr<std::string> joined =
      joinPTX({header + "\n.visible .entry a()\n{\n}\n",
               header + "\n.visible .entry b()\n{\n}\n"},
              km->module->getLoc());
  ASSERT_TRUE(succeeded(joined));
  EXPECT_EQ(*joined, header + "\n.visible .entry a()\n{\n}\n" +
                         "\n.visible .entry b()\n{\n}\n");
}

TEST(PTXTarget, JoinRejectsMismatchedModules) {
  auto km = KernelModule::fromString("module {}");
  std::string sm90 = ".version 8.0\n.target sm_90\n.address_size 64\n";
  std::string sm80 = ".version 8.0\n.target sm_80\n.address_size 64\n";
  EXPECT_TRUE(failed(joinPTX({sm90, sm80}, km->module->getLoc())));
  EXPECT_NE(km->diagnostics.find("PTX shards were made for different targets"),
            std::string::npos)
      << km->diagnostics;
  EXPECT_TRUE(failed(joinPTX({".version 8.0\n"}, km->module->getLoc())));
  EXPECT_NE(km->diagnostics.find("without an .address_size directive"),
            std::string::npos)
      << km->diagnostics;
}

} // namespace
