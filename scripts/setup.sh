#!/usr/bin/env bash
# setup.sh [run|test|web] — install what one command needs, if anything is missing.
#
#   run   (default)  building and running losscape: compiler, SDL2, GL, libpng, ffmpeg
#   test             run + the test and hardening tools + web (scripts/test.sh builds and tests the web build)
#   web              run + the WebAssembly build and its browser tests
#
# Safe to run any number of times: it asks dpkg what is installed and only calls
# apt-get for the rest. As root it installs them (apt-get update first, since a fresh
# machine has no package lists); otherwise it prints the one line to run and fails.
#
# WHERE TO ADD A PACKAGE: a library the program links or a file it reads at run time
# goes in RUN; something only ctest, the sanitizers, fuzzing or the reference scripts
# use goes in TEST; the Emscripten/browser tool chain goes in WEB. One package per
# entry, a comment saying who needs it.
set -euo pipefail

what=${1:-run}

RUN=(
  cmake make gcc pkg-config                  # build
  libsdl2-dev libsdl2-ttf-dev libcglm-dev     # window, text, camera maths
  libgl-dev libegl-dev libgl1-mesa-dri libegl-mesa0   # OpenGL headers; Mesa's software GL for headless runs
  libpng-dev                                  # screenshots
  libcairo2-dev                               # --figure: SVG and PDF (pulls in freetype and fontconfig)
  ffmpeg                                      # recording
  libx264-dev                                 # recording: MP4 encoded in the process (ffmpeg muxes)
  libfontconfig-dev fonts-wqy-microhei        # Chinese captions: a CJK font found through fontconfig
  gettext                                     # msgfmt: the window's words in Chinese (po/*.po)
  libhdf5-dev                                 # loss-landscape HDF5 files (--landscape, --export-surface)
  fonts-dejavu-core                           # nothing links it; kept for the font licence check
)

TEST=(
  libcmocka-dev                               # unit tests
  python3                                     # the independent reference model (tests/ref)
  libxml2-utils poppler-utils                 # the figures parse (xmllint), render (pdftoppm), hold text (pdftotext)
  python3-torch                               # real PyTorch, the optimizers' reference (tests/ref/torch_compare.py)
  python3-numpy python3-h5py                  # loss-landscape HDF5 test files (tests/cli_landscape.sh)
  python3-pil                                 # reading screenshots back (tests/cli_trajectory.sh, cli_interpolate.sh)
  clang libclang-rt-14-dev llvm valgrind      # hardening: libFuzzer targets, sanitizer runtimes + symbolizer, memcheck
  xvfb xdotool x11-utils                      # tests/cli_window.sh: the real window under Xvfb (title, clicks, F9)
  libopenmpi-dev openmpi-bin                  # --compute-landscape across MPI ranks (tests/cli_mpi.sh); optional to build
)

WEB=(
  emscripten                                  # the WebAssembly tool chain (scripts/web-build.sh)
  dpkg-dev                                    # dpkg-source: unpacks SDL2/FreeType/SDL2_ttf sources (scripts/web-deps.sh)
  python3-fonttools fonts-wqy-microhei        # the page's Chinese: a subset of WenQuanYi Micro Hei (cmake/cjk_subset.py)
  chromium                                    # the browser tests (tests/web/)
)

case $what in
  run)  PACKAGES=("${RUN[@]}") ;;
  test) PACKAGES=("${RUN[@]}" "${TEST[@]}" "${WEB[@]}") ;;
  web)  PACKAGES=("${RUN[@]}" "${WEB[@]}") ;;
  *)    echo "setup.sh: unknown set '$what' (run, test or web)" >&2; exit 2 ;;
esac

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "losscape: missing packages; run as root:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "losscape: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -q
apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
