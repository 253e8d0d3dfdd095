# --trajectory FILE.h5: loss-landscape's projected trajectories (proj_xcoord,
# proj_ycoord, as its plot_trajectory.py writes them), made here with h5py, drawn as
# a recorded run on a --landscape surface: the light line lies where the file's
# points are; malformed files exit 2 naming the dataset. Skipped (77) without h5py,
# PIL or HDF5 in this build.
source "$(dirname "$0")/lib/cli.sh"
/usr/bin/python3 -c 'import h5py, numpy, PIL' 2>/dev/null || { echo "h5py/PIL missing (bash scripts/setup.sh test)"; exit 77; }
"$LOSSCAPE" --landscape /nonexistent.h5 --headless --steps 1 2>&1 | grep -q 'no HDF5 support' &&
  { echo "built without HDF5"; exit 77; }

/usr/bin/python3 - "$TMP" <<'PY'
import sys, h5py, numpy as np
d = sys.argv[1]
x = np.linspace(-1, 1, 51); y = np.linspace(-1, 1, 41)
X, Y = np.meshgrid(x, y)
Z = np.log1p(3*(X-0.2)**2 + 8*(Y+0.1)**2 + 0.5)
def w(name, **ds):
    with h5py.File(d + "/" + name, "w") as f:
        for k, v in ds.items():
            f[k] = v
w("surf.h5", xcoordinates=x, ycoordinates=y, train_loss=Z)
t = np.linspace(0, 1, 25)
# one recorded run in the left part of the map, one in the right part
w("left.h5", proj_xcoord=-0.8 + 0.3*t, proj_ycoord=0.7 - 1.4*t)
w("right.h5", proj_xcoord=0.8 - 0.3*t, proj_ycoord=0.7 - 1.4*t)
w("noy.h5", proj_xcoord=t)
w("rank2.h5", proj_xcoord=np.zeros((3, 2)), proj_ycoord=t)
w("short.h5", proj_xcoord=t, proj_ycoord=t[:20])
bad = t.copy(); bad[4] = np.inf
w("inf.h5", proj_xcoord=t, proj_ycoord=bad)
w("strings.h5", proj_xcoord=np.array([b"a", b"b"]), proj_ycoord=np.array([b"c", b"d"]))
PY

# The recorded run is drawn where its points are: the light pixels that appear in the
# map with the file lie left of the map's middle for left.h5, right of it for right.h5;
# the legend (the side column) gains a line. Every run frozen (lr=0), so the pictures
# differ by the recorded run alone.
check_ok --landscape "$TMP/surf.h5" --view 2d --opt sgd:lr=0 --steps 1 --size 640x360 --screenshot "$TMP/none.png"
check_ok --landscape "$TMP/surf.h5" --view 2d --opt sgd:lr=0 --steps 1 --size 640x360 --trajectory "$TMP/left.h5" --screenshot "$TMP/left.png"
check_ok --landscape "$TMP/surf.h5" --view 2d --opt sgd:lr=0 --steps 1 --size 640x360 --trajectory "$TMP/right.h5" --screenshot "$TMP/right.png"
check_ok --landscape "$TMP/surf.h5" --view 3d --opt sgd:lr=0 --steps 1 --size 640x360 --trajectory "$TMP/right.h5" --screenshot "$TMP/right3d.png"
where=$(/usr/bin/python3 - "$TMP" <<'PY'
import sys, numpy as np
from PIL import Image
d = sys.argv[1]
im = lambda n: np.asarray(Image.open(f"{d}/{n}.png").convert("RGB")).astype(int)
none = im("none")
for n in ("left", "right"):
    a = im(n)
    diff = np.abs(a - none).sum(axis=2) > 60
    light = a.min(axis=2) > 200
    ys, xs = np.nonzero(diff[:, :370] & light[:, :370])      # the map (the side column starts at ~380)
    side = int(diff[:, 380:].sum())
    print(n, len(xs), round(float(xs.mean())) if len(xs) else -1, side)
PY
)
read -r _ nl xl sl _ nr xr sr <<<"$(echo $where)"
check_true "recorded runs drawn: left.h5 at x $xl ($nl light px), right.h5 at x $xr ($nr px): $where" \
  awk -v nl="$nl" -v xl="$xl" -v nr="$nr" -v xr="$xr" 'BEGIN { exit !(nl > 100 && nr > 100 && xl < 160 && xr > 250) }'
check_true "the legend gains the recorded run ($sl, $sr pixels differ in the side column)" \
  awk -v a="$sl" -v b="$sr" 'BEGIN { exit !(a > 200 && b > 200) }'

# Malformed files: exit 2, one line naming the dataset.
check_error 2 "dataset 'proj_ycoord' is missing" --landscape "$TMP/surf.h5" --trajectory "$TMP/noy.h5" --screenshot "$TMP/x.png"
check_error 2 "dataset 'proj_xcoord': rank 2, expected 1" --landscape "$TMP/surf.h5" --trajectory "$TMP/rank2.h5" --screenshot "$TMP/x.png"
check_error 2 "dataset 'proj_ycoord' has 20 values, 'proj_xcoord' 25" --landscape "$TMP/surf.h5" --trajectory "$TMP/short.h5" --screenshot "$TMP/x.png"
check_error 2 "dataset 'proj_ycoord' value 4 is not finite" --landscape "$TMP/surf.h5" --trajectory "$TMP/inf.h5" --screenshot "$TMP/x.png"
check_error 2 "dataset 'proj_xcoord' is not numeric" --landscape "$TMP/surf.h5" --trajectory "$TMP/strings.h5" --screenshot "$TMP/x.png"
check_error 2 "surf.h5: dataset 'proj_xcoord' is missing" --landscape "$TMP/surf.h5" --trajectory "$TMP/surf.h5" --screenshot "$TMP/x.png"
check_error 2 "--trajectory: is drawn" --landscape "$TMP/surf.h5" --trajectory "$TMP/left.h5" --headless --steps 1
check_error 2 "a data problem's view plane" --data moons --trajectory "$TMP/left.h5" --screenshot "$TMP/x.png"
[[ -e $TMP/x.png ]] && fail "a refused trajectory left a screenshot" || pass
finish
