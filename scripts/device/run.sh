#!/usr/bin/env bash
# The GPU session's measurements (docs/gpu-session.md), run ON the device machine from the
# repository root with the kit that scripts/device/pack.sh made carried along (.device/kit):
#   OUT=<folder> bash scripts/device/run.sh
# Unpacks the kit's node and app into a temporary folder (nothing of the repository's
# node_modules or dist/ is used), brings the Vulkan loader when the machine lacks one, says
# which adapter Dawn picked, then runs each step under its own time limit, writing to $OUT:
#   setup.log       machine, driver, node, PyTorch, the adapter (with its limits)
#   parity.log      every WebGPU kernel against the CPU backend (scripts/device/parity.ts)
#   webgpu-tests.log  the WebGPU parity and compile test files under vitest, REQUIRE_WEBGPU=1
#   compile.md      bench/compile: CPU rows, WebGPU table, PyTorch eager on this CPU
#   torch-cuda.json PyTorch eager DDPG updates on CUDA (bench/compile/torch_ddpg.py)
#   population.md   bench/population --webgpu, S = 1, 2, 5, 10, 20
#   summary.md      each step's status and seconds
# A failing or timed-out step is logged and the next one runs. Also runs on a machine with no
# GPU (Mesa llvmpipe through OpenGL ES; EGL_PLATFORM=surfaceless), to test the kit.
# SR2L_KIT (default .device/kit) and the *_S limits below can be overridden from the environment.
set -uo pipefail
cd "$(dirname "$0")/../.."

: "${OUT:?run.sh: set OUT to the folder that receives the tables and logs}"
KIT=${SR2L_KIT:-.device/kit}
PARITY_S=${PARITY_S:-45} COMPILE_S=${COMPILE_S:-150}
TORCH_S=${TORCH_S:-45} POPULATION_S=${POPULATION_S:-120} TESTS_S=${TESTS_S:-75}
for f in node.xz app.tar.xz; do
  [ -f "$KIT/$f" ] || { echo "run.sh: $KIT/$f is missing: run scripts/device/pack.sh here first and carry $KIT" >&2; exit 2; }
done
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/sr2l-kit.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
summary="$OUT/summary.md"
printf '| step | status | seconds | file |\n|---|---|---:|---|\n' >"$summary"

# step NAME LIMIT_S FILE COMMAND...: runs COMMAND in the kit's app folder under its limit,
# output (stdout and stderr) to $OUT/FILE and the console; records status and time.
step() {
  local name=$1 limit=$2 file=$3 t0 rc status
  shift 3
  echo "== $name (limit ${limit} s) -> \$OUT/$file"
  t0=$(date +%s.%N)
  (cd "$WORK/app" && timeout -k 5 "$limit" "$@") 2>&1 | tee -a "$OUT/$file"
  rc=${PIPESTATUS[0]}
  case $rc in 0) status=ok ;; 124 | 137) status="timed out after ${limit} s" ;; *) status="failed (exit $rc)" ;; esac
  printf '| %s | %s | %.0f | %s |\n' "$name" "$status" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')" "$file" >>"$summary"
}

# xz -dc, or Python's lzma where the machine has no xz binary (a minimal image may not)
unxz() {
  if command -v xz >/dev/null && [ "${KIT_UNXZ:-}" != python3 ]; then
    xz -dc "$1"
  else
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"
  fi
}

