#!/usr/bin/env python3
"""tensorc against PyTorch eager, torch.compile and cuBLAS on one GPU, in one
run (issue 7; docs/performance.md explains the figures).

Runs on the GPU machine over what bench/gpu-bench-prepare.sh made, with the
runtime's `tensorc-bench` (bench/gpu-bench.sh builds it and calls this):

  python3 bench/gpu_bench.py --artifacts .gpu-bench --bench build-gpu/bin/tensorc-bench \
      --out OUT [--only REGEX] [--peers eager,compile,reduce-overhead]

Method, for every workload: fresh random inputs (never zeros); tensorc's
output and each peer's are checked against a float64 reference computed with
PyTorch on the GPU before anything is timed (a failed check marks the row and
skips its timing); then each side is timed the same way: 5 samples of the
mean of N back-to-back runs (N chosen so that a sample takes about 50 ms),
inputs resident on the GPU, the median reported. Bandwidth figures count the
fewest bytes the workload must move; the ceiling is a device-to-device copy
measured in the same run. Training steps: tensorc's first ten losses on the
GPU must match the CPU backend's (computed by the prepare script) and its
initial loss PyTorch's on the same params.
"""
import argparse, json, math, os, re, statistics, subprocess, sys, tempfile, time

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.numpy import load_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "Numerics", "Inputs"))
import example_models  # noqa: E402  (PyTorch versions of the examples)

R, C = 16384, 4096  # rows x columns of the bandwidth-bound workloads
N_ADAMW = 1 << 26
TARGET_SAMPLE_S = 0.05
# Each peer's torch.compile mode (None: eager).
PEER_MODES = {"eager": None, "compile": "default", "reduce-overhead": "reduce-overhead"}


def gbs(num_bytes, ms):
    """GB/s of moving `num_bytes` in `ms` milliseconds."""
    return num_bytes / (ms * 1e-3) / 1e9


