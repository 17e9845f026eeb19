//===- ConvGemm.cpp - Convolutions as matrix products over windows --------===//
//
// With K = (c, kh, kw) the window and P = (oh, ow) the output position:
//   forward      y[n, f, P]  = sum_K w[f, K] * cols[n, K, P]
//                cols[n, K, P] = x[n, c, oh*s + kh - p, ow*s + kw - p]
//   filter grad  dw[f, K]    = sum_(n,P) gT[f, (n, P)] * colsT[(n, P), K]
//   input grad   dx[n, c, Q] = sum_(f,kh,kw) wT[c, (f, kh, kw)] *
//                              gcols[n, (f, kh, kw), Q], Q = (h, w), with
//                gcols = g[n, f, (h + p - kh) / s, ...] where that divides
//                and lands inside g, else 0
// Window reads outside the input are 0 (the zero padding), so no padded
// copy is made. Products accumulate in `acc`; results are [.., P] and
// expanded to NCHW.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/TCToLinalg/ConvGemm.h"
#include "compiler/Conversion/TCToLinalg/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace tensorc::tc::linalg_lowering {
namespace {

using Indices = ArrayRef<Value>;
using GatherFn = function_ref<Value(OpBuilder &, Location, Indices)>;

/// A generic over `sizes` without inputs: element idx is `at(idx)`.
Value buildGather(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                  Type elem, GatherFn at) {
  return buildParallel(b, loc, ValueRange{}, {}, sizes, elem,
                       [&](OpBuilder &nb, Location l, ValueRange) {
                         SmallVector<Value> idx;
                         for (int64_t d = 0, e = sizes.size(); d < e; ++d)
                           idx.push_back(linalg::IndexOp::create(nb, l, d));
                         return at(nb, l, idx);
                       });
}

/// Index arithmetic inside a gather's body.
struct IndexMath {
  OpBuilder &b;
  Location loc;
  Value c(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value div(Value x, int64_t d) {
    return arith::DivUIOp::create(b, loc, x, c(d));
  }
  Value rem(Value x, int64_t d) {
    return arith::RemUIOp::create(b, loc, x, c(d));
  }
  Value add(Value x, int64_t v) {
    return arith::AddIOp::create(b, loc, x, c(v));
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, int64_t v) {
    return arith::MulIOp::create(b, loc, x, c(v));
  }
  Value cmp(arith::CmpIPredicate p, Value x, int64_t v) {
    return arith::CmpIOp::create(b, loc, p, x, c(v));
  }
  Value both(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  /// 0 <= x < size.
  Value inRange(Value x, int64_t size) {
    return both(cmp(arith::CmpIPredicate::sge, x, 0),
                cmp(arith::CmpIPredicate::slt, x, size));
  }
  Value clamp(Value x, int64_t size) { return clampIndex(b, loc, x, c(size)); }

  /// src[n, ch, h, w] where `valid` (h and w clamped into range), else 0.
  Value readOrZero(Value src, Value n, Value ch, Value h, Value w,
                   const int64_t size[2], Value valid) {
    Value v = tensor::ExtractOp::create(
        b, loc, src, ValueRange{n, ch, clamp(h, size[0]), clamp(w, size[1])});
    Value zero = scalarConstant(b, loc, v.getType(), 0.0);
    return arith::SelectOp::create(b, loc, valid, v, zero);
  }
};

/// The window position K = (c, kh, kw) as its parts.
struct Window {
  Value c, kh, kw;
};
Window splitWindow(IndexMath &m, Value k, const ConvGeometry &geo) {
  int64_t area = geo.kernel[0] * geo.kernel[1];
  Value r = m.rem(k, area);
  return {m.div(k, area), m.div(r, geo.kernel[1]), m.rem(r, geo.kernel[1])};
}

/// x[n, c, oh*s + kh - p, ow*s + kw - p] (0 in the padding) for window
/// position k and output position p.
Value readWindow(IndexMath &m, Value x, Value n, Value k, Value p,
                 const ConvGeometry &geo) {
  Window win = splitWindow(m, k, geo);
  Value oh = m.div(p, geo.out[1]), ow = m.rem(p, geo.out[1]);
  Value h = m.add(m.add(m.mul(oh, geo.stride[0]), win.kh), -geo.padding[0]);
  Value w = m.add(m.add(m.mul(ow, geo.stride[1]), win.kw), -geo.padding[1]);
  return m.readOrZero(x, n, win.c, h, w, geo.in,
                      m.both(m.inRange(h, geo.in[0]), m.inRange(w, geo.in[1])));
}

OpFoldResult times(OpBuilder &b, Location loc, OpFoldResult x, int64_t v) {
  return productOf(b, loc, {x, b.getIndexAttr(v)});
}

int64_t windowArea(const ConvGeometry &geo) {
  return geo.kernel[0] * geo.kernel[1];
}

/// sum_k a[...] * b[...] + 0 over `loops` loops whose last is the reduction,
/// into a zero-filled tensor of `sizes`.
Value contract(OpBuilder &b, Location loc, Value lhs, Value rhs,
               ArrayRef<AffineMap> maps, ArrayRef<OpFoldResult> sizes,
               Type acc) {
  Value init = createFilled(b, loc, sizes, scalarConstant(b, loc, acc, 0.0));
  unsigned loops = maps[0].getNumDims();
  SmallVector<utils::IteratorType> iterators(loops,
                                             utils::IteratorType::parallel);
  iterators.back() = utils::IteratorType::reduction;
  return buildGeneric(
      b, loc, ValueRange{lhs, rhs}, maps.take_front(2), init, maps[2],
      iterators, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value x = convertScalar(nb, l, a[0], acc);
        Value y = convertScalar(nb, l, a[1], acc);
        return arith::AddFOp::create(nb, l, a[2],
                                     arith::MulFOp::create(nb, l, x, y))
            .getResult();
      });
}

/// `v` of shape [d0, (d1..)] expanded to `shape`, whose first dims match
/// `v`'s and whose last `trailing` dims are `v`'s last dim.
Value expandLast(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> shape,
                 ArrayRef<OpFoldResult> sizes, int64_t trailing) {
  auto type = cast<RankedTensorType>(v.getType());
  int64_t lead = type.getRank() - 1;
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < lead; ++d)
    groups.push_back({d});
  groups.emplace_back();
  for (int64_t d = 0; d < trailing; ++d)
    groups.back().push_back(lead + d);
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), v, groups,
      sizes);
}

