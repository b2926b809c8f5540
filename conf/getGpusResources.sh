#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the GPUs this
# executor may use as {"name": "gpu", "addresses": ["0", "1", ...]}. Respects CUDA_VISIBLE_DEVICES
# when set (e.g. by a container runtime), else asks nvidia-smi.
set -euo pipefail
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  ADDRS=$(echo "$CUDA_VISIBLE_DEVICES" | tr ',' '\n' | sed -e 's/^ *//' -e 's/ *$//' | grep -v '^$' || true)
else
  ADDRS=$(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null || true)
fi
JSON=$(echo "$ADDRS" | grep -v '^$' | sed -e 's/^/"/' -e 's/$/"/' | paste -sd, - || true)
echo "{\"name\": \"gpu\", \"addresses\": [${JSON}]}"
