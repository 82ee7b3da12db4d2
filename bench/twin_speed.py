"""Training and inference speed of the PyTorch twin (bench/twin_net.py) of a saved model, for bench/twin.ts: the
training step of lib/engine/ (bench/twin_train.py) on random inputs, and softmax inference in eval mode, timed on
request so that the bench can interleave short blocks of the twin's steps with the torch backend's.

Usage: python3 bench/twin_speed.py --model DIR --recipe JSON [--batch 32] [--warmup 5] [--threads 2]
       [--device cpu|cuda] [--precision fp32|bf16] [--memory-format channels_last|contiguous]
Precision bf16: autocast (convs and matmuls in bfloat16), as the torch backend's bf16 and bench/torch_ref.py.
After the warm-up steps it prints one JSON line ({"engine", "device", "precision", "memory_format", "threads",
"size", "batch"}), then answers each line of stdin with one JSON line: "train N" → {"step_ms": [N times]}; "infer N"
→ {"infer_ms": ms a batch, over N after one untimed}; "profile N" → {"profile": the ATen ops of N training steps
(torch.profiler), each op's self milliseconds and calls per step, largest first}. It ends at the end of stdin.
"""
import argparse
import json
import sys
import time

import torch

from twin_net import TwinNet, read_config
from twin_train import make_optimizer, train_step


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True, help="saved model folder (model.json, weights.bin, fer-config.json)")
    p.add_argument("--recipe", required=True, help="TrainConfig JSON (lib/engine/config.ts), optimizer sgd")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cpu", help="cpu or cuda (timed with torch.cuda.synchronize)")
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    p.add_argument("--memory-format", default="channels_last", choices=["channels_last", "contiguous"])
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    if dev.type == "cuda":
        torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.benchmark = True
    fmt = torch.channels_last if a.memory_format == "channels_last" else torch.contiguous_format
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    autocast = torch.autocast(dev.type, dtype=torch.bfloat16, enabled=a.precision == "bf16")
    cfg = read_config(a.model)
    net = TwinNet(cfg)
    net.load_saved(a.model)
    net = net.to(dev, memory_format=fmt)
    recipe = json.loads(a.recipe)
    opt = make_optimizer(net, recipe)
    s, k = cfg["inputSize"], cfg["numClasses"]
    image = lambda c: torch.rand(a.batch, c, s, s, device=dev).to(memory_format=fmt)  # noqa: E731
    labels = torch.randint(0, k, (a.batch,), device=dev)
    batch = {
        "raw": image(cfg["channels"]),
        "lbp": image(1) if cfg["lbp"] != "none" else None,
        "onehot": torch.nn.functional.one_hot(labels, k).float(),
        "class_weights": torch.ones(k, device=dev),
    }
    net.train()
    for _ in range(a.warmup):
        train_step(net, opt, batch, recipe, autocast)
    sync()

    def train(n: int) -> dict:
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            train_step(net, opt, batch, recipe, autocast)[0].item()
            sync()
            times.append((time.perf_counter() - t0) * 1000)
        return {"step_ms": times}

    def infer(n: int) -> dict:
        net.eval()
        with torch.no_grad(), autocast:
            net.predict(batch["raw"], batch["lbp"])
            sync()
            t0 = time.perf_counter()
            for _ in range(n):
                net.predict(batch["raw"], batch["lbp"]).float().cpu()
            sync()
            ms = (time.perf_counter() - t0) * 1000 / n
        net.train()
        return {"infer_ms": ms}

    def profile(n: int) -> dict:
        return {"profile": op_profile(lambda: train_step(net, opt, batch, recipe, autocast)[0].item(), n)}

    print(json.dumps({
        "engine": f"pytorch {torch.__version__} twin",
        "device": torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu",
        "precision": a.precision,
        "memory_format": a.memory_format,
        "threads": a.threads,
        "size": s,
        "batch": a.batch,
    }), flush=True)
    commands = {"train": train, "infer": infer, "profile": profile}
    for line in sys.stdin:
        cmd, n = line.split()
        if cmd not in commands or int(n) < 1:
            raise SystemExit(f"twin_speed.py: unknown request {line.strip()!r} (train N, infer N or profile N)")
        print(json.dumps(commands[cmd](int(n))), flush=True)


def op_profile(step, steps: int, top: int = 16) -> list:
    """Self CPU milliseconds and calls per step of each ATen op over `steps` calls of `step`, largest first."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(steps):
            step()
    rows = sorted(prof.key_averages(), key=lambda e: e.self_cpu_time_total, reverse=True)
    return [{"op": e.key, "ms": round(e.self_cpu_time_total / 1000 / steps, 3), "calls": e.count / steps}
            for e in rows[:top]]


if __name__ == "__main__":
    main()
