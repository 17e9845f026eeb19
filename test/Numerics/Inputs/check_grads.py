#!/usr/bin/env python3
"""Gradients of every differentiable op (tc-autodiff), against PyTorch.

Each case is a tiny model whose `train` loss uses one op on params (and
inputs): `loss = sum(OP(...) * rw)` with a random weight `rw` of the op's
result shape (so that the gradient flowing into the op is not uniform), or
the op's own result when it is a loss (cross_entropy, mse). For every case
the driver

  1. writes the model twice, with float type f32 and with f64,
  2. draws fresh random params and inputs (away from the points where the
     op is not differentiable: relu and abs at 0, ties of max/min) at
     several sizes of `dim B`,
  3. runs `loss_grad` through `tensorc run --device cpu --batch` (one
     compile per model) and compares the loss and every `grad.<param>` with
     torch.autograd in float64 on the same values:
       f32: max |got - want| <= 1e-4 * max |want|  (per param)
       f64: max |got - want| <= 1e-9 * max |want|
  4. in f64, also checks the gradient against central finite differences of
     the model's own loss (an extra entry `loss_fd` that adds a perturbation
     `d_<param>` to each param): for random directions d of each param,
     |(L(p + e d) - L(p - e d)) / 2e - <grad, d>| <= 1e-6 * |grad| |d|.

A gradient that is zero everywhere fails the check (a test on zeros proves
nothing). The seed is printed; --seed N (or TC_NUMERICS_SEED=N) replays it.

Usage:
  check_grads.py [--tensorc PATH] [--filter REGEX] [--seed N] [--keep DIR]
                 [-v]
"""

import argparse
import math
import os
import re
import secrets
import subprocess
import sys
import tempfile
import zlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch
import torch.nn.functional as F

# Sizes of `dim B` each case runs with (the first also runs the finite
# differences).
BATCHES = (3, 1, 5)
TOL = {"f32": 1e-4, "f64": 1e-9}
FD_TOL = 1e-6
FD_EPS = 1e-5
FD_DIRECTIONS = 2
OTHER = {"f32": "f64", "f64": "f32"}
NP_TYPES = {"i32": np.int32, "i64": np.int64}


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


# ----------------------------------------------------------------------------
# Models
# ----------------------------------------------------------------------------

def type_str(t, dims, elem):
    base = {"F": elem, "G": OTHER[elem]}.get(t, t)
    return base + (f"[{', '.join(map(str, dims))}]" if dims else "")


def model_source(case, elem):
    """The .tdsl model of `case` with float type `elem`: `loss` (trained)
    and, for the finite differences, `loss_fd` with a perturbation of each
    param."""
    params = "\n".join(
        f"  param {n}: {type_str('F', shape, elem)} = zeros"
        for n, (shape, _) in case.params.items())
    args = [f"{n}: {type_str(t, dims, elem)}"
            for n, (t, dims, _) in case.inputs.items()]
    fd_args = args + [f"d_{n}: {type_str('F', shape, elem)}"
                      for n, (shape, _) in case.params.items()]
    ltype = type_str(case.out_type, [], elem)

    def body(subst):
        e = case.expr.format(**subst).replace("G", OTHER[elem])
        if case.out is None:
            return e
        return f"sum(({e}) * rw)" if case.out else f"({e}) * rw"
    plain = body({n: n for n in case.params})
    moved = body({n: f"({n} + d_{n})" for n in case.params})
    dims = "  dim B\n" if case.uses_b else ""
    return (f"model Grad {{\n{dims}{params}\n"
            f"  fn loss({', '.join(args)}) -> {ltype} {{\n"
            f"    return {plain}\n  }}\n"
            f"  fn loss_fd({', '.join(fd_args)}) -> {ltype} {{\n"
            f"    return {moved}\n  }}\n"
            f"  train loss with sgd(lr = 0.1)\n}}\n")


# ----------------------------------------------------------------------------
# Running one case
# ----------------------------------------------------------------------------

class Result:
    def __init__(self, case, elem):
        self.case, self.elem = case, elem
        self.errors = {}   # what -> max relative error
        self.failures = []  # messages


