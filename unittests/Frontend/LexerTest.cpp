//===- LexerTest.cpp - Token streams and lexical errors -------------------===//

#include "compiler/Frontend/Lexer.h"
#include "compiler/Frontend/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace tensorc;

namespace {
struct Lexed {
  std::vector<Token> tokens;
  std::string diags;
};

/// All tokens up to and including Eof.
Lexed lex(llvm::StringRef source) {
  static llvm::SourceMgr sm; // keeps every buffer alive for the token text
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(source, "t.tdsl"), llvm::SMLoc());
  Lexed out;
  llvm::raw_string_ostream os(out.diags);
  DiagnosticEngine diag(sm, os);
  Lexer lexer(sm.getMemoryBuffer(id)->getBuffer(), diag);
  for (int i = 0; i < 10000; ++i) {
    out.tokens.push_back(lexer.next());
    if (out.tokens.back().is(Tok::Eof))
      break;
  }
  return out;
}

std::vector<Tok> kinds(const Lexed &l) {
  std::vector<Tok> k;
  for (const Token &t : l.tokens)
    k.push_back(t.kind);
  return k;
}

TEST(LexerTest, KeywordsAndIdentifiers) {
  Lexed l = lex("model dim const param fn let return train with true false "
                "inf modelx _x f32");
  EXPECT_EQ(kinds(l), (std::vector<Tok>{
                          Tok::KwModel, Tok::KwDim, Tok::KwConst, Tok::KwParam,
                          Tok::KwFn, Tok::KwLet, Tok::KwReturn, Tok::KwTrain,
                          Tok::KwWith, Tok::KwTrue, Tok::KwFalse, Tok::KwInf,
                          Tok::Ident, Tok::Ident, Tok::Ident, Tok::Eof}));
  EXPECT_EQ(l.tokens[12].text, "modelx");
  EXPECT_TRUE(std::isinf(l.tokens[11].floatValue));
  EXPECT_EQ(l.diags, "");
}

TEST(LexerTest, Punctuation) {
  Lexed l = lex("{ } ( ) [ ] , : = -> + - * / @ < <= > >= == != -->");
  EXPECT_EQ(
      kinds(l),
      (std::vector<Tok>{Tok::LBrace,   Tok::RBrace,   Tok::LParen, Tok::RParen,
                        Tok::LBracket, Tok::RBracket, Tok::Comma,  Tok::Colon,
                        Tok::Equal,    Tok::Arrow,    Tok::Plus,   Tok::Minus,
                        Tok::Star,     Tok::Slash,    Tok::At,     Tok::Lt,
                        Tok::Le,       Tok::Gt,       Tok::Ge,     Tok::EqEq,
                        Tok::Ne,       Tok::Minus,    Tok::Arrow,  Tok::Eof}));
}

TEST(LexerTest, Numbers) {
  Lexed l = lex("0 784 1.0 .5 1e-3 2.5E+4 1. 9223372036854775807");
  ASSERT_EQ(l.tokens.size(), 9u);
  EXPECT_TRUE(l.tokens[0].is(Tok::Int));
  EXPECT_EQ(l.tokens[1].intValue, 784);
  EXPECT_TRUE(l.tokens[2].is(Tok::Float));
  EXPECT_DOUBLE_EQ(l.tokens[3].floatValue, 0.5);
  EXPECT_DOUBLE_EQ(l.tokens[4].floatValue, 1e-3);
  EXPECT_DOUBLE_EQ(l.tokens[5].floatValue, 2.5e4);
  EXPECT_TRUE(l.tokens[6].is(Tok::Float));
  EXPECT_EQ(l.tokens[7].intValue, INT64_MAX);
  EXPECT_EQ(l.diags, "");
}

TEST(LexerTest, StringsAndComments) {
  std::string src = "# a comment with bytes \xff";
  src += '\0';
  src += " in it\n\"tanh\" x # tail";
  Lexed l = lex(src);
  ASSERT_EQ(kinds(l), (std::vector<Tok>{Tok::String, Tok::Ident, Tok::Eof}));
  EXPECT_EQ(l.tokens[0].stringValue(), "tanh");
  EXPECT_EQ(l.diags, "");
}

TEST(LexerTest, IntegerOverflowIsAnError) {
  Lexed l = lex("x = 9223372036854775808");
  EXPECT_TRUE(l.tokens[2].is(Tok::Int));
  EXPECT_NE(l.diags.find("t.tdsl:1:5: error: integer literal "
                         "9223372036854775808 does not fit in 64 bits"),
            std::string::npos)
      << l.diags;
}

TEST(LexerTest, FloatRangeAndMalformedNumbers) {
  Lexed l = lex("1e999 2e 3abc");
  EXPECT_NE(l.diags.find("1:1: error: float literal 1e999 is too large"),
            std::string::npos)
      << l.diags;
  EXPECT_NE(l.diags.find("1:7: error: malformed number '2e'"),
            std::string::npos)
      << l.diags;
  EXPECT_NE(l.diags.find("1:10: error: invalid suffix 'abc' on number '3'"),
            std::string::npos)
      << l.diags;
}

TEST(LexerTest, InvalidBytesAreOneErrorPerRun) {
  Lexed l = lex(llvm::StringRef("a $$$ b \0 c \xff\xfe d", 16));
  EXPECT_EQ(kinds(l),
            (std::vector<Tok>{Tok::Ident, Tok::Error, Tok::Ident, Tok::Error,
                              Tok::Ident, Tok::Error, Tok::Ident, Tok::Eof}));
  EXPECT_NE(l.diags.find("1:3: error: invalid character '$'"),
            std::string::npos);
  EXPECT_NE(l.diags.find("1:9: error: invalid character: a NUL byte"),
            std::string::npos);
  EXPECT_NE(l.diags.find("1:13: error: invalid byte 0xFF"), std::string::npos)
      << l.diags;
}

TEST(LexerTest, UnterminatedString) {
  Lexed l = lex("\"abc\nx");
  EXPECT_EQ(kinds(l), (std::vector<Tok>{Tok::Error, Tok::Ident, Tok::Eof}));
  EXPECT_NE(l.diags.find("1:1: error: unterminated string"), std::string::npos);
}

TEST(LexerTest, EofIsSticky) {
  static llvm::SourceMgr sm;
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy("x", "t.tdsl"), llvm::SMLoc());
  std::string out;
  llvm::raw_string_ostream os(out);
  DiagnosticEngine diag(sm, os);
  Lexer lexer(sm.getMemoryBuffer(id)->getBuffer(), diag);
  EXPECT_TRUE(lexer.next().is(Tok::Ident));
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(lexer.next().is(Tok::Eof));
}

TEST(LexerTest, QuoteForMessageTruncatesAtUtf8Boundary) {
  std::string longName(100, 'y');
  EXPECT_EQ(quoteForMessage(longName), std::string(40, 'y') + "...");
  std::string accents;
  for (int i = 0; i < 30; ++i)
    accents += "\xc3\xa9"; // é
  std::string q = quoteForMessage(accents);
  EXPECT_EQ(q.size(), 40u + 3u);
}
} // namespace
