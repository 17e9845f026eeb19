"""The op cases of the numerics oracles: .tdsl functions, random inputs and
PyTorch references.

Shared by test/Conversion/TCToLinalg/Inputs/check_numerics.py (lowering with
upstream MLIR, run on mlir-runner) and test/Numerics/Inputs/check_ops.py (the
whole compiler, `tensorc run --device cpu`, fused and unfused), so that both
check every tc op against the same references. References take their sizes
from their inputs, so that a runner may redraw a case at other sizes of `B`.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F

# Relative tolerances (see the module docstring).
ELEMENTWISE = 1e-5
REDUCTION = 1e-4
ULPS = {"f16": 2.0 ** -10, "bf16": 2.0 ** -7}  # one unit in the last place at 1

DTYPES = {
    "f32": torch.float32, "f64": torch.float64, "f16": torch.float16,
    "bf16": torch.bfloat16, "i32": torch.int32, "i64": torch.int64,
    "i1": torch.bool,
}
FLOATS = ("f32", "f64", "f16", "bf16")


# ----------------------------------------------------------------------------
# Inputs
# ----------------------------------------------------------------------------

class Input:
    """A random input: element type (MLIR name), concrete shape, generator."""

    def __init__(self, dtype, shape, gen):
        self.dtype, self.shape, self.gen = dtype, tuple(shape), gen

    def draw(self, rng):
        return self.gen(rng, self.shape).to(DTYPES[self.dtype])


def _with_nans(values, rng, nans):
    flat = values.reshape(-1)
    for i in rng.choice(flat.size, size=min(nans, flat.size), replace=False):
        flat[i] = np.nan
    return values


def F32(*shape, lo=-3.0, hi=3.0, nans=0, dtype="f32"):
    """Uniform floats in [lo, hi), with `nans` NaNs at random places."""
    def gen(rng, s):
        return torch.from_numpy(_with_nans(rng.uniform(lo, hi, s), rng, nans))
    return Input(dtype, shape, gen)


def F64(*shape, **kw):
    return F32(*shape, dtype="f64", **kw)


def F16(*shape, **kw):
    return F32(*shape, dtype="f16", **kw)


def BF16(*shape, **kw):
    return F32(*shape, dtype="bf16", **kw)


def Ties(*shape, values=(-1.0, 0.0, 1.0, 2.0), nans=0, dtype="f32"):
    """Floats from a small set, so that equal values (ties) are common."""
    def gen(rng, s):
        v = rng.choice(np.array(values, dtype=np.float64), size=s)
        return torch.from_numpy(_with_nans(v, rng, nans))
    return Input(dtype, shape, gen)


def Int(*shape, lo=-10, hi=10, dtype="i64", nonzero=False):
    """Integers in [lo, hi), optionally never 0."""
    def gen(rng, s):
        v = rng.integers(lo, hi, size=s)
        if nonzero:
            v[v == 0] = 1
        return torch.from_numpy(v)
    return Input(dtype, shape, gen)


def Bool(*shape):
    return Input("i1", shape, lambda rng, s: torch.from_numpy(
        rng.integers(0, 2, size=s).astype(bool)))


# ----------------------------------------------------------------------------
# Cases
# ----------------------------------------------------------------------------

class Case:
    """One function: `src` is a .tdsl `fn` named `name` (or, with tc=True, a
    tc-dialect func.func); `ref` maps the inputs (torch tensors; f16/bf16
    upcast to f32) to the expected result; `params` are .tdsl param items the
    function reads (their values come last in `inputs`, in declaration
    order); `sig` is the .tdsl signature, `(x: f32[B, 5]) -> f32[B, 5]`
    (None for tc cases), from which a runner learns which input dims are
    `B`."""

    def __init__(self, name, src, inputs, ref, tol=ELEMENTWISE, tc=False,
                 params="", sig=None):
        self.name, self.src, self.inputs, self.ref = name, src, inputs, ref
        self.tol, self.tc, self.params, self.sig = tol, tc, params, sig
        # .tdsl functions may not take a builtin's name.
        self.symbol = name if tc else f"f_{name}"


def fn(name, sig, body, inputs, ref, tol=ELEMENTWISE, params=""):
    """A .tdsl case: `fn NAME SIG { BODY }`; a body without `return` is the
    returned expression."""
    if "return" not in body:
        body = f"return {body}"
    return Case(name, f"fn f_{name}{sig} {{\n  {body}\n}}", inputs, ref, tol,
                params=params, sig=sig)


def ref_cross_entropy(logits, labels):
    """F.cross_entropy, except that an out-of-range label gives NaN."""
    c = logits.shape[1]
    bad = (labels < 0) | (labels >= c)
    loss = -F.log_softmax(logits, 1).gather(
        1, labels.clamp(0, c - 1).long()[:, None])[:, 0]
    return torch.where(bad, torch.full_like(loss, math.nan), loss).mean()


def ref_one_hot(ids, n, dtype):
    return (ids[..., None] == torch.arange(n)).to(dtype)


def ref_rmsnorm(x, g, eps, dims):
    ms = x.pow(2).mean(dim=dims, keepdim=True)
    return x * torch.rsqrt(ms + eps) * g


def ref_sum_i32(x, dim):
    # torch sums int32 into int64; tc keeps the type (no overflow here).
    return x.sum(dim).to(torch.int32)


def elementwise_cases():
    X = "(x: f32[B, 5]) -> f32[B, 5]"
    P = lambda *s: F32(*s, lo=0.1, hi=4.0)  # noqa: E731 (positive inputs)
    cases = [
        fn("add_bias", "(x: f32[B, 5], b: f32[5]) -> f32[B, 5]", "x + b",
           [F32(4, 5), F32(5)], lambda x, b: x + b),
        fn("sub_outer", "(a: f32[B, 1], b: f32[1, 3]) -> f32[B, 3]", "a - b",
           [F32(4, 1), F32(1, 3)], lambda a, b: a - b),
        fn("mul_scalar", "(x: f32[2, 1, 3], s: f32) -> f32[2, 1, 3]", "x * s",
           [F32(2, 1, 3), F32()], lambda x, s: x * s),
        fn("mul_unit_both", "(a: f32[1, 3], b: f32[1, 3]) -> f32[1, 3]",
           "a * b", [F32(1, 3), F32(1, 3)], lambda a, b: a * b),
        fn("div_rank0", "(a: f32, b: f32) -> f32", "a / b",
           [F32(), F32(lo=0.5, hi=2.0)], lambda a, b: a / b),
        fn("div_int", "(a: i32[2, 6], b: i32[6]) -> i32[2, 6]", "a / b",
           [Int(2, 6, lo=-50, hi=50, dtype="i32"),
            Int(6, lo=-7, hi=7, dtype="i32", nonzero=True)],
           lambda a, b: torch.div(a, b, rounding_mode="trunc")),
        fn("int_arith", "(a: i64[3, 4], b: i64[4]) -> i64[3, 4]",
           "a * b - a + 3", [Int(3, 4), Int(4)], lambda a, b: a * b - a + 3),
        fn("literals", X, "-x * 0.5 + 1 - 2.0 / (x * x + 1)", [F32(3, 5)],
           lambda x: -x * 0.5 + 1 - 2.0 / (x * x + 1)),
        fn("neg_int", "(a: i64[5]) -> i64[5]", "-a", [Int(5)], lambda a: -a),
        fn("abs_float", X, "abs(x)", [F32(3, 5)], torch.abs),
        fn("abs_int", "(a: i32[6]) -> i32[6]", "abs(a)",
           [Int(6, dtype="i32")], torch.abs),
        fn("exp", X, "exp(x)", [F32(3, 5)], torch.exp),
        fn("log", X, "log(x)", [P(3, 5)], torch.log),
        fn("sqrt", X, "sqrt(x)", [P(3, 5)], torch.sqrt),
        fn("rsqrt", X, "rsqrt(x)", [P(3, 5)], torch.rsqrt),
        fn("tanh", X, "tanh(x)", [F32(3, 5)], torch.tanh),
        fn("sigmoid", X, "sigmoid(x)", [F32(3, 5, lo=-30, hi=30)],
           torch.sigmoid),
        fn("relu_nan", X, "relu(x)", [F32(3, 5, nans=2)], torch.relu),
        fn("silu", X, "silu(x)", [F32(3, 5, lo=-10, hi=10)], F.silu),
        fn("gelu", X, "gelu(x)", [F32(3, 5)], F.gelu),
        fn("gelu_tanh", X, 'gelu(x, approximate = "tanh")', [F32(3, 5)],
           lambda x: F.gelu(x, approximate="tanh")),
        fn("gelu_f16", "(x: f16[B, 8]) -> f16[B, 8]", "gelu(x)", [F16(3, 8)],
           F.gelu),
        fn("exp_bf16", "(x: bf16[B, 8]) -> bf16[B, 8]", "exp(x) + x",
           [BF16(3, 8)], lambda x: (torch.exp(x).bfloat16() + x.bfloat16())),
        fn("half_add", "(a: f16[6], b: f16[6]) -> f16[6]", "a + b * a",
           [F16(6), F16(6)], lambda a, b: (a + (b * a).half().float())),
        fn("f64_math", "(x: f64[B, 4]) -> f64[B, 4]",
           "exp(x) * tanh(x) / sqrt(x * x + 1) + sigmoid(x)",
           [F64(3, 4)], lambda x: torch.exp(x) * torch.tanh(x) /
           torch.sqrt(x * x + 1) + torch.sigmoid(x)),
        fn("where", "(c: bool[4, 1], a: f32[3], b: f32) -> f32[4, 3]",
           "where(c, a, b)", [Bool(4, 1), F32(3), F32()],
           lambda c, a, b: torch.where(c, a, b)),
        fn("dropout", X, "dropout(x, 0.25)", [F32(3, 5)], lambda x: x),
        fn("masked_fill_inf",
           "(x: f32[B, 4, 4], m: bool[4, 4]) -> f32[B, 4, 4]",
           "masked_fill(x, m, -inf)", [F32(2, 4, 4), Bool(4, 4)],
           lambda x, m: x.masked_fill(m, -math.inf)),
        fn("masked_fill_int", "(x: i32[3, 4], m: bool[4]) -> i32[3, 4]",
           "masked_fill(x, m, 7)", [Int(3, 4, dtype="i32"), Bool(4)],
           lambda x, m: x.masked_fill(m, 7)),
    ]
    for e in (2.0, 3.0, 0.5, -0.5, -1.0, -2.0, 2.5, 0.0, 4.0):
        name = "pow_" + str(e).replace("-", "m").replace(".", "_")
        gen = P(3, 5) if e != int(e) else F32(3, 5, lo=-2, hi=2)
        cases.append(fn(name, X, f"pow(x, {e})", [gen],
                        lambda x, e=e: torch.pow(x, e)))
    for op, tf in (("<", torch.lt), ("<=", torch.le), (">", torch.gt),
                   (">=", torch.ge), ("==", torch.eq), ("!=", torch.ne)):
        name = "cmp_" + {"<": "lt", "<=": "le", ">": "gt", ">=": "ge",
                         "==": "eq", "!=": "ne"}[op]
        cases.append(fn(name, "(a: f32[8], b: f32[8]) -> bool[8]",
                        f"a {op} b", [Ties(8, nans=2), Ties(8, nans=1)], tf))
    cases += [
        fn("cmp_int", "(a: i32[8], b: i32[8]) -> bool[8]", "a <= b",
           [Int(8, lo=-2, hi=2, dtype="i32"), Int(8, lo=-2, hi=2, dtype="i32")],
           torch.le),
        fn("cmp_bool", "(a: bool[6], b: bool[6]) -> bool[6]", "a != b",
           [Bool(6), Bool(6)], torch.ne),
    ]
    # tc.maximum / tc.minimum have no .tdsl spelling.
    for op, tf in (("maximum", torch.maximum), ("minimum", torch.minimum)):
        cases.append(Case(f"tc_{op}", f"""