def draw_inputs(case, rng, b, elem):
    """{name: numpy array} of the case's inputs at B = b."""
    out = {}
    for n, (t, dims, kind) in case.inputs.items():
        shape = tuple(eval(d, {"B": b}) if isinstance(d, str) else d
                      for d in dims)
        v = gen(kind, rng, shape)
        if t in NP_TYPES:
            out[n] = v.astype(NP_TYPES[t])
        else:
            out[n] = v.astype(type_str(t, [], elem).replace("f", "float"))
    return out


def torch_grads(case, params, inputs):
    """(loss, {param: grad}) by torch.autograd in float64."""
    p = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True)
         for n, v in params.items()}
    i = {n: torch.tensor(v.astype(np.float64)) if v.dtype.kind == "f"
         else torch.tensor(v).long() for n, v in inputs.items()}
    y = case.ref(p, i)
    loss = y if case.out is None else (y * i["rw"]).sum()
    grads = torch.autograd.grad(loss, list(p.values()))
    return loss.item(), {n: g.numpy() for n, g in zip(p, grads)}


def rel_err(got, want):
    scale = np.abs(want).max()
    if scale == 0:
        return math.inf
    return float(np.abs(got.astype(np.float64) - want).max() / scale)


def run_case(case, elem, seed, workdir, tensorc):
    """Compiles and runs one model; returns its Result."""
    res = Result(case, elem)
    rng = np.random.default_rng([seed, zlib_hash(case.name), len(elem)])
    d = os.path.join(workdir, f"{case.name}_{elem}")
    os.makedirs(d, exist_ok=True)
    model = os.path.join(d, "model.tdsl")
    with open(model, "w") as f:
        f.write(model_source(case, elem))
    np_elem = elem.replace("f", "float")
    params = {n: gen(kind, rng, shape).astype(np_elem)
              for n, (shape, kind) in case.params.items()}
    for n, v in params.items():
        np.save(os.path.join(d, f"param_{n}.npy"), v)

    lines, checks = [], []
    for b in case.batches if case.uses_b else case.batches[:1]:
        inputs = draw_inputs(case, rng, b, elem)
        files = save_all(d, f"b{b}", inputs)
        out = os.path.join(d, f"grad_b{b}")
        lines.append(f"loss_grad {out} {files}")
        checks.append(("grad", b, out, inputs))
    fd = case.fd and elem == "f64"
    if fd:
        inputs = checks[0][3]
        for n, (shape, _) in case.params.items():
            for k in range(FD_DIRECTIONS):
                direction = rng.standard_normal(shape)
                for sign in (1, -1):
                    pert = {f"d_{m}": np.zeros(s) for m, (s, _) in
                            case.params.items()}
                    pert[f"d_{n}"] = sign * FD_EPS * direction
                    files = save_all(d, f"fd_{n}_{k}_{sign}", dict(inputs,
                                                                   **pert))
                    out = os.path.join(d, f"fd_{n}_{k}_{sign}.npy")
                    lines.append(f"loss_fd {out} {files}")
                checks.append(("fd", n, os.path.join(d, f"fd_{n}_{k}"),
                               direction))
    batch = os.path.join(d, "batch.txt")
    with open(batch, "w") as f:
        f.write("\n".join(lines) + "\n")
    cmd = [tensorc, "run", model, "--device", "cpu", "--batch", batch] + \
        [f"--param={n}={os.path.join(d, f'param_{n}.npy')}" for n in params]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        errs = [ln for ln in p.stderr.splitlines() if "error" in ln]
        res.failures.append(f"tensorc failed ({p.returncode}): " +
                            "; ".join((errs or p.stderr.splitlines()[-3:])
                                      [:3]))
        return res
    check_results(res, checks, params)
    return res


def save_all(d, prefix, arrays):
    files = []
    for n, v in arrays.items():
        path = os.path.join(d, f"{prefix}_{n}.npy")
        np.save(path, v)
        files.append(f"{n}={path}")
    return " ".join(files)


def zlib_hash(s):
    return zlib.crc32(s.encode())


