"""PyTorch reference segmentation of one CT with an nnU-Net v2 trained-model folder, nnU-Net's way.

    python reference_segment.py MODEL_FOLDER CT.nii.gz OUT_LABELS.nii.gz [--fold 0] [--tile-step 0.5]

It is the independent side of the Java engine parity test (NnUnetParityTest): it reads plans.json itself and
works in nnU-Net's array layout (it does NOT use model.json or the ONNX file), using the formulas of
docs/DESIGN.md and engine/README.md, which the Java engine implements:

1. reorient to the closest canonical RAS orientation (nibabel.as_closest_canonical: permutation/flip only);
   array (z, y, x) = nibabel's (x, y, z) transposed, like SimpleITK's GetArrayFromImage; spacing likewise;
   crop to the bounding box of the non-zero voxels (nnU-Net's crop_to_nonzero; labels outside stay 0);
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


def predict(folder: Path, data_zyx: np.ndarray, spacing_zyx, fold="0", tile_step=0.5,
            builder="plain_conv_unet:load_network", configuration="3d_fullres", resample_first=False):
    """Argmax labels of one nnU-Net model at model resolution, axes back in canonical (z, y, x) order.

    resample_first=False: nnU-Net's order (normalize at the original resolution, then resample);
    True: TotalSegmentator's order for its part models (resample HU, then each part normalizes)."""
    plans, dataset, cfg, checkpoint = export_nnunet.load_folder(folder, fold, "checkpoint_final.pth", configuration)
    tf = [int(t) for t in plans["transpose_forward"]]
    tb = [int(t) for t in plans["transpose_backward"]]
    props = plans["foreground_intensity_properties_per_channel"]["0"]
    net = export_nnunet.resolve_builder(builder)(folder, plans, dataset, configuration, checkpoint)
    num_classes = len(dataset["labels"])

    data = data_zyx.transpose(tf)
    spacing_t = [spacing_zyx[a] for a in tf]
    shape = new_shape(data.shape, spacing_t, cfg["spacing"])
    if resample_first:
        data = ct_normalize(resample_linear(data.astype(np.float32), shape), props)
    else:
        data = resample_linear(ct_normalize(data, props), shape)
    data, pads = pad_to(np.ascontiguousarray(data), cfg["patch_size"])
    print(f"  {folder.parent.name}: transposed+resampled {shape} (plans spacing {cfg['spacing']}), "
          f"padded {list(data.shape)}")
    seg = sliding_window(net, data, cfg["patch_size"], tile_step, num_classes)
    seg = seg[tuple(slice(p[0], s - p[1]) for p, s in zip(pads, seg.shape))]
    return seg.transpose(tb), nnunet_plans.labels(dataset)


def load_canonical(ct_path: Path):
    img = nib.load(str(ct_path))
    canon = nib.as_closest_canonical(img)
    data = np.ascontiguousarray(np.asarray(canon.dataobj).transpose(2, 1, 0))  # (z, y, x), x fastest
    spacing = [float(s) for s in canon.header.get_zooms()[:3]][::-1]
    print(f"  {ct_path.name}: canonical zyx {list(data.shape)} spacing zyx {spacing}")
    return img, data, spacing


def save_original_grid(seg_zyx: np.ndarray, img, out_path: Path, max_label: int):
    """Nearest-neighbour back to the canonical grid, undo the reorientation, save with the CT's affine."""
    seg = seg_zyx.astype(np.uint8 if max_label <= 255 else np.uint16)
    seg_xyz = seg.transpose(2, 1, 0)
    ornt = nib.orientations.io_orientation(img.affine)
    back = nib.orientations.ornt_transform(nib.orientations.axcodes2ornt(("R", "A", "S")), ornt)
    seg_orig = nib.orientations.apply_orientation(seg_xyz, back)
    assert seg_orig.shape == img.shape[:3], (seg_orig.shape, img.shape)
    out = nib.Nifti1Image(np.ascontiguousarray(seg_orig), img.affine)
    out.set_data_dtype(seg_orig.dtype)
    out.header.set_xyzt_units("mm")
    nib.save(out, str(out_path))
    counts = np.bincount(seg.ravel(), minlength=max_label + 1)
    print(f"  wrote {out_path}; class histogram: " + ", ".join(f"{i}:{c}" for i, c in enumerate(counts) if c))
    return seg_orig, counts


def nonzero_box(data: np.ndarray):
    """nnU-Net's crop_to_nonzero: bounding box of the voxels that are not exactly 0 (whole image if none)."""
    nz = np.nonzero(data)
    if len(nz[0]) == 0:
        return tuple(slice(0, n) for n in data.shape)
    return tuple(slice(int(i.min()), int(i.max()) + 1) for i in nz)


def embed(seg: np.ndarray, box, shape) -> np.ndarray:
    out = np.zeros(shape, dtype=seg.dtype)
    out[box] = seg
    return out


def segment(folder: Path, ct_path: Path, out_path: Path, fold="0", tile_step=0.5,
            builder="plain_conv_unet:load_network", configuration="3d_fullres"):
    """One nnU-Net model, nnU-Net's preprocessing order (crop to non-zero, normalize, resample)."""
    img, data, spacing = load_canonical(ct_path)
    box = nonzero_box(data)
    seg, labels = predict(folder, data[box], spacing, fold, tile_step, builder, configuration)
    seg = embed(resample_nearest(seg, data[box].shape), box, data.shape)
    return save_original_grid(seg, img, out_path, max(labels))


def segment_parts(folders, ct_path: Path, out_path: Path, merged: dict[str, int], fold="0", tile_step=0.8,
                  builder="plain_conv_unet:load_network", configuration="3d_fullres"):
    """TotalSegmentator's multi-part way: every part on the same resampled image (each normalizing it its own
    way), labels merged by structure name into `merged` (name -> label), a later part overwriting an earlier."""
    img, data, spacing = load_canonical(ct_path)
    box = nonzero_box(data)
    out = None
    for folder in folders:
        seg, labels = predict(folder, data[box], spacing, fold, tile_step, builder, configuration,
                              resample_first=True)
        lut = np.zeros(max(labels) + 1, dtype=np.int64)
        for k, name in labels.items():
            lut[k] = merged[name]
        if out is None:
            out = np.zeros(seg.shape, dtype=np.int64)
        out = np.where(seg > 0, lut[seg], out)
    out = embed(resample_nearest(out, data[box].shape), box, data.shape)
    return save_original_grid(out, img, out_path, max(merged.values()))


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