class Bench:
    def __init__(self, args):
        self.args = args
        self.dev = torch.device("cuda")
        self.rng = np.random.default_rng()
        self.tmp = tempfile.mkdtemp(prefix="gpu-bench-")
        self.rows = []
        self.peers = args.peers.split(",")

    # -- helpers ----------------------------------------------------------
    def save(self, name, array):
        path = os.path.join(self.tmp, name + ".npy")
        np.save(path, array)
        return path

    def tensorc(self, artifact, entry, inputs=(), params=(), extra=()):
        cmd = [self.args.bench, os.path.join(self.args.artifacts, artifact + ".ptx.json"),
               "--entry", entry, "--device", "cuda", "--seed", "7"]
        for k, v in inputs:
            cmd += ["--input", f"{k}={v}"]
        for k, v in params:
            cmd += ["--param", f"{k}={v}"]
        cmd += list(extra)
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)}\n{p.stderr.strip()}")
        return json.loads(p.stdout)

    @staticmethod
    def time_torch(fn, iters, repeat=5):
        samples = []
        for _ in range(repeat):
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            start.record()
            for _ in range(iters):
                fn()
            end.record()
            end.synchronize()
            samples.append(start.elapsed_time(end) / iters)
        return statistics.median(samples)

    @staticmethod
    def iterations_for(ms):
        return max(3, min(2000, int(TARGET_SAMPLE_S * 1e3 / max(ms, 1e-3))))

    @staticmethod
    def rel_err(out, ref):
        out = torch.as_tensor(out).to("cuda", torch.float64)
        ref = ref.to(torch.float64)
        if out.shape != ref.shape:
            return math.inf
        if not torch.isfinite(out).all():
            return math.inf
        return float((out - ref).norm() / ref.norm().clamp_min(1e-30))

    def peer_variants(self, make):
        """(label, callable) for each requested PyTorch peer; `make(mode)`
        returns the callable for mode None (eager) or a torch.compile mode."""
        return [(peer, make(PEER_MODES[peer])) for peer in self.peers]

    def add(self, row):
        self.rows.append(row)
        print(json.dumps(row), flush=True)
        self.write()

    def write(self):
        """Rewrites the JSON after every row: a run cut short keeps its rows."""
        a = self.args
        os.makedirs(a.out, exist_ok=True)
        meta = {"device": torch.cuda.get_device_name(), "torch": torch.__version__,
                "date": time.strftime("%Y-%m-%d", time.gmtime()),
                "commit": open(os.path.join(a.artifacts, "commit.txt")).read().strip(),
                "peers": self.peers}
        with open(os.path.join(a.out, "gpu-bench.json"), "w") as f:
            json.dump({"meta": meta, "rows": self.rows}, f, indent=1)

    def guarded(self, name, fn, *args):
        """Runs one workload; an exception becomes a row that says so."""
        try:
            fn(*args)
        except Exception as e:  # noqa: BLE001 (report and go on)
            import traceback
            traceback.print_exc()
            self.add({"workload": name, "error": f"{type(e).__name__}: {e}"[-600:]})
            torch.cuda.empty_cache()

    # -- ceilings ---------------------------------------------------------
    def copy_bandwidth(self):
        n = 1 << 28  # 1 GiB of f32
        a = torch.randn(n, device=self.dev)
        b = torch.empty_like(a)
        b.copy_(a)
        ms = self.time_torch(lambda: b.copy_(a), 20)
        self.copy_gbs = gbs(2 * a.numel() * 4, ms)
        self.add({"workload": "copy (ceiling)", "size": "1 GiB", "peer_ms": {"torch": ms},
                  "gbs": {"torch": self.copy_gbs}})

    # -- bandwidth-bound kernels -----------------------------------------
    def kernel(self, name, artifact, entry, inputs, params, ref_fn, torch_fn,
               min_bytes, tol, outputs):
        """inputs/params: name -> np array; ref_fn(t64) -> {output: tensor}
        in float64; torch_fn(t, mode) -> a callable timed as the peer
        (mode None: eager); outputs: tensorc output names to check."""
        row = {"workload": name, "size": f"{R}x{C}",
               "bytes": min_bytes, "peer_ms": {}, "gbs": {}, "err": {}}
        files_in = [(k, self.save(f"{name}_{k}", v)) for k, v in inputs.items()]
        files_p = [(k, self.save(f"{name}_p_{k}", v)) for k, v in params.items()]
        t64 = {k: torch.from_numpy(v).to(self.dev) for k, v in {**inputs, **params}.items()}
        refs = ref_fn({k: (v.double() if v.is_floating_point() else v) for k, v in t64.items()})
        # tensorc: check, then time.
        prefix = os.path.join(self.tmp, name)
        try:
            first = self.tensorc(artifact, entry, files_in, files_p,
                                 ["-o", prefix, "--iterations", "1", "--repeat", "1"])
            errs = [self.rel_err(np.load(f"{prefix}_{o}.npy"), refs[o]) for o in outputs]
            row["err"]["tensorc"] = max(errs)
        except (RuntimeError, FileNotFoundError) as e:
            row["error"] = str(e)[-400:]
            row["err"]["tensorc"] = math.inf
        ok = row["err"]["tensorc"] <= tol
        # Peers: check each, then time.
        eager_ms = None
        for label, fn in self.peer_variants(lambda mode: torch_fn(t64, mode)):
            t0 = time.perf_counter()
            got = fn()
            torch.cuda.synchronize()
            if label != "eager":
                row.setdefault("compile_s", {})[label] = time.perf_counter() - t0
            got = got if isinstance(got, dict) else {outputs[0]: got}
            row["err"][label] = max(self.rel_err(got[o].detach(), refs[o]) for o in got)
            iters = self.iterations_for(eager_ms or self.time_torch(fn, 1, 1))
            ms = self.time_torch(fn, iters)
            eager_ms = eager_ms or ms
            row["peer_ms"][label] = ms
            row["gbs"][label] = gbs(min_bytes, ms)
        if ok:
            # tensorc's own time sets its count: a slow kernel must not run
            # as often as a fast peer.
            iters = self.iterations_for(first["run_ms_median"])
            res = self.tensorc(artifact, entry, files_in, files_p,
                               ["--iterations", str(iters), "--repeat", "5"])
            row["tensorc_ms"] = res["run_ms_median"]
            row["gbs"]["tensorc"] = gbs(min_bytes, res["run_ms_median"])
            row["fraction_of_copy"] = row["gbs"]["tensorc"] / self.copy_gbs
        else:
            row["check"] = f"tensorc error {row['err']['tensorc']:.3g} > {tol}"
        self.add(row)
        torch.cuda.empty_cache()

    def f32(self, *shape):
        return self.rng.standard_normal(shape).astype(np.float32)

    def kernels(self):
        rowwise = [
            ("softmax", lambda t: torch.softmax(t["x"], -1)),
            ("log_softmax", lambda t: torch.log_softmax(t["x"], -1)),
        ]
        for name, f in rowwise:
            if not self.selected(name):
                continue
            self.guarded(name, self.kernel, name, name, "forward", {"x": self.f32(R, C)}, {},
                        lambda t, f=f: {"result": f(t)},
                        lambda t, mode, f=f: self.compiled(lambda: f(t), mode),
                        2 * R * C * 4, 1e-5, ["result"])

        def chain(x, y):
            return torch.tanh(x * y + 0.5) * torch.sigmoid(x - y) + torch.relu(x) * 0.25
        if self.selected("elementwise"):
            self.guarded("elementwise", self.kernel, "elementwise", "elementwise", "forward",
                        {"x": self.f32(R, C), "y": self.f32(R, C)}, {},
                        lambda t: {"result": chain(t["x"], t["y"])},
                        lambda t, mode: self.compiled(lambda: chain(t["x"], t["y"]), mode,
                                                      fn=chain, args=(t["x"], t["y"])),
                        3 * R * C * 4, 1e-5, ["result"])

        g = (1 + 0.1 * self.rng.standard_normal(C)).astype(np.float32)
        b = (0.1 * self.rng.standard_normal(C)).astype(np.float32)
        norms = {
            "layernorm": (lambda x, p: F.layer_norm(x, (C,), p["g"], p["b"]), {"g": g, "b": b}),
            "rmsnorm": (lambda x, p: x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * p["g"],
                        {"g": g}),
        }
        for name, (norm, ps) in norms.items():
            if self.selected(name + "_fwd"):
                self.guarded(name, self.kernel, name + "_fwd", name, "forward", {"u": self.f32(R, C)}, ps,
                            lambda t, n=norm: {"result": n(t["u"], t)},
                            lambda t, mode, n=norm: self.compiled(lambda: n(t["u"], t), mode),
                            2 * R * C * 4, 1e-5, ["result"])
            if self.selected(name + "_fwd_bwd"):
                self.guarded(name, self.kernel, name + "_fwd_bwd", name, "loss_grad", {"dy": self.f32(R, C)},
                            {"x": self.f32(R, C), **ps},
                            lambda t, n=norm, ps=ps: self.grads(
                                lambda v: (n(v["x"], v) * t["dy"]).sum(), t, ["x", *ps]),
                            lambda t, mode, n=norm, ps=ps: self.backward_peer(
                                lambda v: (n(v["x"], v) * t["dy"]).sum(), t, ["x", *ps], mode),
                            3 * R * C * 4, 1e-4, ["grad.x"] + [f"grad.{k}" for k in ps])

        labels = self.rng.integers(0, C, R).astype(np.int32)
        if self.selected("cross_entropy_fwd"):
            self.guarded("cross_entropy", self.kernel, "cross_entropy_fwd", "cross_entropy", "loss", {"y": labels},
                        {"logits": self.f32(R, C)},
                        lambda t: {"result": F.cross_entropy(t["logits"], t["y"].long())},
                        lambda t, mode: self.compiled(
                            lambda: F.cross_entropy(t["logits"], t["y"].long()), mode),
                        R * C * 4, 1e-5, ["result"])
        if self.selected("cross_entropy_fwd_bwd"):
            self.guarded("cross_entropy", self.kernel, "cross_entropy_fwd_bwd", "cross_entropy", "loss_grad", {"y": labels},
                        {"logits": self.f32(R, C)},
                        lambda t: self.grads(
                            lambda v: F.cross_entropy(v["logits"], t["y"].long()), t, ["logits"]),
                        lambda t, mode: self.backward_peer(
                            lambda v: F.cross_entropy(v["logits"], t["y"].long()), t,
                            ["logits"], mode),
                        2 * R * C * 4, 1e-4, ["grad.logits"])
        if self.selected("adamw"):
            self.guarded("adamw", self.adamw)

    def compiled(self, thunk, mode, fn=None, args=()):
        if mode is None:
            return thunk
        if fn is None:
            return torch.compile(thunk, mode=mode)
        c = torch.compile(fn, mode=mode)
        return lambda: c(*args)

    @staticmethod
    def grads(loss_fn, t, names):
        v = {k: (t[k].clone().requires_grad_(True) if k in names else t[k]) for k in t}
        loss_fn(v).backward()
        return {f"grad.{k}": v[k].grad for k in names}

    def backward_peer(self, loss_fn, t, names, mode):
        v = {k: (t[k].float().clone().requires_grad_(True) if k in names else t[k].float()
                 if t[k].is_floating_point() else t[k]) for k in t}
        f = loss_fn if mode is None else torch.compile(loss_fn, mode=mode)

        def step():
            for k in names:
                v[k].grad = None
            f(v).backward()
            return {f"grad.{k}": v[k].grad for k in names}
        return step

    def adamw(self):
        w = self.f32(N_ADAMW)
        g = self.f32(N_ADAMW)
        lr, wd = 1e-3, 1e-2
        row = {"workload": "adamw", "size": str(N_ADAMW), "bytes": 7 * N_ADAMW * 4,
               "peer_ms": {}, "gbs": {}, "err": {}}
        fw, fg = self.save("adamw_w", w), self.save("adamw_g", g)
        # Reference: one step from zero moments, in float64.
        w64, g64 = torch.from_numpy(w).double().cuda(), torch.from_numpy(g).double().cuda()
        m, v = 0.1 * g64, 0.001 * g64 * g64
        mhat, vhat = m / (1 - 0.9), v / (1 - 0.999)
        ref = w64 * (1 - lr * wd) - lr * mhat / (vhat.sqrt() + 1e-8)
        out = os.path.join(self.tmp, "adamw.safetensors")
        self.tensorc("adamw", "train_step", [("g", fg)], [("w", fw)],
                     ["--train-steps", "1", "--params-out", out])
        row["err"]["tensorc"] = self.rel_err(load_file(out)["w"], ref)
        for label in self.peers:
            if label == "reduce-overhead":
                continue
            p = torch.nn.Parameter(torch.from_numpy(w).cuda())
            p.grad = torch.from_numpy(g).cuda()
            opt = torch.optim.AdamW([p], lr=lr, weight_decay=wd)
            step = opt.step if label == "eager" else torch.compile(opt.step)
            t0 = time.perf_counter()
            step()
            torch.cuda.synchronize()
            if label != "eager":
                row.setdefault("compile_s", {})[label] = time.perf_counter() - t0
            row["err"][label] = self.rel_err(p.detach(), ref)
            ms = self.time_torch(step, 20)
            row["peer_ms"][label] = ms
            row["gbs"][label] = gbs(row["bytes"], ms)
        res = self.tensorc("adamw", "train_step", [("g", fg)], [("w", fw)],
                           ["--iterations", "20", "--repeat", "5"])
        row["tensorc_ms"] = res["run_ms_median"]
        row["gbs"]["tensorc"] = gbs(row["bytes"], res["run_ms_median"])
        row["fraction_of_copy"] = row["gbs"]["tensorc"] / self.copy_gbs
        self.add(row)
        torch.cuda.empty_cache()

    # -- matrix products --------------------------------------------------
    def matmuls(self):
        cases = [("matmul_f32", np.float32, 4096, 1e-5),
                 ("matmul_f16", np.float16, 4096, 2e-3),
                 ("matmul_f16", np.float16, 8192, 2e-3)]
        torch.backends.cuda.matmul.allow_tf32 = False  # exact f32, as tensorc
        for name, npt, n, tol in cases:
            if self.selected(f"{name}_{n}"):
                self.guarded(f"{name}_{n}", self.matmul, name, npt, n, tol)

    def matmul(self, name, npt, n, tol):
        a = self.rng.standard_normal((n, n)).astype(npt)
        b = self.rng.standard_normal((n, n)).astype(npt)
        fa, fb = self.save(f"{name}_a", a), self.save(f"{name}_b", b)
        ta, tb = torch.from_numpy(a).cuda(), torch.from_numpy(b).cuda()
        ref = ta.double() @ tb.double()
        flops = 2 * n ** 3
        row = {"workload": f"{name}", "size": f"{n}^3", "flops": flops,
               "peer_ms": {}, "tflops": {}, "err": {}}
        prefix = os.path.join(self.tmp, name)
        artifacts = [name] + ([name + ".nvrtc"] if name == "matmul_f16" else [])
        cub = lambda: ta @ tb  # noqa: E731
        row["err"]["cublas"] = self.rel_err((ta @ tb), ref)
        ms = self.time_torch(cub, self.iterations_for(self.time_torch(cub, 1, 1)))
        row["peer_ms"]["cublas"] = ms
        row["tflops"]["cublas"] = flops / (ms * 1e-3) / 1e12
        for art in artifacts:
            label = "tensorc" if art == name else "tensorc_nvrtc"
            try:
                self.tensorc(art, "forward", [("a", fa), ("b", fb)], [], ["-o", prefix])
                row["err"][label] = self.rel_err(np.load(prefix + "_result.npy"), ref)
            except RuntimeError as e:
                row["error"] = str(e)[-400:]
                row["err"][label] = math.inf
            if row["err"][label] > tol:
                row["check"] = f"{label} error {row['err'][label]:.3g} > {tol}"
                continue
            res = self.tensorc(art, "forward", [("a", fa), ("b", fb)], [],
                               ["--iterations", "3", "--repeat", "3"])
            key = "tensorc_ms" if label == "tensorc" else "tensorc_nvrtc_ms"
            row[key] = res["run_ms_median"]
            row["tflops"][label] = flops / (res["run_ms_median"] * 1e-3) / 1e12
        self.add(row)
        torch.cuda.empty_cache()

    # -- training steps ---------------------------------------------------
    def training(self):
        d = self.args.artifacts
        optim = {
            "fashion_mlp": (lambda ps: torch.optim.AdamW(ps, lr=1e-3, weight_decay=1e-4), None),
            "fashion_cnn": (lambda ps: torch.optim.Adam(ps, lr=1e-3), None),
            "tiny_gpt": (lambda ps: torch.optim.AdamW(ps, lr=3e-4, weight_decay=0.1), 1.0),
        }
        for line in open(os.path.join(d, "train-cases.txt")):
            model, b, precision = (line.split() + ["f32"])[:3]
            suffix = "" if precision == "f32" else f"_{precision}"
            if self.selected(f"train_{model}_{b}{suffix}"):
                self.guarded(f"train_step {model} {precision}", self.train_case,
                             model, b, optim, precision)

    def train_case(self, model, b, optim, precision="f32"):
        d = self.args.artifacts
        # The artifact: MODEL for f32, MODEL.PRECISION for mixed precision.
        art = model if precision == "f32" else f"{model}.{precision}"
        names = sorted(f for f in os.listdir(d) if f.startswith(f"{model}_{b}_"))
        inputs = [(f[len(f"{model}_{b}_"):-4], os.path.join(d, f)) for f in names]
        row = {"workload": f"train_step {model}", "size": f"B={b}", "peer_ms": {},
               "err": {}}
        if precision != "f32":
            row["workload"] += f" {precision}"
            row["precision"] = precision
        init = os.path.join(self.tmp, f"{art}_init.safetensors")
        self.tensorc(art, "train_step", inputs, [], ["--params-out", init])
        res = self.tensorc(art, "train_step", inputs, [], ["--train-steps", "10"])
        cpu = np.load(os.path.join(d, f"cpu_losses_{art}_{b}.npy"))
        gpu = np.array(res["losses"])
        row["losses_gpu"] = res["losses"][:3]
        row["err"]["tensorc_vs_cpu"] = float(np.max(np.abs(gpu - cpu) / np.maximum(np.abs(cpu), 1e-6)))
        # Timing: resident inputs (as the peers), then as a loop sees it.
        res = self.tensorc(art, "train_step", inputs, [],
                           ["--train-steps", "30", "--iterations", "50",
                            "--repeat", "5"])
        row["tensorc_ms"] = res["run_ms_median"]
        row["tensorc_host_io_ms"] = res["train_step_ms_median"]
        row["tensorc_memory_mb"] = (res["param_bytes"] + res["arena_bytes"]) / 2**20
        self.guarded(f"train {model} peers", self.torch_training, row, model, inputs,
                     load_file(init), gpu[0], *optim[model], precision=precision)
        self.add(row)
        torch.cuda.empty_cache()

    def torch_training(self, row, model, inputs, init, loss0, make_opt, clip,
                       precision="f32"):
        """The peers' steps from tensorc's initial params `init`; `loss0` is
        tensorc's loss before its first step, checked against PyTorch's.
        Mixed precision: the peers run under torch.autocast with the same
        16-bit type, f16 with a GradScaler (tensorc's rules are its
        defaults)."""
        amp = {"bf16": torch.bfloat16, "f16": torch.float16}.get(precision)
        m = example_models.MODELS[model]
        data = {k: torch.from_numpy(np.load(f)).cuda() for k, f in inputs}
        for k in data:
            if not data[k].is_floating_point():
                data[k] = data[k].long()
        args = [data[k] for k in ("x", "idx") if k in data] + \
               [data[k] for k in ("y", "targets") if k in data]
        for label in self.peers:
            torch.cuda.empty_cache()
            # Memory of this step alone: what other workloads left allocated
            # is subtracted.
            baseline = torch.cuda.memory_allocated()
            params = {k: torch.nn.Parameter(torch.from_numpy(init[k]).cuda())
                      for k in m.params}
            opt = make_opt(list(params.values()))
            mode = PEER_MODES[label]
            loss_fn = m.loss if mode is None else torch.compile(m.loss, mode=mode)
            scaler = torch.cuda.amp.GradScaler() if precision == "f16" else None

            def step():
                with torch.autocast("cuda", dtype=amp, enabled=amp is not None):
                    loss = loss_fn(params, *args)
                if scaler:
                    scaler.scale(loss).backward()
                    if clip:
                        scaler.unscale_(opt)
                        torch.nn.utils.clip_grad_norm_(params.values(), clip)
                    scaler.step(opt)
                    scaler.update()
                else:
                    loss.backward()
                    if clip:
                        torch.nn.utils.clip_grad_norm_(params.values(), clip)
                    opt.step()
                opt.zero_grad(set_to_none=True)
                return loss
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            t0 = time.perf_counter()
            step()
            torch.cuda.synchronize()
            if mode is not None:
                row.setdefault("compile_s", {})[label] = time.perf_counter() - t0
            for _ in range(3):
                step()
            row["peer_ms"][label] = self.time_torch(step, 50)
            row.setdefault("peer_memory_mb", {})[label] = \
                (torch.cuda.max_memory_allocated() - baseline) / 2**20
        # Same params, same batch: the first losses agree.
        p0 = {k: torch.from_numpy(init[k]).cuda().double() for k in m.params}
        a64 = [a.double() if a.is_floating_point() else a for a in args]
        ref = float(m.loss(p0, *a64))
        row["err"]["loss0_vs_torch_f64"] = abs(loss0 - ref) / abs(ref)

    def selected(self, name):
        return re.search(self.args.only, name) is not None

    # -- report -----------------------------------------------------------
    def run(self):
        print(f"device: {torch.cuda.get_device_name()}, torch {torch.__version__}", flush=True)
        self.copy_bandwidth()
        self.matmuls()
        self.kernels()
        self.training()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--artifacts", required=True)
    p.add_argument("--bench", required=True, help="the tensorc-bench binary")
    p.add_argument("--out", required=True)
    p.add_argument("--only", default=".", help="regex over workload names")
    p.add_argument("--peers", default="eager,compile,reduce-overhead")
    a = p.parse_args()
    b = Bench(a)
    b.run()
    b.write()
    print(f"gpu_bench: {len(b.rows)} rows in {a.out}/gpu-bench.json")


if __name__ == "__main__":
    main()
