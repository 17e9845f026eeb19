"""Checks tensorc's params files with Python's safetensors (params.test).

  params_check.py prepare DIR   reads DIR/p.safetensors (tensorc init) and
      prints what it holds; writes fresh random inputs DIR/x.npy, changed
      params DIR/tuned.safetensors (Python's writer), a file that does not
      match the model DIR/bad.safetensors, and the float64 numpy forward
      of the tuned params DIR/ref.npy.
  params_check.py compare DIR   compares DIR/out.npy with DIR/ref.npy.
"""
import os
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file


def forward(p, x):
    h = np.maximum(x @ p["w1"] + p["b1"], 0)
    h = np.maximum(h @ p["w2"] + p["b2"], 0)
    return h @ p["w3"] + p["b3"]


def prepare(d):
    path = os.path.join(d, "p.safetensors")
    params = load_file(path)
    with safe_open(path, framework="np") as f:
        print("metadata", f.metadata())
    for name in sorted(params):
        v = params[name]
        print(name, v.dtype, v.shape)
    # kaiming_uniform: U(-b, b), b = sqrt(6 / fan_in); biases start at zero.
    for w, fan_in in (("w1", 784), ("w2", 256), ("w3", 128)):
        bound = np.sqrt(6 / fan_in)
        v = params[w]
        assert np.abs(v).max() <= bound and np.abs(v).max() > 0.9 * bound, w
        assert abs(v.mean()) < 0.05 * bound and v.std() > 0.5 * bound, w
    for b in ("b1", "b2", "b3"):
        assert not params[b].any(), b
    print("initializers ok")

    seed = int(os.environ.get("TC_NUMERICS_SEED") or np.random.SeedSequence().entropy % 2**32)
    print("seed", seed, file=sys.stderr)
    rng = np.random.default_rng(seed)
    tuned = {k: (v * rng.uniform(0.5, 2) if k.startswith("w")
                 else rng.standard_normal(v.shape).astype(np.float32))
             for k, v in params.items()}
    save_file(tuned, os.path.join(d, "tuned.safetensors"))
    x = rng.standard_normal((9, 784)).astype(np.float32)
    np.save(os.path.join(d, "x.npy"), x)
    ref = forward({k: v.astype(np.float64) for k, v in tuned.items()},
                  x.astype(np.float64))
    np.save(os.path.join(d, "ref.npy"), ref)
    bad = dict(tuned)
    bad["w2"] = tuned["w2"][:, :100].copy()
    bad["b3"] = tuned["b3"].astype(np.float64)
    del bad["b1"]
    bad["extra"] = np.arange(3, dtype=np.int64)
    save_file(bad, os.path.join(d, "bad.safetensors"))


def compare(d):
    out = np.load(os.path.join(d, "out.npy"))
    ref = np.load(os.path.join(d, "ref.npy"))
    assert out.shape == ref.shape == (9, 10), (out.shape, ref.shape)
    # f32 products of length 784 against a float64 reference.
    err = np.abs(out - ref).max() / np.abs(ref).max()
    assert err < 1e-5, err
    print("forward matches numpy")


{"prepare": prepare, "compare": compare}[sys.argv[1]](sys.argv[2])
