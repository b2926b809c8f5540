"""Write an nnU-Net v2 trained-model folder holding a random-weight PlainConvUNet (no training, no nnunetv2).

    OUT/plans.json, OUT/dataset.json, OUT/fold_0/checkpoint_final.pth   (nnU-Net v2 layout)

It stands in for real nnU-Net / TotalSegmentator weights in tests and benchmarks: same structure and size as
nnU-Net's 3d_fullres PlainConvUNet (6 stages, 32..320 features = 31 M parameters at width 32), random weights
from a fixed seed. Geometry is given in our canonical RAS order (x, y, z) and written into plans.json the way
nnU-Net's planner would: spacing/patch in array order (z, y, x) permuted by transpose_forward, where
transpose_forward puts the coarsest axis first (nnU-Net's ExperimentPlanner.determine_transpose).

Weights: He-normal convolutions (nnU-Net's InitWeights_He), instance-norm affine parameters jittered around
(1, 0), and a segmentation head scaled so that on a real CT many classes win somewhere (see --head-scale).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from torch import nn

import plain_conv_unet

# TotalSegmentator's part 1 ("organs", Dataset291) label names: the first N-1 are used as class names.
ORGANS = ["spleen", "kidney_right", "kidney_left", "gallbladder", "liver", "stomach", "pancreas",
          "adrenal_gland_right", "adrenal_gland_left", "lung_upper_lobe_left", "lung_lower_lobe_left",
          "lung_upper_lobe_right", "lung_middle_lobe_right", "lung_lower_lobe_right", "esophagus", "trachea",
          "thyroid_gland", "small_bowel", "duodenum", "colon", "urinary_bladder", "prostate", "kidney_cyst_left",
          "kidney_cyst_right"]


def nnunet_transpose(spacing_zyx):
    """nnU-Net's transpose_forward/backward: coarsest axis first, the others in their order."""
    first = int(np.argmax(spacing_zyx))
    fwd = [first] + [i for i in range(3) if i != first]
    bwd = [fwd.index(i) for i in range(3)]
    return fwd, bwd


def write_folder(out: Path, *, base_features=32, max_features=320, n_stages=6, num_classes=25,
                 spacing_xyz=(3.0, 3.0, 3.0), patch_xyz=(64, 64, 64), intensity=None, seed=1234,
                 head_scale=4.0, dataset_name="Dataset900_RandomPlainConvUNet", labels=None, calibrate_ct=None,
                 background_boost=0.0):
    spacing_zyx = list(reversed([float(s) for s in spacing_xyz]))
    patch_zyx = list(reversed([int(p) for p in patch_xyz]))
    fwd, bwd = nnunet_transpose(spacing_zyx)
    spacing_t = [spacing_zyx[a] for a in fwd]
    patch_t = [patch_zyx[a] for a in fwd]
    for p in patch_t:
        if p % 2 ** (n_stages - 1):
            raise ValueError(f"patch {patch_xyz} not divisible by {2 ** (n_stages - 1)}")
    features = [min(base_features * 2 ** i, max_features) for i in range(n_stages)]
    strides = [[1, 1, 1]] + [[2, 2, 2]] * (n_stages - 1)
    kernels = [[3, 3, 3]] * n_stages
    intensity = intensity or {"max": 3071.0, "mean": 98.5, "median": 64.0, "min": -1024.0,
                              "percentile_00_5": -982.0, "percentile_99_5": 1310.0, "std": 281.4}
    plans = {
        "dataset_name": dataset_name,
        "plans_name": "nnUNetPlans",
        "original_median_spacing_after_transp": spacing_t,
        "original_median_shape_after_transp": patch_t,
        "image_reader_writer": "SimpleITKIO",
        "transpose_forward": fwd,
        "transpose_backward": bwd,
        "configurations": {"3d_fullres": {
            "data_identifier": "nnUNetPlans_3d_fullres",
            "preprocessor_name": "DefaultPreprocessor",
            "batch_size": 2,
            "patch_size": patch_t,
            "median_image_size_in_voxels": patch_t,
            "spacing": spacing_t,
            "normalization_schemes": ["CTNormalization"],
            "use_mask_for_norm": [False],
            "resampling_fn_data": "resample_data_or_seg_to_shape",
            "resampling_fn_seg": "resample_data_or_seg_to_shape",
            "resampling_fn_data_kwargs": {"is_seg": False, "order": 3, "order_z": 0, "force_separate_z": None},
            "resampling_fn_seg_kwargs": {"is_seg": True, "order": 1, "order_z": 0, "force_separate_z": None},
            "resampling_fn_probabilities": "resample_data_or_seg_to_shape",
            "resampling_fn_probabilities_kwargs": {"is_seg": False, "order": 1, "order_z": 0,
                                                   "force_separate_z": None},
            "architecture": {
                "network_class_name": "dynamic_network_architectures.architectures.unet.PlainConvUNet",
                "arch_kwargs": {
                    "n_stages": n_stages, "features_per_stage": features,
                    "conv_op": "torch.nn.modules.conv.Conv3d", "kernel_sizes": kernels, "strides": strides,
                    "n_conv_per_stage": [2] * n_stages, "n_conv_per_stage_decoder": [2] * (n_stages - 1),
                    "conv_bias": True, "norm_op": "torch.nn.modules.instancenorm.InstanceNorm3d",
                    "norm_op_kwargs": {"eps": 1e-05, "affine": True}, "dropout_op": None,
                    "dropout_op_kwargs": None, "nonlin": "torch.nn.LeakyReLU", "nonlin_kwargs": {"inplace": True}},
                "_kw_requires_import": ["conv_op", "norm_op", "dropout_op", "nonlin"]},
            "batch_dice": True}},
        "experiment_planner_used": "ExperimentPlanner",
        "label_manager": "LabelManager",
        "foreground_intensity_properties_per_channel": {"0": intensity},
    }
    names = labels or ORGANS[:num_classes - 1]
    if len(names) != num_classes - 1:
        raise ValueError(f"{num_classes} classes need {num_classes - 1} label names")
    dataset = {"channel_names": {"0": "CT"}, "labels": {"background": 0, **{n: i + 1 for i, n in enumerate(names)}},
               "numTraining": 0, "file_ending": ".nii.gz", "name": dataset_name,
               "description": "random-weight PlainConvUNet (ctcohort test/benchmark stand-in; not trained)"}

    torch.manual_seed(seed)
    net = plain_conv_unet.build_from_plans(plans, "3d_fullres", 1, num_classes)
    randomize(net, head_scale)
    if calibrate_ct is not None:
        calibrate(net, calibrate_ct, intensity, [patch_zyx[a] for a in fwd], fwd)
    with torch.no_grad():  # more background: a part that leaves room for the parts before it
        net.decoder.seg_layers[-1].bias[0] += background_boost
    out.mkdir(parents=True, exist_ok=True)
    (out / "fold_0").mkdir(exist_ok=True)
    (out / "plans.json").write_text(json.dumps(plans, indent=2))
    (out / "dataset.json").write_text(json.dumps(dataset, indent=2))
    torch.save({"network_weights": net.state_dict(), "trainer_name": "nnUNetTrainer",
                "init_args": {"plans": plans, "configuration": "3d_fullres", "fold": 0, "dataset_json": dataset},
                "inference_allowed_mirroring_axes": [0, 1, 2], "current_epoch": 0, "random_seed": seed},
               out / "fold_0" / "checkpoint_final.pth")
    n_params = sum(p.numel() for p in net.parameters())
    print(f"wrote {out}: PlainConvUNet features {features}, {num_classes} classes, {n_params:,} parameters, "
          f"transpose_forward {fwd}, plans spacing {spacing_t}, plans patch {patch_t}")
    return out


