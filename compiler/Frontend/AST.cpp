//===- AST.cpp - Name tables and the --emit=ast printer -------------------===//

#include "compiler/Frontend/AST.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Casting.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace tensorc;
using namespace tensorc::ast;

llvm::StringRef ast::spelling(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add:
    return "+";
  case BinaryOp::Sub:
    return "-";
  case BinaryOp::Mul:
    return "*";
  case BinaryOp::Div:
    return "/";
  case BinaryOp::MatMul:
    return "@";
  case BinaryOp::Lt:
    return "<";
  case BinaryOp::Le:
    return "<=";
  case BinaryOp::Gt:
    return ">";
  case BinaryOp::Ge:
    return ">=";
  case BinaryOp::Eq:
    return "==";
  case BinaryOp::Ne:
    return "!=";
  }
  return "?";
}

namespace {
struct BuiltinName {
  Builtin builtin;
  const char *name;
};
constexpr BuiltinName kBuiltinNames[] = {
    {Builtin::Exp, "exp"},
    {Builtin::Log, "log"},
    {Builtin::Sqrt, "sqrt"},
    {Builtin::Rsqrt, "rsqrt"},
    {Builtin::Tanh, "tanh"},
    {Builtin::Sigmoid, "sigmoid"},
    {Builtin::Relu, "relu"},
    {Builtin::Silu, "silu"},
    {Builtin::Gelu, "gelu"},
    {Builtin::Abs, "abs"},
    {Builtin::Pow, "pow"},
    {Builtin::Where, "where"},
    {Builtin::Cast, "cast"},
    {Builtin::Dropout, "dropout"},
    {Builtin::MaskedFill, "masked_fill"},
    {Builtin::Sum, "sum"},
    {Builtin::Mean, "mean"},
    {Builtin::Max, "max"},
    {Builtin::Min, "min"},
    {Builtin::Argmax, "argmax"},
    {Builtin::Softmax, "softmax"},
    {Builtin::LogSoftmax, "log_softmax"},
    {Builtin::LayerNorm, "layernorm"},
    {Builtin::RmsNorm, "rmsnorm"},
    {Builtin::CrossEntropy, "cross_entropy"},
    {Builtin::Mse, "mse"},
    {Builtin::Transpose, "transpose"},
    {Builtin::Permute, "permute"},
    {Builtin::Reshape, "reshape"},
    {Builtin::BroadcastTo, "broadcast_to"},
    {Builtin::Concat, "concat"},
    {Builtin::Slice, "slice"},
    {Builtin::Embedding, "embedding"},
    {Builtin::OneHot, "one_hot"},
    {Builtin::Conv2d, "conv2d"},
    {Builtin::MaxPool2d, "max_pool2d"},
    {Builtin::AvgPool2d, "avg_pool2d"},
    {Builtin::CausalMask, "causal_mask"},
};
} // namespace

llvm::StringRef ast::builtinName(Builtin b) {
  for (const BuiltinName &n : kBuiltinNames)
    if (n.builtin == b)
      return n.name;
  return "?";
}

std::optional<Builtin> ast::lookupBuiltin(llvm::StringRef name) {
  static const llvm::StringMap<Builtin> table = [] {
    llvm::StringMap<Builtin> t;
    for (const BuiltinName &n : kBuiltinNames)
      t[n.name] = n.builtin;
    return t;
  }();
  auto it = table.find(name);
  if (it == table.end())
    return std::nullopt;
  return it->second;
}

llvm::StringRef ast::initName(InitKind k) {
  switch (k) {
  case InitKind::Zeros:
    return "zeros";
  case InitKind::Ones:
    return "ones";
  case InitKind::Normal:
    return "normal";
  case InitKind::Uniform:
    return "uniform";
  case InitKind::KaimingUniform:
    return "kaiming_uniform";
  case InitKind::KaimingNormal:
    return "kaiming_normal";
  case InitKind::XavierUniform:
    return "xavier_uniform";
  case InitKind::Full:
    return "full";
  }
  return "?";
}

llvm::StringRef ast::optimizerName(OptimizerKind k) {
  switch (k) {
  case OptimizerKind::Sgd:
    return "sgd";
  case OptimizerKind::Adam:
    return "adam";
  case OptimizerKind::AdamW:
    return "adamw";
  }
  return "?";
}

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

