//===- ParserTest.cpp - AST shapes, precedence and recovery ---------------===//

#include "FrontendTestUtil.h"

#include "llvm/Support/Casting.h"

#include <gtest/gtest.h>

using namespace tensorc;
using namespace tensorc::ast;
using namespace tensorc::test;
using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;

namespace {
/// Parses `expr` as the return value of a function; null on errors.
const Expr *parseExpr(Compiled &c, llvm::StringRef expr) {
  c = compile(("model M {\n  fn f(a: f32, b: f32, c: f32) -> f32 {\n    "
               "return " +
               expr + "\n  }\n}\n")
                  .str(),
              /*check=*/false);
  if (!c.model || c.model->fns.empty())
    return nullptr;
  return c.model->fns[0]->returnValue.get();
}

/// A compact prefix rendering of an expression: (+ a (* b c)).
std::string sexpr(const Expr *e) {
  if (!e)
    return "<null>";
  switch (e->getKind()) {
  case Expr::Kind::Number: {
    const auto *n = cast<NumberExpr>(e);
    return n->isInteger ? std::to_string(n->intValue)
                        : std::to_string(n->floatValue);
  }
  case Expr::Kind::Bool:
    return cast<BoolExpr>(e)->value ? "true" : "false";
  case Expr::Kind::String:
    return "\"" + cast<StringExpr>(e)->value + "\"";
  case Expr::Kind::Name:
    return cast<NameExpr>(e)->name;
  case Expr::Kind::List: {
    std::string s = "[";
    for (const auto &el : cast<ListExpr>(e)->elements)
      s += (s.size() > 1 ? " " : "") + sexpr(el.get());
    return s + "]";
  }
  case Expr::Kind::Unary:
    return "(neg " + sexpr(cast<UnaryExpr>(e)->operand.get()) + ")";
  case Expr::Kind::Binary: {
    const auto *b = cast<BinaryExpr>(e);
    return "(" + spelling(b->op).str() + " " + sexpr(b->lhs.get()) + " " +
           sexpr(b->rhs.get()) + ")";
  }
  case Expr::Kind::Call: {
    const auto *c = cast<CallExpr>(e);
    std::string s = "(call " + c->callee;
    for (const CallArg &arg : c->args)
      s += " " + (arg.keyword.empty() ? "" : arg.keyword + "=") +
           sexpr(arg.value.get());
    return s + ")";
  }
  }
  return "?";
}

std::string parsed(llvm::StringRef expr) {
  Compiled c;
  const Expr *e = parseExpr(c, expr);
  return c.model ? sexpr(e) : "error: " + c.diags;
}

TEST(ParserTest, Precedence) {
  EXPECT_EQ(parsed("a + b * c"), "(+ a (* b c))");
  EXPECT_EQ(parsed("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(parsed("a @ b / c"), "(/ (@ a b) c)");
  EXPECT_EQ(parsed("-a @ b"), "(@ (neg a) b)");
  EXPECT_EQ(parsed("a + b < c * 2"), "(< (+ a b) (* c 2))");
  EXPECT_EQ(parsed("(a + b) * c"), "(* (+ a b) c)");
  EXPECT_EQ(parsed("- - a"), "(neg (neg a))");
  EXPECT_EQ(parsed("a == b"), "(== a b)");
}

TEST(ParserTest, CallsListsAndLiterals) {
  EXPECT_EQ(parsed("sum(a, [0, -1], keepdim = true)"),
            "(call sum a [0 (neg 1)] keepdim=true)");
  EXPECT_EQ(parsed("gelu(a, approximate = \"tanh\")"),
            "(call gelu a approximate=\"tanh\")");
  EXPECT_EQ(parsed("f()"), "(call f)");
  EXPECT_EQ(parsed("-inf"), "(neg inf)");
  EXPECT_EQ(parsed("[]"), "[]");
}

TEST(ParserTest, Items) {
  Compiled c = compile(R"(model Net {
  dim B, T
  const C = 128
  const N = -1
  param w: f32[C, 4*C] = normal(0, std = 0.02)
  fn f(x: f32[B*T, C]) -> f32[] {
    let h = x
    return 1.0
  }
  train f with sgd(lr = 0.1)
})",
                       /*check=*/false);
  ASSERT_TRUE(c.model) << c.diags;
  const Model &m = *c.model;
  EXPECT_EQ(m.name, "Net");
  ASSERT_EQ(m.dims.size(), 2u);
  EXPECT_EQ(m.dims[1]->name, "T");
  ASSERT_EQ(m.consts.size(), 2u);
  EXPECT_EQ(m.consts[0]->value, 128);
  EXPECT_EQ(m.consts[1]->value, -1);
  ASSERT_EQ(m.params.size(), 1u);
  const ParamDecl &w = *m.params[0];
  EXPECT_EQ(w.initName, "normal");
  ASSERT_EQ(w.initArgs.size(), 2u);
  EXPECT_EQ(w.initArgs[1].keyword, "std");
  ASSERT_EQ(w.type.dims.size(), 2u);
  ASSERT_EQ(w.type.dims[1].factors.size(), 2u);
  EXPECT_EQ(w.type.dims[1].factors[0].value, 4);
  EXPECT_EQ(w.type.dims[1].factors[1].name, "C");
  ASSERT_EQ(m.fns.size(), 1u);
  const FnDecl &f = *m.fns[0];
  ASSERT_EQ(f.args.size(), 1u);
  EXPECT_EQ(f.args[0]->type.dims[0].factors.size(), 2u);
  EXPECT_TRUE(f.result.dims.empty());
  EXPECT_EQ(f.lets.size(), 1u);
  ASSERT_TRUE(f.returnValue);
  EXPECT_TRUE(isa<NumberExpr>(*f.returnValue));
  ASSERT_TRUE(m.train);
  EXPECT_EQ(m.train->fnName, "f");
  EXPECT_EQ(m.train->optimizerName, "sgd");
  EXPECT_EQ(m.train->args.size(), 1u);
}

TEST(ParserTest, LocationsPointAtOperators) {
  Compiled c;
  const Expr *e = parseExpr(c, "a + b");
  ASSERT_TRUE(e);
  auto [line, col] = c.sourceMgr->getLineAndColumn(e->loc);
  EXPECT_EQ(line, 3u);
  EXPECT_EQ(col, 14u); // the '+'
}

TEST(ParserTest, RecoveryReportsSeveralErrors) {
  Compiled c = compile(R"(model M {
  param w f32[4] = zeros
  fn f(x: f32) -> f32 {
    let a = (x +
    let b = x x
    return x
  }
  dim 3
})",
                       /*check=*/false);
  EXPECT_FALSE(c.model);
  EXPECT_NE(c.diags.find("t.tdsl:2:11: error: expected ':'"), std::string::npos)
      << c.diags;
  EXPECT_NE(c.diags.find("t.tdsl:5:5: error: expected an expression, got "
                         "'let'"),
            std::string::npos)
      << c.diags;
  EXPECT_NE(c.diags.find("t.tdsl:5:15: error: expected an operator or the "
                         "end of the statement"),
            std::string::npos)
      << c.diags;
  EXPECT_NE(c.diags.find("t.tdsl:8:7: error: expected a dim name"),
            std::string::npos)
      << c.diags;
}

