"""Cases that exercise fusion and kernel formation, for check_ops.py.

The op cases (test/lib/numerics/cases.py) are mostly one op each, so that the
fusion passes have little to fuse. These are small programs shaped like the
groups that `tc-fuse-elementwise` and `tc-form-kernels` build
(docs/codegen.md, "Fusion"): elementwise chains, producers fused into
reductions and row kernels, matmul prologues and epilogues, values with
several users, reshapes (views) between kernels, and reductions whose result
is broadcast back; and sizes larger than a block or a tile. Each still has
a PyTorch reference, and check_ops.py also
compares the fused program with the unfused one.
"""

import math

import torch
import torch.nn.functional as F

from numerics.cases import F32, F16, Int, REDUCTION, fn

R = REDUCTION


def causal(t):
    return torch.triu(torch.ones(t, t, dtype=torch.bool), 1)


def elementwise_chains():
    return [
        fn("fuse_chain", "(x: f32[B, 7], b: f32[7]) -> f32[B, 7]",
           "sigmoid(exp(x * 0.5 + b) - 1.0) * tanh(x)",
           [F32(5, 7), F32(7)],
           lambda x, b: torch.sigmoid(torch.exp(x * 0.5 + b) - 1.0) *
           torch.tanh(x)),
        fn("fuse_two_users", "(x: f32[B, 6]) -> f32[B, 6]",
           "let e = exp(x) + 1.0\n  return e * e - log(e)",
           [F32(3, 6)], lambda x: (torch.exp(x) + 1) ** 2 -
           torch.log(torch.exp(x) + 1)),
        fn("fuse_transpose_add", "(x: f32[B, 4], y: f32[4, B]) -> f32[B, 4]",
           "relu(x + transpose(y, 0, 1)) * 2.0",
           [F32(3, 4), F32(4, 3)],
           lambda x, y: torch.relu(x + y.t()) * 2.0),
        fn("fuse_where_cmp", "(x: f32[B, 5], y: f32[B, 5]) -> f32[B, 5]",
           "where(x > y, x - y, exp(y - x))", [F32(4, 5), F32(4, 5)],
           lambda x, y: torch.where(x > y, x - y, torch.exp(y - x))),
        fn("fuse_cast_chain", "(x: f16[B, 8]) -> f32[B, 8]",
           "cast(x * x, f32) + 1.0", [F16(3, 8)],
           lambda x: (x.half() * x.half()).float() + 1.0),
        fn("fuse_int_chain", "(a: i32[B, 5], b: i32[5]) -> i64[B, 5]",
           "cast(a * b + 3, i64) - 1", [Int(3, 5, dtype="i32"),
                                        Int(5, dtype="i32")],
           lambda a, b: (a * b + 3).long() - 1),
        fn("fuse_concat_slice", "(a: f32[B, 3], b: f32[B, 5]) -> f32[B, 6]",
           "concat([exp(a), slice(b * 2.0, 1, 1, 4)], 1) + 1.0",
           [F32(3, 3), F32(3, 5)],
           lambda a, b: torch.cat([torch.exp(a), (b * 2)[:, 1:4]], 1) + 1),
        fn("fuse_embedding", "(t: f32[9, 4], ids: i64[B, 3], p: f32[3, 4]) "
           "-> f32[B, 3, 4]", "embedding(t, ids) * 2.0 + p",
           [F32(9, 4), Int(2, 3, lo=0, hi=9), F32(3, 4)],
           lambda t, ids, p: t[ids] * 2 + p),
    ]


