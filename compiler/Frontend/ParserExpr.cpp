//===- ParserExpr.cpp - .tdsl parser: expressions -------------------------===//

#include "compiler/Frontend/ParserImpl.h"

using namespace tensorc;
using namespace tensorc::parser;

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

bool Parser::enter() {
  ++depth;
  if (depth <= kMaxDepth)
    return true;
  if (!depthReported)
    error(tok.loc(), "expression nests too deeply (at most " +
                         llvm::Twine(kMaxDepth) + " levels)");
  depthReported = true;
  return false;
}

bool Parser::checkHeight(unsigned height, llvm::SMLoc loc) {
  if (height <= kMaxDepth)
    return true;
  if (!depthReported)
    error(loc, "expression nests too deeply (at most " +
                   llvm::Twine(kMaxDepth) + " levels)");
  depthReported = true;
  return false;
}

PExpr Parser::makeBinary(llvm::SMLoc loc, BinaryOp op, PExpr lhs, PExpr rhs) {
  unsigned height = 1 + std::max(lhs.height, rhs.height);
  if (!checkHeight(height, loc))
    return {};
  return {std::make_unique<BinaryExpr>(loc, op, std::move(lhs.expr),
                                       std::move(rhs.expr)),
          height};
}

static std::optional<BinaryOp> comparisonOp(Tok k) {
  switch (k) {
  case Tok::Lt:
    return BinaryOp::Lt;
  case Tok::Le:
    return BinaryOp::Le;
  case Tok::Gt:
    return BinaryOp::Gt;
  case Tok::Ge:
    return BinaryOp::Ge;
  case Tok::EqEq:
    return BinaryOp::Eq;
  case Tok::Ne:
    return BinaryOp::Ne;
  default:
    return std::nullopt;
  }
}

PExpr Parser::parseExpr() {
  // Each statement's expression starts afresh; the limit is per expression.
  if (depth == 0)
    depthReported = false;
  if (!enter()) {
    --depth;
    return {};
  }
  DepthGuard guard(depth);
  PExpr lhs = parseAdditive();
  if (!lhs)
    return {};
  std::optional<BinaryOp> op = comparisonOp(tok.kind);
  if (!op)
    return lhs;
  llvm::SMLoc loc = tok.loc();
  consume();
  PExpr rhs = parseAdditive();
  if (!rhs)
    return {};
  if (comparisonOp(tok.kind)) {
    error(tok.loc(), "comparisons do not chain: 'a < b < c' is an error; "
                     "compare two values at a time");
    return {};
  }
  return makeBinary(loc, *op, std::move(lhs), std::move(rhs));
}

PExpr Parser::parseAdditive() {
  PExpr lhs = parseMultiplicative();
  while (lhs && (tok.is(Tok::Plus) || tok.is(Tok::Minus))) {
    BinaryOp op = tok.is(Tok::Plus) ? BinaryOp::Add : BinaryOp::Sub;
    llvm::SMLoc loc = tok.loc();
    consume();
    PExpr rhs = parseMultiplicative();
    if (!rhs)
      return {};
    lhs = makeBinary(loc, op, std::move(lhs), std::move(rhs));
  }
  return lhs;
}

PExpr Parser::parseMultiplicative() {
  PExpr lhs = parseUnary();
  while (lhs && (tok.is(Tok::Star) || tok.is(Tok::Slash) || tok.is(Tok::At))) {
    BinaryOp op = tok.is(Tok::Star)    ? BinaryOp::Mul
                  : tok.is(Tok::Slash) ? BinaryOp::Div
                                       : BinaryOp::MatMul;
    llvm::SMLoc loc = tok.loc();
    consume();
    PExpr rhs = parseUnary();
    if (!rhs)
      return {};
    lhs = makeBinary(loc, op, std::move(lhs), std::move(rhs));
  }
  return lhs;
}

PExpr Parser::parseUnary() {
  if (!tok.is(Tok::Minus))
    return parsePrimary();
  llvm::SMLoc loc = tok.loc();
  consume();
  if (!enter()) {
    --depth;
    return {};
  }
  DepthGuard guard(depth);
  PExpr operand = parseUnary();
  if (!operand || !checkHeight(operand.height + 1, loc))
    return {};
  return {std::make_unique<UnaryExpr>(loc, std::move(operand.expr)),
          operand.height + 1};
}

