#!/usr/bin/env python3
"""Gradients of every differentiable op (tc-autodiff), against PyTorch.

Each case is a tiny model whose `train` loss uses one op on params (and
inputs): `loss = sum(OP(...) * rw)` with a random weight `rw` of the op's
result shape (so that the gradient flowing into the op is not uniform), or
the op's own result when it is a loss (cross_entropy, mse). For every case
the driver

  1. writes the model twice, with float type f32 and with f64,
  2. draws fresh random params and inputs (away from the points where the
     op is not differentiable: relu and abs at 0, ties of max/min) at
     several sizes of `dim B`,
  3. runs `loss_grad` through `tensorc run --device cpu --batch` (one
     compile per model) and compares the loss and every `grad.<param>` with
     torch.autograd in float64 on the same values:
       f32: max |got - want| <= 1e-4 * max |want|  (per param)
       f64: max |got - want| <= 1e-9 * max |want|
  4. in f64, also checks the gradient against central finite differences of
     the model's own loss (an extra entry `loss_fd` that adds a perturbation
     `d_<param>` to each param): for random directions d of each param,
     |(L(p + e d) - L(p - e d)) / 2e - <grad, d>| <= 1e-6 * |grad| |d|.

A gradient that is zero everywhere fails the check (a test on zeros proves
nothing). The seed is printed; --seed N (or TC_NUMERICS_SEED=N) replays it.

Usage:
  check_grads.py [--tensorc PATH] [--filter REGEX] [--seed N] [--keep DIR]
                 [-v]
"""

import argparse
import math
import os
import re
import secrets
import subprocess
import sys
import tempfile
import zlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch

TOL = {"f32": 1e-4, "f64": 1e-9}
FD_TOL = 1e-6
FD_EPS = 1e-5
FD_DIRECTIONS = 2
OTHER = {"f32": "f64", "f64": "f32"}
NP_TYPES = {"i32": np.int32, "i64": np.int64}

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from grad_cases import BATCHES, all_cases, gen  # noqa: E402


# ----------------------------------------------------------------------------
# Models
# ----------------------------------------------------------------------------

def type_str(t, dims, elem):
    base = {"F": elem, "G": OTHER[elem]}.get(t, t)
    return base + (f"[{', '.join(map(str, dims))}]" if dims else "")


def model_source(case, elem):
    """The .tdsl model of `case` with float type `elem`: `loss` (trained)
    and, for the finite differences, `loss_fd` with a perturbation of each
    param."""
    params = "\n".join(
        f"  param {n}: {type_str('F', shape, elem)} = zeros"
        for n, (shape, _) in case.params.items())
    args = [f"{n}: {type_str(t, dims, elem)}"
            for n, (t, dims, _) in case.inputs.items()]
    fd_args = args + [f"d_{n}: {type_str('F', shape, elem)}"
                      for n, (shape, _) in case.params.items()]
    ltype = type_str(case.out_type, [], elem)

    def body(subst):
        e = case.expr.format(**subst).replace("G", OTHER[elem])
        if case.out is None:
            return e
        return f"sum(({e}) * rw)" if case.out else f"({e}) * rw"
    plain = body({n: n for n in case.params})
    moved = body({n: f"({n} + d_{n})" for n in case.params})
    dims = "  dim B\n" if case.uses_b else ""
    return (f"model Grad {{\n{dims}{params}\n"
            f"  fn loss({', '.join(args)}) -> {ltype} {{\n"
            f"    return {plain}\n  }}\n"
            f"  fn loss_fd({', '.join(fd_args)}) -> {ltype} {{\n"
            f"    return {moved}\n  }}\n"
            f"  train loss with sgd(lr = 0.1)\n}}\n")


# ----------------------------------------------------------------------------
# Running one case
# ----------------------------------------------------------------------------

class Result:
    def __init__(self, case, elem):
        self.case, self.elem = case, elem
        self.errors = {}   # what -> max relative error
        self.failures = []  # messages


