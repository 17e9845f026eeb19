//===- SemaTest.cpp - Types, attributes and diagnostics of Sema -----------===//

#include "FrontendTestUtil.h"

#include "llvm/Support/Casting.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace tensorc;
using namespace tensorc::ast;
using namespace tensorc::test;
using llvm::cast;
using llvm::dyn_cast;

namespace {
constexpr const char *kArgs =
    "x: f32[B, T, C], y: f32[B, T, C], h: f16[B, C], m: bool[B, T, C], "
    "ids: i32[B, T], lab: i64[B], img: f32[B, 3, 28, 28], v: f32[C], "
    "s: f32, n: i32[B]";

/// Checks `let _v = EXPR` in a function with the arguments above.
Compiled checkLet(llvm::StringRef expr, llvm::StringRef extraItems = "") {
  return compile(
      inModel(("  param k: f32[8, 3, 3, 3] = kaiming_uniform\n"
               "  param emb: f32[100, C] = normal\n" +
               extraItems + "\n  fn f(" + kArgs +
               ") -> f32 {\n    let _v = " + expr + "\n    return 0.0\n  }")
                  .str()));
}

const Expr *letValue(const Compiled &c) {
  const FnDecl *fn = findFn(c, "f");
  return fn && !fn->lets.empty() ? fn->lets[0]->value.get() : nullptr;
}

/// The type of `expr`, or the diagnostics if it does not check.
std::string typeOf(llvm::StringRef expr) {
  Compiled c = checkLet(expr);
  const Expr *e = letValue(c);
  if (!c.ok || !e || !e->type)
    return "error: " + c.diags;
  return e->type->str();
}

const CallExpr *letCall(const Compiled &c) {
  return dyn_cast<CallExpr>(letValue(c));
}

TEST(SemaTypesTest, Operators) {
  EXPECT_EQ(typeOf("x + y"), "f32[B, T, 64]");
  EXPECT_EQ(typeOf("x * v"), "f32[B, T, 64]");
  EXPECT_EQ(typeOf("x @ w"), "f32[B, T, 10]");
  EXPECT_EQ(typeOf("x > 0"), "bool[B, T, 64]");
  EXPECT_EQ(typeOf("-x"), "f32[B, T, 64]");
  EXPECT_EQ(typeOf("h * 0.5 + 1"), "f16[B, 64]");
  EXPECT_EQ(typeOf("n * 2"), "i32[B]");
  EXPECT_EQ(typeOf("1 + 2"), "i64");
  EXPECT_EQ(typeOf("1 + 2.5"), "f32");
  EXPECT_EQ(typeOf("x / C"), "f32[B, T, 64]");
  EXPECT_EQ(typeOf("s + v"), "f32[64]");
  EXPECT_EQ(typeOf("reshape(x, [B, T, 1, C]) @ reshape(w, [1, C, 10])"),
            "f32[B, T, 1, 10]");
}

TEST(SemaTypesTest, Elementwise) {
  for (const char *fn : {"exp", "log", "sqrt", "rsqrt", "tanh", "sigmoid",
                         "relu", "silu", "gelu", "abs"})
    EXPECT_EQ(typeOf(std::string(fn) + "(x)"), "f32[B, T, 64]") << fn;
  EXPECT_EQ(typeOf("abs(n)"), "i32[B]");
  EXPECT_EQ(typeOf("pow(x, 2)"), "f32[B, T, 64]");
  EXPECT_EQ(typeOf("where(m, x, 0.0)"), "f32[B, T, 64]");
  EXPECT_EQ(typeOf("where(m, 1.0, v)"), "f32[B, T, 64]");
  EXPECT_EQ(typeOf("cast(ids, f16)"), "f16[B, T]");
  EXPECT_EQ(typeOf("dropout(x, 0.1)"), "f32[B, T, 64]");
  EXPECT_EQ(typeOf("masked_fill(x, m, -inf)"), "f32[B, T, 64]");
}

TEST(SemaTypesTest, Reductions) {
  EXPECT_EQ(typeOf("sum(x)"), "f32");
  EXPECT_EQ(typeOf("sum(x, 1)"), "f32[B, 64]");
  EXPECT_EQ(typeOf("mean(x, [-1, 0], keepdim = true)"), "f32[1, T, 1]");
  EXPECT_EQ(typeOf("max(x, -1)"), "f32[B, T]");
  EXPECT_EQ(typeOf("min(n)"), "i32");
  EXPECT_EQ(typeOf("argmax(x, 2)"), "i64[B, T]");
  EXPECT_EQ(typeOf("softmax(x)"), "f32[B, T, 64]");
  EXPECT_EQ(typeOf("log_softmax(x, axis = 0)"), "f32[B, T, 64]");
}

TEST(SemaTypesTest, NormsAndLosses) {
  EXPECT_EQ(typeOf("layernorm(x, g, g)"), "f32[B, T, 64]");
  EXPECT_EQ(typeOf("rmsnorm(x, g)"), "f32[B, T, 64]");
  EXPECT_EQ(typeOf("cross_entropy(sum(x, 1), lab)"), "f32");
  EXPECT_EQ(typeOf("mse(x, y)"), "f32");
}

TEST(SemaTypesTest, Shapes) {
  EXPECT_EQ(typeOf("transpose(x, 0, -1)"), "f32[64, T, B]");
  EXPECT_EQ(typeOf("permute(x, [2, 0, 1])"), "f32[64, B, T]");
  EXPECT_EQ(typeOf("reshape(x, [-1, C])"), "f32[B*T, 64]");
  EXPECT_EQ(typeOf("reshape(x, [B, -1])"), "f32[B, 64*T]");
  EXPECT_EQ(typeOf("reshape(x, [2, -1, 32])"), "f32[2, B*T, 32]");
  EXPECT_EQ(typeOf("reshape(x, [T * B * C])"), "f32[64*B*T]");
  EXPECT_EQ(typeOf("broadcast_to(v, [B, T, C])"), "f32[B, T, 64]");
  EXPECT_EQ(typeOf("concat([x, y, x], 2)"), "f32[B, T, 192]");
  EXPECT_EQ(typeOf("concat([x, y], 0)"), "f32[2*B, T, 64]");
  EXPECT_EQ(typeOf("slice(x, 2, 8, 24)"), "f32[B, T, 16]");
}

TEST(SemaTypesTest, LookupConvAttention) {
  EXPECT_EQ(typeOf("embedding(emb, ids)"), "f32[B, T, 64]");
  EXPECT_EQ(typeOf("one_hot(ids, 10)"), "i64[B, T, 10]");
  EXPECT_EQ(typeOf("one_hot(n, 3, dtype = f32)"), "f32[B, 3]");
  EXPECT_EQ(typeOf("conv2d(img, k)"), "f32[B, 8, 26, 26]");
  EXPECT_EQ(typeOf("conv2d(img, k, stride = 2, padding = [1, 0])"),
            "f32[B, 8, 14, 13]");
  EXPECT_EQ(typeOf("max_pool2d(img, 2)"), "f32[B, 3, 14, 14]");
  EXPECT_EQ(typeOf("avg_pool2d(img, 3, stride = 1, padding = 1)"),
            "f32[B, 3, 28, 28]");
  EXPECT_EQ(typeOf("causal_mask(T)"), "bool[T, T]");
  EXPECT_EQ(typeOf("causal_mask(2 * T)"), "bool[2*T, 2*T]");
}

TEST(SemaAttrsTest, Reductions) {
  Compiled c = checkLet("sum(x, [2, -3])");
  const CallExpr *call = letCall(c);
  ASSERT_TRUE(call && c.ok) << c.diags;
  EXPECT_EQ(call->builtin, Builtin::Sum);
  EXPECT_EQ(call->attrs.axes, (llvm::SmallVector<int64_t, 4>{0, 2}));
  EXPECT_FALSE(call->attrs.keepdim);
  ASSERT_EQ(call->attrs.operands.size(), 1u);
  EXPECT_EQ(call->attrs.operands[0], call->args[0].value.get());

  c = checkLet("mean(x)");
  EXPECT_EQ(letCall(c)->attrs.axes, (llvm::SmallVector<int64_t, 4>{0, 1, 2}));
  c = checkLet("softmax(x)");
  EXPECT_EQ(letCall(c)->attrs.axes, (llvm::SmallVector<int64_t, 4>{2}));
  c = checkLet("argmax(x, -2, keepdim = true)");
  EXPECT_EQ(letCall(c)->attrs.axes, (llvm::SmallVector<int64_t, 4>{1}));
  EXPECT_TRUE(letCall(c)->attrs.keepdim);
}

TEST(SemaAttrsTest, Defaults) {
  Compiled c = checkLet("layernorm(x, g, g)");
  ASSERT_TRUE(c.ok) << c.diags;
  EXPECT_DOUBLE_EQ(letCall(c)->attrs.scalar, 1e-5);
  EXPECT_EQ(letCall(c)->attrs.operands.size(), 3u);
  c = checkLet("rmsnorm(x, g)");
  EXPECT_DOUBLE_EQ(letCall(c)->attrs.scalar, 1e-6);
  c = checkLet("gelu(x)");
  EXPECT_FALSE(letCall(c)->attrs.approximateTanh);
  c = checkLet("gelu(x, approximate = \"tanh\")");
  EXPECT_TRUE(letCall(c)->attrs.approximateTanh);
  c = checkLet("max_pool2d(img, [2, 3])");
  const BuiltinAttrs &pool = letCall(c)->attrs;
  EXPECT_EQ(pool.kernel, (llvm::SmallVector<int64_t, 2>{2, 3}));
  EXPECT_EQ(pool.stride, (llvm::SmallVector<int64_t, 2>{2, 3}));
  EXPECT_EQ(pool.padding, (llvm::SmallVector<int64_t, 2>{0, 0}));
  c = checkLet("conv2d(img, k)");
  EXPECT_EQ(letCall(c)->attrs.stride, (llvm::SmallVector<int64_t, 2>{1, 1}));
  EXPECT_EQ(letCall(c)->attrs.kernel, (llvm::SmallVector<int64_t, 2>{3, 3}));
  c = checkLet("one_hot(ids, 7)");
  EXPECT_EQ(letCall(c)->attrs.dtype, DType::I64);
  EXPECT_EQ(letCall(c)->attrs.ints, (llvm::SmallVector<int64_t, 2>{7}));
}

TEST(SemaAttrsTest, ScalarsShapesAndOperands) {
  Compiled c = checkLet("pow(x, -0.5)");
  EXPECT_DOUBLE_EQ(letCall(c)->attrs.scalar, -0.5);
  c = checkLet("dropout(x, 0.25)");
  EXPECT_DOUBLE_EQ(letCall(c)->attrs.scalar, 0.25);
  c = checkLet("masked_fill(x, m, -inf)");
  EXPECT_TRUE(std::isinf(letCall(c)->attrs.scalar));
  EXPECT_LT(letCall(c)->attrs.scalar, 0);
  c = checkLet("cast(x, bf16)");
  EXPECT_EQ(letCall(c)->attrs.dtype, DType::BF16);
  c = checkLet("slice(x, -1, 4, 12)");
  EXPECT_EQ(letCall(c)->attrs.axes, (llvm::SmallVector<int64_t, 4>{2}));
  EXPECT_EQ(letCall(c)->attrs.ints, (llvm::SmallVector<int64_t, 2>{4, 12}));
  c = checkLet("reshape(x, [-1, C])");
  ASSERT_EQ(letCall(c)->attrs.shape.size(), 2u);
  EXPECT_EQ(letCall(c)->attrs.shape[0].str(), "B*T");
  EXPECT_EQ(letCall(c)->attrs.shape[1], Dim(64));
  c = checkLet("causal_mask(T)");
  ASSERT_EQ(letCall(c)->attrs.shape.size(), 1u);
  EXPECT_EQ(letCall(c)->attrs.shape[0], Dim::symbol("T"));
  c = checkLet("where(m, x, y)");
  const CallExpr *w = letCall(c);
  ASSERT_EQ(w->attrs.operands.size(), 3u);
  EXPECT_EQ(w->attrs.operands[2], w->args[2].value.get());
  c = checkLet("transpose(x, -1, 0)");
  EXPECT_EQ(letCall(c)->attrs.axes, (llvm::SmallVector<int64_t, 4>{2, 0}));
  c = checkLet("concat([x, y], -1)");
  EXPECT_EQ(letCall(c)->attrs.operands.size(), 2u);
  EXPECT_EQ(letCall(c)->attrs.axes, (llvm::SmallVector<int64_t, 4>{2}));
}

TEST(SemaLiteralTest, LiteralsTakeTheContextType) {
  Compiled c = checkLet("h * 2 + 0.5");
  ASSERT_TRUE(c.ok) << c.diags;
  const auto *add = cast<BinaryExpr>(letValue(c));
  EXPECT_EQ(add->rhs->type->str(), "f16");
  EXPECT_EQ(cast<BinaryExpr>(add->lhs.get())->rhs->type->str(), "f16");
  c = checkLet("n + C");
  const auto *nc = cast<BinaryExpr>(letValue(c));
  EXPECT_EQ(nc->rhs->type->str(), "i32");
  EXPECT_TRUE(llvm::isa<ConstDecl>(cast<NameExpr>(nc->rhs.get())->decl));
  c = checkLet("sum(x, 1)");
  EXPECT_EQ(letCall(c)->args[1].value->type->str(), "i64");
}

TEST(SemaDeclTest, NamesCallsAndParams) {
  Compiled c = compile(inModel(R"(
  param u: f32[4, 8] = uniform(hi = 2)
  param nrm: f32[4] = normal(0.5)
  fn lin(a: f32[B, C]) -> f32[B, 10] { return a @ w }
  fn f(a: f32[B, C]) -> f32 { return sum(lin(a)) }
  train f with adam(lr = 0.01)
)"));
  ASSERT_TRUE(c.ok) << c.diags;
  const FnDecl *f = findFn(c, "f");
  const auto *sum = cast<CallExpr>(f->returnValue.get());
  const auto *call = cast<CallExpr>(sum->args[0].value.get());
  EXPECT_EQ(call->function, findFn(c, "lin"));
  EXPECT_FALSE(call->builtin);
  const auto *arg = cast<NameExpr>(call->args[0].value.get());
  EXPECT_EQ(arg->decl, f->args[0].get());
  EXPECT_EQ(f->args[0]->type.resolved->str(), "f32[B, 64]");

  const ParamDecl *u = nullptr, *nrm = nullptr;
  for (const auto &p : c.model->params) {
    if (p->name == "u")
      u = p.get();
    if (p->name == "nrm")
      nrm = p.get();
  }
  ASSERT_TRUE(u && nrm);
  EXPECT_EQ(u->init, InitKind::Uniform);
  EXPECT_EQ(u->initValues, (llvm::SmallVector<double, 2>{0, 2}));
  EXPECT_EQ(nrm->init, InitKind::Normal);
  EXPECT_EQ(nrm->initValues, (llvm::SmallVector<double, 2>{0.5, 1}));

  const TrainDecl &t = *c.model->train;
  EXPECT_EQ(t.fn, f);
  EXPECT_EQ(t.optimizer, OptimizerKind::Adam);
  EXPECT_DOUBLE_EQ(t.hyper.lr, 0.01);
  EXPECT_DOUBLE_EQ(t.hyper.weightDecay, 0);
  EXPECT_DOUBLE_EQ(t.hyper.beta2, 0.999);
}

TEST(SemaDeclTest, OptimizerDefaults) {
  Compiled c = compile(inModel(R"(
  fn f(a: f32[B, C]) -> f32 { return sum(a) }
  train f with adamw)"));
  ASSERT_TRUE(c.ok) << c.diags;
  EXPECT_EQ(c.model->train->optimizer, OptimizerKind::AdamW);
  EXPECT_DOUBLE_EQ(c.model->train->hyper.lr, 1e-3);
  EXPECT_DOUBLE_EQ(c.model->train->hyper.weightDecay, 1e-2);
  EXPECT_DOUBLE_EQ(c.model->train->hyper.eps, 1e-8);
  EXPECT_DOUBLE_EQ(c.model->train->hyper.clipGradNorm, 0);
}

/// The diagnostics for `expr`, which must not check.
std::string diagsOf(llvm::StringRef expr) {
  Compiled c = checkLet(expr);
  EXPECT_FALSE(c.ok) << expr.str();
  return c.diags;
}

TEST(SemaDiagTest, LocatedMessages) {
  // The let is on line 10 of the generated source; "    let _v = " is 13
  // characters, so the expression starts at column 14.
  EXPECT_NE(
      diagsOf("x @ w + g")
          .find("t.tdsl:10:20: error: cannot broadcast f32[B, T, 10] with "
                "f32[64]: dim 2 is 10 on the left and 64 on the right"),
      std::string::npos)
      << diagsOf("x @ w + g");
  EXPECT_NE(diagsOf("x @ w4").find(
                "t.tdsl:10:18: error: unknown name 'w4'; did you mean 'w'?"),
            std::string::npos);
  EXPECT_NE(diagsOf("n * 0.5").find(
                "t.tdsl:10:18: error: float literal 0.5 cannot be combined "
                "with an i32 tensor; use cast(n, f32)"),
            std::string::npos);
  EXPECT_NE(diagsOf("sum(x, 3)")
                .find("t.tdsl:10:21: error: axis 3 is out of "
                      "range for f32[B, T, 64]"),
            std::string::npos);
  EXPECT_NE(diagsOf("cross_entropy(sum(x, 1), n * 2 + ids)")
                .find("error: cannot broadcast i32[B] with i32[B, T]"),
            std::string::npos);
}

TEST(SemaDiagTest, NotesNameTheDeclaration) {
  std::string d = diagsOf("x + h");
  EXPECT_NE(d.find("note: 'h' declared here as f16[B, 64]"), std::string::npos)
      << d;
}

TEST(SemaDiagTest, FailedOperandsDoNotCascade) {
  std::string d = diagsOf("relu(sum(exp(nope) + x, 1) @ w) * 2");
  EXPECT_NE(d.find("unknown name 'nope'"), std::string::npos);
  EXPECT_EQ(d.find("error:"), d.rfind("error:")) << d;
}

TEST(SemaDiagTest, UnusedLetsAndRecursion) {
  Compiled c = compile(inModel(R"(
  fn f(a: f32[B, C]) -> f32[B, C] {
    let unused = a
    return a
  }
  fn p(a: f32) -> f32 { return q(a) }
  fn q(a: f32) -> f32 { return p(a) })"));
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.diags.find("t.tdsl:8:9: error: let 'unused' is never used"),
            std::string::npos)
      << c.diags;
  EXPECT_NE(c.diags.find("error: function 'p' is recursive (p -> q -> p)"),
            std::string::npos)
      << c.diags;
}

TEST(SemaDiagTest, RecoverableDims) {
  Compiled c = compile(inModel(R"(
  fn f(a: f32[B*T]) -> f32[T, B] { return reshape(a, [T, B]) }
  fn ok(a: f32[B, B*T]) -> f32[B*T] { return sum(a, 0) })"));
  EXPECT_NE(c.diags.find("t.tdsl:7:15: error: dim 'B' cannot be recovered "
                         "from the arguments of 'f'"),
            std::string::npos)
      << c.diags;
  EXPECT_EQ(c.diags.find("of 'ok'"), std::string::npos) << c.diags;
}

TEST(SemaDiagTest, EveryIntegerTypeMustFit) {
  std::string d = compile(inModel("  fn f(a: f32[4611686018427387904, 4]) -> "
                                  "f32 { return 0.0 }"))
                      .diags;
  EXPECT_NE(d.find("has too many elements"), std::string::npos) << d;
}
} // namespace
