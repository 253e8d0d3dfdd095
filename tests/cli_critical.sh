# --critical-points: the table of the design, checked against published values.
source "$(dirname "$0")/lib/cli.sh"

count() { grep -c "^$1," "$TMP/cp.csv"; }

"$LOSSCAPE" --critical-points --surface himmelblau >"$TMP/cp.csv"
check_true "header" test "$(head -1 "$TMP/cp.csv")" = "type,x,y,loss,lambda1,lambda2,escape_x,escape_y"
check_true "himmelblau: 4 minima" test "$(count minimum)" -eq 4
check_true "himmelblau: 1 maximum" test "$(count maximum)" -eq 1
check_true "himmelblau: 4 saddles" test "$(count saddle)" -eq 4
check_true "himmelblau: maximum at (-0.270845, -0.923039), 181.617" awk -F, '
  $1 == "maximum" { ok = ($2 + 0.270845)^2 < 1e-10 && ($3 + 0.923039)^2 < 1e-10 && ($4 - 181.617)^2 < 1e-5 }
  END { exit !ok }' "$TMP/cp.csv"
check_true "himmelblau: minimum at (3, 2)" grep -q '^minimum,3,2,0,' "$TMP/cp.csv"

"$LOSSCAPE" --critical-points --surface six-hump-camel >"$TMP/cp.csv"
check_true "camel: 6 minima, 2 maxima, 7 saddles" \
  test "$(count minimum) $(count maximum) $(count saddle)" = "6 2 7"

"$LOSSCAPE" --critical-points --surface saddle >"$TMP/cp.csv"
check_true "saddle: one saddle at the origin, eigenvalues -2 and 2, escape along y" \
  grep -qx 'saddle,0,0,0,-2,2,0,1' "$TMP/cp.csv"

"$LOSSCAPE" --critical-points --surface monkey-saddle >"$TMP/cp.csv"
check_true "monkey saddle: one degenerate point" test "$(wc -l <"$TMP/cp.csv")" -eq 2
check_true "monkey saddle: degenerate at the origin" grep -q '^degenerate,' "$TMP/cp.csv"

"$LOSSCAPE" --critical-points --surface "x^2 + y^2" --domain=-1,1,-1,1 >"$TMP/cp.csv"
check_true "a formula: one minimum" grep -q '^minimum,' "$TMP/cp.csv"
finish
