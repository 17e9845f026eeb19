"""The op cases of check_grads.py: one tiny model per differentiable op
(and variant), with the PyTorch function it must match, and the random
values they are drawn from (away from points where the op is not
differentiable)."""

import math
import re

import numpy as np
import torch
import torch.nn.functional as F

# Sizes of `dim B` each case runs with (the first also runs the finite
# differences).
BATCHES = (3, 1, 5)

# ----------------------------------------------------------------------------
# Random values
# ----------------------------------------------------------------------------

def gen(kind, rng, shape):
    """float64 values (or ints) of one of these kinds:
    normal, small (N(0, 0.5)), pos (U[0.5, 2]), away (|x| in [0.2, 1.5]),
    int:N (integers in [0, N)), ties (few values), and distinct (a shuffled
    ramp over [-1, 1): no ties, and both signs, so masks are mixed)."""
    return np.asarray(_gen(kind, rng, shape), dtype=np.float64)


def _gen(kind, rng, shape):
    if kind == "normal":
        return rng.standard_normal(shape)
    if kind == "small":
        return 0.5 * rng.standard_normal(shape)
    if kind == "pos":
        return rng.uniform(0.5, 2.0, shape)
    if kind == "away":
        return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.2, 1.5, shape)
    if kind.startswith("int:"):
        return rng.integers(0, int(kind[4:]), shape).astype(np.float64)
    if kind == "ties":  # few distinct values: windows hold equal maxima
        return rng.choice([-1.0, 0.5, 1.0, 2.0], shape)
    if kind == "distinct":
        n = int(np.prod(shape))
        ramp = (np.arange(n) - n / 2) * (2.0 / max(n, 1))
        return rng.permutation(ramp).reshape(shape) + \
            rng.uniform(0, 0.2 / max(n, 1), shape)
    raise ValueError(kind)


# ----------------------------------------------------------------------------
# Cases
# ----------------------------------------------------------------------------

class Case:
    """`expr` is the op in .tdsl with `{p}` for each param p; `ref(p, i)`
    computes it with torch from dicts of tensors. `params`: name ->
    (shape, kind); `inputs`: name -> (type, dims, kind) where type is F (the
    model's float type), G (the other float type), i32, i64 or bool, and
    dims may hold "B". `out`: the dims of the op's result, or None when the
    op is a scalar loss itself; `out_type` its float type (F or G)."""

    def __init__(self, name, expr, ref, params, inputs, out=None,
                 out_type="F", fd=True, batches=BATCHES):
        self.name, self.expr, self.ref = name, expr, ref
        self.batches = batches
        self.params, self.inputs, self.out = params, inputs, out
        self.out_type, self.fd = out_type, fd
        if out is not None:
            self.inputs = dict(inputs, rw=(out_type, out, "normal"))

    @property
    def uses_b(self):
        return any("B" in str(d) for _, dims, _ in self.inputs.values()
                   for d in dims)


def X(dims, kind="normal"):
    return ("F", dims, kind)


def P(*shape, kind="normal"):
    return (tuple(shape), kind)


def add_cases(cases):
    """+ - * / with broadcasting (size-1 dims, missing leading dims)."""
    x3 = {"x": X(["B", 4, 3])}
    cases += [
        Case("add_bcast", "{u} + x + {w}", lambda p, i: p["u"] + i["x"] + p["w"],
             {"u": P(4, 1), "w": P(3)}, x3, ["B", 4, 3]),
        Case("add_param_stretches_input", "x + {w}",
             lambda p, i: i["x"] + p["w"], {"w": P(4, 3)},
             {"x": X(["B", 1, 3])}, ["B", 4, 3]),
        Case("add_param_stretches_b", "x + {w}",
             lambda p, i: i["x"] + p["w"], {"w": P(1, 3)}, {"x": X(["B", 3])},
             ["B", 3]),
        Case("add_scalar_param", "x + {c}", lambda p, i: i["x"] + p["c"],
             {"c": P()}, x3, ["B", 4, 3]),
        Case("sub_bcast", "{u} - x - {w}",
             lambda p, i: p["u"] - i["x"] - p["w"],
             {"u": P(4, 1), "w": P(1, 3)}, x3, ["B", 4, 3]),
        Case("mul_bcast", "{u} * x * {w}",
             lambda p, i: p["u"] * i["x"] * p["w"],
             {"u": P(4, 1), "w": P(3)}, x3, ["B", 4, 3]),
        Case("mul_params_outer", "{u} * {w} * x",
             lambda p, i: p["u"] * p["w"] * i["x"],
             {"u": P(4, 1), "w": P(1, 3)}, x3, ["B", 4, 3]),
        Case("mul_same_param", "{w} * {w} * x",
             lambda p, i: p["w"] * p["w"] * i["x"], {"w": P(3)}, x3,
             ["B", 4, 3]),
        Case("div_lhs", "{u} / x", lambda p, i: p["u"] / i["x"],
             {"u": P(4, 1)}, {"x": X(["B", 4, 3], "away")}, ["B", 4, 3]),
        Case("div_rhs", "x / {w}", lambda p, i: i["x"] / p["w"],
             {"w": P(3, kind="away")}, x3, ["B", 4, 3]),
        Case("div_both", "({u} / {w}) * x",
             lambda p, i: p["u"] / p["w"] * i["x"],
             {"u": P(4, 1), "w": P(1, 3, kind="away")}, x3, ["B", 4, 3]),
    ]


