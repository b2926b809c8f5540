"""Checks of the exporter's pieces (tooling, not part of mvn verify); plain script or pytest:

    python engine/src/main/python/nnunet/test_export_nnunet.py
"""
from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import export_nnunet as ex  # noqa: E402
import make_random_nnunet  # noqa: E402
import plain_conv_unet  # noqa: E402


def test_canonical_xyz_undoes_transpose_forward():
    # array order (z, y, x) = (32, 64, 96); nnU-Net's transpose_forward [1, 0, 2] stores (64, 32, 96)
    assert ex.canonical_xyz([64, 32, 96], [1, 0, 2]) == [96, 64, 32]
    assert ex.canonical_xyz([1.5, 0.8, 0.7], [0, 1, 2]) == [0.7, 0.8, 1.5]
    assert ex.canonical_xyz([5.0, 0.7, 0.8], [2, 0, 1]) == [5.0, 0.8, 0.7]  # x coarsest: moved first


def test_nnunet_transpose_puts_coarsest_axis_first():
    assert make_random_nnunet.nnunet_transpose([2.5, 4.0, 3.5]) == ([1, 0, 2], [1, 0, 2])
    assert make_random_nnunet.nnunet_transpose([1.0, 1.0, 5.0]) == ([2, 0, 1], [1, 2, 0])


def test_canonical_layout_equals_nnunet_transposed_prediction():
    torch.manual_seed(0)
    net = plain_conv_unet.PlainConvUNet(1, [4, 8, 8], [3, 3, 3], [1, 2, 2], [2, 2, 2], 5, [2, 2]).eval()
    x = torch.randn(1, 1, 8, 12, 16)  # canonical [N, 1, Z, Y, X]
    for tf in ([0, 1, 2], [1, 0, 2], [2, 0, 1]):
        tb = [tf.index(i) for i in range(3)]
        a = x[0, 0].numpy()
        with torch.no_grad():  # nnU-Net: predict on data.transpose(tf), bring back with transpose(tb)
            ref = net(torch.from_numpy(np.ascontiguousarray(a.transpose(tf)))[None, None])[0].numpy()
            got = ex.CanonicalLayout(net, tf).eval()(x)[0].numpy()
        ref = ref.transpose([0] + [1 + t for t in tb])
        np.testing.assert_allclose(got, ref, atol=1e-5)


def test_normalization_in_graph_keeps_padding_zero():
    torch.manual_seed(1)
    net = plain_conv_unet.PlainConvUNet(1, [4, 8], [3, 3], [1, 2], [1, 1], 3, [1]).eval()
    norm = {"clip_low": -500.0, "clip_high": 800.0, "mean": 60.0, "std": 200.0}
    hu = torch.tensor([-1024.0, -300.0, 0.0, 40.0, 700.0, 1500.0]).repeat(2, 4, 1)[None, None]  # [1,1,2,4,6]
    x = hu + ex.OFFSET  # what the engine hands the graph under IN_GRAPH_CARD_NORMALIZATION
    x[..., 0, 0, 0] = 0.0  # one padded voxel
    expected = (torch.clamp(hu, -500, 800) - 60) / 200
    expected[..., 0, 0, 0] = 0.0
    layout = ex.CanonicalLayout(net, [0, 1, 2], normalization=norm).eval()
    seen = {}
    net.register_forward_pre_hook(lambda m, a: seen.setdefault("input", a[0].clone()))
    with torch.no_grad():
        layout(x)
    torch.testing.assert_close(seen["input"], expected)
    c = ex.IN_GRAPH_CARD_NORMALIZATION  # every int16 HU the card lets through ends up positive
    assert (c["clip_low"] - c["mean"]) / c["std"] >= 1.0


