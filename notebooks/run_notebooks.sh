#!/usr/bin/env bash
# Executes every notebook headless against a ctcohort output, without writing outputs into the repo.
#   notebooks/run_notebooks.sh OUT [PYTHON]     OUT = an output root (with LATEST) or a run folder
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$(cd "$1" && pwd)"
PY="${2:-python3}"
# The notebooks run in a scratch folder: a relative interpreter path must not depend on it.
[[ "$PY" == */* ]] && PY="$(cd "$(dirname "$PY")" && pwd)/$(basename "$PY")"
if [[ -f "$OUT/LATEST" ]]; then export CTCOHORT_OUT="$OUT"; else export CTCOHORT_RUN="$OUT"; fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp "$HERE"/*.ipynb "$HERE"/ctcohort_data.py "$WORK"/
status=0
for nb in "$WORK"/*.ipynb; do
  if (cd "$WORK" && "$PY" -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
        --output "$(basename "$nb" .ipynb).out.ipynb" "$nb" >/dev/null 2>"$WORK/err.txt"); then
    echo "notebook ok:     $(basename "$nb")"
  else
    echo "notebook FAILED: $(basename "$nb")"; tail -30 "$WORK/err.txt"; status=1
  fi
done
exit $status
