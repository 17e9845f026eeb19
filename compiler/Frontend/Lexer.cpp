//===- Lexer.cpp - .tdsl tokens -------------------------------------------===//

#include "compiler/Frontend/Lexer.h"

#include "compiler/Frontend/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

using namespace tensorc;

/// Numbers longer than this are rejected rather than converted: no real model
/// needs them, and converting a megabyte of digits could be slow.
static constexpr size_t kMaxNumberLength = 400;

llvm::StringRef tensorc::tokenKindName(Tok kind) {
  switch (kind) {
  case Tok::Eof:
    return "end of file";
  case Tok::Error:
    return "invalid character";
  case Tok::Ident:
    return "identifier";
  case Tok::Int:
    return "integer";
  case Tok::Float:
    return "number";
  case Tok::String:
    return "string";
  case Tok::KwModel:
    return "'model'";
  case Tok::KwDim:
    return "'dim'";
  case Tok::KwConst:
    return "'const'";
  case Tok::KwParam:
    return "'param'";
  case Tok::KwFn:
    return "'fn'";
  case Tok::KwLet:
    return "'let'";
  case Tok::KwReturn:
    return "'return'";
  case Tok::KwTrain:
    return "'train'";
  case Tok::KwWith:
    return "'with'";
  case Tok::KwTrue:
    return "'true'";
  case Tok::KwFalse:
    return "'false'";
  case Tok::KwInf:
    return "'inf'";
  case Tok::LBrace:
    return "'{'";
  case Tok::RBrace:
    return "'}'";
  case Tok::LParen:
    return "'('";
  case Tok::RParen:
    return "')'";
  case Tok::LBracket:
    return "'['";
  case Tok::RBracket:
    return "']'";
  case Tok::Comma:
    return "','";
  case Tok::Colon:
    return "':'";
  case Tok::Equal:
    return "'='";
  case Tok::Arrow:
    return "'->'";
  case Tok::Plus:
    return "'+'";
  case Tok::Minus:
    return "'-'";
  case Tok::Star:
    return "'*'";
  case Tok::Slash:
    return "'/'";
  case Tok::At:
    return "'@'";
  case Tok::Lt:
    return "'<'";
  case Tok::Le:
    return "'<='";
  case Tok::Gt:
    return "'>'";
  case Tok::Ge:
    return "'>='";
  case Tok::EqEq:
    return "'=='";
  case Tok::Ne:
    return "'!='";
  }
  return "token";
}

std::string tensorc::quoteForMessage(llvm::StringRef text) {
  constexpr size_t kMax = 40;
  if (text.size() <= kMax)
    return text.str();
  // Cut at a UTF-8 boundary so that the message stays valid text.
  size_t cut = kMax;
  while (cut > 0 && (text[cut] & 0xC0) == 0x80)
    --cut;
  return text.take_front(cut).str() + "...";
}

static bool isIdentStart(char c) { return llvm::isAlpha(c) || c == '_'; }
static bool isIdentChar(char c) { return llvm::isAlnum(c) || c == '_'; }

Token Lexer::make(Tok kind, const char *start) {
  Token t;
  t.kind = kind;
  t.text = llvm::StringRef(start, cur - start);
  return t;
}

void Lexer::skipWhitespaceAndComments() {
  while (cur != end) {
    char c = *cur;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v') {
      ++cur;
    } else if (c == '#') {
      // A comment may hold any bytes, up to the end of the line.
      const void *nl = std::memchr(cur, '\n', end - cur);
      cur = nl ? static_cast<const char *>(nl) : end;
    } else {
      return;
    }
  }
}