namespace {
/// Shortest text that reads back as the same double.
std::string formatDouble(double v) {
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  if (std::isnan(v))
    return "nan";
  for (int precision = 6; precision <= 17; ++precision) {
    std::string s;
    llvm::raw_string_ostream(s) << llvm::format("%.*g", precision, v);
    if (std::strtod(s.c_str(), nullptr) == v)
      return s;
  }
  return std::to_string(v);
}

template <typename T>
void printList(llvm::raw_ostream &os, llvm::ArrayRef<T> values) {
  os << '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i)
      os << ", ";
    if constexpr (std::is_same_v<T, Dim>)
      os << values[i].str();
    else
      os << values[i];
  }
  os << ']';
}

class Printer {
public:
  explicit Printer(llvm::raw_ostream &os) : os(os) {}

  void print(const Model &m);

private:
  llvm::raw_ostream &indent(unsigned level) { return os.indent(2 * level); }
  void printTypeSpec(const TypeSpec &t);
  void printType(const Expr &e) {
    if (e.type)
      os << " : " << e.type->str();
  }
  void printArgs(const std::vector<CallArg> &args, unsigned level);
  void printExpr(const Expr &e, unsigned level);
  void printAttrs(const CallExpr &call);

  llvm::raw_ostream &os;
};
} // namespace

void Printer::printTypeSpec(const TypeSpec &t) {
  if (t.resolved) {
    os << t.resolved->str();
    return;
  }
  os << dtypeName(t.dtype);
  if (t.dims.empty())
    return;
  os << '[';
  for (size_t i = 0; i < t.dims.size(); ++i) {
    if (i)
      os << ", ";
    const auto &factors = t.dims[i].factors;
    for (size_t j = 0; j < factors.size(); ++j) {
      if (j)
        os << '*';
      if (factors[j].name.empty())
        os << factors[j].value;
      else
        os << factors[j].name;
    }
  }
  os << ']';
}

void Printer::printArgs(const std::vector<CallArg> &args, unsigned level) {
  for (const CallArg &arg : args) {
    if (!arg.keyword.empty())
      indent(level) << "kwarg " << arg.keyword << '\n';
    if (arg.value)
      printExpr(*arg.value, arg.keyword.empty() ? level : level + 1);
  }
}

void Printer::printAttrs(const CallExpr &call) {
  const BuiltinAttrs &a = call.attrs;
  Builtin b = *call.builtin;
  auto axes = [&] {
    os << " axes=";
    printList<int64_t>(os, a.axes);
  };
  switch (b) {
  case Builtin::Sum:
  case Builtin::Mean:
  case Builtin::Max:
  case Builtin::Min:
  case Builtin::Argmax:
    axes();
    os << " keepdim=" << (a.keepdim ? "true" : "false");
    break;
  case Builtin::Softmax:
  case Builtin::LogSoftmax:
  case Builtin::Transpose:
  case Builtin::Permute:
  case Builtin::Concat:
    axes();
    break;
  case Builtin::Slice:
    axes();
    os << " range=";
    printList<int64_t>(os, a.ints);
    break;
  case Builtin::Gelu:
    os << " approximate=" << (a.approximateTanh ? "tanh" : "none");
    break;
  case Builtin::Pow:
  case Builtin::Dropout:
  case Builtin::MaskedFill:
    os << " scalar=" << formatDouble(a.scalar);
    break;
  case Builtin::LayerNorm:
  case Builtin::RmsNorm:
    axes();
    os << " eps=" << formatDouble(a.scalar);
    break;
  case Builtin::Cast:
    os << " dtype=" << dtypeName(a.dtype);
    break;
  case Builtin::OneHot:
    os << " classes=" << (a.ints.empty() ? 0 : a.ints[0])
       << " dtype=" << dtypeName(a.dtype);
    break;
  case Builtin::Reshape:
  case Builtin::BroadcastTo:
  case Builtin::CausalMask:
    os << " shape=";
    printList<Dim>(os, a.shape);
    break;
  case Builtin::Conv2d:
  case Builtin::MaxPool2d:
  case Builtin::AvgPool2d:
    os << " kernel=";
    printList<int64_t>(os, a.kernel);
    os << " stride=";
    printList<int64_t>(os, a.stride);
    os << " padding=";
    printList<int64_t>(os, a.padding);
    break;
  default:
    break;
  }
}

