"""Writes the epidemiologist notebooks (kept as code here so that they are reviewed like code).

Run: python make_notebooks.py   (needs nbformat). Outputs are never committed.
"""
import nbformat as nbf

SETUP = """\
import numpy as np
import pandas as pd
from ctcohort_data import connect

con, run = connect()
print("analysing run:", run)"""

QC = """\
# The study population: ok exams, complete (not border-touching) and non-empty structures.
# (contrast_phase: runs before biomarkers have none)
phase = 'e.contrast_phase' if 'contrast_phase' in con.sql('SELECT * FROM exams LIMIT 0').columns else 'NULL'
ok = con.sql(f\"\"\"
    SELECT m.exam_id, m.structure, m.volume_ml, m.hu_mean, e.age, e.sex, {phase} AS contrast_phase
    FROM measurements m JOIN exams e USING (exam_id)
    WHERE e.status = 'ok' AND m.voxel_count > 0 AND NOT m.touches_border
\"\"\").df()
ok.head()"""


def notebook(cells):
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbf.v4.new_markdown_cell(c[3:]) if c.startswith("md:") else nbf.v4.new_code_cell(c)
                for c in cells]
    return nb


NOTEBOOKS = {
    "01_load_tables.ipynb": [
        "md:# 1. Load a ctcohort output\n\nThe newest complete run's tables with DuckDB and pandas. "
        "Set `CTCOHORT_OUT` to your output root (or `CTCOHORT_RUN` to one run folder).",
        SETUP,
        "con.sql('SELECT status, count(*) AS exams FROM exams GROUP BY status ORDER BY status').df()",
        "# Failed exams say why, with the file in the message.\n"
        "con.sql(\"SELECT exam_id, error_class, error_message FROM exams WHERE status <> 'ok'\").df()",
        "# One row per exam and structure, with volume (ml) and attenuation (HU).\n"
        "m = con.sql('SELECT * FROM measurements').df()\n"
        "assert not m.duplicated(['exam_id', 'structure', 'model_id']).any(), 'one row per key'\n"
        "m.describe()",
        "# The same table through pandas alone (pyarrow reads the Parquet folder directly).\n"
        "exams = pd.read_parquet(run / 'exams')\n"
        "print(len(exams), 'exams;', exams['sex'].value_counts().to_dict())\n"
        "exams[['age']].describe()",
        "# Where the time goes: per-stage milliseconds per exam.\n"
        "stage_cols = [c for c in exams.columns if c.endswith('_ms')]\n"
        "exams.loc[exams.status == 'ok', stage_cols].describe().T",
    ],
    "02_age_effects.ipynb": [
        "md:# 2. Reproduce the age-effect table\n\nSpearman correlation and OLS of each metric on age "
        "(plus sex in the pooled stratum), Bonferroni and Benjamini-Hochberg within a stratum, "
        "computed here with scipy and statsmodels and compared with ctcohort's `age_effects`.",
        SETUP,
        QC,
        """\
import statsmodels.formula.api as smf
from scipy.stats import spearmanr
from statsmodels.stats.multitest import multipletests

# Attenuation (hu_*) is adjusted for contrast phase when the exams hold two known phases or more, as
# `analyze --phase adjust` (the default) does: one indicator per phase present, native the reference,
# exams of unknown phase left out of those fits.
KNOWN = ['native', 'arterial', 'portal_venous', 'delayed']
adjust = ok.loc[ok['contrast_phase'].isin(KNOWN), 'contrast_phase'].nunique() >= 2
rows = []
for (structure, metric, stratum), d in (
        ok.melt(id_vars=['exam_id', 'structure', 'age', 'sex', 'contrast_phase'], value_vars=['volume_ml', 'hu_mean'],
                var_name='metric')
          .assign(stratum='all')
          .pipe(lambda x: pd.concat([x, x.assign(stratum=x['sex'])]))
          .dropna(subset=['value', 'age', 'sex'])
          .groupby(['structure', 'metric', 'stratum'])):
    if stratum not in ('all', 'F', 'M') or len(d) < 4 or d['value'].nunique() < 2:
        continue
    d = d.assign(male=(d['sex'] == 'M').astype(float))
    formula = 'value ~ age + male' if stratum == 'all' else 'value ~ age'
    if adjust and metric.startswith('hu_'):
        d = d[d['contrast_phase'].isin(KNOWN)]
        for p in KNOWN[1:]:
            if (d['contrast_phase'] == p).any():
                d = d.assign(**{p: (d['contrast_phase'] == p).astype(float)})
                formula += ' + ' + p
    fit = smf.ols(formula, d).fit()
    rho, p_rho = spearmanr(d['age'], d['value'])
    rows.append(dict(structure=structure, metric=metric, stratum=stratum, n=len(d),
                     spearman_rho=rho, beta_age=fit.params['age'], p_age=fit.pvalues['age']))
mine = pd.DataFrame(rows)
for stratum, idx in mine.groupby('stratum').groups.items():
    mine.loc[idx, 'p_age_bonferroni'] = multipletests(mine.loc[idx, 'p_age'], method='bonferroni')[1]
mine.sort_values('p_age').head(10)""",
        """\
# ctcohort's own table (written by `ctcohort analyze` into the run folder), side by side.
theirs = con.sql('SELECT structure, metric, stratum, n, spearman_rho, beta_age, p_age FROM age_effects').df()
both = mine.merge(theirs, on=['structure', 'metric', 'stratum'], suffixes=('', '_ctcohort'))
both['beta_diff'] = (both['beta_age'] - both['beta_age_ctcohort']).abs()
print('pairs compared:', len(both), ' max |beta difference|:', both['beta_diff'].max())
assert len(both) > 0 and (both['n'] == both['n_ctcohort']).all()
assert np.allclose(both['beta_age'], both['beta_age_ctcohort'], rtol=1e-6, atol=1e-9)
both.sort_values('p_age')[['structure', 'metric', 'stratum', 'n', 'spearman_rho', 'beta_age', 'p_age']].head(15)""",
    ],
    "03_plots_by_sex.ipynb": [
        "md:# 3. Volume and attenuation against age, by sex",
        SETUP,
        QC,
        """\
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt

structures = sorted(ok['structure'].unique())
fig, axes = plt.subplots(len(structures), 2, figsize=(10, 2.6 * len(structures)), squeeze=False)
for row, structure in zip(axes, structures):
    d = ok[ok['structure'] == structure]
    for ax, metric, unit in zip(row, ['volume_ml', 'hu_mean'], ['ml', 'HU']):
        for sex, colour in [('F', 'tab:red'), ('M', 'tab:blue')]:
            s = d[d['sex'] == sex].sort_values('age')
            ax.scatter(s['age'], s[metric], s=4, alpha=0.4, color=colour, label=sex)
            if len(s) > 10:  # a rolling median as a simple smooth curve
                ax.plot(s['age'], s[metric].rolling(max(5, len(s) // 8), center=True).median(), color=colour)
        ax.set_title(f'{structure}: {metric}', fontsize=9)
        ax.set_xlabel('age (years)')
        ax.set_ylabel(unit)
axes[0][0].legend()
fig.tight_layout()""",
    ],
    "04_reference_percentiles.ipynb": [
        "md:# 4. Age- and sex-specific reference centiles per organ\n\n"
        "ctcohort's `reference_centiles` (written by `ctcohort analyze`): per structure, metric and sex, "
        "linear quantile regression of the metric on a natural cubic spline of age (knots at age quantiles), "
        "fitted exactly, crossing removed by sorting the fitted values at each age (monotone rearrangement); "
        "`exam_scores` places every exam on its sex's curves (centile rank 0-100, z-score). Groups too small "
        "for a stable fit carry a `reason` instead of numbers.",
        SETUP,
        QC,
        """\
ref = con.sql('SELECT * FROM reference_centiles').df()
scores = con.sql('SELECT * FROM exam_scores').df()
fitted = ref[ref['reason'].isna()]
groups = fitted.groupby(['structure', 'metric', 'sex']).ngroups
print(groups, 'fitted structure x metric x sex groups; method:', sorted(ref['method'].unique()))
ref[ref['reason'].notna()].groupby(['structure', 'metric', 'sex'])['reason'].first().to_frame().head(20)""",
        """\
# Centiles never cross: at every age they increase with the centile.
if groups:
    steps = fitted.sort_values('centile').groupby(['structure', 'metric', 'sex', 'age'])['value'].diff().dropna()
    assert (steps >= 0).all()
# One structure's chart as a table: women and men, every 10th year.
if groups:
    first = fitted[fitted['metric'] == 'volume_ml']['structure'].iloc[0]
    t = fitted[(fitted['structure'] == first) & (fitted['metric'] == 'volume_ml') & (fitted['age'] % 10 == 0)]
    display(t.pivot_table(index=['sex', 'age'], columns='centile', values='value').round(1))""",
        """\
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt

# Fan charts from the table, with the cohort's exams (QC-passed) as points.
if groups:
    structures = sorted(fitted['structure'].unique())[:6]
    fig, axes = plt.subplots(len(structures), 2, figsize=(10, 2.8 * len(structures)), squeeze=False)
    for row, structure in zip(axes, structures):
        for ax, sex, colour in zip(row, ['F', 'M'], ['tab:red', 'tab:blue']):
            pts = ok[(ok['structure'] == structure) & (ok['sex'] == sex)]
            ax.scatter(pts['age'], pts['volume_ml'], s=3, alpha=0.3, color='grey')
            c = fitted[(fitted['structure'] == structure) & (fitted['metric'] == 'volume_ml') & (fitted['sex'] == sex)]
            if len(c):
                w = c.pivot_table(index='age', columns='centile', values='value')
                cols = list(w.columns)
                for lo, hi in zip(cols, reversed(cols)):
                    if lo < hi:
                        ax.fill_between(w.index, w[lo], w[hi], color=colour, alpha=0.12)
                for col in cols:
                    ax.plot(w.index, w[col], color=colour, lw=2.2 if col == 50 else 0.8)
            ax.set_title(f'{structure}, volume, {sex}', fontsize=9)
            ax.set_xlabel('age (years)')
    fig.tight_layout()""",
        """\
# Per-exam scores: z should be roughly standard normal within every fitted group.
s = scores[scores['reason'].isna()]
if len(s):
    summary = s.groupby(['structure', 'metric', 'sex'])['z'].agg(['count', 'mean', 'std'])
    summary['share |z| > 1.96'] = s.assign(out=s['z'].abs() > 1.96).groupby(['structure', 'metric', 'sex'])['out'].mean()
    assert (summary['mean'].abs() < 0.25).all(), summary
    display(summary.head(12))
    # the most unusual exams of the cohort
    display(s.reindex(s['z'].abs().sort_values(ascending=False).index).head(10))""",
        """\
import patsy
import statsmodels.api as sm

# Cross-check one group with statsmodels: median regression on the same natural spline (knots at the age
# quartiles, cr() spans the same functions as R's ns()); ctcohort's 50th centile is rearranged, so it may
# differ slightly where neighbouring quantile fits cross.
if groups:
    structure, sex = first, fitted[fitted['structure'] == first]['sex'].iloc[0]
    d = ok[(ok['structure'] == structure) & (ok['sex'] == sex)].dropna(subset=['volume_ml'])
    knots = list(np.quantile(d['age'], [0.25, 0.5, 0.75]))
    spec = (f"cr(age, knots={knots}, lower_bound={d['age'].min()}, upper_bound={d['age'].max()}, "
            f"constraints='center')")
    x = patsy.dmatrix('1 + ' + spec, d, return_type='dataframe')
    fit = sm.QuantReg(d['volume_ml'].values, x).fit(q=0.5, p_tol=1e-10, max_iter=5000)
    ages = fitted[(fitted['structure'] == structure) & (fitted['metric'] == 'volume_ml') & (fitted['sex'] == sex)
                  & (fitted['centile'] == 50)].sort_values('age')
    mine = patsy.build_design_matrices([x.design_info], ages[['age']])[0] @ fit.params.values
    rel = np.abs(mine - ages['value'].values) / np.abs(ages['value'].values)
    print(f'{structure} {sex}: median curve, statsmodels vs ctcohort: max relative difference {rel.max():.2e}')
    assert rel.max() < 0.05""",
    ],
}

if __name__ == "__main__":
    for name, cells in NOTEBOOKS.items():
        nbf.write(notebook(cells), name)
        print("wrote", name)