def reductions():
    return [
        fn("fuse_sum_of_product", "(x: f32[B, 9], y: f32[B, 9]) -> f32[B]",
           "sum(exp(x) * y, 1)", [F32(4, 9), F32(4, 9)],
           lambda x, y: (torch.exp(x) * y).sum(1), R),
        fn("fuse_column_sum", "(x: f32[B, 6]) -> f32[6]",
           "mean(relu(x), 0) * 2.0 + 1.0", [F32(5, 6)],
           lambda x: torch.relu(x).mean(0) * 2 + 1, R),
        fn("fuse_sub_max", "(x: f32[B, 8]) -> f32[B, 8]",
           "x - max(x, -1, keepdim = true)", [F32(3, 8)],
           lambda x: x - x.amax(-1, keepdim=True), R),
        fn("fuse_manual_softmax", "(x: f32[B, 7]) -> f32[B, 7]",
           "let e = exp(x - max(x, 1, keepdim = true))\n"
           "  return e / sum(e, 1, keepdim = true)", [F32(4, 7, lo=-9, hi=9)],
           lambda x: F.softmax(x, 1), R),
        fn("fuse_sum_transposed", "(x: f32[B, 3, 5]) -> f32[B, 5]",
           "sum(transpose(x, 1, 2) * 3.0, -1)", [F32(2, 3, 5)],
           lambda x: (x.transpose(1, 2) * 3).sum(-1), R),
        fn("fuse_sum_all", "(x: f32[B, 4, 3]) -> f32",
           "sum(x * x) / 2.0", [F32(3, 4, 3)], lambda x: (x * x).sum() / 2,
           R),
        fn("fuse_argmax_plus", "(x: f32[B, 6]) -> f32[B]",
           "cast(argmax(x * 2.0, 1), f32) + sum(x, 1)", [F32(5, 6)],
           lambda x: (x * 2).argmax(1).float() + x.sum(1), R),
    ]


def rows():
    return [
        fn("fuse_softmax_producer", "(x: f32[B, 5, 6], m: f32[6]) -> "
           "f32[B, 5, 6]", "softmax(x * 0.5 + m, -1) * 2.0",
           [F32(2, 5, 6), F32(6)],
           lambda x, m: F.softmax(x * 0.5 + m, -1) * 2, R),
        fn("fuse_layernorm_residual", "(x: f32[B, 8], r: f32[B, 8], "
           "g: f32[8], b: f32[8]) -> f32[B, 8]",
           "layernorm(x + r, g, b) + x",
           [F32(3, 8), F32(3, 8), F32(8), F32(8)],
           lambda x, r, g, b: F.layer_norm(x + r, (8,), g, b) + x, R),
        fn("fuse_log_softmax_mean", "(x: f32[B, 10]) -> f32",
           "mean(log_softmax(x * 3.0, -1))", [F32(4, 10)],
           lambda x: F.log_softmax(x * 3, -1).mean(), R),
        fn("fuse_rmsnorm_gelu", "(x: f32[B, 6], g: f32[6]) -> f32[B, 6]",
           "gelu(rmsnorm(x * 2.0, g))", [F32(3, 6), F32(6)],
           lambda x, g: F.gelu(x * 2 * torch.rsqrt(
               (4 * x * x).mean(-1, keepdim=True) + 1e-6) * g), R),
        fn("fuse_cross_entropy_logits", "(x: f32[B, 4], w: f32[4, 5], "
           "b: f32[5], y: i32[B]) -> f32", "cross_entropy(x @ w + b, y)",
           [F32(6, 4), F32(4, 5), F32(5), Int(6, lo=0, hi=5, dtype="i32")],
           lambda x, w, b, y: F.cross_entropy(x @ w + b, y.long()), R),
        fn("fuse_mse_chain", "(a: f32[B, 3], b: f32[B, 3]) -> f32",
           "mse(exp(a), b * 2.0) + 1.0", [F32(4, 3), F32(4, 3)],
           lambda a, b: F.mse_loss(torch.exp(a), b * 2) + 1, R),
    ]


