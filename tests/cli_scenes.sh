# Built-in scenes: listed, each one runs headless without diverging and lowers the
# loss; a scene written out by scene_save reads back; the command line overrides.
source "$(dirname "$0")/lib/cli.sh"

"$LOSSCAPE" --list-scenes >"$TMP/list" || fail "--list-scenes failed"
n=$(ls "$SRC"/assets/scenes/*.scene | wc -l)
check_true "--list-scenes lists every built-in scene" test "$(grep -c '^  ' "$TMP/list")" -eq "$n"
# The lessons come first, under their heading, in lecture order (their `lesson` key).
check_true "--list-scenes starts with the lessons" test "$(head -1 "$TMP/list" | cut -c1-7)" = "Lessons"
order=$(grep -l '^lesson = ' "$SRC"/assets/scenes/*.scene | while read -r f; do
  echo "$(sed -n 's/^lesson = //p' "$f") $(basename "$f" .scene)"; done | sort -n | cut -d' ' -f2 | tr '\n' ' ')
listed=$(sed -n '2,/^Scenes:/p' "$TMP/list" | grep '^  ' | awk '{print $1}' | tr '\n' ' ')
check_true "--list-scenes lists the lessons in lecture order ($listed)" test "$listed" = "$order"
check_true "fourteen lessons" test "$(echo $order | wc -w)" -eq 14
check_true "--list-scenes shows no broken scene" bash -c "! grep -q broken '$TMP/list'"
"$LOSSCAPE" --list-surfaces >"$TMP/surfaces"
check_true "--list-surfaces lists 12 surfaces and the formula line" test "$(wc -l <"$TMP/surfaces")" -eq 13

for f in "$SRC"/assets/scenes/*.scene; do
  name=$(basename "$f" .scene)
  # Lessons show failures on purpose (a diverging run, a stalled one); their claim
  # tests (tests/lessons/) check what they must show.
  if [[ $name == lesson-* ]]; then
    check_ok --scene "$name" --headless --steps 2
    continue
  fi
  if ! "$LOSSCAPE" --scene "$name" --headless --csv "$TMP/$name.csv" 2>"$TMP/err"; then
    fail "scene $name: $(cat "$TMP/err")"
    continue
  fi
  check_true "scene $name: no run diverged ($(cat "$TMP/err"))" test ! -s "$TMP/err"
  # Every run ends lower than it started.
  check_true "scene $name: every run lowers the loss" awk -F, '
    NR > 1 { if (!($1 in first)) first[$1] = $6; last[$1] = $6 }
    END { for (k in first) if (!(last[k] < first[k])) exit 1 }' "$TMP/$name.csv"
  # The file name works as well as the name.
  check_ok --scene "$f" --headless --steps 2
done

# The command line overrides the scene, and --opt replaces the scene's runs.
"$LOSSCAPE" --scene ravine --opt adam:lr=0.1 --start 1,1 --headless --steps 1 --csv "$TMP/o.csv"
check_true "--opt replaces the scene's runs" test "$(cut -d, -f1 "$TMP/o.csv" | sort -u | tr '\n' ' ')" = "adam optimizer "
check_true "--start overrides" grep -q '^adam,0,0,1,1,' "$TMP/o.csv"
"$LOSSCAPE" --scene ravine --lr 0.01 --headless --steps 1 --csv "$TMP/o.csv"
check_true "--lr sets every run's rate" test "$(awk -F, 'NR>1 {print $7}' "$TMP/o.csv" | sort -u)" = "0.01"

# Divergence: reported on stderr, the run stops, nothing non-finite is written.
"$LOSSCAPE" --surface rosenbrock --opt sgd:lr=1 --opt adam:lr=0.01 --headless --steps 50 \
  --csv "$TMP/d.csv" 2>"$TMP/err"
check_true "divergence is reported" grep -q "sgd diverged at step" "$TMP/err"
check_true "no inf or nan in the CSV" bash -c "! grep -qiE 'inf|nan' '$TMP/d.csv'"
check_true "the other run goes on" test "$(grep -c '^adam,' "$TMP/d.csv")" -eq 51

# Issue 9 #16: scene names in any case; --batch on a surface is bad input, not ignored.
"$LOSSCAPE" --scene Saddle --headless --steps 1 --csv "$TMP/c1.csv" 2>"$TMP/err"
check_true "--scene Saddle is the built-in saddle ($(cat "$TMP/err"))" test -s "$TMP/c1.csv"
"$LOSSCAPE" --scene RAVINE --headless --steps 3 --csv "$TMP/c2.csv" 2>/dev/null
"$LOSSCAPE" --scene ravine --headless --steps 3 --csv "$TMP/c3.csv" 2>/dev/null
check_true "--scene RAVINE runs what --scene ravine runs" cmp -s "$TMP/c2.csv" "$TMP/c3.csv"
"$LOSSCAPE" --scene saddle --batch 8 --headless --steps 1 >/dev/null 2>"$TMP/err"; rc=$?
check_true "--batch 8 on a surface scene exits 2 (got $rc)" test "$rc" -eq 2
check_true "--batch 8 on a surface scene says why" grep -q -- "--batch: 'saddle' is a surface without a data set" "$TMP/err"
check_true "... in one line" test "$(wc -l <"$TMP/err")" -eq 1
check_ok --scene saddle --batch full --headless --steps 1
check_ok --scene moons-mlp-bn --batch 8 --headless --steps 1

# A formula runs like a built-in.
check_ok --surface "sin(x)*cos(y) + 0.1*(x^2+y^2)" --start 1,1 --headless --steps 50
finish
