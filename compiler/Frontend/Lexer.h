//===- Lexer.h - .tdsl tokens -----------------------------------*- C++ -*-===//
//
// Turns a buffer into tokens. Malformed input is reported through the
// DiagnosticEngine; the lexer never fails: bad bytes become one `Error` token
// (the parser stays quiet about those, they are reported already) and bad
// numbers become number tokens with a placeholder value.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_FRONTEND_LEXER_H
#define TENSORC_FRONTEND_LEXER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

#include <cstdint>
#include <string>

namespace tensorc {
class DiagnosticEngine;

enum class Tok {
  Eof,
  Error,
  Ident,
  Int,
  Float,
  String,
  // Keywords.
  KwModel,
  KwDim,
  KwConst,
  KwParam,
  KwFn,
  KwLet,
  KwReturn,
  KwTrain,
  KwWith,
  KwTrue,
  KwFalse,
  KwInf,
  // Punctuation.
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Equal,
  Arrow,
  Plus,
  Minus,
  Star,
  Slash,
  At,
  Lt,
  Le,
  Gt,
  Ge,
  EqEq,
  Ne,
};

/// How a token kind is named in messages: "'{'", "identifier", "'let'".
llvm::StringRef tokenKindName(Tok kind);

struct Token {
  Tok kind = Tok::Eof;
  /// The token's bytes in the buffer (a string's includes the quotes).
  llvm::StringRef text;
  int64_t intValue = 0;  // Int
  double floatValue = 0; // Float

  bool is(Tok k) const { return kind == k; }
  llvm::SMLoc loc() const { return llvm::SMLoc::getFromPointer(text.data()); }
  /// The string literal's contents, without the quotes.
  llvm::StringRef stringValue() const { return text.drop_front().drop_back(); }
};

class Lexer {
public:
  Lexer(llvm::StringRef buffer, DiagnosticEngine &diag)
      : cur(buffer.begin()), end(buffer.end()), diag(diag) {}

  /// Lexes and returns the next token; `Eof` forever at the end.
  Token next();

private:
  Token make(Tok kind, const char *start);
  Token lexIdentifier(const char *start);
  Token lexNumber(const char *start);
  Token lexString(const char *start);
  Token lexInvalid(const char *start);
  void skipWhitespaceAndComments();

  const char *cur;
  const char *end;
  DiagnosticEngine &diag;
};

/// Truncates user text for quoting in a message (a 1 MB identifier should not
/// be echoed whole).
std::string quoteForMessage(llvm::StringRef text);

} // namespace tensorc

#endif // TENSORC_FRONTEND_LEXER_H
