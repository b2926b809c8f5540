"""Export a trained demo checkpoint to ONNX and write its model card (model.json).

usage: export.py CHECKPOINT OUT_DIR --training-json train_report.json --cohort-seed 1001 --cohort-exams 240
                 [--earlier-stage stage1_report.json --earlier-stage stage2_report.json ...]
"""
import argparse
import hashlib
import json
import os

import numpy as np
import onnxruntime as ort
import torch

from common import CLIP, MEAN, NUM_CLASSES, PATCH, STD, STRUCTURES, TARGET_SPACING, DemoUNet


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("out")
    ap.add_argument("--training-json", required=True)
    ap.add_argument("--cohort-seed", type=int, action="append", required=True)
    ap.add_argument("--cohort-exams", type=int, required=True)
    ap.add_argument("--earlier-stage", action="append", default=[],
                    help="train.py report of a stage this checkpoint continues from, oldest first")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    net = DemoUNet()
    net.load_state_dict(torch.load(a.checkpoint))
    net.eval()
    onnx_path = os.path.join(a.out, "model.onnx")
    x = torch.randn(1, 1, 48, 64, 64)
    torch.onnx.export(net, x, onnx_path, input_names=["input"], output_names=["logits"], opset_version=17,
                      dynamic_axes={"input": {0: "n", 2: "z", 3: "y", 4: "x"}, "logits": {0: "n", 2: "z", 3: "y", 4: "x"}},
                      dynamo=False)
    # The ONNX graph must compute what the network computes.
    with torch.no_grad():
        ref = net(x).numpy()
    got = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"]).run(None, {"input": x.numpy()})[0]
    err = float(np.abs(ref - got).max())
    assert err < 1e-3, f"ONNX export differs from torch by {err}"
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    report = json.load(open(a.training_json))
    stages = [json.load(open(f)) for f in a.earlier_stage]
    for r in [report] + stages:  # checkpoints are named by file, not by where they lay on the trainer's disk
        if r.get("init"):
            r["init"] = os.path.basename(r["init"])
        if r.get("more"):
            r["more"] = [os.path.basename(m) for m in r["more"]]
    channel_labels = {str(c): name for c, (_, name) in enumerate(STRUCTURES, start=1)}
    card = {
        "id": "ctcohort-demo-phantom",
        "version": "1.0",
        "description": "Small 3-D U-Net trained on ctcohort synthetic phantoms (bin/ctcohort synth): 17 abdominal "
                       "structures with TotalSegmentator total (v2) label indices. For demos and tests, not for "
                       "patient data.",
        "sha256": sha,
        "onnx_file": "model.onnx",
        "input_name": "input",
        "output_name": "logits",
        "labels": {str(label): name for label, name in STRUCTURES},
        "target_spacing_mm": list(TARGET_SPACING),
        "patch_size": list(PATCH),
        # 0.75, not nnU-Net's 0.5: half the tiles for 0.003 mean Dice (docs/DESIGN.md "The demo model's tile step").
        "tile_step": 0.75,
        "mirroring": False,
        "resampling_order": 1,
        "label_resampling": "linear",
        "normalization": {"type": "ct", "clip_low": CLIP[0], "clip_high": CLIP[1], "mean": MEAN, "std": STD},
        # One network whose output channels 0..17 map to the TotalSegmentator indices above by name.
        "parts": [{"id": "demo", "onnx_file": "model.onnx", "sha256": sha, "labels": channel_labels}],
        "training": {
            "framework": f"pytorch {torch.__version__} (CPU)",
            "script": "engine/src/main/python/demo_model/train.py",
            "data": "bin/ctcohort synth --exams %d --seed %s" % (a.cohort_exams, ",".join(map(str, a.cohort_seed))),
            "cohort_seeds": a.cohort_seed,
            "exams": report["train_exams"] + report["val_exams"],
            **report,
            "earlier_stages": stages,
            "classes": NUM_CLASSES,
            "parameters": sum(p.numel() for p in net.parameters()),
            "onnx_max_abs_diff_vs_torch": err,
        },
    }
    json.dump(card, open(os.path.join(a.out, "model.json"), "w"), indent=2)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes, sha256 {sha}) and model.json")


if __name__ == "__main__":
    main()
