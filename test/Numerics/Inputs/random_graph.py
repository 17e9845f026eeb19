"""Random well-typed .tdsl functions and their PyTorch references.

A graph is a list of nodes: leaves (function arguments and params, drawn at
random) and ops over earlier nodes. Every op of docs/language.md has a
generator here that picks operands whose shapes and types fit and emits the
.tdsl expression and a PyTorch function computing the same thing. Shapes mix
size-1 and odd dims, broadcast against each other, and may start with the
symbolic `dim B`; reductions pick any axis (negative ones too), lists of axes
or all of them, with and without `keepdim`.

Numerics are kept well-posed by construction:
  - ops with a restricted domain get it from the expression itself:
    `log(abs(x) + 0.5)`, `sqrt(abs(x) + 0.25)`, `a / (abs(b) + 0.5)`, ...;
  - each float node carries a bound on its magnitude, and `exp`, products and
    sums are only applied where the result stays below LIMIT (squashing ops,
    such as tanh or layernorm, bring large values back);
  - discontinuous ops (comparisons, argmax, casts to integers) only read
    *exact* values: leaves, and what views, abs, max/min and negation make of
    them, which tensorc and the reference hold bit for bit. Anything else could
    land on the other side of a threshold from a rounding error.

`Graph.evaluate(inputs, precision)` runs the reference in float64 (the
oracle) or float32 (PyTorch's own rounding, from which the runner derives how
ill-conditioned a graph is). Graphs can be edited (`with_leaf`, `bypass`) to
minimise a failing one.
"""

import math
import random

import torch
import torch.nn.functional as F

from numerics.cases import DTYPES, Input, F32, Bool, Int

FLOATS = ("f32", "f64")
INTS = ("i32", "i64")
LIMIT = 60.0      # largest magnitude a float node may reach
SMALL_DIMS = (1, 1, 2, 3, 3, 4, 5, 7)
LARGE_DIMS = (9, 13, 16, 17, 31, 33, 64)
MAX_ELEMS = 6000  # per node


# ----------------------------------------------------------------------------
# Shapes. A dim is an int or "B" (the model's `dim B`).
# ----------------------------------------------------------------------------

def broadcast(a, b):
    """NumPy broadcasting of two shapes, or None."""
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            return None
    return tuple(reversed(out))


def static(dims):
    return all(d != "B" for d in dims)


def numel(shape, b=3):
    return math.prod(b if d == "B" else d for d in shape)


def tdsl_type(dtype, shape):
    return dtype + (f"[{', '.join(map(str, shape))}]" if shape else "")


def concrete(shape, b):
    return tuple(b if d == "B" else d for d in shape)


# ----------------------------------------------------------------------------
# Nodes
# ----------------------------------------------------------------------------

class Node:
    """A value of the graph. Leaves have `spec` (how to draw them) and
    `is_param`; ops have `src` (a format string over the operand names, {0},
    {1}, ...), `fn(env, *operands)` (the reference) and `args` (operand
    indices). `bound` is a bound on |value| (floats), `exact` whether the
    value is computed exactly (see the module docstring)."""

    def __init__(self, dtype, shape, bound=None, exact=False, src=None,
                 fn=None, args=(), spec=None, is_param=False, op=None):
        self.dtype, self.shape, self.bound, self.exact = (
            dtype, tuple(shape), bound, exact)
        self.src, self.fn, self.args = src, fn, tuple(args)
        self.spec, self.is_param, self.op = spec, is_param, op

    @property
    def leaf(self):
        return self.spec is not None


def leaf_spec(dtype, shape, b, rng, lo=None, hi=None):
    """How a leaf is drawn: floats uniform in [lo, hi) (never all zeros),
    bools at random, integers small."""
    s = concrete(shape, b)
    if dtype in FLOATS:
        if lo is None:
            lo, hi = rng.choice(((-2.0, 2.0), (-3.0, 3.0), (-1.0, 1.0),
                                 (0.5, 2.0), (-6.0, 6.0)))
        return F32(*s, lo=lo, hi=hi, dtype=dtype), max(abs(lo), abs(hi))
    if dtype == "bool":
        return Bool(*s), None
    if lo is None:
        lo, hi = -6, 7
    return Int(*s, lo=lo, hi=hi, dtype=dtype), max(abs(lo), abs(hi))


