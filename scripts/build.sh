#!/usr/bin/env bash
# build.sh — configure (once) and build into ./build. Used by run.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset default >/dev/null   # CMakePresets.json
cmake --build build -j "$jobs"
