//===- TypesTest.cpp - Dims, tensor types and broadcasting ----------------===//

#include "compiler/Frontend/Types.h"

#include <gtest/gtest.h>

using namespace tensorc;
using namespace tensorc::ast;

namespace {
Dim sym(const char *s) { return Dim::symbol(s); }

TEST(TypesTest, DimArithmetic) {
  Dim b = sym("B"), t = sym("T");
  std::optional<Dim> bt = Dim::mul(b, t);
  ASSERT_TRUE(bt);
  EXPECT_EQ(bt->str(), "B*T");
  std::optional<Dim> tb = Dim::mul(Dim::mul(Dim(64), t).value(), b);
  ASSERT_TRUE(tb);
  EXPECT_EQ(tb->str(), "64*B*T");
  EXPECT_EQ(*Dim::div(*tb, Dim(64)), *bt);
  EXPECT_EQ(Dim::div(*tb, *bt)->str(), "64");
  EXPECT_FALSE(Dim::div(*bt, Dim(64)));
  EXPECT_FALSE(Dim::div(b, t));
  EXPECT_FALSE(Dim::div(Dim(10), Dim(3)));
  EXPECT_EQ(Dim::div(Dim::mul(b, b).value(), b)->str(), "B");
  EXPECT_FALSE(Dim::mul(Dim(INT64_MAX), Dim(2)));
  EXPECT_TRUE(Dim(1).isOne());
  EXPECT_FALSE(b.isStatic());
  EXPECT_NE(b, t);
  EXPECT_NE(b, Dim(64));
}

TEST(TypesTest, TensorTypes) {
  TensorType t(DType::F32, {sym("B"), Dim(784)});
  EXPECT_EQ(t.str(), "f32[B, 784]");
  EXPECT_EQ(t.numElements()->str(), "784*B");
  EXPECT_EQ(TensorType(DType::BF16).str(), "bf16");
  TensorType big(DType::F32, {Dim(INT64_MAX / 2), Dim(3)});
  EXPECT_FALSE(big.numElements());
  EXPECT_EQ(dtypeBytes(DType::F16), 2u);
  EXPECT_EQ(lookupDType("bool"), DType::Bool);
  EXPECT_FALSE(lookupDType("f33"));
  EXPECT_TRUE(isFloat(DType::BF16));
  EXPECT_FALSE(isFloat(DType::I64));
}

TEST(TypesTest, Broadcasting) {
  llvm::SmallVector<Dim, 4> a = {sym("B"), Dim(1), Dim(4)};
  llvm::SmallVector<Dim, 4> b = {Dim(3), Dim(1)};
  auto r = broadcastShapes(a, b);
  ASSERT_TRUE(r);
  EXPECT_EQ(TensorType(DType::F32, *r).str(), "f32[B, 3, 4]");

  unsigned bad = 99;
  llvm::SmallVector<Dim, 4> c = {sym("T"), Dim(4)};
  EXPECT_EQ(TensorType(DType::F32, *broadcastShapes(a, c)).str(),
            "f32[B, T, 4]");
  llvm::SmallVector<Dim, 4> d = {Dim(2), Dim(5), Dim(4)};
  EXPECT_FALSE(broadcastShapes(a, d, &bad));
  EXPECT_EQ(bad, 0u); // B against 2: symbolic dims equal only themselves
}
} // namespace