class Graph:
    def __init__(self, name, b, nodes=None):
        self.name, self.b = name, b
        self.nodes = nodes if nodes is not None else []

    # -- construction -------------------------------------------------------

    def add(self, node):
        self.nodes.append(node)
        return len(self.nodes) - 1

    def leaf(self, dtype, shape, rng, lo=None, hi=None, param=False):
        spec, bound = leaf_spec(dtype, shape, self.b, rng, lo, hi)
        exact = True
        return self.add(Node(dtype, shape, bound, exact, spec=spec,
                             is_param=param and static(shape) and
                             dtype in FLOATS))

    def op(self, dtype, shape, src, fn, args, bound=None, exact=False,
           name=None):
        return self.add(Node(dtype, shape, bound, exact, src=src, fn=fn,
                             args=args, op=name))

    # -- the function -------------------------------------------------------

    def live(self, out=None):
        """Indices of the nodes the output depends on, in order."""
        out = len(self.nodes) - 1 if out is None else out
        seen, stack = set(), [out]
        while stack:
            i = stack.pop()
            if i not in seen:
                seen.add(i)
                stack.extend(self.nodes[i].args)
        return sorted(seen)

    def names(self):
        """Node index -> .tdsl name (args a0.., params <graph>_p0.., lets
        v0..), over the live nodes."""
        names, na, np_, nv = {}, 0, 0, 0
        for i in self.live():
            n = self.nodes[i]
            if n.leaf and n.is_param:
                names[i] = f"{self.name}_p{np_}"
                np_ += 1
            elif n.leaf:
                names[i] = f"a{na}"
                na += 1
            else:
                names[i] = f"v{nv}"
                nv += 1
        return names

    def args(self):
        return [i for i in self.live() if self.nodes[i].leaf and
                not self.nodes[i].is_param]

    def params(self):
        return [i for i in self.live() if self.nodes[i].leaf and
                self.nodes[i].is_param]

    def signature(self):
        names, out = self.names(), self.nodes[-1]
        args = ", ".join(f"{names[i]}: {tdsl_type(self.nodes[i].dtype, self.nodes[i].shape)}"
                         for i in self.args())
        return f"({args}) -> {tdsl_type(out.dtype, out.shape)}"

    def body(self):
        names, lines = self.names(), []
        live = self.live()
        for i in live:
            n = self.nodes[i]
            if n.leaf:
                continue
            expr = n.src.format(*[names[a] for a in n.args])
            if i == live[-1]:
                lines.append(f"return {expr}")
            else:
                lines.append(f"let {names[i]} = {expr}")
        if self.nodes[live[-1]].leaf:  # minimised down to a leaf
            lines.append(f"return {names[live[-1]]}")
        return "\n  ".join(lines)

    def param_items(self):
        names = self.names()
        return "\n  ".join(
            f"param {names[i]}: {tdsl_type(self.nodes[i].dtype, self.nodes[i].shape)} = zeros"
            for i in self.params())

    def input_specs(self):
        """Specs of the arguments, then of the params (check_ops order)."""
        return [self.nodes[i].spec for i in self.args() + self.params()]

    def evaluate(self, inputs, precision=torch.float64):
        """The reference: `inputs` in input_specs() order; f32 values are
        computed in `precision`, f64 ones in float64."""
        env = {"f32": precision, "f64": torch.float64, "B": self.b}
        leaves = self.args() + self.params()
        vals = {}
        for i, x in zip(leaves, inputs):
            n = self.nodes[i]
            if "B" in n.shape:
                env["B"] = x.shape[n.shape.index("B")]
            vals[i] = x.to(env[n.dtype]) if n.dtype in FLOATS else x
        for i in self.live():
            n = self.nodes[i]
            if not n.leaf:
                v = n.fn(env, *[vals[a] for a in n.args])
                if n.dtype in FLOATS:
                    v = v.to(env[n.dtype])
                elif n.dtype in INTS:
                    v = v.to(DTYPES[n.dtype])
                vals[i] = v
        return vals[self.live()[-1]]

    def ops(self):
        return sorted({self.nodes[i].op for i in self.live()
                       if not self.nodes[i].leaf})

    # -- minimising ---------------------------------------------------------

    def copy(self):
        return Graph(self.name, self.b, list(self.nodes))

    def with_leaf(self, i, rng):
        """Node i replaced by a fresh input of its type."""
        g = self.copy()
        n = g.nodes[i]
        spec, bound = leaf_spec(n.dtype, n.shape, g.b, rng)
        g.nodes[i] = Node(n.dtype, n.shape, bound, True, spec=spec)
        return g

    def bypass(self, i, operand):
        """Node i replaced by its operand (same type and shape): the uses of
        i read the operand instead."""
        g = self.copy()
        a = g.nodes[i].args[operand]
        if i == len(g.nodes) - 1:
            g.nodes = g.nodes[:a + 1]
            return g
        for j in range(i + 1, len(g.nodes)):
            n = g.nodes[j]
            if i in n.args:
                g.nodes[j] = Node(n.dtype, n.shape, n.bound, n.exact, n.src,
                                  n.fn, [a if x == i else x for x in n.args],
                                  op=n.op)
        return g

    def pruned(self):
        """The graph without its dead nodes."""
        live = self.live()
        index = {old: new for new, old in enumerate(live)}
        nodes = []
        for i in live:
            n = self.nodes[i]
            if n.leaf:
                nodes.append(n)
            else:
                nodes.append(Node(n.dtype, n.shape, n.bound, n.exact, n.src,
                                  n.fn, [index[a] for a in n.args],
                                  op=n.op))
        return Graph(self.name, self.b, nodes)


# ----------------------------------------------------------------------------
# Op generators: each takes (g, rng, x) with x the chosen operand's index and
# returns the new node's index, or None where the op does not fit.
# ----------------------------------------------------------------------------

def fl(v):
    """A float literal."""
    return repr(float(v))


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
