"""Agreement check of the PyTorch twin (tests/twin_test.ts): one inference pass and one training step on a given
batch, from a saved model, in fp32, with contiguous NCHW tensors.

Usage: twin_check.py MODEL_DIR BATCH_FILE RECIPE_JSON OUT_DIR
- MODEL_DIR: a saved model (model.json + weights.bin + fer-config.json, lib/model/io.ts);
- BATCH_FILE: little-endian float32: raw images [N,S,S,C] (NHWC), LBP images [N,S,S,1] (when the config has an
  LBP stream), one-hot labels [N,K], class weights [K];
- RECIPE_JSON: the TrainConfig (lib/engine/config.ts) of the step;
- OUT_DIR: receives the saved model after the step (moving variances as Keras keeps them, see
  twin_net.keras_running_var).
Prints one JSON line: {"probs": inference softmax [N*K] row-major, "loss": the step's loss}.
"""
import json
import os
import shutil
import sys

import numpy as np
import torch

from twin_net import TwinNet, keras_running_var, read_config, read_weights
from twin_train import make_optimizer, train_step


def read_batch(path: str, cfg: dict) -> dict:
    data = np.fromfile(path, dtype="<f4")
    s, c, k = cfg["inputSize"], cfg["channels"], cfg["numClasses"]
    lbp = cfg["lbp"] != "none"
    per = s * s * c + (s * s if lbp else 0) + k
    if (data.size - k) % per != 0 or data.size <= k:
        raise ValueError(f"{path}: {data.size} floats is not N images of {s}x{s}x{c}{' + LBP' if lbp else ''} + "
                         f"{k} one-hot labels each, then {k} class weights")
    n = (data.size - k) // per
    t = torch.from_numpy(data.copy())
    parts = [n * s * s * c, n * s * s if lbp else 0, n * k, k]
    raw, lb, onehot, cw = torch.split(t, parts)
    nchw = lambda x, ch: x.reshape(n, s, s, ch).permute(0, 3, 1, 2).contiguous()  # noqa: E731
    return {"raw": nchw(raw, c), "lbp": nchw(lb, 1) if lbp else None, "onehot": onehot.reshape(n, k),
            "class_weights": cw}


def main() -> None:
    if len(sys.argv) != 5 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(sys.argv) == 2 else 2)
    model_dir, batch_file, recipe_json, out_dir = sys.argv[1:]
    torch.manual_seed(0)
    torch.set_num_threads(1)  # the test suite runs files in parallel; one thread also keeps the sums' order fixed
    cfg = read_config(model_dir)
    net = TwinNet(cfg)
    net.load_saved(model_dir)
    batch = read_batch(batch_file, cfg)
    recipe = json.loads(recipe_json)
    net.eval()
    with torch.no_grad():
        probs = net.predict(batch["raw"], batch["lbp"])
    net.train()
    bns = [m for m in net.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    before = [bn.running_var.clone() for bn in bns]
    counts: dict[int, int] = {}
    hooks = [bn.register_forward_hook(lambda m, i, o: counts.__setitem__(id(m), i[0].numel() // i[0].shape[1]))
             for bn in bns]
    loss, _ = train_step(net, make_optimizer(net, recipe), batch, recipe)
    for h in hooks:
        h.remove()
    with torch.no_grad():
        for bn, v0 in zip(bns, before):
            bn.running_var.copy_(keras_running_var(v0, bn.running_var, 1 - bn.momentum, counts[id(bn)]))
    os.makedirs(out_dir, exist_ok=True)
    for name in ("model.json", "fer-config.json"):
        shutil.copy(os.path.join(model_dir, name), os.path.join(out_dir, name))
    specs, _ = read_weights(model_dir)
    net.save_weights(out_dir, specs)
    print(json.dumps({"probs": probs.flatten().tolist(), "loss": loss.item()}))


if __name__ == "__main__":
    main()
