#!/usr/bin/env bash
# Installs dependencies, builds (Release plus the ASan+UBSan copies of the unit tests) and runs the
# whole test suite with ctest. This is the README's second command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMEMXBAR_SANITIZER_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