def draw_inputs(case, rng, b, elem):
    """{name: numpy array} of the case's inputs at B = b."""
    out = {}
    for n, (t, dims, kind) in case.inputs.items():
        shape = tuple(eval(d, {"B": b}) if isinstance(d, str) else d
                      for d in dims)
        v = gen(kind, rng, shape)
        if t in NP_TYPES:
            out[n] = v.astype(NP_TYPES[t])
        else:
            out[n] = v.astype(type_str(t, [], elem).replace("f", "float"))
    return out


def torch_grads(case, params, inputs):
    """(loss, {param: grad}) by torch.autograd in float64."""
    p = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True)
         for n, v in params.items()}
    i = {n: torch.tensor(v.astype(np.float64)) if v.dtype.kind == "f"
         else torch.tensor(v).long() for n, v in inputs.items()}
    y = case.ref(p, i)
    loss = y if case.out is None else (y * i["rw"]).sum()
    grads = torch.autograd.grad(loss, list(p.values()))
    return loss.item(), {n: g.numpy() for n, g in zip(p, grads)}


def rel_err(got, want):
    scale = np.abs(want).max()
    if scale == 0:
        return math.inf
    return float(np.abs(got.astype(np.float64) - want).max() / scale)


def run_case(case, elem, seed, workdir, tensorc):
    """Compiles and runs one model; returns its Result."""
    res = Result(case, elem)
    rng = np.random.default_rng([seed, zlib_hash(case.name), len(elem)])
    d = os.path.join(workdir, f"{case.name}_{elem}")
    os.makedirs(d, exist_ok=True)
    model = os.path.join(d, "model.tdsl")
    with open(model, "w") as f:
        f.write(model_source(case, elem))
    np_elem = elem.replace("f", "float")
    params = {n: gen(kind, rng, shape).astype(np_elem)
              for n, (shape, kind) in case.params.items()}
    for n, v in params.items():
        np.save(os.path.join(d, f"param_{n}.npy"), v)

    lines, checks = [], []
    for b in case.batches if case.uses_b else case.batches[:1]:
        inputs = draw_inputs(case, rng, b, elem)
        files = save_all(d, f"b{b}", inputs)
        out = os.path.join(d, f"grad_b{b}")
        lines.append(f"loss_grad {out} {files}")
        checks.append(("grad", b, out, inputs))
    fd = case.fd and elem == "f64"
    if fd:
        inputs = checks[0][3]
        for n, (shape, _) in case.params.items():
            for k in range(FD_DIRECTIONS):
                direction = rng.standard_normal(shape)
                for sign in (1, -1):
                    pert = {f"d_{m}": np.zeros(s) for m, (s, _) in
                            case.params.items()}
                    pert[f"d_{n}"] = sign * FD_EPS * direction
                    files = save_all(d, f"fd_{n}_{k}_{sign}", dict(inputs,
                                                                   **pert))
                    out = os.path.join(d, f"fd_{n}_{k}_{sign}.npy")
                    lines.append(f"loss_fd {out} {files}")
                checks.append(("fd", n, os.path.join(d, f"fd_{n}_{k}"),
                               direction))
    batch = os.path.join(d, "batch.txt")
    with open(batch, "w") as f:
        f.write("\n".join(lines) + "\n")
    cmd = [tensorc, "run", model, "--device", "cpu", "--batch", batch] + \
        [f"--param={n}={os.path.join(d, f'param_{n}.npy')}" for n in params]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        errs = [ln for ln in p.stderr.splitlines() if "error" in ln]
        res.failures.append(f"tensorc failed ({p.returncode}): " +
                            "; ".join((errs or p.stderr.splitlines()[-3:])
                                      [:3]))
        return res
    check_results(res, checks, params)
    return res


def save_all(d, prefix, arrays):
    files = []
    for n, v in arrays.items():
        path = os.path.join(d, f"{prefix}_{n}.npy")
        np.save(path, v)
        files.append(f"{n}={path}")
    return " ".join(files)


def zlib_hash(s):
    return zlib.crc32(s.encode())


