"""The graph: nodes (leaves and ops), the .tdsl it prints (signature, body,
params), its PyTorch reference (`Graph.evaluate`) and the edits that
minimise a failing graph (`with_leaf`, `bypass`, `pruned`)."""

import torch

from numerics.cases import DTYPES, F32, Bool, Int

from .shapes import FLOATS, INTS, concrete, static, tdsl_type


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
