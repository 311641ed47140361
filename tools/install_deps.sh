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
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#packages[@]} packages present"
  exit 0
fi
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "install_deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install_deps: done"
