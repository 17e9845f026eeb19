#!/usr/bin/env python3
"""Differential testing on random well-typed models: fused vs unfused vs
PyTorch, on the CPU backend.

Each graph of random_graph/ becomes a .tdsl function; GROUP of them make a
model that is compiled once per mode and run on fresh random inputs with
`tensorc run --device cpu --batch` (fused, and with --no-fusion), with
check_ops.py's machinery (a model that does not compile is split until the
graphs that break it are found). Graphs that take `dim B` also run with
B = 1 and B = 37. Each result is compared with the float64 PyTorch reference
and the fused one with the unfused one.

Tolerance. With err = |got - want| / max(|want|, 1) over the elements (the
metric of test/lib/numerics/compare.py), a float result passes when

    max err <= max(BASE_TOL, COND_FACTOR * err32)

where err32 is the same metric for PyTorch's own float32 evaluation of the
graph against float64. BASE_TOL (1e-4, the reduction tolerance of the op
tests) covers the rounding of a few dozen f32 ops; err32 measures how
ill-conditioned the graph is on these inputs (a layernorm of a row that is
nearly constant, a cancelling sum): a float32 program may then be off by
about as much as float32 PyTorch is, and COND_FACTOR leaves room for the
different order of operations. Ints and bools must match exactly (the
generator only feeds discontinuous ops exact values).

Graph i of a run with seed S is generated from (S, i) alone, and its inputs
are drawn from (S, i) too, so `--seed S --only i` replays it (`--show`
prints it). A graph that fails is minimised (its ops are replaced by fresh
inputs or bypassed while it still fails the same way) and written, with its
inputs, its reference output and the commands that rerun it, under --out.

Timeout. Each `tensorc run` process (a model's compile and its runs) is
killed once --timeout seconds (default 60; 0: none) pass without a new
result: the compile and the first run get that long, each later run as long
again. A model that times out is split like one that does not compile, so
the graph that hangs is found (at the cost of a timeout per halving), and
is reported as a failing graph ("timed out") with its .tdsl written under
--out. It is not minimised (each try could take the timeout) unless
--minimise-timeouts is given.

Usage:
  random_models.py [--tensorc PATH] [--seed S] [--count N] [--seconds T]
                   [--only I] [--show] [--out DIR] [--timeout SECONDS]
                   [--no-minimise] [--minimise-timeouts] [-v]
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, os.pardir, "lib"))
sys.path.insert(0, HERE)
import check_ops  # noqa: E402
from numerics.cases import DTYPES, fn  # noqa: E402
from numerics.compare import compare  # noqa: E402
from random_graph import FLOATS, generate  # noqa: E402

BASE_TOL = 1e-4
COND_FACTOR = 16.0
GROUP = 8          # graphs per compiled model


def case_of(graph):
    c = fn(graph.name, graph.signature(), graph.body(), graph.input_specs(),
           lambda *xs: graph.evaluate(xs), params=graph.param_items())
    c.graph = graph
    return c


def graph_seed(seed, i):
    return seed * 1_000_003 + i


def run_graphs(graphs, seeds, workdir, args):
    """Runs graphs (fused and unfused) in one model; returns the runs."""
    cases = [case_of(g) for g in graphs]
    runs, param_files = [], {}
    for case, s in zip(cases, seeds):
        r, p = check_ops.prepare([case], workdir, np.random.default_rng(s))
        runs += r
        param_files.update(p)
    for mode in check_ops.MODES:
        check_ops.run_all(runs, param_files, cases, mode, workdir, args)
    return runs


def tolerance(graph, run, elem):
    """(tolerance, err32) of a float result (see the module docstring)."""
    if elem not in FLOATS:
        return 0.0, 0.0
    want = graph.evaluate(run.inputs).to(DTYPES[elem])
    want32 = graph.evaluate(run.inputs, torch.float32).to(DTYPES[elem])
    err32, _ = compare(want32, want, elem, float("inf"))
    return max(BASE_TOL, COND_FACTOR * err32), err32


def check_run(run):
    """[(what, kind, message)] of the failures of one run (kind "error",
    "timeout" or "mismatch"), and the worst error/tolerance ratio."""
    graph = run.case.graph
    elem = graph.nodes[graph.live()[-1]].dtype
    elem = "i1" if elem == "bool" else elem
    want = graph.evaluate(run.inputs).to(DTYPES[elem])
    tol, err32 = tolerance(graph, run, elem)
    failures, got, ratio = [], {}, 0.0
    for mode in check_ops.MODES:
        value = run.results.get(mode, "not run")
        if isinstance(value, str):
            kind = "timeout" if "timed out" in value else "error"
            failures.append((mode, kind, value.strip()))
            continue
        got[mode] = value
        err, msg = compare(value, want, elem, tol)
        ratio = max(ratio, err / tol if tol else 0.0)
        if msg:
            failures.append((mode, "mismatch", f"{msg} (err32 {err32:.3g})"))
    if len(got) == 2:
        err, msg = compare(got["fused"], got["unfused"], elem, tol)
        if msg:
            failures.append(("fused vs unfused", "mismatch", msg))
    return failures, ratio


def signature(failures):
    return sorted({(what, kind) for what, kind, _ in failures})


def failures_of(graph, seed, args):
    """The failures of one graph run alone (all sizes of B)."""
    with tempfile.TemporaryDirectory(prefix="tc-random-min-") as tmp:
        runs = run_graphs([graph], [seed], tmp, args)
    return [f for r in runs for f in check_run(r)[0]]


def minimise(graph, seed, failures, args, log):
    """Greedily replaces ops by fresh inputs or by an operand while the graph
    fails the same way; returns the smallest graph found."""
    want = signature(failures)
    rng = random.Random(seed)
    attempts = 0
    changed = True
    while changed and attempts < args.max_attempts:
        changed = False
        live = [i for i in graph.live() if not graph.nodes[i].leaf]
        for i in reversed(live):
            n = graph.nodes[i]
            candidates = [graph.bypass(i, k) for k, a in enumerate(n.args)
                          if graph.nodes[a].dtype == n.dtype and
                          graph.nodes[a].shape == n.shape]
            if i != len(graph.nodes) - 1:
                candidates.append(graph.with_leaf(i, rng))
            for cand in candidates:
                cand = cand.pruned()
                attempts += 1
                try:
                    got = failures_of(cand, seed, args)
                except Exception as e:  # a reference that breaks: skip
                    log(f"  minimise: candidate skipped ({e})")
                    continue
                if signature(got) == want:
                    graph, changed = cand, True
                    log(f"  minimise: {len(cand.live())} nodes "
                        f"({', '.join(cand.ops())})")
                    break
            if changed:
                break
    return graph


def write_repro(graph, seed, outdir, tag):
    """The graph as a model, its inputs (drawn from its seed), the float64
    reference output and the commands that compare it, in outdir."""
    outdir = os.path.join(outdir, tag)
    os.makedirs(outdir, exist_ok=True)
    case = case_of(graph)
    model = os.path.join(outdir, f"{tag}.tdsl")
    with open(model, "w") as f:
        f.write(check_ops.model_source([case]))
    runs, param_files = check_ops.prepare([case], outdir,
                                          np.random.default_rng(seed))
    lines = []
    for r in runs:
        b = "" if r.b is None else f"_B{r.b}"
        want = graph.evaluate(r.inputs)
        out = f"{tag}{b}_expected.npy"
        np.save(os.path.join(outdir, out), want.numpy())
        params = " ".join(f"--param={p}" for p in param_files[case.name])
        inputs = " ".join(f"--input={x}" for x in r.files)
        for mode, flag in (("fused", ""), ("unfused", " --no-fusion")):
            lines.append(f"${{TENSORC:-tensorc}} run {model} --device cpu --entry "
                         f"{case.symbol} {inputs} {params}{flag} "
                         f"-o {outdir}/{tag}{b}_{mode}.npy")
    with open(os.path.join(outdir, f"{tag}.sh"), "w") as f:
        f.write("# Reruns the graph; compare each output with "
                f"{tag}*_expected.npy (float64 PyTorch).\n")
        f.write("\n".join(lines) + "\n")
    return model


def show(graph):
    print(f"fn f_{graph.name}{graph.signature()} {{\n  {graph.body()}\n}}")
    if graph.param_items():
        print("  " + graph.param_items())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tensorc", default="tensorc")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=None,
                        help="graphs to run (default: until --seconds)")
    parser.add_argument("--seconds", type=float, default=None,
                        help="start no new model after this many seconds")
    parser.add_argument("--start", type=int, default=0,
                        help="index of the first graph")
    parser.add_argument("--only", type=int, default=None,
                        help="run graph I of the seed alone")
    parser.add_argument("--show", action="store_true",
                        help="print each graph's .tdsl")
    parser.add_argument("--out", default="random-model-failures",
                        help="where failing graphs are written")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds a compile or run may take without a "
                        "result before it is killed and reported (0: none)")
    parser.add_argument("--no-minimise", action="store_true")
    parser.add_argument("--minimise-timeouts", action="store_true",
                        help="minimise graphs that time out too")
    parser.add_argument("--max-attempts", type=int, default=60)
    parser.add_argument("--group", type=int, default=GROUP)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if args.count is None and args.seconds is None and args.only is None:
        args.count = 40
    log = print if args.verbose else (lambda *a: None)

    start = time.monotonic()
    indices = ([args.only] if args.only is not None else None)
    next_index = args.start
    graphs_run = runs_run = 0
    worst_ratio, failed, ops = 0.0, [], set()
    print(f"seed {args.seed}")
    while True:
        if indices is not None:
            batch = indices
            indices = []
        else:
            left = (args.count - (next_index - args.start)
                    if args.count is not None else args.group)
            if left <= 0 or (args.seconds is not None and
                             time.monotonic() - start > args.seconds):
                break
            batch = list(range(next_index,
                               next_index + min(args.group, left)))
            next_index += len(batch)
        if not batch:
            break
        seeds = [graph_seed(args.seed, i) for i in batch]
        graphs = [generate(f"r{i}", s) for i, s in zip(batch, seeds)]
        for g in graphs:
            ops.update(g.ops())
            if args.show:
                show(g)
        with tempfile.TemporaryDirectory(prefix="tc-random-") as tmp:
            runs = run_graphs(graphs, seeds, tmp, args)
        graphs_run += len(graphs)
        runs_run += len(runs)
        by_graph = {}
        for r in runs:
            fails, ratio = check_run(r)
            worst_ratio = max(worst_ratio, ratio)
            if fails:
                by_graph.setdefault(r.case.graph.name, []).extend(
                    (r.label, *f) for f in fails)
        for i, g, s in zip(batch, graphs, seeds):
            if g.name not in by_graph:
                continue
            fails = by_graph[g.name]
            failed.append(i)
            print(f"FAIL graph {i} (--seed {args.seed} --only {i}): "
                  f"{len(g.live())} nodes, ops {', '.join(g.ops())}")
            for label, what, kind, msg in fails[:6]:
                print(f"  {label} {what}: {msg[:300]}")
            show(g)
            outdir = os.path.abspath(os.path.join(args.out,
                                                  f"seed{args.seed}_{i}"))
            shutil.rmtree(outdir, ignore_errors=True)
            model = write_repro(g, s, outdir, "original")
            timed_out = any(kind == "timeout" for _, _, kind, _ in fails)
            if timed_out and not args.minimise_timeouts:
                print("  not minimised: it timed out (--minimise-timeouts)")
            elif not args.no_minimise:
                small = minimise(g, s, [f[1:] for f in fails], args, log)
                print(f"  minimised to {len(small.live())} nodes:")
                show(small)
                write_repro(small, s, outdir, "minimised")
            print(f"  model: {model}")
            print(f"  written to {outdir}")
    elapsed = time.monotonic() - start
    print(f"{graphs_run} random models ({runs_run} runs with the sizes of B), "
          f"each fused and unfused, in {elapsed:.0f} s; worst error "
          f"{worst_ratio:.3g} of the tolerance")
    print(f"ops covered ({len(ops)}): {', '.join(sorted(ops))}")
    if failed:
        print(f"{len(failed)} of {graphs_run} random models FAILED "
              f"(seed {args.seed}: {', '.join(map(str, failed))})")
        return 1
    print(f"all {graphs_run} random models passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