setup() {
  echo "date: $(date -u +%FT%TZ)  host: $(uname -m), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
  command -v nvidia-smi >/dev/null && nvidia-smi -L
  unxz "$KIT/node.xz" >"$WORK/bin/node" && chmod +x "$WORK/bin/node" && unxz "$KIT/app.tar.xz" | tar -C "$WORK" -xf - ||
    return 1
  echo "node $(node --version) from the kit ($WORK/bin/node)"
  # Dawn's Vulkan backend needs libvulkan.so.1; only a GPU machine gets the carried loaders,
  # unpacked onto / as the device README says (here they would overwrite the system's)
  if ! ldconfig -p | grep -q 'libvulkan\.so\.1'; then
    if command -v nvidia-smi >/dev/null || [ -d /usr/local/nvidia ]; then
      for f in "$KIT"/debs/*.deb; do dpkg -x "$f" / && echo "unpacked $(basename "$f")"; done
      ldconfig
    else
      echo "no libvulkan.so.1 and no NVIDIA driver here: / left alone (Dawn falls back to OpenGL ES)"
    fi
  fi
  # the driver's ICD and EGL vendor files sit under /usr/local/nvidia on the device machine
  local icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  if ! ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1 && [ -f "$icd" ]; then
    export VK_DRIVER_FILES=$icd __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
    echo "no Vulkan driver registered: VK_DRIVER_FILES=$VK_DRIVER_FILES"
  fi
  timeout 60 python3 -c 'import torch; print("PyTorch", torch.__version__, "CUDA" if torch.cuda.is_available() else "no CUDA", torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")' 2>&1 | tail -1
  # the adapter as the project reports it (device.ts: default adapter first, then OpenGL ES)
  (cd "$WORK/app" && timeout 30 node --input-type=module -e "
    const w = await import('./dist/kernels/webgpu/index.js');
    const r = await w.webgpuInfo();
    console.log('WebGPU adapter: ' + w.describeAdapter(r));
    console.log('limits: ' + JSON.stringify(r.limits));")
}

mkdir -p "$WORK/bin"
export PATH="$WORK/bin:$PATH" EGL_PLATFORM=${EGL_PLATFORM:-surfaceless}
# setup runs in this shell, since its exports must reach the steps (its adapter probe has a limit)
echo "== setup -> \$OUT/setup.log"
t0=$(date +%s)
setup > >(tee -a "$OUT/setup.log") 2>&1
rc=$?
printf '| setup | %s | %s | setup.log |\n' "$([ $rc = 0 ] && echo ok || echo "failed (exit $rc)")" "$(($(date +%s) - t0))" >>"$summary"
if ! [ -x "$WORK/bin/node" ] || ! [ -d "$WORK/app" ]; then
  echo "run.sh: the kit did not unpack; nothing else can run" | tee -a "$OUT/setup.log" >&2
  cat "$summary"
  exit 1
fi

step parity "$PARITY_S" parity.log node scripts/device/parity.js
# vitest runs the TypeScript test files from copies of the repository's src/, test/, bench/ and scripts/ beside
# the kit's node_modules, so no node_modules of the checkout is used (here or there)
mkdir -p "$WORK/app/repo" && cp -r src test bench scripts package.json tsconfig.json vitest.config.ts "$WORK/app/repo/" &&
  ln -s ../node_modules "$WORK/app/repo/node_modules"
step webgpu-tests "$TESTS_S" webgpu-tests.log env REQUIRE_WEBGPU=1 NO_COLOR=1 sh -c 'cd repo && exec node \
  node_modules/vitest/vitest.mjs run test/kernels/parity.test.ts test/kernels/webgpu/ test/autograd/compile/webgpu \
  test/rl/ddpg/compiled-update-webgpu test/rl/smoothness/webgpu-parity test/scripts/device-parity'
# short settings: 0.3 s per CPU case, 7 rounds, one TRPO-SR iteration per mode
step compile "$COMPILE_S" compile.md env SR2L_BENCH_PYTHON=python3 BENCH_MAX_TIME=0.3 BENCH_ROUNDS=7 \
  BENCH_TRPO_ITERATIONS=1 node bench/compile/index.js
if timeout 60 python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  step torch-cuda "$TORCH_S" torch-cuda.json env TORCH_DDPG_DEVICE=cuda python3 bench/compile/torch_ddpg.py 15
else
  echo "| torch-cuda | skipped: python3 has no PyTorch with CUDA here | 0 | |" >>"$summary"
fi
step population "$POPULATION_S" population.md node bench/population/index.js --webgpu --sizes=1,2,5,10,20 \
  --steps=50 --rounds=1

echo "== summary -> \$OUT/summary.md"
cat "$summary"
