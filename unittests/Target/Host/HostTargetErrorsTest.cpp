//===- HostTargetErrorsTest.cpp - Host target failures are diagnostics ----===//

#include "unittests/Target/TargetTestUtil.h"

#include "compiler/Target/Host/HostJIT.h"

#include <gtest/gtest.h>

using namespace tensorc::target;
using tensorc::target::testing::KernelModule;
using tensorc::target::testing::wrapKernel;

namespace {

TEST(HostTargetErrors, ShuffleIsRejected) {
  auto km = KernelModule::fromString(wrapKernel(R"(
    gpu.func @k(%x: memref<?xf32>) kernel {
      %c0 = arith.constant 0 : index
      %o = arith.constant 1 : i32
      %w = arith.constant 32 : i32
      %v = memref.load %x[%c0] : memref<?xf32>
      %s, %ok = gpu.shuffle xor %v, %o, %w : f32
      memref.store %s, %x[%c0] : memref<?xf32>
      gpu.return
    })"));
  ASSERT_TRUE(km->module);
  EXPECT_TRUE(failed(HostKernels::create(*km->module)));
  EXPECT_NE(km->diagnostics.find("cannot run on the CPU"), std::string::npos)
      << km->diagnostics;
}

TEST(HostTargetErrors, NonFlatBufferIsRejected) {
  auto km = KernelModule::fromString(wrapKernel(R"(
    gpu.func @k(%x: memref<?x4xf32>) kernel {
      gpu.return
    })"));
  ASSERT_TRUE(km->module);
  EXPECT_TRUE(failed(lowerKernelsToHostLLVM(*km->module)));
  EXPECT_NE(km->diagnostics.find("flat memrefs"), std::string::npos)
      << km->diagnostics;
}

TEST(HostTargetErrors, MissingKernelModule) {
  auto km = KernelModule::fromString("module {}");
  ASSERT_TRUE(km->module);
  EXPECT_TRUE(failed(HostKernels::create(*km->module)));
  EXPECT_NE(km->diagnostics.find("no gpu.module @tc_kernels"),
            std::string::npos);
}

TEST(HostTargetErrors, UnknownCPU) {
  auto km = KernelModule::fromInput("cpu-kernels.mlir");
  ASSERT_TRUE(km->module);
  HostOptions opts;
  opts.cpu = "no-such-cpu";
  EXPECT_TRUE(failed(HostKernels::create(*km->module, opts)));
  EXPECT_NE(km->diagnostics.find("unknown CPU 'no-such-cpu'"),
            std::string::npos)
      << km->diagnostics;
}

TEST(HostTargetErrors, MissingLinker) {
  auto km = KernelModule::fromInput("cpu-kernels.mlir");
  ASSERT_TRUE(km->module);
  HostOptions opts;
  opts.linker = "/nonexistent/cc";
  EXPECT_TRUE(
      failed(writeHostSharedObject(*km->module, "/tmp/unused.so", opts)));
  EXPECT_NE(km->diagnostics.find("linker driver '/nonexistent/cc' not found"),
            std::string::npos)
      << km->diagnostics;
}

TEST(HostTargetErrors, LookupOfUnknownKernelIsNull) {
  auto km = KernelModule::fromString(wrapKernel(R"(
    gpu.func @k(%x: memref<?xf32>) kernel {
      gpu.return
    })"));
  ASSERT_TRUE(km->module);
  auto jit = HostKernels::create(*km->module);
  ASSERT_TRUE(succeeded(jit)) << km->diagnostics;
  EXPECT_NE((*jit)->lookup("k"), nullptr);
  EXPECT_EQ((*jit)->lookup("nope"), nullptr);
  // The input module keeps its kernels: the target works on a clone.
  EXPECT_TRUE(km->module->lookupSymbol("tc_kernels"));
}

} // namespace