Token Lexer::next() {
  skipWhitespaceAndComments();
  const char *start = cur;
  if (cur == end)
    return make(Tok::Eof, start);

  char c = *cur;
  if (isIdentStart(c))
    return lexIdentifier(start);
  if (llvm::isDigit(c) || (c == '.' && cur + 1 != end && llvm::isDigit(cur[1])))
    return lexNumber(start);
  if (c == '"')
    return lexString(start);

  ++cur;
  auto followedBy = [&](char n) {
    if (cur != end && *cur == n) {
      ++cur;
      return true;
    }
    return false;
  };
  switch (c) {
  case '{':
    return make(Tok::LBrace, start);
  case '}':
    return make(Tok::RBrace, start);
  case '(':
    return make(Tok::LParen, start);
  case ')':
    return make(Tok::RParen, start);
  case '[':
    return make(Tok::LBracket, start);
  case ']':
    return make(Tok::RBracket, start);
  case ',':
    return make(Tok::Comma, start);
  case ':':
    return make(Tok::Colon, start);
  case '+':
    return make(Tok::Plus, start);
  case '*':
    return make(Tok::Star, start);
  case '/':
    return make(Tok::Slash, start);
  case '@':
    return make(Tok::At, start);
  case '-':
    return make(followedBy('>') ? Tok::Arrow : Tok::Minus, start);
  case '=':
    return make(followedBy('=') ? Tok::EqEq : Tok::Equal, start);
  case '<':
    return make(followedBy('=') ? Tok::Le : Tok::Lt, start);
  case '>':
    return make(followedBy('=') ? Tok::Ge : Tok::Gt, start);
  case '!':
    if (followedBy('='))
      return make(Tok::Ne, start);
    break;
  default:
    break;
  }
  cur = start;
  return lexInvalid(start);
}

Token Lexer::lexIdentifier(const char *start) {
  while (cur != end && isIdentChar(*cur))
    ++cur;
  llvm::StringRef text(start, cur - start);
  Tok kind = llvm::StringSwitch<Tok>(text)
                 .Case("model", Tok::KwModel)
                 .Case("dim", Tok::KwDim)
                 .Case("const", Tok::KwConst)
                 .Case("param", Tok::KwParam)
                 .Case("fn", Tok::KwFn)
                 .Case("let", Tok::KwLet)
                 .Case("return", Tok::KwReturn)
                 .Case("train", Tok::KwTrain)
                 .Case("with", Tok::KwWith)
                 .Case("true", Tok::KwTrue)
                 .Case("false", Tok::KwFalse)
                 .Case("inf", Tok::KwInf)
                 .Default(Tok::Ident);
  Token t = make(kind, start);
  if (kind == Tok::KwInf)
    t.floatValue = INFINITY;
  return t;
}

Token Lexer::lexNumber(const char *start) {
  bool isFloat = false;
  auto digits = [&] {
    while (cur != end && llvm::isDigit(*cur))
      ++cur;
  };
  digits();
  if (cur != end && *cur == '.') {
    isFloat = true;
    ++cur;
    digits();
  }
  if (cur != end && (*cur == 'e' || *cur == 'E')) {
    const char *e = cur + 1;
    if (e != end && (*e == '+' || *e == '-'))
      ++e;
    if (e != end && llvm::isDigit(*e)) {
      isFloat = true;
      cur = e;
      digits();
    }
  }
  Token t = make(isFloat ? Tok::Float : Tok::Int, start);

  // `12abc`, `1e`, `1.2.3`: one error for the whole run, not a cascade.
  if (cur != end && (isIdentChar(*cur) || *cur == '.')) {
    const char *suffix = cur;
    while (cur != end && (isIdentChar(*cur) || *cur == '.'))
      ++cur;
    llvm::StringRef bad(suffix, cur - suffix);
    if (bad[0] == 'e' || bad[0] == 'E')
      diag.error(t.loc(),
                 "malformed number '" +
                     quoteForMessage(llvm::StringRef(start, cur - start)) +
                     "': an exponent needs digits, as in 1e-3");
    else
      diag.error(t.loc(), "invalid suffix '" + quoteForMessage(bad) +
                              "' on number '" + quoteForMessage(t.text) +
                              "'; separate a name from a number with an "
                              "operator or a space");
    t.text = llvm::StringRef(start, cur - start);
    t.floatValue = 1;
    t.intValue = 1;
    return t;
  }

  if (t.text.size() > kMaxNumberLength) {
    diag.error(t.loc(), "number literal is too long (" +
                            llvm::Twine(t.text.size()) +
                            " characters; at most " +
                            llvm::Twine(kMaxNumberLength) + ")");
    t.floatValue = t.intValue = 1;
    return t;
  }

  if (!isFloat) {
    int64_t v = 0;
    for (char d : t.text) {
      if (__builtin_mul_overflow(v, 10, &v) ||
          __builtin_add_overflow(v, d - '0', &v)) {
        diag.error(t.loc(), "integer literal " + quoteForMessage(t.text) +
                                " does not fit in 64 bits (the largest is "
                                "9223372036854775807)");
        v = 1;
        break;
      }
    }
    t.intValue = v;
    t.floatValue = static_cast<double>(v);
    return t;
  }

  std::string copy = t.text.str();
  double v = std::strtod(copy.c_str(), nullptr);
  if (std::isinf(v)) {
    diag.error(t.loc(), "float literal " + quoteForMessage(t.text) +
                            " is too large for f64; write 'inf' for "
                            "infinity");
    v = 1;
  }
  t.floatValue = v;
  return t;
}

