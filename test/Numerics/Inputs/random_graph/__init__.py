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

Modules, by op family:
  shapes.py        dims, broadcasting, dtypes, the numeric limits
  graph.py         Node, Graph: printing, reference evaluation, minimising
  elementwise.py   unary math, binary arithmetic, where/masked_fill, casts
  reductions.py    reductions, argmax, softmax, layernorm/rmsnorm, losses
  contractions.py  matmul, attention, conv2d, pooling
  views.py         transpose/permute/reshape/broadcast_to, slice/concat,
                   embedding/one_hot
  builder.py       generate(): the random walk over the generators
"""

from .builder import GENERATORS, generate, random_shape
from .graph import Graph, Node, leaf_spec
from .shapes import FLOATS, INTS, LIMIT, MAX_ELEMS

__all__ = ["FLOATS", "GENERATORS", "Graph", "INTS", "LIMIT", "MAX_ELEMS",
           "Node", "generate", "leaf_spec", "random_shape"]
