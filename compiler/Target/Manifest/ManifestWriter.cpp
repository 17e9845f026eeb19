//===- ManifestWriter.cpp - The artifact manifest -------------------------===//

#include "compiler/Target/Manifest/ManifestWriter.h"
#include "compiler/Target/Manifest/SizeExpr.h"

#include "dialects/TC/IR/TCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <set>

using namespace mlir;
namespace json = llvm::json;

namespace tensorc::manifest {
namespace {

std::string dtypeName(Type t) {
  if (t.isF32())
    return "f32";
  if (t.isF16())
    return "f16";
  if (t.isBF16())
    return "bf16";
  if (t.isF64())
    return "f64";
  if (t.isInteger(1))
    return "bool";
  if (t.isInteger(32))
    return "i32";
  if (t.isInteger(64))
    return "i64";
  return "unknown";
}

int64_t dtypeBytes(Type t) {
  return t.isInteger(1) ? 1 : (t.getIntOrFloatBitWidth() + 7) / 8;
}

/// A shape as the user sees it: integers and dim expressions from tc.dims.
json::Array shapeOf(ShapedType type, ArrayAttr dims) {
  json::Array shape;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (dims && d < static_cast<int64_t>(dims.size()))
      if (auto s = dyn_cast<StringAttr>(dims[d])) {
        shape.push_back(s.getValue().str());
        continue;
      }
    shape.push_back(type.getDimSize(d));
  }
  return shape;
}

class EntryWriter {
public:
  EntryWriter(func::FuncOp fn) : fn(fn) {}

  FailureOr<json::Object> run() {
    json::Object entry;
    if (auto planned = fn->getAttrOfType<IntegerAttr>("tc.slots"))
      slots = planned.getInt();
    entry["name"] = fn.getSymName().str();
    json::Array inputs, params, outputs;
    for (BlockArgument arg : fn.getArguments()) {
      auto type = dyn_cast<MemRefType>(arg.getType());
      if (!type)
        return fail(fn, "an entry argument is not a buffer");
      unsigned index = arg.getArgNumber();
      if (auto name = fn.getArgAttrOfType<StringAttr>(index, tc::kParamAttr)) {
        int64_t id = addBuffer(arg, "param");
        if (failed(setBytes(arg)))
          return failure();
        params.push_back(
            json::Object{{"name", name.getValue().str()}, {"buffer", id}});
        continue;
      }
      auto name = fn.getArgAttrOfType<StringAttr>(index, tc::kNameAttr);
      int64_t id = addBuffer(arg, "input");
      if (failed(setBytes(arg)))
        return failure();
      inputs.push_back(json::Object{
          {"name",
           name ? name.getValue().str() : "arg" + std::to_string(index)},
          {"dtype", dtypeName(type.getElementType())},
          {"shape",
           shapeOf(type, fn.getArgAttrOfType<ArrayAttr>(index, tc::kDimsAttr))},
          {"buffer", id}});
    }
    json::Array steps;
    for (Operation &op : fn.getBody().front()) {
      if (failed(visit(op, steps, outputs)))
        return failure();
    }
    entry["inputs"] = std::move(inputs);
    entry["params"] = std::move(params);
    entry["outputs"] = std::move(outputs);
    json::Array bufferList;
    for (auto &[value, id] : ids)
      bufferList.push_back(std::move(buffers[id]));
    for (int64_t id : extraBuffers)
      bufferList.push_back(std::move(buffers[id]));
    entry["buffers"] = std::move(bufferList);
    entry["slots"] = slots + extraSlots;
    entry["steps"] = std::move(steps);
    return entry;
  }

private:
  LogicalResult fail(Operation *op, const Twine &message) {
    op->emitError() << "cannot write the manifest: " << message;
    return failure();
  }

  std::optional<std::string> bytesOf(Value buffer) {
    auto type = cast<MemRefType>(buffer.getType());
    SizeExpr bytes = SizeExpr::constant(dtypeBytes(type.getElementType()));
    for (int64_t d = 0; d < type.getRank(); ++d) {
      std::optional<SizeExpr> size;
      if (!type.isDynamicDim(d)) {
        size = SizeExpr::constant(type.getDimSize(d));
      } else {
        size = dimExpr(buffer, d);
      }
      if (!size)
        return std::nullopt;
      bytes = SizeExpr::binary(SizeExpr::Kind::Mul, bytes, *size);
    }
    return bytes.str();
  }

