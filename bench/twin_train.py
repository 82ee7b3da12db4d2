"""The training step of lib/engine/ for the PyTorch twin (bench/twin_net.py), from a TrainConfig JSON.

- Loss (lib/engine/loss.ts weightedCrossEntropy): softmax, clipped to [1e-7, 1 - 1e-7], cross-entropy against
  the one-hot labels (or (1 - eps)·onehot + eps/k with label smoothing eps), each sample weighted by its true
  class's weight, summed and divided by the batch size.
- Optimiser (lib/engine/optimizer.ts): SGD with momentum (Nesterov when the config says so); tfjs' momentum
  update is PyTorch's with dampening 0. Weight decay wd·W is added to the conv and dense kernels' gradients
  only (lib/engine/loss.ts decayGradients): PyTorch's coupled weight_decay on that parameter group.

Usage: opt = make_optimizer(net, recipe); loss, correct = train_step(net, opt, batch, recipe)
"""
import contextlib

import torch


def weighted_cross_entropy(logits: torch.Tensor, onehot: torch.Tensor, class_weights: torch.Tensor,
                           smoothing: float = 0.0) -> torch.Tensor:
    probs = torch.softmax(logits.float(), 1)
    k = onehot.shape[1]
    targets = onehot * (1 - smoothing) + smoothing / k if smoothing > 0 else onehot
    ce = -(targets * probs.clamp(1e-7, 1 - 1e-7).log()).sum(1)
    w = (onehot * class_weights).sum(1)
    return (ce * w).sum() / logits.shape[0]


def make_optimizer(net, recipe: dict) -> torch.optim.Optimizer:
    """The optimiser of a TrainConfig (optimizer "sgd" only: the CPU profile's recipe and the "sgd" preset)."""
    if recipe["optimizer"] != "sgd":
        raise ValueError(f"twin: train config optimizer must be sgd, got {recipe['optimizer']!r}")
    decayed = net.decayed_params()
    ids = {id(p) for p in decayed}
    rest = [p for p in net.parameters() if id(p) not in ids]
    wd = recipe.get("weightDecay", 0) or 0
    groups = [{"params": decayed, "weight_decay": wd}, {"params": rest, "weight_decay": 0}]
    return torch.optim.SGD(groups, lr=recipe["lr"], momentum=recipe["momentum"],
                           nesterov=bool(recipe.get("nesterov", False)))


def train_step(net, opt: torch.optim.Optimizer, batch: dict, recipe: dict,
               autocast=contextlib.nullcontext()) -> tuple[torch.Tensor, torch.Tensor]:
    """One optimiser step on `batch` ({raw, lbp (or None), onehot, class_weights}); returns the loss (detached) and
    the batch's count of rows whose arg-max is the label, as lib/engine/step.ts's trainStep does."""
    opt.zero_grad(set_to_none=True)
    with autocast:
        logits = net(batch["raw"], batch["lbp"])
    loss = weighted_cross_entropy(logits, batch["onehot"], batch["class_weights"], recipe.get("labelSmoothing", 0) or 0)
    with torch.no_grad():
        correct = (logits.argmax(1) == batch["onehot"].argmax(1)).float().sum()
    loss.backward()
    opt.step()
    return loss.detach(), correct
