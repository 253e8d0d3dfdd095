#!/bin/sh
# gl-preload.sh PROGRAM [ARGS...] — run PROGRAM with Mesa's GL driver preloaded when
# LOSSCAPE_GL_PRELOAD names it (scripts/test.sh sets it for the ASan + UBSan pass).
#
# Why: SDL/EGL dlopen and dlclose the driver; what it allocated then looks leaked from
# code that is no longer mapped, and no LeakSanitizer suppression can name it. A
# preloaded driver stays mapped until exit, where its memory is still reachable.
# Why not LD_PRELOAD for the whole ctest: every python3, awk and grep the tests start
# would then load the driver too (LLVM inside: python3's start went from 1.4 to 9.7 s
# on a loaded machine), which made the sanitizer pass take most of CI's time.
# The build's tests run losscape through build-asan/losscape-gl, which calls this.
if [ -n "${LOSSCAPE_GL_PRELOAD:-}" ]; then
  LD_PRELOAD="$LOSSCAPE_GL_PRELOAD${LD_PRELOAD:+:$LD_PRELOAD}"
  export LD_PRELOAD
fi
exec "$@"
