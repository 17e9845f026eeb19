#!/usr/bin/env python3
"""Markdown tables of bench/gpu_bench.py's JSON (one or more runs; a later
run's row replaces an earlier one of the same workload and size).

  python3 bench/gpu_report.py RUN.json [RUN.json ...] > table.md
"""
import json, sys


def fmt(v, digits=3):
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.{digits}g}"
    return str(v)


def ratio(a, b):
    """How many times faster tensorc (a) is than the peer (b)."""
    return f"{b / a:.2f}×" if a and b else "—"


def main():
    rows, metas = {}, []
    for path in sys.argv[1:]:
        run = json.load(open(path))
        metas.append(run["meta"])
        for r in run["rows"]:
            if "error" in r and "size" not in r:
                continue  # a workload that raised: its row says so in the JSON
            rows[(r["workload"], r.get("size"))] = dict(r, commit=run["meta"]["commit"])
    for m in metas:
        print(f"- run: {m['device']}, torch {m['torch']}, {m['date']}, "
              f"commit {m['commit']}, peers {', '.join(m['peers'])}")
    copy = next((r for (w, _), r in rows.items() if w.startswith("copy")), None)
    if copy:
        print(f"- device-to-device copy (read + write): "
              f"{copy['gbs']['torch']:.0f} GB/s, the bandwidth ceiling below")
    print()

    print("| workload | size | tensorc ms | eager ms | compile ms | tensorc GB/s "
          "| of copy | vs eager | vs compile | rel. error (tensorc) | commit |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for (w, size), r in rows.items():
        if "bytes" not in r:
            continue
        p = r.get("peer_ms", {})
        tc = r.get("tensorc_ms")
        frac = r.get("fraction_of_copy")
        print(f"| {w} | {size} | {fmt(tc)} | {fmt(p.get('eager'))} | "
              f"{fmt(p.get('compile'))} | {fmt(r['gbs'].get('tensorc'), 4)} | "
              f"{f'{100 * frac:.0f}%' if frac else '—'} | {ratio(tc, p.get('eager'))} | "
              f"{ratio(tc, p.get('compile'))} | {fmt(r['err'].get('tensorc'))} | "
              f"{r['commit']} |")
    print()

    print("| product | size | tensorc ms (nvptx) | tensorc ms (nvrtc) | cuBLAS ms | "
          "tensorc TFLOP/s | cuBLAS TFLOP/s | of cuBLAS | rel. error | commit |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for (w, size), r in rows.items():
        if "flops" not in r:
            continue
        t = r.get("tflops", {})
        frac = t.get("tensorc", 0) / t["cublas"] if t.get("cublas") else None
        print(f"| {w} | {size} | {fmt(r.get('tensorc_ms'))} | "
              f"{fmt(r.get('tensorc_nvrtc_ms'))} | {fmt(r['peer_ms'].get('cublas'))} | "
              f"{fmt(t.get('tensorc'))} | {fmt(t.get('cublas'))} | "
              f"{f'{100 * frac:.1f}%' if frac else '—'} | {fmt(r['err'].get('tensorc'))} | "
              f"{r['commit']} |")
    print()

    print("| train step | batch | tensorc ms | tensorc ms, host I/O | eager ms | "
          "compile ms | reduce-overhead ms | vs eager | vs compile | vs r-o | "
          "losses vs CPU | loss 0 vs torch f64 | tensorc MB | commit |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for (w, size), r in rows.items():
        if not w.startswith("train_step"):
            continue
        p = r.get("peer_ms", {})
        tc = r.get("tensorc_ms")
        e = r.get("err", {})
        print(f"| {w.split()[-1]} | {size} | {fmt(tc)} | {fmt(r.get('tensorc_host_io_ms'))} | "
              f"{fmt(p.get('eager'))} | {fmt(p.get('compile'))} | "
              f"{fmt(p.get('reduce-overhead'))} | {ratio(tc, p.get('eager'))} | "
              f"{ratio(tc, p.get('compile'))} | {ratio(tc, p.get('reduce-overhead'))} | "
              f"{fmt(e.get('tensorc_vs_cpu'))} | {fmt(e.get('loss0_vs_torch_f64'))} | "
              f"{fmt(r.get('tensorc_memory_mb'))} | {r['commit']} |")


if __name__ == "__main__":
    main()