def check_results(res, checks, params):
    """Fills res.errors and res.failures from the run's outputs."""
    case, tol = res.case, TOL[res.elem]
    if case.out_type == "G":  # computed in both types: the coarser one's
        tol = max(tol, TOL[OTHER[res.elem]])
    grads_b0 = None
    for kind, key, out, extra in checks:
        if kind == "grad":
            inputs = extra
            want_loss, want = torch_grads(case, params, inputs)
            got_loss = np.load(out + "_loss.npy")
            loss_err = abs(float(got_loss) - want_loss) / max(abs(want_loss), 1)
            record(res, "loss", loss_err, tol,
                   f"B={key} loss {got_loss} vs torch {want_loss}")
            for n, w in want.items():
                path = f"{out}_grad.{n}.npy"
                if not os.path.exists(path):
                    res.failures.append(f"B={key}: no grad.{n}")
                    continue
                g = np.load(path)
                if g.shape != w.shape:
                    res.failures.append(f"B={key} grad.{n}: shape {g.shape}, "
                                        f"expected {w.shape}")
                    continue
                record(res, "grad", rel_err(g, w), tol,
                       f"B={key} grad.{n}: max err at "
                       f"{np.unravel_index(np.abs(g - w).argmax(), w.shape)}")
                if grads_b0 is None:
                    grads_b0 = {}
                grads_b0.setdefault(n, g.astype(np.float64))
        else:
            n, direction = key, extra
            plus = float(np.load(out + "_1.npy"))
            minus = float(np.load(out + "_-1.npy"))
            fd = (plus - minus) / (2 * FD_EPS)
            g = grads_b0[n]
            scale = np.linalg.norm(g) * np.linalg.norm(direction)
            err = abs(fd - float((g * direction).sum())) / scale \
                if scale else math.inf
            record(res, "fd", err, FD_TOL,
                   f"grad.{n} vs finite differences: {fd} vs "
                   f"{(g * direction).sum()}")


def record(res, what, err, tol, msg):
    res.errors[what] = max(res.errors.get(what, 0.0), err)
    if not err <= tol:
        res.failures.append(f"{msg} (relative error {err:.3g} > {tol:g})")


# ----------------------------------------------------------------------------
# The examples
# ----------------------------------------------------------------------------

# Example -> the batch sizes its loss_grad runs with.
EXAMPLE_BATCHES = {"fashion_mlp": (32, 1), "fashion_cnn": (8,),
                   "tiny_gpt": (2,)}


def check_example(name, examples, seed, workdir, tensorc):
    """loss_grad of examples/NAME.tdsl, from `tensorc init` params, against
    the PyTorch model of example_models.py in float64 (f32 tolerance).
    Returns {param: max relative error}, failure messages."""
    from safetensors.numpy import load_file
    from example_models import MODELS
    model = MODELS[name]
    d = os.path.join(workdir, "example_" + name)
    os.makedirs(d, exist_ok=True)
    src = os.path.join(examples, name + ".tdsl")
    st = os.path.join(d, "params.safetensors")
    subprocess.run([tensorc, "init", src, "--seed", str(seed % 2**31), "-o",
                    st], check=True)
    params = {n: v for n, v in load_file(st).items() if n in model.params}
    rng = np.random.default_rng([seed, zlib_hash(name)])
    lines, runs = [], []
    for b in EXAMPLE_BATCHES[name]:
        fwd, labels = model.inputs(rng, b)
        inputs = dict(fwd, **labels)
        out = os.path.join(d, f"b{b}")
        lines.append(f"loss_grad {out} {save_all(d, f'b{b}', inputs)}")
        runs.append((b, out, inputs))
    batch = os.path.join(d, "batch.txt")
    with open(batch, "w") as f:
        f.write("\n".join(lines) + "\n")
    p = subprocess.run([tensorc, "run", src, "--device", "cpu", "--params", st,
                        "--batch", batch], capture_output=True, text=True)
    if p.returncode:
        return {}, [f"tensorc failed: {p.stderr.strip()[-600:]}"]
    errors, failures = {}, []
    for b, out, inputs in runs:
        tp = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True)
              for n, v in params.items()}
        ti = [torch.tensor(inputs[n].astype(np.float64))
              if inputs[n].dtype.kind == "f" else torch.tensor(inputs[n])
              for n in inputs]
        loss = model.loss(tp, *ti)
        grads = torch.autograd.grad(loss, list(tp.values()))
        got = float(np.load(out + "_loss.npy"))
        err = abs(got - loss.item()) / abs(loss.item())
        errors["loss"] = max(errors.get("loss", 0), err)
        if not err <= TOL["f32"]:
            failures.append(f"B={b} loss {got} vs torch {loss.item()}")
        for n, g in zip(tp, grads):
            path = f"{out}_grad.{n}.npy"
            if not os.path.exists(path):
                failures.append(f"B={b}: no grad.{n}")
                continue
            err = rel_err(np.load(path), g.numpy())
            errors[n] = max(errors.get(n, 0), err)
            if not err <= TOL["f32"]:
                failures.append(f"B={b} grad.{n}: relative error {err:.3g} "
                                f"> {TOL['f32']:g}")
    return errors, failures


