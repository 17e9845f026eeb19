#!/usr/bin/env python3
"""Numerical oracle for tc -> linalg: run small programs, compare with PyTorch.

Every case is one small function, written in .tdsl (or, for the few tc ops the
language cannot spell, directly in the tc dialect), with concrete inputs and a
PyTorch reference. The driver

  1. puts all cases in one model and compiles it to linalg:
       tensorc --emit=tc | tensorc-opt -tc-inline-entry-calls
         -tc-params-to-arguments -canonicalize -convert-tc-to-linalg [EXTRA]
  2. appends a `main` that feeds each function fresh random inputs (dense
     constants, cast to the function's dynamic argument types so that the
     dynamic-shape code runs) and prints every result bit-exactly (floats
     bitcast to integers, printed with printMemrefI32/I64),
  3. lowers the module with upstream MLIR only (mlir-opt: bufferize, linalg to
     loops, to LLVM) and runs it with mlir-runner,
  4. compares each result with PyTorch on the CPU: f32/f64 within 1e-5
     (elementwise) or 1e-4 (reductions, products) relative error, measured as
     |got - want| / max(|want|, 1); f16/bf16 within one unit in the last
     place (at 1.0) of the result type (the reference runs in f32 and is
     rounded to the result type, as PyTorch's CPU kernels do); ints and bools
     exactly; NaN and infinities must match.

The inputs are drawn from a new seed each run; the seed is printed, and
TC_NUMERICS_SEED=N (or --seed N) replays a run. If the batch does not compile,
each case is compiled alone to name the ones that fail.

This is also the "unfused reference": --extra-passes inserts passes after
convert-tc-to-linalg (e.g. "-tc-fuse-elementwise") so that a later stage can
be checked against PyTorch with the same cases.

The cases (test/lib/numerics/cases.py) and the comparison
(test/lib/numerics/compare.py) are shared with test/Numerics, which runs them
through the whole compiler.

Usage:
  check_numerics.py --tensorc=PATH --tensorc-opt=PATH [--filter REGEX]
                    [--seed N] [--keep DIR] [--extra-passes "..."] [-v]
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

# The cases and the comparison are shared with test/Numerics (test/lib).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, os.pardir, os.pardir, "lib"))
from numerics.cases import DTYPES, all_cases  # noqa: E402
from numerics.compare import compare, expected, summary  # noqa: E402

LLVM_BIN = "/usr/lib/llvm-22/bin"
LLVM_LIB = "/usr/lib/llvm-22/lib"
SHARED_LIBS = [f"{LLVM_LIB}/libmlir_c_runner_utils.so",
               f"{LLVM_LIB}/libmlir_runner_utils.so"]

# Upstream lowering of linalg-on-tensors to something mlir-runner can JIT.
LOWERING = [
    "-convert-elementwise-to-linalg",
    "-one-shot-bufferize=bufferize-function-boundaries",
    "-convert-linalg-to-loops",
    "-convert-math-to-llvm",
    "-convert-math-to-libm",
    "-expand-strided-metadata",
    "-lower-affine",
    "-convert-scf-to-cf",
    "-convert-to-llvm",
    "-reconcile-unrealized-casts",
]


# ----------------------------------------------------------------------------
# Compiling and running
# ----------------------------------------------------------------------------

def run(cmd, stdin=None):
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n"
                           f"{p.stderr[-4000:]}")
    return p.stdout


def model_source(cases):
    params = "\n  ".join(c.params for c in cases if c.params)
    fns = "\n\n".join(c.src for c in cases if not c.tc)
    # A model needs a function even when every case is written in tc.
    fns += "\n\nfn f_unused(x: f32) -> f32 {\n  return x\n}"
    return f"model Numerics {{\n  dim B, T, C, V, D\n  {params}\n\n{fns}\n}}\n"


def insert_before_module_end(module, text):
    end = module.rstrip().rfind("}")
    return module[:end] + text + "\n}\n"


def compile_to_linalg(cases, args, workdir):
    """The linalg module (text) holding every case's function."""
    src = os.path.join(workdir, "numerics.tdsl")
    with open(src, "w") as f:
        f.write(model_source(cases))
    tc = run([args.tensorc, src, "--emit=tc"])
    tc = insert_before_module_end(tc, "".join(c.src for c in cases if c.tc))
    prepared = run([args.tensorc_opt, "-tc-inline-entry-calls",
                    "-tc-params-to-arguments", "-canonicalize"], tc)
    linalg = run([args.tensorc_opt, "-convert-tc-to-linalg"] +
                 args.extra_passes.split(), prepared)
    # Parameter declarations are the only tc ops left; upstream MLIR does not
    # know them and the program does not need them.
    return "\n".join(line for line in linalg.splitlines()
                     if not line.lstrip().startswith("tc.param"))


