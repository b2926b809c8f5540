"""Export nnU-Net v2 trained models (e.g. TotalSegmentator's weights) to a ctcohort model directory.

    python export_nnunet.py TRAINED_MODEL_FOLDER [MORE_FOLDERS ...] --out MODEL_DIR [--fold 0]

A trained-model folder is nnU-Net v2's `nnUNetTrainer__nnUNetPlans__3d_fullres` directory holding plans.json,
dataset.json and fold_X/checkpoint_final.pth. One folder gives MODEL_DIR/model.onnx + model.json; several
folders (TotalSegmentator's `total` = 5 part models) give one ONNX file per part and a card with `parts`.

For every model it: builds the network with deep supervision off (by default through nnunetv2's own
nnUNetPredictor, so any trainer/architecture nnU-Net can load works; `--builder module:function` injects another
builder, e.g. `plain_conv_unet:load_network` needs only PyTorch), wraps it so that the ONNX model takes our
canonical tensor layout, exports it at the plan's patch size, runs it in onnxruntime against PyTorch on random
input (max abs diff printed and asserted), and writes model.json from plans.json and dataset.json.

Axis order (the part that is easy to get wrong)
-----------------------------------------------
* ctcohort: the CT is reoriented to the closest canonical RAS orientation; voxel arrays are x fastest; the ONNX
  input is [N, 1, Z, Y, X]. The card's `target_spacing_mm` and `patch_size` are in (x, y, z) order.
* nnU-Net (SimpleITKIO, and NibabelIO which transposes to match it) holds an image as a numpy array of shape
  (z, y, x) = sitk.GetArrayFromImage, i.e. the file's voxel axes (i, j, k) reversed, with spacing reversed to
  match. nnU-Net does NOT reorient: the axes are the file's. Planning then permutes the array axes with
  `transpose_forward` (coarsest axis first) and stores `spacing` and `patch_size` of a configuration IN THAT
  PERMUTED ORDER; the network sees data.transpose(transpose_forward) and predictions come back with
  transpose_backward.
* Hence, for training images stored in RAS orientation (TotalSegmentator's are; it reorients every input with
  nibabel's as_closest_canonical before nnU-Net sees it), nnU-Net's un-permuted array axes (z, y, x) are exactly
  our [Z, Y, X]. The exporter bakes the permutation into the ONNX graph (input permuted by transpose_forward,
  logits permuted back by transpose_backward), so the ONNX model always takes [N, 1, Z, Y, X], and converts
  plans' spacing/patch: array order a[transpose_forward[i]] = plans[i], card (x, y, z) = (a[2], a[1], a[0]).
  If the training images were stored in another orientation (say LPS, as DICOM converters often write),
  pass `--train-orientation LPS`: the wrapper flips the affected axes so that the network sees what it saw in
  training.

Card fields taken from plans.json (configurations -> CONFIGURATION, default 3d_fullres, `inherits_from`
resolved): patch_size, spacing; foreground_intensity_properties_per_channel["0"]: percentile_00_5 (clip_low),
percentile_99_5 (clip_high), mean, std (nnU-Net's CTNormalization: clip, then (x - mean) / max(std, 1e-8));
transpose_forward/backward (recorded under `training`, already applied inside the ONNX graph). Labels come from
dataset.json (name -> index), mapped to TotalSegmentator's vocabulary (totalsegmentator_labels.json: its part
datasets 291-295 and fast models 297/298 by index, other datasets by name and aliases; unknown names are kept
as they are, with a warning).

nnU-Net resamples images with third-order splines (separate z for anisotropic data); the engine's resampling
order is set by `--resampling-order` (default 1, linear; the card records it).
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib
import json
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nnunet_plans  # noqa: E402

EXPORTER_VERSION = "1"
LABELS_FILE = Path(__file__).resolve().parent / "totalsegmentator_labels.json"
INPUT_NAME, OUTPUT_NAME = "input", "logits"
# Card normalization when the graph normalizes: the engine hands the graph HU + OFFSET, which is positive (HU
# below -4096 are clipped, far below any part's own clip_low), so that the engine's zero padding (nnU-Net pads the
# normalized image with 0) stays recognisable. A small offset keeps float32 precise (0.0005 HU at 3000 HU).
OFFSET = 4097.0
IN_GRAPH_CARD_NORMALIZATION = {"type": "ct", "clip_low": 1.0 - OFFSET, "clip_high": 32767.0, "mean": -OFFSET, "std": 1.0}


# ----------------------------------------------------------------------------------------------- network
def nnunetv2_builder(model_folder: Path, plans: dict, dataset: dict, configuration: str, checkpoint: Path):
    """Default builder: nnU-Net's own predictor (deep supervision off), weights of one fold loaded."""
    from nnunetv2.inference.predict_from_raw_data import nnUNetPredictor  # needs nnunetv2 installed

    fold_dir = checkpoint.parent.name  # fold_X
    fold = fold_dir.split("_", 1)[1]
    fold = int(fold) if fold.isdigit() else fold
    # only arguments every nnunetv2 2.x has (perform_everything_on_gpu was renamed _on_device in 2.2)
    p = nnUNetPredictor(tile_step_size=0.5, use_gaussian=True, use_mirroring=False, device=torch.device("cpu"),
                        verbose=False)
    p.initialize_from_trained_model_folder(str(model_folder), use_folds=(fold,), checkpoint_name=checkpoint.name)
    net = p.network
    net = getattr(net, "_orig_mod", net)  # unwrap torch.compile
    net.load_state_dict(p.list_of_parameters[0])
    return net.eval()


