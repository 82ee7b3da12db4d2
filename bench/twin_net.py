"""PyTorch twin of lib/model/build.ts: the paper's network family built from the same ModelConfig JSON.

Layer for layer what buildModel makes (two streams of VGG-16's first ten convs or 8x8 pooling, three 1x1
reductions, F3 = F1 + F2, the attention module with its trunk and mask branches, the dense atrous
reconstruction, flatten or global-average head, hidden FC-ReLU-dropout layers, a softmax FC), under the same
layer names, so that the weights of a saved model (model.json + weights.bin + fer-config.json, lib/model/io.ts)
load into it and its weights save back in that format.

Same BatchNorm: epsilon 1e-3 (Keras' default) and PyTorch momentum 1 - Keras momentum. One documented
difference: PyTorch keeps the unbiased batch variance in running_var, Keras (tfjs) the biased one; see
keras_running_var.

Usage (as a module; bench/twin_check.py and bench/twin_speed.py are the command lines):
    net = TwinNet(config); net.load_saved("outputs/models/m"); probs = net.predict(raw, lbp)
Tensors are NCHW, as PyTorch's convs take them; channels_last memory format is the caller's choice.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

VGG_BLOCKS = ((64, 64), (128, 128), (256, 256, 256), (512, 512, 512))
REDUCE_CHANNELS = (64, 64, 64)


def scaled_channels(base: int, width: float) -> int:
    """lib/model/config.ts scaledChannels: JavaScript's Math.round (half up), at least 1."""
    return max(1, math.floor(base * width + 0.5))