def tensor_type(shape, elem):
    dims = "x".join(str(d) for d in shape)
    return f"tensor<{dims}x{elem}>" if shape else f"tensor<{elem}>"


def dense_literal(value, elem):
    """A dense constant holding exactly `value`'s bits."""
    if elem == "i1":
        return f"dense<{str(value.tolist()).lower()}>"
    if value.numel() == 0:
        return "dense<>"
    bits = {torch.float16: torch.int16, torch.bfloat16: torch.int16}.get(
        value.dtype)
    raw = (value.view(bits) if bits else value).contiguous().numpy()
    return f'dense<"0x{raw.tobytes().hex().upper()}">'


SIGNATURE = re.compile(r"func\.func @(\w+)\((.*)\) -> (.*) \{$")
TENSOR = re.compile(r"tensor<[^>]*>")


def signatures(module):
    sigs = {}
    for line in module.splitlines():
        m = SIGNATURE.match(line.strip())
        if m:
            sigs[m.group(1)] = (TENSOR.findall(m.group(2)),
                                TENSOR.findall(m.group(3))[0])
    return sigs


def element_type(tensor):
    """"f32" for "tensor<?x3xf32>" (and "tensor<f32>")."""
    return tensor[len("tensor<"):-1].split("x")[-1]


def with_element_type(tensor, elem):
    dims = tensor[len("tensor<"):-1].split("x")[:-1]
    return "tensor<" + "".join(d + "x" for d in dims) + elem + ">"


# How a result is printed exactly: arith ops that turn it into integers, then
# the runner's printer for them.
PRINT_AS = {
    "f32": ([("bitcast", "i32")], "I32"),
    "f64": ([("bitcast", "i64")], "I64"),
    "f16": ([("bitcast", "i16"), ("extui", "i32")], "I32"),
    "bf16": ([("bitcast", "i16"), ("extui", "i32")], "I32"),
    "i1": ([("extui", "i32")], "I32"),
    "i32": ([], "I32"),
    "i64": ([], "I64"),
}


def main_function(cases, inputs, sigs):
    """`main`: calls every case on its inputs and prints the result bits."""
    lines = ["func.func private @printMemrefI32(tensor<*xi32>)",
             "func.func private @printMemrefI64(tensor<*xi64>)",
             "func.func @main() {"]
    for i, case in enumerate(cases):
        arg_types, result = sigs[case.symbol]
        operands = []
        for j, (value, spec, ty) in enumerate(zip(inputs[i], case.inputs,
                                                  arg_types)):
            static = tensor_type(spec.shape, spec.dtype)
            lines.append(f"  %in{i}_{j} = arith.constant "
                         f"{dense_literal(value, spec.dtype)} : {static}")
            operand = f"%in{i}_{j}"
            if static != ty:  # feed the dynamic-shape code
                lines.append(f"  %arg{i}_{j} = tensor.cast {operand} : "
                             f"{static} to {ty}")
                operand = f"%arg{i}_{j}"
            operands.append(operand)
        lines.append(f"  %r{i} = func.call @{case.symbol}({', '.join(operands)})"
                     f" : ({', '.join(arg_types)}) -> {result}")
        value, ty = f"%r{i}", result
        steps, printer = PRINT_AS[element_type(result)]
        for k, (op, elem) in enumerate(steps):
            new_ty = with_element_type(ty, elem)
            lines.append(f"  %p{i}_{k} = arith.{op} {value} : {ty} to {new_ty}")
            value, ty = f"%p{i}_{k}", new_ty
        unranked = f"tensor<*x{element_type(ty)}>"
        lines.append(f"  %u{i} = tensor.cast {value} : {ty} to {unranked}")
        lines.append(f"  func.call @printMemref{printer}(%u{i}) : "
                     f"({unranked}) -> ()")
    lines += ["  return", "}"]
    return "\n".join(lines)