def test_totalsegmentator_datasets_default_to_its_settings(tmp_path):
    f = tmp_path / "Dataset297_TotalSegmentator_total_3mm_1559subj" / "nnUNetTrainer__nnUNetPlans__3d_fullres"
    make_random_nnunet.write_folder(f, base_features=2, max_features=4, n_stages=3, num_classes=3,
                                    labels=["Spleen", "kidney right"], patch_xyz=(16, 16, 8),
                                    dataset_name="Dataset297_TotalSegmentator_total_3mm_1559subj")
    card = ex.main([str(f), "--out", str(tmp_path / "m"), "--builder", "plain_conv_unet:load_network"])
    assert card["tile_step"] == 0.8 and card["mirroring"] is False
    assert card["id"] == "totalsegmentator-total_3mm"
    assert card["labels"] == {"1": "spleen", "2": "kidney_right"}  # by index, TotalSegmentator's class map
    assert card["normalization"]["clip_low"] == -982.0


def test_flips_for_orientation():
    assert ex.flips_for("RAS") == (False, False, False)
    assert ex.flips_for("LPS") == (False, True, True)
    try:
        ex.flips_for("ASR")
        raise AssertionError("a permuted orientation must be refused")
    except ValueError:
        pass


def test_label_mapping_totalsegmentator_parts_and_aliases():
    v = ex.LabelVocabulary()
    assert v.map({1: "sacrum", 2: "vertebrae_S1"}, 292) == {1: "sacrum", 2: "vertebrae_S1"}
    assert v.map({1: "Gall Bladder", 2: "Kidney-Left", 3: "Liver"}, None) == \
        {1: "gallbladder", 2: "kidney_left", 3: "liver"}
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert v.map({1: "tumour"}, None) == {1: "tumour"}
        assert any("tumour" in str(x.message) for x in w)
    assert len(v.total) == 117
    merged = ex.merged_labels([{"labels": {"1": "rib_left_1"}}, {"labels": {"1": "spleen", "2": "aorta"}}], v)
    assert merged == {1: "spleen", 52: "aorta", 92: "rib_left_1"}


def test_plain_conv_unet_size_matches_nnunet_3d_fullres():
    plans = json.loads((Path(__file__).resolve().parents[3] / "test/resources/nnunet/nnunet_source/plans.json")
                       .read_text())
    a = plain_conv_unet.arch_from_plans(plans)
    full = plain_conv_unet.PlainConvUNet(1, [32, 64, 128, 256, 320, 320], a["kernels"], a["strides"],
                                         a["n_conv"], 25, a["n_conv_decoder"])
    assert sum(p.numel() for p in full.parameters()) == 31_214_109


def test_export_multi_part_card(tmp_path):
    folders = []
    for i, labels in enumerate((["spleen", "liver"], ["aorta"])):
        f = tmp_path / f"Dataset90{i}_X" / "nnUNetTrainer__nnUNetPlans__3d_fullres"
        make_random_nnunet.write_folder(f, base_features=2, max_features=4, n_stages=3, num_classes=len(labels) + 1,
                                        labels=labels, patch_xyz=(16, 16, 8), spacing_xyz=(1.5, 1.5, 1.5))
        folders.append(str(f))
    card = ex.main(folders + ["--out", str(tmp_path / "m"), "--builder", "plain_conv_unet:load_network",
                              "--tile-step", "0.8"])
    assert card["labels"] == {"1": "spleen", "5": "liver", "52": "aorta"}
    assert [p["onnx_file"] for p in card["parts"]] == ["part1.onnx", "part2.onnx"]
    assert card["parts"][1]["labels"] == {"1": "aorta"}
    assert card["patch_size"] == [16, 16, 8] and card["target_spacing_mm"] == [1.5, 1.5, 1.5]
    assert card["tile_step"] == 0.8 and card["mirroring"] is False
    assert card["normalization"] == ex.IN_GRAPH_CARD_NORMALIZATION
    assert card["parts"][0]["normalization_in_graph"]["clip_low"] == -982.0
    assert json.loads((tmp_path / "m" / "model.json").read_text()) == card


if __name__ == "__main__":
    import tempfile
    import inspect
    n = 0
    for name, fn in list(globals().items()):
        if name.startswith("test_") and callable(fn):
            with tempfile.TemporaryDirectory() as d:
                fn(*([Path(d)] if inspect.signature(fn).parameters else []))
            print("ok", name)
            n += 1
    print(f"{n} passed, 0 failed")
