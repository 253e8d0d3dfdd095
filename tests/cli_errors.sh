# Bad input of every kind: one clear line on stderr naming what is wrong and
# where, exit status 2, and nothing written.
source "$(dirname "$0")/lib/cli.sh"

# Options
check_error 2 "unknown option '--frobnicate'" --frobnicate
check_error 2 "unexpected argument 'rosenbrock'" rosenbrock
check_error 2 "--steps: needs a value" --headless --steps
check_error 2 "--steps: expected a whole number" --headless --steps ten
check_error 2 "--steps: expected a whole number" --headless --steps -5
check_error 2 "--size: expected WIDTHxHEIGHT" --size 100
check_error 2 "--size: each side must be between" --size 10x10
check_error 2 "--fps: expected frames per second" --record a.mp4 --frames 3 --fps 0
check_error 2 "--record: needs --frames N" --record a.mp4
check_error 2 "--csv: needs --headless" --csv out.csv
check_error 2 "choose one of" --headless --critical-points
check_error 2 "--headless: takes no value" --headless=1

# Formulas
check_error 2 "formula: column 8: expected ')'" --surface "x^2 + (y"
check_error 2 "--surface: column 1: expected a surface name or a formula in x and y" --surface ""
check_error 2 "formula: column 3: unexpected character '#'" --surface "x #"
check_error 2 "formula: column 5: unknown name 'foo'" --surface "x + foo(y)"
check_error 2 "unknown surface 'rosenbrok'" --surface rosenbrok
deep=$(printf '(%.0s' $(seq 1 10000))
check_error 2 "formula: column 65: nesting deeper than 64" --surface "${deep}x"

# Optimizers and schedules
check_error 2 "--opt: column 6: unknown key 'beta3' for adam" --opt adam:beta3=1
check_error 2 "unknown optimizer 'adamw'" --opt adamw
check_error 2 "lr must be >= 0" --opt sgd:lr=-0.1
check_ok --headless --steps 3 --opt sgd:lr=0 --opt adam:lr=0,amsgrad=1,maximize=1
check_error 2 "key 'amsgrad' does not apply to sgd" --opt sgd:amsgrad=1
check_error 2 "expected periodic or hold after 'after='" --schedule cosine:after=never
check_error 2 "--opt" --opt sgd:lr=nan
check_error 2 "--opt" --opt sgd:lr=1e400
check_error 2 "beta1 must be in [0, 1)" --opt adam:beta1=1
check_error 2 "--lr: column 1: lr must be >= 0" --lr -1
# --lr 0 is accepted, as torch's lr=0: every run frozen at its start
frozen=$("$LOSSCAPE" --surface booth --lr 0 --opt adam --opt sgd --start 1,2 --headless --steps 3 --csv - | tail -2 | cut -d, -f4,5,7 | sort -u)
check_true "--lr 0 freezes every run at (1, 2): $frozen" test "$frozen" = "1,2,0"
check_error 2 "unknown schedule 'linear'" --schedule linear
check_error 2 "--schedule" --schedule cosine:T=0

# Other scene keys
check_error 2 "--start: column 4: 'abc' is not a finite number" --start "1, abc"
check_error 2 "--start" --start 1
check_error 2 "unknown view '4d'" --view 4d
check_error 2 "unknown layout 'grid'" --layout grid
check_error 2 "batch must be at least 1" --batch 0
check_error 2 "split is the held-out fraction" --split 1.5
check_error 2 "the surface is not finite at" --surface "log(x)" --start -1,0 --headless --steps 1

# Scenes
check_error 2 "unknown scene 'nope'" --scene nope
check_error 2 "cannot open" --scene "$TMP/missing.scene"
printf 'title = x\nlrate = 0.1\n' >"$TMP/bad_key.scene"
check_error 2 "bad_key.scene:2:1: unknown key 'lrate'" --scene "$TMP/bad_key.scene"
printf 'title = x\nsharpness = -5\n' >"$TMP/bad_sharp.scene"
check_error 2 "bad_sharp.scene:2:13: sharpness must be between 0 and 1000000000" --scene "$TMP/bad_sharp.scene"
printf 'title = x\nsurface = x^2 + (y\n' >"$TMP/bad_formula.scene"
check_error 2 "bad_formula.scene:2:18: formula: column 8: expected ')'" --scene "$TMP/bad_formula.scene"
printf 'start = 1, zz\n' >"$TMP/bad_start.scene"
check_error 2 "bad_start.scene:1:12:" --scene "$TMP/bad_start.scene"
printf 'just some words\n' >"$TMP/no_eq.scene"
check_error 2 "no_eq.scene:1:1: expected 'key = value'" --scene "$TMP/no_eq.scene"
: >"$TMP/empty.scene"
check_error 2 "empty scene file" --scene "$TMP/empty.scene"
printf 'title = a\0b\n' >"$TMP/binary.scene"
check_error 2 "binary.scene:1:10: NUL byte" --scene "$TMP/binary.scene"
printf '\xef\xbb\xbftitle = bom\r\nsurface = booth\r\n' >"$TMP/crlf.scene"
check_ok --scene "$TMP/crlf.scene" --headless --steps 3

# Nothing written on bad input; an existing file survives a failed run.
echo keep >"$TMP/keep.csv"
"$LOSSCAPE" --headless --steps 5 --csv "$TMP/keep.csv" --opt nope >/dev/null 2>&1
check_true "a failed run left the old CSV alone" grep -qx keep "$TMP/keep.csv"
check_true "no temporary files left behind" test "$(ls "$TMP" | grep -c tmp)" -eq 0

# A folder that does not exist is bad input (2); one we may not write to is a
# run-time failure (1). (/proc exists but refuses new files, even to root.)
check_error 2 "the folder does not exist" --headless --steps 5 --csv "$TMP/no/such/dir/out.csv"
check_error 1 "cannot write /proc/out.csv: No such file or directory" --headless --steps 5 --csv /proc/out.csv

finish
