//===- ExprTest.cpp - Size expressions
//-------------------------------------===//

#include "TestUtil.h"
#include "tensorc/manifest.h"

#include <functional>

using namespace tensorc;
using namespace tensorc::testing;

namespace {

const std::vector<std::string> kDims = {"B", "T", "H"};

int64_t eval(const std::string &text, const DimValues &dims = {7, 3, 5}) {
  Expected<Expr> e = Expr::parse(text, kDims);
  EXPECT_TRUE(e.ok()) << text << ": " << errorOf(e);
  if (!e)
    return INT64_MIN;
  Expected<int64_t> v = e->evaluate(dims);
  EXPECT_TRUE(v.ok()) << text << ": " << errorOf(v);
  return v ? *v : INT64_MIN;
}

std::string evalError(const std::string &text,
                      const DimValues &dims = {7, 3, 5}) {
  Expected<Expr> e = Expr::parse(text, kDims);
  if (!e)
    return "parse: " + e.status().message();
  return errorOf(e->evaluate(dims));
}

TEST(ExprTest, PrecedenceAndAssociativity) {
  EXPECT_EQ(eval("2 + 3 * 4"), 14);
  EXPECT_EQ(eval("(2 + 3) * 4"), 20);
  EXPECT_EQ(eval("10 - 3 - 2"), 5);
  EXPECT_EQ(eval("100 / 10 / 5"), 2);
  EXPECT_EQ(eval("2 * 3 % 4"), 2);
  EXPECT_EQ(eval("17 / 5"), 3);
  EXPECT_EQ(eval("17 % 5"), 2);
  EXPECT_EQ(eval("1 + 17 % 5 * 2"), 5);
  EXPECT_EQ(eval("3 - 5"), -2);
  EXPECT_EQ(eval("((((1))))"), 1);
  EXPECT_EQ(eval("\t2*  3 "), 6);
}

TEST(ExprTest, Functions) {
  EXPECT_EQ(eval("ceildiv(7, 2)"), 4);
  EXPECT_EQ(eval("ceildiv(8, 2)"), 4);
  EXPECT_EQ(eval("ceildiv(0, 5)"), 0);
  EXPECT_EQ(eval("min(B, T)"), 3);
  EXPECT_EQ(eval("max(B, T)"), 7);
  EXPECT_EQ(eval("max(min(B, 4), ceildiv(B * T, 2)) + 1"), 12);
  EXPECT_EQ(eval("ceildiv(B*16, 32)", {1, 1, 1}), 1);
  EXPECT_EQ(eval("ceildiv(B*16, 32)", {64, 1, 1}), 32);
  EXPECT_EQ(eval("ceildiv(9223372036854775807, 2)"), 4611686018427387904);
}

TEST(ExprTest, Dims) {
  EXPECT_EQ(eval("B"), 7);
  EXPECT_EQ(eval("3136*B"), 3136 * 7);
  EXPECT_EQ(eval("B*T*H"), 105);
  Expr e = *Expr::parse("T * B + T", kDims);
  ASSERT_EQ(e.usedDims().size(), 2u);
  EXPECT_EQ(e.usedDims()[0].second, "B");
  EXPECT_EQ(e.usedDims()[1].second, "T");
  EXPECT_EQ(Expr::parse("H", kDims)->singleDim(), std::optional<size_t>(2));
  EXPECT_EQ(Expr::parse("(H)", kDims)->singleDim(), std::optional<size_t>(2));
  EXPECT_FALSE(Expr::parse("H+0", kDims)->singleDim());
  EXPECT_EQ(Expr::parse("2*(3+4)", kDims)->constantValue(),
            std::optional<int64_t>(14));
  EXPECT_FALSE(Expr::parse("B", kDims)->constantValue());
  EXPECT_FALSE(Expr::parse("1/0", kDims)->constantValue());
}

TEST(ExprTest, Overflow) {
  EXPECT_EQ(eval("9223372036854775807"), INT64_MAX);
  EXPECT_NE(evalError("9223372036854775807 + 1").find("overflows 64 bits"),
            std::string::npos);
  EXPECT_NE(evalError("0 - 9223372036854775807 - 2").find("overflows"),
            std::string::npos);
  std::string msg = evalError("B * B * B", {3037000500, 1, 1});
  EXPECT_NE(msg.find("'B * B * B' with B = 3037000500: overflows 64 bits"),
            std::string::npos)
      << msg;
  EXPECT_NE(evalError("92233720368547758070")
                .find("': expected a number that fits in 64 bits at offset 19"),
            std::string::npos);
}

TEST(ExprTest, EvaluationErrors) {
  EXPECT_NE(evalError("B / (T - 3)").find("division by zero"),
            std::string::npos);
  EXPECT_NE(evalError("B % 0").find("division by zero"), std::string::npos);
  EXPECT_NE(evalError("ceildiv(B, 0)").find("division by zero"),
            std::string::npos);
  std::string msg = evalError("(T - B) / 2");
  EXPECT_NE(msg.find("'(T - B) / 2' with B = 7, T = 3: division of a "
                     "negative value"),
            std::string::npos)
      << msg;
  msg = evalError("2 * H", {7, 3, 0});
  EXPECT_NE(msg.find("dim 'H' is not bound"), std::string::npos) << msg;
}

TEST(ExprTest, SyntaxErrors) {
  struct Case {
    const char *text, *message;
  } cases[] = {
      {"", "expected a number, a dim or '(' at offset 0, found the end"},
      {"1 +", "expected a number, a dim or '(' at offset 3"},
      {"(1", "expected ')'"},
      {"1)", "expected an operator or the end at offset 1, found ')'"},
      {"1 2", "expected an operator or the end"},
      {"2B", "an operator after a number"},
      {"ceildiv(1)", "expected ',' between the arguments of 'ceildiv'"},
      {"min(1, 2", "expected ')' after the arguments of 'min'"},
      {"max 1", "expected '(' after 'max'"},
      {"B $ 2", "found '$ 2'"},
      {"-B", "expected a number, a dim or '('"},
      {"X * 2", "unknown dim 'X' (the model's dims: B, T, H)"},
      {"b", "unknown dim 'b'"},
      {"1.5", "expected an operator or the end"},
  };
  for (const Case &c : cases) {
    Expected<Expr> e = Expr::parse(c.text, kDims);
    ASSERT_FALSE(e.ok()) << c.text;
    EXPECT_NE(e.status().message().find(c.message), std::string::npos)
        << "'" << c.text << "': " << e.status().message();
    EXPECT_NE(e.status().message().find(std::string("'") + c.text + "'"),
              std::string::npos)
        << e.status().message();
  }
}

TEST(ExprTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(100000, '(');
  Expected<Expr> e = Expr::parse(deep + "1" + std::string(100000, ')'), kDims);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("levels of nesting"), std::string::npos);
  EXPECT_EQ(e.status().message().find("bad expression '((("), 0u)
      << e.status().message();
  EXPECT_NE(e.status().message().find("': at most "), std::string::npos);
  // Long flat chains are fine: evaluation does not recurse.
  std::string chain = "1";
  for (int i = 0; i < 200000; ++i)
    chain += "+1";
  EXPECT_EQ(eval(chain), 200001);
}