  std::optional<SizeExpr> dimExpr(Value buffer, int64_t d) {
    auto type = cast<MemRefType>(buffer.getType());
    if (auto arg = dyn_cast<BlockArgument>(buffer)) {
      auto dims =
          fn.getArgAttrOfType<ArrayAttr>(arg.getArgNumber(), tc::kDimsAttr);
      if (dims && d < static_cast<int64_t>(dims.size())) {
        if (auto s = dyn_cast<StringAttr>(dims[d]))
          return SizeExpr::monomial(s.getValue());
        if (auto i = dyn_cast<IntegerAttr>(dims[d]))
          return SizeExpr::constant(i.getInt());
      }
      return std::nullopt;
    }
    Operation *def = buffer.getDefiningOp();
    if (auto alloc = dyn_cast<memref::AllocOp>(def))
      return sizeExprOf(alloc.getDynamicSizes()[type.getDynamicDimIndex(d)]);
    if (auto expand = dyn_cast<memref::ExpandShapeOp>(def))
      if (auto v = dyn_cast<Value>(expand.getMixedOutputShape()[d]))
        return sizeExprOf(v);
    if (auto collapse = dyn_cast<memref::CollapseShapeOp>(def)) {
      SizeExpr p = SizeExpr::constant(1);
      // The reassociation is a temporary: keep it alive for the loop.
      SmallVector<ReassociationIndices> groups =
          collapse.getReassociationIndices();
      for (int64_t s : groups[d]) {
        auto srcType = cast<MemRefType>(collapse.getSrc().getType());
        std::optional<SizeExpr> f =
            srcType.isDynamicDim(s)
                ? dimExpr(collapse.getSrc(), s)
                : std::optional<SizeExpr>(
                      SizeExpr::constant(srcType.getDimSize(s)));
        if (!f)
          return std::nullopt;
        p = SizeExpr::binary(SizeExpr::Kind::Mul, p, *f);
      }
      return p;
    }
    if (auto cast = dyn_cast<memref::CastOp>(def))
      return dimExpr(cast.getSource(), d);
    return std::nullopt;
  }

  int64_t addBuffer(Value value, StringRef kind, int64_t of = -1) {
    int64_t id = buffers.size();
    if (value)
      ids[value] = id;
    json::Object buffer{{"id", id}, {"kind", kind.str()}};
    if (of >= 0)
      buffer["of"] = of;
    buffers.push_back(std::move(buffer));
    return id;
  }

  std::optional<int64_t> idOf(Value v) {
    auto it = ids.find(v);
    if (it == ids.end())
      return std::nullopt;
    return it->second;
  }

  LogicalResult setBytes(Value value) {
    std::optional<std::string> bytes = bytesOf(value);
    if (!bytes)
      return fail(value.getDefiningOp() ? value.getDefiningOp() : fn,
                  "a buffer's size is not an expression of the model's dims");
    buffers[*idOf(value)]["bytes"] = *bytes;
    return success();
  }

