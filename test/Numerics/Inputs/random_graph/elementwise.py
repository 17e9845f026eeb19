"""Elementwise op generators: unary math (and `pow` with literals),
`+ - * /` with broadcasting, `where`/`masked_fill` on comparisons and bool
inputs, and casts (f32<->f64, floats to i32/i64 with integer arithmetic,
back to float).

Each generator takes (g, rng, x) with x the chosen operand's index and
returns the new node's index, or None where the op does not fit.
"""

import math

import torch
import torch.nn.functional as F

from numerics.cases import DTYPES

from .shapes import FLOATS, INTS, LIMIT, MAX_ELEMS, broadcast, fl, numel


UNARY = {
    # name: (src, torch, bound(b), needs bound <=)
    "exp": ("exp({0})", torch.exp, math.exp, 4.0),
    "tanh": ("tanh({0})", torch.tanh, lambda b: 1.0, None),
    "sigmoid": ("sigmoid({0})", torch.sigmoid, lambda b: 1.0, None),
    "relu": ("relu({0})", torch.relu, lambda b: b, None),
    "silu": ("silu({0})", F.silu, lambda b: b, None),
    "gelu": ("gelu({0})", F.gelu, lambda b: b, None),
    "gelu_tanh": ('gelu({0}, approximate = "tanh")',
                  lambda x: F.gelu(x, approximate="tanh"), lambda b: b, None),
    "abs": ("abs({0})", torch.abs, lambda b: b, None),
    "neg": ("-{0}", torch.neg, lambda b: b, None),
    "log": ("log(abs({0}) + 0.5)", lambda x: torch.log(x.abs() + 0.5),
            lambda b: max(math.log(b + 0.5), 0.7), None),
    "sqrt": ("sqrt(abs({0}) + 0.25)", lambda x: torch.sqrt(x.abs() + 0.25),
             lambda b: math.sqrt(b + 0.25), None),
    "rsqrt": ("rsqrt(abs({0}) + 0.5)", lambda x: torch.rsqrt(x.abs() + 0.5),
              lambda b: 1.5, None),
    "square": ("pow({0}, 2.0)", lambda x: torch.pow(x, 2.0),
               lambda b: b * b, 7.0),
    "cube": ("pow({0}, 3.0)", lambda x: torch.pow(x, 3.0),
             lambda b: b ** 3, 3.5),
    "pow_half": ("pow(abs({0}) + 0.25, 0.5)",
                 lambda x: torch.pow(x.abs() + 0.25, 0.5),
                 lambda b: math.sqrt(b + 0.25), None),
    "pow_m1": ("pow(abs({0}) + 0.5, -1.0)",
               lambda x: torch.pow(x.abs() + 0.5, -1.0), lambda b: 2.0, None),
    "pow_1_5": ("pow(abs({0}) + 0.25, 1.5)",
                lambda x: torch.pow(x.abs() + 0.25, 1.5),
                lambda b: (b + 0.25) ** 1.5, 10.0),
    "dropout": ("dropout({0}, 0.25)", lambda x: x, lambda b: b, None),
    "scale": ("{0} * 0.5", lambda x: x * 0.5, lambda b: b * 0.5, None),
    "shift": ("{0} + 1.5", lambda x: x + 1.5, lambda b: b + 1.5, None),
    "rsub": ("2.0 - {0}", lambda x: 2.0 - x, lambda b: b + 2, None),
    "div_lit": ("{0} / 3.0", lambda x: x / 3.0, lambda b: b / 3, None),
    "int_lit": ("{0} * 2 - 1", lambda x: x * 2 - 1, lambda b: 2 * b + 1,
                None),
}
SQUASH = ("tanh", "sigmoid", "rsqrt", "log")


def g_unary(g, rng, x):
    n = g.nodes[x]
    if n.dtype not in FLOATS:
        return None
    names = list(UNARY) if n.bound <= LIMIT / 2 else list(SQUASH)
    name = rng.choice(names)
    src, fn, bound, need = UNARY[name]
    if need is not None and n.bound > need:
        name = "tanh"
        src, fn, bound, need = UNARY[name]
    exact = n.exact and name in ("abs", "neg", "relu", "scale")
    return g.op(n.dtype, n.shape, src, lambda env, a, fn=fn: fn(a), [x],
                bound(n.bound), exact, name)


