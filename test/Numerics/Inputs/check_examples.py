#!/usr/bin/env python3
"""Each example's `forward` and `loss` through `tensorc run --device cpu`,
against PyTorch in float64.

For each model (example_models.py holds the PyTorch versions):

  1. draw every parameter at random (normal * 0.1; layernorm gains
     1 + normal * 0.1: never the zeros and ones of the initializers, so that
     a parameter bound to the wrong argument shows), and inputs for each
     batch size (1, 5 and 32 by default: size 1, odd, and a full batch;
     integer ids and labels in range);
  2. run `forward` and `loss` at every batch size in one
     `tensorc run --batch` session with every parameter passed by --param,
     once fused and once with --no-fusion;
  3. compare with the float64 reference (the same f32 values, upcast):
     max over elements of |got - want| / max(|want|, 1) must be at most 1e-4
     (the models are products and reductions); the fused and unfused
     results must agree to the same tolerance. PyTorch's own float32 error
     against the same reference is printed beside tensorc's for scale.

The seed is new each run and printed; TC_NUMERICS_SEED=N (or --seed N)
replays it.

Usage:
  check_examples.py --model NAME [--model ...] [--examples DIR]
                    [--tensorc PATH] [--batch-sizes 1,5,32] [--seed N]
                    [--keep DIR] [-v]
"""

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, os.pardir, "lib"))
from numerics.compare import compare  # noqa: E402
from example_models import MODELS  # noqa: E402

TOLERANCE = 1e-4
MODES = {"fused": [], "unfused": ["--no-fusion"]}
ENTRIES = ("forward", "loss")


def declared_params(tdsl):
    """The param names of a .tdsl model, in order."""
    with open(tdsl) as f:
        return re.findall(r"^\s*param\s+(\w+)\s*:", f.read(), re.M)


def draw_params(model, rng):
    """Random f32 values for every param; gains of layernorms near 1."""
    params = {}
    for name, shape in model.params.items():
        value = rng.standard_normal(shape) * 0.1
        if name.endswith("_g"):
            value += 1.0
        params[name] = value.astype(np.float32)
    return params


def save(workdir, name, value):
    path = os.path.join(workdir, f"{name}.npy")
    np.save(path, value)
    return path


def draw_inputs(model, sizes, rng, workdir):
    """Draws the inputs at each batch size (the same ones for `forward` and
    `loss`) and saves them. Returns {(entry, batch): (inputs by name, the
    `NAME=FILE.npy` of each)}."""
    runs = {}
    for b in sizes:
        fwd, labels = model.inputs(rng, b)
        for entry in ENTRIES:
            ins = dict(fwd, **labels) if entry == "loss" else fwd
            files = [f"{k}={save(workdir, f'{k}_{b}', v)}"
                     for k, v in ins.items()]
            runs[(entry, b)] = (ins, files)
    return runs


def run_tensorc(args, tdsl, runs, param_files, mode, workdir):
    """One session: every entry at every size. Returns (outputs by
    (entry, batch), what went wrong); a run that failed has no output."""
    batch = os.path.join(workdir, f"batch_{mode}.txt")
    outs = {key: os.path.join(workdir, f"out_{mode}_{key[0]}_{key[1]}.npy")
            for key in runs}
    with open(batch, "w") as f:
        for key, (_, files) in runs.items():
            if os.path.exists(outs[key]):
                os.remove(outs[key])
            f.write(f"{key[0]} {outs[key]} {' '.join(files)}\n")
    cmd = ([args.tensorc, "run", tdsl, "--device", "cpu", "--batch", batch] +
           [f"--param={p}" for p in param_files] + MODES[mode])
    p = subprocess.run(cmd, capture_output=True, text=True)
    outputs = {key: torch.from_numpy(np.load(path))
               for key, path in outs.items() if os.path.exists(path)}
    why = p.stderr.strip()[-1500:] or f"tensorc exited with {p.returncode}"
    return outputs, why


def reference(model, params, entry, inputs, dtype):
    """PyTorch's result in `dtype` (float64: the reference)."""
    p = {k: torch.from_numpy(v).to(dtype) for k, v in params.items()}
    ins = [torch.from_numpy(v) for v in inputs.values()]
    ins = [x.to(dtype) if x.is_floating_point() else x for x in ins]
    with torch.no_grad():
        return getattr(model, entry)(p, *ins)


