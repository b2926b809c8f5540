"""PyTorch reference segmentation of one CT with an nnU-Net v2 trained-model folder, nnU-Net's way.

    python reference_segment.py MODEL_FOLDER CT.nii.gz OUT_LABELS.nii.gz [--fold 0] [--tile-step 0.5]

It is the independent side of the Java engine parity test (NnUnetParityTest): it reads plans.json itself and
works in nnU-Net's array layout (it does NOT use model.json or the ONNX file), using the formulas of
DESIGN.md, which the Java engine implements:

1. reorient to the closest canonical RAS orientation (nibabel.as_closest_canonical: permutation/flip only);
   array (z, y, x) = nibabel's (x, y, z) transposed, like SimpleITK's GetArrayFromImage; spacing likewise;
2. transpose by plans' transpose_forward (spacing too);
3. CTNormalization in float32: clip to [percentile_00_5, percentile_99_5], subtract mean, divide by std;
4. resample to the configuration's spacing: shape round_half_even(old_spacing / new_spacing * old_shape),
   separable linear interpolation, voxel centres aligned (source coordinate (i + 0.5) * old/new - 0.5,
   clamped to the edge: skimage.transform.resize(order=1, mode='edge'), i.e. nnU-Net's convention);
5. pad to at least the patch size (nnU-Net's pad_nd_image: constant 0, difference // 2 below);
6. sliding window: per axis n = ceil((size - patch) / (patch * step)) + 1 tiles at rint(i * (size - patch) /
   (n - 1)); logits weighted by the Gaussian importance map (sigma = patch / 8, peak 10, zeros floored to the
   smallest non-zero value) and summed; argmax;
7. crop the padding, transpose back (transpose_backward), resample the labels to the canonical shape by
   nearest neighbour (order 0, as TotalSegmentator does after its own resampling; same centre-aligned
   coordinates, source index floor((i + 0.5) * old/new)), undo the reorientation, save with the original affine.

The network is built by the same injectable builders as export_nnunet.py (default: plain_conv_unet, which
needs no nnunetv2).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import nibabel as nib
import numpy as np
import torch
from scipy.ndimage import gaussian_filter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import export_nnunet  # noqa: E402
import nnunet_plans  # noqa: E402


def new_shape(shape, spacing, target):
    return [int(np.round(sp / t * n)) for n, sp, t in zip(shape, spacing, target)]  # np.round: half to even


def linear_axis(a: np.ndarray, axis: int, out_n: int) -> np.ndarray:
    """Linear interpolation along one axis, voxel centres aligned, edge clamped (float32)."""
    n = a.shape[axis]
    if n == out_n:
        return a
    src = (np.arange(out_n, dtype=np.float64) + 0.5) * (n / out_n) - 0.5
    src = np.clip(src, 0, n - 1)
    lo = np.floor(src).astype(np.int64)
    hi = np.minimum(lo + 1, n - 1)
    w = (src - lo).astype(np.float32)
    shape = [1] * a.ndim
    shape[axis] = out_n
    w = w.reshape(shape)
    return (np.take(a, lo, axis=axis) * (1 - w) + np.take(a, hi, axis=axis) * w).astype(np.float32)


def resample_linear(a: np.ndarray, shape) -> np.ndarray:
    for ax in range(3):
        a = linear_axis(a, ax, shape[ax])
    return a


def nearest_indices(n_in: int, n_out: int) -> np.ndarray:
    return np.minimum(np.floor((np.arange(n_out) + 0.5) * (n_in / n_out)).astype(np.int64), n_in - 1)


def resample_nearest(a: np.ndarray, shape) -> np.ndarray:
    for ax in range(3):
        a = np.take(a, nearest_indices(a.shape[ax], shape[ax]), axis=ax)
    return a


def ct_normalize(a: np.ndarray, props: dict) -> np.ndarray:
    a = a.astype(np.float32)
    np.clip(a, props["percentile_00_5"], props["percentile_99_5"], out=a)
    a -= np.float32(props["mean"])
    a /= np.float32(max(props["std"], 1e-8))
    return a


def positions(size: int, patch: int, step: float):
    n = math.ceil((size - patch) / (patch * step)) + 1
    if n == 1:
        return [0]
    actual = (size - patch) / (n - 1)
    return [int(np.round(actual * i)) for i in range(n)]


def gaussian_map(patch) -> np.ndarray:
    tmp = np.zeros(patch)
    tmp[tuple(p // 2 for p in patch)] = 1
    g = gaussian_filter(tmp, [p / 8 for p in patch], 0, mode="constant", cval=0)
    g = (g / g.max() * 10).astype(np.float32)
    g[g == 0] = g[g > 0].min()
    return g


def pad_to(a: np.ndarray, patch):
    diff = [max(0, p - s) for s, p in zip(a.shape, patch)]
    pads = [(d // 2, d - d // 2) for d in diff]
    return np.pad(a, pads, mode="constant", constant_values=0), pads


@torch.no_grad()
def sliding_window(net, data: np.ndarray, patch, step: float, num_classes: int) -> np.ndarray:
    g = torch.from_numpy(gaussian_map(patch))
    acc = torch.zeros((num_classes, *data.shape), dtype=torch.float32)
    x = torch.from_numpy(data)
    tiles = [(a, b, c) for a in positions(data.shape[0], patch[0], step)
             for b in positions(data.shape[1], patch[1], step) for c in positions(data.shape[2], patch[2], step)]
    for a, b, c in tiles:
        sl = (slice(a, a + patch[0]), slice(b, b + patch[1]), slice(c, c + patch[2]))
        logits = net(x[sl][None, None])[0]
        acc[(slice(None), *sl)] += logits * g
    print(f"  sliding window: {len(tiles)} tiles of {list(patch)} over {list(data.shape)}")
    return acc.argmax(0).numpy()


def segment(folder: Path, ct_path: Path, out_path: Path, fold="0", tile_step=0.5,
            builder="plain_conv_unet:load_network", configuration="3d_fullres"):
    t0 = time.time()
    plans, dataset, cfg, checkpoint = export_nnunet.load_folder(folder, fold, "checkpoint_final.pth", configuration)
    tf = [int(t) for t in plans["transpose_forward"]]
    tb = [int(t) for t in plans["transpose_backward"]]
    props = plans["foreground_intensity_properties_per_channel"]["0"]
    net = export_nnunet.resolve_builder(builder)(folder, plans, dataset, configuration, checkpoint)
    num_classes = len(dataset["labels"])

    img = nib.load(str(ct_path))
    canon = nib.as_closest_canonical(img)
    vol = np.asarray(canon.dataobj)
    data = np.ascontiguousarray(vol.transpose(2, 1, 0))          # (z, y, x), x fastest
    spacing = [float(s) for s in canon.header.get_zooms()[:3]][::-1]
    canon_shape_zyx = data.shape

    data = data.transpose(tf)
    spacing_t = [spacing[a] for a in tf]
    data = ct_normalize(data, props)
    shape = new_shape(data.shape, spacing_t, cfg["spacing"])
    data = resample_linear(data, shape)
    data, pads = pad_to(np.ascontiguousarray(data), cfg["patch_size"])
    print(f"  {ct_path.name}: canonical zyx {list(canon_shape_zyx)} spacing {spacing} -> transposed+resampled "
          f"{shape} (plans spacing {cfg['spacing']}), padded {list(data.shape)}")
    seg = sliding_window(net, data, cfg["patch_size"], tile_step, num_classes)
    seg = seg[tuple(slice(p[0], s - p[1]) for p, s in zip(pads, seg.shape))]
    seg = seg.transpose(tb)
    seg = resample_nearest(seg, canon_shape_zyx).astype(np.uint8 if num_classes <= 256 else np.uint16)

    seg_xyz = seg.transpose(2, 1, 0)
    # undo as_closest_canonical: orientation transform from canonical back to the file's own axes
    ornt = nib.orientations.io_orientation(img.affine)
    back = nib.orientations.ornt_transform(nib.orientations.axcodes2ornt(("R", "A", "S")), ornt)
    seg_orig = nib.orientations.apply_orientation(seg_xyz, back)
    assert seg_orig.shape == img.shape[:3], (seg_orig.shape, img.shape)
    out = nib.Nifti1Image(np.ascontiguousarray(seg_orig), img.affine)
    out.set_data_dtype(seg_orig.dtype)
    out.header.set_xyzt_units("mm")
    nib.save(out, str(out_path))
    counts = np.bincount(seg.ravel(), minlength=num_classes)
    print(f"  wrote {out_path} in {time.time() - t0:.1f}s; class histogram: "
          + ", ".join(f"{i}:{c}" for i, c in enumerate(counts) if c))
    return seg_orig, counts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("ct", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--fold", default="0")
    ap.add_argument("--tile-step", type=float, default=0.5)
    ap.add_argument("--builder", default="plain_conv_unet:load_network")
    a = ap.parse_args()
    segment(a.folder, a.ct, a.out, a.fold, a.tile_step, a.builder)


if __name__ == "__main__":
    main()
