#!/usr/bin/env bash
# Alternates `multirater bench --json` with its PyTorch twin (Debian python3-torch) so both see the same machine
# load; prints one JSON line per run and the load average.
# Usage: scripts/bench-vs-pytorch.sh [rounds] [threads]                  the pinned 2-D U-Net (pytorch-unet-bench.py)
#        scripts/bench-vs-pytorch.sh [rounds] [threads] 3d [patch]       highres3dnet vs pytorch-highres3dnet-bench.py,
#                                                                          then unet3d (no twin), per round
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
threads=${2:-2}
mode=${3:-2d}
patch=${4:-48}
for ((i = 1; i <= rounds; i++)); do
  echo "round $i load $(cut -d' ' -f1-3 /proc/loadavg)"
  if [[ $mode == 3d ]]; then
    node bin/multirater.js bench --json --threads "$threads" --model highres3dnet --patch "$patch" | tr -d '\n '
    echo
    /usr/bin/python3 ../shared/tools/pytorch-highres3dnet-bench.py "$threads" "$patch"
    node bin/multirater.js bench --json --threads "$threads" --model unet3d --patch "$patch" | tr -d '\n '
    echo
  else
    node bin/multirater.js bench --json --threads "$threads" | tr -d '\n '
    echo
    /usr/bin/python3 ../shared/tools/pytorch-unet-bench.py "$threads"
  fi
done