def check_model(model, args, seed, workdir):
    """Runs and checks one model; returns (number of checks, failures)."""
    tdsl = os.path.join(args.examples, f"{model.name}.tdsl")
    declared = declared_params(tdsl)
    if declared != list(model.params):
        return 1, [f"{model.name}: params {declared} in {tdsl}, but the "
                   f"PyTorch model has {list(model.params)}"]
    rng = np.random.default_rng(seed)
    params = draw_params(model, rng)
    param_files = [f"{k}={save(workdir, 'param_' + k, v)}"
                   for k, v in params.items()]
    runs = draw_inputs(model, args.batch_sizes, rng, workdir)

    got = {}
    for mode in MODES:
        outputs, why = run_tensorc(args, tdsl, runs, param_files, mode,
                                   workdir)
        for key in runs:
            got[(mode,) + key] = outputs.get(key, why)

    checks, failures, worst = 0, [], 0.0
    for (entry, b), (ins, _) in runs.items():
        want = reference(model, params, entry, ins, torch.float64)
        torch32 = reference(model, params, entry, ins, torch.float32)
        scale, _ = compare(torch32, want, "f32", TOLERANCE)
        results = {mode: got[(mode, entry, b)] for mode in MODES}
        n, errors, err = check_results(f"{entry:7} B={b:<3}", results, want,
                                       scale, args.verbose)
        checks, worst = checks + n, max(worst, err)
        failures += errors
    print(f"{model.name}: max rel err {worst:.3g} against float64 "
          f"(tolerance {TOLERANCE:g})")
    return checks, failures


def check_results(what, results, want, scale, verbose):
    """Each mode's result against the reference, and fused against unfused.
    `results` maps a mode to its output (or the error, a string). Returns
    (number of checks, failures, the largest error against `want`)."""
    failures, worst = [], 0.0
    for mode, value in results.items():
        if isinstance(value, str):
            failures.append(f"{what} {mode}: no result:\n{value}")
            continue
        err, msg = compare(value, want, "f32", TOLERANCE)
        worst = max(worst, err)
        if verbose or msg:
            print(f"  {what} {mode:8} max rel err {err:.3g} "
                  f"(PyTorch f32: {scale:.3g})")
        if msg:
            failures.append(f"{what} {mode}: {msg}")
    fused, unfused = results["fused"], results["unfused"]
    if isinstance(fused, str) or isinstance(unfused, str):
        failures.append(f"{what} fused vs unfused: not compared")
    else:
        err, msg = compare(fused, unfused, "f32", TOLERANCE)
        if verbose or msg:
            print(f"  {what} fused vs unfused max rel diff {err:.3g}")
        if msg:
            failures.append(f"{what} fused vs unfused: {msg}")
    return len(results) + 1, failures, worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", action="append", required=True,
                        choices=sorted(MODELS))
    parser.add_argument("--examples", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir,
        os.pardir, "examples"))
    parser.add_argument("--tensorc", default="tensorc")
    parser.add_argument("--batch-sizes", default="1,5,32",
                        type=lambda s: [int(b) for b in s.split(",")])
    parser.add_argument("--seed", type=int,
                        default=os.environ.get("TC_NUMERICS_SEED"))
    parser.add_argument("--keep", help="keep the intermediate files here")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    seed = int(args.seed) if args.seed is not None else secrets.randbits(32)
    sizes = ", ".join(map(str, args.batch_sizes))
    print(f"seed {seed}; batch sizes {sizes}")
    failed = 0
    for name in args.model:
        with tempfile.TemporaryDirectory(prefix="tc-numerics-examples-") as t:
            workdir = os.path.join(args.keep, name) if args.keep else t
            os.makedirs(workdir, exist_ok=True)
            checks, failures = check_model(MODELS[name], args, seed, workdir)
        for f in failures:
            print(f"FAIL {name} {f}")
        if failures:
            failed += 1
            continue
        print(f"{name}: all {checks} checks passed (forward and loss at "
              f"B = {sizes}; fused, unfused, fused vs unfused)")
    if failed:
        print(f"{failed} model(s) FAILED; seed {seed} "
              f"(TC_NUMERICS_SEED={seed} replays it)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
