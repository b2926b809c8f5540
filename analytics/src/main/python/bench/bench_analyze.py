"""`ctcohort analyze` side by side with the pandas + scipy + statsmodels loop it replaces.

    bin/ctcohort bench-analyze [--exams 4004 --exams 1000000] [--repeat 3] [--work DIR]
    (or: python analytics/src/main/python/bench/bench_analyze.py ...; needs pandas, scipy,
     statsmodels, pyarrow)

For each cohort size it generates a synthetic cohort of N exams x 117 structures in the run layout
(make_cohort.py; kept in --work and reused), then, --repeat times and alternating, runs as separate
processes and times whole-process (start-up included):
  python   statsmodels_loop.py (the reference loop; address space capped at --py-mem-gb)
  tables   bin/ctcohort analyze --in COHORT --tables-out ... --master local[2]      (no report)
  report   the same with --report DIR
Java gets -Xmx from --heap (CTCOHORT_HEAP). It prints wall seconds, CPU seconds and peak RSS per
process, the median of each, the ratio of the medians (analyze / statsmodels loop), which engine
analyze chose and its stage times, and the largest relative difference between the two age_effects
tables. A process that fails (e.g. out of memory) is reported as such, with its last output line.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", ".."))
VALUES = ["spearman_rho", "spearman_p", "beta_age", "se_age", "t_age", "p_age", "ci_low", "ci_high", "r2",
          "intercept", "p_age_bonferroni", "q_age_bh"]


def run(cmd, env=None, mem_gb=None, log=None):
    """Runs cmd; returns (rc, wall s, cpu s, peak RSS MiB, output)."""
    def limit():
        if mem_gb:
            b = int(mem_gb * 2 ** 30)
            resource.setrlimit(resource.RLIMIT_AS, (b, b))
    t0 = time.time()
    with open(log, "w") as out:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, preexec_fn=limit, cwd=ROOT)
        _, status, ru = os.wait4(p.pid, 0)
    wall = time.time() - t0
    rc = os.waitstatus_to_exitcode(status)
    with open(log, errors="replace") as f:
        text = f.read()
    return rc, wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, text


def last_line(text, prefix=None):
    lines = [l for l in text.splitlines() if l.strip() and (prefix is None or l.startswith(prefix))]
    return lines[-1] if lines else ""


def compare(java_dir, py_file):
    import numpy as np
    import pandas as pd
    j = pd.read_parquet(java_dir)
    p = pd.read_parquet(py_file)
    key = ["structure", "metric", "stratum"]
    m = j.merge(p, on=key, suffixes=("_j", "_p"))
    if len(m) != len(p) or len(m) != len(j):
        return f"row sets differ: java {len(j)}, python {len(p)}, common {len(m)}"
    worst, nan_mismatch = 0.0, 0
    n_mismatch = int((m.n_j != m.n_p).sum())
    for c in VALUES:
        a, b = m[c + "_j"].to_numpy(float), m[c + "_p"].to_numpy(float)
        nan_mismatch += int((np.isnan(a) != np.isnan(b)).sum())
        ok = ~np.isnan(a) & ~np.isnan(b)
        err = np.abs(a[ok] - b[ok])
        rel = np.where(err > 1e-12, err / np.maximum(np.abs(b[ok]), 1e-300), 0.0)
        worst = max(worst, float(rel.max()) if rel.size else 0.0)
    return (f"{len(m)} rows, n differs in {n_mismatch}, NaN differs in {nan_mismatch} cells, "
            f"largest relative difference {worst:.2e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exams", type=int, action="append", help="cohort sizes (default 4004)")
    ap.add_argument("--structures", type=int, default=117)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "bench-analyze"))
    ap.add_argument("--heap", default="8g", help="analyze's -Xmx (default 8g)")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--py-mem-gb", type=float, default=12.0, help="address-space cap of the Python loop")
    ap.add_argument("--python", default=sys.executable, help="interpreter for the loop and the generator")
    ap.add_argument("--modes", default="python,tables,report")
    ap.add_argument("--analyze-arg", action="append", default=[], help="extra argument for analyze")
    a = ap.parse_args()
    sizes = a.exams or [4004]
    modes = a.modes.split(",")
    os.makedirs(a.work, exist_ok=True)
    env = dict(os.environ, CTCOHORT_HEAP=a.heap)
    cores = os.cpu_count()
    print(f"bench-analyze: {cores} cores, load average {os.getloadavg()[0]:.1f} at start, heap {a.heap}, "
          f"master {a.master}, python cap {a.py_mem_gb:g} GiB, {a.repeat} repeats", flush=True)
    summary = []
    for n in sizes:
        cohort = os.path.join(a.work, f"cohort_{n}x{a.structures}")
        if not os.path.isfile(os.path.join(cohort, "LATEST")):
            shutil.rmtree(cohort, ignore_errors=True)
            subprocess.run([a.python, os.path.join(HERE, "make_cohort.py"), cohort, "--exams", str(n),
                            "--structures", str(a.structures)], check=True)
        out = os.path.join(a.work, f"out_{n}")
        os.makedirs(out, exist_ok=True)
        cmds = {
            "python": [a.python, os.path.join(HERE, "statsmodels_loop.py"), cohort, os.path.join(out, "py.parquet")],
            # The loop computes the age study only, so analyze runs without the centile pass (timed on its
            # own by analytics' CentileBenchmark).
            "tables": [os.path.join(ROOT, "bin", "ctcohort"), "analyze", "--in", cohort, "--tables-out",
                       os.path.join(out, "java_tables"), "--master", a.master, "--no-centiles"] + a.analyze_arg,
        }
        cmds["report"] = cmds["tables"] + ["--report", os.path.join(out, "report")]
        # build once (bin/ctcohort builds on first use) outside the timings
        subprocess.run([os.path.join(ROOT, "bin", "ctcohort"), "--help"], stdout=subprocess.DEVNULL, check=True, cwd=ROOT)
        results = {m: [] for m in modes}
        for r in range(a.repeat):
            order = modes if r % 2 == 0 else list(reversed(modes))
            for m in order:
                rc, wall, cpu, rss, text = run(cmds[m], env=env, mem_gb=a.py_mem_gb if m == "python" else None,
                                               log=os.path.join(out, f"{m}.log"))
                results[m].append((rc, wall, cpu, rss))
                info = last_line(text, "statsmodels loop:") if m == "python" else \
                    (last_line(text, "engine:") + " | " + last_line(text, "timings"))
                status = "ok" if rc == 0 else f"FAILED rc={rc}: {last_line(text)[:300]}"
                print(f"  {n}x{a.structures} run {r + 1} {m:7s} wall {wall:7.2f} s  cpu {cpu:7.2f} s  "
                      f"peak RSS {rss:7.0f} MiB  {status}\n      {info}", flush=True)
        med = {}
        for m in modes:
            ok = [x for x in results[m] if x[0] == 0]
            med[m] = tuple(statistics.median(x[i] for x in ok) for i in (1, 2, 3)) if ok else None
        if "python" in modes and "tables" in modes and med.get("tables") and med.get("python"):
            print(f"  age_effects java vs python: {compare(os.path.join(out, 'java_tables', 'age_effects'), os.path.join(out, 'py.parquet'))}")
        summary.append((n, med))
    print(f"\nsummary (medians of {a.repeat}; load average now {os.getloadavg()[0]:.1f}; machine shared with other work)")
    print(f"{'cohort':>16} {'process':>8} {'wall s':>8} {'cpu s':>8} {'RSS MiB':>8} {'wall ratio':>11} {'cpu ratio':>10}")
    for n, med in summary:
        for m in modes:
            if med[m] is None:
                print(f"{n:>10}x{a.structures:<5} {m:>8} {'failed':>8}")
                continue
            ratio = cpu_ratio = ""
            if m != "python" and med.get("python"):
                ratio = f"{med[m][0] / med['python'][0]:.2f}x"
                cpu_ratio = f"{med[m][1] / med['python'][1]:.2f}x"
            print(f"{n:>10}x{a.structures:<5} {m:>8} {med[m][0]:8.2f} {med[m][1]:8.2f} {med[m][2]:8.0f} {ratio:>11} "
                  f"{cpu_ratio:>10}")


if __name__ == "__main__":
    main()
