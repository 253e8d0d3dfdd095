# loss-landscape HDF5 files (--landscape): files made with h5py in the layouts
# loss-landscape writes, opened, optimized on, and malformed ones refused with the
# dataset's name. Skipped (77) without h5py or without HDF5 in this build.
source "$(dirname "$0")/lib/cli.sh"
/usr/bin/python3 -c 'import h5py, numpy' 2>/dev/null || { echo "h5py missing (bash scripts/setup.sh test)"; exit 77; }
"$LOSSCAPE" --landscape /nonexistent.h5 --headless --steps 1 2>&1 | grep -q 'no HDF5 support' &&
  { echo "built without HDF5"; exit 77; }

/usr/bin/python3 - "$TMP" <<'PY'
import sys, h5py, numpy as np
d = sys.argv[1]
x = np.linspace(-1, 1, 51); y = np.linspace(-1, 1, 41)
X, Y = np.meshgrid(x, y)                      # plot_2D.py: Z[i, j] at (x[j], y[i])
Z = np.log1p(3*(X-0.2)**2 + 8*(Y+0.1)**2 + 0.5)
def w(name, **ds):
    with h5py.File(d + "/" + name, "w") as f:
        for k, v in ds.items():
            f[k] = v
w("good.h5", xcoordinates=x, ycoordinates=y, train_loss=Z, test_loss=Z + 0.1)
w("xmajor.h5", xcoordinates=x, ycoordinates=y, train_loss=Z.T)     # plot_surface.py's (len x, len y)
w("curve.h5", xcoordinates=x, train_loss=(x - 0.3)**2 + 1)
w("nokey.h5", xcoordinates=x, ycoordinates=y, test_loss=Z)
w("rank3.h5", xcoordinates=x, ycoordinates=y, train_loss=np.zeros((2, 2, 2)))
w("mismatch.h5", xcoordinates=x, ycoordinates=y, train_loss=Z[:, :50])
bad = Z.copy(); bad[3, 7] = np.nan
w("nan.h5", xcoordinates=x, ycoordinates=y, train_loss=bad)
xn = x.copy(); xn[10] = xn[9]
w("nonmono.h5", xcoordinates=xn, ycoordinates=y, train_loss=Z)
w("noy.h5", xcoordinates=x, train_loss=Z)
w("xrank2.h5", xcoordinates=np.zeros((2, 51)), ycoordinates=y, train_loss=Z)
open(d + "/text.h5", "w").write("not hdf5\n")
PY

# Optimizers reach the minimum of the interpolant (analytically at (0.2, -0.1)).
out=$("$LOSSCAPE" --landscape "$TMP/good.h5" --headless --steps 400 --opt adam:lr=0.02 --csv - 2>&1)
last=$(printf '%s\n' "$out" | grep '^adam,400,' | cut -d, -f4,5)
check_true "adam ends near (0.2, -0.1) on the landscape: $last" \
  awk -F, -v p="$last" 'BEGIN { split(p, a, ","); exit !((a[1]-0.2)^2 + (a[2]+0.1)^2 < 1e-4) }'
# Critical points of the interpolant: one minimum there.
crit=$("$LOSSCAPE" --landscape "$TMP/good.h5" --critical-points)
check_true "one minimum found: $crit" awk -F, 'NR > 1 && $1 == "minimum" && ($2-0.2)^2 + ($3+0.1)^2 < 1e-4 { n++ } END { exit n != 1 }' <<<"$crit"
# The x-major layout of a non-square grid is read as the same surface.
a=$("$LOSSCAPE" --landscape "$TMP/good.h5" --headless --steps 50 --opt sgd:lr=0.05 --csv - | tail -1)
b=$("$LOSSCAPE" --landscape "$TMP/xmajor.h5" --headless --steps 50 --opt sgd:lr=0.05 --csv - | tail -1)
check_true "x-major layout gives the same run" test "$a" = "$b"
# Another dataset, and a 1-D file (a curve over x, minimum at 0.3).
check_ok --landscape "$TMP/good.h5" --landscape-key test_loss --headless --steps 5
c=$("$LOSSCAPE" --landscape "$TMP/curve.h5" --headless --steps 300 --opt adam:lr=0.02 --csv - | tail -1 | cut -d, -f4)
check_true "1-D curve: adam ends at x = 0.3 ($c)" awk -v v="$c" 'BEGIN { exit !((v-0.3)^2 < 1e-6) }'

