"""Reference fixtures for the centile charts, from R quantreg, statsmodels QuantReg and statsmodels OLS.

Writes analytics/src/test/resources/centiles/:
  quantreg_fits.csv    structure, metric, sex, tau, df, n, objective_r, nonunique_r, objective_statsmodels
  quantreg_fitted.csv  structure, metric, sex, tau, age, fitted_r, fitted_statsmodels (every 4th year of age
                       from the youngest, and the oldest)
  ns_basis.csv, ns_x.txt   R's splines::ns() basis of a fixed x (df 1, 2, 4, 6), inside and outside its range
  age_spline_f.csv     statsmodels OLS: metric ~ ns(age, 4) [+ male] against metric ~ age [+ male], F test

Run (needs statsmodels, pandas, pyarrow and R with quantreg: apt-get install r-cran-quantreg):
  python analytics/src/test/python/make_centile_fixture.py [--reference ../shared/reference/regression]

The cohort is reference/regression/ after the age study's QC (status ok, voxel_count > 0, touches_border
false, sex F/M, age and metric present). Quantile regression of the metric on a natural cubic spline of
age with 3 interior knots at the age quartiles of the group (df = 4) plus an intercept, per structure,
metric and sex:
  - R: rq(value ~ ns(age, df = 4), tau, method = "br") (Barrodale-Roberts simplex, exact); R also says
    whether the solution may be non-unique.
  - statsmodels: QuantReg (iteratively reweighted least squares, p_tol 1e-10) on patsy's
    cr(age, knots=<the same quartiles>, lower_bound=min, upper_bound=max, constraints='center') and an
    intercept: built independently of R's ns(), it spans the same natural splines (same knots), so the
    objective and the fitted values are the same where the optimum is unique.
Numbers cross between Python and R as C99 hex floats (exact) and are written here in shortest
round-trip decimal.
"""
import argparse
import os
import subprocess
import tempfile

import numpy as np
import pandas as pd
import patsy
import statsmodels.api as sm
import statsmodels.formula.api as smf

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "centiles")
STRUCTURES = ["liver", "kidney_left", "vertebrae_L1"]
METRICS = ["volume_ml", "hu_mean"]
TAUS = [0.03, 0.1, 0.25, 0.5, 0.75, 0.9, 0.97]
DF = 4


def qc_cohort(reference):
    exams = pd.read_parquet(os.path.join(reference, "exams.parquet"))
    m = pd.read_parquet(os.path.join(reference, "measurements.parquet"))
    d = m.merge(exams, on="exam_id", how="inner")
    d = d[(d.status == "ok") & (d.voxel_count > 0) & (~d.touches_border.fillna(False).astype(bool))]
    d = d.assign(sex=d.sex.str.strip().str.upper().replace({"FEMALE": "F", "MALE": "M"}))
    return d[d.sex.isin(["F", "M"]) & d.age.notna()]


def long_format(d):
    rows = d.melt(id_vars=["exam_id", "structure", "age", "sex"], value_vars=METRICS, var_name="metric")
    return rows[np.isfinite(rows.value.astype(float))]


def spline_design(ages, data):
    """patsy's natural cubic regression spline with R ns()'s knots (type-7 quartiles, range), centred."""
    knots = list(np.quantile(ages, [i / DF for i in range(1, DF)]))
    return f"cr(age, knots={knots}, lower_bound={float(np.min(ages))}, upper_bound={float(np.max(ages))}, " \
           f"constraints='center')"


def statsmodels_quantreg(g, tau):
    term = spline_design(g.age.values, g)
    x = patsy.dmatrix("1 + " + term, g, return_type="dataframe")
    fit = sm.QuantReg(g.value.values, x).fit(q=tau, p_tol=1e-10, max_iter=5000)
    u = g.value.values - fit.fittedvalues.values
    objective = float(np.sum(u * (tau - (u < 0))))
    lo, hi = np.ceil(g.age.min()), np.floor(g.age.max())
    grid = pd.DataFrame({"age": np.unique(np.append(np.arange(lo, hi + 1, 4), hi))})
    xg = patsy.build_design_matrices([x.design_info], grid, return_type="dataframe")[0]
    return objective, grid.age.values, xg.values @ fit.params.values


