//===- Parser.cpp - .tdsl parser: file, items and statements --------------===//

#include "compiler/Frontend/Parser.h"

#include "compiler/Frontend/ParserImpl.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace tensorc;
using namespace tensorc::parser;

//===----------------------------------------------------------------------===//
// Recovery
//===----------------------------------------------------------------------===//

void Parser::skipToItem() {
  // Skips whole `{ ... }` bodies so that the `}` of a function whose header
  // was malformed is not taken for the end of the model.
  unsigned braces = 0;
  while (true) {
    switch (tok.kind) {
    case Tok::Eof:
    case Tok::KwModel:
    case Tok::KwDim:
    case Tok::KwConst:
    case Tok::KwParam:
    case Tok::KwFn:
    case Tok::KwTrain:
      return;
    case Tok::LBrace:
      ++braces;
      break;
    case Tok::RBrace:
      if (braces == 0)
        return;
      --braces;
      break;
    default:
      break;
    }
    consume();
  }
}

void Parser::skipToStatement() {
  while (!endsStatement(tok.kind))
    consume();
}

//===----------------------------------------------------------------------===//
// Items
//===----------------------------------------------------------------------===//

std::unique_ptr<Model> Parser::parseFile() {
  llvm::SMLoc start = llvm::SMLoc::getFromPointer(buffer.data());
  if (buffer.size() > kMaxFileBytes) {
    diag.error(start, "file is too large (" + llvm::Twine(buffer.size()) +
                          " bytes; at most 64 MiB)");
    return nullptr;
  }
  if (!tok.is(Tok::KwModel)) {
    if (tok.is(Tok::Eof))
      error(tok.loc(), "no model in this file; a .tdsl file holds one "
                       "'model NAME { ... }'");
    else
      errorExpected("'model' at the start of the file");
    while (!tok.is(Tok::KwModel) && !tok.is(Tok::Eof))
      consume();
    if (tok.is(Tok::Eof))
      return nullptr;
  }
  std::unique_ptr<Model> model = parseModelBody();
  if (tok.is(Tok::KwModel)) {
    Token second = tok;
    consume();
    std::string name = tok.is(Tok::Ident) ? quoteForMessage(tok.text) : "";
    error(second.loc(), "a file holds exactly one model; move model '" + name +
                            "' to a file of its own");
    note(model->loc, "the first model is '" + model->name + "'");
  } else if (!tok.is(Tok::Eof)) {
    errorExpected("end of file after the model's closing '}'");
  }
  return model;
}

bool Parser::countItem(llvm::SMLoc loc) {
  if (++numItems <= kMaxItems)
    return true;
  if (numItems == kMaxItems + 1)
    error(loc, "too many items in one model (at most 1,000,000)");
  return false;
}

std::unique_ptr<Model> Parser::parseModelBody() {
  auto model = std::make_unique<Model>();
  consume(); // 'model'
  if (tok.is(Tok::Ident)) {
    model->loc = tok.loc();
    model->name = tok.text.str();
    consume();
  } else {
    model->loc = tok.loc();
    errorExpected("the model's name after 'model'");
  }
  llvm::SMLoc open = tok.loc();
  if (!tok.is(Tok::LBrace)) {
    errorExpected("'{' to open the model's body");
  } else {
    consume();
  }

  while (true) {
    bool ok = true;
    switch (tok.kind) {
    case Tok::KwDim:
      ok = parseDim(*model);
      break;
    case Tok::KwConst:
      ok = parseConst(*model);
      break;
    case Tok::KwParam:
      ok = parseParam(*model);
      break;
    case Tok::KwFn:
      ok = parseFn(*model);
      break;
    case Tok::KwTrain:
      ok = parseTrain(*model);
      break;
    case Tok::RBrace:
      consume();
      return model;
    case Tok::Eof:
    case Tok::KwModel:
      error(tok.loc(), "expected '}' to close model '" +
                           quoteForMessage(model->name) + "', got " +
                           describe(tok));
      note(open, "the model's body starts here");
      return model;
    case Tok::KwLet:
    case Tok::KwReturn:
      error(tok.loc(), tokenKindName(tok.kind) +
                           " is only allowed inside a function body");
      consume();
      ok = false;
      break;
    default:
      errorExpected("an item (dim, const, param, fn or train)");
      consume();
      ok = false;
      break;
    }
    if (!ok)
      skipToItem();
    if (numItems > kMaxItems) {
      // Reported once; the rest of the file is not read.
      tok.kind = Tok::Eof;
      hasPeek = false;
      return model;
    }
  }
}

bool Parser::parseDim(Model &m) {
  consume(); // 'dim'
  do {
    std::string name;
    llvm::SMLoc loc;
    if (!expectIdent(name, loc, "a dim name after 'dim'"))
      return false;
    if (!countItem(loc))
      return false;
    m.dims.push_back(std::make_unique<DimDecl>(loc, std::move(name)));
  } while (consumeIf(Tok::Comma));
  return true;
}

