"""PyTorch implementations of the example models' `forward` and `loss`.

Each one is written from its .tdsl source in examples/ and follows it line by
line: dense weights are [in, out] and used as `x @ w`, convolution weights
are OIHW, and the builtins mean what docs/language.md says (PyTorch's
semantics). check_examples.py runs them in float64 as the reference for
`tensorc run`.

A model here is: `params` (name -> shape, in the order of the .tdsl),
`inputs(rng, batch)` (the `forward` inputs and the `loss` labels), and
`forward(p, ...)` / `loss(p, ...)` taking a dict of torch tensors.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F


def linear_params(sizes, prefix_w, prefix_b):
    """{w1: [784, 256], b1: [256], ...} for a stack of dense layers."""
    params = {}
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]), 1):
        params[f"{prefix_w}{i}"] = (n_in, n_out)
        params[f"{prefix_b}{i}"] = (n_out,)
    return params


class FashionMLP:
    """examples/fashion_mlp.tdsl: 784-256-128-10, relu between."""

    name = "fashion_mlp"
    params = linear_params([784, 256, 128, 10], "w", "b")

    @staticmethod
    def inputs(rng, batch):
        x = rng.standard_normal((batch, 784)).astype(np.float32)
        y = rng.integers(0, 10, size=batch).astype(np.int32)
        return {"x": x}, {"y": y}

    @staticmethod
    def forward(p, x):
        h1 = torch.relu(x @ p["w1"] + p["b1"])
        h2 = torch.relu(h1 @ p["w2"] + p["b2"])
        return h2 @ p["w3"] + p["b3"]

    @classmethod
    def loss(cls, p, x, y):
        return F.cross_entropy(cls.forward(p, x), y.long())


class FashionCNN:
    """examples/fashion_cnn.tdsl: two conv(3x3, pad 1) + relu + max-pool(2)
    layers, then two dense layers."""

    name = "fashion_cnn"
    params = {
        "k1": (32, 1, 3, 3), "c1": (32,),
        "k2": (64, 32, 3, 3), "c2": (64,),
        "w1": (3136, 128), "b1": (128,),
        "w2": (128, 10), "b2": (10,),
    }

    @staticmethod
    def inputs(rng, batch):
        x = rng.standard_normal((batch, 1, 28, 28)).astype(np.float32)
        y = rng.integers(0, 10, size=batch).astype(np.int32)
        return {"x": x}, {"y": y}

    @staticmethod
    def forward(p, x):
        h1 = F.max_pool2d(torch.relu(F.conv2d(x, p["k1"], p["c1"],
                                              padding=1)), 2)
        h2 = F.max_pool2d(torch.relu(F.conv2d(h1, p["k2"], p["c2"],
                                              padding=1)), 2)
        h3 = torch.relu(h2.reshape(x.shape[0], 3136) @ p["w1"] + p["b1"])
        return h3 @ p["w2"] + p["b2"]

    @classmethod
    def loss(cls, p, x, y):
        return F.cross_entropy(cls.forward(p, x), y.long())


def gpt_params(T, V, C):
    """TinyGPT's params, in the order of the .tdsl."""
    params = {"tok": (V, C), "pos": (T, C)}
    for i in (1, 2):
        params.update({
            f"ln{i}a_g": (C,), f"ln{i}a_b": (C,),
            f"wq{i}": (C, C), f"wk{i}": (C, C), f"wv{i}": (C, C),
            f"wo{i}": (C, C),
            f"ln{i}m_g": (C,), f"ln{i}m_b": (C,),
            f"fc{i}": (C, 4 * C), f"fb{i}": (4 * C,),
            f"pr{i}": (4 * C, C), f"pb{i}": (C,),
        })
    params.update({"lnf_g": (C,), "lnf_b": (C,), "head": (C, V)})
    return params


class TinyGPT:
    """examples/tiny_gpt.tdsl: token + position embeddings, two pre-norm
    transformer blocks (causal 4-head attention, a tanh-GELU MLP), a final
    layernorm and a linear head."""

    name = "tiny_gpt"
    T, V, C, H, D = 64, 96, 128, 4, 32
    params = gpt_params(T, V, C)

    @classmethod
    def inputs(cls, rng, batch):
        idx = rng.integers(0, cls.V, size=(batch, cls.T)).astype(np.int32)
        targets = rng.integers(0, cls.V, size=(batch, cls.T)).astype(np.int32)
        return {"idx": idx}, {"targets": targets}

    @classmethod
    def heads(cls, x):
        b = x.shape[0]
        return x.reshape(b, cls.T, cls.H, cls.D).permute(0, 2, 1, 3)

    @classmethod
    def attention(cls, x, wq, wk, wv, wo):
        q, k, v = cls.heads(x @ wq), cls.heads(x @ wk), cls.heads(x @ wv)
        scores = q @ k.transpose(-2, -1) * 0.17677669529663687
        mask = torch.triu(torch.ones(cls.T, cls.T, dtype=torch.bool,
                                     device=x.device), 1)
        att = F.softmax(scores.masked_fill(mask, -math.inf), -1)
        y = (att @ v).permute(0, 2, 1, 3)
        return y.reshape(x.shape[0], cls.T, cls.C) @ wo

    @staticmethod
    def mlp(x, fc, fb, pr, pb):
        return F.gelu(x @ fc + fb, approximate="tanh") @ pr + pb

    @classmethod
    def block(cls, p, i, x):
        ln = lambda v, g, b: F.layer_norm(v, (cls.C,), g, b)  # noqa: E731
        a = x + cls.attention(ln(x, p[f"ln{i}a_g"], p[f"ln{i}a_b"]),
                              p[f"wq{i}"], p[f"wk{i}"], p[f"wv{i}"],
                              p[f"wo{i}"])
        return a + cls.mlp(ln(a, p[f"ln{i}m_g"], p[f"ln{i}m_b"]),
                           p[f"fc{i}"], p[f"fb{i}"], p[f"pr{i}"],
                           p[f"pb{i}"])

    @classmethod
    def forward(cls, p, idx):
        x = p["tok"][idx.long()] + p["pos"]
        x = cls.block(p, 2, cls.block(p, 1, x))
        return F.layer_norm(x, (cls.C,), p["lnf_g"], p["lnf_b"]) @ p["head"]

    @classmethod
    def loss(cls, p, idx, targets):
        logits = cls.forward(p, idx).reshape(-1, cls.V)
        return F.cross_entropy(logits, targets.reshape(-1).long())


MODELS = {m.name: m for m in (FashionMLP, FashionCNN, TinyGPT)}
