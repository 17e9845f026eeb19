//===- ShapeUtils.cpp - Shape rules shared by tc operations ---------------===//

#include "dialects/TC/IR/ShapeUtils.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace tensorc::tc {

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << "?";
    else
      os << d;
  });
  os << "]";
  return s;
}

bool dimsCompatible(int64_t a, int64_t b) {
  return a == b || ShapedType::isDynamic(a) || ShapedType::isDynamic(b);
}

LogicalResult broadcastShapes(std::optional<Location> loc,
                              ArrayRef<ArrayRef<int64_t>> shapes,
                              SmallVectorImpl<int64_t> &result) {
  size_t rank = 0;
  for (ArrayRef<int64_t> s : shapes)
    rank = std::max(rank, s.size());
  result.assign(rank, 1);
  // Walk from the trailing dim; `have` tracks which input set the result dim
  // so that the error can name both sides.
  for (size_t i = 0; i < rank; ++i) {
    int64_t &out = result[rank - 1 - i];
    int64_t owner = -1;
    for (auto [idx, shape] : llvm::enumerate(shapes)) {
      if (i >= shape.size())
        continue;
      int64_t d = shape[shape.size() - 1 - i];
      if (d == 1)
        continue;
      if (out == 1 ||
          (ShapedType::isDynamic(out) && !ShapedType::isDynamic(d))) {
        out = d;
        owner = idx;
        continue;
      }
      if (dimsCompatible(out, d))
        continue;
      return emitOptionalError(loc, "cannot broadcast ",
                               shapeString(shapes[owner < 0 ? 0 : owner]),
                               " with ", shapeString(shape), ": dim ", out,
                               " vs ", d, " at result axis ", rank - 1 - i);
    }
  }
  return success();
}

bool isBroadcastableTo(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  if (from.size() > to.size())
    return false;
  for (size_t i = 0; i < from.size(); ++i) {
    int64_t f = from[from.size() - 1 - i], t = to[to.size() - 1 - i];
    if (f != 1 && !dimsCompatible(f, t))
      return false;
  }
  return true;
}

LogicalResult verifyAxis(std::optional<Location> loc, int64_t axis,
                         int64_t rank, StringRef what) {
  if (axis >= 0 && axis < rank)
    return success();
  return emitOptionalError(loc, what, what.empty() ? "" : " ", "axis ", axis,
                           " is out of range for rank ", rank);
}

int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t pad) {
  if (ShapedType::isDynamic(in))
    return ShapedType::kDynamic;
  return (in + 2 * pad - kernel) / stride + 1;
}

} // namespace tensorc::tc
