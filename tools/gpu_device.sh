#!/bin/bash
# Runs the GPU check on a machine with nothing installed and no network: the folder build/gpu/ made by
# `deno task gpu-pack` (deno.xz, gpu-check.js, torch-tests.js, *.ferpack) plus this repository's
# bench/torch_ref.py and native/torch_shim.cc. From the repository root:   bash tools/gpu_device.sh
# BACKENDS ("torch", or "torch webgpu"): torch builds the shim against this machine's own PyTorch
# (python3: its include/lib dirs and C++ ABI), runs the torch backend's tests on CUDA, times the paper
# model and the reference net at SIZES in each of PRECISIONS with PyTorch training the reference net
# in the same run (ratios), and trains for BUDGET seconds on a pack; writes torch_*.json/.log.
# webgpu writes speed.json, learn_<pack>.json and their logs. All to $OUT (default outputs/gpu), the learning
# runs' records (run.json, metrics, model) too, under $OUT/runs/.
# Knobs: SIZES (48,256), STEPS (10), BUDGET (training seconds per pack, 80), LEARN ("pack:width …"),
# PRECISIONS (fp32,tf32,bf16), DEVICE (cuda; cpu for a dry run without a GPU), SPEED_TIMEOUT (seconds),
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
export NO_COLOR=1 FER_PROGRESS=lines FER_ROOT=$PWD
G="$DENO run -A --unstable-webgpu --no-config build/gpu/gpu-check.js --learn-runs $OUT/runs ${EXTRA:-}"
B=${BUDGET:-80}
if [[ " ${BACKENDS:-torch} " == *" torch "* ]]; then
  DEVICE=${DEVICE:-cuda}
  T="$G --backend torch --device $DEVICE"
  t0=$(date +%s) # the first test compiles the shim (about a minute against a CUDA torch)
  timeout 300 "$DENO" test -A --no-config build/gpu/torch-tests.js >"$OUT/torch_tests.log" 2>&1
  echo "torch tests: exit $? after $(($(date +%s) - t0)) s"
  grep -E "^(ok|FAILED) \||^error" "$OUT/torch_tests.log" | tail -2
  t0=$(date +%s)
  timeout "${SPEED_TIMEOUT:-$((${STEPS:-10} * 30 + 120))}" $T --sizes "${SIZES:-48,256}" --steps "${STEPS:-10}" \
    --precisions "${PRECISIONS:-fp32,tf32,bf16}" >"$OUT/torch_speed.json" 2>"$OUT/torch_speed.log"
  echo "torch speed: exit $? after $(($(date +%s) - t0)) s"
  grep "^gpu-check: {" "$OUT/torch_speed.log" | tail -12
  spec=${LEARN:-ckplus48:0.5} spec=${spec%% *}
  name=${spec%%:*} width=${spec##*:}
  [ -f "build/gpu/$name.ferpack" ] || name=synthetic48
  t0=$(date +%s)
  timeout $((B + 90)) $T --sizes "" --learn "build/gpu/$name.ferpack" --learn-width "$width" --learn-epochs 30 \
    --learn-budget "$B" >"$OUT/torch_learn_$name.json" 2>"$OUT/torch_learn_$name.log"
  echo "torch learn $name: exit $? after $(($(date +%s) - t0)) s"
  grep "gpu-check: {" "$OUT/torch_learn_$name.log" | tail -1
fi
[[ " ${BACKENDS:-torch} " == *" webgpu "* ]] || exit 0
t0=$(date +%s)
timeout $((${STEPS:-10} * 15 + 60)) $G --sizes "${SIZES:-48,256}" --steps "${STEPS:-10}" >"$OUT/speed.json" 2>"$OUT/speed.log"
echo "speed: exit $? after $(($(date +%s) - t0)) s"
grep -v "^\(paper\|reference\) " "$OUT/speed.log" | tail -8
for spec in ${LEARN:-synthetic48:0.5 ckplus48:0.5 ckplus96:1}; do
  name=${spec%%:*} width=${spec##*:} t0=$(date +%s)
  [ -f "build/gpu/$name.ferpack" ] || { echo "learn $name: build/gpu/$name.ferpack missing"; continue; }
  timeout $((B + 90)) $G --sizes "" --learn "build/gpu/$name.ferpack" --learn-width "$width" --learn-epochs 30 \
    --learn-budget "$B" >"$OUT/learn_$name.json" 2>"$OUT/learn_$name.log"
  echo "learn $name: exit $? after $(($(date +%s) - t0)) s"
  grep "gpu-check: {" "$OUT/learn_$name.log" | tail -1
done
