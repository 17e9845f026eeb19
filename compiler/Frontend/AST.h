//===- AST.h - The .tdsl abstract syntax tree -------------------*- C++ -*-===//
//
// The parser builds this tree; Sema resolves names and fills in the types and
// the normalized builtin arguments; MLIRGen reads the checked tree. Nodes use
// LLVM-style RTTI (classof) and own their children.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_FRONTEND_AST_H
#define TENSORC_FRONTEND_AST_H

#include "compiler/Frontend/Types.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tensorc::ast {

struct Decl;
struct FnDecl;

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

struct Expr {
  enum class Kind { Number, Bool, String, Name, List, Unary, Binary, Call };

  Expr(Kind kind, llvm::SMLoc loc) : kind(kind), loc(loc) {}
  virtual ~Expr() = default;

  Kind getKind() const { return kind; }

  const Kind kind;
  /// Where the expression starts (its operator for unary/binary expressions,
  /// so that diagnostics point at the operation that failed).
  llvm::SMLoc loc;
  /// Filled in by Sema: the value's type. Lists and strings have none.
  std::optional<TensorType> type;
};

/// An integer or floating-point literal, or `inf`. Sema sets `type` to a
/// scalar of the element type its context gives it (docs/language.md,
/// Literals); integer arguments of builtins (axes, sizes) are i64. A NameExpr
/// whose decl is a ConstDecl is typed the same way and means its value.
struct NumberExpr : Expr {
  NumberExpr(llvm::SMLoc loc, bool isInteger, int64_t intValue,
             double floatValue)
      : Expr(Kind::Number, loc), isInteger(isInteger), intValue(intValue),
        floatValue(floatValue) {}
  static bool classof(const Expr *e) { return e->getKind() == Kind::Number; }

  bool isInteger;
  int64_t intValue;  // when isInteger
  double floatValue; // always set (the integer's value for integers)
};

struct BoolExpr : Expr {
  BoolExpr(llvm::SMLoc loc, bool value) : Expr(Kind::Bool, loc), value(value) {}
  static bool classof(const Expr *e) { return e->getKind() == Kind::Bool; }
  bool value;
};

/// A string literal, only meaningful as a builtin argument ("tanh").
struct StringExpr : Expr {
  StringExpr(llvm::SMLoc loc, std::string value)
      : Expr(Kind::String, loc), value(std::move(value)) {}
  static bool classof(const Expr *e) { return e->getKind() == Kind::String; }
  std::string value;
};

/// A use of a name: argument, let binding, param, const, or an element type
/// name used as a builtin argument (`cast(x, f16)`).
struct NameExpr : Expr {
  NameExpr(llvm::SMLoc loc, std::string name)
      : Expr(Kind::Name, loc), name(std::move(name)) {}
  static bool classof(const Expr *e) { return e->getKind() == Kind::Name; }

  std::string name;
  /// Filled in by Sema: what the name refers to (null for element type names
  /// used as builtin arguments).
  const Decl *decl = nullptr;
};

/// `[a, b, c]`: only valid as a builtin argument.
struct ListExpr : Expr {
  ListExpr(llvm::SMLoc loc) : Expr(Kind::List, loc) {}
  static bool classof(const Expr *e) { return e->getKind() == Kind::List; }
  std::vector<std::unique_ptr<Expr>> elements;
};

struct UnaryExpr : Expr {
  UnaryExpr(llvm::SMLoc loc, std::unique_ptr<Expr> operand)
      : Expr(Kind::Unary, loc), operand(std::move(operand)) {}
  static bool classof(const Expr *e) { return e->getKind() == Kind::Unary; }
  /// The only unary operator is negation.
  std::unique_ptr<Expr> operand;
};

enum class BinaryOp { Add, Sub, Mul, Div, MatMul, Lt, Le, Gt, Ge, Eq, Ne };

/// The operator's spelling, e.g. "+" or "@".
llvm::StringRef spelling(BinaryOp op);

struct BinaryExpr : Expr {
  BinaryExpr(llvm::SMLoc opLoc, BinaryOp op, std::unique_ptr<Expr> lhs,
             std::unique_ptr<Expr> rhs)
      : Expr(Kind::Binary, opLoc), op(op), lhs(std::move(lhs)),
        rhs(std::move(rhs)) {}
  static bool classof(const Expr *e) { return e->getKind() == Kind::Binary; }
  BinaryOp op;
  std::unique_ptr<Expr> lhs, rhs;
};

