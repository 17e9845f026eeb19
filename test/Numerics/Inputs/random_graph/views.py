"""View and indexing op generators: `transpose`, `permute`, `reshape`
(with -1), `broadcast_to`, `slice`, `concat`, `embedding` and
`one_hot`."""

import math

import torch

from .elementwise import cast_to_float
from .shapes import FLOATS, INTS, MAX_ELEMS, SMALL_DIMS, concrete, numel, static


def g_view(g, rng, x):
    n = g.nodes[x]
    rank = len(n.shape)
    r = rng.random()
    if rank >= 2 and r < 0.3:
        a, b = rng.sample(range(rank), 2)
        sa = a - rank if rng.random() < 0.4 else a
        shape = list(n.shape)
        shape[a], shape[b] = shape[b], shape[a]
        return g.op(n.dtype, shape, f"transpose({{0}}, {sa}, {b})",
                    lambda env, v, a=a, b=b: v.transpose(a, b), [x],
                    n.bound, n.exact, "transpose")
    if rank >= 2 and r < 0.5:
        perm = list(range(rank))
        rng.shuffle(perm)
        return g.op(n.dtype, [n.shape[p] for p in perm],
                    f"permute({{0}}, {perm})",
                    lambda env, v, p=tuple(perm): v.permute(*p), [x],
                    n.bound, n.exact, "permute")
    if r < 0.75:
        return reshape(g, rng, x)
    # broadcast_to: expand size-1 dims, maybe add a leading dim.
    shape = [rng.choice((2, 3, 5)) if d == 1 and rng.random() < 0.7 else d
             for d in n.shape]
    if len(shape) < 4 and rng.random() < 0.4:
        shape = [rng.choice((2, 3))] + shape
    if numel(shape) > MAX_ELEMS or list(shape) == list(n.shape):
        return None
    return g.op(n.dtype, shape, f"broadcast_to({{0}}, [{', '.join(map(str, shape))}])",
                lambda env, v, s=tuple(shape): v.broadcast_to(
                    concrete(s, env["B"])), [x], n.bound, n.exact,
                "broadcast_to")


def factor(n, rng):
    """A random list of factors of n (1s allowed)."""
    out = []
    while n > 1 and len(out) < 3:
        ds = [d for d in range(2, n + 1) if n % d == 0]
        d = rng.choice(ds)
        out.append(d)
        n //= d
    if n > 1:
        out.append(n)
    if rng.random() < 0.3:
        out.insert(rng.randint(0, len(out)), 1)
    rng.shuffle(out)
    return out


def reshape(g, rng, x):
    """A reshape keeping a leading `B` (if any) and refactoring the static
    dims, sometimes with a -1."""
    n = g.nodes[x]
    lead = [d for d in n.shape if d == "B"]
    if lead and n.shape[0] != "B" or len(lead) > 1:
        return None
    rest = [d for d in n.shape if d != "B"]
    dims = lead + factor(math.prod(rest), rng)
    shown = list(dims)
    if len(shown) > len(lead) and rng.random() < 0.3:
        shown[rng.randrange(len(lead), len(shown))] = -1
    text = "[" + ", ".join(map(str, shown)) + "]"
    return g.op(n.dtype, dims, f"reshape({{0}}, {text})",
                lambda env, v, s=tuple(dims): v.reshape(concrete(s, env["B"])),
                [x], n.bound, n.exact, "reshape")


def g_slice_concat(g, rng, x):
    n = g.nodes[x]
    axes = [i for i, d in enumerate(n.shape) if d != "B"]
    if not axes:
        return None
    a = rng.choice(axes)
    rank = len(n.shape)
    shown = a - rank if rng.random() < 0.4 else a
    size = n.shape[a]
    if rng.random() < 0.5 and size > 1:
        start = rng.randrange(size)
        end = rng.randint(start + 1, size)
        shape = list(n.shape)
        shape[a] = end - start
        return g.op(n.dtype, shape, f"slice({{0}}, {shown}, {start}, {end})",
                    lambda env, v, a=a, s=start, e=end: v.narrow(a, s, e - s),
                    [x], n.bound, n.exact, "slice")
    parts = [x]
    for _ in range(rng.randint(1, 2)):
        shape = list(n.shape)
        shape[a] = rng.choice((1, 2, 3, 5))
        same = [i for i, m in enumerate(g.nodes) if m.dtype == n.dtype and
                len(m.shape) == rank and all(
                    m.shape[j] == n.shape[j] for j in range(rank) if j != a)
                and m.shape[a] != "B"]
        parts.append(rng.choice(same) if same and rng.random() < 0.4 else
                     g.leaf(n.dtype, shape, rng))
    rng.shuffle(parts)
    shape = list(n.shape)
    shape[a] = sum(g.nodes[p].shape[a] for p in parts)
    if numel(shape) > MAX_ELEMS:
        return None
    names = ", ".join(f"{{{i}}}" for i in range(len(parts)))
    bound = None if n.dtype == "bool" else max(g.nodes[p].bound
                                               for p in parts)
    return g.op(n.dtype, shape, f"concat([{names}], {shown})",
                lambda env, *vs, a=a: torch.cat(vs, a), parts, bound,
                all(g.nodes[p].exact for p in parts), "concat")


def g_lookup(g, rng, x):
    """embedding(table, ids) with x as the table (a [V, D] node) or a new
    table; one_hot of new ids."""
    n = g.nodes[x]
    ids_shape = tuple(rng.choice(SMALL_DIMS) for _ in range(rng.randint(0, 2)))
    if rng.random() < 0.4 and n.shape and n.shape[0] != "B":
        ids_shape = n.shape[:rng.randint(1, min(2, len(n.shape)))]
        if not static(ids_shape):
            ids_shape = ()
    if rng.random() < 0.5:
        cls = rng.choice((2, 3, 5))
        ids = g.leaf(rng.choice(INTS), ids_shape, rng, 0, cls)
        t = rng.choice(("f32", "i64", "f64"))
        dt = {"f32": torch.float32, "i64": torch.int64,
              "f64": torch.float64}[t]
        tsrc = "" if t == "i64" and rng.random() < 0.5 else f", dtype = {t}"
        i = g.op(t, ids_shape + (cls,), f"one_hot({{0}}, {cls}{tsrc})",
                 lambda env, v, c=cls, dt=dt:
                 (v[..., None] == torch.arange(c)).to(dt), [ids], 1.0, True,
                 "one_hot")
        return i if t in FLOATS else cast_to_float(g, rng, i)
    if n.dtype in FLOATS and len(n.shape) == 2 and static(n.shape):
        table = x
    else:
        table = g.leaf("f32", (rng.choice((3, 5, 10)), rng.choice((1, 4, 7))),
                       rng, param=rng.random() < 0.5)
    t = g.nodes[table]
    ids = g.leaf(rng.choice(INTS), ids_shape, rng, 0, t.shape[0])
    return g.op(t.dtype, ids_shape + (t.shape[1],), "embedding({0}, {1})",
                lambda env, tb, v: tb[v.long()], [table, ids], t.bound,
                t.exact, "embedding")
