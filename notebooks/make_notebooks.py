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
ok = con.sql(\"\"\"
    SELECT m.exam_id, m.structure, m.volume_ml, m.hu_mean, e.age, e.sex
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

rows = []
for (structure, metric, stratum), d in (
        ok.melt(id_vars=['exam_id', 'structure', 'age', 'sex'], value_vars=['volume_ml', 'hu_mean'],
                var_name='metric')
          .assign(stratum='all')
          .pipe(lambda x: pd.concat([x, x.assign(stratum=x['sex'])]))
          .dropna(subset=['value', 'age', 'sex'])
          .groupby(['structure', 'metric', 'stratum'])):
    if stratum not in ('all', 'F', 'M') or len(d) < 4 or d['value'].nunique() < 2:
        continue
    d = d.assign(male=(d['sex'] == 'M').astype(float))
    fit = smf.ols('value ~ age + male' if stratum == 'all' else 'value ~ age', d).fit()
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
        "md:# 4. Age- and sex-specific reference percentiles per organ\n\n"
        "5th, 50th and 95th percentiles of organ volume by sex and age decade, and smooth "
        "percentile curves by quantile regression on age.",
        SETUP,
        QC,
        """\
ok['decade'] = (ok['age'] // 10 * 10).astype(int)
table = (ok.groupby(['structure', 'sex', 'decade'])['volume_ml']
           .describe(percentiles=[0.05, 0.5, 0.95])[['count', '5%', '50%', '95%']]
           .rename(columns={'5%': 'p05', '50%': 'p50', '95%': 'p95'}))
assert (table['p05'] <= table['p50']).all() and (table['p50'] <= table['p95']).all()
table.head(20)""",
        """\
import statsmodels.formula.api as smf

# Smooth curves: linear quantile regression of volume on age, per structure and sex.
ages = pd.DataFrame({'age': np.arange(20, 91, 10)})
curves = []
for (structure, sex), d in ok.groupby(['structure', 'sex']):
    if len(d) < 10:  # too few exams for a 5th/95th percentile line
        continue
    row = {'structure': structure, 'sex': sex}
    for q in (0.05, 0.5, 0.95):
        fit = smf.quantreg('volume_ml ~ age', d).fit(q=q)
        for age, value in zip(ages['age'], fit.predict(ages)):
            curves.append(dict(row, q=q, age=age, volume_ml=value))
if not curves:
    raise SystemExit('too few exams per structure and sex for percentile curves')
curves = pd.DataFrame(curves).pivot_table(index=['structure', 'sex', 'age'], columns='q', values='volume_ml')
curves.head(16)""",
    ],
}

if __name__ == "__main__":
    for name, cells in NOTEBOOKS.items():
        nbf.write(notebook(cells), name)
        print("wrote", name)