def check_results(res, checks, params):
    """Fills res.errors and res.failures from the run's outputs."""
    case, tol = res.case, TOL[res.elem]
    if case.out_type == "G":  # computed in both types: the coarser one's
        tol = max(tol, TOL[OTHER[res.elem]])
    grads_b0 = None
    for kind, key, out, extra in checks:
        if kind == "grad":
            inputs = extra
            want_loss, want = torch_grads(case, params, inputs)
            got_loss = np.load(out + "_loss.npy")
            loss_err = abs(float(got_loss) - want_loss) / max(abs(want_loss), 1)
            record(res, "loss", loss_err, tol,
                   f"B={key} loss {got_loss} vs torch {want_loss}")
            for n, w in want.items():
                path = f"{out}_grad.{n}.npy"
                if not os.path.exists(path):
                    res.failures.append(f"B={key}: no grad.{n}")
                    continue
                g = np.load(path)
                if g.shape != w.shape:
                    res.failures.append(f"B={key} grad.{n}: shape {g.shape}, "
                                        f"expected {w.shape}")
                    continue
                record(res, "grad", rel_err(g, w), tol,
                       f"B={key} grad.{n}: max err at "
                       f"{np.unravel_index(np.abs(g - w).argmax(), w.shape)}")
                if grads_b0 is None:
                    grads_b0 = {}
                grads_b0.setdefault(n, g.astype(np.float64))
        else:
            n, direction = key, extra
            plus = float(np.load(out + "_1.npy"))
            minus = float(np.load(out + "_-1.npy"))
            fd = (plus - minus) / (2 * FD_EPS)
            g = grads_b0[n]
            scale = np.linalg.norm(g) * np.linalg.norm(direction)
            err = abs(fd - float((g * direction).sum())) / scale \
                if scale else math.inf
            record(res, "fd", err, FD_TOL,
                   f"grad.{n} vs finite differences: {fd} vs "
                   f"{(g * direction).sum()}")


def record(res, what, err, tol, msg):
    res.errors[what] = max(res.errors.get(what, 0.0), err)
    if not err <= tol:
        res.failures.append(f"{msg} (relative error {err:.3g} > {tol:g})")


# ----------------------------------------------------------------------------
# The examples
# ----------------------------------------------------------------------------

# Example -> the batch sizes its loss_grad runs with.
EXAMPLE_BATCHES = {"fashion_mlp": (32, 1), "fashion_cnn": (8,),
                   "tiny_gpt": (2,)}


def check_example(name, examples, seed, workdir, tensorc):
    """loss_grad of examples/NAME.tdsl, from `tensorc init` params, against
    the PyTorch model of example_models.py in float64 (f32 tolerance).
    Returns {param: max relative error}, failure messages."""
    from safetensors.numpy import load_file
    from example_models import MODELS
    model = MODELS[name]
    d = os.path.join(workdir, "example_" + name)
    os.makedirs(d, exist_ok=True)
    src = os.path.join(examples, name + ".tdsl")
    st = os.path.join(d, "params.safetensors")
    subprocess.run([tensorc, "init", src, "--seed", str(seed % 2**31), "-o",
                    st], check=True)
    params = {n: v for n, v in load_file(st).items() if n in model.params}
    rng = np.random.default_rng([seed, zlib_hash(name)])
    lines, runs = [], []
    for b in EXAMPLE_BATCHES[name]:
        fwd, labels = model.inputs(rng, b)
        inputs = dict(fwd, **labels)
        out = os.path.join(d, f"b{b}")
        lines.append(f"loss_grad {out} {save_all(d, f'b{b}', inputs)}")
        runs.append((b, out, inputs))
    batch = os.path.join(d, "batch.txt")
    with open(batch, "w") as f:
        f.write("\n".join(lines) + "\n")
    p = subprocess.run([tensorc, "run", src, "--device", "cpu", "--params", st,
                        "--batch", batch], capture_output=True, text=True)
    if p.returncode:
        return {}, [f"tensorc failed: {p.stderr.strip()[-600:]}"]
    errors, failures = {}, []
    for b, out, inputs in runs:
        tp = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True)
              for n, v in params.items()}
        ti = [torch.tensor(inputs[n].astype(np.float64))
              if inputs[n].dtype.kind == "f" else torch.tensor(inputs[n])
              for n in inputs]
        loss = model.loss(tp, *ti)
        grads = torch.autograd.grad(loss, list(tp.values()))
        got = float(np.load(out + "_loss.npy"))
        err = abs(got - loss.item()) / abs(loss.item())
        errors["loss"] = max(errors.get("loss", 0), err)
        if not err <= TOL["f32"]:
            failures.append(f"B={b} loss {got} vs torch {loss.item()}")
        for n, g in zip(tp, grads):
            path = f"{out}_grad.{n}.npy"
            if not os.path.exists(path):
                failures.append(f"B={b}: no grad.{n}")
                continue
            err = rel_err(np.load(path), g.numpy())
            errors[n] = max(errors.get(n, 0), err)
            if not err <= TOL["f32"]:
                failures.append(f"B={b} grad.{n}: relative error {err:.3g} "
                                f"> {TOL['f32']:g}")
    return errors, failures


