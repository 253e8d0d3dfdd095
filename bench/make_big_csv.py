#!/usr/bin/env python3
"""make_big_csv.py — a large two-feature classification CSV for the data benchmarks.

    python3 bench/make_big_csv.py OUT.csv [ROWS]     (ROWS default 1000000)

Columns x1,x2,label: two Gaussian blobs (centres (-1, -1) and (1, 1), deviation 1,
labels 0 and 1 alternating), seeded, so the same file every time. Used for
`losscape --headless --data OUT.csv --model logistic --loss ce --batch 64 --steps 100`
and `--bench 100` with the same data (README, "Large data sets").
"""
import random
import sys


def main():
    if len(sys.argv) not in (2, 3):
        sys.stderr.write("usage: make_big_csv.py OUT.csv [ROWS]\n")
        return 2
    rows = int(sys.argv[2]) if len(sys.argv) == 3 else 1000000
    rng = random.Random(1)
    with open(sys.argv[1], "w") as f:
        f.write("x1,x2,label\n")
        out = []
        for i in range(rows):
            c = i & 1
            m = 1.0 if c else -1.0
            out.append("%.6f,%.6f,%d\n" % (m + rng.gauss(0, 1), m + rng.gauss(0, 1), c))
            if len(out) == 65536:
                f.write("".join(out))
                out = []
        f.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
