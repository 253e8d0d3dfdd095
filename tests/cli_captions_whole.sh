# Captions whole (issue 9 #9, LESSONS.md: a lesson's caption is its content): every
# built-in scene with a caption shows all of it at 640x360 (the README's GIF size) and
# at 1280x720, no line cut short with '…'. With 11-px small type five lessons'
# captions no longer fitted three small lines at 640x360 and ended in '…'; a caption in
# small type may now take a fourth. Read from LOSSCAPE_STRINGS (every string drawn):
# the strings centred under one another in the frame's lower half that are pieces of
# the caption, top to bottom, spell the whole caption. LOSSCAPE_SANITIZED=1 (the ASan +
# UBSan pass): every scene at 640x360 (where captions wrap, in normal or small type),
# every fourth at 1280x720 too; the normal pass checks all of them at both sizes.
# Exit 77 (skip) without a GL context, unless CI=true or LOSSCAPE_REQUIRE_GL=1.
source "$(dirname "$0")/lib/cli.sh"
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
cd "$TMP" || exit 1
n=0
for f in "$SRC"/assets/scenes/*.scene; do
  grep -q '^caption *=' "$f" || continue
  scene=$(basename "$f" .scene)
  sizes="640x360 1280x720"
  [ "${LOSSCAPE_SANITIZED:-0}" = 1 ] && [ $((n % 4)) != 0 ] && sizes=640x360
  n=$((n + 1))
  for size in $sizes; do
    rm -f st.txt
    LOSSCAPE_STRINGS=st.txt "$LOSSCAPE" --scene "$scene" --size $size --steps 20 --screenshot s.png 2>err.txt
    rc=$?
    gl_or_skip $rc err.txt
    check_true "$scene $size: exit $rc: $(cat err.txt)" test $rc -eq 0
    out=$(python3 - "$f" st.txt "${size#*x}" <<'PY'
import re, sys
cap = next(l.split("=", 1)[1].strip() for l in open(sys.argv[1], encoding="utf-8")
           if re.match(r"caption\s*=", l))
flat = re.sub(r"\s+", "", cap)
pieces = []   # (y, x, w, text) of the strings that are pieces of the caption
for line in open(sys.argv[2], encoding="utf-8"):
    f = line.rstrip("\n").split(" ", 6)
    if len(f) < 7:
        continue
    core = re.sub(r"\s+", "", f[6].rstrip("…"))
    if core and core in flat and float(f[2]) > 0.5 * float(sys.argv[3]):
        pieces.append((float(f[2]), float(f[1]), float(f[3]), f[6]))
# the caption's rows: centred on one axis, as the longest piece is (a tick label or a
# plot's axis name in the lower half may also be a piece of it, elsewhere)
if pieces:
    y, x, w, _ = max(pieces, key=lambda p: len(p[3]))
    pieces = sorted(p for p in pieces if abs(p[1] + p[2] / 2 - (x + w / 2)) <= 3)
got = "".join(re.sub(r"\s+", "", p[3]) for p in pieces)
if got != flat:
    print("drawn: " + " | ".join(p[3] for p in pieces))
    sys.exit(1)
PY
)
    check_true "$scene $size: the caption not whole: $out" test -z "$out"
  done
done
finish