PExpr Parser::parsePrimary() {
  llvm::SMLoc loc = tok.loc();
  switch (tok.kind) {
  case Tok::Int: {
    auto e = std::make_unique<NumberExpr>(loc, true, tok.intValue,
                                          static_cast<double>(tok.intValue));
    consume();
    return {std::move(e), 1};
  }
  case Tok::Float:
  case Tok::KwInf: {
    auto e = std::make_unique<NumberExpr>(loc, false, 0, tok.floatValue);
    consume();
    return {std::move(e), 1};
  }
  case Tok::KwTrue:
  case Tok::KwFalse: {
    auto e = std::make_unique<BoolExpr>(loc, tok.is(Tok::KwTrue));
    consume();
    return {std::move(e), 1};
  }
  case Tok::String: {
    auto e = std::make_unique<StringExpr>(loc, tok.stringValue().str());
    consume();
    return {std::move(e), 1};
  }
  case Tok::Ident: {
    if (peek().is(Tok::LParen))
      return parseCall();
    auto e = std::make_unique<NameExpr>(loc, tok.text.str());
    consume();
    return {std::move(e), 1};
  }
  case Tok::LBracket:
    return parseList();
  case Tok::LParen: {
    consume();
    PExpr inner = parseExpr();
    if (!inner)
      return {};
    if (!tok.is(Tok::RParen)) {
      errorExpected("')'");
      note(loc, "to match this '('");
      return {};
    }
    consume();
    return inner;
  }
  default:
    errorExpected("an expression");
    return {};
  }
}

PExpr Parser::parseList() {
  llvm::SMLoc open = tok.loc();
  consume(); // '['
  auto list = std::make_unique<ListExpr>(open);
  unsigned height = 1;
  if (!tok.is(Tok::RBracket)) {
    do {
      PExpr e = parseExpr();
      if (!e)
        return {};
      height = std::max(height, e.height + 1);
      list->elements.push_back(std::move(e.expr));
    } while (consumeIf(Tok::Comma));
  }
  if (!tok.is(Tok::RBracket)) {
    errorExpected("',' or ']' in the list");
    note(open, "the list starts here");
    return {};
  }
  consume();
  if (!checkHeight(height, open))
    return {};
  return {std::move(list), height};
}

PExpr Parser::parseCall() {
  llvm::SMLoc loc = tok.loc();
  auto call = std::make_unique<CallExpr>(loc, tok.text.str(), loc);
  consume(); // callee
  llvm::SMLoc open = tok.loc();
  consume(); // '('
  unsigned height = 0;
  if (!parseArgs(call->args, call->callee, open, height))
    return {};
  if (!checkHeight(height + 1, loc))
    return {};
  return {std::move(call), height + 1};
}

bool Parser::parseArgs(std::vector<CallArg> &args, llvm::StringRef callee,
                       llvm::SMLoc open, unsigned &height) {
  llvm::SMLoc firstKeyword;
  if (!tok.is(Tok::RParen)) {
    do {
      CallArg arg;
      if (tok.is(Tok::Ident) && peek().is(Tok::Equal)) {
        arg.keyword = tok.text.str();
        arg.keywordLoc = tok.loc();
        consume();
        consume(); // '='
        if (!firstKeyword.isValid())
          firstKeyword = arg.keywordLoc;
      } else if (firstKeyword.isValid()) {
        error(tok.loc(), "positional argument after a keyword argument in "
                         "the call to '" +
                             quoteForMessage(callee) +
                             "'; put positional arguments first");
        note(firstKeyword, "the first keyword argument is here");
      }
      arg.loc = tok.loc();
      PExpr value = parseExpr();
      if (!value)
        return false;
      height = std::max(height, value.height);
      arg.value = std::move(value.expr);
      args.push_back(std::move(arg));
    } while (consumeIf(Tok::Comma));
  }
  if (!tok.is(Tok::RParen)) {
    errorExpected("',' or ')' in the arguments of '" + quoteForMessage(callee) +
                  "'");
    note(open, "the argument list starts here");
    return false;
  }
  consume();
  return true;
}
