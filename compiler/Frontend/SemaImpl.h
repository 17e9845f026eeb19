//===- SemaImpl.h - The checker's internal interface ------------*- C++ -*-===//
//
// Sema is split by concern: Sema.cpp (declarations, types, functions,
// recursion), SemaExpr.cpp (names, literals, operators, function calls,
// constants), SemaBuiltins.cpp (argument binding and the elementwise,
// reduction and normalization builtins), SemaShapeBuiltins.cpp (shape,
// lookup, convolution and attention builtins) and SemaTrain.cpp (param
// initializers and the train clause).
//
// Error recovery: an expression that fails gets no `type`, and every rule
// that sees an operand without a type returns quietly, so one mistake is
// reported once.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_FRONTEND_SEMAIMPL_H
#define TENSORC_FRONTEND_SEMAIMPL_H

#include "compiler/Frontend/AST.h"
#include "compiler/Frontend/Diagnostics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"

#include <array>

namespace tensorc::sema {

using namespace tensorc::ast;

/// Tensors have at most this many dims (docs/language.md, Limits).
constexpr unsigned kMaxRank = 8;

/// "0.5", "1e-05", "inf" for messages.
std::string formatNumber(double v);

/// A builtin call's arguments, bound to the builtin's parameters.
struct BoundArgs {
  static constexpr unsigned kMaxParams = 6;
  std::array<CallArg *, kMaxParams> slots{};
  CallArg *operator[](unsigned i) const { return slots[i]; }
};

/// A shape entry of reshape/broadcast_to/causal_mask: a dim or `-1`.
struct ShapeDim {
  Dim dim;
  bool inferred = false; // `-1`
};

class Sema {
public:
  Sema(Model &model, DiagnosticEngine &diag) : model(model), diag(diag) {}
  bool run();

  //===--- Sema.cpp: declarations, types and functions --------------------===//
  void declareGlobals();
  void declareGlobal(Decl &d);
  std::optional<TensorType> resolveType(TypeSpec &spec);
  void checkParam(ParamDecl &p);
  void checkFunction(FnDecl &fn, unsigned index);
  void computeRecoverable(FnDecl &fn);
  bool checkRecoverable(const Dim &dim, llvm::SMLoc loc);
  bool declareLocal(Decl &d);
  void checkRecursion();
  /// The declaration a name refers to in the current scope, or null.
  Decl *lookup(llvm::StringRef name) const;
  /// "unknown WHAT 'w4'; did you mean 'w3'?", suggesting names of the
  /// current scope for which `accept` holds.
  void reportUnknownName(llvm::SMLoc loc, llvm::StringRef name,
                         llvm::StringRef what,
                         llvm::function_ref<bool(const Decl &)> accept);
  /// A close spelling among `candidates` for "did you mean"; the first one
  /// wins a tie.
  static std::string suggest(llvm::StringRef name,
                             llvm::ArrayRef<llvm::StringRef> candidates);
  /// "note: 'b1' declared here as f32[128]" when `e` names a declaration.
  void noteDeclOf(const Expr *e);
  /// The notes of two operands, once if both name the same declaration.
  void noteDeclsOf(const Expr *a, const Expr *b);
  static llvm::StringRef declKindName(const Decl &d);
  /// "a param", "an argument".
  static std::string aDeclKind(const Decl &d);
  /// "ARG of 'F' must be COND, got V" unless `ok`; "... must be finite" for
  /// infinities.
  bool checkRange(bool ok, double value, llvm::SMLoc loc,
                  const llvm::Twine &what, llvm::StringRef cond);

  //===--- SemaTrain.cpp: initializers and the train clause ---------------===//
  void checkInit(ParamDecl &p, const TensorType &type);
  void checkFullInit(ParamDecl &p, const TensorType &type);
  void checkTrain(TrainDecl &t);

  //===--- SemaExpr.cpp: expressions --------------------------------------===//
  /// Type-checks `e`, with `hint` the element type that number literals take
  /// (the dtype of what they are combined with). Returns false, with no type
  /// set, when `e` is wrong.
  bool checkExpr(Expr &e, std::optional<DType> hint = std::nullopt);
  /// True for literal-only expressions (numbers, consts, and negations and
  /// arithmetic of those), whose element type comes from the context.
  bool isWeak(const Expr &e) const;
  DType weakDefault(const Expr &e) const;
  bool checkNumber(NumberExpr &e, std::optional<DType> hint);
  bool checkName(NameExpr &e, std::optional<DType> hint);
  bool checkUnary(UnaryExpr &e, std::optional<DType> hint);
  bool checkBinary(BinaryExpr &e, std::optional<DType> hint);
  bool checkMatMul(BinaryExpr &e);
  bool checkCall(CallExpr &e, std::optional<DType> hint);
  bool checkFnCall(CallExpr &e, FnDecl &fn);
  /// Checks the two operands of a binary operation, typing a literal side
  /// from the other side. Returns false if either fails.
  bool checkOperandPair(Expr &lhs, Expr &rhs, std::optional<DType> hint);
  /// Requires the same element type for two operands of `opName`.
  bool checkSameDType(const Expr &lhs, const Expr &rhs, llvm::SMLoc loc,
                      const llvm::Twine &opName);
  /// NumPy broadcasting, with the error message on failure.
  std::optional<llvm::SmallVector<Dim, 4>>
  broadcast(const Expr &lhs, const Expr &rhs, llvm::SMLoc loc);
  /// Checks the result limits (rank, element count) and sets `e.type`.
  bool setType(Expr &e, TensorType type);
  /// Integer constant: a literal, a const, or their negation.
  std::optional<int64_t> evalInt(Expr &e, const llvm::Twine &what);
  /// Number constant (integer, float, `inf`, const, negated), typed `ctx`.
  std::optional<double> evalNumber(Expr &e, const llvm::Twine &what, DType ctx);
  /// A dim of a shape list: integers, consts, dims and products of them.
  std::optional<ShapeDim> evalShapeDim(Expr &e, bool allowInferred);
  /// Checks the arguments of a call that is wrong anyway, for their errors.
  void checkArgsQuietly(CallExpr &e);
  /// "a list", "a string", "a float literal", ... for messages.
  static std::string describeExpr(const Expr &e);