def run_program(module, workdir):
    path = os.path.join(workdir, "program.mlir")
    with open(path, "w") as f:
        f.write(module)
    llvm = run([f"{LLVM_BIN}/mlir-opt", path] + LOWERING)
    return run([f"{LLVM_BIN}/mlir-runner", "-e", "main",
                "-entry-point-result=void",
                "-shared-libs=" + ",".join(SHARED_LIBS)], llvm)


PRINTED = re.compile(r"sizes = \[([^\]]*)\].*?data =(.*?)(?=Unranked|\Z)",
                     re.S)


def parse_results(output, cases, sigs):
    """The printed results, as torch tensors of each case's result type."""
    results = []
    for (sizes, data), case in zip(PRINTED.findall(output), cases):
        shape = [int(s) for s in sizes.replace(",", " ").split()]
        ints = [int(v) for v in re.findall(r"-?\d+", data)]
        elem = element_type(sigs[case.symbol][1])
        bits = torch.tensor(ints, dtype=torch.int64)
        if elem == "f32":
            value = bits.to(torch.int32).view(torch.float32)
        elif elem == "f64":
            value = bits.view(torch.float64)
        elif elem in ("f16", "bf16"):
            value = bits.to(torch.int16).view(DTYPES[elem])
        else:
            value = bits.to(DTYPES[elem])
        results.append(value.reshape(shape))
    if len(results) != len(cases):
        raise RuntimeError(f"expected {len(cases)} results, the program "
                           f"printed {len(results)}")
    return results


# ----------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------

def evaluate(cases, args, workdir, rng):
    """Compiles and runs `cases` together; returns [(case, error, message)]."""
    module = compile_to_linalg(cases, args, workdir)
    sigs = signatures(module)
    inputs = [[spec.draw(rng) for spec in c.inputs] for c in cases]
    program = insert_before_module_end(module, main_function(cases, inputs,
                                                             sigs))
    results = parse_results(run_program(program, workdir), cases, sigs)
    report = []
    for case, ins, got in zip(cases, inputs, results):
        elem = element_type(sigs[case.symbol][1])
        err, msg = compare(got, expected(case, ins, elem), elem, case.tol)
        report.append((case, elem, err, msg))
    return report


def isolate_failures(cases, args, workdir, seed):
    """Compiles each case alone to name those that break the batch."""
    failed = 0
    for case in cases:
        try:
            evaluate([case], args, workdir, np.random.default_rng(seed))
        except RuntimeError as e:
            failed += 1
            print(f"FAIL {case.name}: {e}")
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tensorc", default="tensorc")
    parser.add_argument("--tensorc-opt", default="tensorc-opt")
    parser.add_argument("--extra-passes", default="",
                        help="passes to run after convert-tc-to-linalg")
    parser.add_argument("--filter", default="", help="regex on case names")
    parser.add_argument("--seed", type=int,
                        default=os.environ.get("TC_NUMERICS_SEED"))
    parser.add_argument("--keep", help="keep the intermediate files here")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    seed = int(args.seed) if args.seed is not None else secrets.randbits(32)
    cases = [c for c in all_cases() if re.search(args.filter, c.name)]
    workdir = args.keep or tempfile.mkdtemp(prefix="tc-numerics-")
    os.makedirs(workdir, exist_ok=True)
    print(f"{len(cases)} cases, seed {seed}")
    try:
        report = evaluate(cases, args, workdir, np.random.default_rng(seed))
    except RuntimeError as e:
        print(f"the batch failed: {e}\ncompiling each case alone:")
        failed = isolate_failures(cases, args, workdir, seed)
        print(f"{failed} case(s) failed to compile or run; seed {seed} "
              f"(TC_NUMERICS_SEED={seed} replays it)")
        return 1

    failures = [case for case, _, _, msg in report if msg]
    for case, _, err, msg in report:
        if args.verbose or msg:
            print(f"{'FAIL' if msg else 'ok  '} {case.name:28} "
                  f"max rel err {err:.3g}" + (f": {msg}" if msg else ""))
    print(summary(report))
    if failures:
        print(f"{len(failures)} of {len(cases)} cases FAILED; seed {seed} "
              f"(TC_NUMERICS_SEED={seed} replays it)")
        return 1
    print(f"all {len(cases)} cases passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
