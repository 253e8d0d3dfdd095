# Scene timelines (event lines): the rate, batch and schedule events change the runs
# at their step, headless exactly as in the window; pauses do not stop headless,
# screenshot or recording runs; a scene with events saves and loads back.
source "$(dirname "$0")/lib/cli.sh"
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

cat >"$TMP/t.scene" <<'SC'
title = timeline
data = moons: n=64
model = logistic
opt = sgd: lr=0.1
opt = adam: lr=0.05
event = 0: caption = start
event = 10: lr 1 = 0.02
event = 10: batch 2 = 8
event = 20: batch * = full
event = 20: pause
event = 25: schedule 2 = constant:warmup=4
event = 30: probe = 0, 0
event = 30: view = 3d
steps = 40
SC
"$LOSSCAPE" --scene "$TMP/t.scene" --headless --csv "$TMP/t.csv" 2>"$TMP/err"
check_true "a timeline scene runs headless ($(cat "$TMP/err"))" test -s "$TMP/t.csv"
check_true "events at their steps" $PY - "$TMP/t.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
r = {(x["run"], int(x["step"])): x for x in rows}
assert len(rows) == 2 * 41, len(rows)                      # the pause does not stop headless
assert float(r[("sgd", 10)]["lr"]) == 0.1 and float(r[("sgd", 11)]["lr"]) == 0.02
assert r[("adam", 10)]["batch"] == "full" and r[("adam", 11)]["batch"] == "8"
assert r[("sgd", 11)]["batch"] == "full"
assert r[("adam", 20)]["batch"] == "8" and r[("adam", 21)]["batch"] == "full"
# the schedule starts at its event: warm-up 1/4, 2/4, ... of the rate from update 26
for k, f in ((25, 1.0), (26, 0.25), (27, 0.5), (29, 1.0)):
    got = float(r[("adam", k)]["lr"])
    assert abs(got - 0.05 * f) < 1e-15, (k, got)
PY
# The same run without the events differs (the events did something).
grep -v '^event' "$TMP/t.scene" >"$TMP/plain.scene"
"$LOSSCAPE" --scene "$TMP/plain.scene" --headless --csv "$TMP/p.csv" 2>/dev/null
check_true "without the events the runs differ" bash -c "! cmp -s '$TMP/t.csv' '$TMP/p.csv'"
# A screenshot plays through the pause.
SDL_VIDEODRIVER=offscreen "$LOSSCAPE" --scene "$TMP/t.scene" --size 320x200 --screenshot "$TMP/t.png" 2>"$TMP/err"
rc=$?
if [[ $rc -eq 0 ]]; then
  check_true "screenshot of a timeline scene" test -s "$TMP/t.png"
elif grep -qi "gl\|video\|context" "$TMP/err"; then
  echo "no GL context: screenshot check skipped"
else
  fail "screenshot of a timeline scene failed: $(cat "$TMP/err")"
fi
finish