# --export-surface: a surface written in loss-landscape's layout reads back in h5py
# (values at the grid points) and opens again with --landscape; a data problem's plane
# too; .vtp is VTK PolyData with N*N points and (N-1)^2 quads.
check_ok --surface himmelblau --export-surface "$TMP/him.h5" --grid 21
check_true "exported surface matches himmelblau at its grid points in h5py" /usr/bin/python3 - "$TMP/him.h5" <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r"); x = f["xcoordinates"][:]; y = f["ycoordinates"][:]; z = f["train_loss"][:]
X, Y = np.meshgrid(x, y)
ref = (X**2 + Y - 11)**2 + (X + Y**2 - 7)**2
sys.exit(0 if z.shape == (21, 21) and np.allclose(z, ref, rtol=1e-12, atol=1e-12) else 1)
PY
r1=$("$LOSSCAPE" --surface himmelblau --headless --steps 100 --opt adam:lr=0.1 --start 1,1 | head -1)
r2=$("$LOSSCAPE" --landscape "$TMP/him.h5" --headless --steps 100 --opt adam:lr=0.1 --start 1,1 | head -1)
check_true "re-opened export (21x21 grid) reaches himmelblau's minimum (3, 2) within 0.05: $r2" \
  awk '{ for (k = 1; k < NF; k++) { if ($k == "x") x = $(k+1); if ($k == "y") y = $(k+1) } }
       END { exit !((x-3)^2 + (y-2)^2 < 0.0025) }' <<<"$r2"
check_ok --data moons:n=64 --model mlp:hidden=4 --export-surface "$TMP/moons.h5" --grid 9
check_true "data-plane export has a 9x9 train_loss" /usr/bin/python3 -c "import h5py,sys; sys.exit(h5py.File('$TMP/moons.h5','r')['train_loss'].shape != (9, 9))"
check_ok --surface booth --export-surface "$TMP/booth.vtp" --grid 5
check_true "vtp has 25 points and 16 quads" grep -q 'NumberOfPoints="25" .*NumberOfPolys="16"' "$TMP/booth.vtp"
check_error 2 "the name must end in .h5 or .vtp" --surface booth --export-surface "$TMP/x.txt"
check_error 2 "--grid: needs --export-surface" --grid 9
check_error 2 "--grid: 'x' is not a whole number" --export-surface "$TMP/a.h5" --grid x

# Malformed files: exit 2 with the dataset's name.
check_error 2 "dataset 'train_loss' is missing" --landscape "$TMP/nokey.h5" --headless --steps 1
check_error 2 "dataset 'train_loss': rank 3, expected 1 or 2" --landscape "$TMP/rank3.h5" --headless --steps 1
check_error 2 "dataset 'train_loss' has shape 41 x 50" --landscape "$TMP/mismatch.h5" --headless --steps 1
check_error 2 "dataset 'train_loss': value at x index 7, y index 3 is not finite" --landscape "$TMP/nan.h5" --headless --steps 1
check_error 2 "dataset 'xcoordinates': xcoordinates are not strictly increasing at index 10" --landscape "$TMP/nonmono.h5" --headless --steps 1
check_error 2 "dataset 'ycoordinates' is missing" --landscape "$TMP/noy.h5" --headless --steps 1
check_error 2 "dataset 'xcoordinates': rank 2, expected 1" --landscape "$TMP/xrank2.h5" --headless --steps 1
check_error 2 "text.h5: not an HDF5 file" --landscape "$TMP/text.h5" --headless --steps 1
check_error 2 "missing.h5: cannot open" --landscape "$TMP/missing.h5" --headless --steps 1
check_error 2 "a dataset name has letters" --landscape "$TMP/good.h5" --landscape-key 'a b'
check_error 2 "it does not go with --data" --landscape "$TMP/good.h5" --data moons --headless --steps 1
finish