/// The builtins of the language (docs/language.md).
enum class Builtin {
  // Elementwise unary (float).
  Exp,
  Log,
  Sqrt,
  Rsqrt,
  Tanh,
  Sigmoid,
  Relu,
  Silu,
  Gelu,
  // Elementwise, other.
  Abs,
  Pow,
  Where,
  Cast,
  Dropout,
  MaskedFill,
  // Reductions.
  Sum,
  Mean,
  Max,
  Min,
  Argmax,
  Softmax,
  LogSoftmax,
  // Normalization and losses.
  LayerNorm,
  RmsNorm,
  CrossEntropy,
  Mse,
  // Shapes.
  Transpose,
  Permute,
  Reshape,
  BroadcastTo,
  Concat,
  Slice,
  // Lookup.
  Embedding,
  OneHot,
  // Convolution and pooling.
  Conv2d,
  MaxPool2d,
  AvgPool2d,
  // Attention.
  CausalMask,
};

/// The builtin's name as written in .tdsl ("log_softmax").
llvm::StringRef builtinName(Builtin b);
/// Looks a builtin up by its .tdsl name.
std::optional<Builtin> lookupBuiltin(llvm::StringRef name);

struct CallArg {
  llvm::SMLoc loc;
  std::string keyword; // empty for positional arguments
  llvm::SMLoc keywordLoc;
  std::unique_ptr<Expr> value;
};

/// What Sema derives from a builtin call's arguments, normalized so that
/// MLIRGen needs no further checks. Which fields are meaningful depends on the
/// builtin; the comments name the builtins that use them.
struct BuiltinAttrs {
  /// Tensor operands in canonical order, e.g. (x, gamma, beta) for layernorm,
  /// (x, w[, bias]) for conv2d, (c, a, b) for where, the concatenated tensors
  /// for concat. Pointers into the call's arguments.
  llvm::SmallVector<const Expr *, 4> operands;
  /// Non-negative axes: reductions (sorted, unique; all axes when omitted),
  /// softmax/log_softmax/argmax/concat/slice (one axis), transpose (two axes),
  /// permute (the permutation), layernorm/rmsnorm (the normalized trailing
  /// axes, sorted).
  llvm::SmallVector<int64_t, 4> axes;
  bool keepdim = false;
  /// pow: exponent; dropout: p; layernorm/rmsnorm: eps; masked_fill: value.
  double scalar = 0.0;
  /// gelu: true for approximate = "tanh".
  bool approximateTanh = false;
  /// cast: target type; one_hot: result type.
  DType dtype = DType::F32;
  /// slice: [start, end); one_hot: {num_classes}.
  llvm::SmallVector<int64_t, 2> ints;
  /// conv2d/pooling: {stride_h, stride_w}, {pad_h, pad_w}, {kernel_h,
  /// kernel_w}.
  llvm::SmallVector<int64_t, 2> stride, padding, kernel;
  /// reshape/broadcast_to: the target shape, -1 resolved; causal_mask: {T}.
  llvm::SmallVector<Dim, 4> shape;
};

struct CallExpr : Expr {
  CallExpr(llvm::SMLoc loc, std::string callee, llvm::SMLoc calleeLoc)
      : Expr(Kind::Call, loc), callee(std::move(callee)), calleeLoc(calleeLoc) {
  }
  static bool classof(const Expr *e) { return e->getKind() == Kind::Call; }

  std::string callee;
  llvm::SMLoc calleeLoc;
  std::vector<CallArg> args;

  /// Filled in by Sema: exactly one of these is set for a well-typed call.
  std::optional<Builtin> builtin;
  const FnDecl *function = nullptr;
  /// Filled in by Sema for builtins.
  BuiltinAttrs attrs;
};

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

struct Decl {
  enum class Kind { Dim, Const, Param, Fn, Arg, Let, Train };

  Decl(Kind kind, llvm::SMLoc loc, std::string name)
      : kind(kind), loc(loc), name(std::move(name)) {}
  virtual ~Decl() = default;
  Kind getKind() const { return kind; }

  const Kind kind;
  llvm::SMLoc loc; // the name's location
  std::string name;
};

/// A written type with the location of each piece, so that Sema can point at
/// the dim that is wrong.
struct TypeSpec {
  llvm::SMLoc loc;
  DType dtype = DType::F32;
  /// Each dim as written: a product of factors, each an integer or a name.
  struct Factor {
    llvm::SMLoc loc;
    std::string name; // empty for integers
    int64_t value = 0;
  };
  struct DimSpec {
    llvm::SMLoc loc;
    llvm::SmallVector<Factor, 2> factors;
  };
  std::vector<DimSpec> dims;
  /// Filled in by Sema.
  std::optional<TensorType> resolved;
};

