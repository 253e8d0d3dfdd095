/*
 * axis.c — a plot's value axis. See axis.h.
 */
#include "core/axis.h"

#include <math.h>

void axis_begin(axis *a)
{
    *a = (axis){ .vmin = INFINITY, .vmax = -INFINITY, .pos_min = INFINITY, .abs_min = INFINITY };
}

void axis_add(axis *a, double v)
{
    if (!isfinite(v))
        return;
    a->n++;
    a->vmin = fmin(a->vmin, v);
    a->vmax = fmax(a->vmax, v);
    if (v > 0)
        a->pos_min = fmin(a->pos_min, v);
    double m = fabs(v);
    a->abs_max = fmax(a->abs_max, m);
    if (m > 0)
        a->abs_min = fmin(a->abs_min, m);
}

static double symlog(double v, double c)
{
    return copysign(log10(1 + fabs(v) / c), v);
}

static double transform(const axis *a, double v)
{
    if (a->kind == AXIS_LOG)
        return v > 0 ? log10(fmax(v, a->low)) : log10(a->floor);
    if (a->kind == AXIS_SYMLOG)
        return symlog(v, a->c);
    return v;
}

int axis_fit(axis *a, int linear)
{
    if (a->n == 0) {
        a->kind = AXIS_LINEAR;
        a->lo = 0, a->hi = 1;
        return 0;
    }
    double span = pow(10, -AXIS_LOG_DECADES);
    if (linear) {
        a->kind = AXIS_LINEAR;
    } else if (a->vmin >= 0 && a->vmax > 0) {
        a->kind = AXIS_LOG;
        a->low = fmax(a->pos_min, a->vmax * span);
        a->clamped = a->pos_min < a->low;
        a->zeros = a->vmin == 0;
        /* the zero band: AXIS_ZERO_BAND of the whole height, at least one decade */
        double dec = log10(a->vmax) - log10(a->low);
        double band = a->zeros ? fmax(1.0, dec * AXIS_ZERO_BAND / (1 - AXIS_ZERO_BAND)) : 0;
        a->floor = a->low * pow(10, -band);
    } else if (a->vmin < 0) {
        a->kind = AXIS_SYMLOG;
        a->c = fmax(a->abs_min, a->abs_max * span);
    } else {
        a->kind = AXIS_LINEAR;   /* every value is 0 */
    }
    a->lo = transform(a, a->vmin);
    a->hi = transform(a, a->vmax);
    if (!linear && a->vmin == 0 && a->vmax == 0) {   /* every value 0 (a frozen run's rate) */
        a->lo = 0;
        a->hi = 1;
        return 1;
    }
    if (a->hi - a->lo < 1e-12 * fmax(1, fabs(a->hi))) {
        double pad = a->kind == AXIS_LINEAR ? fmax(fabs(a->hi) * 0.1, 1e-12) : 0.5;
        a->lo -= pad;
        a->hi += pad;
        if (a->kind == AXIS_LOG && !a->zeros)
            a->floor = a->low = fmin(a->low, pow(10, a->lo));
    }
    return 1;
}

double axis_map(const axis *a, double v)
{
    double t = (transform(a, v) - a->lo) / (a->hi - a->lo);
    return isfinite(t) ? t : (v > 0 ? 1 : 0);
}

double axis_unmap(const axis *a, double t)
{
    double u = a->lo + t * (a->hi - a->lo);
    if (a->kind == AXIS_LOG)
        return pow(10, u);
    if (a->kind == AXIS_SYMLOG)
        return copysign((pow(10, fabs(u)) - 1) * a->c, u);
    return u;
}

const char *axis_kind_name(axis_kind k)
{
    return k == AXIS_LOG ? "log" : k == AXIS_SYMLOG ? "symlog" : "linear";
}
