"""Open a ctcohort output for analysis: the newest complete run's tables as DuckDB views.

A ctcohort output root holds one immutable snapshot per run (runs/<run_id>/) and a LATEST file that
names the newest complete one. Every table is a plain Parquet folder, so DuckDB, pandas and Spark all
read it directly.
"""
import os
from pathlib import Path

import duckdb

TABLES = ("exams", "measurements", "age_effects", "age_groups", "reference_centiles", "exam_scores", "age_spline")


def run_folder(out=None):
    """The run folder to analyse: CTCOHORT_RUN, or the LATEST run under CTCOHORT_OUT (default demo-out)."""
    if os.environ.get("CTCOHORT_RUN"):
        return Path(os.environ["CTCOHORT_RUN"])
    root = Path(out or os.environ.get("CTCOHORT_OUT", "../demo-out/output"))
    latest = (root / "LATEST").read_text().strip().removeprefix("file://").removeprefix("file:")
    # LATEST names the run by its id; a full path is accepted too.
    run = Path(latest) if Path(latest).is_absolute() else root / "runs" / Path(latest).name
    if not (run / "_SUCCESS").exists():
        raise RuntimeError(f"{run} is not a complete run (no _SUCCESS)")
    return run


def connect(run=None):
    """A DuckDB connection with one view per table present in the run folder."""
    run = Path(run or run_folder())
    con = duckdb.connect()
    for table in TABLES:
        if (run / table).is_dir():
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{run / table}/*.parquet')")
    return con, run
