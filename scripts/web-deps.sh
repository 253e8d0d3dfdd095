#!/usr/bin/env bash
# web-deps.sh [DIR] — SDL2, FreeType and SDL2_ttf for the WebAssembly build, from
# Debian's own source packages, built with emcmake into DIR/prefix (default
# build-web-deps/, ignored by git). Emscripten's ports (which download from GitHub)
# are never used.
#
#   1. apt-get source --download-only of the pinned versions, through a private apt
#      configuration under DIR/apt (nothing system-wide changes). The deb-src index is
#      marked Trusted: on some machines apt cannot verify signatures at all (see
#      ../shared/WEB.md), so integrity rests on step 2.
#   2. every downloaded file is checked against web/deps.sha256 (kept in the
#      repository): a changed or corrupted file stops the build with one line.
#   3. dpkg-source -x, then emcmake cmake + build + install of each library.
#
# The build is done once: DIR/prefix/.stamp records the sums and flags it was made
# from, and a later run with the same stamp does nothing (about 4 minutes saved on
# 2 cores; SDL2's configure alone is 2 minutes). Needs emcmake (scripts/setup.sh web).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mkdir -p "${1:-$top/build-web-deps}" && cd "${1:-$top/build-web-deps}" && pwd)
sums=$top/web/deps.sha256
prefix=$dir/prefix
jobs=${LOSSCAPE_JOBS:-2}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}   # a nodesource node does not search Debian's modules
# Debian's emscripten under Debian's python3, whatever python3 comes first on PATH (a
# pyenv shim costs ~2 s per start under load; the configure starts Python thousands of times)
[[ -x /usr/bin/python3 ]] && export EMSDK_PYTHON=${EMSDK_PYTHON:-/usr/bin/python3}

PKGS=(libsdl2=2.26.5+dfsg-1 libsdl2-ttf=2.20.1+dfsg-2 freetype=2.12.1+dfsg-5+deb12u4)
# SDL2: only what losscape uses (SDL_INIT_VIDEO: video + events, timers, threads, file
# RWops, cpuinfo, atomics; SDL_ttf draws into SDL surfaces, part of video). No audio,
# joystick/HIDAPI, haptic, sensor, power, locale, misc (SDL_OpenURL), filesystem paths or
# the 2-D renderer: less to compile, and nothing of them is called (src/, web/).
SDL_FLAGS=(-DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF
           -DSDL_AUDIO=OFF -DSDL_JOYSTICK=OFF -DSDL_HIDAPI=OFF -DSDL_HAPTIC=OFF -DSDL_SENSOR=OFF
           -DSDL_POWER=OFF -DSDL_LOCALE=OFF -DSDL_MISC=OFF -DSDL_FILESYSTEM=OFF -DSDL_RENDER=OFF)
FT_FLAGS=(-DBUILD_SHARED_LIBS=OFF -DFT_DISABLE_ZLIB=ON -DFT_DISABLE_BZIP2=ON -DFT_DISABLE_PNG=ON
          -DFT_DISABLE_HARFBUZZ=ON -DFT_DISABLE_BROTLI=ON)
TTF_FLAGS=(-DBUILD_SHARED_LIBS=OFF -DSDL2TTF_SAMPLES=OFF -DSDL2TTF_VENDORED=OFF -DSDL2TTF_HARFBUZZ=OFF)

stamp_text() {
  cat "$sums"
  printf '%s\n' "${PKGS[*]}" "${SDL_FLAGS[*]}" "${FT_FLAGS[*]}" "${TTF_FLAGS[*]}" "$(emcc --version 2>/dev/null | sed -n 1p)"
}
want=$(stamp_text)
if [[ -f $prefix/.stamp && $(cat "$prefix/.stamp") == "$want" ]]; then
  echo "web-deps: up to date in $prefix"
  exit 0
fi

# ---- 1. sources (private apt configuration) --------------------------------
# the machine's own Debian mirror: deb822 files (Debian 12's default) or a one-line
# sources.list (what debootstrap and older installs write); neither need exist
mirror=$({ grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null || true
           grep -h '^deb ' /etc/apt/sources.list 2>/dev/null || true; } |
         awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) { print $i; exit } }')
