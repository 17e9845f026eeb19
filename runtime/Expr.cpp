//===- Expr.cpp - Size expressions: parsing and checked evaluation
//---------===//
//
//   expr   := term (('+' | '-') term)*
//   term   := factor (('*' | '/' | '%') factor)*
//   factor := INTEGER | DIM | '(' expr ')'
//           | ('ceildiv' | 'min' | 'max') '(' expr ',' expr ')'
//
//===----------------------------------------------------------------------===//

#include "Support.h"
#include "tensorc/manifest.h"

#include <algorithm>
#include <cctype>

namespace tensorc {

namespace {
// Bounds the recursion of the parser on hostile input like "((((...".
constexpr int kMaxNesting = 64;

bool isIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool isIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
} // namespace

class ExprParser {
public:
  ExprParser(const std::string &text, const std::vector<std::string> &dims)
      : text_(text), dims_(dims) {}

  Expected<Expr> parse() {
    Expr e;
    e.text_ = text_;
    e.nodes_.clear(); // drop the default constant
    expr_ = &e;
    TC_RETURN_IF_ERROR(parseExpr(0));
    skipSpace();
    if (pos_ != text_.size())
      return fail("expected an operator or the end");
    std::sort(e.usedDims_.begin(), e.usedDims_.end());
    e.usedDims_.erase(std::unique(e.usedDims_.begin(), e.usedDims_.end()),
                      e.usedDims_.end());
    return e;
  }

private:
  Status fail(const std::string &expected) {
    std::string found = pos_ < text_.size()
                            ? concat("'", text_.substr(pos_, 8), "'")
                            : std::string("the end");
    return Status::error("bad expression '", text_, "': ", expected,
                         " at offset ", pos_, ", found ", found);
  }

  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t'))
      ++pos_;
  }

  bool consume(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  uint32_t add(Expr::Op op, int64_t value, uint32_t lhs = 0, uint32_t rhs = 0) {
    expr_->nodes_.push_back({op, value, lhs, rhs});
    return static_cast<uint32_t>(expr_->nodes_.size() - 1);
  }

  uint32_t last() const {
    return static_cast<uint32_t>(expr_->nodes_.size() - 1);
  }

  Status parseExpr(int depth) {
    TC_RETURN_IF_ERROR(parseTerm(depth));
    for (;;) {
      Expr::Op op;
      if (consume('+'))
        op = Expr::Op::Add;
      else if (consume('-'))
        op = Expr::Op::Sub;
      else
        return Status::success();
      uint32_t lhs = last();
      TC_RETURN_IF_ERROR(parseTerm(depth));
      add(op, 0, lhs, last());
    }
  }

  Status parseTerm(int depth) {
    TC_RETURN_IF_ERROR(parseFactor(depth));
    for (;;) {
      Expr::Op op;
      if (consume('*'))
        op = Expr::Op::Mul;
      else if (consume('/'))
        op = Expr::Op::Div;
      else if (consume('%'))
        op = Expr::Op::Mod;
      else
        return Status::success();
      uint32_t lhs = last();
      TC_RETURN_IF_ERROR(parseFactor(depth));
      add(op, 0, lhs, last());
    }
  }

  Status parseFactor(int depth) {
    if (depth >= kMaxNesting)
      return fail(concat("at most ", kMaxNesting, " levels of nesting"));
    skipSpace();
    if (pos_ >= text_.size())
      return fail("expected a number, a dim or '('");
    char c = text_[pos_];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      int64_t value = 0;
      while (pos_ < text_.size() &&
             std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
        if (!checkedMul(value, 10, value) ||
            !checkedAdd(value, text_[pos_] - '0', value))
          return fail("expected a number that fits in 64 bits");
        ++pos_;
      }
      if (pos_ < text_.size() && isIdentChar(text_[pos_]))
        return fail("expected an operator after a number");
      add(Expr::Op::Const, value);
      return Status::success();
    }
    if (c == '(') {
      ++pos_;
      TC_RETURN_IF_ERROR(parseExpr(depth + 1));
      if (!consume(')'))
        return fail("expected ')'");
      return Status::success();
    }
    if (!isIdentStart(c))
      return fail("expected a number, a dim or '('");
    size_t begin = pos_;
    while (pos_ < text_.size() && isIdentChar(text_[pos_]))
      ++pos_;
    std::string name = text_.substr(begin, pos_ - begin);
    if (name == "ceildiv" || name == "min" || name == "max") {
      Expr::Op op = name == "ceildiv" ? Expr::Op::CeilDiv
                    : name == "min"   ? Expr::Op::Min
                                      : Expr::Op::Max;
      if (!consume('('))
        return fail(concat("expected '(' after '", name, "'"));
      TC_RETURN_IF_ERROR(parseExpr(depth + 1));
      uint32_t lhs = last();
      if (!consume(','))
        return fail(
            concat("expected ',' between the arguments of '", name, "'"));
      TC_RETURN_IF_ERROR(parseExpr(depth + 1));
      uint32_t rhs = last();
      if (!consume(')'))
        return fail(concat("expected ')' after the arguments of '", name, "'"));
      add(op, 0, lhs, rhs);
      return Status::success();
    }
    auto it = std::find(dims_.begin(), dims_.end(), name);
    if (it == dims_.end()) {
      std::string known;
      for (const std::string &d : dims_)
        known += (known.empty() ? "" : ", ") + d;
      return Status::error(
          "bad expression '", text_, "': unknown dim '", name,
          "' (the model's dims: ", known.empty() ? "none" : known, ")");
    }
    size_t index = static_cast<size_t>(it - dims_.begin());
    add(Expr::Op::Dim, static_cast<int64_t>(index));
    expr_->usedDims_.push_back({index, name});
    return Status::success();
  }

