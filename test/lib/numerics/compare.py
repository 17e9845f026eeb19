"""Comparing results with references, with the oracles' tolerances.

f32/f64 within `case.tol` relative error, measured as
|got - want| / max(|want|, 1); f16/bf16 within one unit in the last place (at
1.0) of the result type; ints and bools exactly; NaN and infinities must match.
"""

import math

import torch

from numerics.cases import DTYPES, FLOATS, ULPS


def nan_to(x, default):
    return torch.where(torch.isnan(x), torch.full_like(x, default), x)


def expected(case, inputs, result_elem):
    args = [x.float() if x.dtype in (torch.float16, torch.bfloat16) else x
            for x in inputs]
    want = case.ref(*args)
    if not torch.is_tensor(want):
        want = torch.tensor(want)
    return want.to(DTYPES[result_elem])


def compare(got, want, elem, tol):
    """(max relative error, message or None)."""
    if tuple(got.shape) != tuple(want.shape):
        return math.inf, f"shape {list(got.shape)}, expected {list(want.shape)}"
    if elem not in FLOATS:
        bad = (got != want).nonzero()
        if len(bad):
            i = tuple(bad[0].tolist())
            return math.inf, f"at {list(i)}: {got[i].item()}, expected " \
                             f"{want[i].item()}"
        return 0.0, None
    g, w = got.double(), want.double()
    if not torch.equal(torch.isnan(g), torch.isnan(w)):
        i = tuple((torch.isnan(g) != torch.isnan(w)).nonzero()[0].tolist())
        return math.inf, f"at {list(i)}: {g[i].item()}, expected {w[i].item()}"
    g, w = nan_to(g, 0.0), nan_to(w, 0.0)
    finite = torch.isfinite(w)
    if not torch.equal(g[~finite], w[~finite]) or not torch.isfinite(
            g[finite]).all():
        return math.inf, "infinities differ"
    err = ((g - w).abs() / w.abs().clamp(min=1.0))[finite]
    worst = err.max().item() if err.numel() else 0.0
    tol = ULPS.get(elem, tol)
    if worst > tol:
        i = tuple(((g - w).abs() / w.abs().clamp(min=1.0) == worst).nonzero()
                  [0].tolist())
        return worst, f"relative error {worst:.3g} > {tol:g} at {list(i)}: " \
                      f"{g[i].item()!r}, expected {w[i].item()!r}"
    return worst, None


def summary(report):
    """The largest error of each tolerance class, for the log."""
    groups = {}
    for case, elem, err, _ in report:
        if elem not in FLOATS:
            key = "exact (ints, bools)"
        elif elem in ULPS:
            key = f"f16/bf16 (tolerance {ULPS['f16']:g}/{ULPS['bf16']:g})"
        else:
            key = f"f32/f64 (tolerance {case.tol:g})"
        count, worst = groups.get(key, (0, 0.0))
        groups[key] = (count + 1, max(worst, err))
    return "\n".join(f"  {key}: {count} cases, max relative error {worst:.3g}"
                     for key, (count, worst) in sorted(groups.items()))
