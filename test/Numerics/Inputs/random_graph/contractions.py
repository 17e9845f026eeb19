"""Matrix products and windowed ops: `@` (batched, with broadcast batch
dims), causal attention, `conv2d` (stride, padding, bias) and both
poolings."""

import math

import torch
import torch.nn.functional as F

from .shapes import (FLOATS, LARGE_DIMS, LIMIT, MAX_ELEMS, SMALL_DIMS,
                     broadcast, fl, numel, static)


def g_matmul(g, rng, x):
    n = g.nodes[x]
    if n.dtype not in FLOATS or len(n.shape) < 1:
        return None
    if len(n.shape) == 1:
        # Rank-1 operands are not matrices in .tdsl: make a row.
        return None
    k = n.shape[-1]
    others = [i for i, m in enumerate(g.nodes) if i != x and
              m.dtype == n.dtype and len(m.shape) >= 2 and m.shape[-2] == k
              and broadcast(n.shape[:-2], m.shape[:-2]) is not None]
    if others and rng.random() < 0.3:
        y = rng.choice(others)
    else:
        cols = rng.choice(SMALL_DIMS + LARGE_DIMS[:3])
        batch = ()
        if len(n.shape) > 2 and rng.random() < 0.4:
            batch = tuple(1 if rng.random() < 0.4 else d
                          for d in n.shape[rng.randint(0, len(n.shape) - 2):-2])
        lo = -1.0 / math.sqrt(8 if k == "B" else k)
        y = g.leaf(n.dtype, batch + (k, cols), rng, lo, -lo,
                   param=rng.random() < 0.4 and k != "B")
    m = g.nodes[y]
    batch = broadcast(n.shape[:-2], m.shape[:-2])
    shape = batch + (n.shape[-2], m.shape[-1])
    size = 8 if k == "B" else k
    bound = size * n.bound * m.bound
    if bound > LIMIT * 4 or numel(shape) > MAX_ELEMS:
        return None
    return g.op(n.dtype, shape, "{0} @ {1}", lambda env, a, b: a @ b, [x, y],
                bound, name="matmul")


def g_attention(g, rng, x):
    """softmax(masked_fill(x @ transpose(k, -2, -1) * s, causal_mask(T),
    -inf), -1) @ v, with x: [..., T, D]."""
    n = g.nodes[x]
    if n.dtype != "f32" or len(n.shape) < 2 or not static(n.shape[-2:]):
        return None
    t, d = n.shape[-2:]
    if n.bound > 8:
        return None
    k = g.leaf("f32", n.shape, rng, -1.0, 1.0)
    v = g.leaf("f32", n.shape, rng)
    s = fl(rng.choice((0.5, 0.25)))
    src = (f"softmax(masked_fill({{0}} @ transpose({{1}}, -2, -1) * {s}, "
           f"causal_mask({t}), -inf), -1) @ {{2}}")

    def fn(env, q, kk, vv, t=t, s=float(s)):
        mask = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
        att = (q @ kk.transpose(-2, -1) * s).masked_fill(mask, -math.inf)
        return F.softmax(att, -1) @ vv
    return g.op("f32", n.shape, src, fn, [x, k, v], g.nodes[v].bound,
                name="attention")


def g_conv(g, rng, x):
    """conv2d / max_pool2d / avg_pool2d on a rank-4 node (or a reshape of
    one into NCHW)."""
    n = g.nodes[x]
    if n.dtype != "f32" or len(n.shape) != 4 or not static(n.shape[1:]):
        return None
    _, c, h, w = n.shape
    kind = rng.choice(("conv2d", "conv2d", "max_pool2d", "avg_pool2d"))
    kh, kw = rng.randint(1, min(h, 3)), rng.randint(1, min(w, 3))
    sh, sw = rng.randint(1, 2), rng.randint(1, 2)
    ph, pw = rng.randint(0, kh // 2), rng.randint(0, kw // 2)
    ks = f"{kh}" if kh == kw else f"[{kh}, {kw}]"
    ss = f"{sh}" if sh == sw else f"[{sh}, {sw}]"
    ps = f"{ph}" if ph == pw else f"[{ph}, {pw}]"
    oh, ow = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    if kind == "conv2d":
        o = rng.choice((1, 2, 3, 5))
        lo = 1.0 / math.sqrt(c * kh * kw)
        wt = g.leaf("f32", (o, c, kh, kw), rng, -lo, lo,
                    param=rng.random() < 0.4)
        extra = ""
        args = [x, wt]
        if rng.random() < 0.5:
            args.append(g.leaf("f32", (o,), rng, param=rng.random() < 0.4))
            extra = ", bias = {2}"
        opts = (f", stride = {ss}" if (sh, sw) != (1, 1) else "") + \
               (f", padding = {ps}" if (ph, pw) != (0, 0) else "")
        bound = n.bound * c * kh * kw * lo + (2 if len(args) > 2 else 0)
        if bound > LIMIT:
            return None
        return g.op("f32", (n.shape[0], o, oh, ow),
                    f"conv2d({{0}}, {{1}}{opts}{extra})",
                    lambda env, v, wt, b=None, s=(sh, sw), p=(ph, pw):
                    F.conv2d(v, wt, b, stride=s, padding=p), args, bound,
                    name="conv2d")
    if oh < 1 or ow < 1:
        return None
    opts = f", stride = {ss}" if (sh, sw) != (kh, kw) or rng.random() < 0.3 \
        else ""
    if (sh, sw) != (kh, kw):
        opts = f", stride = {ss}"
    opts += f", padding = {ps}" if (ph, pw) != (0, 0) else ""
    tf = F.max_pool2d if kind == "max_pool2d" else F.avg_pool2d
    return g.op("f32", (n.shape[0], c, oh, ow), f"{kind}({{0}}, {ks}{opts})",
                lambda env, v, tf=tf, k=(kh, kw), s=(sh, sw), p=(ph, pw):
                tf(v, k, stride=s, padding=p), [x], n.bound,
                n.exact and kind == "max_pool2d", kind)
