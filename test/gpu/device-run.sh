#!/usr/bin/env bash
# Runs the GPU test suite and/or the GPU benchmark on a GPU machine that has no Node and no package
# registry (docs/GPU.md): unpacks the Node binary carried in .device/node.xz, then runs plain-Node
# scripts against the carried dist/ and addons. Results go to $OUT (or ./gpu-results).
#   bash test/gpu/device-run.sh tests   # the node --test suite (test/gpu), ~5 min on an H100
#   bash test/gpu/device-run.sh bench   # bench/gpu/bench.mjs + bench/gpu/torch_compare.py + the joined report
#   bash test/gpu/device-run.sh all
set -uo pipefail
cd "$(dirname "$0")/../.."
what="${1:-all}"
out="${OUT:-gpu-results}"
mkdir -p "$out"
if ! command -v node >/dev/null 2>&1 || [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" -lt 20 ]; then
  xz -dc .device/node.xz > /tmp/node && chmod +x /tmp/node && export PATH=/tmp:$PATH
fi
for f in dist/index.js build/Release/selu_kernels.node build-cuda/Release/selu_kernels_cuda.node; do
  [ -e "$f" ] || { echo "missing $f: carry it (docs/GPU.md)"; exit 3; }
done
{ nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem --format=csv || true; } | tee "$out/gpu.txt"
status=0
if [ "$what" = tests ] || [ "$what" = all ]; then
  node test/gpu/run.mjs 2>&1 | tee "$out/gpu-tests.txt"
  status=${PIPESTATUS[0]}
  grep -E '^# (tests|pass|fail|skipped)' "$out/gpu-tests.txt"
fi
if [ "$what" = bench ] || [ "$what" = all ]; then
  node bench/gpu/bench.mjs --out "$out/bench.json" --dtypes "${BENCH_DTYPES:-float32}" 2>&1 | tee "$out/bench.txt"
  python3 bench/gpu/torch_compare.py --out "$out/torch.json" 2>&1 | tee "$out/torch.txt"
  node bench/gpu/report.mjs "$out/bench.json" "$out/torch.json" 2>&1 | tee "$out/report.md"
fi
exit "$status"
