#!/usr/bin/env bash
# web-build.sh — build losscape for the browser (WebAssembly + WebGL2) in one command.
#
#   bash scripts/web-build.sh        → build-web/{index.html, losscape-page.js, losscape.js, losscape.wasm}
#
# 1. scripts/setup.sh web: Debian's emscripten (3.1.6, a prebuilt frozen sysroot: nothing
#    is downloaded or built into its cache) and what the build needs.
# 2. scripts/web-deps.sh: SDL2, FreeType and SDL2_ttf from Debian's source packages
#    (pinned, SHA-256 checked against web/deps.sha256), built once into build-web-deps/
#    (ignored by git) and reused by later runs. Emscripten's ports are never used.
# 3. the project's own CMake under emcmake (cmake/web.cmake) into build-web/.
#
# Serve build-web/ with any static web server and open index.html, e.g.
#   python3 -m http.server 8000 --bind 127.0.0.1 --directory build-web
#   → http://127.0.0.1:8000/?scene=ravine&view=2d
# (file:// does not work: browsers do not fetch .wasm from files.)
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
bash scripts/setup.sh web
# Debian's emscripten runs its JavaScript tools with node; a node not from Debian (e.g.
# nodesource's) does not search Debian's module folder, where acorn is.
export NODE_PATH=${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs
# Debian's emscripten has FROZEN_CACHE: any cache other than its own fails.
unset EM_CACHE
jobs=${LOSSCAPE_JOBS:-$(nproc 2>/dev/null || echo 2)}
LOSSCAPE_JOBS=$jobs bash scripts/web-deps.sh build-web-deps
emcmake cmake -S . -B build-web -DCMAKE_BUILD_TYPE=Release -DLOSSCAPE_TESTS=OFF \
  -DLOSSCAPE_WEB_DEPS="$PWD/build-web-deps/prefix" >build-web-configure.log 2>&1 ||
  { tail -30 build-web-configure.log >&2; echo "web-build: configuring build-web failed" >&2; exit 1; }
rm -f build-web-configure.log
cmake --build build-web -j "$jobs" --target losscape losscape_node
for f in index.html losscape-page.js losscape.js losscape.wasm; do
  [[ -s build-web/$f ]] || { echo "web-build: build-web/$f is missing" >&2; exit 1; }
done
size=$(cat build-web/index.html build-web/losscape-page.js build-web/losscape.js build-web/losscape.wasm | wc -c)
gz=$(for f in index.html losscape-page.js losscape.js losscape.wasm; do gzip -9c "build-web/$f" | wc -c; done |
     awk '{s += $1} END {print s}')
echo "web-build: build-web/ ready in $((SECONDS - t0)) s: $((size / 1024)) KiB, $((gz / 1024)) KiB gzipped"