Token Lexer::lexString(const char *start) {
  ++cur; // the opening quote
  while (cur != end && *cur != '"' && *cur != '\n')
    ++cur;
  if (cur == end || *cur == '\n') {
    diag.error(llvm::SMLoc::getFromPointer(start),
               "unterminated string: a string ends with '\"' on the same "
               "line");
    return make(Tok::Error, start);
  }
  ++cur; // the closing quote
  return make(Tok::String, start);
}

/// True if a token, whitespace or a comment can start at `p`.
static bool canStartToken(const char *p, const char *end) {
  char c = *p;
  if (isIdentChar(c) || c == '"' || c == '#' || c == ' ' || c == '\t' ||
      c == '\n' || c == '\r' || c == '\f' || c == '\v')
    return true;
  if (c == '.')
    return p + 1 != end && llvm::isDigit(p[1]);
  if (c == '!')
    return p + 1 != end && p[1] == '=';
  return llvm::StringRef("{}()[],:=+-*/@<>").contains(c);
}

Token Lexer::lexInvalid(const char *start) {
  unsigned char c = *start;
  std::string what;
  llvm::raw_string_ostream os(what);
  const auto *u = reinterpret_cast<const llvm::UTF8 *>(start);
  unsigned len = c < 0x80 ? 1 : llvm::getNumBytesForUTF8(c);
  if (c == 0) {
    os << "invalid character: a NUL byte";
  } else if (c < 0x20 || c == 0x7f) {
    os << "invalid character: control byte "
       << llvm::format("0x%02X", unsigned(c));
  } else if (c == '\'') {
    os << "invalid character \"'\"; strings are written with double quotes";
    // Swallow a single-quoted string whole: one error, not two.
    const char *close = start + 1;
    while (close != end && *close != '\'' && *close != '\n')
      ++close;
    if (close != end && *close == '\'')
      len = close - start + 1;
  } else if (c < 0x80) {
    os << "invalid character '" << char(c) << "'";
    if (c == '!')
      os << "; did you mean '!='?";
  } else if (len <= size_t(end - start) &&
             llvm::isLegalUTF8Sequence(u, u + len)) {
    llvm::UTF32 cp = 0;
    const llvm::UTF8 *src = u;
    llvm::UTF32 *dst = &cp;
    (void)llvm::ConvertUTF8toUTF32(&src, u + len, &dst, dst + 1,
                                   llvm::strictConversion);
    os << "invalid character U+" << llvm::format("%04X", unsigned(cp)) << " '"
       << llvm::StringRef(start, len)
       << "': only ASCII is allowed outside comments and strings";
  } else {
    os << "invalid byte " << llvm::format("0x%02X", unsigned(c))
       << ": the file is not valid UTF-8";
    len = 1;
  }
  diag.error(llvm::SMLoc::getFromPointer(start), what);
  // Swallow the whole run of bad bytes: one error, not one per byte.
  cur = start + len;
  while (cur != end && !canStartToken(cur, end))
    ++cur;
  return make(Tok::Error, start);
}