def resolve_builder(spec: str):
    if spec == "nnunetv2":
        return nnunetv2_builder
    module, _, func = spec.partition(":")
    return getattr(importlib.import_module(module), func or "load_network")


class CanonicalLayout(nn.Module):
    """Takes [N, 1, Z, Y, X] (canonical RAS, x fastest); gives the network nnU-Net's permuted/flipped layout
    and returns logits [N, C, Z, Y, X]."""

    def __init__(self, net: nn.Module, transpose_forward, flip_zyx=(False, False, False), normalization=None):
        super().__init__()
        self.net = net
        # optional CTNormalization inside the graph (multi-part models: each part's own, see main()); the input
        # is then HU + OFFSET, and 0 (the engine's padding) becomes 0 after normalization, as in nnU-Net
        self.norm = None if normalization is None else (float(normalization["clip_low"]),
                                                         float(normalization["clip_high"]),
                                                         float(normalization["mean"]),
                                                         float(max(normalization["std"], 1e-8)))
        tf = [int(t) for t in transpose_forward]
        tb = [tf.index(i) for i in range(3)]
        self.fwd = [0, 1] + [2 + t for t in tf]
        self.bwd = [0, 1] + [2 + t for t in tb]
        self.identity = tf == [0, 1, 2]
        self.flip_dims = [2 + i for i, f in enumerate(flip_zyx) if f]

    def forward(self, x):
        if self.norm is not None:
            lo, hi, mean, std = self.norm
            padding = x < 0.5
            x = torch.where(padding, torch.zeros_like(x), (torch.clamp(x - OFFSET, lo, hi) - mean) / std)
        if self.flip_dims:
            x = torch.flip(x, self.flip_dims)
        if not self.identity:
            x = x.permute(*self.fwd)
        y = self.net(x)
        if not self.identity:
            y = y.permute(*self.bwd)
        if self.flip_dims:
            y = torch.flip(y, self.flip_dims)
        return y


def flips_for(orientation: str):
    """Axis flips (in z, y, x array order) that turn a canonical RAS array into ORIENTATION (e.g. LPS)."""
    o = orientation.upper()
    if len(o) != 3 or o[0] not in "RL" or o[1] not in "AP" or o[2] not in "SI":
        raise ValueError(f"--train-orientation must be like RAS/LPS/LAS (x y z axes, no permutation): {orientation}")
    fx, fy, fz = o[0] == "L", o[1] == "P", o[2] == "I"
    return (fz, fy, fx)


# ----------------------------------------------------------------------------------------------- geometry
def canonical_xyz(plans_values, transpose_forward):
    """plans.json spacing/patch (transposed array order) -> (x, y, z)."""
    arr = [None] * 3
    for i, t in enumerate(transpose_forward):
        arr[int(t)] = plans_values[i]
    return [arr[2], arr[1], arr[0]]


# ----------------------------------------------------------------------------------------------- labels
def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


