/*
 * axis.h — the value axis of a plot, chosen from the values it must show (issue 9
 * #7: a loss plot stays useful at the extremes).
 *
 * Feed every value with axis_add (non-finite ones are ignored), then axis_fit:
 *   - every value > 0          log10 axis from the smallest value (`low`) to the
 *                              largest, over every decade the values span, up to
 *                              AXIS_LOG_DECADES: a run going on down to 1e-30 keeps
 *                              falling across the plot instead of lying flat on a
 *                              floor; values further down than that sit on `low`
 *                              (`clamped` says there were some);
 *   - values ≥ 0, some exactly 0   the same, with a floor band under `low`: zeros
 *                              sit on `floor`, AXIS_ZERO_BAND of the height (at least
 *                              one decade) below `low`, apart from every positive value;
 *   - some value < 0           symmetric log: sign(v)·log10(1 + |v|/c), c the
 *                              smallest non-zero |v| (at most AXIS_LOG_DECADES decades
 *                              below the largest |v|), linear near 0;
 *   - every value exactly 0    linear from 0 to 1, the values on the bottom line (a
 *                              frozen run's rate: not ±1e-12 of nothing);
 *   - linear = 1 (accuracy)    a plain linear axis.
 * axis_map takes a value to 0 (bottom) .. 1 (top); axis_unmap does the reverse for
 * tick labels. The caller decides which values to feed: a diverged or escaped run
 * is left out so its 4e231 cannot set everyone's scale.
 *
 * Index
 *     axis_kind, axis, axis_begin(a), axis_add(a, v), axis_fit(a, linear)
 *     axis_map(a, v), axis_unmap(a, t), axis_kind_name(k)
 */
#ifndef LOSSCAPE_AXIS_H
#define LOSSCAPE_AXIS_H

/* The most decades a log axis spans: more than the 31 between a loss of 100 and
 * double-precision convergence (1e-29), so such a run is drawn to its end. */
#define AXIS_LOG_DECADES 40
/* The share of a log axis' height under its smallest positive value where zeros sit. */
#define AXIS_ZERO_BAND 0.08

typedef enum axis_kind { AXIS_LINEAR, AXIS_LOG, AXIS_SYMLOG } axis_kind;

typedef struct axis {
    axis_kind kind;
    double lo, hi;          /* range in transformed units (log10 v, symlog v or v) */
    double floor;           /* AXIS_LOG: the bottom: zeros are drawn here */
    double low;             /* AXIS_LOG: the smallest positive value drawn as itself */
    int zeros;              /* AXIS_LOG: exact zeros sit on floor, below low */
    int clamped;            /* AXIS_LOG: positive values under low sit on low */
    double c;               /* AXIS_SYMLOG: linear threshold */
    /* what axis_add has seen */
    int n;
    double vmin, vmax;      /* finite values */
    double pos_min;         /* smallest value > 0 */
    double abs_max, abs_min;/* largest |v|, smallest non-zero |v| */
} axis;

void axis_begin(axis *a);
void axis_add(axis *a, double v);
/* Choose kind and range. Returns 0 if no finite value was added (nothing to draw). */
int axis_fit(axis *a, int linear);
double axis_map(const axis *a, double v);
double axis_unmap(const axis *a, double t);
const char *axis_kind_name(axis_kind k);

#endif