def unary_cases(cases):
    """Elementwise functions of `{w} * x` (or of the param alone)."""
    x3 = {"x": X(["B", 4, 3])}
    out = ["B", 4, 3]
    mask = X(["B", 4, 3], "distinct")    # both signs: a mixed mask
    mask_41 = X([4, 1], "distinct")

    def of_product(name, tdsl, ref, wkind="small", xkind="normal"):
        cases.append(Case(name, tdsl.format(a="{w} * x"),
                          lambda p, i: ref(p["w"] * i["x"]),
                          {"w": P(4, 3, kind=wkind)},
                          {"x": X(["B", 4, 3], xkind)}, out))

    def of_param(name, tdsl, ref, kind):
        cases.append(Case(name, tdsl.format(a="{w}") + " * x",
                          lambda p, i: ref(p["w"]) * i["x"],
                          {"w": P(4, 3, kind=kind)}, x3, out))

    of_param("neg", "-{a}", torch.neg, "normal")
    of_param("abs", "abs({a})", torch.abs, "away")
    of_product("exp", "exp({a})", torch.exp)
    of_param("log", "log({a})", torch.log, "pos")
    of_param("sqrt", "sqrt({a})", torch.sqrt, "pos")
    of_param("rsqrt", "rsqrt({a})", torch.rsqrt, "pos")
    of_product("tanh", "tanh({a})", torch.tanh, "normal")
    of_product("sigmoid", "sigmoid({a})", torch.sigmoid, "normal")
    of_product("relu", "relu({a})", torch.relu, "away", "away")
    of_product("silu", "silu({a})", F.silu, "normal")
    of_product("gelu_erf", "gelu({a})", F.gelu, "normal")
    of_product("gelu_tanh", 'gelu({a}, approximate = "tanh")',
               lambda v: F.gelu(v, approximate="tanh"), "normal")
    for e, kind in ((2, "normal"), (3, "normal"), (2.5, "pos"), (0.5, "pos"),
                    (-1.5, "pos")):
        name = f"pow_{e}".replace(".", "_").replace("-", "m")
        of_param(name, f"pow({{a}}, {e})",
                 lambda v, e=e: torch.pow(v, e), kind)
    cases.append(Case("cast", "cast({w}, G) * y",
                      lambda p, i: p["w"] * i["y"], {"w": P(4, 3)},
                      {"y": ("G", ["B", 4, 3], "normal")}, out,
                      out_type="G", fd=False))
    cases.append(Case("masked_fill", "masked_fill({w} * x, m > 0, 0.5)",
                      lambda p, i: (p["w"] * i["x"]).masked_fill(i["m"] > 0,
                                                                 0.5),
                      {"w": P(4, 3)}, dict(x3, m=mask), out))
    cases.append(Case("masked_fill_bcast_mask",
                      "masked_fill({w} * x, m > 0, -1)",
                      lambda p, i: (p["w"] * i["x"]).masked_fill(i["m"] > 0,
                                                                 -1.0),
                      {"w": P(4, 3)}, dict(x3, m=mask_41), out))
    cases.append(Case("where", "where(m > 0, {w} * x, {v})",
                      lambda p, i: torch.where(i["m"] > 0, p["w"] * i["x"],
                                               p["v"]),
                      {"w": P(4, 3), "v": P(3)}, dict(x3, m=mask),
                      out))
    cases.append(Case("where_bcast_cond", "where(m > 0, x, {w})",
                      lambda p, i: torch.where(i["m"] > 0, i["x"], p["w"]),
                      {"w": P(1, 3)}, dict(x3, m=mask_41), out))