class ConvBnRelu(nn.Module):
    """conv (no bias, 'same' padding) + BatchNorm + ReLU, as Builder.convBnRelu / AtrousConv2D + bnRelu."""

    def __init__(self, cin: int, cout: int, k: int, keras_momentum: float, dilation: int = 1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, padding=dilation * (k // 2), dilation=dilation, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-3, momentum=1 - keras_momentum)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.bn(self.conv(x)), inplace=True)


class TwinNet(nn.Module):
    """The network of a ModelConfig (a dict, as in fer-config.json). forward returns the logits."""

    def __init__(self, config: dict):
        super().__init__()
        self.config = c = dict(config)
        self.width = c["width"]
        self.layers = nn.ModuleDict()
        # tfjs layer name -> ModuleDict key ("/" is not allowed in module names)
        self.names: dict[str, str] = {}
        m = c["bnMomentum"]
        ch = lambda base: scaled_channels(base, self.width)  # noqa: E731

        def stream(prefix: str, cin: int) -> int:
            if c["featureExtraction"]:
                for b, block in enumerate(VGG_BLOCKS):
                    for i, base in enumerate(block):
                        self._add(f"{prefix}/conv{b + 1}_{i + 1}", ConvBnRelu(cin, ch(base), 3, m))
                        cin = ch(base)
            for i, base in enumerate(REDUCE_CHANNELS):
                self._add(f"{prefix}/reduce{i + 1}", ConvBnRelu(cin, ch(base), 1, m))
                cin = ch(base)
            return cin

        f1 = stream("raw", c["channels"])
        self.has_lbp = c["lbp"] != "none"
        f2 = stream("lbp", 1) if self.has_lbp else 0
        f3 = f1
        a = f3
        k = ch(64)
        if c["attention"]:
            for i in (1, 2):
                self._add(f"att/trunk/conv{i}", ConvBnRelu(f3 if i == 1 else k, k, 3, m))
            mask_in = f3
            if self.has_lbp:
                mask_in = f2 if c["maskInput"] == "lbp" else f3 + f2
            for i in (1, 2):
                self._add(f"att/mask/conv{i}", ConvBnRelu(mask_in if i == 1 else k, k, 3, m))
            fm = nn.Conv2d(k, k, 1, bias=True)
            with torch.no_grad():
                fm.bias.fill_(c.get("maskBias", 0))
            self._add("att/mask/fm", fm)
            a = k
        feats = a
        if c["reconstruction"]:
            for i, d in enumerate(c["dilations"]):
                self._add(f"rec/atrous{i + 1}", ConvBnRelu(a + i * k + f1, k, 3, m, dilation=d))
            feats = k
        grid = c["inputSize"] // 2 // 2 // 2 if c["featureExtraction"] else c["inputSize"] // 8
        units = feats if c["head"] == "gap" else feats * grid * grid
        for i, u in enumerate(c["fcUnits"]):
            self._add(f"cls/fc{i + 1}", nn.Linear(units, u))
            units = u
        self._add("cls/out", nn.Linear(units, c["numClasses"]))

    def _add(self, name: str, module: nn.Module) -> None:
        key = name.replace("/", "__")
        self.names[name] = key
        self.layers[key] = module

    def _l(self, name: str) -> nn.Module:
        return self.layers[self.names[name]]

    def _stream(self, x: torch.Tensor, prefix: str) -> torch.Tensor:
        c = self.config
        if c["featureExtraction"]:
            for b, block in enumerate(VGG_BLOCKS):
                for i in range(len(block)):
                    x = self._l(f"{prefix}/conv{b + 1}_{i + 1}")(x)
                if b < len(VGG_BLOCKS) - 1:
                    x = F.max_pool2d(x, 2, 2)
        else:
            x = F.avg_pool2d(x, 8, 8)
        for i in range(len(REDUCE_CHANNELS)):
            x = self._l(f"{prefix}/reduce{i + 1}")(x)
        return x

    def features(self, raw: torch.Tensor, lbp: torch.Tensor | None = None):
        """(classifier input before pooling, F_m or None)."""
        c = self.config
        f1 = self._stream(raw, "raw")
        f2 = self._stream(lbp, "lbp") if self.has_lbp else None
        f3 = f1 + f2 if f2 is not None else f1
        a, mask = f3, None
        if c["attention"]:
            fp = self._l("att/trunk/conv2")(self._l("att/trunk/conv1")(f3))
            fm = f3
            if f2 is not None:
                fm = f2 if c["maskInput"] == "lbp" else torch.cat([f3, f2], 1)
            fm = self._l("att/mask/conv2")(self._l("att/mask/conv1")(fm))
            mask = torch.sigmoid(self._l("att/mask/fm")(fm))
            a = fp * mask
            if c["attentionMode"] == "residual":
                a = fp + a
            if c["attentionSkip"]:
                a = a + f3
        if c["reconstruction"]:
            outs = []
            for i in range(len(c["dilations"])):
                outs.append(self._l(f"rec/atrous{i + 1}")(torch.cat([a, *outs, f1], 1)))
            a = outs[-1]
        return a, mask

    def forward(self, raw: torch.Tensor, lbp: torch.Tensor | None = None) -> torch.Tensor:
        c = self.config
        x, _ = self.features(raw, lbp)
        # Keras flattens NHWC: channels vary fastest.
        x = x.mean((2, 3)) if c["head"] == "gap" else x.permute(0, 2, 3, 1).flatten(1)
        for i in range(len(c["fcUnits"])):
            x = F.relu(self._l(f"cls/fc{i + 1}")(x))
            if c["dropout"] > 0:
                x = F.dropout(x, c["dropout"], self.training)
        return self._l("cls/out")(x)

    def predict(self, raw: torch.Tensor, lbp: torch.Tensor | None = None) -> torch.Tensor:
        """Softmax probabilities, as the tfjs model's output."""
        return torch.softmax(self(raw, lbp), 1)

    def tf_weights(self) -> dict[str, tuple[torch.Tensor, str]]:
        """Every weight under its tfjs name, with its layout: "conv", "dense" or "plain"."""
        out: dict[str, tuple[torch.Tensor, str]] = {}
        for name, key in self.names.items():
            mod = self.layers[key]
            if isinstance(mod, ConvBnRelu):
                out[f"{name}/kernel"] = (mod.conv.weight, "conv")
                bn = f"{name}_bn"
                out[f"{bn}/gamma"] = (mod.bn.weight, "plain")
                out[f"{bn}/beta"] = (mod.bn.bias, "plain")
                out[f"{bn}/moving_mean"] = (mod.bn.running_mean, "plain")
                out[f"{bn}/moving_variance"] = (mod.bn.running_var, "plain")
            else:
                out[f"{name}/kernel"] = (mod.weight, "conv" if isinstance(mod, nn.Conv2d) else "dense")
                out[f"{name}/bias"] = (mod.bias, "plain")
        return out

    def decayed_params(self) -> list[nn.Parameter]:
        """The weights weight decay applies to: conv and dense kernels (lib/engine/loss.ts decayedWeights)."""
        return [t for t, layout in self.tf_weights().values() if layout != "plain"]

    def load_saved(self, folder: str) -> None:
        """Copies the weights of a saved model (model.json + weights.bin) in; every weight must be there."""
        specs, data = read_weights(folder)
        mine = self.tf_weights()
        missing = sorted(set(mine) - set(s["name"] for s in specs))
        extra = sorted(set(s["name"] for s in specs) - set(mine))
        if missing or extra:
            raise ValueError(f"{folder}/model.json: weights do not match the config: missing {missing}, extra {extra}")
        offset = 0
        with torch.no_grad():
            for s in specs:
                n = int(np.prod(s["shape"]))
                a = torch.from_numpy(data[offset:offset + n].reshape(s["shape"]).copy())
                offset += n
                t, layout = mine[s["name"]]
                t.copy_(from_keras(a, layout).reshape(t.shape) if layout != "plain" else a)

    def save_weights(self, folder: str, specs: list[dict]) -> None:
        """Writes weights.bin of `folder` in the order of `specs` (a model.json's weight list)."""
        mine = self.tf_weights()
        parts = []
        for s in specs:
            t, layout = mine[s["name"]]
            parts.append(to_keras(t.detach().float().cpu(), layout).contiguous().numpy().astype("<f4").ravel())
        np.concatenate(parts).tofile(os.path.join(folder, "weights.bin"))


def from_keras(a: torch.Tensor, layout: str) -> torch.Tensor:
    """Keras kernel -> PyTorch weight: conv [kh,kw,cin,cout] -> [cout,cin,kh,kw], dense [in,out] -> [out,in]."""
    return a.permute(3, 2, 0, 1) if layout == "conv" else a.t()


def to_keras(t: torch.Tensor, layout: str) -> torch.Tensor:
    """The inverse of from_keras; plain tensors pass."""
    if layout == "conv":
        return t.permute(2, 3, 1, 0)
    return t.t() if layout == "dense" else t


def read_weights(folder: str):
    """(weight specs of model.json, weights.bin as float32): a saved model of lib/model/io.ts."""
    with open(os.path.join(folder, "model.json")) as f:
        manifest = json.load(f)["weightsManifest"]
    specs = [w for group in manifest for w in group["weights"]]
    bad = [s["name"] for s in specs if s.get("dtype", "float32") != "float32"]
    if bad:
        raise ValueError(f"{folder}/model.json: only float32 weights are supported, got {bad}")
    data = np.concatenate([np.fromfile(os.path.join(folder, p), dtype="<f4") for g in manifest for p in g["paths"]])
    expected = sum(int(np.prod(s["shape"])) for s in specs)
    if data.size != expected:
        raise ValueError(f"{folder}: expected {expected} float32 weights for model.json, found {data.size}")
    return specs, data


def read_config(folder: str) -> dict:
    """The ModelConfig of a saved model (fer-config.json's `config`)."""
    with open(os.path.join(folder, "fer-config.json")) as f:
        return json.load(f)["config"]


def keras_running_var(before: torch.Tensor, after: torch.Tensor, keras_momentum: float, n: int) -> torch.Tensor:
    """The moving variance Keras keeps after one training step, from PyTorch's: PyTorch averages the unbiased batch
    variance (n / (n - 1) times the biased one) into running_var, Keras the biased one; n = N·H·W."""
    m = 1 - keras_momentum
    unbiased = (after - (1 - m) * before) / m
    return (1 - m) * before + m * unbiased * (n - 1) / n
