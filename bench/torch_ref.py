"""PyTorch reference for bench/train.ts: the same network as bench/ref_net.ts (3 VGG blocks 64-64,
128-128, 256x3 of conv3x3 + BatchNorm + ReLU with 2x2 max-pool, flatten, dense 256 + ReLU, dense
classes), Adam 1e-3, cross-entropy, channels-first as PyTorch prefers.

Usage: python3 bench/torch_ref.py --size 48 --batch 32 --steps 5 --threads 2 [--device cuda] [--precision bf16]
Precision: fp32 (TF32 off), tf32 (TF32 tensor cores on CUDA), bf16 (autocast: convs/matmuls in bfloat16).
Prints one JSON line: {"train_img_s": ..., "infer_img_s": ..., "step_ms": [...]}.
"""
import argparse
import json
import time

import torch
import torch.nn as nn


def reference_net(size: int, channels: int, classes: int) -> nn.Module:
    layers, c = [], channels
    for block in ([64, 64], [128, 128], [256, 256, 256]):
        for f in block:
            layers += [nn.Conv2d(c, f, 3, padding=1), nn.BatchNorm2d(f, eps=1e-3, momentum=0.01), nn.ReLU()]
            c = f
        layers.append(nn.MaxPool2d(2, 2))
    s = size // 8
    layers += [nn.Flatten(), nn.Linear(256 * s * s, 256), nn.ReLU(), nn.Linear(256, classes)]
    return nn.Sequential(*layers)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--size", type=int, default=48)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--channels", type=int, default=1)
    p.add_argument("--classes", type=int, default=7)
    p.add_argument("--device", default="cpu", help="cpu or cuda (timed with torch.cuda.synchronize)")
    p.add_argument("--precision", default="fp32", choices=["fp32", "tf32", "bf16"])
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    if dev.type == "cuda":  # TF32 tensor cores only when asked; cuDNN picks its fastest algorithms
        torch.backends.cudnn.allow_tf32 = a.precision == "tf32"
        torch.backends.cuda.matmul.allow_tf32 = a.precision == "tf32"
        torch.backends.cudnn.benchmark = True
    autocast = torch.autocast(dev.type, dtype=torch.bfloat16, enabled=a.precision == "bf16")
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    model = reference_net(a.size, a.channels, a.classes).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(a.batch, a.channels, a.size, a.size, device=dev)
    y = torch.randint(0, a.classes, (a.batch,), device=dev)

    def step() -> None:
        opt.zero_grad()
        with autocast:
            loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        sync()

    model.train()
    for _ in range(a.warmup):
        step()
    times = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    model.eval()
    with torch.no_grad(), autocast:
        model(x)
        sync()
        t0 = time.perf_counter()
        n = max(1, a.steps)
        for _ in range(n):
            model(x)
        sync()
        infer_ms = (time.perf_counter() - t0) * 1000 / n
    train_ms = sum(times) / len(times)
    print(json.dumps({
        "engine": f"pytorch {torch.__version__}",
        "device": torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu",
        "precision": a.precision,
        "threads": a.threads,
        "size": a.size,
        "batch": a.batch,
        "train_img_s": a.batch * 1000 / train_ms,
        "infer_img_s": a.batch * 1000 / infer_ms,
        "step_ms": [round(t, 1) for t in times],
    }))


if __name__ == "__main__":
    main()
