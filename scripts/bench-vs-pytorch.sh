#!/usr/bin/env bash
# Alternates `multirater bench --json` with the PyTorch anchor (../shared/tools/pytorch-unet-bench.py, Debian
# python3-torch) so both see the same machine load; prints one JSON line per run and the load average.
# Usage: scripts/bench-vs-pytorch.sh [rounds] [threads]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
threads=${2:-2}
for ((i = 1; i <= rounds; i++)); do
  echo "round $i load $(cut -d' ' -f1-3 /proc/loadavg)"
  node bin/multirater.js bench --json --threads "$threads" | tr -d '\n '
  echo
  /usr/bin/python3 ../shared/tools/pytorch-unet-bench.py "$threads"
done
