# Bad-input catalogue: every row of tests/bad_inputs.tsv is one run of losscape
# on hostile input, with the exit status it must give and the one stderr line it
# must print (see the header of bad_inputs.tsv for the columns). On top of
# check_error's rules: no sanitizer report, no hang (60 s), and the shell
# metacharacters in file names reach no shell.
#
# Rows whose feature is not built yet (the 'needs' column) print SKIP; a feature
# is probed once, by running it, so a row is never skipped once it would work.
source "$(dirname "$0")/lib/cli.sh"
TABLE=${BAD_INPUTS_TABLE:-$SRC/tests/bad_inputs.tsv}
LOSSCAPE=$(readlink -f "$LOSSCAPE")   # the runs start in $TMP

# ---- the input files the table refers to as @T@/NAME -------------------------
T=$TMP/in
mkdir -p "$T"
: >"$T/empty.scene"
: >"$T/empty.csv"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0' >"$T/binary.scene"
cp "$T/binary.scene" "$T/binary.csv"
printf '\xef\xbb\xbftitle = bom\nsurface = booth\n' >"$T/bom.scene"
printf '\xef\xbb\xbftitle = bom\nlrate = 0.1\n' >"$T/bom_bad.scene"
printf 'title = crlf\r\nsurface = booth\r\nopt = adam: lr=0.1\r\n' >"$T/crlf.scene"
printf 'title = crlf\r\nstart = 1, zz\r\n' >"$T/crlf_bad.scene"
printf 'title = %s\n' "$(head -c 102400 /dev/zero | tr '\0' a)" >"$T/longline.scene"
seq -f '# %090g' 1 12000 >"$T/huge.scene"   # 1.1 MB of comment lines
printf 'start = nan, 1\n' >"$T/nan.scene"
printf 'lr = inf\n' >"$T/inf.scene"
printf 'lr = 1e400\n' >"$T/big.scene"
printf 'title = t\nmodel = resnet:depth=50\n' >"$T/badmodel.scene"
printf 'title = t\ndata = moons: n=50\nlayout = compare\ncompare = batch=999\n' >"$T/badcompare.scene"
printf 'title = t\nevent = pause\n' >"$T/ev_nostep.scene"
printf 'title = t\nevent = 10: jump\n' >"$T/ev_action.scene"
printf 'title = t\nopt = sgd\nevent = 10: lr 2 = 0.1\n' >"$T/ev_run.scene"
printf 'title = t\nopt = sgd\nevent = 10: lr 1 = -0.1\n' >"$T/ev_lr.scene"
printf 'title = t\nopt = sgd\nevent = 10: schedule * = cosine:T=0\n' >"$T/ev_sched.scene"
printf 'title = t\nevent = 10: pause = 1\n' >"$T/ev_pause.scene"
printf 'title = t\nevent = 10: probe = 1\n' >"$T/ev_probe.scene"
printf 'title = t\nevent = 10: view = 4d\n' >"$T/ev_view.scene"
printf 'surface = %sx\n' "$(printf '(%.0s' $(seq 1 10000))" >"$T/deep.scene"
printf '\xef\xbb\xbfx1,x2,y\n0.5,-1,0\n1.5,2,1\n-0.25,0.75,1\n3,-3,0\n' >"$T/bom.csv"
printf 'x1,x2,y\r\n0.5,-1,0\r\n1.5,2,1\r\n-0.25,0.75,1\r\n3,-3,0\r\n' >"$T/crlf.csv"
{ printf 'x,y\n'; printf '1,%s\n' "$(head -c 102400 /dev/zero | tr '\0' 7)"; } >"$T/longline.csv"
{ seq -s, 1 300; seq -s, 1 300; } >"$T/wide.csv"
printf 'x1,x2,y\n0.5,-1,0\n1.5,nan,1\n' >"$T/nan.csv"
printf 'x1,x2,y\n0.5,-1,0\n1.5,2,Inf\n' >"$T/inf.csv"
printf 'x1,x2,y\n0.5,1e400,0\n1.5,2,1\n' >"$T/big.csv"
printf 'x\n1\n2\n3\n' >"$T/onecol.csv"
printf 'x1,x2,y\n0.5,-1,0\n1.5,2\n' >"$T/ragged.csv"
printf 'x1,x2,y\n0.5,-1,1\n1.5,2,1\n' >"$T/oneclass.csv"
# safetensors state dicts (--params-in) for logistic regression on 2 features:
# 0.weight [1, 2], 0.bias [1]. st FILE HEADER DATA-PRINTF: 8-byte length + header + data.
st() {
  local n=${#2} le=''
  for _ in 1 2 3 4 5 6 7 8; do le+=$(printf '\\x%02x' $((n & 255))); n=$((n >> 8)); done
  { printf "$le"; printf '%s' "$2"; printf "$3"; } >"$T/$1"
}
ONE='\x00\x00\x00\x00\x00\x00\xf0\x3f'
NAN='\x00\x00\x00\x00\x00\x00\xf8\x7f'
W='"0.weight":{"dtype":"F64","shape":[1,2],"data_offsets":[0,16]}'
B='"0.bias":{"dtype":"F64","shape":[1],"data_offsets":[16,24]}'
st st_ok.safetensors "{$W,$B}" "$ONE$ONE$ONE"
st st_json.safetensors "{$W,$B" "$ONE$ONE$ONE"
st st_past.safetensors "{$W,${B/24]/32]}}" "$ONE$ONE$ONE"
st st_shape.safetensors "{${W/\[1,2\]/[2,1]},$B}" "$ONE$ONE$ONE"
st st_wrongshape.safetensors "{${W/\[1,2\]/[1,3]},$B}" "$ONE$ONE$ONE"
st st_nan.safetensors "{$W,$B}" "$ONE$NAN$ONE"
st st_missing.safetensors "{$W}" "$ONE$ONE"
st st_extra.safetensors "{$W,$B,\"9.weight\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[24,32]}}" "$ONE$ONE$ONE$ONE"
st st_dtype.safetensors "{${W/F64/BF16},$B}" "$ONE$ONE$ONE"
printf '\xff\xff\xff\xff\xff\x00\x00\x00{}' >"$T/st_len.safetensors"
printf '\x01\x00' >"$T/st_short.safetensors"
# loss-landscape HDF5 files (the 'hdf5' rows), written with h5py where it is installed
/usr/bin/python3 - "$T" 2>/dev/null <<'PY' || true
import sys, h5py, numpy as np
d = sys.argv[1]
x = np.linspace(-1, 1, 11)
with h5py.File(d + "/h5_surf.h5", "w") as f:
    f["xcoordinates"] = x; f["ycoordinates"] = x; f["train_loss"] = np.add.outer(x**2, x**2)
with h5py.File(d + "/h5_traj_noy.h5", "w") as f:
    f["proj_xcoord"] = x
with h5py.File(d + "/h5_traj_short.h5", "w") as f:
    f["proj_xcoord"] = x; f["proj_ycoord"] = x[:5]
with h5py.File(d + "/h5_traj_nan.h5", "w") as f:
    f["proj_xcoord"] = np.where(x > 0.5, np.nan, x); f["proj_ycoord"] = x
PY
META='a;b $(touch PWNED) `touch PWNED2` & | > <'
printf 'title = meta\nlrate = 1\n' >"$T/$META.scene"
cp "$T/crlf.csv" "$T/$META.csv"
chmod -R a-w "$T"   # nothing may write here (except the root user)

DEEP=$(printf '(%.0s' $(seq 1 10000))x
LONGF="x$(printf '+x%.0s' $(seq 1 2100))"   # 4201 characters

# ---- features ----------------------------------------------------------------
declare -A HAVE
feature() {   # feature NAME: 1 if this build has it (probed by running it)
  if [[ -z ${HAVE[$1]:-} ]]; then
    local ok=0
    case $1 in
      -) ok=1 ;;
      data) "$LOSSCAPE" --data moons:n=8 --headless --steps 1 >/dev/null 2>&1 && ok=1 ;;
      record) "$LOSSCAPE" --record "$TMP/probe.png" --frames 1 --size 64x64 2>&1 >/dev/null |
                grep -q 'not available' || ok=1 ;;
      hdf5) [[ -s $T/h5_surf.h5 ]] && "$LOSSCAPE" --landscape "$T/h5_surf.h5" --headless --steps 1 >/dev/null 2>&1 && ok=1 ;;
      *) ok=0 ;;
    esac
    HAVE[$1]=$ok
  fi
  [[ ${HAVE[$1]} -eq 1 ]]
}

