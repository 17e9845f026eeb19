//===- Printer.h - Internals of the CUDA C++ printer ------------*- C++ -*-===//
//
// KernelPrinter prints one gpu.func. Every SSA value becomes a local variable
// `vN` of the type's C++ spelling (Types.cpp); the op families are printed by
// the Print*.cpp files, one per dialect, through the small interface below.
// Region results (scf.for/if/while) are variables declared before the
// construct and assigned by its terminators.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_COMPILER_TARGET_CUDA_PRINTER_H
#define TENSORC_COMPILER_TARGET_CUDA_PRINTER_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/IndentedOstream.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/StringSaver.h"

#include <optional>
#include <string>

namespace tensorc::cuda {

/// The helpers (namespace tc_rt) and typedefs that precede the kernels.
llvm::StringRef getCUDAPrelude();

//===----------------------------------------------------------------------===//
// Types and literals (Types.cpp)
//===----------------------------------------------------------------------===//

/// C++ spelling of a scalar type: float, double, tc_half, tc_bfloat16, bool,
/// signed char, short, int, long long (i64 and index). None otherwise.
std::optional<llvm::StringRef> scalarTypeName(mlir::Type type);
/// Width of an integer or index type (index is 64 bits).
unsigned intWidth(mlir::Type type);
/// The unsigned type of an integer's width (`unsigned` for i1).
llvm::StringRef unsignedTypeName(mlir::Type type);
/// Whether `type` is stored as raw bits and computed in f32 (f16, bf16).
bool isHalfLike(mlir::Type type);
/// Float `expr` of `type` as a value of its compute type (float or double).
std::string toCompute(mlir::Type type, llvm::StringRef expr);
/// A compute-type `expr` rounded to `type`.
std::string fromCompute(mlir::Type type, llvm::StringRef expr);
/// An integer `expr` as a signed (i1: 0 or -1) or unsigned C++ value.
std::string signedView(mlir::Type type, llvm::StringRef expr);
std::string unsignedView(mlir::Type type, llvm::StringRef expr);
/// An integer or float attribute as a C++ literal of its type.
mlir::FailureOr<std::string> literal(mlir::Operation *op, mlir::Attribute attr);

//===----------------------------------------------------------------------===//
// KernelPrinter
//===----------------------------------------------------------------------===//

class KernelPrinter {
public:
  explicit KernelPrinter(llvm::raw_ostream &os) : os(os) {}

  /// Prints `func` as an `extern "C" __global__` function.
  mlir::LogicalResult printKernel(mlir::gpu::GPUFuncOp func);

  // The interface of the op-family printers.

  mlir::raw_indented_ostream &out() { return os; }
  /// The variable that holds `value` (bound when its definition was printed).
  llvm::StringRef name(mlir::Value value) const;
  /// Binds `value` to a fresh variable name and returns it.
  std::string bind(mlir::Value value);
  /// Binds `value` to an existing variable (region arguments and results).
  void alias(mlir::Value value, llvm::StringRef name);
  /// C++ type of `value` (a vector of scalars is a `tc_rt::vec<T, N>`), or
  /// an error on `op` naming the type.
  mlir::FailureOr<std::string> typeOf(mlir::Operation *op, mlir::Value value);
  /// Prints `T vN = expr;` for `result`.
  mlir::LogicalResult declare(mlir::Operation *op, mlir::Value result,
                              const llvm::Twine &expr);
  /// Prints `T vN;` for a value assigned later (region results).
  mlir::LogicalResult declareUninitialized(mlir::Operation *op,
                                           mlir::Value result);
  /// Prints `dsts[i] = srcs[i];`, through temporaries when a source is one of
  /// the destinations (a loop yielding its iter_args swapped).
  mlir::LogicalResult assign(mlir::Operation *op,
                             llvm::ArrayRef<std::string> dsts,
                             mlir::ValueRange srcs);
  /// Prints the ops of `block` but its terminator.
  mlir::LogicalResult printBlock(mlir::Block &block);

  mlir::LogicalResult printArithOp(mlir::Operation *op);
  mlir::LogicalResult printArithCastOp(mlir::Operation *op);
  mlir::LogicalResult printMathOp(mlir::Operation *op);
  mlir::LogicalResult printSCFOp(mlir::Operation *op);
  mlir::LogicalResult printMemRefOp(mlir::Operation *op);
  mlir::LogicalResult printGPUOp(mlir::Operation *op);
  mlir::LogicalResult printVectorOp(mlir::Operation *op);
  mlir::LogicalResult printNVGPUOp(mlir::Operation *op);

private:
  mlir::LogicalResult printOp(mlir::Operation *op);
  mlir::LogicalResult printSignature(mlir::gpu::GPUFuncOp func);
  mlir::LogicalResult printAttributions(mlir::gpu::GPUFuncOp func);

  mlir::raw_indented_ostream os;
  /// Names live in `nameStorage` so that references to them stay valid when
  /// the map grows.
  llvm::BumpPtrAllocator nameAllocator;
  llvm::StringSaver nameStorage{nameAllocator};
  llvm::DenseMap<mlir::Value, llvm::StringRef> names;
  unsigned nextId = 0;
};

/// `memref[i0 * s0 + ... + in]`: the element of an identity-layout memref
/// (PrintMemRef.cpp), or an error on `op`.
mlir::FailureOr<std::string> memrefElement(KernelPrinter &p,
                                           mlir::Operation *op,
                                           mlir::Value memref,
                                           mlir::ValueRange indices);

/// The error for an op outside the supported set.
mlir::LogicalResult unsupported(mlir::Operation *op);

} // namespace tensorc::cuda

#endif // TENSORC_COMPILER_TARGET_CUDA_PRINTER_H