def reduction_cases(cases):
    """sum/mean/max/min over axes (with keepdim), softmax, log_softmax."""
    x3 = {"x": X(["B", 4, 3], "distinct")}
    wx = lambda p, i: p["w"] * i["x"]  # noqa: E731
    w = {"w": P(4, 3, kind="pos")}
    red = {"sum": torch.sum, "mean": torch.mean, "max": torch.amax,
           "min": torch.amin}

    def reduce(op, axes, keepdim, out):
        args = "" if axes is None else f", {axes}"
        if keepdim:
            args += ", keepdim = true"
        name = f"{op}_{'all' if axes is None else axes}"
        name = re.sub(r"[^\w]+", "_", name).strip("_") + ("_keep" if keepdim
                                                          else "")

        def ref(p, i):
            v = wx(p, i)
            if axes is None:
                return red[op](v)
            return red[op](v, dim=axes, keepdim=keepdim)
        cases.append(Case(name, f"{op}({{w}} * x{args})", ref, w, x3, out))

    for op in ("sum", "mean", "max", "min"):
        reduce(op, 1, False, ["B", 3])
        reduce(op, [0, 2], True, [1, 4, 1])
        reduce(op, None, False, [])
    reduce("sum", -1, True, ["B", 4, 1])
    reduce("mean", 0, False, [4, 3])
    reduce("max", [1, 2], False, ["B"])
    reduce("min", 0, True, [1, 4, 3])
    for fn, ref in (("softmax", F.softmax), ("log_softmax", F.log_softmax)):
        for axis in (-1, 1, 0):
            cases.append(Case(f"{fn}_{axis}".replace("-", "m"),
                              f"{fn}({{w}} * x, {axis})",
                              lambda p, i, ref=ref, axis=axis:
                                  ref(wx(p, i), axis),
                              {"w": P(4, 3)}, {"x": X(["B", 4, 3])},
                              ["B", 4, 3],
                              # over B = 1 the result is constant
                              batches=(3, 2, 5) if axis == 0 else BATCHES))
    mask = torch.triu(torch.ones(4, 4, dtype=torch.bool), 1)
    cases.append(Case("softmax_causal",
                      "softmax(masked_fill({w} * x, causal_mask(4), -inf), -1)",
                      lambda p, i: F.softmax((p["w"] * i["x"]).masked_fill(
                          mask, -math.inf), -1),
                      {"w": P(4, 4)}, {"x": X(["B", 4, 4])}, ["B", 4, 4]))


def norm_loss_cases(cases):
    """layernorm, rmsnorm, cross_entropy, mse."""
    x3 = {"x": X(["B", 4, 3])}
    out = ["B", 4, 3]
    cases += [
        Case("layernorm", "layernorm(x * {s}, {g}, {b})",
             lambda p, i: F.layer_norm(i["x"] * p["s"], (3,), p["g"], p["b"]),
             {"s": P(3), "g": P(3), "b": P(3)}, x3, out),
        Case("layernorm_2d_eps", "layernorm(x * {s}, {g}, {b}, eps = 0.001)",
             lambda p, i: F.layer_norm(i["x"] * p["s"], (4, 3), p["g"],
                                       p["b"], eps=1e-3),
             {"s": P(3), "g": P(4, 3), "b": P(4, 3)}, x3, out),
        Case("rmsnorm", "rmsnorm(x * {s}, {g})",
             lambda p, i: rms_norm(i["x"] * p["s"], p["g"], 1, 1e-6),
             {"s": P(3), "g": P(3)}, x3, out),
        Case("rmsnorm_2d_eps", "rmsnorm(x * {s}, {g}, eps = 0.01)",
             lambda p, i: rms_norm(i["x"] * p["s"], p["g"], 2, 1e-2),
             {"s": P(3), "g": P(4, 3)}, x3, out),
        Case("cross_entropy", "cross_entropy(x @ {w} + {b}, y)",
             lambda p, i: F.cross_entropy(i["x"] @ p["w"] + p["b"], i["y"]),
             {"w": P(5, 4), "b": P(4)},
             {"x": X(["B", 5]), "y": ("i32", ["B"], "int:4")}),
        Case("cross_entropy_i64", "cross_entropy({w} * x, y)",
             lambda p, i: F.cross_entropy(p["w"] * i["x"], i["y"]),
             {"w": P(6)}, {"x": X(["B", 6]), "y": ("i64", ["B"], "int:6")}),
        Case("mse", "mse(x @ {w}, t)",
             lambda p, i: F.mse_loss(i["x"] @ p["w"], i["t"]),
             {"w": P(5, 4)}, {"x": X(["B", 5]), "t": X(["B", 4])}),
        Case("mse_both_active", "mse({u} * x, {v} * x)",
             lambda p, i: F.mse_loss(p["u"] * i["x"], p["v"] * i["x"]),
             {"u": P(4, 3), "v": P(3)}, x3),
    ]