def f_tests(long):
    rows = []
    for (structure, metric), g in long.groupby(["structure", "metric"]):
        for stratum in ["all", "F", "M"]:
            s = g if stratum == "all" else g[g.sex == stratum]
            s = s.assign(male=(s.sex == "M").astype(float))
            extra = " + male" if stratum == "all" else ""
            linear = smf.ols("value ~ age" + extra, s).fit()
            spline = smf.ols("value ~ " + spline_design(s.age.values, s) + extra, s).fit()
            f, p, df_diff = spline.compare_f_test(linear)
            rows.append(dict(structure=structure, metric=metric, stratum=stratum, n=len(s), spline_df=DF,
                             rss_linear=linear.ssr, rss_spline=spline.ssr, f_stat=f, df_num=int(df_diff),
                             df_den=int(spline.df_resid), p_nonlinear=p, r2_linear=linear.rsquared,
                             r2_spline=spline.rsquared))
    return pd.DataFrame(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", default=os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "reference",
                                                        "regression"))
    args = ap.parse_args()
    long = long_format(qc_cohort(args.reference))
    os.makedirs(OUT, exist_ok=True)
    f_tests(long).to_csv(os.path.join(OUT, "age_spline_f.csv"), index=False, float_format="%.17g")

    chosen = long[long.structure.isin(STRUCTURES)]
    fits = pd.DataFrame([dict(structure=s, metric=m, sex=x, tau=t, df=DF)
                         for s in STRUCTURES for m in METRICS for x in ["F", "M"] for t in TAUS])
    with tempfile.TemporaryDirectory() as tmp:
        c = chosen[["structure", "metric", "sex", "age", "value"]].copy()
        c["age"] = [float(v).hex() for v in c.age]
        c["value"] = [float(v).hex() for v in c.value]
        c.to_csv(os.path.join(tmp, "cohort.csv"), index=False)
        fits.to_csv(os.path.join(tmp, "fits.csv"), index=False)
        subprocess.run(["Rscript", os.path.join(HERE, "centile_fixture.R"), tmp], check=True)
        r_fits = pd.read_csv(os.path.join(tmp, "r_fits.csv"))
        r_fitted = pd.read_csv(os.path.join(tmp, "r_fitted.csv"))
        ns_basis = pd.read_csv(os.path.join(tmp, "ns_basis.csv"))
        with open(os.path.join(tmp, "ns_x.txt")) as f:
            ns_x = [float.fromhex(v) for v in f.read().split()]

    r_fits["objective"] = [float.fromhex(v) for v in r_fits.objective]
    r_fitted["fitted"] = [float.fromhex(v) for v in r_fitted.fitted]
    ns_basis["value"] = [float.fromhex(v) for v in ns_basis.value]

    sm_rows, sm_fitted = [], []
    for f in fits.itertuples():
        g = chosen[(chosen.structure == f.structure) & (chosen.metric == f.metric) & (chosen.sex == f.sex)]
        obj, ages, fitted = statsmodels_quantreg(g, f.tau)
        sm_rows.append(dict(structure=f.structure, metric=f.metric, sex=f.sex, tau=f.tau, objective_statsmodels=obj))
        sm_fitted += [dict(structure=f.structure, metric=f.metric, sex=f.sex, tau=f.tau, age=a, fitted_statsmodels=v)
                      for a, v in zip(ages, fitted)]
    keys = ["structure", "metric", "sex", "tau"]
    out_fits = r_fits.rename(columns={"objective": "objective_r", "nonunique": "nonunique_r"}) \
        .merge(pd.DataFrame(sm_rows), on=keys, validate="one_to_one")
    out_fitted = r_fitted.rename(columns={"fitted": "fitted_r"}) \
        .merge(pd.DataFrame(sm_fitted), on=keys + ["age"], validate="one_to_one")
    out_fits.to_csv(os.path.join(OUT, "quantreg_fits.csv"), index=False, float_format="%.17g")
    out_fitted.to_csv(os.path.join(OUT, "quantreg_fitted.csv"), index=False, float_format="%.17g")
    ns_basis.to_csv(os.path.join(OUT, "ns_basis.csv"), index=False, float_format="%.17g")
    with open(os.path.join(OUT, "ns_x.txt"), "w") as f:
        f.write("\n".join("%.17g" % v for v in ns_x) + "\n")

    rel_obj = ((out_fits.objective_r - out_fits.objective_statsmodels).abs() / out_fits.objective_r.abs()).max()
    rel_fit = ((out_fitted.fitted_r - out_fitted.fitted_statsmodels).abs() / out_fitted.fitted_r.abs()).max()
    print(f"{len(out_fits)} fits, {int(out_fits.nonunique_r.sum())} possibly non-unique (R); R vs statsmodels: "
          f"max relative difference objective {rel_obj:.2e}, fitted {rel_fit:.2e}")


if __name__ == "__main__":
    main()
