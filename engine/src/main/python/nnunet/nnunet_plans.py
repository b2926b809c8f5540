"""Reading nnU-Net v2 plans.json / dataset.json (pure Python, no nnunetv2 needed)."""
from __future__ import annotations


def configuration(plans: dict, name: str = "3d_fullres") -> dict:
    """One configuration of a plans.json with `inherits_from` resolved (child keys win)."""
    cfgs = plans["configurations"]
    if name not in cfgs:
        raise ValueError(f"plans.json has no configuration '{name}' (has {sorted(cfgs)})")
    cfg = dict(cfgs[name])
    parent = cfg.pop("inherits_from", None)
    return {**configuration(plans, parent), **cfg} if parent else cfg


def labels(dataset: dict) -> dict[int, str]:
    """dataset.json 'labels' (name -> index, nnU-Net v2) as index -> name without background."""
    out = {}
    for name, idx in dataset["labels"].items():
        if isinstance(idx, (list, tuple)):
            raise ValueError(f"region-based label '{name}': {idx} is not supported (argmax models only)")
        if int(idx) != 0:
            out[int(idx)] = name
    expected = list(range(1, len(out) + 1))
    if sorted(out) != expected:
        raise ValueError(f"dataset.json labels must be consecutive 1..{len(out)}, got {sorted(out)}")
    return out