def rms_norm(x, g, trailing, eps):
    axes = tuple(range(-trailing, 0))
    return x * torch.rsqrt((x * x).mean(axes, keepdim=True) + eps) * g


def shape_cases(cases):
    """transpose, permute, reshape, broadcast_to, concat, slice, embedding."""
    x3 = {"x": X(["B", 4, 3])}
    wx = lambda p, i: p["w"] * i["x"]  # noqa: E731
    w = {"w": P(4, 3)}
    cases += [
        Case("transpose", "transpose({w} * x, 0, 2)",
             lambda p, i: wx(p, i).transpose(0, 2), w, x3, [3, 4, "B"]),
        Case("transpose_param", "transpose({w}, 0, 1) * x",
             lambda p, i: p["w"].t() * i["x"], {"w": P(3, 4)}, x3,
             ["B", 4, 3]),
        Case("permute", "permute({w} * x, [2, 0, 1])",
             lambda p, i: wx(p, i).permute(2, 0, 1), w, x3, [3, "B", 4]),
        Case("reshape", "reshape({w} * x, [B, 12])",
             lambda p, i: wx(p, i).reshape(-1, 12), w, x3, ["B", 12]),
        Case("reshape_product_dim", "reshape({w} * x, [B*4, 3])",
             lambda p, i: wx(p, i).reshape(-1, 3), w, x3, ["B*4", 3]),
        Case("reshape_param_infer", "reshape({w}, [-1, 3]) * x",
             lambda p, i: p["w"].reshape(-1, 3) * i["x"], {"w": P(2, 6)}, x3,
             ["B", 4, 3]),
        Case("broadcast_to", "broadcast_to({w}, [B, 4, 3]) * x",
             lambda p, i: p["w"].expand(i["x"].shape) * i["x"],
             {"w": P(4, 1)}, x3, ["B", 4, 3]),
        Case("concat_last", "concat([x, {w} * x], 2)",
             lambda p, i: torch.cat([i["x"], wx(p, i)], 2), w, x3,
             ["B", 4, 6]),
        Case("concat_params", "concat([{u}, {v}, {u}], 0) * x",
             lambda p, i: torch.cat([p["u"], p["v"], p["u"]], 0) * i["x"],
             {"u": P(1, 3), "v": P(2, 3)}, x3, ["B", 4, 3]),
        Case("slice_middle", "slice({w} * x, 1, 1, 3)",
             lambda p, i: wx(p, i)[:, 1:3], w, x3, ["B", 2, 3]),
        Case("slice_param", "slice({w}, 0, 2, 5) * x",
             lambda p, i: p["w"][2:5] * i["x"], {"w": P(6, 3)},
             {"x": X(["B", 3, 3])}, ["B", 3, 3]),
        Case("slice_last", "slice({w} * x, -1, 0, 2)",
             lambda p, i: wx(p, i)[..., 0:2], w, x3, ["B", 4, 2]),
        Case("embedding", "embedding({t}, ids)",
             lambda p, i: p["t"][i["ids"]], {"t": P(7, 3)},
             {"ids": ("i32", ["B", 5], "int:7")}, ["B", 5, 3]),
        Case("embedding_i64_1d", "embedding({t}, ids)",
             lambda p, i: p["t"][i["ids"]], {"t": P(4, 2)},
             {"ids": ("i64", ["B"], "int:4")}, ["B", 2]),
    ]


def matmul_cases(cases):
    """2-D, batched, shared weight, broadcast batch dims."""
    def mm(a, b):
        return lambda p, i: {**p, **i}[a] @ {**p, **i}[b]
    cases += [
        Case("matmul_2d", "(x @ {a}) @ {b}",
             lambda p, i: i["x"] @ p["a"] @ p["b"],
             {"a": P(4, 5), "b": P(5, 3)}, {"x": X(["B", 4])}, ["B", 3]),
        Case("matmul_params", "{a} @ {b}", mm("a", "b"),
             {"a": P(3, 4), "b": P(4, 5)}, {}, [3, 5]),
        Case("matmul_shared_weight", "x @ {w}", mm("x", "w"),
             {"w": P(5, 3)}, {"x": X(["B", 4, 5])}, ["B", 4, 3]),
        Case("matmul_batched", "x @ {w}", mm("x", "w"), {"w": P(2, 5, 3)},
             {"x": X(["B", 2, 4, 5])}, ["B", 2, 4, 3]),
        Case("matmul_bcast_size1", "x @ {w}", mm("x", "w"), {"w": P(2, 5, 3)},
             {"x": X(["B", 1, 4, 5])}, ["B", 2, 4, 3]),
        Case("matmul_lhs_param", "{w} @ x", mm("w", "x"), {"w": P(4, 5)},
             {"x": X(["B", 5, 3])}, ["B", 4, 3]),
        Case("matmul_lhs_param_bcast", "{w} @ x", mm("w", "x"),
             {"w": P(1, 4, 5)}, {"x": X(["B", 2, 5, 3])}, ["B", 2, 4, 3]),
        Case("matmul_both_batched", "({u} * x) @ {w}",
             lambda p, i: (p["u"] * i["x"]) @ p["w"],
             {"u": P(1, 4, 5), "w": P(2, 5, 3)}, {"x": X(["B", 2, 4, 5])},
             ["B", 2, 4, 3]),
    ]


