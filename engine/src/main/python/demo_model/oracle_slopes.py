"""What an ideal 3 mm model would recover: the true label maps of a synth/demo cohort taken to the model
grid as its training targets are (nearest neighbour, see prepare.py), then back to the CT's grid as the
engine restores a model's labels (--up: nearest, TotalSegmentator's way, or linear, the demo card's
label_resampling: one-hot trilinear, heaviest label). Prints, per planted structure, the age slope (OLS,
metric ~ age + sex, border-touching rows dropped as the demo does; volume in ml, HU) of the true masks beside
that of the 3 mm masks. A gap here would be the grid's; a gap only in the demo table is the model's.

usage: oracle_slopes.py COHORT_DIR [--exams N] [--up linear|nearest]   (COHORT_DIR as written by demo or synth)
"""
import argparse
import csv
import os

import nibabel as nib
import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from common import STRUCTURES, resample, resampled_shape

PLANTED = {"kidney_right": "volume", "kidney_left": "volume", "pancreas": "volume", "aorta": "volume",
           "iliopsoas_left": "volume", "iliopsoas_right": "volume", "hip_left": "hu", "hip_right": "hu",
           "autochthon_left": "hu", "autochthon_right": "hu",
           **{f"vertebrae_L{i}": "hu" for i in range(1, 6)}}
# Through every scan: the demo keeps them although they touch the border (its --border-exempt).
BORDER_EXEMPT = {"aorta", "autochthon_left", "autochthon_right"}


def local(uri):
    return uri[len("file://"):] if uri.startswith("file://") else uri


def measure(row, up):
    ct = nib.as_closest_canonical(nib.load(local(row["image_uri"])))
    lab = np.asarray(nib.as_closest_canonical(nib.load(local(row["mask_uri"]))).dataobj)
    hu = np.asarray(ct.dataobj).astype(np.float32)
    zooms = [float(z) for z in ct.header.get_zooms()[:3]]
    small, ml = resampled_shape(lab.shape, zooms), float(np.prod(zooms)) / 1000
    best, arg = np.full(lab.shape, -1.0, np.float32), np.zeros(lab.shape, np.int32)
    for label in [0] + [l for l, _ in STRUCTURES]:  # ascending: ties go to the lowest label, as in the engine
        p = resample(resample((lab == label).astype(np.float32), small, 0), lab.shape, up)
        arg[p > best], best[p > best] = label, p[p > best]
    for label, name in STRUCTURES:
        t, o = lab == label, arg == label
        if t.any() and o.any():
            yield {"exam_id": row["exam_id"], "structure": name, "true_hu": hu[t].mean(), "grid_hu": hu[o].mean(),
                   "true_volume": t.sum() * ml, "grid_volume": o.sum() * ml}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cohort")
    ap.add_argument("--exams", type=int, default=200)
    ap.add_argument("--up", choices=["linear", "nearest"], default="linear")
    a = ap.parse_args()
    up = 1 if a.up == "linear" else 0
    rows = list(csv.DictReader(open(os.path.join(a.cohort, "manifest_masks.csv"))))[:a.exams]
    d = pd.DataFrame([m for r in rows for m in measure(r, up)])
    truth = pd.read_csv(os.path.join(a.cohort, "truth.csv"))[["exam_id", "structure", "touches_border"]]
    d = d.merge(truth).merge(pd.DataFrame(rows)[["exam_id", "age", "sex"]].astype({"age": float}))
    d = d[~d.touches_border.astype(str).str.lower().eq("true") | d.structure.isin(BORDER_EXEMPT)]
    print(f"{'structure':18s} {'metric':7s} {'n':>4s} {'true masks':>11s} {'3 mm masks [95% CI]':>28s}")
    for s, metric in PLANTED.items():
        x = d[d.structure == s]
        if len(x) < 10:
            continue
        bt = smf.ols(f"true_{metric} ~ age + sex", x).fit().params["age"]
        fit = smf.ols(f"grid_{metric} ~ age + sex", x).fit()
        lo, hi = fit.conf_int().loc["age"]
        print(f"{s:18s} {metric:7s} {len(x):4d} {bt:+11.4f} {fit.params['age']:+11.4f} [{lo:+.4f}, {hi:+.4f}]")


if __name__ == "__main__":
    main()
