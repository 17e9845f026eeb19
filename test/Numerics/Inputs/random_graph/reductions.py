"""Reduction and normalisation op generators: sum/mean/max/min over one
axis, a list of axes or all of them (with and without `keepdim`),
`argmax`, `softmax`/`log_softmax`, `layernorm`/`rmsnorm` over trailing
dims, and the losses (`cross_entropy`, `mse`)."""

import math

import torch
import torch.nn.functional as F

from .elementwise import cast_to_float
from .shapes import FLOATS, INTS, LIMIT, numel, static


def axes_choice(rng, rank):
    """(axis argument text or None, the axes it names)."""
    r = rng.random()
    if r < 0.15 or rank == 0:
        return None, list(range(rank))
    if r < 0.7 or rank == 1:
        a = rng.randrange(rank)
        return str(a - rank if rng.random() < 0.4 else a), [a]
    k = rng.randint(2, rank)
    axes = sorted(rng.sample(range(rank), k))
    shown = [a - rank if rng.random() < 0.3 else a for a in axes]
    rng.shuffle(shown)
    return "[" + ", ".join(map(str, shown)) + "]", axes


REDUCTIONS = {
    "sum": lambda x, d, k: x.sum(d, keepdim=k) if d else x.clone(),
    "mean": lambda x, d, k: x.mean(d, keepdim=k) if d else x.clone(),
    "max": lambda x, d, k: x.amax(d, keepdim=k) if d else x.clone(),
    "min": lambda x, d, k: x.amin(d, keepdim=k) if d else x.clone(),
}


def g_reduce(g, rng, x):
    n = g.nodes[x]
    if n.dtype == "bool":
        return None
    rank = len(n.shape)
    if rank == 0:
        return None
    kind = rng.choice(list(REDUCTIONS))
    if n.dtype in INTS and kind == "mean":
        kind = "sum"
    text, axes = axes_choice(rng, rank)
    keep = rng.random() < 0.4
    shape = tuple(1 if i in axes else d for i, d in enumerate(n.shape)
                  if keep or i not in axes)
    count = numel([n.shape[a] for a in axes], 40)
    bound = n.bound * count if kind == "sum" else n.bound
    if bound > LIMIT:
        kind, bound = rng.choice(("max", "min") if n.dtype in INTS else
                                 ("mean", "max", "min")), n.bound
    args = [] if text is None else [text]
    if keep:
        args.append("keepdim = true")
    src = f"{kind}({{0}}{''.join(', ' + a for a in args)})"
    dims = tuple(axes)
    fn = REDUCTIONS[kind]
    exact = n.exact and kind in ("max", "min")
    if n.dtype in INTS and kind == "sum":
        exact = True
    return g.op(n.dtype, shape, src,
                lambda env, a, fn=fn, d=dims, k=keep: fn(a, d, k), [x],
                bound, exact, "reduce_" + kind)


def g_argmax(g, rng, x):
    n = g.nodes[x]
    if not n.exact or n.dtype == "bool" or not n.shape:
        return None
    rank = len(n.shape)
    a = rng.randrange(rank)
    shown = a - rank if rng.random() < 0.4 else a
    keep = rng.random() < 0.4
    shape = tuple(1 if i == a else d for i, d in enumerate(n.shape)
                  if keep or i != a)
    src = f"argmax({{0}}, {shown}" + (", keepdim = true)" if keep else ")")
    size = 40 if n.shape[a] == "B" else n.shape[a]
    i = g.op("i64", shape, src,
             lambda env, v, a=a, k=keep: v.argmax(a, keepdim=k), [x],
             size, exact=True, name="argmax")
    return cast_to_float(g, rng, i)


def g_softmax(g, rng, x):
    n = g.nodes[x]
    if n.dtype not in FLOATS or not n.shape:
        return None
    rank = len(n.shape)
    a = rng.randrange(rank)
    shown = a - rank if rng.random() < 0.5 else a
    kind = rng.choice(("softmax", "log_softmax"))
    text = "" if shown == -1 and rng.random() < 0.5 else f", {shown}"
    size = 8 if n.shape[a] == "B" else n.shape[a]
    bound = 1.0 if kind == "softmax" else 2 * n.bound + math.log(size) + 1
    tf = F.softmax if kind == "softmax" else F.log_softmax
    return g.op(n.dtype, n.shape, f"{kind}({{0}}{text})",
                lambda env, v, a=a, tf=tf: tf(v, a), [x], bound, name=kind)


def g_norm(g, rng, x):
    n = g.nodes[x]
    if n.dtype not in FLOATS or not n.shape:
        return None
    k = 1
    while k < len(n.shape) and rng.random() < 0.3:
        k += 1
    trail = n.shape[-k:]
    if not static(trail):
        return None
    gamma = g.leaf(n.dtype, trail, rng, param=rng.random() < 0.5)
    dims = tuple(range(-k, 0))
    eps = rng.choice((1e-5, 0.01)) if rng.random() < 0.4 else None
    eps_src = "" if eps is None else f", eps = {eps!r}"
    size = numel(trail)
    gb = g.nodes[gamma].bound
    if rng.random() < 0.5:
        beta = g.leaf(n.dtype, trail, rng, param=rng.random() < 0.5)
        e = 1e-5 if eps is None else eps
        return g.op(n.dtype, n.shape, f"layernorm({{0}}, {{1}}, {{2}}{eps_src})",
                    lambda env, v, w, b, e=e, t=trail:
                    F.layer_norm(v, tuple(t), w, b, eps=e),
                    [x, gamma, beta],
                    math.sqrt(size) * gb + g.nodes[beta].bound, name="layernorm")
    e = 1e-6 if eps is None else eps
    return g.op(n.dtype, n.shape, f"rmsnorm({{0}}, {{1}}{eps_src})",
                lambda env, v, w, e=e, d=dims:
                v * torch.rsqrt(v.pow(2).mean(d, keepdim=True) + e) * w,
                [x, gamma], math.sqrt(size) * gb, name="rmsnorm")


def g_losses(g, rng, x):
    n = g.nodes[x]
    if n.dtype not in FLOATS or not n.shape:
        return None
    if len(n.shape) == 2 and n.shape[1] != "B" and rng.random() < 0.6:
        labels = g.leaf(rng.choice(INTS), (n.shape[0],), rng, 0, n.shape[1])
        return g.op(n.dtype, (), "cross_entropy({0}, {1})",
                    lambda env, v, y: F.cross_entropy(v, y.long()),
                    [x, labels], 2 * n.bound + 5, name="cross_entropy")
    y = g.leaf(n.dtype, n.shape, rng)
    if rng.random() < 0.5:
        x, y = y, x
    b = g.nodes[x].bound + g.nodes[y].bound
    return g.op(n.dtype, (), "mse({0}, {1})", lambda env, a, c: F.mse_loss(a, c),
                [x, y], b * b, name="mse")