struct DimDecl : Decl {
  DimDecl(llvm::SMLoc loc, std::string name) : Decl(Kind::Dim, loc, name) {}
  static bool classof(const Decl *d) { return d->getKind() == Kind::Dim; }
};

struct ConstDecl : Decl {
  ConstDecl(llvm::SMLoc loc, std::string name, int64_t value,
            llvm::SMLoc valueLoc)
      : Decl(Kind::Const, loc, name), value(value), valueLoc(valueLoc) {}
  static bool classof(const Decl *d) { return d->getKind() == Kind::Const; }
  int64_t value;
  llvm::SMLoc valueLoc;
};

enum class InitKind {
  Zeros,
  Ones,
  Normal,
  Uniform,
  KaimingUniform,
  KaimingNormal,
  XavierUniform,
  Full
};
llvm::StringRef initName(InitKind k);

struct ParamDecl : Decl {
  ParamDecl(llvm::SMLoc loc, std::string name) : Decl(Kind::Param, loc, name) {}
  static bool classof(const Decl *d) { return d->getKind() == Kind::Param; }

  TypeSpec type;
  /// The initializer as written.
  std::string initName;
  llvm::SMLoc initLoc;
  std::vector<CallArg> initArgs;
  /// Filled in by Sema.
  InitKind init = InitKind::Zeros;
  /// normal: {mean, std}; uniform: {lo, hi}; others: empty.
  llvm::SmallVector<double, 2> initValues;
};

struct ArgDecl : Decl {
  ArgDecl(llvm::SMLoc loc, std::string name) : Decl(Kind::Arg, loc, name) {}
  static bool classof(const Decl *d) { return d->getKind() == Kind::Arg; }
  TypeSpec type;
};

struct LetDecl : Decl {
  LetDecl(llvm::SMLoc loc, std::string name) : Decl(Kind::Let, loc, name) {}
  static bool classof(const Decl *d) { return d->getKind() == Kind::Let; }
  std::unique_ptr<Expr> value;
  /// Filled in by Sema.
  bool used = false;
};

struct FnDecl : Decl {
  FnDecl(llvm::SMLoc loc, std::string name) : Decl(Kind::Fn, loc, name) {}
  static bool classof(const Decl *d) { return d->getKind() == Kind::Fn; }

  std::vector<std::unique_ptr<ArgDecl>> args;
  TypeSpec result;
  std::vector<std::unique_ptr<LetDecl>> lets;
  llvm::SMLoc returnLoc;
  std::unique_ptr<Expr> returnValue; // null if the body has no return
  llvm::SMLoc closeLoc;              // the closing brace
};

enum class OptimizerKind { Sgd, Adam, AdamW };
llvm::StringRef optimizerName(OptimizerKind k);

struct TrainDecl : Decl {
  TrainDecl(llvm::SMLoc loc) : Decl(Kind::Train, loc, "train") {}
  static bool classof(const Decl *d) { return d->getKind() == Kind::Train; }

  std::string fnName;
  llvm::SMLoc fnLoc;
  std::string optimizerName;
  llvm::SMLoc optimizerLoc;
  std::vector<CallArg> args;

  /// Filled in by Sema.
  const FnDecl *fn = nullptr;
  OptimizerKind optimizer = OptimizerKind::AdamW;
  /// Every hyperparameter of the optimizer, defaults filled in, in a fixed
  /// order: lr, momentum, nesterov (0/1), weight_decay, beta1, beta2, eps,
  /// clip_grad_norm (0 = off).
  struct Hyper {
    double lr = 1e-3, momentum = 0, weightDecay = 0, beta1 = 0.9, beta2 = 0.999,
           eps = 1e-8, clipGradNorm = 0;
    bool nesterov = false;
  } hyper;
};

/// The whole file: one model.
struct Model {
  llvm::SMLoc loc;
  std::string name;
  std::vector<std::unique_ptr<DimDecl>> dims;
  std::vector<std::unique_ptr<ConstDecl>> consts;
  std::vector<std::unique_ptr<ParamDecl>> params;
  std::vector<std::unique_ptr<FnDecl>> fns;
  std::unique_ptr<TrainDecl> train; // at most one; the parser reports others
};

/// Prints the tree in a stable, indented text form (`tensorc --emit=ast`).
/// Types are printed when Sema has filled them in.
void print(const Model &model, llvm::raw_ostream &os);

} // namespace tensorc::ast

#endif // TENSORC_FRONTEND_AST_H