class LabelVocabulary:
    def __init__(self, path: Path = LABELS_FILE):
        d = json.loads(path.read_text())
        self.total = {int(k): v for k, v in d["total"].items()}
        self.by_norm = {_norm(v): v for v in self.total.values()}
        self.datasets = {int(k): {int(i): n for i, n in v["labels"].items()} for k, v in d["datasets"].items()}
        self.part_names = {int(k): v["part"] for k, v in d["datasets"].items()}
        self.aliases = {_norm(k): v for k, v in d["aliases"].items()}
        self.total_index = {v: k for k, v in self.total.items()}

    def map(self, labels: dict[int, str], dataset_id: int | None) -> dict[int, str]:
        """dataset.json labels (index -> name) -> TotalSegmentator names; unknown names kept with a warning."""
        known = self.datasets.get(dataset_id) if dataset_id is not None else None
        out = {}
        for idx, name in labels.items():
            if known is not None and idx in known:
                mapped = known[idx]
                if _norm(name) != _norm(mapped) and self.aliases.get(_norm(name)) != mapped:
                    warnings.warn(f"dataset {dataset_id} label {idx} '{name}' taken as TotalSegmentator's '{mapped}'")
            else:
                mapped = self.by_norm.get(_norm(name)) or self.aliases.get(_norm(name))
                if mapped is None:
                    warnings.warn(f"label {idx} '{name}' is not a TotalSegmentator structure name: kept as is")
                    mapped = name
            out[idx] = mapped
        dup = {n for n in out.values() if list(out.values()).count(n) > 1}
        if dup:
            raise ValueError(f"labels map to the same name more than once: {sorted(dup)}")
        return out


def dataset_id_of(plans: dict, dataset: dict, folder: Path) -> int | None:
    for s in (plans.get("dataset_name", ""), dataset.get("name", ""), *[p.name for p in folder.resolve().parents]):
        m = re.match(r"Dataset(\d{3})_", s or "")
        if m:
            return int(m.group(1))
    return None


# ----------------------------------------------------------------------------------------------- export
def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def export_onnx(model: nn.Module, patch_zyx, onnx_path: Path, opset: int):
    x = torch.zeros(1, 1, *patch_zyx)
    kwargs = dict(input_names=[INPUT_NAME], output_names=[OUTPUT_NAME], opset_version=opset,
                  dynamic_axes={INPUT_NAME: {0: "n"}, OUTPUT_NAME: {0: "n"}}, do_constant_folding=True)
    with torch.no_grad():
        try:
            torch.onnx.export(model, (x,), str(onnx_path), dynamo=False, **kwargs)
        except TypeError:  # torch < 2.5 has no `dynamo` switch (TorchScript exporter is the only one)
            torch.onnx.export(model, (x,), str(onnx_path), **kwargs)


def check_onnx(model: nn.Module, onnx_path: Path, patch_zyx, num_classes: int, seed: int = 0, tol: float = 1e-3,
               loc: float = 0.0, scale: float = 1.0):
    """Random input (normal, loc/scale: HU-like when the graph normalizes) through PyTorch and onnxruntime;
    prints and asserts the max abs logit difference."""
    import onnxruntime as ort

    rng = np.random.default_rng(seed)
    x = (loc + scale * rng.standard_normal((1, 1, *patch_zyx))).astype(np.float32)
    with torch.no_grad():
        ref = model(torch.from_numpy(x)).numpy()
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    got = sess.run([OUTPUT_NAME], {INPUT_NAME: x})[0]
    assert got.shape == (1, num_classes, *patch_zyx), f"ONNX output shape {got.shape}"
    diff = float(np.max(np.abs(got - ref)))
    scale = float(np.max(np.abs(ref)))
    agree = float(np.mean(got.argmax(1) == ref.argmax(1)))
    print(f"  onnx check {onnx_path.name}: max |onnx - torch| = {diff:.3g} (max |logit| {scale:.3g}), "
          f"argmax agreement {agree:.6f}")
    assert diff <= tol * max(1.0, scale), f"ONNX output differs from PyTorch by {diff} (tolerance {tol} x {scale})"
    return diff


def load_folder(folder: Path, fold: str, checkpoint_name: str, configuration: str):
    plans = json.loads((folder / "plans.json").read_text())
    dataset = json.loads((folder / "dataset.json").read_text())
    checkpoint = folder / f"fold_{fold}" / checkpoint_name
    if not checkpoint.is_file():
        raise FileNotFoundError(f"{checkpoint} not found (trained-model folder {folder}, fold {fold})")
    return plans, dataset, nnunet_plans.configuration(plans, configuration), checkpoint


