#!/usr/bin/env python3
"""Every tc op through the whole compiler on the CPU, against PyTorch.

The cases are the ones of the tc -> linalg oracle (test/lib/numerics/cases.py:
a .tdsl function, random inputs and a PyTorch reference each). Here they go
through everything that `tensorc run --device cpu` does: linalg, fusion,
kernel emission, bufferization, the memory plan, host code, the JIT and the
runtime. The driver

  1. puts all cases in one model (cases written in the tc dialect have no
     .tdsl spelling and are skipped; bf16 cases get an f32 wrapper that casts
     at the boundary, exactly, because .npy has no bf16),
  2. draws fresh random inputs for each case at the sizes it is written with
     and, where it takes `dim B`, again with B = 1 and B = 37 (odd, and more
     than a tile), and writes them as .npy files,
  3. runs every case and size in one `tensorc run --batch` session (one
     compile), once fused and once with --no-fusion,
  4. compares each result with PyTorch (test/lib/numerics/compare.py: f32/f64
     within 1e-5 relative error for elementwise ops and 1e-4 for reductions
     and products, |got - want| / max(|want|, 1); f16/bf16 within one unit in
     the last place; ints and bools exactly; NaN and infinities must match),
     and the fused result with the unfused one to the same tolerances.

If the batch does not compile, it is split in halves until the cases that
break it are found. Known bugs are listed in EXPECTED_FAILURES: those cases
run alone, and the test fails if one of them passes (remove it from the list).

The inputs are drawn from a new seed each run; the seed is printed, and
TC_NUMERICS_SEED=N (or --seed N) replays a run. With --keep DIR the files
stay: each model compiled is DIR/numerics_*.tdsl, beside the batch files
that ran it (DIR/numerics_*_fused.txt, ..._unfused.txt), so that
`tensorc run MODEL --device cpu --batch FILE [--no-fusion]` reruns it by
hand.

Usage:
  check_ops.py [--tensorc PATH] [--filter REGEX] [--seed N] [--keep DIR] [-v]
"""

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, os.pardir, "lib"))
from numerics.cases import Input, all_cases  # noqa: E402
from numerics.compare import compare, expected, summary  # noqa: E402
from fusion_cases import fusion_cases  # noqa: E402

# Sizes of `dim B` that every case taking it also runs with.
EXTRA_B = (1, 37)

# Case name -> the bug that makes it fail (each reported with a reproducer).
# These cases still run, alone, and the test fails if one of them passes.
EXPECTED_FAILURES = {}

MODES = {"fused": [], "unfused": ["--no-fusion"]}


# ----------------------------------------------------------------------------
# Signatures and sizes
# ----------------------------------------------------------------------------

ARG = re.compile(r"(\w+)\s*:\s*(\w+)\s*(?:\[([^\]]*)\])?")


def parse_sig(sig):
    """`(x: f32[B, 5]) -> f32` as ([("x", "f32", ["B", "5"])], ("f32", []))."""
    args, result = sig.split("->")
    parsed = [(n, t, [d.strip() for d in dims.split(",")] if dims else [])
              for n, t, dims in ARG.findall(args)]
    m = re.match(r"\s*(\w+)\s*(?:\[([^\]]*)\])?", result)
    return parsed, (m.group(1), m.group(2) or "")


def resized(case, b):
    """The case's input specs with `dim B` set to `b` (None: as written).
    Parameters (inputs after the arguments) keep their shapes."""
    args, _ = parse_sig(case.sig)
    specs = list(case.inputs)
    if b is None:
        return specs
    for i, (_, _, dims) in enumerate(args):
        shape = [eval(d, {"B": b}) if re.search(r"\bB\b", d) else s
                 for d, s in zip(dims, specs[i].shape)]
        specs[i] = Input(specs[i].dtype, shape, specs[i].gen)
    return specs


def sizes(case):
    """The sizes of B a case runs with: as written, and EXTRA_B if it has B."""
    takes_b = re.search(r"\bB\b", case.sig.split("->")[0])
    return [None] + (list(EXTRA_B) if takes_b else [])


def result_elem(case):
    """The result's element type, as the comparison names it ("i1": bool)."""
    _, (elem, _) = parse_sig(case.sig)
    return "i1" if elem == "bool" else elem


# ----------------------------------------------------------------------------
# The model
# ----------------------------------------------------------------------------