@torch.no_grad()
def randomize(net: nn.Module, head_scale: float):
    head = net.decoder.seg_layers[-1]
    for m in net.modules():
        if isinstance(m, (nn.Conv3d, nn.ConvTranspose3d)):
            nn.init.kaiming_normal_(m.weight, a=1e-2)
            if m.bias is not None:
                m.bias.normal_(0.0, 0.05)
        elif isinstance(m, nn.InstanceNorm3d):
            m.weight.normal_(1.0, 0.1)
            m.bias.normal_(0.0, 0.1)
    # head: unit-variance logits per feature direction, then spread so classes separate clearly
    head.weight.normal_(0.0, head_scale / np.sqrt(head.in_channels))
    head.bias.normal_(0.0, 0.5)


@torch.no_grad()
def calibrate(net: nn.Module, ct_path: Path, intensity: dict, patch_t, fwd):
    """Set the head's biases so that every class has the same mean logit over a central patch of a real CT
    (native resolution, CT-normalized): the argmax then follows the image instead of one dominant class."""
    import nibabel as nib
    vol = np.asarray(nib.as_closest_canonical(nib.load(str(ct_path))).dataobj).transpose(2, 1, 0).transpose(fwd)
    vol = np.clip(vol.astype(np.float32), intensity["percentile_00_5"], intensity["percentile_99_5"])
    vol = (vol - intensity["mean"]) / intensity["std"]
    pads = [(0, max(0, p - s)) for s, p in zip(vol.shape, patch_t)]
    vol = np.pad(vol, pads)
    start = [(s - p) // 2 for s, p in zip(vol.shape, patch_t)]
    x = torch.from_numpy(np.ascontiguousarray(vol[tuple(slice(a, a + p) for a, p in zip(start, patch_t))]))
    head = net.decoder.seg_layers[-1]
    logits = net.eval()(x[None, None])[0]
    head.bias -= logits.mean(dim=(1, 2, 3)) - logits.mean()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--base-features", type=int, default=32, help="first stage width (nnU-Net: 32)")
    ap.add_argument("--max-features", type=int, default=320, help="width cap (nnU-Net: 320)")
    ap.add_argument("--classes", type=int, default=25, help="output classes incl. background")
    ap.add_argument("--spacing", type=float, nargs=3, default=[3.0, 3.0, 3.0], help="target spacing x y z (mm)")
    ap.add_argument("--patch", type=int, nargs=3, default=[64, 64, 64], help="patch size x y z (voxels)")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--head-scale", type=float, default=4.0)
    ap.add_argument("--calibrate-ct", type=Path, help="equalize the classes' mean logits on this CT")
    ap.add_argument("--labels-total", type=Path, help="labels_total.tsv: use all its names (e.g. 118 classes)")
    a = ap.parse_args()
    labels = None
    if a.labels_total:
        rows = [l.split("\t") for l in a.labels_total.read_text().splitlines()[1:] if l.strip()]
        labels = [r[1].strip() for r in sorted(rows, key=lambda r: int(r[0]))]
        a.classes = len(labels) + 1
    write_folder(a.out, base_features=a.base_features, max_features=a.max_features, num_classes=a.classes,
                 spacing_xyz=a.spacing, patch_xyz=a.patch, seed=a.seed, head_scale=a.head_scale, labels=labels,
                 calibrate_ct=a.calibrate_ct)


if __name__ == "__main__":
    main()
