"""A synthetic age-study cohort in ctcohort's run layout, for the analyze benchmark.

    python make_cohort.py OUT --exams 4004 [--structures 117] [--seed 42]

writes OUT/runs/<run_id>/{exams,measurements}/part-*.parquet, OUT/runs/<run_id>/_SUCCESS and
OUT/LATEST, with the columns and types the pipeline writes (DESIGN.md "Tables"). Structures are
TotalSegmentator's names (engine's labels_total.tsv). Ages are whole years 18-100 (many ties), 45 %
women, 2 % failed exams, 2 % border rows, 1 % empty rows; structure s has true age slopes
base(s) * 0.004 * sin(s + 1) ml/year and 0.1 * cos(2 s + 1) HU/year, as in the Java tests'
SyntheticCohort. Written in chunks of 20,000 exams (one file each), so 10^6 x 117 needs little memory.
"""
import argparse
import os
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "..", "..", "..", "..", "..", "engine", "src", "main", "resources", "io", "ctcohort",
                      "engine", "labels", "labels_total.tsv")
RUN_ID = "20260101T000000Z"
MODEL = "totalseg-synthetic"
VOXEL_ML = 1.5 ** 3 / 1000.0
CHUNK = 20_000


def structure_names(k):
    names = []
    with open(LABELS, encoding="utf-8") as f:
        next(f)
        for line in f:
            if line.strip():
                names.append(line.rstrip("\n").split("\t")[1])
    if k > len(names):
        names += [f"structure_{i:03d}" for i in range(len(names), k)]
    return names[:k]


def exams_table(lo, hi, rng):
    n = hi - lo
    ids = np.arange(lo, hi)
    exam_id = pa.array([f"EX{i:07d}" for i in ids])
    failed = rng.random(n) < 0.02
    status = np.where(failed, "failed", "ok")
    return pa.table({
        "exam_id": exam_id,
        "patient_id": pa.array([f"P{i:07d}" for i in ids]),
        "age": pa.array(np.floor(18 + rng.random(n) * 83)),
        "sex": pa.array(np.where(rng.random(n) < 0.45, "F", "M")),
        "image_uri": pa.array([f"file:///archive/EX{i:07d}.nii.gz" for i in ids]),
        "input_fingerprint": pa.array([f"size={40_000_000 + i};mtime={1_700_000_000_000 + i}" for i in ids]),
        "status": pa.array(status),
        "error_class": pa.array([("InvalidImageException" if f else None) for f in failed], pa.string()),
        "error_message": pa.array([("truncated file" if f else None) for f in failed], pa.string()),
        "dim_x": pa.array(np.full(n, 512, np.int32)),
        "dim_y": pa.array(np.full(n, 512, np.int32)),
        "dim_z": pa.array(rng.integers(300, 900, n).astype(np.int32)),
        "spacing_x": pa.array(np.full(n, 0.8)),
        "spacing_y": pa.array(np.full(n, 0.8)),
        "spacing_z": pa.array(np.full(n, 1.0)),
        "total_ms": pa.array(rng.integers(20_000, 90_000, n)),
        "device": pa.array(np.full(n, "cpu")),
        "model_id": pa.array(np.full(n, MODEL)),
        "model_sha256": pa.array(np.full(n, "0" * 64)),
        "pipeline_version": pa.array(np.full(n, "0.1.0")),
        "processed_at": pa.array(np.full(n, np.datetime64("2026-01-01T00:00:00", "us")), pa.timestamp("us", tz="UTC")),
    })


def measurements_table(ex, names, rng):
    n = ex.num_rows
    k = len(names)
    rows = n * k
    exam_idx = np.repeat(np.arange(n), k)
    s = np.tile(np.arange(k), n)
    age = ex.column("age").to_numpy()[exam_idx]
    male = (ex.column("sex").to_numpy(zero_copy_only=False) == "M")[exam_idx]
    base = 20.0 + 10.0 * s
    volume = (base * (1 + np.where(male, 0.1, 0.0) + 0.1 * rng.standard_normal(rows))
              + base * 0.004 * np.sin(s + 1.0) * (age - 50))
    voxels = np.maximum(1, np.rint(volume / VOXEL_ML)).astype(np.int64)
    empty = rng.random(rows) < 0.01
    voxels[empty] = 0
    hu = 40 + 20 * np.cos(s) + 0.1 * np.cos(2.0 * s + 1.0) * (age - 50) + 5 * rng.standard_normal(rows)
    hu_std = 10 + 5 * rng.random(rows)
    def hu_col(v):
        return pa.array(v, mask=empty)
    return pa.table({
        "exam_id": ex.column("exam_id").take(pa.array(exam_idx)),
        "structure": pa.array(names).take(pa.array(s)),
        "label": pa.array(s + 1, pa.int64()),
        "voxel_count": pa.array(voxels),
        "volume_ml": pa.array(voxels * VOXEL_ML),
        "hu_mean": hu_col(hu),
        "hu_std": hu_col(hu_std),
        "hu_median": hu_col(np.rint(hu)),
        "hu_p05": hu_col(np.rint(hu - 1.645 * hu_std)),
        "hu_p95": hu_col(np.rint(hu + 1.645 * hu_std)),
        "touches_border": pa.array(rng.random(rows) < 0.02),
        "model_id": pa.array(np.full(rows, MODEL)),
    })


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--exams", type=int, default=4004)
    ap.add_argument("--structures", type=int, default=117)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    t0 = time.time()
    run = os.path.join(a.out, "runs", RUN_ID)
    os.makedirs(os.path.join(run, "exams"), exist_ok=True)
    os.makedirs(os.path.join(run, "measurements"), exist_ok=True)
    names = structure_names(a.structures)
    rng = np.random.default_rng(a.seed)
    rows = 0
    for part, lo in enumerate(range(0, a.exams, CHUNK)):
        ex = exams_table(lo, min(a.exams, lo + CHUNK), rng)
        pq.write_table(ex, os.path.join(run, "exams", f"part-{part:05d}.snappy.parquet"), compression="snappy")
        m = measurements_table(ex, names, rng)
        rows += m.num_rows
        pq.write_table(m, os.path.join(run, "measurements", f"part-{part:05d}.snappy.parquet"), compression="snappy")
    open(os.path.join(run, "_SUCCESS"), "w").close()
    with open(os.path.join(a.out, "LATEST"), "w") as f:
        f.write(RUN_ID + "\n")
    print(f"cohort {a.out}: {a.exams} exams x {a.structures} structures = {rows} measurement rows "
          f"in {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
