"""Regenerate the nnU-Net parity fixture (committed) or the benchmark model (on demand, git-ignored).

    python make_fixtures.py fixture   # -> engine/src/test/resources/nnunet/  (run from anywhere)
    python make_fixtures.py bench     # -> engine/target/nnunet-bench/model/

fixture: a random-weight PlainConvUNet with nnU-Net's exact structure at reduced width (features 8, 16, 32, 64,
  80, 80 instead of 32 ... 320: 2.0 M instead of 31 M parameters, so the ONNX file is 8 MB, not 125 MB), 25
  classes named after TotalSegmentator's organ part, anisotropic target spacing x 3.5, y 4.0, z 2.5 mm and a
  non-cubic patch x 96, y 64, z 32 (nnU-Net's planner then picks transpose_forward [1, 0, 2], so the axis
  bookkeeping is exercised), goes through export_nnunet.py (the plain-PyTorch builder) into
  random_plainconvunet_w8/; reference_segment.py segments the real CT example_ct_sm.nii.gz with it from the
  nnU-Net folder (not from the ONNX/card) into example_ct_sm_seg_reference.nii.gz. NnUnetParityTest compares
  the Java engine's output with it.
bench: the full-size network (features 32 ... 320, 31 M parameters, TotalSegmentator's size) with 118 classes
  (TotalSegmentator's 117 + background) at 3 mm and a 128^3 patch, tile step 0.8: TotalSegmentator --fast's
  shape, for `ctcohort bench`.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGINE = HERE.parents[3]
sys.path.insert(0, str(HERE))
import export_nnunet  # noqa: E402
import make_random_nnunet  # noqa: E402

# ../shared/reference beside the repo; CTCOHORT_REFERENCE names another (a GPU machine gets a carried copy).
REFERENCE = Path(os.environ.get("CTCOHORT_REFERENCE", Path(ENGINE.parent, "..", "shared", "reference")),
                 "totalsegmentator").resolve()
FIXTURES = ENGINE / "src" / "test" / "resources" / "nnunet"
WORK = ENGINE / "target" / "nnunet-work"


def fixture():
    import reference_segment  # nibabel and scipy: needed for the fixture only, not for the bench model
    ct = REFERENCE / "example_ct_sm.nii.gz"
    folder = WORK / "Dataset900_RandomPlainConvUNet" / "nnUNetTrainer__nnUNetPlans__3d_fullres"
    shutil.rmtree(folder, ignore_errors=True)
    make_random_nnunet.write_folder(folder, base_features=8, max_features=80, num_classes=25,
                                    spacing_xyz=(3.5, 4.0, 2.5), patch_xyz=(96, 64, 32), seed=1234,
                                    calibrate_ct=ct)
    model_dir = FIXTURES / "random_plainconvunet_w8"
    shutil.rmtree(model_dir, ignore_errors=True)
    export_nnunet.main([str(folder), "--out", str(model_dir), "--builder", "plain_conv_unet:load_network",
                        "--id", "random-plainconvunet-w8", "--tile-step", "0.5",
                        "--description", "random-weight nnU-Net PlainConvUNet, reduced width (features 8..80), "
                                         "test fixture for the nnU-Net export path; not a trained model"])
    src = FIXTURES / "nnunet_source"
    src.mkdir(parents=True, exist_ok=True)
    for f in ("plans.json", "dataset.json"):
        shutil.copy(folder / f, src / f)
    reference_segment.segment(folder, ct, FIXTURES / "example_ct_sm_seg_reference.nii.gz", tile_step=0.5)
    parts_fixture(ct)


WIDTH = 4  # first-stage features of the part models (4..40: 0.5 M parameters, 2 MB per part)
BONE = {"max": 3071.0, "mean": 421.7, "median": 350.0, "min": -1024.0, "percentile_00_5": -154.0,
        "percentile_99_5": 1586.0, "std": 312.9}


def parts_fixture(ct: Path):
    """Two-part model, TotalSegmentator's way: 12 organs + 10 vertebrae, each part with its own intensity
    normalization (inside its ONNX graph), tile step 0.8, spacing x 2.5, y 2.5, z 4.0 mm (z resampled from 30 to
    round_half_even(22.5) = 22 slices, padded to the 32-slice patch), labels merged by name into 'total' indices."""
    import reference_segment
    vocab = export_nnunet.LabelVocabulary()
    names = list(vocab.total.values())
    specs = [("Dataset902_RandomPartOrgans", names[0:12], None, 0.0, 11),
             ("Dataset903_RandomPartVertebrae", names[24:34], BONE, 6.0, 12)]
    folders = []
    for name, labels, intensity, boost, seed in specs:
        folder = WORK / name / "nnUNetTrainer__nnUNetPlans__3d_fullres"
        shutil.rmtree(folder, ignore_errors=True)
        make_random_nnunet.write_folder(folder, base_features=WIDTH, max_features=WIDTH * 10,
                                        num_classes=len(labels) + 1,
                                        labels=labels, spacing_xyz=(2.5, 2.5, 4.0), patch_xyz=(64, 64, 32),
                                        seed=seed, calibrate_ct=ct, dataset_name=name, intensity=intensity,
                                        background_boost=boost)
        folders.append(folder)
    model_dir = FIXTURES / "random_two_parts_w4"
    shutil.rmtree(model_dir, ignore_errors=True)
    card = export_nnunet.main([str(f) for f in folders] + [
        "--out", str(model_dir), "--builder", "plain_conv_unet:load_network", "--id", "random-two-parts-w4",
        "--tile-step", "0.8", "--description", "two random-weight nnU-Net PlainConvUNets (features 4..40) as a "
                                               "multi-part model; test fixture, not a trained model"])
    merged = {v: int(k) for k, v in card["labels"].items()}
    reference_segment.segment_parts(folders, ct, FIXTURES / "example_ct_sm_seg_two_parts_reference.nii.gz", merged,
                                    tile_step=0.8)


def bench():
    out = Path(os.environ.get("CTCOHORT_BENCH_MODEL_OUT", ENGINE / "target" / "nnunet-bench"))
    folder = out / "Dataset901_RandomPlainConvUNetBench" / "nnUNetTrainer__nnUNetPlans__3d_fullres"
    shutil.rmtree(out, ignore_errors=True)
    labels_tsv = REFERENCE / "labels_total.tsv"
    rows = [l.split("\t") for l in labels_tsv.read_text().splitlines()[1:] if l.strip()]
    labels = [r[1].strip() for r in sorted(rows, key=lambda r: int(r[0]))]
    make_random_nnunet.write_folder(folder, num_classes=len(labels) + 1, labels=labels, spacing_xyz=(3.0, 3.0, 3.0),
                                    patch_xyz=(128, 128, 128), seed=4321,
                                    dataset_name="Dataset901_RandomPlainConvUNetBench")
    export_nnunet.main([str(folder), "--out", str(out / "model"), "--builder", "plain_conv_unet:load_network",
                        "--id", "random-plainconvunet-bench", "--tile-step", "0.8",
                        "--description", "random-weight nnU-Net PlainConvUNet at TotalSegmentator's size "
                                         "(31 M parameters, 118 classes, 3 mm, patch 128^3); benchmark only"])
    print(f"benchmark model: {out / 'model'}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["fixture", "bench"])
    {"fixture": fixture, "bench": bench}[ap.parse_args().what]()