AffineMap map4(MLIRContext *ctx, ArrayRef<unsigned> dims) {
  SmallVector<AffineExpr> exprs;
  for (unsigned d : dims)
    exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(4, 0, exprs, ctx);
}

int64_t dimOf(Value v, int64_t d) {
  return cast<RankedTensorType>(v.getType()).getDimSize(d);
}

} // namespace

std::optional<ConvGeometry> convGeometry(Type input, Type filter, Type output,
                                         ArrayRef<int64_t> stride,
                                         ArrayRef<int64_t> padding) {
  auto in = cast<RankedTensorType>(input).getShape();
  auto fl = cast<RankedTensorType>(filter).getShape();
  auto out = cast<RankedTensorType>(output).getShape();
  ConvGeometry geo;
  for (int d = 0; d < 2; ++d) {
    if (ShapedType::isDynamic(in[2 + d]) || ShapedType::isDynamic(fl[2 + d]) ||
        ShapedType::isDynamic(out[2 + d]))
      return std::nullopt;
    geo.kernel[d] = fl[2 + d];
    geo.stride[d] = stride[d];
    geo.padding[d] = padding[d];
    geo.in[d] = in[2 + d];
    geo.out[d] = out[2 + d];
  }
  return geo;
}

Value buildConvForward(OpBuilder &b, Location loc, Value x, Value w, Value bias,
                       const ConvGeometry &geo, Type acc) {
  MLIRContext *ctx = b.getContext();
  OpFoldResult n = tensor::getMixedSize(b, loc, x, 0);
  OpFoldResult c = tensor::getMixedSize(b, loc, x, 1);
  OpFoldResult f = tensor::getMixedSize(b, loc, w, 0);
  OpFoldResult k = times(b, loc, c, windowArea(geo));
  int64_t p = geo.out[0] * geo.out[1];
  Type elem = getElementTypeOrSelf(x.getType());
  Value cols = buildGather(b, loc, {n, k, b.getIndexAttr(p)}, elem,
                           [&](OpBuilder &nb, Location l, Indices i) {
                             IndexMath m{nb, l};
                             return readWindow(m, x, i[0], i[1], i[2], geo);
                           });
  Value w2 = tensor::CollapseShapeOp::create(
      b, loc, w, SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
  // Loops (n, f, P | K).
  SmallVector<OpFoldResult> sizes = {n, f, b.getIndexAttr(p)};
  Value y =
      contract(b, loc, w2, cols,
               {map4(ctx, {1, 3}), map4(ctx, {0, 3, 2}), map4(ctx, {0, 1, 2})},
               sizes, acc);
  if (bias) {
    AffineMap id = identityMap(ctx, 3);
    AffineMap channel = AffineMap::get(3, 0, getAffineDimExpr(1, ctx));
    y = buildParallel(b, loc, {y, bias}, {id, channel}, sizes, acc,
                      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                        return arith::AddFOp::create(
                            nb, l, a[0], convertScalar(nb, l, a[1], acc));
                      });
  }
  return expandLast(
      b, loc, y, {dimOf(x, 0), dimOf(w, 0), geo.out[0], geo.out[1]},
      {n, f, b.getIndexAttr(geo.out[0]), b.getIndexAttr(geo.out[1])}, 2);
}