def check_examples(examples, seed, workdir, tensorc, verbose):
    """Checks every example; returns the number that failed."""
    failed = 0
    for name, batches in EXAMPLE_BATCHES.items():
        errors, failures = check_example(name, examples, seed, workdir,
                                         tensorc)
        worst = max(errors.values()) if errors else math.inf
        grads = len(errors) - 1
        if verbose:
            for n, e in errors.items():
                print(f"  {name} {n}: {e:.2e}")
        if failures:
            failed += 1
            print(f"FAIL {name}:\n  " + "\n  ".join(failures[:6]))
        else:
            print(f"{name}: loss and {grads} gradients match PyTorch at B = "
                  f"{', '.join(map(str, batches))} (max relative error "
                  f"{worst:.1e})")
    return failed


# ----------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tensorc", default="tensorc")
    parser.add_argument("--filter", default="", help="regex on case names")
    parser.add_argument("--seed", type=int,
                        default=os.environ.get("TC_NUMERICS_SEED"))
    parser.add_argument("--keep", help="keep the models and .npy files here")
    parser.add_argument("--examples", help="check the examples of this "
                        "folder instead of the op cases")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count())
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    seed = int(args.seed) if args.seed is not None else secrets.randbits(32)
    if args.examples:
        print(f"seed {seed}")
        with tempfile.TemporaryDirectory(prefix="tc-grads-") as tmp:
            failed = check_examples(args.examples, seed, args.keep or tmp,
                                    args.tensorc, args.verbose)
        if failed:
            print(f"{failed} examples FAILED; TC_NUMERICS_SEED={seed} "
                  f"replays it")
        return 1 if failed else 0
    cases = [c for c in all_cases() if re.search(args.filter, c.name)]
    print(f"{len(cases)} cases, seed {seed}; B = "
          f"{', '.join(map(str, BATCHES))}")
    with tempfile.TemporaryDirectory(prefix="tc-grads-") as tmp:
        workdir = args.keep or tmp
        with ThreadPoolExecutor(args.jobs) as pool:
            jobs = [pool.submit(run_case, c, elem, seed, workdir,
                                args.tensorc)
                    for c in cases for elem in ("f32", "f64")]
            results = [j.result() for j in jobs]
    return report(results, seed, args.verbose)


def report(results, seed, verbose):
    by_case = {}
    for r in results:
        by_case.setdefault(r.case.name, {})[r.elem] = r
    failed = 0
    if verbose:
        print(f"{'case':28} {'f32 vs torch':>13} {'f64 vs torch':>13} "
              f"{'f64 vs FD':>10}")
    for name, rs in by_case.items():
        f32, f64 = rs["f32"], rs["f64"]
        if verbose:
            cell = lambda r, w: (f"{r.errors[w]:.2e}" if w in r.errors  # noqa
                                 else "-")
            worst = lambda r: max(r.errors.get("grad", 0),  # noqa: E731
                                  r.errors.get("loss", 0))
            print(f"{name:28} {worst(f32):13.2e} {worst(f64):13.2e} "
                  f"{cell(f64, 'fd'):>10}")
        for r in (f32, f64):
            if r.failures:
                failed += 1
                print(f"FAIL {name} [{r.elem}]:\n  " +
                      "\n  ".join(r.failures[:6]))
    if failed:
        print(f"{failed} of {len(results)} models FAILED; seed {seed} "
              f"(TC_NUMERICS_SEED={seed} replays it)")
        return 1
    print(f"all {len(by_case)} cases passed (f32 and f64 against PyTorch, "
          f"f64 against finite differences)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