# ---- the table -----------------------------------------------------------------
SKIPPED=0
row=0
while IFS= read -r line || [[ -n $line ]]; do
  [[ -z $line || $line == \#* ]] && continue
  IFS=$'\t' read -r -a f <<<"$line"
  row=$((row + 1))
  what=${f[0]} needs=${f[1]} want=${f[2]} text=${f[3]}
  [[ $text == - ]] && text=
  args=()
  for a in "${f[@]:4}"; do
    a=${a//@T@/"$T"}
    a=${a//@META@/"$META"}
    a=${a//@DEEP@/"$DEEP"}
    a=${a//@LONGF@/"$LONGF"}
    args+=("$a")
  done
  if ! feature "$needs"; then
    echo "SKIP ($needs not built yet): $what"
    SKIPPED=$((SKIPPED + 1))
    continue
  fi
  err=$(cd "$TMP" && timeout 60 "$LOSSCAPE" "${args[@]}" 2>&1 >/dev/null)
  rc=$?
  lines=$(printf '%s' "$err" | grep -c '')
  text=${text//@T@/"$T"}
  text=${text//@META@/"$META"}
  if [[ $rc -eq 124 ]]; then
    fail "$what: hung (killed after 60 s)"
  elif printf '%s' "$err" | grep -qE 'Sanitizer|runtime error:|^==[0-9]+=='; then
    fail "$what: sanitizer report: $(printf '%s' "$err" | head -5)"
  elif [[ $rc -ne $want ]]; then
    fail "$what: exit $rc, wanted $want (stderr: $(printf '%s' "$err" | head -3))"
  elif [[ -z $text && $lines -ne 0 ]]; then
    fail "$what: wanted no stderr, got: $err"
  elif [[ -n $text && $lines -ne 1 ]]; then
    fail "$what: $lines stderr lines, wanted 1: $err"
  elif [[ -n $text && "$err" != *"$text"* ]]; then
    fail "$what: '$err', wanted it to contain '$text'"
  else
    pass
  fi
done <"$TABLE"

check_true "the table has rows" test "$row" -gt 0
check_true "no shell ran the metacharacters of a file name" \
  test ! -e "$TMP/PWNED" -a ! -e "$TMP/PWNED2" -a ! -e "$T/PWNED" -a ! -e PWNED
chmod -R u+w "$T"
echo "$row rows, $SKIPPED skipped"
finish
