#!/usr/bin/env bash
# run.sh — set up, build and run losscape; arguments are passed on
# (no arguments: the default scene).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
bash scripts/build.sh >/dev/null
exec ./build/losscape "$@"