def partner(g, rng, x, dtype=None, exact=False):
    """An operand that broadcasts with x: an earlier node when one fits,
    else a new leaf of a shape that broadcasts (dims set to 1, leading dims
    dropped or added)."""
    n = g.nodes[x]
    dtype = dtype or n.dtype
    fits = [i for i, m in enumerate(g.nodes) if i != x and m.dtype == dtype
            and broadcast(n.shape, m.shape) is not None and
            (not exact or m.exact) and
            numel(broadcast(n.shape, m.shape)) <= MAX_ELEMS]
    if fits and rng.random() < 0.4:
        return rng.choice(fits)
    shape = list(n.shape)
    r = rng.random()
    if r < 0.2 and shape:
        shape = shape[rng.randint(1, len(shape)):]      # drop leading dims
    elif r < 0.3 and len(shape) < 4:
        shape = [rng.choice((2, 3))] + shape            # add a leading dim
    shape = [1 if rng.random() < 0.3 else d for d in shape]
    if numel(broadcast(n.shape, shape)) > MAX_ELEMS:
        shape = [1] * len(shape)
    return g.leaf(dtype, shape, rng, param=rng.random() < 0.2)


BINARY = {
    "+": ("{0} + {1}", lambda a, b: a + b, lambda p, q: p + q),
    "-": ("{0} - {1}", lambda a, b: a - b, lambda p, q: p + q),
    "*": ("{0} * {1}", lambda a, b: a * b, lambda p, q: p * q),
    "/": ("{0} / (abs({1}) + 0.5)", lambda a, b: a / (b.abs() + 0.5),
          lambda p, q: 2 * p),
}


def g_binary(g, rng, x):
    n = g.nodes[x]
    if n.dtype not in FLOATS:
        return None
    y = partner(g, rng, x)
    m = g.nodes[y]
    op = rng.choice(list(BINARY))
    src, fn, bound = BINARY[op]
    if bound(n.bound, m.bound) > LIMIT:
        op = "/" if op == "*" else op
        src, fn, bound = BINARY[op]
        if bound(n.bound, m.bound) > LIMIT:
            return None
    if rng.random() < 0.5:
        x, y = y, x
    shape = broadcast(g.nodes[x].shape, g.nodes[y].shape)
    return g.op(n.dtype, shape, src, lambda env, a, b, fn=fn: fn(a, b),
                [x, y], bound(g.nodes[x].bound, g.nodes[y].bound),
                name="binary" + op)


def g_where(g, rng, x):
    """where(c, x, y) or masked_fill(x, c, v), with c a bool leaf or a
    comparison of exact values."""
    n = g.nodes[x]
    if n.dtype not in FLOATS:
        return None
    c = condition(g, rng, n.shape)
    if rng.random() < 0.3:
        v = rng.choice((-1.5, 0.0, 2.0, 7.0))
        if broadcast(n.shape, g.nodes[c].shape) != n.shape:
            return None
        return g.op(n.dtype, n.shape, f"masked_fill({{0}}, {{1}}, {fl(v)})",
                    lambda env, a, m, v=v: a.masked_fill(m, v), [x, c],
                    max(n.bound, abs(v)), n.exact, "masked_fill")
    y = partner(g, rng, x)
    shape = broadcast(broadcast(n.shape, g.nodes[y].shape), g.nodes[c].shape)
    if shape is None or numel(shape) > MAX_ELEMS:
        return None
    return g.op(n.dtype, shape, "where({2}, {0}, {1})",
                lambda env, a, b, m: torch.where(m, a, b), [x, y, c],
                max(n.bound, g.nodes[y].bound),
                n.exact and g.nodes[y].exact, "where")


CMPS = {"<": torch.lt, "<=": torch.le, ">": torch.gt, ">=": torch.ge,
        "==": torch.eq, "!=": torch.ne}


