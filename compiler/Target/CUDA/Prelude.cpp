//===- Prelude.cpp - Helpers that every printed CUDA source starts with ---===//
//
// NVRTC finds no header when the toolkit's include/ is not installed (it has
// only its built-ins), so the printed source defines what it needs itself:
// f16/bf16 as raw 16-bit values with exact conversions, MLIR's maximumf and
// minimumf, and gpu.shuffle with the member mask, clamp and `valid`
// predicate that MLIR's NVVM lowering uses.
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/CUDA/Printer.h"

llvm::StringRef tensorc::cuda::getCUDAPrelude() {
  return R"cuda(// Unused SSA values and helpers are fine.
#pragma nv_diag_suppress 177
#pragma nv_diag_suppress 550

// f16 and bf16 are stored as their bits; arithmetic happens in f32, which is
// exact after rounding back for +, -, *, /, sqrt (f32 has > 2p+2 bits).
typedef unsigned short tc_half;
typedef unsigned short tc_bfloat16;

namespace tc_rt {
#define TC_FN __device__ __forceinline__

TC_FN float h2f(tc_half h) {
  float f;
  asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h));
  return f;
}
TC_FN tc_half f2h(float f) {
  tc_half h;
  asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f));
  return h;
}
TC_FN tc_half d2h(double d) {
  tc_half h;
  asm("cvt.rn.f16.f64 %0, %1;" : "=h"(h) : "d"(d));
  return h;
}
TC_FN tc_half ll2h(long long x) {
  tc_half h;
  asm("cvt.rn.f16.s64 %0, %1;" : "=h"(h) : "l"(x));
  return h;
}
TC_FN tc_half ull2h(unsigned long long x) {
  tc_half h;
  asm("cvt.rn.f16.u64 %0, %1;" : "=h"(h) : "l"(x));
  return h;
}
TC_FN tc_half fmah(tc_half a, tc_half b, tc_half c) {
  tc_half d;
  asm("fma.rn.f16 %0, %1, %2, %3;" : "=h"(d) : "h"(a), "h"(b), "h"(c));
  return d;
}

// bf16 is the upper half of an f32; rounding is done in software so that it
// works on every architecture.
TC_FN float b2f(tc_bfloat16 b) { return __uint_as_float((unsigned)b << 16); }
TC_FN tc_bfloat16 f2b(float f) {
  unsigned u = __float_as_uint(f);
  if (f != f)
    return (tc_bfloat16)((u >> 16) | 0x40u);
  return (tc_bfloat16)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}
// Round to odd into f32 first: then rounding to nearest into bf16 is exact.
TC_FN tc_bfloat16 d2b(double d) {
  float f = __double2float_rz(d);
  if ((double)f != d && d == d)
    f = __uint_as_float(__float_as_uint(f) | 1u);
  return f2b(f);
}
TC_FN tc_bfloat16 ll2b(long long x) {
  double d = __ll2double_rz(x);
  if ((long long)d != x)
    d = __longlong_as_double(__double_as_longlong(d) | 1);
  return d2b(d);
}
TC_FN tc_bfloat16 ull2b(unsigned long long x) {
  double d = __ull2double_rz(x);
  if ((unsigned long long)d != x)
    d = __longlong_as_double(__double_as_longlong(d) | 1);
  return d2b(d);
}
// One rounding, like the FMA of the NVPTX path (sm_80 and newer).
TC_FN tc_bfloat16 fmab(tc_bfloat16 a, tc_bfloat16 b, tc_bfloat16 c) {
  tc_bfloat16 d;
  asm("fma.rn.bf16 %0, %1, %2, %3;" : "=h"(d) : "h"(a), "h"(b), "h"(c));
  return d;
}

// arith.maximumf/minimumf: a NaN operand gives NaN and -0 < +0 (fmaxf would
// return the other operand, and ignores the sign of zero). Equal operands
// combine their bits: +0 & -0 is +0, +0 | -0 is -0. Branch-free.
TC_FN float maximumf(float a, float b) {
  int bits = a == b ? __float_as_int(a) & __float_as_int(b) : -1;
  float m = __int_as_float(__float_as_int(fmaxf(a, b)) & bits);
  return a != a || b != b ? a + b : m;
}
TC_FN float minimumf(float a, float b) {
  int bits = a == b ? __float_as_int(a) | __float_as_int(b) : 0;
  float m = __int_as_float(__float_as_int(fminf(a, b)) | bits);
  return a != a || b != b ? a + b : m;
}
TC_FN double maximumf(double a, double b) {
  long long bits =
      a == b ? __double_as_longlong(a) & __double_as_longlong(b) : -1;
  double m = __longlong_as_double(__double_as_longlong(fmax(a, b)) & bits);
  return a != a || b != b ? a + b : m;
}
TC_FN double minimumf(double a, double b) {
  long long bits =
      a == b ? __double_as_longlong(a) | __double_as_longlong(b) : 0;
  double m = __longlong_as_double(__double_as_longlong(fmin(a, b)) | bits);
  return a != a || b != b ? a + b : m;
}

// arith.ceildivsi/floordivsi/ceildivui.
template <typename T> TC_FN T ceildivsi(T a, T b) {
  T q = a / b;
  return q + (T)(a % b != 0 && (a < 0) == (b < 0));
}
template <typename T> TC_FN T floordivsi(T a, T b) {
  T q = a / b;
  return q - (T)(a % b != 0 && (a < 0) != (b < 0));
}
template <typename T> TC_FN T ceildivui(T a, T b) {
  return a / b + (T)(a % b != 0);
}

