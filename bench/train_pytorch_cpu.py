#!/usr/bin/env python3
"""PyTorch (CPU) reference for `tensorc train`: the same model, optimizer,
batch size and data (Fashion-MNIST, normalised with mean 0.2860 and std
0.3530, as tensorc's loader does), timed per epoch.

  /usr/bin/python3 bench/train_pytorch_cpu.py --model mlp --epochs 1 --batch 64
  /usr/bin/python3 bench/train_pytorch_cpu.py --model cnn --batch 64 --max-steps 200
"""
import argparse, gzip, json, time

import numpy as np
import torch

DIR = "/usr/share/datasets/fashion-mnist"


def idx(name):
    with gzip.open(f"{DIR}/{name}.gz") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(split):
    prefix = "train" if split == "train" else "t10k"
    x = idx(f"{prefix}-images-idx3-ubyte").astype(np.float32) / 255.0
    x = (x - np.float32(0.2860)) / np.float32(0.3530)
    return torch.tensor(x), torch.tensor(idx(f"{prefix}-labels-idx1-ubyte").astype(np.int64))


def model_of(name):
    if name == "mlp":
        return torch.nn.Sequential(
            torch.nn.Flatten(), torch.nn.Linear(784, 256), torch.nn.ReLU(),
            torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(3136, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 10))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--max-steps", type=int, default=0,
                   help="stop each epoch after this many steps (timing runs)")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    xtr, ytr = load("train")
    xte, yte = load("test")
    if a.model == "cnn":
        xtr, xte = xtr[:, None], xte[:, None]
    net = model_of(a.model)
    opt = (torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-4)
           if a.model == "mlp" else torch.optim.Adam(net.parameters(), lr=1e-3))
    for epoch in range(a.epochs):
        order = torch.randperm(len(xtr))
        start, total, seen, steps = time.perf_counter(), 0.0, 0, 0
        for i in range(0, len(xtr), a.batch):
            if a.max_steps and steps == a.max_steps:
                break
            b = order[i:i + a.batch]
            seen, steps = seen + len(b), steps + 1
            loss = torch.nn.functional.cross_entropy(net(xtr[b]), ytr[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss) * len(b)
        seconds = time.perf_counter() - start
        with torch.no_grad():
            acc = float((net(xte).argmax(1) == yte).float().mean())
        print(json.dumps({"epoch": epoch + 1, "train_loss": total / seen,
                          "test_accuracy": acc, "seconds": seconds,
                          "steps": steps,
                          "examples_per_second": seen / seconds,
                          "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
