"""The age study as a statistician writes it with pandas, scipy and statsmodels: the reference loop
that `ctcohort analyze` is benchmarked against (bench_analyze.py), and the definition it reproduces
(DESIGN.md `age_effects`, reference/README.md).

    python statsmodels_loop.py RUN OUT.parquet

RUN is a run folder (exams/ + measurements/) or an output root (its LATEST run). QC: exam status ok,
voxel_count > 0, not touching the border; complete cases per structure x metric x stratum;
scipy.stats.spearmanr; statsmodels OLS metric ~ 1 + age + male (all) / ~ 1 + age (F, M) with its 95 %
CI; multipletests bonferroni / fdr_bh over the non-NaN p of a stratum. Prints its stage times.
"""
import os
import sys
import time

T0 = time.time()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import statsmodels.api as sm  # noqa: E402
from scipy import stats  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402


def run_folder(path):
    latest = os.path.join(path, "LATEST")
    if os.path.isfile(latest):
        return os.path.join(path, "runs", open(latest).read().strip())
    return path


def age_effect(structure, metric, stratum, age, y, male):
    """One age_effects row from a stratum's complete cases: Spearman of age and the metric (n >= 3, neither
    constant), OLS metric ~ 1 + age (+ male in stratum all) with its 95 % CI (n - k >= 1, metric not
    constant, full rank); NaN where not estimable. The edge fixture (make_edge_fixture.py) uses it too."""
    n = len(y)
    nan = float("nan")
    row = dict(structure=structure, metric=metric, stratum=stratum, n=n, spearman_rho=nan,
               spearman_p=nan, beta_age=nan, se_age=nan, t_age=nan, p_age=nan, ci_low=nan, ci_high=nan,
               r2=nan, intercept=nan)
    if n >= 3 and np.ptp(age) > 0 and np.ptp(y) > 0:
        r = stats.spearmanr(age, y)
        row.update(spearman_rho=r.statistic, spearman_p=r.pvalue)
    x = np.column_stack([np.ones(n), age] + ([male] if stratum == "all" else []))
    k = x.shape[1]
    if n - k >= 1 and np.ptp(y) > 0 and np.linalg.matrix_rank(x) == k:
        f = sm.OLS(y, x).fit()
        ci = f.conf_int(0.05)
        row.update(beta_age=f.params[1], se_age=f.bse[1], t_age=f.tvalues[1], p_age=f.pvalues[1],
                   ci_low=ci[1, 0], ci_high=ci[1, 1], r2=f.rsquared, intercept=f.params[0])
    return row


def adjust(df, strata):
    """p_age_bonferroni and q_age_bh: multipletests bonferroni / fdr_bh over the non-NaN p_age of each stratum."""
    df["p_age_bonferroni"] = float("nan")
    df["q_age_bh"] = float("nan")
    for stratum in strata:
        sel = (df.stratum == stratum) & df.p_age.notna()
        if sel.any():
            df.loc[sel, "p_age_bonferroni"] = multipletests(df.loc[sel, "p_age"], method="bonferroni")[1]
            df.loc[sel, "q_age_bh"] = multipletests(df.loc[sel, "p_age"], method="fdr_bh")[1]
    return df


def main(run, out):
    t = {"import": time.time() - T0}
    t1 = time.time()
    run = run_folder(run)
    exams = pd.read_parquet(os.path.join(run, "exams"), columns=["exam_id", "age", "sex", "status", "model_id"])
    m = pd.read_parquet(os.path.join(run, "measurements"),
                        columns=["exam_id", "structure", "voxel_count", "volume_ml", "hu_mean", "touches_border",
                                 "model_id"])
    t["read"] = time.time() - t1
    t1 = time.time()
    ok = exams[exams.status == "ok"]
    d = m[(m.voxel_count > 0) & (~m.touches_border)].merge(ok, on=["exam_id", "model_id"])
    d = d[d.sex.isin(["F", "M"])]
    t["qc"] = time.time() - t1
    t1 = time.time()
    rows = []
    strata = ["all", "F", "M"]
    for structure, g in d.groupby("structure", sort=True):
        for metric in ["volume_ml", "hu_mean"]:
            gm = g.dropna(subset=["age", metric])
            for stratum in strata:
                s = gm if stratum == "all" else gm[gm.sex == stratum]
                rows.append(age_effect(structure, metric, stratum, s.age.to_numpy(float), s[metric].to_numpy(float),
                                       (s.sex == "M").to_numpy(float)))
    df = adjust(pd.DataFrame(rows), strata)
    t["fits"] = time.time() - t1
    t1 = time.time()
    df.to_parquet(out, index=False)
    t["write"] = time.time() - t1
    t["total"] = time.time() - T0
    print(f"statsmodels loop: {len(df)} effects from {len(m)} rows ({len(d)} after QC); seconds "
          + " ".join(f"{k} {v:.2f}" for k, v in t.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
