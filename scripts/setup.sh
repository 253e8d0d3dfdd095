#!/usr/bin/env bash
# setup.sh — install what losscape needs to build, run and test, if anything is missing.
#
# Safe to run any number of times: it asks dpkg what is installed and only calls
# apt-get for the rest. As root it installs them (apt-get update first, since a fresh
# machine has no package lists); otherwise it prints the one line to run and fails.
set -euo pipefail

PACKAGES=(
  cmake make gcc pkg-config                  # build
  libsdl2-dev libsdl2-ttf-dev libcglm-dev     # window, text, camera maths
  libgl-dev libegl-dev libgl1-mesa-dri libegl-mesa0   # OpenGL headers; Mesa's software GL for headless runs
  libpng-dev                                  # screenshots
  ffmpeg                                      # recording
  libcmocka-dev python3                       # tests (python3 runs the independent reference model)
  fonts-dejavu-core                           # nothing links it; kept for the font licence check
  clang libclang-rt-14-dev llvm valgrind     # hardening: libFuzzer targets, sanitizer runtimes + symbolizer, memcheck
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "losscape: missing packages; run as root:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "losscape: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