bool Parser::parseConst(Model &m) {
  consume(); // 'const'
  std::string name;
  llvm::SMLoc loc;
  if (!expectIdent(name, loc, "a name after 'const'") || !countItem(loc))
    return false;
  if (!expect(Tok::Equal, "after the const's name"))
    return false;
  bool negative = consumeIf(Tok::Minus);
  if (tok.is(Tok::Float)) {
    error(tok.loc(), "const '" + quoteForMessage(name) +
                         "' must be an integer, got " + describe(tok));
    return false;
  }
  if (!tok.is(Tok::Int)) {
    errorExpected("an integer value for const '" + quoteForMessage(name) + "'");
    return false;
  }
  int64_t value = negative ? -tok.intValue : tok.intValue;
  llvm::SMLoc valueLoc = tok.loc();
  consume();
  m.consts.push_back(
      std::make_unique<ConstDecl>(loc, std::move(name), value, valueLoc));
  return true;
}

bool Parser::parseType(TypeSpec &type, llvm::StringRef context) {
  type.loc = tok.loc();
  if (!tok.is(Tok::Ident)) {
    errorExpected(("an element type (such as f32) for " + context).str());
    return false;
  }
  std::optional<DType> dtype = lookupDType(tok.text);
  if (!dtype) {
    error(tok.loc(), "unknown element type '" + quoteForMessage(tok.text) +
                         "'; expected f32, f16, bf16, f64, i32, i64 or "
                         "bool");
    return false;
  }
  type.dtype = *dtype;
  consume();
  if (!tok.is(Tok::LBracket))
    return true;
  llvm::SMLoc open = tok.loc();
  consume();
  if (consumeIf(Tok::RBracket))
    return true;
  do {
    TypeSpec::DimSpec dim;
    dim.loc = tok.loc();
    do {
      TypeSpec::Factor f;
      f.loc = tok.loc();
      if (tok.is(Tok::Int)) {
        f.value = tok.intValue;
      } else if (tok.is(Tok::Ident)) {
        f.name = tok.text.str();
      } else {
        errorExpected("a dim (an integer, a const or a dim name)");
        return false;
      }
      consume();
      dim.factors.push_back(std::move(f));
    } while (consumeIf(Tok::Star));
    type.dims.push_back(std::move(dim));
  } while (consumeIf(Tok::Comma));
  if (!tok.is(Tok::RBracket)) {
    errorExpected("',' or ']' in the shape");
    note(open, "the shape starts here");
    return false;
  }
  consume();
  return true;
}

bool Parser::parseParam(Model &m) {
  consume(); // 'param'
  std::string name;
  llvm::SMLoc loc;
  if (!expectIdent(name, loc, "a name after 'param'") || !countItem(loc))
    return false;
  auto param = std::make_unique<ParamDecl>(loc, name);
  if (!expect(Tok::Colon, "and a type after the param's name") ||
      !parseType(param->type, "param '" + quoteForMessage(name) + "'"))
    return false;
  if (!tok.is(Tok::Equal)) {
    errorExpected("'=' and an initializer (such as '= zeros') after the type "
                  "of param '" +
                  quoteForMessage(name) + "'");
    return false;
  }
  consume();
  if (!tok.is(Tok::Ident)) {
    errorExpected("an initializer (zeros, ones, full, normal, uniform, "
                  "kaiming_uniform, kaiming_normal or xavier_uniform)");
    return false;
  }
  param->initName = tok.text.str();
  param->initLoc = tok.loc();
  consume();
  if (tok.is(Tok::LParen)) {
    llvm::SMLoc open = tok.loc();
    consume();
    unsigned height = 0;
    if (!parseArgs(param->initArgs, param->initName, open, height))
      return false;
  }
  m.params.push_back(std::move(param));
  return true;
}

