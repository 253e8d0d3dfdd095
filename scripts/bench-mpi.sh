#!/usr/bin/env bash
# bench-mpi.sh [GRID] [DATA] [MODEL] — --compute-landscape of a data problem's grid,
# measured side by side in one run (the machine is shared: compare the ratios):
#
#   1 rank  x 1 thread    the baseline
#   2 ranks x 1 thread    what MPI buys on two cores (on a cluster: two machines)
#   1 rank  x 2 threads   OpenMP alone on the same two cores, for comparison
#
# Defaults: a 128x128 grid of mlp:hidden=16x16 on moons:n=2000. Each configuration
# runs REPS times (default 3) and keeps its fastest; "compute" is the slowest rank's
# time in the grid (what losscape prints), "rank CPU" the busiest rank's CPU seconds
# in the grid (its share of the work: on a loaded machine the wall times hide what
# idle cores would give, this does not), "wall" the whole command (start-up of
# mpirun and of every rank, the data set, the gather and the file included). The
# files of every configuration are checked equal value for value (h5py), since a
# faster wrong grid is worth nothing.
#
# Environment: LOSSCAPE (default build/losscape), REPS, MPIRUN (default mpirun).
set -euo pipefail
cd "$(dirname "$0")/.."
grid=${1:-128}
data=${2:-moons:n=2000,noise=0.1}
model=${3:-mlp:hidden=16x16}
bin=${LOSSCAPE:-build/losscape}
reps=${REPS:-3}
mpirun=${MPIRUN:-mpirun}
[[ -x $bin ]] || { echo "bench-mpi: $bin not built (bash scripts/build.sh)" >&2; exit 1; }
command -v "$mpirun" >/dev/null ||
  { echo "bench-mpi: $mpirun not found (apt-get install openmpi-bin libopenmpi-dev, then rebuild)" >&2; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1   # harmless when not root
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run NAME RANKS THREADS: best compute, CPU and wall seconds of REPS runs into
# $best_c $best_u $best_w
run() {
  local name=$1 np=$2 th=$3 out t0 t1 c u w
  best_c= best_u= best_w=
  for ((k = 0; k < reps; k++)); do
    t0=$(date +%s.%N)
    out=$(OMP_NUM_THREADS=$th "$mpirun" --oversubscribe --bind-to none -x OMP_NUM_THREADS -np "$np" \
          "$bin" --compute-landscape --data "$data" --model "$model" --opt sgd --grid "$grid" \
          --export-surface "$tmp/$name.h5" 2>&1) || { echo "bench-mpi: $name failed: $out" >&2; exit 1; }
    t1=$(date +%s.%N)
    grep -q "$np rank" <<<"$out" || { echo "bench-mpi: $name: expected $np ranks: $out" >&2; exit 1; }
    c=$(grep -oE '[0-9.]+ s computing' <<<"$out" | cut -d' ' -f1)
    u=$(grep -oE 'used [0-9.]+ s of CPU' <<<"$out" | cut -d' ' -f2)
    w=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    if [[ -z $best_c ]] || awk -v a="$c" -v b="$best_c" 'BEGIN { exit !(a < b) }'; then best_c=$c; fi
    if [[ -z $best_u ]] || awk -v a="$u" -v b="$best_u" 'BEGIN { exit !(a < b) }'; then best_u=$u; fi
    if [[ -z $best_w ]] || awk -v a="$w" -v b="$best_w" 'BEGIN { exit !(a < b) }'; then best_w=$w; fi
  done
}

echo "bench-mpi: --compute-landscape --grid $grid --data $data --model $model (best of $reps)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run r1t1 1 1; c11=$best_c u11=$best_u w11=$best_w
run r2t1 2 1; c21=$best_c u21=$best_u w21=$best_w
run r1t2 1 2; c12=$best_c u12=$best_u w12=$best_w
printf '%-22s %10s %8s %12s %8s %10s %8s\n' configuration "compute s" ratio "rank CPU s" ratio "wall s" ratio
row() { awk -v n="$1" -v c="$2" -v u="$3" -v w="$4" -v c0="$c11" -v u0="$u11" -v w0="$w11" \
          'BEGIN { printf "%-22s %10.3f %7.2fx %12.3f %7.2fx %10.3f %7.2fx\n", n, c, c0 / c, u, u0 / u, w, w0 / w }'; }
row "1 rank  x 1 thread" "$c11" "$u11" "$w11"
row "2 ranks x 1 thread" "$c21" "$u21" "$w21"
row "1 rank  x 2 threads" "$c12" "$u12" "$w12"
if /usr/bin/python3 -c 'import h5py' 2>/dev/null; then
  /usr/bin/python3 - "$tmp" <<'PY' || { echo "bench-mpi: the grids DIFFER" >&2; exit 1; }
import sys, h5py
d = sys.argv[1]
z = [h5py.File(f"{d}/{n}.h5", "r")["train_loss"][:].tobytes() for n in ("r1t1", "r2t1", "r1t2")]
sys.exit(0 if z[0] == z[1] == z[2] else 1)
PY
  echo "the three grids are identical, value for value"
else
  echo "(h5py missing: the grids were not compared)"
fi