def contractions():
    return [
        fn("fuse_dense_gelu", "(x: f32[B, 6], w: f32[6, 5], b: f32[5]) -> "
           "f32[B, 5]", 'gelu(x @ w + b, approximate = "tanh")',
           [F32(3, 6), F32(6, 5), F32(5)],
           lambda x, w, b: F.gelu(x @ w + b, approximate="tanh"), R),
        fn("fuse_prologue_transpose", "(x: f32[B, 6], w: f32[5, 6]) -> "
           "f32[B, 5]", "(x * 2.0) @ transpose(w, 0, 1)",
           [F32(3, 6), F32(5, 6)], lambda x, w: (x * 2) @ w.t(), R),
        fn("fuse_residual_mlp", "(x: f32[B, 4], w1: f32[4, 8], "
           "w2: f32[8, 4]) -> f32[B, 4]", "x + relu(x @ w1) @ w2",
           [F32(5, 4), F32(4, 8), F32(8, 4)],
           lambda x, w1, w2: x + torch.relu(x @ w1) @ w2, R),
        fn("fuse_attention", "(q: f32[B, 2, T, 4], k: f32[B, 2, T, 4], "
           "v: f32[B, 2, T, 4]) -> f32[B, 2, T, 4]",
           "softmax(masked_fill(q @ transpose(k, -2, -1) * 0.5, "
           "causal_mask(T), -inf), -1) @ v",
           [F32(2, 2, 5, 4), F32(2, 2, 5, 4), F32(2, 2, 5, 4)],
           lambda q, k, v: F.softmax((q @ k.transpose(-2, -1) * 0.5)
                                     .masked_fill(causal(q.shape[2]),
                                                  -math.inf), -1) @ v, R),
        fn("fuse_heads", "(x: f32[B, 3, 8], w: f32[8, 8]) -> f32[B, 2, 3, 4]",
           "permute(reshape(x @ w, [B, 3, 2, 4]), [0, 2, 1, 3]) * 2.0",
           [F32(2, 3, 8), F32(8, 8)],
           lambda x, w: (x @ w).reshape(-1, 3, 2, 4).permute(0, 2, 1, 3) * 2,
           R),
        fn("fuse_conv_relu_pool", "(x: f32[B, 2, 6, 6], w: f32[3, 2, 3, 3], "
           "b: f32[3]) -> f32[B, 3, 3, 3]",
           "max_pool2d(relu(conv2d(x, w, padding = 1, bias = b)), 2)",
           [F32(2, 2, 6, 6), F32(3, 2, 3, 3), F32(3)],
           lambda x, w, b: F.max_pool2d(torch.relu(
               F.conv2d(x, w, b, padding=1)), 2), R),
        fn("fuse_flatten_dense", "(x: f32[B, 2, 3, 3], w: f32[18, 4]) -> "
           "f32[B, 4]", "relu(reshape(x * 2.0, [B, 18]) @ w)",
           [F32(3, 2, 3, 3), F32(18, 4)],
           lambda x, w: torch.relu((x * 2).reshape(-1, 18) @ w), R),
    ]


def views():
    return [
        # Found by random_models.py: the shifted one-hot (used by the mean,
        # the variance and the normalization) was fused into the variance
        # with its result kept as a second output, and then the one-hot
        # (no input spans the classes) too: the only operand left to size
        # the class loop was that output's tensor.empty.
        fn("fuse_layernorm_of_one_hot", "(ids: i32[B, 3], g: f32[2], "
           "b: f32[2]) -> f32[B, 3, 2]",
           "layernorm(one_hot(ids, 2, dtype = f32) + 0.25, g, b)",
           [Int(2, 3, lo=0, hi=2, dtype="i32"), F32(2), F32(2)],
           lambda ids, g, b: F.layer_norm(
               F.one_hot(ids.long(), 2).float() + 0.25, (2,), g, b), R),
        # Found by random_models.py: fusing the cast into the mean while the
        # tanh (already fused) was dead but not erased gave the mean a second,
        # full-size output that the reduction emitter could not compute.
        fn("fuse_mean_of_sliced_f64", "(x: f32[5, 13, 2]) -> f64",
           "mean(tanh(cast(slice(x, 0, 4, 5), f64)))", [F32(5, 13, 2)],
           lambda x: torch.tanh(x[4:5].double()).mean(), R),
        # Found by random_models.py: the reduction is read directly and
        # through a reshape that the concat's payload extracts from; fusing
        # the two made a kernel that read a view of its own result (an IR
        # that does not verify).
        fn("fuse_reduce_view_concat", "(a: f32[B, 4], b: f32[5]) -> f32[6]",
           "let m = min(a)\n  return concat([reshape(m, [1]), b], -1) + m",
           [F32(3, 4), F32(5)],
           lambda a, b: torch.cat([a.amin().reshape(1), b]) + a.amin(), R),
        # A reshape that collapses B into a product, consumed by a kernel.
        fn("fuse_collapse_then_scale", "(x: f32[B, 2, 3]) -> f32[B*6]",
           "reshape(x, [B*6]) * 2.0", [F32(3, 2, 3)],
           lambda x: x.reshape(-1) * 2),
        fn("fuse_split_then_sum", "(x: f32[B, 6]) -> f32[B, 2]",
           "sum(reshape(exp(x), [B, 2, 3]), -1)", [F32(3, 6)],
           lambda x: torch.exp(x).reshape(-1, 2, 3).sum(-1), R),
        fn("fuse_reshape_rows", "(x: f32[B, 4, 3], v: i32[B, 4]) -> f32",
           "cross_entropy(reshape(x, [B*4, 3]), reshape(v, [B*4]))",
           [F32(2, 4, 3), Int(2, 4, lo=0, hi=3, dtype="i32")],
           lambda x, v: F.cross_entropy(x.reshape(-1, 3),
                                        v.reshape(-1).long()), R),
    ]