  const std::string &text_;
  const std::vector<std::string> &dims_;
  Expr *expr_ = nullptr;
  size_t pos_ = 0;
};

Expr::Expr() : text_("0"), nodes_{{Op::Const, 0, 0, 0}} {}

Expected<Expr> Expr::parse(const std::string &text,
                           const std::vector<std::string> &dims) {
  return ExprParser(text, dims).parse();
}

Expr Expr::constant(int64_t value) {
  Expr e;
  e.text_ = std::to_string(value);
  e.nodes_ = {{Op::Const, value, 0, 0}};
  return e;
}

std::optional<size_t> Expr::singleDim() const {
  if (nodes_.size() == 1 && nodes_[0].op == Op::Dim)
    return static_cast<size_t>(nodes_[0].value);
  return std::nullopt;
}

std::optional<int64_t> Expr::constantValue() const {
  if (!usedDims_.empty())
    return std::nullopt;
  Expected<int64_t> v = evaluate({});
  if (!v)
    return std::nullopt;
  return *v;
}

Expected<int64_t> Expr::evaluate(const DimValues &dims) const {
  auto fail = [&](const char *what) {
    std::string with;
    for (const auto &[index, name] : usedDims_)
      with += concat(with.empty() ? " with " : ", ", name, " = ",
                     index < dims.size() ? dims[index] : 0);
    return Status::error("'", text_, "'", with, ": ", what);
  };
  std::vector<int64_t> v(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node &n = nodes_[i];
    int64_t a = v[n.lhs], b = v[n.rhs], r = 0;
    switch (n.op) {
    case Op::Const:
      r = n.value;
      break;
    case Op::Dim: {
      size_t d = static_cast<size_t>(n.value);
      if (d >= dims.size() || dims[d] <= 0) {
        std::string name;
        for (const auto &used : usedDims_)
          if (used.first == d)
            name = used.second;
        return Status::error("'", text_, "': dim '", name, "' is not bound");
      }
      r = dims[d];
      break;
    }
    case Op::Add:
      if (!checkedAdd(a, b, r))
        return fail("overflows 64 bits");
      break;
    case Op::Sub:
      if (__builtin_sub_overflow(a, b, &r))
        return fail("overflows 64 bits");
      break;
    case Op::Mul:
      if (!checkedMul(a, b, r))
        return fail("overflows 64 bits");
      break;
    case Op::Div:
    case Op::Mod:
    case Op::CeilDiv:
      if (a < 0 || b < 0)
        return fail("division of a negative value");
      if (b == 0)
        return fail("division by zero");
      r = n.op == Op::Div   ? a / b
          : n.op == Op::Mod ? a % b
                            : a / b + (a % b != 0);
      break;
    case Op::Min:
      r = std::min(a, b);
      break;
    case Op::Max:
      r = std::max(a, b);
      break;
    }
    v[i] = r;
  }
  return v.back();
}

} // namespace tensorc