def entry(case):
    """The entry point that runs `case`: bf16 cases go through a wrapper."""
    return f"g_{case.name}" if "bf16" in case.sig else case.symbol


def bf16_wrapper(case):
    """An entry that takes and returns f32 where the case has bf16, casting
    at the boundary. The casts are exact: inputs are drawn as bf16 values,
    and a bf16 result is exactly representable in f32."""
    args, (elem, dims) = parse_sig(case.sig)
    f32 = lambda t: "f32" if t == "bf16" else t  # noqa: E731
    ty = lambda t, d: f32(t) + (f"[{', '.join(d)}]" if d else "")  # noqa
    params = ", ".join(f"{n}: {ty(t, d)}" for n, t, d in args)
    operands = ", ".join(f"cast({n}, bf16)" if t == "bf16" else n
                         for n, t, _ in args)
    call = f"{case.symbol}({operands})"
    if elem == "bf16":
        call = f"cast({call}, f32)"
    rdims = [d.strip() for d in dims.split(",")] if dims else []
    return (f"fn {entry(case)}({params}) -> {ty(elem, rdims)} {{\n"
            f"  return {call}\n}}")


def model_source(cases):
    params = "\n  ".join(c.params for c in cases if c.params)
    fns = [c.src for c in cases]
    fns += [bf16_wrapper(c) for c in cases if entry(c) != c.symbol]
    return ("model Numerics {\n  dim B, T, C, V, D\n  " + params + "\n\n" +
            "\n\n".join(fns) + "\n}\n")


def param_names(case):
    return re.findall(r"param\s+(\w+)\s*:", case.params)


# ----------------------------------------------------------------------------
# Running
# ----------------------------------------------------------------------------

class Run:
    """One case at one size: its inputs (torch), the .npy files that hold
    them, and the results of each mode."""

    def __init__(self, case, b, inputs, files):
        self.case, self.b, self.inputs, self.files = case, b, inputs, files
        self.results = {}   # mode -> torch tensor, or the error (str)

    @property
    def label(self):
        return self.case.name + ("" if self.b is None else f"[B={self.b}]")


def to_npy(value, path):
    """Writes a torch tensor as .npy (bf16 as f32: exact)."""
    if value.dtype == torch.bfloat16:
        value = value.float()
    np.save(path, value.numpy())


def prepare(cases, workdir, rng):
    """Draws every case's inputs at every size; returns the runs and the
    `--param` values of each case (drawn once: a session has one value per
    param)."""
    runs, param_files = [], {}
    for case in cases:
        args, _ = parse_sig(case.sig)
        names = param_names(case)
        pvals = [spec.draw(rng) for spec in case.inputs[len(args):]]
        param_files[case.name] = []
        for name, value in zip(names, pvals):
            path = os.path.join(workdir, f"param_{name}.npy")
            to_npy(value, path)
            param_files[case.name].append(f"{name}={path}")
        for b in sizes(case):
            specs = resized(case, b)[:len(args)]
            inputs = [spec.draw(rng) for spec in specs]
            files = []
            for (name, _, _), value in zip(args, inputs):
                path = os.path.join(workdir, f"in_{case.name}_{b}_{name}.npy")
                to_npy(value, path)
                files.append(f"{name}={path}")
            runs.append(Run(case, b, inputs + pvals, files))
    return runs, param_files


FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ (.+)$")


def brief(stderr, returncode):
    """What went wrong, in a line or two: the first errors, or where it
    crashed (the first frame past the signal handlers)."""
    lines = stderr.splitlines()
    if returncode < 0:
        frames = [m.group(1) for m in map(FRAME.match, lines) if m]
        frames = [f for f in frames if "llvm::sys::" not in f and
                  not re.match(r"\(/\S+\)$", f)]
        where = frames[0] if frames else "?"
        return f"crashed (signal {-returncode}) in {where[:200]}"
    errors = [line for line in lines if "error" in line]
    return "; ".join((errors or lines[-2:])[:2])[:600]


LINE_ERROR = re.compile(r":(\d+): (\w+): (.*)$")