def export_one(folder: Path, out_dir: Path, onnx_name: str, args, vocab: LabelVocabulary,
               norm_in_graph: bool = False) -> dict:
    plans, dataset, cfg, checkpoint = load_folder(folder, args.fold, args.checkpoint, args.configuration)
    channels = dataset.get("channel_names", dataset.get("modality", {}))
    if len(channels) != 1:
        raise ValueError(f"{folder}: {len(channels)} input channels; ctcohort models take one CT channel")
    if cfg.get("normalization_schemes", ["CTNormalization"])[0] != "CTNormalization":
        raise ValueError(f"{folder}: normalization {cfg['normalization_schemes'][0]}, only CTNormalization supported")
    tf = [int(t) for t in plans.get("transpose_forward", [0, 1, 2])]
    patch_xyz = [int(p) for p in canonical_xyz(cfg["patch_size"], tf)]
    spacing_xyz = [float(s) for s in canonical_xyz(cfg["spacing"], tf)]
    patch_zyx = patch_xyz[::-1]
    raw_labels = nnunet_plans.labels(dataset)
    ds_id = dataset_id_of(plans, dataset, folder)
    labels = vocab.map(raw_labels, ds_id)
    num_classes = len(raw_labels) + 1
    props = plans["foreground_intensity_properties_per_channel"]["0"]
    normalization = {"type": "ct", "clip_low": float(props["percentile_00_5"]),
                     "clip_high": float(props["percentile_99_5"]), "mean": float(props["mean"]),
                     "std": float(props["std"])}

    print(f"{folder}: dataset {plans.get('dataset_name')} ({ds_id}), {num_classes} classes, "
          f"patch xyz {patch_xyz}, spacing xyz {spacing_xyz}, transpose_forward {tf}")
    net = resolve_builder(args.builder)(folder, plans, dataset, args.configuration, checkpoint)
    model = CanonicalLayout(net, tf, flips_for(args.train_orientation),
                            normalization if norm_in_graph else None).eval()
    onnx_path = out_dir / onnx_name
    export_onnx(model, patch_zyx, onnx_path, args.opset)
    diff = check_onnx(model, onnx_path, patch_zyx, num_classes,
                      **({"loc": normalization["mean"] + OFFSET, "scale": 1.5 * normalization["std"]} if norm_in_graph else {}))
    return {
        "id": ds_id and vocab.part_names.get(ds_id) or plans.get("dataset_name", folder.name),
        "onnx_file": onnx_name, "sha256": sha256(onnx_path),
        "labels": {str(k): v for k, v in sorted(labels.items())},
        "patch_size": patch_xyz, "target_spacing_mm": spacing_xyz, "normalization": normalization,
        "norm_in_graph": norm_in_graph,
        "source": {"folder": "/".join(folder.resolve().parts[-2:]), "dataset_name": plans.get("dataset_name"), "dataset_id": ds_id,
                   "plans_name": plans.get("plans_name"), "configuration": args.configuration, "fold": args.fold,
                   "checkpoint": args.checkpoint, "transpose_forward": tf,
                   "transpose_backward": [int(t) for t in plans.get("transpose_backward", [0, 1, 2])],
                   "plans_patch_size": cfg["patch_size"], "plans_spacing": cfg["spacing"],
                   "train_orientation": args.train_orientation.upper(),
                   "dataset_label_names": {str(k): v for k, v in raw_labels.items()},
                   "intensity_properties": props, "onnx_max_abs_diff": diff},
    }