bool Parser::parseFn(Model &m) {
  consume(); // 'fn'
  std::string name;
  llvm::SMLoc loc;
  if (!expectIdent(name, loc, "a function name after 'fn'") || !countItem(loc))
    return false;
  auto fn = std::make_unique<FnDecl>(loc, name);
  std::string quoted = "'" + quoteForMessage(name) + "'";
  llvm::SMLoc open = tok.loc();
  if (!expect(Tok::LParen, "after the name of function " + quoted))
    return false;
  if (!tok.is(Tok::RParen)) {
    do {
      std::string argName;
      llvm::SMLoc argLoc;
      if (!expectIdent(argName, argLoc, "an argument name"))
        return false;
      auto arg = std::make_unique<ArgDecl>(argLoc, argName);
      if (!expect(Tok::Colon, "and a type after argument '" +
                                  quoteForMessage(argName) + "'") ||
          !parseType(arg->type, "argument '" + quoteForMessage(argName) + "'"))
        return false;
      fn->args.push_back(std::move(arg));
    } while (consumeIf(Tok::Comma));
  }
  if (!tok.is(Tok::RParen)) {
    errorExpected("',' or ')' in the arguments of " + quoted);
    note(open, "the argument list starts here");
    return false;
  }
  consume();
  if (!tok.is(Tok::Arrow)) {
    errorExpected("'->' and the result type of " + quoted);
    return false;
  }
  consume();
  if (!parseType(fn->result, "the result of " + quoted))
    return false;
  llvm::SMLoc bodyOpen = tok.loc();
  if (!expect(Tok::LBrace, "to open the body of " + quoted)) {
    // A forgotten '{' before the first statement: parse the body anyway, so
    // that its '}' is not taken for the end of the model.
    if (!tok.is(Tok::KwLet) && !tok.is(Tok::KwReturn))
      return false;
  }
  bool ok = parseStatements(*fn, bodyOpen);
  m.fns.push_back(std::move(fn));
  return ok;
}

bool Parser::parseStatements(FnDecl &fn, llvm::SMLoc open) {
  llvm::SMLoc firstReturn;
  while (true) {
    if (tok.is(Tok::RBrace)) {
      fn.closeLoc = tok.loc();
      consume();
      return true;
    }
    if (tok.is(Tok::Eof) || isItemKeyword(tok.kind)) {
      error(tok.loc(), "expected '}' to close the body of '" +
                           quoteForMessage(fn.name) + "', got " +
                           describe(tok));
      note(open, "the body starts here");
      fn.closeLoc = tok.loc();
      // Not an item-level failure: the item that follows is fine.
      return true;
    }
    if (!tok.is(Tok::KwLet) && !tok.is(Tok::KwReturn)) {
      errorExpected("'let', 'return' or '}' in the body of '" +
                    quoteForMessage(fn.name) + "'");
      consume();
      skipToStatement();
      continue;
    }
    if (firstReturn.isValid()) {
      error(tok.loc(), "statement after 'return': the return of '" +
                           quoteForMessage(fn.name) + "' must come last");
      note(firstReturn, "'return' is here");
    }
    bool isLet = tok.is(Tok::KwLet);
    llvm::SMLoc stmtLoc = tok.loc();
    consume();
    std::string name;
    llvm::SMLoc nameLoc;
    if (isLet && (!expectIdent(name, nameLoc, "a name after 'let'") ||
                  !expect(Tok::Equal, "after the name in 'let'"))) {
      skipToStatement();
      continue;
    }
    PExpr value = parseExpr();
    if (!value) {
      skipToStatement();
      continue;
    }
    if (!endsStatement(tok.kind)) {
      errorExpected("an operator or the end of the statement");
      skipToStatement();
      continue;
    }
    if (firstReturn.isValid())
      continue; // reported above; keep the first return
    if (isLet) {
      auto let = std::make_unique<LetDecl>(nameLoc, std::move(name));
      let->value = std::move(value.expr);
      fn.lets.push_back(std::move(let));
    } else {
      firstReturn = stmtLoc;
      fn.returnLoc = stmtLoc;
      fn.returnValue = std::move(value.expr);
    }
  }
}

bool Parser::parseTrain(Model &m) {
  llvm::SMLoc loc = tok.loc();
  consume(); // 'train'
  if (!countItem(loc))
    return false;
  auto train = std::make_unique<TrainDecl>(loc);
  if (!expectIdent(train->fnName, train->fnLoc,
                   "the name of the function to train after 'train'") ||
      !expect(Tok::KwWith, "after the function to train") ||
      !expectIdent(train->optimizerName, train->optimizerLoc,
                   "an optimizer (sgd, adam or adamw) after 'with'"))
    return false;
  if (tok.is(Tok::LParen)) {
    llvm::SMLoc open = tok.loc();
    consume();
    unsigned height = 0;
    if (!parseArgs(train->args, train->optimizerName, open, height))
      return false;
  }
  if (m.train) {
    error(loc, "a model has at most one train clause");
    note(m.train->loc, "the first train clause is here");
    return true;
  }
  m.train = std::move(train);
  return true;
}

std::unique_ptr<Model> tensorc::parseModel(DiagnosticEngine &diag) {
  llvm::SourceMgr &sm = diag.getSourceMgr();
  if (sm.getNumBuffers() == 0)
    return nullptr;
  llvm::StringRef buffer = sm.getMemoryBuffer(sm.getMainFileID())->getBuffer();
  unsigned before = diag.errorCount();
  Parser parser(diag, buffer);
  std::unique_ptr<Model> model = parser.parseFile();
  if (diag.errorCount() != before)
    return nullptr;
  return model;
}
