"""Export the small POINTWISE ONNX test models (and their model cards) used by the engine's tests and bench.

A pointwise model is one 1x1x1 convolution: every voxel's logits depend only on its own (normalized)
value, so the sliding window must reproduce the per-voxel result exactly, whatever the tiling.
Class k gets the logit  2*c_k*v - c_k^2  (= -(v - c_k)^2 + v^2, and v^2 is common to all classes), so
the class whose centre c_k is closest to the voxel's normalized value v wins: class k owns an HU band.

Run:  /work/pyenv/bin/python engine/src/main/python/make_test_models.py   (from the repository root)
Writes engine/src/test/resources/models/<name>/{model.onnx, model.json} (a few hundred bytes each).
"""
import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(ROOT, "..", "..", "test", "resources", "models"))
LABELS_TSV = os.path.normpath(os.path.join(ROOT, "..", "..", "..", "..", "..", "shared", "reference",
                                           "totalsegmentator", "labels_total.tsv"))


def pointwise_onnx(centers_norm, path, input_name="input", output_name="logits", batch="N"):
    """One Conv(1 -> C, kernel 1x1x1): logit_k = 2 c_k v - c_k^2. Dynamic N (unless batch is a number), Z, Y, X."""
    c = np.asarray(centers_norm, dtype=np.float32)
    w = (2.0 * c).reshape(len(c), 1, 1, 1, 1).astype(np.float32)
    b = (-(c * c)).astype(np.float32)
    x = helper.make_tensor_value_info(input_name, TensorProto.FLOAT, [batch, 1, "Z", "Y", "X"])
    y = helper.make_tensor_value_info(output_name, TensorProto.FLOAT, [batch, len(c), "Z", "Y", "X"])
    node = helper.make_node("Conv", [input_name, "W", "B"], [output_name], kernel_shape=[1, 1, 1])
    graph = helper.make_graph([node], "pointwise", [x], [y],
                              [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "B")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="ctcohort")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def write_card(d, card):
    with open(os.path.join(d, "model.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")


def norm_centers(hu_centers, mean, std):
    return [(h - mean) / std for h in hu_centers]


def single(name, hu_centers, labels, spacing, patch, step, mean, std, clip, description, batch="N"):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    sha = pointwise_onnx(norm_centers(hu_centers, mean, std), os.path.join(d, "model.onnx"), batch=batch)
    write_card(d, {
        "id": name, "version": "1", "description": description,
        "sha256": sha, "onnx_file": "model.onnx", "input_name": "input", "output_name": "logits",
        "labels": {str(k): v for k, v in labels.items()},
        "target_spacing_mm": spacing, "patch_size": patch, "tile_step": step, "mirroring": False,
        "resampling_order": 1,
        "normalization": {"type": "ct", "clip_low": clip[0], "clip_high": clip[1], "mean": mean, "std": std},
        "training": {"kind": "pointwise test model", "hu_centers": hu_centers,
                     "script": "engine/src/main/python/make_test_models.py"},
    })


def main():
    # 5 classes: background, fat, soft tissue, dense, bone. Non-cubic patch and anisotropic spacing so
    # that an axis mix-up cannot go unnoticed.
    hu5 = [-1000, -100, 40, 300, 1000]
    single("pointwise5", hu5, {1: "subcutaneous_fat", 2: "liver", 3: "aorta", 4: "femur_left"},
           [1.0, 1.5, 2.0], [16, 12, 8], 0.5, 100.0, 50.0, [-1024.0, 1500.0],
           "pointwise test model: HU band k -> class k")
    # The same with a fixed batch dimension of 2, as some exporters write it: the engine must follow it.
    single("pointwise5_batch2", hu5, {1: "subcutaneous_fat", 2: "liver", 3: "aorta", 4: "femur_left"},
           [1.0, 1.5, 2.0], [16, 12, 8], 0.5, 100.0, 50.0, [-1024.0, 1500.0],
           "pointwise test model with a fixed batch of 2", batch=2)

    # Two-part model: parts run on the same preprocessed image, labels merged by name into the card's map;
    # a later part overwrites an earlier one where it claims a voxel (TotalSegmentator's merge).
    d = os.path.join(OUT, "pointwise_parts")
    os.makedirs(d, exist_ok=True)
    mean, std = 100.0, 50.0
    sha_a = pointwise_onnx(norm_centers([-1000, -100, 40, 1000], mean, std), os.path.join(d, "part_a.onnx"))
    sha_b = pointwise_onnx(norm_centers([-1000, 300, 1000], mean, std), os.path.join(d, "part_b.onnx"))
    write_card(d, {
        "id": "pointwise_parts", "version": "1", "description": "two-part pointwise test model",
        "input_name": "input", "output_name": "logits",
        "labels": {"1": "subcutaneous_fat", "2": "liver", "3": "aorta", "4": "femur_left", "5": "sacrum"},
        "target_spacing_mm": [1.0, 1.5, 2.0], "patch_size": [16, 12, 8], "tile_step": 0.8, "mirroring": False,
        "resampling_order": 1,
        "normalization": {"type": "ct", "clip_low": -1024.0, "clip_high": 1500.0, "mean": mean, "std": std},
        "parts": [
            {"id": "part_a", "onnx_file": "part_a.onnx", "sha256": sha_a,
             "labels": {"1": "subcutaneous_fat", "2": "liver", "3": "femur_left"}},
            {"id": "part_b", "onnx_file": "part_b.onnx", "sha256": sha_b,
             "labels": {"1": "aorta", "2": "sacrum"}},
        ],
        "training": {"kind": "pointwise test model", "script": "engine/src/main/python/make_test_models.py"},
    })

    # TotalSegmentator's shapes for the memory bench: 26 classes at 1.5 mm, 118 classes at 3 mm.
    names = [line.split("\t")[1].strip() for line in open(LABELS_TSV).read().splitlines()[1:]]
    assert len(names) == 117, len(names)
    for name, n_cls, sp in (("pointwise26_1.5mm", 26, 1.5), ("pointwise118_3mm", 118, 3.0)):
        hu = list(np.linspace(-1000, 1500, n_cls))
        single(name, [float(h) for h in hu], {k: names[k - 1] for k in range(1, n_cls)},
               [sp, sp, sp], [128, 128, 128], 0.8, 100.0, 50.0, [-1024.0, 3071.0],
               f"pointwise bench model with TotalSegmentator's shape: {n_cls} classes at {sp} mm")
    resample_fixture()
    print("models written under", OUT)


def resample_fixture():
    """nnU-Net's CT preprocessing of a small random image, for Preprocessing's test: clip and z-score in
    float32, then skimage resize(order=1, mode='edge', anti_aliasing=False), which is scipy's
    zoom(grid_mode=True, mode='nearest') (align_corners=False)."""
    from scipy import ndimage
    rng = np.random.default_rng(7)
    dims, spacing, target = (7, 5, 4), (1.0, 2.0, 3.0), (1.5, 1.5, 2.0)
    hu = rng.integers(-1500, 2000, size=dims).astype(np.int16)  # axes x, y, z
    clip, mean, std = (-1024.0, 1500.0), 100.0, 50.0
    new_shape = [int(round(s / t * n)) for s, t, n in zip(spacing, target, dims)]
    img = hu.astype(np.float32)
    np.clip(img, clip[0], clip[1], out=img)
    img -= mean
    img /= max(std, 1e-8)
    zoom = [n / o for n, o in zip(new_shape, dims)]
    out = ndimage.zoom(img.astype(float), zoom, order=1, mode="nearest", grid_mode=True).astype(np.float32)
    assert list(out.shape) == new_shape, (out.shape, new_shape)
    fixture = {"dims": dims, "spacing": spacing, "target": target, "clip": clip, "mean": mean, "std": std,
               "hu_x_fastest": hu.flatten(order="F").tolist(), "out_dims": new_shape,
               "expected_x_fastest": [float(v) for v in out.flatten(order="F")]}
    d = os.path.normpath(os.path.join(OUT, "..", "preprocessing"))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "nnunet_resample.json"), "w") as f:
        json.dump(fixture, f)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
