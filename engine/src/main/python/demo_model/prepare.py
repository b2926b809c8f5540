"""Resample a synth cohort (bin/ctcohort synth) to the demo model's grid, as the Java engine does.

usage: prepare.py COHORT_DIR OUT_DIR
Writes OUT_DIR/<exam_id>.npz with img (float16, normalized, z,y,x) and lab (uint8 channels, z,y,x).
"""
import csv
import os
import sys
from multiprocessing import Pool

import nibabel as nib
import numpy as np

from common import preprocess


def one(args):
    cohort, exam, out = args
    path = os.path.join(out, exam + ".npz")
    if os.path.exists(path):
        return
    img, lab = preprocess(nib.load(os.path.join(cohort, "images", exam + ".nii.gz")),
                          nib.load(os.path.join(cohort, "labels", exam + ".nii.gz")))
    np.savez(path + ".tmp.npz", img=img.T.astype(np.float16), lab=lab.T.copy())
    os.replace(path + ".tmp.npz", path)


def main(cohort, out):
    os.makedirs(out, exist_ok=True)
    rows = list(csv.DictReader(open(os.path.join(cohort, "manifest_masks.csv"))))
    with Pool(2) as p:
        p.map(one, [(cohort, r["exam_id"], out) for r in rows], chunksize=4)
    print("prepared", len(rows), "exams into", out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