TC_FN unsigned lane_id() {
  unsigned l;
  asm("mov.u32 %0, %%laneid;" : "=r"(l));
  return l;
}

// gpu.shuffle as MLIR lowers it to NVVM: lanes [0, width) take part (member
// mask), the clamp is width - 1 (32 - width for up), and `valid` is the
// predicate of shfl.sync: whether the source lane was in range. CUDA's
// __shfl_*_sync take `width` as a segment size instead and give no predicate.
#define TC_SHFL(NAME, MODE, CLAMP)                                             \
  TC_FN unsigned NAME##_b32(unsigned x, int off, int width, bool &valid) {     \
    unsigned r, p, mask = 0xffffffffu >> (32 - width);                         \
    asm volatile("{\n\t.reg .pred p;\n\t"                                      \
                 "shfl.sync." #MODE ".b32 %0|p, %2, %3, %4, %5;\n\t"           \
                 "selp.u32 %1, 1, 0, p;\n\t}"                                  \
                 : "=r"(r), "=r"(p)                                            \
                 : "r"(x), "r"(off), "r"(CLAMP), "r"(mask));                   \
    valid = p != 0;                                                            \
    return r;                                                                  \
  }                                                                            \
  TC_FN int NAME(int x, int off, int width, bool &valid) {                     \
    return (int)NAME##_b32((unsigned)x, off, width, valid);                    \
  }                                                                            \
  TC_FN float NAME(float x, int off, int width, bool &valid) {                 \
    return __uint_as_float(NAME##_b32(__float_as_uint(x), off, width, valid)); \
  }                                                                            \
  TC_FN unsigned short NAME(unsigned short x, int off, int width,              \
                            bool &valid) {                                     \
    return (unsigned short)NAME##_b32(x, off, width, valid);                   \
  }                                                                            \
  TC_FN long long NAME(long long x, int off, int width, bool &valid) {         \
    bool hiValid;                                                              \
    unsigned lo = NAME##_b32((unsigned)x, off, width, valid);                  \
    unsigned hi =                                                              \
        NAME##_b32((unsigned)((unsigned long long)x >> 32), off, width,        \
                   hiValid);                                                   \
    return (long long)(((unsigned long long)hi << 32) | lo);                   \
  }                                                                            \
  TC_FN double NAME(double x, int off, int width, bool &valid) {               \
    return __longlong_as_double(                                               \
        NAME(__double_as_longlong(x), off, width, valid));                     \
  }
TC_SHFL(shfl_xor, bfly, width - 1)
TC_SHFL(shfl_up, up, 32 - width)
TC_SHFL(shfl_down, down, width - 1)
TC_SHFL(shfl_idx, idx, width - 1)
#undef TC_SHFL

// Small vectors (tensor-core fragments, vector accesses of elementwise
// kernels), elements flattened row-major; aligned to their size up to 16
// bytes, so that a vec<float, 4> load is one ld.global.v4.
constexpr int vec_align(int bytes) {
  return bytes % 16 == 0 ? 16 : bytes % 8 == 0 ? 8 : bytes % 4 == 0 ? 4
         : bytes % 2 == 0 ? 2 : 1;
}
template <typename T, int N> struct vec {
  alignas(vec_align(sizeof(T) * N)) T v[N];
};
// vector.load/store at an address aligned to vec_align(sizeof(T) * N).
template <typename T, int N> TC_FN vec<T, N> vload(const T *p) {
  return *reinterpret_cast<const vec<T, N> *>(p);
}
template <typename T, int N> TC_FN void vstore(T *p, const vec<T, N> &x) {
  *reinterpret_cast<vec<T, N> *>(p) = x;
}
// nvgpu.mma.sync m16n8k16 with f32 accumulators (sm_80 and newer): row r of
// an operand vector<Rx2> is .b32 register r, element 0 in the low half.
TC_FN unsigned pack2(unsigned short lo, unsigned short hi) {
  return (unsigned)lo | ((unsigned)hi << 16);
}
#define TC_MMA(NAME, TYPE)                                                     \
  TC_FN vec<float, 4> NAME(const vec<unsigned short, 8> &a,                    \
                           const vec<unsigned short, 4> &b,                    \
                           const vec<float, 4> &c) {                           \
    vec<float, 4> d;                                                           \
    asm("mma.sync.aligned.m16n8k16.row.col.f32." TYPE "." TYPE ".f32 "         \
        "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "                       \
        "{%10, %11, %12, %13};"                                                \
        : "=f"(d.v[0]), "=f"(d.v[1]), "=f"(d.v[2]), "=f"(d.v[3])               \
        : "r"(pack2(a.v[0], a.v[1])), "r"(pack2(a.v[2], a.v[3])),              \
          "r"(pack2(a.v[4], a.v[5])), "r"(pack2(a.v[6], a.v[7])),              \
          "r"(pack2(b.v[0], b.v[1])), "r"(pack2(b.v[2], b.v[3])),              \
          "f"(c.v[0]), "f"(c.v[1]), "f"(c.v[2]), "f"(c.v[3]));                 \
    return d;                                                                  \
  }
TC_MMA(mma_m16n8k16_f16, "f16")
TC_MMA(mma_m16n8k16_bf16, "bf16")
#undef TC_MMA
#undef TC_FN
} // namespace tc_rt

)cuda";
}
