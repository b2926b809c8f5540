"""Edge-case fixture for the analytics tests, with expected age effects from statsmodels and scipy.

Writes analytics/src/test/resources/edge/{exams,measurements,expected_age_effects}.csv.
Run: /work/pyenv/bin/python analytics/src/test/python/make_edge_fixture.py

The expected values follow reference/README.md (regression/): QC (status ok, voxel_count > 0,
touches_border false), complete cases per structure x metric x stratum (age, metric and sex F/M
present), scipy.stats.spearmanr, statsmodels OLS (metric ~ 1 + age + male for all, ~ 1 + age per sex),
multipletests bonferroni / fdr_bh over the non-NaN p of a stratum. Not estimable (our rule, which
statsmodels does not apply by itself): n - k < 1, constant metric, rank-deficient design -> NaN;
Spearman needs n >= 3 and non-constant age and metric.
"""
import math
import os
import sys

import numpy as np
import pandas as pd

# One definition of a row: the reference loop's (src/main/python/bench/statsmodels_loop.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "main", "python", "bench"))
from statsmodels_loop import adjust, age_effect  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "edge")
rng = np.random.default_rng(20261126)

# 40 exams: ages with many ties (decades), a few with missing age or sex, one failed.
n_exams = 40
ages = rng.choice([30.0, 40.0, 50.0, 60.0, 70.0], size=n_exams)
sexes = np.where(np.arange(n_exams) % 2 == 0, "F", "M").astype(object)
exams = pd.DataFrame({
    "exam_id": [f"E{i:03d}" for i in range(n_exams)],
    "patient_id": [f"P{i:03d}" for i in range(n_exams)],
    "age": ages,
    "sex": sexes,
    "status": "ok",
})
exams.loc[3, "age"] = np.nan          # missing age
exams.loc[4, "sex"] = None            # missing sex
exams.loc[5, "status"] = "failed"     # failed exam: its rows go

rows = []


def add(exam, structure, label, volume, hu, voxels=1000, border=False):
    rows.append(dict(exam_id=exams.exam_id[exam], structure=structure, label=label, voxel_count=voxels,
                     volume_ml=volume, hu_mean=hu, touches_border=border))


for i in range(n_exams):
    a = 50.0 if np.isnan(exams.age[i]) else exams.age[i]
    # liver: ordinary, with age effect and noise; one NaN and one missing hu_mean; QC rows.
    hu = 60 - 0.2 * a + rng.normal(0, 3)
    if i == 7:
        hu = float("nan")
    if i == 8:
        hu = None
    add(i, "liver", 5, 1600 - 4 * a + rng.normal(0, 80), hu,
        voxels=0 if i == 9 else 1000, border=(i == 10))
    # constant_hu: hu_mean the same everywhere (not estimable), volume with ties in value too.
    add(i, "constant_hu", 20, float(round(rng.normal(30, 2))), 42.0)
    # tiny: measured in 3 women and 2 men only (stratum of 3; stratum of 2 -> not estimable).
    if i in (0, 2, 6, 1, 11):
        add(i, "tiny", 21, 10 + 0.1 * a + rng.normal(0, 1), 20 + rng.normal(0, 5))
    # women_only: all F -> 'all' design has constant male -> collinear; M stratum empty.
    if exams.sex[i] == "F":
        add(i, "women_only", 22, 50 + 0.3 * a + rng.normal(0, 2), 35 - 0.1 * a + rng.normal(0, 1))

meas = pd.DataFrame(rows)


def effects():
    ok = exams[exams.status == "ok"]
    m = meas[(meas.voxel_count > 0) & (~meas.touches_border)].merge(ok, on="exam_id")
    out = []
    strata = ["F", "M", "all"]
    for structure in sorted(m.structure.unique()):
        for metric in ["hu_mean", "volume_ml"]:
            for stratum in strata:
                d = m[m.structure == structure]
                d = d[d.sex.isin(["F", "M"]) if stratum == "all" else (d.sex == stratum)]
                d = d.dropna(subset=["age", metric])
                d = d[np.isfinite(d[metric].astype(float))]
                out.append(age_effect(structure, metric, stratum, d.age.to_numpy(), d[metric].astype(float).to_numpy(),
                                      (d.sex == "M").astype(float).to_numpy()))
    return adjust(pd.DataFrame(out), strata)


os.makedirs(OUT, exist_ok=True)
exams.to_csv(os.path.join(OUT, "exams.csv"), index=False)
meas.assign(touches_border=meas.touches_border.map({True: "true", False: "false"})).to_csv(
    os.path.join(OUT, "measurements.csv"), index=False, na_rep="")
# NaN (not null) hu_mean of exam E007: write it as the text NaN.
text = open(os.path.join(OUT, "measurements.csv")).read().splitlines()
fixed = [text[0]]
for line in text[1:]:
    f = line.split(",")
    if f[0] == "E007" and f[1] == "liver":
        f[5] = "NaN"
    fixed.append(",".join(f))
open(os.path.join(OUT, "measurements.csv"), "w").write("\n".join(fixed) + "\n")
effects().to_csv(os.path.join(OUT, "expected_age_effects.csv"), index=False, float_format="%.17g", na_rep="")
print(effects().to_string())