void Printer::printExpr(const Expr &e, unsigned level) {
  // Recursion is bounded: the parser rejects trees more than 256 deep.
  indent(level);
  switch (e.getKind()) {
  case Expr::Kind::Number: {
    const auto &n = llvm::cast<NumberExpr>(e);
    os << "number ";
    if (n.isInteger)
      os << n.intValue;
    else
      os << formatDouble(n.floatValue);
    printType(e);
    os << '\n';
    return;
  }
  case Expr::Kind::Bool:
    os << "bool " << (llvm::cast<BoolExpr>(e).value ? "true" : "false");
    printType(e);
    os << '\n';
    return;
  case Expr::Kind::String:
    os << "string \"" << llvm::cast<StringExpr>(e).value << "\"\n";
    return;
  case Expr::Kind::Name: {
    const auto &n = llvm::cast<NameExpr>(e);
    os << "name " << n.name;
    if (n.decl) {
      static const char *kinds[] = {"dim", "const", "param", "fn",
                                    "arg", "let",   "train"};
      os << " (" << kinds[static_cast<int>(n.decl->getKind())] << ')';
    }
    printType(e);
    os << '\n';
    return;
  }
  case Expr::Kind::List:
    os << "list\n";
    for (const auto &el : llvm::cast<ListExpr>(e).elements)
      printExpr(*el, level + 1);
    return;
  case Expr::Kind::Unary:
    os << "neg";
    printType(e);
    os << '\n';
    printExpr(*llvm::cast<UnaryExpr>(e).operand, level + 1);
    return;
  case Expr::Kind::Binary: {
    const auto &b = llvm::cast<BinaryExpr>(e);
    os << "binary " << spelling(b.op);
    printType(e);
    os << '\n';
    printExpr(*b.lhs, level + 1);
    printExpr(*b.rhs, level + 1);
    return;
  }
  case Expr::Kind::Call: {
    const auto &c = llvm::cast<CallExpr>(e);
    os << "call " << c.callee;
    if (c.builtin) {
      os << " (builtin)";
      printAttrs(c);
    } else if (c.function) {
      os << " (fn)";
    }
    printType(e);
    os << '\n';
    printArgs(c.args, level + 1);
    return;
  }
  }
}

void Printer::print(const Model &m) {
  os << "model " << m.name << '\n';
  for (const auto &d : m.dims)
    indent(1) << "dim " << d->name << '\n';
  for (const auto &c : m.consts)
    indent(1) << "const " << c->name << " = " << c->value << '\n';
  for (const auto &p : m.params) {
    indent(1) << "param " << p->name << ": ";
    printTypeSpec(p->type);
    os << " = " << p->initName;
    if (!p->initValues.empty()) {
      os << '(';
      for (size_t i = 0; i < p->initValues.size(); ++i)
        os << (i ? ", " : "") << formatDouble(p->initValues[i]);
      os << ')';
    }
    os << '\n';
    if (p->initValues.empty())
      printArgs(p->initArgs, 2);
  }
  for (const auto &f : m.fns) {
    indent(1) << "fn " << f->name << '(';
    for (size_t i = 0; i < f->args.size(); ++i) {
      os << (i ? ", " : "") << f->args[i]->name << ": ";
      printTypeSpec(f->args[i]->type);
    }
    os << ") -> ";
    printTypeSpec(f->result);
    os << '\n';
    for (const auto &let : f->lets) {
      indent(2) << "let " << let->name << '\n';
      if (let->value)
        printExpr(*let->value, 3);
    }
    if (f->returnValue) {
      indent(2) << "return\n";
      printExpr(*f->returnValue, 3);
    }
  }
  if (const TrainDecl *t = m.train.get()) {
    indent(1) << "train " << t->fnName << " with " << t->optimizerName;
    if (t->fn) {
      const TrainDecl::Hyper &h = t->hyper;
      os << "(lr = " << formatDouble(h.lr);
      if (t->optimizer == OptimizerKind::Sgd)
        os << ", momentum = " << formatDouble(h.momentum)
           << ", nesterov = " << (h.nesterov ? "true" : "false");
      else
        os << ", beta1 = " << formatDouble(h.beta1)
           << ", beta2 = " << formatDouble(h.beta2)
           << ", eps = " << formatDouble(h.eps);
      os << ", weight_decay = " << formatDouble(h.weightDecay)
         << ", clip_grad_norm = " << formatDouble(h.clipGradNorm) << ')';
      os << '\n';
    } else {
      os << '\n';
      printArgs(t->args, 2);
    }
  }
}

void ast::print(const Model &model, llvm::raw_ostream &os) {
  Printer(os).print(model);
}