def check_examples(examples, seed, workdir, tensorc, verbose):
    """Checks every example; returns the number that failed."""
    failed = 0
    for name, batches in EXAMPLE_BATCHES.items():
        errors, failures = check_example(name, examples, seed, workdir,
                                         tensorc)
        worst = max(errors.values()) if errors else math.inf
        grads = len(errors) - 1
        if verbose:
            for n, e in errors.items():
                print(f"  {name} {n}: {e:.2e}")
        if failures:
            failed += 1
            print(f"FAIL {name}:\n  " + "\n  ".join(failures[:6]))
        else:
            print(f"{name}: loss and {grads} gradients match PyTorch at B = "
                  f"{', '.join(map(str, batches))} (max relative error "
                  f"{worst:.1e})")
    return failed


# ----------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tensorc", default="tensorc")
    parser.add_argument("--filter", default="", help="regex on case names")
    parser.add_argument("--seed", type=int,
                        default=os.environ.get("TC_NUMERICS_SEED"))
    parser.add_argument("--keep", help="keep the models and .npy files here")
    parser.add_argument("--examples", help="check the examples of this "
                        "folder instead of the op cases")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count())
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    seed = int(args.seed) if args.seed is not None else secrets.randbits(32)
    if args.examples:
        print(f"seed {seed}")
        with tempfile.TemporaryDirectory(prefix="tc-grads-") as tmp:
            failed = check_examples(args.examples, seed, args.keep or tmp,
                                    args.tensorc, args.verbose)
        if failed:
            print(f"{failed} examples FAILED; TC_NUMERICS_SEED={seed} "
                  f"replays it")
        return 1 if failed else 0
    cases = [c for c in all_cases() if re.search(args.filter, c.name)]
    print(f"{len(cases)} cases, seed {seed}; B = "
          f"{', '.join(map(str, BATCHES))}")
    with tempfile.TemporaryDirectory(prefix="tc-grads-") as tmp:
        workdir = args.keep or tmp
        with ThreadPoolExecutor(args.jobs) as pool:
            jobs = [pool.submit(run_case, c, elem, seed, workdir,
                                args.tensorc)
                    for c in cases for elem in ("f32", "f64")]
            results = [j.result() for j in jobs]
    return report(results, seed, args.verbose)


def report(results, seed, verbose):
    by_case = {}
    for r in results:
        by_case.setdefault(r.case.name, {})[r.elem] = r
    failed = 0
    if verbose:
        print(f"{'case':28} {'f32 vs torch':>13} {'f64 vs torch':>13} "
              f"{'f64 vs FD':>10}")
    for name, rs in by_case.items():
        f32, f64 = rs["f32"], rs["f64"]
        if verbose:
            cell = lambda r, w: (f"{r.errors[w]:.2e}" if w in r.errors  # noqa
                                 else "-")
            worst = lambda r: max(r.errors.get("grad", 0),  # noqa: E731
                                  r.errors.get("loss", 0))
            print(f"{name:28} {worst(f32):13.2e} {worst(f64):13.2e} "
                  f"{cell(f64, 'fd'):>10}")
        for r in (f32, f64):
            if r.failures:
                failed += 1
                print(f"FAIL {name} [{r.elem}]:\n  " +
                      "\n  ".join(r.failures[:6]))
    if failed:
        print(f"{failed} of {len(results)} models FAILED; seed {seed} "
              f"(TC_NUMERICS_SEED={seed} replays it)")
        return 1
    print(f"all {len(by_case)} cases passed (f32 and f64 against PyTorch, "
          f"f64 against finite differences)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
