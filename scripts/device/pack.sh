#!/usr/bin/env bash
# Packs the GPU session kit (docs/gpu-session.md) into .device/kit/, which a `run` call
# carries to the device machine (x86-64 Linux, no network, no Node.js) for
# scripts/device/run.sh:
#   node.xz       this machine's Node 20 binary, xz-compressed
#   app.tar.xz    dist/, the benchmark suites and the parity script as .js, the run-time
#                 node_modules only (scripts/device/stage.mjs says what and why)
#   debs/*.deb    the Vulkan and EGL loaders (libvulkan1 ...), unpacked there when missing
# Re-running rebuilds only what changed: dist/ when a file in src/ is newer, node.xz when the
# node binary is, app.tar.xz when the staged files differ, debs/ when it is empty.
# Fails when what a call carries (tracked files + .device/kit) would exceed 64 MiB.
# Run from anywhere inside the repository; needs npm's packages installed and apt (for the debs).
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

LIMIT=$((64 * 1024 * 1024))
KIT=.device/kit
STAGE=.device/stage
LOADERS="libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2"
mkdir -p "$KIT/debs" "$STAGE"

# .device/ must never travel as untracked files or be committed
exclude="$(git rev-parse --git-common-dir)/info/exclude"
grep -qxF '/.device/' "$exclude" 2>/dev/null || echo '/.device/' >>"$exclude"

node_bin=$(command -v node)
case "$("$node_bin" --version)" in
  v20.*) ;;
  *) echo "pack.sh: $node_bin is $("$node_bin" --version); the kit needs Node 20 (package.json engines, the CI's version)" >&2; exit 1 ;;
esac
[ "$(uname -m)" = x86_64 ] || { echo "pack.sh: this machine is $(uname -m); the device machine is x86-64, so its node and dawn.node must be x86-64 builds" >&2; exit 1; }

echo "== dist/"
# a stamp, not dist/index.js, marks the build: the build itself rewrites a file in src/ (kernels.wasm)
stamp="$STAGE/dist.stamp"
if [ ! -f dist/index.js ] || [ ! -f "$stamp" ] || [ -n "$(find src -newer "$stamp" -type f -print -quit)" ]; then
  npm run build
  touch "$stamp"
else
  echo "up to date"
fi

echo "== node $("$node_bin" --version) -> $KIT/node.xz"
if [ ! -f "$KIT/node.xz" ] || [ "$node_bin" -nt "$KIT/node.xz" ]; then
  nice -n 10 xz -6 -T0 -c "$node_bin" >"$KIT/node.xz.tmp" && mv "$KIT/node.xz.tmp" "$KIT/node.xz"
else
  echo "up to date"
fi

echo "== app -> $KIT/app.tar.xz"
node scripts/device/stage.mjs "$STAGE/app"
# deterministic tar (sorted names, fixed times and owners), so its hash says whether anything changed
tar_app() { tar -C "$STAGE" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - app; }
hash=$(tar_app | sha256sum | cut -d' ' -f1)
if [ -f "$KIT/app.tar.xz" ] && [ "$(cat "$STAGE/app.sha256" 2>/dev/null)" = "$hash" ]; then
  echo "up to date"
else
  tar_app | nice -n 10 xz -6 -T0 >"$KIT/app.tar.xz.tmp" && mv "$KIT/app.tar.xz.tmp" "$KIT/app.tar.xz"
  echo "$hash" >"$STAGE/app.sha256"
fi

echo "== loader debs -> $KIT/debs"
if ! ls "$KIT"/debs/*.deb >/dev/null 2>&1; then
  # amd64 package lists of their own, so this works whatever this machine's architecture
  lists=$(mktemp -d)
  mkdir -p "$lists/partial"
  o="-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=$lists"
  apt-get $o update -qq
  # shellcheck disable=SC2086
  (cd "$KIT/debs" && apt-get $o download $LOADERS)
  rm -rf "$lists"
else
  echo "up to date ($(ls "$KIT"/debs | wc -l) files)"
fi

echo "== size of what a call carries"
tracked=$(git ls-files -z | xargs -0 stat -c %s 2>/dev/null | awk '{s+=$1} END {print s+0}')
untracked=$(git ls-files -z --others --exclude-standard | xargs -0 -r stat -c %s | awk '{s+=$1} END {print s+0}')
kit=$(find "$KIT" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
total=$((tracked + untracked + kit))
mib() { awk -v b="$1" 'BEGIN {printf "%.1f MiB", b / 1048576}'; }
for f in "$KIT/node.xz" "$KIT/app.tar.xz"; do printf '  %-22s %s\n' "$f" "$(mib "$(stat -c %s "$f")")"; done
printf '  %-22s %s\n' "$KIT/debs" "$(mib "$(find "$KIT/debs" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')")"
printf '  %-22s %s\n' "tracked files" "$(mib "$tracked")" "untracked files" "$(mib "$untracked")"
echo "  total                  $(mib "$total") of $(mib "$LIMIT")"
if [ "$total" -gt "$LIMIT" ]; then
  echo "pack.sh: a call would carry $(mib "$total"), over the device tool's 64 MiB limit; shrink the kit (stage.mjs's package list) or untracked files" >&2
  exit 1
fi
echo "kit ready: carry [\"$KIT\"] and run 'bash scripts/device/run.sh' (docs/gpu-session.md)"