Value buildConvFilterGrad(OpBuilder &b, Location loc, Value x, Value g,
                          const ConvGeometry &geo, Type acc) {
  OpFoldResult n = tensor::getMixedSize(b, loc, x, 0);
  OpFoldResult c = tensor::getMixedSize(b, loc, x, 1);
  OpFoldResult f = tensor::getMixedSize(b, loc, g, 1);
  int64_t p = geo.out[0] * geo.out[1];
  OpFoldResult j = times(b, loc, n, p);
  OpFoldResult k = times(b, loc, c, windowArea(geo));
  // gT[f, (n, P)] and colsT[(n, P), K].
  Value gT =
      buildGather(b, loc, {f, j}, getElementTypeOrSelf(g.getType()),
                  [&](OpBuilder &nb, Location l, Indices i) -> Value {
                    IndexMath m{nb, l};
                    Value q = m.rem(i[1], p);
                    return tensor::ExtractOp::create(
                        nb, l, g,
                        ValueRange{m.div(i[1], p), i[0], m.div(q, geo.out[1]),
                                   m.rem(q, geo.out[1])});
                  });
  Value colsT = buildGather(b, loc, {j, k}, getElementTypeOrSelf(x.getType()),
                            [&](OpBuilder &nb, Location l, Indices i) {
                              IndexMath m{nb, l};
                              return readWindow(m, x, m.div(i[0], p), i[1],
                                                m.rem(i[0], p), geo);
                            });
  Value init = createFilled(b, loc, {f, k}, scalarConstant(b, loc, acc, 0.0));
  Value dw = linalg::MatmulOp::create(b, loc, ValueRange{gT, colsT}, init)
                 .getResult(0);
  return expandLast(
      b, loc, dw, {dimOf(g, 1), dimOf(x, 1), geo.kernel[0], geo.kernel[1]},
      {f, c, b.getIndexAttr(geo.kernel[0]), b.getIndexAttr(geo.kernel[1])}, 3);
}

Value buildConvInputGrad(OpBuilder &b, Location loc, Value g, Value w,
                         const ConvGeometry &geo, Type acc) {
  MLIRContext *ctx = b.getContext();
  OpFoldResult n = tensor::getMixedSize(b, loc, g, 0);
  OpFoldResult f = tensor::getMixedSize(b, loc, w, 0);
  OpFoldResult c = tensor::getMixedSize(b, loc, w, 1);
  OpFoldResult k = times(b, loc, f, windowArea(geo));
  int64_t q = geo.in[0] * geo.in[1];
  // wT[c, (f, kh, kw)].
  Value wT =
      buildGather(b, loc, {c, k}, getElementTypeOrSelf(w.getType()),
                  [&](OpBuilder &nb, Location l, Indices i) -> Value {
                    IndexMath m{nb, l};
                    Window win = splitWindow(m, i[1], geo);
                    return tensor::ExtractOp::create(
                        nb, l, w, ValueRange{win.c, i[0], win.kh, win.kw});
                  });
  // gcols[n, (f, kh, kw), (h, w)]: the output position whose window puts
  // offset (kh, kw) on (h, w), if there is one.
  Value gcols = buildGather(
      b, loc, {n, k, b.getIndexAttr(q)}, getElementTypeOrSelf(g.getType()),
      [&](OpBuilder &nb, Location l, Indices i) {
        IndexMath m{nb, l};
        Window win = splitWindow(m, i[1], geo);
        Value h = m.div(i[2], geo.in[1]), wq = m.rem(i[2], geo.in[1]);
        Value th = m.sub(m.add(h, geo.padding[0]), win.kh);
        Value tw = m.sub(m.add(wq, geo.padding[1]), win.kw);
        Value valid = m.both(m.cmp(arith::CmpIPredicate::sge, th, 0),
                             m.cmp(arith::CmpIPredicate::sge, tw, 0));
        Value oh = th, ow = tw;
        if (geo.stride[0] > 1 || geo.stride[1] > 1) {
          // th, tw may be negative here: signed division, checked above.
          auto sdiv = [&](Value v, int64_t s) -> Value {
            return arith::DivSIOp::create(nb, l, v, m.c(s));
          };
          auto divides = [&](Value v, int64_t s) -> Value {
            return m.cmp(arith::CmpIPredicate::eq,
                         arith::RemSIOp::create(nb, l, v, m.c(s)), 0);
          };
          valid = m.both(valid, m.both(divides(th, geo.stride[0]),
                                       divides(tw, geo.stride[1])));
          oh = sdiv(th, geo.stride[0]);
          ow = sdiv(tw, geo.stride[1]);
        }
        valid = m.both(
            valid, m.both(m.cmp(arith::CmpIPredicate::slt, oh, geo.out[0]),
                          m.cmp(arith::CmpIPredicate::slt, ow, geo.out[1])));
        return m.readOrZero(g, i[0], win.c, oh, ow, geo.out, valid);
      });
  // Loops (n, c, Q | K).
  Value dx =
      contract(b, loc, wT, gcols,
               {map4(ctx, {1, 3}), map4(ctx, {0, 3, 2}), map4(ctx, {0, 1, 2})},
               {n, c, b.getIndexAttr(q)}, acc);
  return expandLast(
      b, loc, dx, {dimOf(g, 0), dimOf(w, 1), geo.in[0], geo.in[1]},
      {n, c, b.getIndexAttr(geo.in[0]), b.getIndexAttr(geo.in[1])}, 2);
}

} // namespace tensorc::tc::linalg_lowering
