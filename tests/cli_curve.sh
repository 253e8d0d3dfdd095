# 1-D loss-landscape files (xcoordinates and a 1-D dataset) are drawn as a true curve
# (loss over x, render/curve.c), not as a surface stretched along y: the screenshot's
# plot has no colour-map pixels, and the curve's lowest point is where the file's
# minimum is. Skipped (77) without h5py, PIL or HDF5 in this build.
source "$(dirname "$0")/lib/cli.sh"
/usr/bin/python3 -c 'import h5py, numpy, PIL' 2>/dev/null || { echo "h5py/PIL missing (bash scripts/setup.sh test)"; exit 77; }
"$LOSSCAPE" --landscape /nonexistent.h5 --headless --steps 1 2>&1 | grep -q 'no HDF5 support' &&
  { echo "built without HDF5"; exit 77; }
/usr/bin/python3 - "$TMP" <<'PY'
import sys, h5py, numpy as np
x = np.linspace(-1, 1, 41)
with h5py.File(sys.argv[1] + "/curve.h5", "w") as f:
    f["xcoordinates"] = x; f["train_loss"] = (x - 0.3)**2 + 0.1
PY
for v in 2d 3d split; do   # every view shows the curve
  check_ok --landscape "$TMP/curve.h5" --view $v --opt sgd:lr=0 --start 0.3,0 --steps 1 --size 640x360 --screenshot "$TMP/$v.png"
done
# An optimizer on the curve still runs (the 1-D file's minimum at x = 0.3).
c=$("$LOSSCAPE" --landscape "$TMP/curve.h5" --headless --steps 300 --opt adam:lr=0.02 --csv - | tail -1 | cut -d, -f4)
check_true "adam ends at x = 0.3 on the curve ($c)" awk -v v="$c" 'BEGIN { exit !((v-0.3)^2 < 1e-6) }'
for v in 2d 3d; do
  got=$(/usr/bin/python3 - "$TMP/$v.png" <<'PY'
import sys, numpy as np
from PIL import Image
a = np.asarray(Image.open(sys.argv[1]).convert("RGB")).astype(int)[60:330, :370]   # the plot, not title or side column
sat = a.max(axis=2) - a.min(axis=2)
colourful = float((sat > 60).mean())                      # a colour map fills the panel with these
light = a.min(axis=2) > 200
cols = np.nonzero(light.any(axis=0))[0]
low = max(range(len(cols)), key=lambda k: np.nonzero(light[:, cols[k]])[0].max())
print(f"{colourful:.4f} {(cols[low] - cols[0]) / (cols[-1] - cols[0]):.3f}")
PY
)
  read -r colourful where <<<"$got"
  check_true "--view $v: a curve, not a surface ($colourful of the plot coloured), lowest at $where of its width (0.65)" \
    awk -v c="$colourful" -v w="$where" 'BEGIN { exit !(c < 0.03 && w > 0.62 && w < 0.68) }'
done
finish