def merged_labels(parts: list[dict], vocab: LabelVocabulary) -> dict[int, str]:
    """Union of the parts' names; TotalSegmentator 'total' indices when every name is one of its 117."""
    names = [n for p in parts for n in p["labels"].values()]
    if len(set(names)) != len(names):
        raise ValueError("parts share label names: " + str(sorted({n for n in names if names.count(n) > 1})))
    if all(n in vocab.total_index for n in names):
        return {vocab.total_index[n]: n for n in sorted(names, key=vocab.total_index.get)}
    return {i + 1: n for i, n in enumerate(names)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", type=Path, nargs="+", help="nnU-Net v2 trained-model folder(s)")
    ap.add_argument("--out", type=Path, required=True, help="model directory to write")
    ap.add_argument("--fold", default="0", help="fold_X folder to take weights from (default 0; 'all' works)")
    ap.add_argument("--checkpoint", default="checkpoint_final.pth")
    ap.add_argument("--configuration", default="3d_fullres")
    ap.add_argument("--id", help="model id (default: from the dataset name)")
    ap.add_argument("--version", default="1")
    ap.add_argument("--description")
    ap.add_argument("--tile-step", type=float, help="sliding-window step (nnU-Net 0.5; TotalSegmentator 0.8, the "
                                                    "default for its datasets)")
    ap.add_argument("--mirroring", action="store_true", help="test-time mirroring (TotalSegmentator: off)")
    ap.add_argument("--resampling-order", type=int, default=1, choices=[0, 1], help="image resampling order")
    ap.add_argument("--train-orientation", default="RAS", help="orientation of the training images (default RAS)")
    ap.add_argument("--normalization-in-graph", action="store_true",
                    help="put CTNormalization into the ONNX graph (always done for multi-part models)")
    ap.add_argument("--builder", default="nnunetv2",
                    help="'nnunetv2' (default) or module:function(folder, plans, dataset, configuration, checkpoint)")
    ap.add_argument("--opset", type=int, default=17)
    args = ap.parse_args(argv)

    vocab = LabelVocabulary()
    args.out.mkdir(parents=True, exist_ok=True)
    single = len(args.folders) == 1
    # Multi-part (TotalSegmentator `total`): every part was trained on its own dataset, so each has its own
    # CTNormalization. The engine preprocesses once, so each part's clip + z-score goes into its ONNX graph and
    # the card hands the graph resampled HU (offset to stay positive). TotalSegmentator itself resamples first
    # and normalizes per part, which is exactly this order.
    norm_in_graph = not single or args.normalization_in_graph
    parts = []
    for i, folder in enumerate(args.folders):
        parts.append(export_one(folder, args.out, "model.onnx" if single else f"part{i + 1}.onnx", args, vocab,
                                norm_in_graph))

    first = parts[0]
    for p in parts[1:]:
        for key in ("patch_size", "target_spacing_mm"):
            if p[key] != first[key]:
                raise ValueError(f"parts differ in {key}: {first[key]} vs {p[key]}; parts run on one preprocessed image")
    ts = all((p["source"]["dataset_id"] or 0) in vocab.datasets for p in parts)
    tile_step = args.tile_step if args.tile_step is not None else (0.8 if ts else 0.5)
    model_id = args.id or ("totalsegmentator-" + ("total" if len(parts) == 5 else first["id"]) if ts
                           else re.sub(r"[^0-9A-Za-z_.-]+", "-", first["source"]["dataset_name"] or "nnunet"))
    labels = merged_labels(parts, vocab) if not single else {int(k): v for k, v in first["labels"].items()}
    card = {
        "id": model_id,
        "version": args.version,
        "description": args.description or (
            f"nnU-Net v2 {args.configuration} export of {', '.join(p['source']['dataset_name'] or '?' for p in parts)}"
            f" (fold {args.fold})"),
        "input_name": INPUT_NAME,
        "output_name": OUTPUT_NAME,
        "labels": {str(k): v for k, v in sorted(labels.items())},
        "target_spacing_mm": first["target_spacing_mm"],
        "patch_size": first["patch_size"],
        "tile_step": tile_step,
        "mirroring": bool(args.mirroring),
        "resampling_order": args.resampling_order,
        "normalization": IN_GRAPH_CARD_NORMALIZATION if norm_in_graph else first["normalization"],
        "training": {"source": "nnU-Net v2", "exporter": f"export_nnunet.py v{EXPORTER_VERSION}",
                     "exported_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                     "torch": torch.__version__, "opset": args.opset,
                     "layout_note": "ONNX takes [N,1,Z,Y,X] canonical RAS; nnU-Net's transpose_forward/backward "
                                    "are applied inside the graph"
                                    + ("; so is each part's CT normalization (the card's normalization hands the "
                                       "graph HU + 4097, keeping the engine's zero padding recognisable)"
                                       if norm_in_graph else ""),
                     ("parts" if not single else "nnunet"): ([p["source"] for p in parts] if not single
                                                            else first["source"])},
    }
    if single:
        card["onnx_file"] = first["onnx_file"]
        card["sha256"] = first["sha256"]
    else:
        card["parts"] = [{"id": p["id"], "onnx_file": p["onnx_file"], "sha256": p["sha256"], "labels": p["labels"],
                          "normalization_in_graph": p["normalization"]} for p in parts]
    if single and norm_in_graph:
        card["training"]["normalization_in_graph"] = first["normalization"]
    (args.out / "model.json").write_text(json.dumps(card, indent=2) + "\n")
    print(f"wrote {args.out / 'model.json'}: id {card['id']}, {len(card['labels'])} labels, "
          f"{len(parts)} part(s), tile_step {tile_step}, mirroring {card['mirroring']}")
    return card


if __name__ == "__main__":
    main()