mirror=${mirror:-http://deb.debian.org/debian}
mkdir -p "$dir/apt/parts" "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial" "$dir/src"
cat >"$dir/apt/parts/debian-src.sources" <<SRC
Types: deb-src
URIs: $mirror
Suites: bookworm
Components: main
Trusted: yes
SRC
APT=(-o Dir::Etc::sourcelist=- -o "Dir::Etc::sourceparts=$dir/apt/parts"
     -o "Dir::State::Lists=$dir/apt/lists" -o "Dir::Cache=$dir/apt/cache" -o APT::Sandbox::User=root)
cd "$dir/src"
need_fetch=0
while read -r _ f; do [[ -f $f ]] || need_fetch=1; done <"$sums"
if [[ $need_fetch == 1 ]]; then
  echo "web-deps: fetching sources of ${PKGS[*]}"
  apt-get "${APT[@]}" -q update >"$dir/apt/update.log" 2>&1 ||
    { cat "$dir/apt/update.log" >&2; echo "web-deps: apt-get update of the deb-src index failed" >&2; exit 1; }
  apt-get "${APT[@]}" -q source --download-only "${PKGS[@]}" >"$dir/apt/source.log" 2>&1 ||
    { tail -5 "$dir/apt/source.log" >&2; echo "web-deps: apt-get source ${PKGS[*]} failed (see $dir/apt/source.log)" >&2; exit 1; }
fi

# ---- 2. pinned SHA-256 sums -------------------------------------------------
if ! sha256sum --quiet -c "$sums" >"$dir/sha256.log" 2>&1; then
  bad=$(grep -v ': OK$' "$dir/sha256.log" | head -1)
  echo "web-deps: $dir/src: ${bad:-checksum check failed}: does not match web/deps.sha256; not building" >&2
  exit 1
fi

# ---- 3. unpack and build ----------------------------------------------------
rm -rf "$prefix" "$dir/b-sdl2" "$dir/b-ft" "$dir/b-ttf"
unpack() {   # unpack DSC → prints the source folder
  local d=${1%.dsc}
  rm -rf "$d"
  dpkg-source -x "$1" "$d" >/dev/null 2>"$dir/unpack.log" ||
    { cat "$dir/unpack.log" >&2; echo "web-deps: unpacking $1 failed" >&2; exit 1; }
  echo "$dir/src/$d"
}
sdl=$(unpack libsdl2_*.dsc)
ft=$(unpack freetype_*.dsc)
ttf=$(unpack libsdl2-ttf_*.dsc)
# Configuring is most of the time (SDL2: a few hundred try_compile checks, each a small
# CMake project that links a program with emcc). Emscripten's toolchain file re-runs
# `emcc -v` twice and `em-config CACHE` four times in every one of those projects, six
# Python starts besides the check's own compile and link. Both answers are fixed for the
# run: the versions are handed down to the checks (CMAKE_TRY_COMPILE_PLATFORM_VARIABLES,
# so the toolchain file skips `emcc -v`), and `em-config CACHE` is answered by a two-line
# script first on PATH from what the real em-config said once (other questions go to it).
emcache=$(em-config CACHE) || { echo "web-deps: em-config CACHE failed" >&2; exit 1; }
mkdir -p "$dir/bin"
cat >"$dir/bin/em-config" <<EMC
#!/bin/sh
if [ "\$#" = 1 ] && [ "\$1" = CACHE ]; then printf '%s\\n' '$emcache'; exit 0; fi
exec $(command -v em-config) "\$@"
EMC
chmod +x "$dir/bin/em-config"
[[ $("$dir/bin/em-config" CACHE) == "$emcache" ]] || { echo "web-deps: em-config shim broken" >&2; exit 1; }
export PATH=$dir/bin:$PATH
CHECK_VARS=(-DCMAKE_TRY_COMPILE_PLATFORM_VARIABLES=CMAKE_C_COMPILER_VERSION\;CMAKE_CXX_COMPILER_VERSION\;EMSCRIPTEN_VERSION)
build() {   # build NAME SRC FLAGS...
  local name=$1 src=$2 t0=$SECONDS
  shift 2
  echo "web-deps: building $name"
  emcmake cmake -S "$src" -B "$dir/b-$name" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_ROOT_PATH="$prefix" "${CHECK_VARS[@]}" "$@" >"$dir/$name.log" 2>&1 &&
    cmake --build "$dir/b-$name" -j "$jobs" >>"$dir/$name.log" 2>&1 &&
    cmake --install "$dir/b-$name" >>"$dir/$name.log" 2>&1 ||
    { tail -20 "$dir/$name.log" >&2; echo "web-deps: building $name failed (see $dir/$name.log)" >&2; return 1; }
  echo "web-deps: $name built in $((SECONDS - t0)) s"
}
# FreeType needs nothing of SDL2: it is built while SDL2 configures (one check at a time,
# about one core); SDL2_ttf needs both.
build ft "$ft" "${FT_FLAGS[@]}" &
ft_pid=$!
build sdl2 "$sdl" "${SDL_FLAGS[@]}" || { kill "$ft_pid" 2>/dev/null; wait "$ft_pid"; exit 1; }
wait "$ft_pid" || exit 1
build ttf "$ttf" "${TTF_FLAGS[@]}" || exit 1
printf '%s\n' "$want" >"$prefix/.stamp"
echo "web-deps: ready in $prefix"