def run_watched(cmd, outs, timeout):
    """Runs a `tensorc run --batch` command; returns (exit status, stderr,
    timed out). With a timeout (seconds), the process and everything it
    started (its own process group) are killed once `timeout` seconds pass
    without a new file among `outs`: the compile and the first run get
    `timeout` seconds, each later run `timeout` more."""
    if not timeout:
        p = subprocess.run(cmd, capture_output=True, text=True)
        return p.returncode, p.stderr, False
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, start_new_session=True)
    done, deadline = 0, time.monotonic() + timeout
    try:
        while True:
            try:
                _, stderr = p.communicate(timeout=0.2)
                return p.returncode, stderr, False
            except subprocess.TimeoutExpired:
                pass
            now = sum(os.path.exists(o) for o in outs)
            if now > done:
                done, deadline = now, time.monotonic() + timeout
            elif time.monotonic() > deadline:
                break
    except BaseException:
        kill_group(p)
        raise
    kill_group(p)
    _, stderr = p.communicate()
    return p.returncode, stderr, True


def kill_group(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    p.wait()


def load_result(out, timed_out):
    """The result in `out`, or None where there is none (after a timeout,
    the file being written when the process was killed is none either)."""
    if not os.path.exists(out):
        return None
    try:
        return torch.from_numpy(np.load(out))
    except (ValueError, OSError, EOFError):
        if timed_out:
            return None
        raise


def run_batch(runs, param_files, model, mode, workdir, args):
    """Runs `runs` in one `tensorc run --batch` session. Stores each result
    (or its error) in run.results[mode]. Returns None, or the compile error
    when the model did not compile (then no result is stored)."""
    pending = list(runs)
    while pending:
        batch = f"{os.path.splitext(model)[0]}_{mode}.txt"
        outs = [os.path.join(workdir, f"out_{mode}_{r.case.name}_{r.b}.npy")
                for r in pending]
        for out in outs:
            if os.path.exists(out):
                os.remove(out)
        with open(batch, "w") as f:
            for r, out in zip(pending, outs):
                f.write(f"{entry(r.case)} {out} {' '.join(r.files)}\n")
        cmd = [args.tensorc, "run", model, "--device", "cpu", "--batch",
               batch] + [f"--param={p}" for p in param_files] + MODES[mode]
        timeout = getattr(args, "timeout", None)
        returncode, stderr, timed_out = run_watched(cmd, outs, timeout)
        why = (f"timed out: {timeout:g} s without a result (--timeout)"
               if timed_out else None)
        errors = {}
        for line in stderr.splitlines():
            m = LINE_ERROR.search(line)
            if m and line.startswith("tensorc run: error: " + batch):
                errors[int(m.group(1)) - 1] = m.group(3)
        if not errors and not any(os.path.exists(o) for o in outs):
            # It did not compile (or died before its first result).
            return why or brief(stderr, returncode)
        crashed = None
        for i, (r, out) in enumerate(zip(pending, outs)):
            value = None if i in errors else load_result(out, timed_out)
            if i in errors:
                r.results[mode] = "error: " + errors[i]
            elif value is not None:
                r.results[mode] = value
            else:  # the process died here: blame this run, go on after it
                r.results[mode] = why or brief(stderr, returncode)
                crashed = i
                break
        pending = pending[crashed + 1:] if crashed is not None else []
    return None


def run_all(runs, param_files, cases, mode, workdir, args):
    """Compiles `cases` and runs them; if the model does not compile, splits
    it in halves until the cases that break it are found (their runs get
    the compile error)."""
    model = os.path.join(workdir, f"numerics_{len(cases)}_{cases[0].name}"
                                  ".tdsl")
    with open(model, "w") as f:
        f.write(model_source(cases))
    mine = [r for r in runs if r.case in cases]
    params = [p for c in cases for p in param_files[c.name]]
    error = run_batch(mine, params, model, mode, workdir, args)
    if error is None:
        return
    if len(cases) == 1:
        for r in mine:
            r.results[mode] = "no result: " + error
        return
    half = len(cases) // 2
    run_all(runs, param_files, cases[:half], mode, workdir, args)
    run_all(runs, param_files, cases[half:], mode, workdir, args)


# ----------------------------------------------------------------------------
# Checking
# ----------------------------------------------------------------------------

def check(run, elem):
    """[(what, error, message or None)] for one run: each mode against
    PyTorch, and fused against unfused."""
    want = expected(run.case, run.inputs, elem)
    got = {}
    for mode in MODES:
        value = run.results.get(mode, "not run")
        if isinstance(value, str):
            yield mode, float("inf"), value.strip()
            continue
        if elem == "bf16":
            value = value.to(torch.bfloat16)
        got[mode] = value
        yield (mode,) + compare(value, want, elem, run.case.tol)
    if len(got) == len(MODES):
        yield ("fused vs unfused",) + compare(got["fused"], got["unfused"],
                                              elem, run.case.tol)


def evaluate(runs):
    """Checks every run; returns {mode: [(case, elem, err, msg)]} and the
    failing messages by case name."""
    report, failures = {}, {}
    for run in runs:
        elem = result_elem(run.case)
        for what, err, msg in check(run, elem):
            report.setdefault(what, []).append((run.case, elem, err, msg))
            if msg:
                failures.setdefault(run.case.name, []).append(
                    f"{run.label} {what}: {msg}")
    return report, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tensorc", default="tensorc")
    parser.add_argument("--filter", default="", help="regex on case names")
    parser.add_argument("--seed", type=int,
                        default=os.environ.get("TC_NUMERICS_SEED"))
    parser.add_argument("--keep", help="keep the intermediate files here")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    seed = int(args.seed) if args.seed is not None else secrets.randbits(32)
    selected = [c for c in all_cases() + fusion_cases()
                if re.search(args.filter, c.name)]
    skipped = [c.name for c in selected if c.tc]
    cases = [c for c in selected if not c.tc]
    print(f"{len(cases)} cases, seed {seed}")
    if skipped:
        print(f"skipped {len(skipped)} cases written in the tc dialect (no "
              f".tdsl spelling): {', '.join(skipped)}")

    with tempfile.TemporaryDirectory(prefix="tc-numerics-ops-") as tmp:
        workdir = args.keep or tmp
        os.makedirs(workdir, exist_ok=True)
        runs = run_cases(cases, seed, workdir, args)
    print(f"{len(runs)} runs (cases x sizes of B), each fused and unfused")
    return report_results(runs, cases, seed, args)


def run_cases(cases, seed, workdir, args):
    """Draws the inputs and runs every case in both modes; known failures
    alone, so that they cannot break the batch."""
    runs, param_files = prepare(cases, workdir, np.random.default_rng(seed))
    xfail = [c for c in cases if c.name in EXPECTED_FAILURES]
    batch = [c for c in cases if c.name not in EXPECTED_FAILURES]
    for mode in MODES:
        if batch:
            run_all(runs, param_files, batch, mode, workdir, args)
        for case in xfail:
            run_all(runs, param_files, [case], mode, workdir, args)
    return runs


def report_results(runs, cases, seed, args):
    """Prints the errors and the verdict; returns the exit status."""
    xfail = [c for c in cases if c.name in EXPECTED_FAILURES]
    report, failures = evaluate(
        [r for r in runs if r.case.name not in EXPECTED_FAILURES])
    _, xfailures = evaluate(
        [r for r in runs if r.case.name in EXPECTED_FAILURES])
    failures.update(xfailures)
    if args.verbose:
        for what, rows in report.items():
            for case, _, err, msg in rows:
                print(f"{'FAIL' if msg else 'ok  '} {what:16} {case.name:28} "
                      f"max rel err {err:.3g}")
    for what, rows in report.items():  # expected failures left out
        print(f"{what}:\n{summary(rows)}")

    unexpected = 0
    for case in cases:
        msgs = failures.get(case.name, [])
        bug = EXPECTED_FAILURES.get(case.name)
        if bug and msgs:
            print(f"XFAIL {case.name}: {bug}\n  {msgs[0].splitlines()[0]}")
        elif bug:
            unexpected += 1
            print(f"XPASS {case.name}: passes now; remove it from "
                  f"EXPECTED_FAILURES ({bug})")
        elif msgs:
            unexpected += 1
            shown = msgs if args.verbose else msgs[:4]
            print(f"FAIL {case.name}:\n  " + "\n  ".join(shown) +
                  (f"\n  ... and {len(msgs) - 4} more" if len(msgs) > 4
                   and not args.verbose else ""))
    if unexpected:
        print(f"{unexpected} of {len(cases)} cases FAILED; seed {seed} "
              f"(TC_NUMERICS_SEED={seed} replays it)")
        return 1
    extra = f", {len(xfail)} expected failures" if xfail else ""
    print(f"all {len(cases) - len(xfail)} cases passed (fused and unfused, "
          f"against PyTorch and each other{extra})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