  //===--- SemaBuiltins.cpp -----------------------------------------------===//
  bool checkBuiltin(CallExpr &e, Builtin b, std::optional<DType> hint);
  bool bindArgs(CallExpr &e, Builtin b, BoundArgs &out);
  /// A tensor operand; null if missing or wrong.
  const TensorType *tensorArg(CallExpr &call, CallArg *arg,
                              llvm::StringRef param,
                              std::optional<DType> hint = std::nullopt);
  std::optional<int64_t> intArg(CallExpr &call, CallArg *arg,
                                llvm::StringRef param);
  std::optional<double> numberArg(CallExpr &call, CallArg *arg,
                                  llvm::StringRef param, DType ctx);
  std::optional<bool> boolArg(CallExpr &call, CallArg *arg,
                              llvm::StringRef param);
  /// An integer or a list of integers.
  std::optional<llvm::SmallVector<int64_t, 4>>
  intListArg(CallExpr &call, CallArg *arg, llvm::StringRef param);
  /// Python-style axis to a non-negative one.
  std::optional<int64_t> normalizeAxis(int64_t axis, const TensorType &t,
                                       llvm::SMLoc loc);
  bool requireFloat(CallExpr &call, const TensorType &t, llvm::SMLoc loc,
                    llvm::StringRef param);
  bool requireNumeric(CallExpr &call, const TensorType &t, llvm::SMLoc loc,
                      llvm::StringRef param);
  bool requireRank(CallExpr &call, const TensorType &t, unsigned rank,
                   llvm::SMLoc loc, llvm::StringRef param,
                   llvm::StringRef layout);
  bool checkElementwise(CallExpr &e, Builtin b, const BoundArgs &a,
                        std::optional<DType> hint);
  bool checkReduction(CallExpr &e, Builtin b, const BoundArgs &a);
  bool checkNorm(CallExpr &e, Builtin b, const BoundArgs &a);
  bool checkLoss(CallExpr &e, Builtin b, const BoundArgs &a);

  //===--- SemaShapeBuiltins.cpp ------------------------------------------===//
  bool checkShapeBuiltin(CallExpr &e, Builtin b, const BoundArgs &a);
  bool checkTransposePermute(CallExpr &e, Builtin b, const BoundArgs &a);
  bool checkReshape(CallExpr &e, Builtin b, const BoundArgs &a);
  bool checkConcat(CallExpr &e, const BoundArgs &a);
  bool checkSlice(CallExpr &e, const BoundArgs &a);
  bool checkLookup(CallExpr &e, Builtin b, const BoundArgs &a);
  bool checkConvPool(CallExpr &e, Builtin b, const BoundArgs &a);
  bool checkCausalMask(CallExpr &e, const BoundArgs &a);
  /// The target shape of reshape/broadcast_to.
  std::optional<llvm::SmallVector<ShapeDim, 4>>
  shapeListArg(CallExpr &call, CallArg *arg, llvm::StringRef param,
               bool allowInferred);
  /// An integer or an `[h, w]` pair, each at least `min`.
  std::optional<std::array<int64_t, 2>>
  pairArg(CallExpr &call, CallArg *arg, llvm::StringRef param, int64_t min);

  //===--- State ----------------------------------------------------------===//
  Model &model;
  DiagnosticEngine &diag;
  llvm::StringMap<Decl *> globals;
  llvm::DenseMap<const FnDecl *, unsigned> fnIndex;

  /// The function being checked, its arguments and the lets bound so far.
  FnDecl *curFn = nullptr;
  llvm::StringMap<Decl *> locals;
  /// Every let of the current function, to tell "used before its let".
  llvm::StringMap<LetDecl *> allLets;
  /// Symbols whose run-time value the current function's arguments give.
  llvm::StringSet<> recoverable;
  /// Calls between functions, for the recursion check: per caller, each
  /// callee's index and the call's location.
  std::vector<std::vector<std::pair<unsigned, llvm::SMLoc>>> calls;
  /// The operand a literal is being combined with, for "use cast(x, f32)".
  const Expr *literalPartner = nullptr;
};

} // namespace tensorc::sema

#endif // TENSORC_FRONTEND_SEMAIMPL_H
