// compare-csv.js A B RELTOL — the two CSV files have the same shape and the same
// text in every non-numeric field; numeric fields agree within RELTOL relative
// (|a − b| / max(|a|, |b|, 1): absolute below 1, where positions near a minimum at 0
// have no relative scale). Prints the
// largest relative difference seen, and the first field out of tolerance.
'use strict';
const fs = require('fs');
const [a, b, tolArg] = process.argv.slice(2);
const tol = Number(tolArg);
const A = fs.readFileSync(a, 'utf8').split('\n'), B = fs.readFileSync(b, 'utf8').split('\n');
if (A.length !== B.length) { console.log(`${a}: ${A.length} lines, ${b}: ${B.length}`); process.exit(1); }
let worst = 0, differing = 0;
for (let i = 0; i < A.length; i++) {
  if (A[i] === B[i]) continue;
  differing++;
  const fa = A[i].split(','), fb = B[i].split(',');
  if (fa.length !== fb.length) { console.log(`line ${i + 1}: ${fa.length} fields vs ${fb.length}`); process.exit(1); }
  for (let j = 0; j < fa.length; j++) {
    if (fa[j] === fb[j]) continue;
    const x = Number(fa[j]), y = Number(fb[j]);
    if (fa[j] === '' || fb[j] === '' || !Number.isFinite(x) || !Number.isFinite(y)) {
      console.log(`line ${i + 1} field ${j + 1}: '${fa[j]}' vs '${fb[j]}'`); process.exit(1);
    }
    const rel = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1);
    worst = Math.max(worst, rel);
    if (rel > tol) { console.log(`line ${i + 1} field ${j + 1}: ${fa[j]} vs ${fb[j]} (relative ${rel.toExponential(2)} > ${tol})`); process.exit(1); }
  }
}
console.log(`${differing} of ${A.length} lines differ; largest relative difference ${worst.toExponential(2)} (tolerance ${tol})`);
