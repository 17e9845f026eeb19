//===- GradBuilder.cpp - Reverse-mode gradient rules of tc ops ------------===//
//
// Rules follow PyTorch's autograd formulas, so that gradients match
// torch.autograd on the same inputs. Where PyTorch picks one of several
// subgradients: relu'(0) = 0, abs'(0) = 0, maximum/minimum split ties in
// half, max/min reductions share the gradient among tied elements (amax's
// rule), and max_pool2d sends it to the first tied element of a window
// (TCGradOps.td).
//
//===----------------------------------------------------------------------===//

#include "dialects/TC/Transforms/GradBuilder.h"

#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"

#include <numeric>

using namespace mlir;

namespace tensorc::tc {

namespace {
RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

SmallVector<int64_t> iota(int64_t from, int64_t to) {
  SmallVector<int64_t> r(to - from);
  std::iota(r.begin(), r.end(), from);
  return r;
}

/// The permutation that swaps the last two of `rank` dims.
SmallVector<int64_t> swapLastTwo(int64_t rank) {
  SmallVector<int64_t> perm = iota(0, rank);
  std::swap(perm[rank - 1], perm[rank - 2]);
  return perm;
}
} // namespace

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

Value GradBuilder::dim(Value v, int64_t i) {
  return tensor::DimOp::create(b, loc(), v, i);
}

SmallVector<Value> GradBuilder::dynamicDims(Value like) {
  SmallVector<Value> dims;
  RankedTensorType type = typeOf(like);
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      dims.push_back(dim(like, i));
  return dims;
}

Value GradBuilder::scalar(Type elem, double v) {
  auto type = RankedTensorType::get({}, elem);
  return ConstantOp::create(
      b, loc(), DenseElementsAttr::get(type, b.getFloatAttr(elem, v)));
}

Value GradBuilder::broadcastLike(Value g, Value like) {
  RankedTensorType gt = typeOf(g), lt = typeOf(like);
  if (gt.getShape() == lt.getShape())
    return g;
  return BroadcastToOp::create(b, loc(), lt.clone(gt.getElementType()), g,
                               dynamicDims(like));
}

Value GradBuilder::reduceLike(Value g, Value like) {
  RankedTensorType gt = typeOf(g), lt = typeOf(like);
  int64_t lead = gt.getRank() - lt.getRank();
  SmallVector<int64_t> stretched;
  for (int64_t i = lead; i < gt.getRank(); ++i)
    if (lt.getDimSize(i - lead) == 1 && gt.getDimSize(i) != 1)
      stretched.push_back(i);
  if (!stretched.empty())
    g = SumOp::create(b, loc(), g, stretched, /*keepdim=*/true);
  if (lead > 0)
    g = SumOp::create(b, loc(), g, iota(0, lead), /*keepdim=*/false);
  return g;
}

Value GradBuilder::expandReduced(Value g, Value x, ArrayRef<int64_t> axes,
                                 bool keepdim) {
  if (!keepdim) {
    RankedTensorType xt = typeOf(x);
    SmallVector<int64_t> shape(xt.getShape());
    SmallVector<Value> dims;
    for (int64_t i = 0; i < xt.getRank(); ++i) {
      if (llvm::is_contained(axes, i))
        shape[i] = 1;
      else if (xt.isDynamicDim(i))
        dims.push_back(dim(x, i));
    }
    g = ReshapeOp::create(
        b, loc(), RankedTensorType::get(shape, typeOf(g).getElementType()), g,
        dims);
  }
  return broadcastLike(g, x);
}

Value GradBuilder::countOver(Value x, ArrayRef<int64_t> axes) {
  RankedTensorType xt = typeOf(x);
  Type elem = xt.getElementType();
  if (!isa<FloatType>(elem))
    elem = b.getF32Type();
  double count = 1;
  SmallVector<int64_t> shape;
  SmallVector<Value> dims;
  for (int64_t a : axes) {
    shape.push_back(xt.getDimSize(a));
    if (xt.isDynamicDim(a))
      dims.push_back(dim(x, a));
    else
      count *= static_cast<double>(xt.getDimSize(a));
  }
  if (dims.empty())
    return scalar(elem, count);
  // A dynamic count, as a tensor: the sum of ones over those dims.
  Value ones = BroadcastToOp::create(
      b, loc(), RankedTensorType::get(shape, elem), scalar(elem, 1.0), dims);
  return SumOp::create(b, loc(), ones, iota(0, shape.size()), false);
}

Value GradBuilder::add(Value x, Value y) {
  return AddOp::create(b, loc(), x, y);
}
Value GradBuilder::sub(Value x, Value y) {
  return SubOp::create(b, loc(), x, y);
}
Value GradBuilder::mul(Value x, Value y) {
  return MulOp::create(b, loc(), x, y);
}
Value GradBuilder::div(Value x, Value y) {
  return DivOp::create(b, loc(), x, y);
}
Value GradBuilder::neg(Value x) { return NegOp::create(b, loc(), x); }
Value GradBuilder::cmp(CmpPredicate p, Value x, Value y) {
  return CmpOp::create(b, loc(), p, x, y);
}
Value GradBuilder::select(Value cond, Value x, Value y) {
  return SelectOp::create(b, loc(), cond, x, y);
}

//===----------------------------------------------------------------------===//
// Accumulation and dispatch
//===----------------------------------------------------------------------===//

void GradBuilder::accumulate(Value v, Value g) {
  if (!active.contains(v))
    return;
  Value &slot = grads[v];
  slot = slot ? add(slot, g) : g;
}

LogicalResult GradBuilder::backprop(Operation *op, Value g) {
  current = op->getLoc();
  if (isa<LoadParamOp, ConstantOp>(op))
    return success();
  // The family that has a rule for `op` applies it (reporting its own
  // errors); no family: the op has no gradient rule.
  for (auto family :
       {&GradBuilder::elementwise, &GradBuilder::reduction,
        &GradBuilder::normalization, &GradBuilder::shape, &GradBuilder::nn})
    if (std::optional<LogicalResult> applied = (this->*family)(op, g))
      return *applied;
  return op->emitError("cannot differentiate '")
         << op->getName() << "' (its result depends on a param)";
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

std::optional<LogicalResult> GradBuilder::elementwise(Operation *op, Value g) {
  Location l = loc();
  Value r = op->getNumResults() == 1 ? op->getResult(0) : Value();
  Type elem = typeOf(g).getElementType();
  auto c = [&](double v) { return scalar(elem, v); };
  auto unary = [&](Value x, Value dx) {
    accumulate(x, dx);
    return success();
  };
  return llvm::TypeSwitch<Operation *, std::optional<LogicalResult>>(op)
      .Case<AddOp>([&](AddOp o) {
        accumulate(o.getLhs(), reduceLike(g, o.getLhs()));
        accumulate(o.getRhs(), reduceLike(g, o.getRhs()));
        return success();
      })
      .Case<SubOp>([&](SubOp o) {
        accumulate(o.getLhs(), reduceLike(g, o.getLhs()));
        if (active.contains(o.getRhs()))
          accumulate(o.getRhs(), reduceLike(neg(g), o.getRhs()));
        return success();
      })
      .Case<MulOp>([&](MulOp o) {
        if (active.contains(o.getLhs()))
          accumulate(o.getLhs(), reduceLike(mul(g, o.getRhs()), o.getLhs()));
        if (active.contains(o.getRhs()))
          accumulate(o.getRhs(), reduceLike(mul(g, o.getLhs()), o.getRhs()));
        return success();
      })
      .Case<DivOp>([&](DivOp o) {
        if (active.contains(o.getLhs()))
          accumulate(o.getLhs(), reduceLike(div(g, o.getRhs()), o.getLhs()));
        if (active.contains(o.getRhs()))
          accumulate(o.getRhs(),
                     reduceLike(neg(div(mul(g, r), o.getRhs())), o.getRhs()));
        return success();
      })
      .Case<MaximumOp, MinimumOp>([&](auto o) {
        // The winner gets g, a tie gives each side g / 2 (as PyTorch).
        CmpPredicate wins =
            isa<MaximumOp>(op) ? CmpPredicate::gt : CmpPredicate::lt;
        Value tie = cmp(CmpPredicate::eq, o.getLhs(), o.getRhs());
        Value half = mul(g, c(0.5)), zero = c(0.0);
        auto side = [&](Value self, Value other) {
          Value won = cmp(wins, self, other);
          accumulate(self,
                     reduceLike(select(won, g, select(tie, half, zero)), self));
        };
        side(o.getLhs(), o.getRhs());
        side(o.getRhs(), o.getLhs());
        return success();
      })
      .Case<SelectOp>([&](SelectOp o) {
        Value zero = c(0.0);
        if (active.contains(o.getTrueValue()))
          accumulate(
              o.getTrueValue(),
              reduceLike(select(o.getCondition(), g, zero), o.getTrueValue()));
        if (active.contains(o.getFalseValue()))
          accumulate(
              o.getFalseValue(),
              reduceLike(select(o.getCondition(), zero, g), o.getFalseValue()));
        return success();
      })
      .Case<NegOp>([&](NegOp o) { return unary(o.getInput(), neg(g)); })
      .Case<AbsOp>([&](AbsOp o) {
        Value x = o.getInput(), zero = c(0.0);
        return unary(
            x, select(cmp(CmpPredicate::gt, x, zero), g,
                      select(cmp(CmpPredicate::lt, x, zero), neg(g), zero)));
      })
      .Case<ExpOp>([&](ExpOp o) { return unary(o.getInput(), mul(g, r)); })
      .Case<LogOp>(
          [&](LogOp o) { return unary(o.getInput(), div(g, o.getInput())); })
      .Case<SqrtOp>(
          [&](SqrtOp o) { return unary(o.getInput(), div(g, mul(r, c(2.0)))); })
      .Case<RsqrtOp>([&](RsqrtOp o) {
        return unary(o.getInput(), mul(g, mul(c(-0.5), mul(r, mul(r, r)))));
      })
      .Case<TanhOp>([&](TanhOp o) {
        return unary(o.getInput(), mul(g, sub(c(1.0), mul(r, r))));
      })
      .Case<SigmoidOp>([&](SigmoidOp o) {
        return unary(o.getInput(), mul(g, mul(r, sub(c(1.0), r))));
      })
      .Case<ReluOp>([&](ReluOp o) {
        Value x = o.getInput();
        return unary(x, select(cmp(CmpPredicate::gt, x, c(0.0)), g, c(0.0)));
      })
      .Case<SiluOp>([&](SiluOp o) {
        // s (1 + x (1 - s)) with s = sigmoid(x).
        Value x = o.getInput();
        Value s = SigmoidOp::create(b, l, x);
        return unary(x, mul(g, mul(s, add(c(1.0), mul(x, sub(c(1.0), s))))));
      })
      .Case<GeluOp>([&](GeluOp o) {
        return unary(o.getInput(), GeluGradOp::create(b, l, o.getInput(), g,
                                                      o.getApproximateTanh()));
      })
      .Case<PowOp>([&](PowOp o) {
        double e = o.getExponent().convertToDouble();
        if (e == 0.0)
          return success();
        Value x = o.getInput();
        Value d =
            e == 1.0
                ? c(1.0)
                : mul(c(e), PowOp::create(b, l, x, b.getF64FloatAttr(e - 1)));
        return unary(x, mul(g, d));
      })
      .Case<CastOp>([&](CastOp o) {
        // Only float -> float casts carry a gradient (ints are inactive).
        return unary(o.getInput(),
                     CastOp::create(b, l, o.getInput().getType(), g));
      })
      .Case<MaskedFillOp>([&](MaskedFillOp o) {
        return unary(
            o.getInput(),
            MaskedFillOp::create(b, l, g, o.getMask(), b.getF64FloatAttr(0.0)));
      })
      .Case<DropoutOp>([&](DropoutOp o) {
        // dx = dy * mask / (1 - p): the same dropout (key, site, shape)
        // applied to dy regenerates the forward's mask.
        return unary(o.getInput(),
                     DropoutOp::create(b, l, g.getType(), g, o.getPAttr(),
                                       o.getKey(), o.getSiteAttr()));
      })
      .Default([](Operation *) { return std::nullopt; });
}

//===----------------------------------------------------------------------===//
// Reductions and row-wise ops
//===----------------------------------------------------------------------===//

std::optional<LogicalResult> GradBuilder::reduction(Operation *op, Value g) {
  Location l = loc();
  Value r = op->getNumResults() == 1 ? op->getResult(0) : Value();
  return llvm::TypeSwitch<Operation *, std::optional<LogicalResult>>(op)
      .Case<SumOp>([&](SumOp o) {
        accumulate(o.getInput(),
                   expandReduced(g, o.getInput(), o.getAxes(), o.getKeepdim()));
        return success();
      })
      .Case<MeanOp>([&](MeanOp o) {
        Value x = o.getInput();
        accumulate(x, div(expandReduced(g, x, o.getAxes(), o.getKeepdim()),
                          countOver(x, o.getAxes())));
        return success();
      })
      .Case<MaxOp, MinOp>([&](auto o) {
        // Shared among the elements equal to the extreme (torch.amax).
        Value x = o.getInput();
        Value hit =
            CmpOp::create(b, l, CmpPredicate::eq, x,
                          expandReduced(r, x, o.getAxes(), o.getKeepdim()));
        Value mask = CastOp::create(b, l, typeOf(x), hit);
        Value count = SumOp::create(b, l, mask, o.getAxes(), true);
        Value ge = expandReduced(g, x, o.getAxes(), o.getKeepdim());
        accumulate(x, div(mul(ge, mask), count));
        return success();
      })
      .Case<SoftmaxOp>([&](SoftmaxOp o) {
        int64_t axis = o.getAxis();
        Value dot =
            SumOp::create(b, l, mul(g, r), ArrayRef<int64_t>{axis}, true);
        accumulate(o.getInput(), mul(r, sub(g, dot)));
        return success();
      })
      .Case<LogSoftmaxOp>([&](LogSoftmaxOp o) {
        int64_t axis = o.getAxis();
        Value total = SumOp::create(b, l, g, ArrayRef<int64_t>{axis}, true);
        accumulate(o.getInput(), sub(g, mul(ExpOp::create(b, l, r), total)));
        return success();
      })
      .Case<CrossEntropyOp>([&](CrossEntropyOp o) {
        // (softmax(logits) - one_hot(labels)) * g / N.
        Value logits = o.getLogits();
        RankedTensorType lt = typeOf(logits);
        Value p = SoftmaxOp::create(b, l, logits, 1);
        Value hot = OneHotOp::create(b, l, lt, o.getLabels());
        Value n = countOver(logits, {0});
        accumulate(logits, mul(sub(p, hot), div(g, n)));
        return success();
      })
      .Case<MseOp>([&](MseOp o) {
        Value lhs = o.getLhs(), rhs = o.getRhs();
        Type elem = typeOf(lhs).getElementType();
        Value n = countOver(lhs, iota(0, typeOf(lhs).getRank()));
        Value d = mul(sub(lhs, rhs), div(mul(g, scalar(elem, 2.0)), n));
        accumulate(lhs, d);
        if (active.contains(rhs))
          accumulate(rhs, NegOp::create(b, l, d));
        return success();
      })
      .Default([](Operation *) { return std::nullopt; });
}

std::optional<LogicalResult> GradBuilder::normalization(Operation *op,
                                                        Value g) {
  Location l = loc();
  auto mean = [&](Value x, ArrayRef<int64_t> axes) {
    return MeanOp::create(b, l, x, axes, true).getResult();
  };
  auto normAxes = [&](Value x, Value gamma) {
    int64_t rank = typeOf(x).getRank();
    return iota(rank - typeOf(gamma).getRank(), rank);
  };
  return llvm::TypeSwitch<Operation *, std::optional<LogicalResult>>(op)
      .Case<LayerNormOp>([&](LayerNormOp o) {
        Value x = o.getInput(), gamma = o.getGamma();
        Type elem = typeOf(x).getElementType();
        SmallVector<int64_t> axes = normAxes(x, gamma);
        Value xc = sub(x, mean(x, axes));
        Value var = mean(mul(xc, xc), axes);
        Value rstd = RsqrtOp::create(
            b, l, add(var, scalar(elem, o.getEps().convertToDouble())));
        Value xhat = mul(xc, rstd);
        accumulate(gamma, reduceLike(mul(g, xhat), gamma));
        accumulate(o.getBeta(), reduceLike(g, o.getBeta()));
        if (active.contains(x)) {
          // rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)).
          Value dxhat = mul(g, gamma);
          Value inner = sub(sub(dxhat, mean(dxhat, axes)),
                            mul(xhat, mean(mul(dxhat, xhat), axes)));
          accumulate(x, mul(rstd, inner));
        }
        return success();
      })
      .Case<RmsNormOp>([&](RmsNormOp o) {
        Value x = o.getInput(), gamma = o.getGamma();
        Type elem = typeOf(x).getElementType();
        SmallVector<int64_t> axes = normAxes(x, gamma);
        Value rr =
            RsqrtOp::create(b, l,
                            add(mean(mul(x, x), axes),
                                scalar(elem, o.getEps().convertToDouble())));
        accumulate(gamma, reduceLike(mul(g, mul(x, rr)), gamma));
        if (active.contains(x)) {
          // rr (gg - x rr^2 mean(gg x)) with gg = g gamma.
          Value gg = mul(g, gamma);
          Value corr = mul(mul(x, mul(rr, rr)), mean(mul(gg, x), axes));
          accumulate(x, mul(rr, sub(gg, corr)));
        }
        return success();
      })
      .Default([](Operation *) { return std::nullopt; });
}

//===----------------------------------------------------------------------===//
// Shape ops and lookups
//===----------------------------------------------------------------------===//

std::optional<LogicalResult> GradBuilder::shape(Operation *op, Value g) {
  Location l = loc();
  return llvm::TypeSwitch<Operation *, std::optional<LogicalResult>>(op)
      .Case<TransposeOp>([&](TransposeOp o) {
        ArrayRef<int64_t> perm = o.getPermutation();
        SmallVector<int64_t> inverse(perm.size());
        for (auto [i, p] : llvm::enumerate(perm))
          inverse[p] = i;
        accumulate(o.getInput(), TransposeOp::create(b, l, g, inverse));
        return success();
      })
      .Case<ReshapeOp>([&](ReshapeOp o) {
        Value x = o.getInput();
        accumulate(x, ReshapeOp::create(b, l, x.getType(), g, dynamicDims(x)));
        return success();
      })
      .Case<BroadcastToOp>([&](BroadcastToOp o) {
        accumulate(o.getInput(), reduceLike(g, o.getInput()));
        return success();
      })
      .Case<ConcatOp>([&](ConcatOp o) -> LogicalResult {
        int64_t axis = o.getAxis(), start = 0;
        for (Value in : o.getInputs()) {
          int64_t size = typeOf(in).getDimSize(axis);
          if (ShapedType::isDynamic(size))
            return o.emitError("cannot differentiate a concat along a "
                               "symbolic dim");
          if (active.contains(in))
            accumulate(in, SliceOp::create(b, l, g, axis, start, start + size));
          start += size;
        }
        return success();
      })
      .Case<SliceOp>([&](SliceOp o) -> LogicalResult {
        // g between zeros along the axis.
        Value x = o.getInput();
        int64_t axis = o.getAxis();
        int64_t full = typeOf(x).getDimSize(axis);
        if (ShapedType::isDynamic(full))
          return o.emitError("cannot differentiate a slice of a symbolic dim");
        RankedTensorType gt = typeOf(g);
        SmallVector<Value> parts;
        auto zeros = [&](int64_t n) {
          SmallVector<int64_t> shape(gt.getShape());
          shape[axis] = n;
          return BroadcastToOp::create(b, l, gt.clone(shape),
                                       scalar(gt.getElementType(), 0.0),
                                       dynamicDims(g))
              .getResult();
        };
        int64_t start = o.getStart(), end = o.getEnd();
        if (start > 0)
          parts.push_back(zeros(start));
        parts.push_back(g);
        if (end < full)
          parts.push_back(zeros(full - end));
        accumulate(x, parts.size() == 1
                          ? g
                          : ConcatOp::create(b, l, parts, axis).getResult());
        return success();
      })
      .Case<EmbeddingOp>([&](EmbeddingOp o) {
        // one_hot(ids)^T @ g, with the ids' dims flattened into rows.
        Value table = o.getTable(), ids = o.getIds();
        RankedTensorType tt = typeOf(table), it = typeOf(ids);
        int64_t vocab = tt.getDimSize(0), width = tt.getDimSize(1);
        SmallVector<int64_t> hotShape(it.getShape());
        hotShape.push_back(vocab);
        Value hot = OneHotOp::create(
            b, l, RankedTensorType::get(hotShape, tt.getElementType()), ids);
        int64_t rows = 1;
        Value dynRows;
        for (int64_t i = 0; i < it.getRank(); ++i) {
          if (!it.isDynamicDim(i)) {
            rows *= it.getDimSize(i);
            continue;
          }
          Value d = dim(ids, i);
          dynRows = dynRows ? arith::MulIOp::create(b, l, dynRows, d) : d;
        }
        SmallVector<Value> dims;
        int64_t rowSize = rows;
        if (dynRows) {
          if (rows != 1)
            dynRows = arith::MulIOp::create(
                b, l, dynRows, arith::ConstantIndexOp::create(b, l, rows));
          dims.push_back(dynRows);
          rowSize = ShapedType::kDynamic;
        }
        auto flat = [&](Value v, int64_t cols) {
          return ReshapeOp::create(
              b, l, RankedTensorType::get({rowSize, cols}, tt.getElementType()),
              v, dims);
        };
        Value hotT = TransposeOp::create(b, l, flat(hot, vocab),
                                         ArrayRef<int64_t>{1, 0});
        accumulate(table, MatMulOp::create(b, l, hotT, flat(g, width)));
        return success();
      })
      .Default([](Operation *) { return std::nullopt; });
}

//===----------------------------------------------------------------------===//
// Matrix products, convolution, pooling
//===----------------------------------------------------------------------===//

std::optional<LogicalResult> GradBuilder::nn(Operation *op, Value g) {
  Location l = loc();
  auto transposed = [&](Value v) {
    return TransposeOp::create(b, l, v, swapLastTwo(typeOf(v).getRank()))
        .getResult();
  };
  return llvm::TypeSwitch<Operation *, std::optional<LogicalResult>>(op)
      .Case<MatMulOp>([&](MatMulOp o) {
        Value lhs = o.getLhs(), rhs = o.getRhs();
        if (active.contains(lhs))
          accumulate(
              lhs, reduceLike(MatMulOp::create(b, l, g, transposed(rhs)), lhs));
        if (!active.contains(rhs))
          return success();
        RankedTensorType lt = typeOf(lhs), rt = typeOf(rhs);
        if (rt.getRank() == 2 && lt.getRank() > 2) {
          // A shared weight: flatten the batch dims into rows, one product
          // instead of a batched one summed afterwards.
          SmallVector<Value> dims;
          Value rows;
          int64_t staticRows = 1;
          for (int64_t i = 0; i + 1 < lt.getRank(); ++i) {
            if (lt.isDynamicDim(i)) {
              Value d = dim(lhs, i);
              rows = rows ? arith::MulIOp::create(b, l, rows, d) : d;
            } else {
              staticRows *= lt.getDimSize(i);
            }
          }
          int64_t rowSize = staticRows;
          if (rows) {
            if (staticRows != 1)
              rows = arith::MulIOp::create(
                  b, l, rows, arith::ConstantIndexOp::create(b, l, staticRows));
            dims.push_back(rows);
            rowSize = ShapedType::kDynamic;
          }
          auto flat = [&](Value v) {
            RankedTensorType t = typeOf(v);
            return ReshapeOp::create(
                       b, l,
                       RankedTensorType::get({rowSize, t.getShape().back()},
                                             t.getElementType()),
                       v, dims)
                .getResult();
          };
          accumulate(rhs,
                     MatMulOp::create(b, l, transposed(flat(lhs)), flat(g)));
          return success();
        }
        accumulate(rhs,
                   reduceLike(MatMulOp::create(b, l, transposed(lhs), g), rhs));
        return success();
      })
      .Case<Conv2dOp>([&](Conv2dOp o) {
        Value x = o.getInput(), w = o.getFilter();
        if (active.contains(x))
          accumulate(x,
                     Conv2dInputGradOp::create(b, l, x.getType(), g, w,
                                               o.getStride(), o.getPadding()));
        if (active.contains(w))
          accumulate(w,
                     Conv2dFilterGradOp::create(b, l, w.getType(), x, g,
                                                o.getStride(), o.getPadding()));
        if (Value bias = o.getBias())
          accumulate(bias,
                     SumOp::create(b, l, g, ArrayRef<int64_t>{0, 2, 3}, false));
        return success();
      })
      .Case<MaxPool2dOp>([&](MaxPool2dOp o) {
        Value x = o.getInput();
        accumulate(x, MaxPool2dGradOp::create(b, l, x.getType(), x,
                                              o.getResult(), g, o.getKernel(),
                                              o.getStride(), o.getPadding()));
        return success();
      })
      .Case<AvgPool2dOp>([&](AvgPool2dOp o) {
        Value x = o.getInput();
        accumulate(x,
                   AvgPool2dGradOp::create(b, l, x.getType(), g, o.getKernel(),
                                           o.getStride(), o.getPadding()));
        return success();
      })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace tensorc::tc
