//===- ParserImpl.h - The parser's internal interface -----------*- C++ -*-===//
//
// One token of lookahead (two for `name = value` arguments). On a syntax error
// the parser reports it and skips to a point it can resume from: the next
// statement (`let`, `return`, `}`) inside a body, the next item keyword
// (`dim const param fn train`) at model level. Expressions are limited to
// kMaxDepth levels, both in recursion while parsing and in the height of the
// tree built, so that no later recursive walk (Sema, printing, destruction)
// can exhaust the stack. Parser.cpp parses items and statements,
// ParserExpr.cpp expressions.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_FRONTEND_PARSERIMPL_H
#define TENSORC_FRONTEND_PARSERIMPL_H

#include "compiler/Frontend/AST.h"
#include "compiler/Frontend/Diagnostics.h"
#include "compiler/Frontend/Lexer.h"

namespace tensorc::parser {

using namespace tensorc::ast;

constexpr unsigned kMaxDepth = 256;
constexpr size_t kMaxItems = 1000000;
constexpr size_t kMaxFileBytes = size_t(64) << 20;

/// An expression and the height of its tree (a leaf is 1).
struct PExpr {
  std::unique_ptr<Expr> expr;
  unsigned height = 0;
  explicit operator bool() const { return expr != nullptr; }
};

class Parser {
public:
  Parser(DiagnosticEngine &diag, llvm::StringRef buffer)
      : diag(diag), buffer(buffer), lex(buffer, diag) {
    tok = lex.next();
  }

  std::unique_ptr<Model> parseFile();

private:
  //===--- Tokens ---------------------------------------------------------===//
  void consume() {
    if (hasPeek) {
      tok = peekTok;
      hasPeek = false;
    } else {
      tok = lex.next();
    }
    // Past the error cap, pretend the file ends here: every loop stops.
    if (diag.shouldStop()) {
      tok.kind = Tok::Eof;
      hasPeek = false;
    }
  }
  const Token &peek() {
    if (!hasPeek) {
      peekTok = lex.next();
      hasPeek = true;
    }
    return peekTok;
  }
  bool consumeIf(Tok k) {
    if (!tok.is(k))
      return false;
    consume();
    return true;
  }
  static bool isItemKeyword(Tok k) {
    return k == Tok::KwDim || k == Tok::KwConst || k == Tok::KwParam ||
           k == Tok::KwFn || k == Tok::KwTrain || k == Tok::KwModel;
  }
  static bool endsStatement(Tok k) {
    return k == Tok::KwLet || k == Tok::KwReturn || k == Tok::RBrace ||
           k == Tok::Eof || isItemKeyword(k);
  }

  /// "identifier 'x'", "'}'", "end of file".
  std::string describe(const Token &t) {
    switch (t.kind) {
    case Tok::Ident:
      return "identifier '" + quoteForMessage(t.text) + "'";
    case Tok::Int:
    case Tok::Float:
      return "number " + quoteForMessage(t.text);
    case Tok::String:
      return "string " + quoteForMessage(t.text);
    default:
      return tokenKindName(t.kind).str();
    }
  }

  //===--- Diagnostics ----------------------------------------------------===//
  /// Reports a syntax error, unless the current token is a lexer error: that
  /// one is reported already and whatever follows from it is noise.
  void error(llvm::SMLoc loc, const llvm::Twine &msg) {
    lastSuppressed = tok.is(Tok::Error);
    if (!lastSuppressed)
      diag.error(loc, msg);
  }
  void note(llvm::SMLoc loc, const llvm::Twine &msg) {
    if (!lastSuppressed)
      diag.note(loc, msg);
  }
  /// "expected WHAT, got TOKEN" at the current token.
  void errorExpected(const llvm::Twine &what) {
    error(tok.loc(), "expected " + what + ", got " + describe(tok));
  }
  bool expect(Tok k, const llvm::Twine &context) {
    if (consumeIf(k))
      return true;
    errorExpected(tokenKindName(k) + " " + context);
    return false;
  }
  bool expectIdent(std::string &name, llvm::SMLoc &loc,
                   const llvm::Twine &what) {
    if (!tok.is(Tok::Ident)) {
      errorExpected(what);
      return false;
    }
    name = tok.text.str();
    loc = tok.loc();
    consume();
    return true;
  }

  //===--- Recovery -------------------------------------------------------===//
  void skipToItem();
  void skipToStatement();

  //===--- Items ----------------------------------------------------------===//
  std::unique_ptr<Model> parseModelBody();
  bool parseDim(Model &m);
  bool parseConst(Model &m);
  bool parseParam(Model &m);
  bool parseFn(Model &m);
  bool parseTrain(Model &m);
  bool parseType(TypeSpec &type, llvm::StringRef context);
  bool parseArgs(std::vector<CallArg> &args, llvm::StringRef callee,
                 llvm::SMLoc open, unsigned &height);
  bool parseStatements(FnDecl &fn, llvm::SMLoc open);
  bool countItem(llvm::SMLoc loc);

  //===--- Expressions ----------------------------------------------------===//
  PExpr parseExpr();
  PExpr parseAdditive();
  PExpr parseMultiplicative();
  PExpr parseUnary();
  PExpr parsePrimary();
  PExpr parseList();
  PExpr parseCall();
  /// Builds a binary node, enforcing the height limit.
  PExpr makeBinary(llvm::SMLoc loc, BinaryOp op, PExpr lhs, PExpr rhs);
  bool checkHeight(unsigned height, llvm::SMLoc loc);
  /// Enters one level of expression recursion; false past the limit.
  bool enter();

  DiagnosticEngine &diag;
  llvm::StringRef buffer;
  Lexer lex;
  Token tok, peekTok;
  bool hasPeek = false;
  bool lastSuppressed = false;
  unsigned depth = 0;
  bool depthReported = false;
  size_t numItems = 0;
};

struct DepthGuard {
  unsigned &depth;
  explicit DepthGuard(unsigned &d) : depth(d) {}
  ~DepthGuard() { --depth; }
};

} // namespace tensorc::parser

#endif // TENSORC_FRONTEND_PARSERIMPL_H
