"""Builds a random graph: picks generators by weight over the graph's float
nodes, turns integer and bool results back into floats, and folds every
value that nothing reads into the result."""

import random

from numerics.cases import Input

from .contractions import g_attention, g_conv, g_matmul
from .elementwise import (cast_to_float, g_binary, g_cast, g_unary,
                          g_where)
from .graph import Graph
from .reductions import g_argmax, g_losses, g_norm, g_reduce, g_softmax
from .shapes import FLOATS, LARGE_DIMS, MAX_ELEMS, SMALL_DIMS, numel
from .views import g_lookup, g_slice_concat, g_view


GENERATORS = [
    (g_unary, 14), (g_binary, 14), (g_reduce, 9), (g_view, 8),
    (g_softmax, 4), (g_norm, 4), (g_matmul, 6), (g_where, 4), (g_cast, 3),
    (g_argmax, 2), (g_slice_concat, 5), (g_lookup, 2), (g_losses, 1),
    (g_conv, 4), (g_attention, 1),
]


def random_shape(rng, use_b, rank=None):
    rank = rng.choice((0, 1, 2, 2, 3, 3, 4)) if rank is None else rank
    dims = [rng.choice(SMALL_DIMS) if rng.random() < 0.75 else
            rng.choice(LARGE_DIMS) for _ in range(rank)]
    while numel(dims) > 1500:
        dims[dims.index(max(dims))] = rng.choice(SMALL_DIMS)
    if use_b and dims:
        dims[0] = "B"
    return tuple(dims)


def generate(name, seed, size=None):
    """A random graph; `seed` makes it reproducible."""
    rng = random.Random(seed)
    b = rng.choice((2, 3, 4))
    g = Graph(name, b)
    use_b = rng.random() < 0.4
    rank = 4 if rng.random() < 0.15 else None
    first = g.leaf("f32", random_shape(rng, use_b, rank), rng)
    if rng.random() < 0.1:
        # An f16 input, cast at once (exact); f16 arithmetic is op-tested.
        n = g.nodes[first]
        n.dtype = "f16"
        n.spec = Input("f16", n.spec.shape, n.spec.gen)
        g.op("f32", n.shape, "cast({0}, f32)", lambda env, v: v, [first],
             n.bound, True, "cast_f16_f32")
    steps = size if size is not None else rng.randint(2, 12)
    gens, weights = zip(*GENERATORS)
    tries = 0
    while steps > 0 and tries < 200:
        tries += 1
        last = len(g.nodes) - 1
        floats = [i for i, n in enumerate(g.nodes) if n.dtype in FLOATS]
        ops = [i for i in floats if not g.nodes[i].leaf]
        r = rng.random()
        x = (last if r < 0.65 or not floats else
             rng.choice(ops) if r < 0.9 and ops else rng.choice(floats))
        gen = rng.choices(gens, weights)[0]
        before = len(g.nodes)
        i = gen(g, rng, x)
        if i is None:
            del g.nodes[before:]
            continue
        if numel(g.nodes[i].shape) > MAX_ELEMS:
            del g.nodes[before:]
            continue
        steps -= 1
        if g.nodes[i].dtype not in FLOATS:
            cast_to_float(g, rng, i)
    if g.nodes[-1].leaf:
        g_unary(g, rng, len(g.nodes) - 1)
    fold_dangling(g, rng)
    return g


def fold_dangling(g, rng):
    """Adds the mean of every float op result that nothing reads to the
    result, so that the whole graph is computed."""
    used = {a for n in g.nodes for a in n.args}
    out = len(g.nodes) - 1
    for i, n in enumerate(g.nodes[:-1]):
        if n.leaf or i in used or n.dtype not in FLOATS:
            continue
        o = g.nodes[out]
        if o.dtype not in FLOATS:
            return
        m = g.op(n.dtype, (), "mean({0})", lambda env, v: v.mean(), [i],
                 n.bound, name="fold")
        if n.dtype != o.dtype:
            m = g.op(o.dtype, (), f"cast({{0}}, {o.dtype})", lambda env, v: v,
                     [m], n.bound, name="fold")
        out = g.op(o.dtype, o.shape, "{0} + {1}", lambda env, a, b: a + b,
                   [out, m], o.bound + n.bound, name="fold")