def f64(ref):
    """`ref` computed in float64: long reductions are checked against the
    exact sum, not against PyTorch's float32 rounding errors."""
    return lambda *xs: ref(*[x.double() if x.is_floating_point() else x
                             for x in xs])


def large():
    """Rows, reductions and products longer than a block or a tile, with odd
    sizes, so that the tiled loops run several times and have remainders.
    The lengths keep the f32 rounding error of a sequential sum well inside
    the tolerance (see tile_sum_cancel_16k for a longer one)."""
    return [
        fn("tile_softmax_long", "(x: f32[B, 1000]) -> f32[B, 1000]",
           "softmax(x * 4.0, -1)", [F32(3, 1000)],
           f64(lambda x: F.softmax(x * 4, -1)), R),
        fn("tile_layernorm_odd", "(x: f32[B, 515], g: f32[515], b: f32[515]) "
           "-> f32[B, 515]", "layernorm(x, g, b)",
           [F32(3, 515, lo=2, hi=5), F32(515), F32(515)],
           f64(lambda x, g, b: F.layer_norm(x, (515,), g, b)), R),
        fn("tile_sum_long", "(x: f32[B, 515]) -> f32[B]", "sum(x, 1)",
           [F32(3, 515)], f64(lambda x: x.sum(1)), R),
        fn("tile_column_mean", "(x: f32[B, 130]) -> f32[130]", "mean(x, 0)",
           [F32(300, 130)], f64(lambda x: x.mean(0)), R),
        fn("tile_mm_odd", "(a: f32[B, 161], b: f32[161, 67], c: f32[67]) -> "
           "f32[B, 67]", "relu(a @ b + c)",
           [F32(45, 161), F32(161, 67), F32(67)],
           f64(lambda a, b, c: torch.relu(a @ b + c)), R),
        fn("tile_bmm_odd", "(a: f32[B, 33, 129], b: f32[B, 129, 65]) -> "
           "f32[B, 33, 65]", "a @ b", [F32(3, 33, 129), F32(3, 129, 65)],
           f64(torch.matmul), R),
        fn("tile_conv_odd", "(x: f32[B, 3, 17, 15], w: f32[5, 3, 3, 3]) -> "
           "f32[B, 5, 9, 8]", "conv2d(x, w, stride = 2, padding = 1)",
           [F32(2, 3, 17, 15), F32(5, 3, 3, 3)],
           f64(lambda x, w: F.conv2d(x, w, stride=2, padding=1)), R),
        fn("tile_cross_entropy_wide", "(x: f32[B, 1001], y: i64[B]) -> f32",
           "cross_entropy(x, y)", [F32(7, 1001, lo=-8, hi=8),
                                   Int(7, lo=0, hi=1001)],
           f64(lambda x, y: F.cross_entropy(x, y)), R),
        # The exact sum is 0, so the metric measures the absolute rounding
        # error of the sum; a single f32 accumulator is off by ~1e-4 to 1e-3
        # here, blocks of 256 added plainly by up to ~1e-4, the CPU backend's
        # blocks with compensated block sums (KernelContext's CompensatedSum)
        # and the GPU's tree of partial sums by ~1e-5 or less.
        fn("tile_sum_cancel_16k", "(v: f32[B, 8192]) -> f32[B]",
           "sum(concat([v, -v], 1), 1)", [F32(3, 8192)],
           f64(lambda v: torch.cat([v, -v], 1).sum(1)), 2e-5),
    ]


def fusion_cases():
    return (elementwise_chains() + reductions() + rows() + contractions() +
            views() + large())
