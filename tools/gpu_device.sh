#!/bin/bash
# Runs the GPU check on a machine with nothing installed and no network: the folder build/gpu/ made by
# `deno task gpu-pack` (deno.xz, gpu-check.js, *.ferpack) plus this repository's bench/torch_ref.py.
# From the repository root:   bash tools/gpu_device.sh
# Writes speed.json, learn_<pack>.json and their logs to $OUT (default outputs/gpu).
# Knobs: SIZES (48,256), STEPS (10), BUDGET (training seconds per pack, 80), LEARN ("pack:width …"),
# EXTRA (more gpu-check flags, e.g. --allow-software for a dry run on lavapipe).
set -u
OUT=${OUT:-outputs/gpu}; mkdir -p "$OUT"
if ! ldconfig -p | grep -q libvulkan.so.1; then # no Vulkan loader: Debian's libvulkan1 .deb in .gl/, if given
  for f in .gl/*.deb; do [ -f "$f" ] && dpkg -x "$f" /; done; ldconfig
fi
ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json # where NVIDIA's container runtime mounts it
[ -f "$ICD" ] && export VK_DRIVER_FILES=$ICD
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 | tee "$OUT/gpu.txt"
DENO=$(command -v deno || true)
if [ -z "$DENO" ]; then
  python3 -c "import lzma,shutil;shutil.copyfileobj(lzma.open('build/gpu/deno.xz'),open('/tmp/deno','wb'))" &&
    chmod +x /tmp/deno && DENO=/tmp/deno
fi
"$DENO" --version | head -1
export NO_COLOR=1 FER_PROGRESS=lines
G="$DENO run -A --unstable-webgpu --no-config build/gpu/gpu-check.js ${EXTRA:-}"
t0=$(date +%s)
timeout $((${STEPS:-10} * 15 + 60)) $G --sizes "${SIZES:-48,256}" --steps "${STEPS:-10}" >"$OUT/speed.json" 2>"$OUT/speed.log"
echo "speed: exit $? after $(($(date +%s) - t0)) s"
grep -v "^\(paper\|reference\) " "$OUT/speed.log" | tail -8
B=${BUDGET:-80}
for spec in ${LEARN:-synthetic48:0.5 ckplus48:0.5 ckplus96:1}; do
  name=${spec%%:*} width=${spec##*:} t0=$(date +%s)
  [ -f "build/gpu/$name.ferpack" ] || { echo "learn $name: build/gpu/$name.ferpack missing"; continue; }
  timeout $((B + 90)) $G --sizes "" --learn "build/gpu/$name.ferpack" --learn-width "$width" --learn-epochs 30 \
    --learn-budget "$B" >"$OUT/learn_$name.json" 2>"$OUT/learn_$name.log"
  echo "learn $name: exit $? after $(($(date +%s) - t0)) s"
  grep "gpu-check: {" "$OUT/learn_$name.log" | tail -1
done