func.func @tc_{op}(%a: tensor<?x3xf32>, %b: tensor<3xf32>) -> tensor<?x3xf32> {{
  %0 = tc.{op} %a, %b : tensor<?x3xf32>, tensor<3xf32>
  return %0 : tensor<?x3xf32>
}}""", [F32(4, 3, nans=2), F32(3, nans=1)], tf, tc=True))
        cases.append(Case(f"tc_{op}_int", f"""
func.func @tc_{op}_int(%a: tensor<5xi64>, %b: tensor<1xi64>) -> tensor<5xi64> {{
  %0 = tc.{op} %a, %b : tensor<5xi64>, tensor<1xi64>
  return %0 : tensor<5xi64>
}}""", [Int(5), Int(1)], tf, tc=True))
    return cases


def cast_cases():
    cases = []
    conversions = [
        ("f32", "i32", F32(8, lo=-100, hi=100)),
        ("f32", "i64", F32(8, lo=-100, hi=100)),
        ("i32", "f32", Int(8, lo=-1000, hi=1000, dtype="i32")),
        ("i64", "f64", Int(8, lo=-1000, hi=1000)),
        ("f32", "f16", F32(8)),
        ("f16", "f32", F16(8)),
        ("f32", "bf16", F32(8)),
        ("bf16", "f32", BF16(8)),
        ("f16", "bf16", F16(8)),
        ("f64", "f32", F64(8)),
        ("bool", "f32", Bool(8)),
        ("bool", "i64", Bool(8)),
        ("f32", "bool", Ties(8, values=(0.0, -0.0, 1.5, -2.0), nans=1)),
        ("i64", "bool", Int(8, lo=-2, hi=2)),
        ("i64", "i32", Int(8, lo=-1000, hi=1000)),
        ("i32", "i64", Int(8, lo=-1000, hi=1000, dtype="i32")),
    ]
    for src, dst, gen in conversions:
        tdst = DTYPES["i1" if dst == "bool" else dst]
        # Reference casts from the input's own type (not its f32 upcast).
        tsrc = DTYPES["i1" if src == "bool" else src]
        cases.append(fn(f"cast_{src}_{dst}", f"(x: {src}[8]) -> {dst}[8]",
                        f"cast(x, {dst})", [gen],
                        lambda x, s=tsrc, d=tdst: x.to(s).to(d)))
    return cases


def reduction_cases():
    R = REDUCTION
    X3 = "(x: f32[B, 6, 5])"
    return [
        fn("sum_axis", X3 + " -> f32[B, 5]", "sum(x, 1)", [F32(3, 6, 5)],
           lambda x: x.sum(1), R),
        fn("sum_keepdim", X3 + " -> f32[1, 6, 1]",
           "sum(x, [0, 2], keepdim = true)", [F32(3, 6, 5)],
           lambda x: x.sum((0, 2), keepdim=True), R),
        fn("sum_all", X3 + " -> f32", "sum(x)", [F32(3, 6, 5)],
           lambda x: x.sum(), R),
        fn("sum_int", "(x: i32[B, 7]) -> i32[B]", "sum(x, -1)",
           [Int(4, 7, dtype="i32")], lambda x: ref_sum_i32(x, -1)),
        fn("sum_f16", "(x: f16[B, 64]) -> f16[B]", "sum(x, 1)",
           [F16(3, 64)], lambda x: x.sum(1)),
        fn("mean_dyn", "(x: f32[B, 7]) -> f32[7]", "mean(x, 0)",
           [F32(5, 7)], lambda x: x.mean(0), R),
        fn("mean_all_keepdim", "(x: f32[B, 4]) -> f32[1, 1]",
           "mean(x, keepdim = true)", [F32(5, 4)],
           lambda x: x.mean((0, 1), keepdim=True), R),
        fn("mean_bf16", "(x: bf16[B, 32]) -> bf16[B]", "mean(x, -1)",
           [BF16(3, 32)], lambda x: x.mean(-1)),
        fn("max_nan", X3 + " -> f32[B, 5]", "max(x, 1)",
           [F32(3, 6, 5, nans=3)], lambda x: x.amax(1), R),
        fn("max_all", "(x: f32[4, 4]) -> f32", "max(x)",
           [F32(4, 4, lo=-9, hi=-1)], lambda x: x.amax(), R),
        fn("min_int", "(x: i32[B, 3, 4]) -> i32[4]", "min(x, [0, 1])",
           [Int(2, 3, 4, dtype="i32")], lambda x: x.amin((0, 1))),
        fn("max_int_keepdim", "(x: i64[B, 4]) -> i64[B, 1]",
           "max(x, -1, keepdim = true)", [Int(3, 4)],
           lambda x: x.amax(-1, keepdim=True)),
        fn("argmax_ties", "(x: f32[B, 9]) -> i64[B]", "argmax(x, 1)",
           [Ties(6, 9)], lambda x: x.argmax(1)),
        fn("argmax_nan", "(x: f32[B, 9]) -> i64[B, 1]",
           "argmax(x, -1, keepdim = true)", [Ties(6, 9, nans=4)],
           lambda x: x.argmax(-1, keepdim=True)),
        fn("argmax_axis0", "(x: i32[B, 5]) -> i64[5]", "argmax(x, 0)",
           [Int(7, 5, lo=-3, hi=3, dtype="i32")], lambda x: x.argmax(0)),
        fn("argmax_neg_inf", "(x: f32[3, 4]) -> i64[3]", "argmax(x, 1)",
           [Ties(3, 4, values=(-math.inf,))], lambda x: x.argmax(1)),
    ]


def normalization_cases():
    R = REDUCTION
    return [
        fn("softmax_last", "(x: f32[B, 10]) -> f32[B, 10]", "softmax(x)",
           [F32(4, 10, lo=-20, hi=20)], lambda x: F.softmax(x, -1), R),
        fn("softmax_axis0", "(x: f32[B, 3, 2]) -> f32[B, 3, 2]",
           "softmax(x, 0)", [F32(5, 3, 2)], lambda x: F.softmax(x, 0), R),
        fn("softmax_f16", "(x: f16[B, 16]) -> f16[B, 16]", "softmax(x)",
           [F16(3, 16)], lambda x: F.softmax(x, -1)),
        fn("softmax_f64", "(x: f64[B, 7]) -> f64[B, 7]", "softmax(x, 1)",
           [F64(3, 7, lo=-50, hi=50)], lambda x: F.softmax(x, 1), R),
        fn("log_softmax", "(x: f32[B, 3, 6]) -> f32[B, 3, 6]",
           "log_softmax(x, -1)", [F32(2, 3, 6, lo=-10, hi=10)],
           lambda x: F.log_softmax(x, -1), R),
        fn("masked_softmax", "(x: f32[B, 5, 5]) -> f32[B, 5, 5]",
           "softmax(masked_fill(x, causal_mask(5), -inf), -1)",
           [F32(2, 5, 5)],
           lambda x: F.softmax(x.masked_fill(
               torch.triu(torch.ones(5, 5, dtype=torch.bool), 1), -math.inf),
               -1), R),
        fn("layernorm", "(x: f32[B, 3, 8], g: f32[8], b: f32[8]) -> f32[B, 3, 8]",
           "layernorm(x, g, b)", [F32(2, 3, 8), F32(8), F32(8)],
           lambda x, g, b: F.layer_norm(x, (8,), g, b), R),
        fn("layernorm_2d",
           "(x: f32[B, 3, 4], g: f32[3, 4], b: f32[3, 4]) -> f32[B, 3, 4]",
           "layernorm(x, g, b, eps = 0.01)",
           [F32(2, 3, 4, lo=5, hi=9), F32(3, 4), F32(3, 4)],
           lambda x, g, b: F.layer_norm(x, (3, 4), g, b, eps=0.01), R),
        fn("layernorm_f64", "(x: f64[B, 6], g: f64[6], b: f64[6]) -> f64[B, 6]",
           "layernorm(x, g, b)", [F64(3, 6), F64(6), F64(6)],
           lambda x, g, b: F.layer_norm(x, (6,), g, b), R),
        fn("layernorm_bf16",
           "(x: bf16[B, 16], g: bf16[16], b: bf16[16]) -> bf16[B, 16]",
           "layernorm(x, g, b)", [BF16(3, 16), BF16(16), BF16(16)],
           lambda x, g, b: F.layer_norm(x, (16,), g, b)),
        fn("rmsnorm", "(x: f32[B, 3, 8], g: f32[3, 8]) -> f32[B, 3, 8]",
           "rmsnorm(x, g)", [F32(2, 3, 8), F32(3, 8)],
           lambda x, g: ref_rmsnorm(x, g, 1e-6, (-2, -1)), R),
        fn("cross_entropy_i32", "(x: f32[B, 7], y: i32[B]) -> f32",
           "cross_entropy(x, y)",
           [F32(5, 7, lo=-5, hi=5), Int(5, lo=0, hi=7, dtype="i32")],
           ref_cross_entropy, R),
        fn("cross_entropy_i64", "(x: f32[B, 3], y: i64[B]) -> f32",
           "cross_entropy(x, y)", [F32(9, 3, lo=-30, hi=30), Int(9, lo=0, hi=3)],
           ref_cross_entropy, R),
        fn("cross_entropy_bad_label", "(x: f32[B, 4], y: i64[B]) -> f32",
           "cross_entropy(x, y)", [F32(3, 4), Int(3, lo=4, hi=6)],
           ref_cross_entropy, R),
        fn("cross_entropy_f16", "(x: f16[B, 5], y: i64[B]) -> f16",
           "cross_entropy(x, y)", [F16(4, 5), Int(4, lo=0, hi=5)],
           ref_cross_entropy),
        fn("mse", "(a: f32[B, 3], b: f32[B, 3]) -> f32", "mse(a, b)",
           [F32(4, 3), F32(4, 3)], F.mse_loss, R),
        fn("mse_f64", "(a: f64[2, 3, 4], b: f64[2, 3, 4]) -> f64",
           "mse(a, b)", [F64(2, 3, 4), F64(2, 3, 4)], F.mse_loss, R),
    ]


def matmul_cases():
    R = REDUCTION
    return [
        fn("mm", "(a: f32[B, 8], b: f32[8, 5]) -> f32[B, 5]", "a @ b",
           [F32(3, 8), F32(8, 5)], torch.matmul, R),
        fn("mm_dyn", "(a: f32[B, T], b: f32[T, C]) -> f32[B, C]", "a @ b",
           [F32(3, 7), F32(7, 2)], torch.matmul, R),
        fn("mm_rows", "(a: f32[B, 3, 8], b: f32[8, 5]) -> f32[B, 3, 5]",
           "a @ b", [F32(2, 3, 8), F32(8, 5)], torch.matmul, R),
        fn("mm_batch", "(a: f32[B, 2, 3, 4], b: f32[B, 2, 4, 5]) -> "
           "f32[B, 2, 3, 5]", "a @ b", [F32(2, 2, 3, 4), F32(2, 2, 4, 5)],
           torch.matmul, R),
        fn("mm_bcast", "(a: f32[2, 1, 3, 4], b: f32[3, 4, 5]) -> "
           "f32[2, 3, 3, 5]", "a @ b", [F32(2, 1, 3, 4), F32(3, 4, 5)],
           torch.matmul, R),
        fn("mm_lhs2d", "(a: f32[3, 4], b: f32[B, 4, 5]) -> f32[B, 3, 5]",
           "a @ b", [F32(3, 4), F32(2, 4, 5)], torch.matmul, R),
        fn("mm_units", "(a: f32[1, 3, 1], b: f32[1, 1, 5]) -> f32[1, 3, 5]",
           "a @ b", [F32(1, 3, 1), F32(1, 1, 5)], torch.matmul, R),
        fn("mm_f64", "(a: f64[B, 3, 6], b: f64[B, 6, 2]) -> f64[B, 3, 2]",
           "a @ b", [F64(4, 3, 6), F64(4, 6, 2)], torch.matmul, R),
        fn("mm_f16", "(a: f16[B, 16], b: f16[16, 4]) -> f16[B, 4]", "a @ b",
           [F16(3, 16), F16(16, 4)], torch.matmul),
        # Params share the model's namespace: prefix them.
        fn("dense_param", "(x: f32[B, 4]) -> f32[B, 3]",
           "relu(x @ p_w + p_b)", [F32(5, 4), F32(4, 3), F32(3)],
           lambda x, w, b: torch.relu(x @ w + b), R,
           params="param p_w: f32[4, 3] = zeros\n"
                  "  param p_b: f32[3] = zeros"),
    ]


def conv_cases():
    R = REDUCTION
    return [
        fn("conv_bias", "(x: f32[B, 2, 6, 6], w: f32[3, 2, 3, 3], b: f32[3]) "
           "-> f32[B, 3, 6, 6]", "conv2d(x, w, padding = 1, bias = b)",
           [F32(2, 2, 6, 6), F32(3, 2, 3, 3), F32(3)],
           lambda x, w, b: F.conv2d(x, w, b, padding=1), R),
        fn("conv_stride", "(x: f32[B, 2, 7, 6], w: f32[4, 2, 3, 2]) -> "
           "f32[B, 4, 4, 3]", "conv2d(x, w, stride = 2, padding = [1, 0])",
           [F32(2, 2, 7, 6), F32(4, 2, 3, 2)],
           lambda x, w: F.conv2d(x, w, stride=2, padding=(1, 0)), R),
        fn("conv_f64", "(x: f64[1, 1, 5, 5], w: f64[2, 1, 2, 2]) -> "
           "f64[1, 2, 4, 4]", "conv2d(x, w)", [F64(1, 1, 5, 5), F64(2, 1, 2, 2)],
           lambda x, w: F.conv2d(x, w), R),
        fn("conv_dyn_channels", "(x: f32[B, 2, 4, 4], w: f32[C, 2, 3, 3], "
           "b: f32[C]) -> f32[B, C, 2, 2]", "conv2d(x, w, bias = b)",
           [F32(2, 2, 4, 4), F32(3, 2, 3, 3), F32(3)],
           lambda x, w, b: F.conv2d(x, w, b), R),
        fn("pool_dyn_channels", "(x: f32[B, C, 4, 4]) -> f32[B, C, 2, 2]",
           "avg_pool2d(x, 2) + max_pool2d(x, 2)", [F32(2, 3, 4, 4)],
           lambda x: F.avg_pool2d(x, 2) + F.max_pool2d(x, 2), R),
        fn("maxpool", "(x: f32[B, 2, 6, 6]) -> f32[B, 2, 3, 3]",
           "max_pool2d(x, 2)", [F32(2, 2, 6, 6)],
           lambda x: F.max_pool2d(x, 2), R),
        fn("maxpool_pad", "(x: f32[B, 2, 5, 5]) -> f32[B, 2, 3, 3]",
           "max_pool2d(x, 3, stride = 2, padding = 1)",
           [F32(2, 2, 5, 5, lo=-9, hi=-1)],
           lambda x: F.max_pool2d(x, 3, stride=2, padding=1), R),
        fn("avgpool_pad", "(x: f32[B, 2, 5, 5]) -> f32[B, 2, 3, 3]",
           "avg_pool2d(x, 3, stride = 2, padding = 1)", [F32(2, 2, 5, 5)],
           lambda x: F.avg_pool2d(x, 3, stride=2, padding=1), R),
        fn("avgpool_rect", "(x: f32[1, 1, 6, 4]) -> f32[1, 1, 3, 2]",
           "avg_pool2d(x, [2, 2])", [F32(1, 1, 6, 4)],
           lambda x: F.avg_pool2d(x, (2, 2)), R),
    ]


def shape_cases():
    causal = lambda t: torch.triu(torch.ones(t, t, dtype=torch.bool), 1)  # noqa
    return [
        fn("transpose", "(x: f32[B, 3, 4]) -> f32[4, 3, B]",
           "transpose(x, 0, 2)", [F32(2, 3, 4)], lambda x: x.transpose(0, 2)),
        fn("permute", "(x: f32[B, 3, 4]) -> f32[4, B, 3]",
           "permute(x, [2, 0, 1])", [F32(2, 3, 4)],
           lambda x: x.permute(2, 0, 1)),
        fn("reshape_split", "(x: f32[B, 6]) -> f32[B, 2, 3]",
           "reshape(x, [B, 2, 3])", [F32(3, 6)],
           lambda x: x.reshape(-1, 2, 3)),
        fn("reshape_flat", "(x: f32[B, 2, 3]) -> f32[B*6]",
           "reshape(x, [-1])", [F32(3, 2, 3)], lambda x: x.reshape(-1)),
        fn("reshape_scalar", "(x: f32[1, 1]) -> f32", "reshape(x, [])",
           [F32(1, 1)], lambda x: x.reshape(())),
        fn("reshape_from_scalar", "(x: f32) -> f32[1, 1, 1]",
           "reshape(x, [1, 1, 1])", [F32()], lambda x: x.reshape(1, 1, 1)),
        fn("broadcast_to", "(x: f32[3, 1]) -> f32[2, 3, 4]",
           "broadcast_to(x, [2, 3, 4])", [F32(3, 1)],
           lambda x: x.broadcast_to(2, 3, 4)),
        fn("broadcast_dyn", "(x: f32[B, 1], y: f32[B, 4]) -> f32[B, 4]",
           "broadcast_to(x, [B, 4]) + 0 * y", [F32(3, 1), F32(3, 4)],
           lambda x, y: x.broadcast_to(y.shape) + 0 * y),
        fn("concat3", "(a: f32[B, 2], b: f32[B, 3], c: f32[B, 1]) -> f32[B, 6]",
           "concat([a, b, c], 1)", [F32(4, 2), F32(4, 3), F32(4, 1)],
           lambda a, b, c: torch.cat([a, b, c], 1)),
        fn("concat_dyn", "(a: f32[B, 3], b: f32[B, 3]) -> f32[2*B, 3]",
           "concat([a, b], 0)", [F32(2, 3), F32(2, 3)],
           lambda a, b: torch.cat([a, b], 0)),
        fn("slice", "(x: f32[B, 6]) -> f32[B, 3]", "slice(x, 1, 2, 5)",
           [F32(3, 6)], lambda x: x[:, 2:5]),
        fn("embedding", "(t: f32[10, 4], ids: i32[B, 3]) -> f32[B, 3, 4]",
           "embedding(t, ids)", [F32(10, 4), Int(2, 3, lo=-3, hi=13,
                                                  dtype="i32")],
           lambda t, ids: t[ids.clamp(0, 9).long()]),
        fn("embedding_dyn", "(t: f32[V, D], ids: i64[B]) -> f32[B, D]",
           "embedding(t, ids)", [F32(6, 3), Int(5, lo=-2, hi=8)],
           lambda t, ids: t[ids.clamp(0, 5)]),
        fn("one_hot", "(ids: i64[B]) -> i64[B, 5]", "one_hot(ids, 5)",
           [Int(6, lo=-1, hi=6)], lambda ids: ref_one_hot(ids, 5, torch.int64)),
        fn("one_hot_f32", "(ids: i32[B, 2]) -> f32[B, 2, 3]",
           "one_hot(ids, 3, dtype = f32)", [Int(2, 2, lo=0, hi=3, dtype="i32")],
           lambda ids: ref_one_hot(ids, 3, torch.float32)),
        fn("causal_static", "(x: f32) -> bool[4, 4]",
           "causal_mask(4) == (x == x)", [F32()],
           lambda x: causal(4) == (x == x)),
        fn("causal_dyn", "(x: f32[T, T]) -> bool[T, T]",
           "causal_mask(T) != (x != x)", [F32(5, 5)],
           lambda x: causal(x.shape[0]) != (x != x)),
    ]


def all_cases():
    return (elementwise_cases() + cast_cases() + reduction_cases() +
            normalization_cases() + matmul_cases() + conv_cases() +
            shape_cases())