  LogicalResult visit(Operation &op, json::Array &steps, json::Array &outputs) {
    if (isa<arith::ArithDialect>(op.getDialect()) ||
        isa<memref::DimOp, tensor::DimOp>(op))
      return success(); // sizes, read through sizeExprOf when needed
    if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      int64_t id = addBuffer(alloc, "temp");
      if (auto slot = alloc->getAttrOfType<IntegerAttr>("tc.slot"))
        buffers[id]["slot"] = slot.getInt();
      else
        return fail(alloc, "an allocation has no slot (run tc-plan-memory)");
      return setBytes(alloc);
    }
    if (isa<memref::CollapseShapeOp, memref::ExpandShapeOp, memref::CastOp>(
            op)) {
      std::optional<int64_t> of = idOf(op.getOperand(0));
      if (!of)
        return fail(&op, "a view of an unknown buffer");
      addBuffer(op.getResult(0), "view", *of);
      return setBytes(op.getResult(0));
    }
    if (auto copy = dyn_cast<memref::CopyOp>(op)) {
      std::optional<int64_t> src = idOf(copy.getSource()),
                             dst = idOf(copy.getTarget());
      std::optional<std::string> bytes = bytesOf(copy.getSource());
      if (!src || !dst || !bytes)
        return fail(copy, "a copy between unknown buffers");
      steps.push_back(json::Object{
          {"op", "copy"}, {"src", *src}, {"dst", *dst}, {"bytes", *bytes}});
      return success();
    }
    if (auto launch = dyn_cast<tc::LaunchOp>(op)) {
      json::Array grid, args;
      for (Value g :
           {launch.getGridX(), launch.getGridY(), launch.getGridZ()}) {
        std::optional<SizeExpr> e = sizeExprOf(g);
        if (!e)
          return fail(launch, "a grid size is not an expression of the dims");
        grid.push_back(e->str());
      }
      for (Value v :
           llvm::concat<Value>(launch.getInputs(), launch.getOutputs())) {
        std::optional<int64_t> id = idOf(v);
        if (!id)
          return fail(launch, "a kernel operand is not a known buffer");
        args.push_back(json::Object{{"buffer", *id}});
      }
      for (Value d : launch.getDims()) {
        std::optional<SizeExpr> e = sizeExprOf(d);
        if (!e)
          return fail(launch, "a size argument is not an expression of the "
                              "dims");
        args.push_back(json::Object{{"dim", e->str()}});
      }
      steps.push_back(json::Object{
          {"op", "launch"},
          {"kernel", launch.getKernel().getLeafReference().getValue().str()},
          {"grid", std::move(grid)},
          {"args", std::move(args)}});
      return success();
    }
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
        std::optional<int64_t> id = idOf(v);
        if (!id)
          return fail(ret, "a result is not a known buffer");
        // The output is the allocation under any views (its bytes are the
        // same; the shape is recorded with the output). An entry that returns
        // an input or a parameter copies it into a buffer of its own.
        Value root = v;
        while (Operation *def = root.getDefiningOp())
          if (isa<memref::CollapseShapeOp, memref::ExpandShapeOp,
                  memref::CastOp>(def))
            root = def->getOperand(0);
          else
            break;
        if (root.getDefiningOp<memref::AllocOp>()) {
          id = idOf(root);
          buffers[*id]["kind"] = "output";
        } else {
          std::optional<std::string> bytes = bytesOf(v);
          if (!bytes)
            return fail(ret, "a result's size is not an expression of the "
                             "dims");
          int64_t copy = addBuffer(Value(), "output");
          buffers[copy]["slot"] = static_cast<int64_t>(slots + extraSlots++);
          buffers[copy]["bytes"] = *bytes;
          steps.push_back(json::Object{
              {"op", "copy"}, {"src", *id}, {"dst", copy}, {"bytes", *bytes}});
          extraBuffers.push_back(copy);
          id = copy;
        }
        auto type = cast<MemRefType>(v.getType());
        std::string name =
            ret.getNumOperands() == 1 ? "result" : "result" + std::to_string(i);
        if (auto given = fn.getResultAttrOfType<StringAttr>(i, tc::kNameAttr))
          name = given.getValue().str();
        outputs.push_back(json::Object{
            {"name", name},
            {"dtype", dtypeName(type.getElementType())},
            {"shape", shapeOf(type, fn.getResultAttrOfType<ArrayAttr>(
                                        i, tc::kDimsAttr))},
            {"buffer", *id}});
      }
      return success();
    }
    return fail(&op, "unexpected '" + op.getName().getStringRef() +
                         "' in an entry function");
  }

  func::FuncOp fn;
  llvm::MapVector<Value, int64_t> ids;
  std::vector<json::Object> buffers;
  /// Output buffers that copy a returned input or parameter.
  std::vector<int64_t> extraBuffers;
  int64_t slots = 0, extraSlots = 0;
};

json::Object paramOf(tc::ParamOp param) {
  auto type = cast<RankedTensorType>(param.getType());
  json::Array shape;
  for (int64_t d : type.getShape())
    shape.push_back(d);
  int64_t fanIn = 1, fanOut = 1;
  if (type.getRank() == 2) {
    fanIn = type.getDimSize(0);
    fanOut = type.getDimSize(1);
  } else if (type.getRank() > 2) {
    int64_t receptive = 1;
    for (int64_t d : type.getShape().drop_front(2))
      receptive *= d;
    fanIn = type.getDimSize(1) * receptive;
    fanOut = type.getDimSize(0) * receptive;
  } else if (type.getRank() == 1) {
    fanIn = fanOut = type.getDimSize(0);
  }
  json::Array args;
  for (Attribute a : param.getInitArgs())
    args.push_back(cast<FloatAttr>(a).getValueAsDouble());
  json::Object object{
      {"name", param.getSymName().str()},
      {"dtype", dtypeName(type.getElementType())},
      {"shape", std::move(shape)},
      {"init", json::Object{{"kind", tc::stringifyInitKind(param.getInit())},
                            {"args", std::move(args)},
                            {"fan_in", fanIn},
                            {"fan_out", fanOut}}}};
  if (param->hasAttr(tc::kOptimizerStateAttr))
    object["optimizer_state"] = true;
  return object;
}