TEST(ParserTest, DeepNestingIsOneError) {
  for (const char *open : {"(", "-", "relu(", "["}) {
    std::string expr;
    for (int i = 0; i < 100000; ++i)
      expr += open;
    Compiled c;
    const Expr *e = parseExpr(c, expr + "a");
    EXPECT_FALSE(e);
    EXPECT_NE(c.diags.find("expression nests too deeply"), std::string::npos)
        << open;
    EXPECT_EQ(c.diags.find("error:"), c.diags.rfind("error:")) << open;
  }
}

TEST(ParserTest, NestingUpToTheLimitIsFine) {
  std::string expr = std::string(200, '(') + "a" + std::string(200, ')');
  Compiled c;
  EXPECT_TRUE(parseExpr(c, expr)) << c.diags;
  std::string chain = "a";
  for (int i = 0; i < 250; ++i)
    chain += " + a";
  EXPECT_TRUE(parseExpr(c, chain)) << c.diags;
  for (int i = 0; i < 10; ++i)
    chain += " + a";
  EXPECT_FALSE(parseExpr(c, chain));
}

TEST(ParserTest, FileLevelErrors) {
  EXPECT_NE(compile("").diags.find("no model in this file"), std::string::npos);
  EXPECT_NE(compile("model A { } model B { }")
                .diags.find("a file holds exactly one model"),
            std::string::npos);
  EXPECT_NE(compile("model A {").diags.find("expected '}' to close model 'A'"),
            std::string::npos);
}

TEST(ParserTest, OversizedBufferIsRejectedBeforeLexing) {
  std::string big((size_t(64) << 20) + 1, ' ');
  Compiled c = compile(big, /*check=*/false);
  EXPECT_FALSE(c.model);
  EXPECT_NE(c.diags.find("t.tdsl:1:1: error: file is too large"),
            std::string::npos)
      << c.diags.substr(0, 200);
}

TEST(ParserTest, ErrorCapStopsParsing) {
  std::string src = "model M {\n";
  for (int i = 0; i < 1000; ++i)
    src += "  param p" + std::to_string(i) + " f32 = zeros\n";
  src += "}\n";
  Compiled c = compile(src, /*check=*/false);
  size_t errors = 0;
  for (size_t pos = 0;
       (pos = c.diags.find(": error: ", pos)) != std::string::npos; ++pos)
    ++errors;
  EXPECT_EQ(errors, 20u);
  EXPECT_NE(c.diags.find("error: too many errors emitted (20), stopping now"),
            std::string::npos);
}
} // namespace
