"""Shared pieces of the numerics oracles (test/Conversion/TCToLinalg and
test/Numerics): the op cases with their PyTorch references, and the
comparison with tolerances."""