json::Object kernelOf(gpu::GPUFuncOp fn) {
  json::Array block, args;
  if (auto known = fn.getKnownBlockSizeAttr())
    for (int32_t b : known.asArrayRef())
      block.push_back(b);
  else
    block = json::Array{1, 1, 1};
  for (Type t : fn.getArgumentTypes())
    args.push_back(isa<MemRefType>(t) ? "ptr" : "i64");
  int64_t smem = 0;
  for (BlockArgument a : fn.getWorkgroupAttributions()) {
    auto type = cast<MemRefType>(a.getType());
    smem += type.getNumElements() * dtypeBytes(type.getElementType());
  }
  json::Object kernel{{"name", fn.getName().str()},
                      {"block", std::move(block)},
                      {"smem", smem},
                      {"args", std::move(args)}};
  // A matrix product: what tensorc tune tunes it by, and its tiles.
  if (auto key = fn->getAttrOfType<StringAttr>("tc.tile_key"))
    kernel["tile_key"] = key.getValue().str();
  if (auto tiles = fn->getAttrOfType<StringAttr>("tc.tile_text"))
    kernel["tiles"] = tiles.getValue().str();
  return kernel;
}

} // namespace

FailureOr<std::string> writeManifest(ModuleOp module,
                                     const ManifestOptions &options) {
  json::Object root;
  root["format"] = "tensorc-artifact";
  root["version"] = 1;
  root["compiler"] = options.compiler;
  if (auto model = module->getAttrOfType<StringAttr>(tc::kModelAttr))
    root["model"] = model.getValue().str();
  json::Object target{{"kind", options.targetKind}};
  if (options.targetKind == "cuda") {
    target["backend"] = options.backend;
    target["arch"] = options.arch;
  }
  root["target"] = std::move(target);
  root["module"] = options.moduleFile;
  root["index_bits"] = 64;

  llvm::SetVector<std::string, std::vector<std::string>, std::set<std::string>>
      dims;
  json::Array params, kernels, entries;
  for (auto param : module.getOps<tc::ParamOp>())
    params.push_back(paramOf(param));
  for (auto gpuModule : module.getOps<gpu::GPUModuleOp>())
    for (auto fn : gpuModule.getOps<gpu::GPUFuncOp>())
      kernels.push_back(kernelOf(fn));
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (fn.isDeclaration() || fn.isPrivate())
      continue;
    for (unsigned i = 0; i < fn.getNumArguments(); ++i)
      if (auto attr = fn.getArgAttrOfType<ArrayAttr>(i, tc::kDimsAttr))
        for (Attribute d : attr)
          if (auto s = dyn_cast<StringAttr>(d)) {
            SmallVector<StringRef> factors;
            s.getValue().split(factors, '*');
            for (StringRef f : factors)
              if (!f.empty() && !llvm::isDigit(f[0]))
                dims.insert(f.str());
          }
    FailureOr<json::Object> entry = EntryWriter(fn).run();
    if (failed(entry))
      return failure();
    entries.push_back(std::move(*entry));
  }
  json::Array dimList;
  for (const std::string &d : dims)
    dimList.push_back(d);
  root["dims"] = std::move(dimList);
  root["params"] = std::move(params);
  root["kernels"] = std::move(kernels);
  root["entries"] = std::move(entries);
  // The train clause, for the training loop: the optimizer and its
  // defaults (the step takes the learning rate as an input).
  if (auto train = module->getAttrOfType<DictionaryAttr>(tc::kTrainAttr)) {
    json::Object t;
    for (NamedAttribute a : train) {
      if (auto f = dyn_cast<FloatAttr>(a.getValue()))
        t[a.getName().getValue()] = f.getValueAsDouble();
      else if (auto s = dyn_cast<StringAttr>(a.getValue()))
        t[a.getName().getValue()] = s.getValue().str();
      else if (auto b = dyn_cast<BoolAttr>(a.getValue()))
        t[a.getName().getValue()] = b.getValue();
      else if (auto r = dyn_cast<FlatSymbolRefAttr>(a.getValue()))
        t[a.getName().getValue()] = r.getValue().str();
    }
    auto precision = module->getAttrOfType<StringAttr>(tc::kPrecisionAttr);
    t["precision"] = precision ? precision.getValue().str() : "f32";
    root["train"] = std::move(t);
  }
  return llvm::formatv("{0:2}", json::Value(std::move(root))).str() + "\n";
}

} // namespace tensorc::manifest
