#!/usr/bin/env bash
# Installs dependencies, builds memxbar (Release) and runs the default experiment into results/default.
# This is the README's first command.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs" --target memxbar
./build/memxbar run --out results/default
