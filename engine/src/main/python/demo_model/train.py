"""Train the demo model on prepared phantoms (prepare.py) for a fixed wall-clock budget.

usage: train.py PREPARED_DIR OUT_CHECKPOINT --minutes 24 [--seed 7] [--val 8] [--init CKPT] [--more PREPARED_DIR2]
The last --val exams (sorted by id) are held out and scored (Dice at model resolution) as training goes.
"""
import argparse
import glob
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from common import NUM_CLASSES, PATCH, STRUCTURES, DemoUNet

CROP = [64, 64, 64]  # z, y, x (default; --crop); keep equal to PATCH, see common.py


def pad_to_patch(img, lab):
    """Centre-pad (z, y, x) arrays to at least the model patch and the training crop, like the Java engine
    (0 in normalized units)."""
    need = [max(p, c) for p, c in zip(PATCH[::-1], CROP)]
    out_i = np.zeros(tuple(max(n, s) for n, s in zip(need, img.shape)), np.float16)
    out_l = np.zeros(out_i.shape, np.uint8)
    o = [(t - s) // 2 for t, s in zip(out_i.shape, img.shape)]
    sl = tuple(slice(a, a + s) for a, s in zip(o, img.shape))
    out_i[sl] = img
    out_l[sl] = lab
    return out_i, out_l


def load(files):
    data = []
    for f in files:
        z = np.load(f)
        data.append(pad_to_patch(z["img"], z["lab"]))
    return data


def batch(data, rng, n):
    xs, ys = [], []
    for _ in range(n):
        img, lab = data[rng.integers(len(data))]
        if rng.random() < 0.7:
            # Centre most crops on a random structure voxel: background dominates otherwise.
            fg = np.flatnonzero(lab[::4, ::4, ::4])
            zc, yc, xc = np.unravel_index(fg[rng.integers(len(fg))], lab[::4, ::4, ::4].shape)
            centre = (zc * 4, yc * 4, xc * 4)
            st = [int(np.clip(m - c // 2 + rng.integers(-8, 9), 0, s - c)) for m, s, c in zip(centre, img.shape, CROP)]
        else:
            st = [rng.integers(0, s - c + 1) for s, c in zip(img.shape, CROP)]
        sl = tuple(slice(a, a + c) for a, c in zip(st, CROP))
        x = img[sl].astype(np.float32)
        # Contrast and noise augmentation: scanners and contrast phases differ.
        x = x * rng.uniform(0.9, 1.1) + rng.uniform(-0.05, 0.05)
        xs.append(x)
        ys.append(lab[sl].astype(np.int64))
    return torch.from_numpy(np.stack(xs)[:, None]), torch.from_numpy(np.stack(ys))


CLASS_WEIGHTS = None


def loss_fn(logits, y):
    ce = F.cross_entropy(logits, y, weight=CLASS_WEIGHTS)
    p = logits.softmax(1)
    onehot = F.one_hot(y, NUM_CLASSES).permute(0, 4, 1, 2, 3).float()
    dims = (0, 2, 3, 4)
    inter = (p * onehot).sum(dims)
    denom = p.sum(dims) + onehot.sum(dims)
    dice = (2 * inter + 1) / (denom + 1)
    return ce + 1 - dice[1:].mean()


def tile_starts(n, p, step=0.5):
    """nnU-Net's tile placement: evenly spread starts, at most step * patch apart."""
    k = max(1, int(np.ceil((n - p) / (step * p))) + 1)
    return [int(round(i * (n - p) / (k - 1))) if k > 1 else 0 for i in range(k)]


def gaussian(p, sigma_scale=0.125):
    g = [np.exp(-0.5 * ((np.arange(s) - (s - 1) / 2) / (s * sigma_scale)) ** 2) for s in p]
    w = g[0][:, None, None] * g[1][None, :, None] * g[2][None, None, :]
    return torch.from_numpy((w / w.max()).astype(np.float32))


@torch.no_grad()
def predict(net, img):
    """Sliding-window prediction of a (z, y, x) image over PATCH tiles with Gaussian weights, as the engine does."""
    p = PATCH[::-1]
    x = torch.from_numpy(img.astype(np.float32))[None, None]
    acc = torch.zeros(NUM_CLASSES, *img.shape)
    wsum = torch.zeros(img.shape)
    w = gaussian(p)
    for z in tile_starts(img.shape[0], p[0]):
        for y in tile_starts(img.shape[1], p[1]):
            for xx in tile_starts(img.shape[2], p[2]):
                sl = (slice(z, z + p[0]), slice(y, y + p[1]), slice(xx, xx + p[2]))
                acc[(slice(None),) + sl] += net(x[(slice(None), slice(None)) + sl])[0] * w
                wsum[sl] += w
    return (acc / wsum).argmax(0).numpy()


def evaluate(net, data):
    net.eval()
    scores = np.zeros((len(data), NUM_CLASSES - 1))
    for i, (img, lab) in enumerate(data):
        pred = predict(net, img)
        for c in range(1, NUM_CLASSES):
            a, b = pred == c, lab == c
            s = a.sum() + b.sum()
            scores[i, c - 1] = 2 * (a & b).sum() / s if s else 1.0
    net.train()
    return scores.mean(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("prepared")
    ap.add_argument("out")
    ap.add_argument("--minutes", type=float, default=24)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--val", type=int, default=8)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--init", help="continue from this checkpoint")
    ap.add_argument("--class-weights", type=int, default=1,
                    help="1: class-balanced CE (fast start); 0: plain CE (unbiased volumes, for fine-tuning)")
    ap.add_argument("--more", action="append", default=[], help="further prepared dirs, all used for training")
    ap.add_argument("--crop", type=int, nargs=3, default=CROP, help="training crop z y x")
    a = ap.parse_args()
    CROP[:] = a.crop
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    rng = np.random.default_rng(a.seed)
    files = sorted(glob.glob(os.path.join(a.prepared, "*.npz")))
    extra = [f for d in a.more for f in sorted(glob.glob(os.path.join(d, "*.npz")))]
    train, val = load(files[:-a.val] + extra), load(files[-a.val:])
    # Class-balanced cross-entropy (1 / sqrt(frequency)): small structures get learnt early.
    counts = sum(np.bincount(l[::2, ::2, ::2].ravel(), minlength=NUM_CLASSES) for _, l in train).astype(np.float64)
    w = 1 / np.sqrt(counts / counts.sum())
    global CLASS_WEIGHTS
    CLASS_WEIGHTS = torch.tensor(w / w.mean(), dtype=torch.float32) if a.class_weights else None
    print(f"train {len(train)} exams, validation {len(val)}", flush=True)
    net = DemoUNet()
    if a.init:
        # strict=False: a checkpoint from before the 3 mm refinement lacks only its layers (which start at zero).
        missing, unexpected = net.load_state_dict(torch.load(a.init), strict=False)
        if unexpected or any(not k.startswith("refine.") for k in missing):
            raise SystemExit(f"{a.init}: does not fit DemoUNet (missing {missing}, unexpected {unexpected})")
        if missing:
            print(f"{a.init}: new layers start at zero: {sorted({k.split('.')[0] for k in missing})}", flush=True)
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=1e-4)
    budget = a.minutes * 60
    t0 = time.time()
    it = 0
    last_eval = t0
    losses = []
    while True:
        frac = (time.time() - t0) / budget
        if frac >= 1:
            break
        lr = a.lr * min(1.0, (it + 1) / 30) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        x, y = batch(train, rng, a.batch)
        loss = loss_fn(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        it += 1
        if it % 20 == 0:
            print(f"it {it} t {time.time() - t0:.0f}s lr {lr:.2e} loss {np.mean(losses[-20:]):.4f}", flush=True)
        if time.time() - last_eval > 600:
            torch.save(net.state_dict(), a.out)
            d = evaluate(net, val[:2])
            print(f"  val(2) mean dice {d.mean():.4f}", flush=True)
            last_eval = time.time()
    torch.save(net.state_dict(), a.out)
    d = evaluate(net, val)
    report = {"iterations": it, "minutes": round((time.time() - t0) / 60, 1), "batch": a.batch, "crop_zyx": CROP,
              "lr": a.lr, "seed": a.seed, "class_weights": bool(a.class_weights), "init": a.init, "more": a.more, "train_exams": len(train), "val_exams": len(val),
              "final_loss": float(np.mean(losses[-50:])),
              "val_dice_model_grid": {n: round(float(v), 4) for (_, n), v in zip(STRUCTURES, d)},
              "val_mean_dice_model_grid": round(float(d.mean()), 4)}
    json.dump(report, open(a.out + ".json", "w"), indent=1)
    print(json.dumps(report, indent=1), flush=True)


if __name__ == "__main__":
    main()