TEST(ExprTest, RandomTreesMatchAReferenceEvaluator) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  // Builds a random expression with its value, avoiding overflow and the
  // negative operands of / and %.
  std::function<std::pair<std::string, int64_t>(int)> gen =
      [&](int depth) -> std::pair<std::string, int64_t> {
    if (depth == 0 || rng() % 4 == 0) {
      if (rng() % 2) {
        int64_t v = static_cast<int64_t>(rng() % 100);
        return {std::to_string(v), v};
      }
      int d = static_cast<int>(rng() % 3);
      return {kDims[d], DimValues{7, 3, 5}[d]};
    }
    auto a = gen(depth - 1), b = gen(depth - 1);
    switch (rng() % 8) {
    case 0:
      return {"(" + a.first + " + " + b.first + ")", a.second + b.second};
    case 1:
      return {"(" + a.first + " - " + b.first + ")", a.second - b.second};
    case 2:
      if (std::abs(a.second) > 1000000 || std::abs(b.second) > 1000000)
        return b;
      return {a.first + " * (" + b.first + ")", a.second * b.second};
    case 3:
      if (a.second >= 0 && b.second > 0)
        return {"(" + a.first + ") / (" + b.first + ")", a.second / b.second};
      return a;
    case 4:
      if (a.second >= 0 && b.second > 0)
        return {"(" + a.first + ") % (" + b.first + ")", a.second % b.second};
      return b;
    case 5:
      if (a.second >= 0 && b.second > 0)
        return {"ceildiv(" + a.first + ", " + b.first + ")",
                (a.second + b.second - 1) / b.second};
      return a;
    case 6:
      return {"min(" + a.first + "," + b.first + ")",
              std::min(a.second, b.second)};
    default:
      return {"max(" + a.first + "," + b.first + ")",
              std::max(a.second, b.second)};
    }
  };
  for (int i = 0; i < 2000; ++i) {
    auto [text, value] = gen(4);
    EXPECT_EQ(eval(text), value) << text;
  }
}

} // namespace
