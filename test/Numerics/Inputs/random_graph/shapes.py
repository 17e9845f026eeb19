"""Shapes, dtypes and literals of the random graphs.

A dim is an int or "B" (the model's `dim B`). The constants bound what the
generators may build: LIMIT the magnitude of a float node, MAX_ELEMS its
size.
"""

import math

FLOATS = ("f32", "f64")
INTS = ("i32", "i64")
LIMIT = 60.0      # largest magnitude a float node may reach
SMALL_DIMS = (1, 1, 2, 3, 3, 4, 5, 7)
LARGE_DIMS = (9, 13, 16, 17, 31, 33, 64)
MAX_ELEMS = 6000  # per node


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


def fl(v):
    """A float literal."""
    return repr(float(v))