def conv_cases(cases):
    """conv2d (stride 1, 2; padding 0, 1; bias or not), the poolings. The
    input is `x * {s}` so that the input gradients are checked too."""
    def conv(name, h, w_shape, stride, padding, bias, out_hw):
        opts = ""
        if stride != 1:
            opts += f", stride = {stride}"
        if padding != 0:
            opts += f", padding = {padding}"
        if bias:
            opts += ", bias = {c}"
        params = {"s": P(2, 1, 1), "w": P(*w_shape)}
        if bias:
            params["c"] = P(w_shape[0])
        cases.append(Case(
            name, f"conv2d(x * {{s}}, {{w}}{opts})",
            lambda p, i: F.conv2d(i["x"] * p["s"], p["w"], p.get("c"),
                                  stride=stride, padding=padding),
            params, {"x": X(["B", 2, h, h])}, ["B", w_shape[0]] + out_hw))

    conv("conv2d_s1_p0_bias", 7, (3, 2, 3, 3), 1, 0, True, [5, 5])
    conv("conv2d_s1_p1", 7, (3, 2, 3, 3), 1, 1, False, [7, 7])
    conv("conv2d_s2_p0", 7, (3, 2, 3, 3), 2, 0, False, [3, 3])
    conv("conv2d_s2_p1_bias", 7, (3, 2, 3, 3), 2, 1, True, [4, 4])
    conv("conv2d_s2_p0_uneven", 6, (3, 2, 3, 3), 2, 0, True, [2, 2])
    conv("conv2d_rect", 7, (3, 2, 3, 2), [2, 1], [1, 0], True, [4, 6])

    def pool(name, fn, h, kernel, stride, padding, out_hw):
        opts = f", {kernel}"
        if stride is not None:
            opts += f", stride = {stride}"
        if padding:
            opts += f", padding = {padding}"
        ref = F.max_pool2d if fn == "max_pool2d" else F.avg_pool2d
        cases.append(Case(
            name, f"{fn}(x * {{s}}{opts})",
            lambda p, i: ref(i["x"] * p["s"], kernel, stride, padding),
            {"s": P(2, 1, 1, kind="pos")}, {"x": X(["B", 2, h, h], "distinct")},
            ["B", 2] + out_hw))

    # Ties: PyTorch sends a window's gradient to its first maximum (finite
    # differences mean nothing there).
    for name, h, kernel, stride, padding, out_hw in (
            ("max_pool2d_ties_k2", 6, 2, None, 0, [3, 3]),
            ("max_pool2d_ties_k3_s2_p1", 7, 3, 2, 1, [4, 4]),
            ("max_pool2d_ties_k3_s1", 5, 3, 1, 0, [3, 3])):
        cases.append(Case(
            name, f"max_pool2d(x * {{s}}, {kernel}"
                  f"{'' if stride is None else f', stride = {stride}'}"
                  f"{f', padding = {padding}' if padding else ''})",
            lambda p, i, k=kernel, st=stride, pd=padding:
                F.max_pool2d(i["x"] * p["s"], k, st, pd),
            {"s": P(2, 1, 1, kind="pos")}, {"x": X(["B", 2, h, h], "ties")},
            ["B", 2] + out_hw, fd=False))
    for fn in ("max_pool2d", "avg_pool2d"):
        pool(f"{fn}_k2", fn, 6, 2, None, 0, [3, 3])
        pool(f"{fn}_k2_odd", fn, 7, 2, None, 0, [3, 3])
        pool(f"{fn}_k3_s2_p1", fn, 7, 3, 2, 1, [4, 4])
        pool(f"{fn}_k3_s1", fn, 5, 3, 1, 0, [3, 3])


def all_cases():
    cases = []
    for add in (add_cases, unary_cases, reduction_cases, norm_loss_cases,
                shape_cases, matmul_cases, conv_cases):
        add(cases)
    return cases