def condition(g, rng, shape):
    """A bool node that broadcasts to `shape`."""
    sub = tuple(1 if rng.random() < 0.4 else d for d in shape)
    if shape and rng.random() < 0.3:
        sub = sub[rng.randint(1, len(sub)):]
    r = rng.random()
    if r < 0.3:
        return g.leaf("bool", sub, rng)
    exact = [i for i, m in enumerate(g.nodes) if m.exact and
             m.dtype in FLOATS + INTS and broadcast(shape, m.shape) == shape]
    a = rng.choice(exact) if exact and r < 0.7 else g.leaf("f32", sub, rng)
    op = rng.choice(list(CMPS))
    tf = CMPS[op]
    if rng.random() < 0.5 and g.nodes[a].dtype in FLOATS:
        v = rng.choice((0.0, 0.5, -1.0))
        if op in ("==", "!="):
            op, tf = "<", torch.lt
        return g.op("bool", g.nodes[a].shape, f"{{0}} {op} {fl(v)}",
                    lambda env, p, tf=tf, v=v: tf(p, v), [a], exact=True,
                    name="cmp")
    b = g.leaf(g.nodes[a].dtype, sub, rng)
    cshape = broadcast(g.nodes[a].shape, g.nodes[b].shape)
    return g.op("bool", cshape, f"{{0}} {op} {{1}}",
                lambda env, p, q, tf=tf: tf(p, q), [a, b], exact=True,
                name="cmp")


def cast_to_float(g, rng, x):
    n = g.nodes[x]
    t = rng.choice(FLOATS) if rng.random() < 0.2 else "f32"
    bound = n.bound if n.dtype != "bool" else 1.0
    return g.op(t, n.shape, f"cast({{0}}, {t})", lambda env, v: v.double(),
                [x], bound, True, "cast_" + n.dtype + "_" + t)


def g_cast(g, rng, x):
    """f32 <-> f64 round trips, and integer subgraphs: exact floats scaled
    and truncated to i32/i64, some integer arithmetic, back to float."""
    n = g.nodes[x]
    if n.dtype == "f32" and rng.random() < 0.5:
        return g.op("f64", n.shape, "cast({0}, f64)", lambda env, v: v,
                    [x], n.bound, n.exact, "cast_f32_f64")
    if n.dtype == "f64":
        return g.op("f32", n.shape, "cast({0}, f32)", lambda env, v: v,
                    [x], n.bound, False, "cast_f64_f32")
    if n.dtype == "bool" or n.dtype in INTS:
        return cast_to_float(g, rng, x)
    if not n.exact or n.bound > 8:
        return None
    t = rng.choice(INTS)
    i = g.op(t, n.shape, f"cast({{0}} * 4.0, {t})",
             lambda env, v, t=t: (v * 4.0).to(DTYPES[t]), [x], 4 * n.bound,
             exact=True, name="cast_float_" + t)
    ops = rng.sample(("+", "*", "/", "abs", "neg"), rng.randint(0, 2))
    for op in ops:
        if op in ("abs", "neg"):
            src = "abs({0})" if op == "abs" else "-{0}"
            fn = (lambda env, v: v.abs()) if op == "abs" else \
                (lambda env, v: -v)
            i = g.op(t, n.shape, src, fn, [i], g.nodes[i].bound, exact=True,
                     name="int_" + op)
            continue
        y = g.leaf(t, tuple(1 if rng.random() < 0.3 else d
                            for d in n.shape), rng, -4, 5)
        shape = broadcast(n.shape, g.nodes[y].shape)
        if op == "/":
            src = "{0} / (abs({1}) + 1)"
            fn = lambda env, a, b: torch.div(  # noqa: E731
                a, b.abs() + 1, rounding_mode="trunc")
        else:
            src = f"{{0}} {op} {{1}}"
            fn = (lambda env, a, b: a + b) if op == "+" else \
                (lambda env, a, b: a * b)
        b = g.nodes[i].bound
        b = b + 4 if op == "+" else b * 4 if op == "*" else b
        i = g.op(t, shape, src, fn, [i, y], b, exact=True, name="int_" + op)
    return cast_to_float(g, rng, i)
