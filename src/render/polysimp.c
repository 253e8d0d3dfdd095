/*
 * polysimp.c — polylines reduced for drawing. See polysimp.h.
 *
 * The path (sleeve fitting, after Zhao and Saalfeld): from the last kept point A,
 * the path may go on straight as long as one direction from A passes within tol of
 * every point since A. Point P at distance d > tol from A allows the directions
 * within asin(tol/d) of A→P's; the cone of directions allowed so far is the
 * intersection of these, held as its two edge vectors (each cone is narrower than
 * a half turn, so which edge is tighter is the sign of a cross product: no angles,
 * no wrap-around). P extends the current piece if its own direction lies in the
 * cone (then every point since A lies within tol of the line A→P) and it is not
 * nearer A than the farthest one by more than tol (the path does not turn back
 * along its line); else the point before P is kept and becomes A. While every
 * point since A is within tol of it, any point fits (A is an end of whatever
 * piece follows); a point within tol of A after a farther one must pass both
 * tests too (it may end the piece: the piece's direction is its own).
 */
#include "render/polysimp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void at(const void *xy, size_t stride, int i, float *x, float *y)
{
    const float *p = (const float *)(const void *)((const char *)xy + (size_t)i * stride);
    *x = p[0];
    *y = p[1];
}

static int finite_at(const void *xy, size_t stride, int i)
{
    float x, y;
    at(xy, stride, i, &x, &y);
    return isfinite(x) && isfinite(y);
}

int polysimp_path(const void *xy, size_t stride, int n, float tol, int *keep)
{
    int m = 0, last = -1;
    for (int i = n - 1; i >= 0 && last < 0; i--)
        if (finite_at(xy, stride, i))
            last = i;
    if (last < 0)
        return 0;
    int a = 0;
    while (!finite_at(xy, stride, a))
        a++;
    keep[m++] = a;
    if (a == last)
        return m;
    float ax, ay;
    at(xy, stride, a, &ax, &ay);
    int cone = 0, prev = a;
    float lox = 0, loy = 0, hix = 0, hiy = 0, dmax = 0;
    for (int i = a + 1; i <= last; i++) {
        float px, py;
        at(xy, stride, i, &px, &py);
        if (!(isfinite(px) && isfinite(py)))
            continue;
        float vx = px - ax, vy = py - ay, d = sqrtf(vx * vx + vy * vy);
        if (!(d <= tol && dmax <= tol)) {   /* else every point so far is within tol of A */
            int fits = d >= dmax - tol &&
                       (!cone || (lox * vy - loy * vx >= 0 && vx * hiy - vy * hix >= 0));
            if (!fits) {
                /* the piece ends at the point before: it is kept and the new start */
                keep[m++] = prev;
                a = prev;
                at(xy, stride, a, &ax, &ay);
                cone = 0;
                dmax = 0;
                i = prev;   /* the loop's i++ takes P again, from the new start */
                continue;
            }
        }
        if (d > tol) {
            /* the directions within asin(tol/d) of v: v rotated by ∓ that angle */
            float ux = vx / d, uy = vy / d, s = tol / d, c = sqrtf(1.0f - s * s);
            float lx = ux * c + uy * s, ly = -ux * s + uy * c;
            float hx = ux * c - uy * s, hy = ux * s + uy * c;
            if (!cone) {
                lox = lx, loy = ly, hix = hx, hiy = hy;
                cone = 1;
            } else {
                if (lox * ly - loy * lx > 0)   /* the new lower edge is inside: tighter */
                    lox = lx, loy = ly;
                if (hx * hiy - hy * hix > 0)   /* the new upper edge is inside */
                    hix = hx, hiy = hy;
            }
            dmax = d > dmax ? d : dmax;
        }
        prev = i;
    }
    keep[m++] = last;
    return m;
}

int polysimp_path_capped(const void *xy, size_t stride, int n, float tol, int cap, int *keep,
                         float *tol_used)
{
    int m = polysimp_path(xy, stride, n, tol, keep);
    /* each doubling at least halves a dense path's points; 40 doublings take any
     * finite float extent to one piece */
    for (int k = 0; m > cap && k < 40; k++) {
        tol *= 2.0f;
        m = polysimp_path(xy, stride, n, tol, keep);
    }
    if (tol_used)
        *tol_used = tol;
    return m;
}

/* ==== Segments under later ones ==== */

int polysimp_grid_begin(polysimp_grid *g, int w, int h)
{
    w = w > 1 ? w : 1;
    h = h > 1 ? h : 1;
    if (!g->mark || g->w != w || g->h != h) {
        free(g->mark);
        g->mark = calloc((size_t)w * (size_t)h, sizeof *g->mark);
        g->w = g->mark ? w : 0;
        g->h = g->mark ? h : 0;
        g->stamp = 0;
        if (!g->mark)
            return 0;
    }
    if (++g->stamp > 0xffffu) {   /* the stamps wrapped: clear once in 65535 paths */
        memset(g->mark, 0, (size_t)g->w * (size_t)g->h * sizeof *g->mark);
        g->stamp = 1;
    }
    return 1;
}

void polysimp_grid_free(polysimp_grid *g)
{
    free(g->mark);
    memset(g, 0, sizeof *g);
}

/* Segment a → b's centre-line samples, a pixel apart, both ends included: their
 * count, and the step in *sx, *sy. */
static int samples(float ax, float ay, float bx, float by, float *sx, float *sy)
{
    float dx = bx - ax, dy = by - ay, len = fmaxf(fabsf(dx), fabsf(dy));
    int ns = (int)ceilf(len) + 1;
    *sx = ns > 1 ? dx / (float)(ns - 1) : 0;
    *sy = ns > 1 ? dy / (float)(ns - 1) : 0;
    return ns;
}

/* The segment that marked every sample of a → b (the one at its middle), or −1
 * where a sample is not marked (−2: none inside the frame). */
static int covered(const polysimp_grid *g, float ax, float ay, float bx, float by)
{
    float sx, sy;
    int ns = samples(ax, ay, bx, by, &sx, &sy), by_seg = -2;
    for (int s = 0; s < ns; s++) {
        float x = ax + sx * (float)s, y = ay + sy * (float)s;
        if (!(x >= 0 && y >= 0 && x < (float)g->w && y < (float)g->h))
            continue;   /* outside the frame: nothing drawn there */
        unsigned v = g->mark[(size_t)(int)y * (size_t)g->w + (size_t)(int)x];
        if (v >> 16 != g->stamp)
            return -1;
        if (by_seg == -2 || s <= ns / 2)
            by_seg = (int)(v & 0xffffu);
    }
    return by_seg;
}

static void mark(polysimp_grid *g, float ax, float ay, float bx, float by, int seg)
{
    float sx, sy;
    int ns = samples(ax, ay, bx, by, &sx, &sy);
    unsigned v = g->stamp << 16 | (unsigned)seg;
    for (int s = 0; s < ns; s++) {
        float x = ax + sx * (float)s, y = ay + sy * (float)s;
        if (!(x >= -1 && y >= -1 && x < (float)g->w + 1 && y < (float)g->h + 1))
            continue;
        int px = (int)floorf(x), py = (int)floorf(y);
        for (int j = py - 1; j <= py + 1; j++) {
            if (j < 0 || j >= g->h)
                continue;
            unsigned *row = g->mark + (size_t)j * (size_t)g->w;
            for (int i = px - 1; i <= px + 1; i++)
                if (i >= 0 && i < g->w)
                    row[i] = v;
        }
    }
}

int polysimp_covered(polysimp_grid *g, const void *xy, size_t stride, int n, int *under)
{
    int drawn = 0;
    for (int k = n - 2; k >= 0; k--) {
        float ax, ay, bx, by;
        at(xy, stride, k, &ax, &ay);
        at(xy, stride, k + 1, &bx, &by);
        under[k] = -1;
        if (!(isfinite(ax) && isfinite(ay) && isfinite(bx) && isfinite(by))) {
            drawn++;
            continue;
        }
        /* a segment shorter than POLYSIMP_COVER_MIN is drawn: the marks of the ones
         * just after it would cover it wherever the path goes on (a curve) */
        float len2 = (bx - ax) * (bx - ax) + (by - ay) * (by - ay);
        int c = n <= POLYSIMP_COVER_MAX && len2 >= POLYSIMP_COVER_MIN * POLYSIMP_COVER_MIN
                    ? covered(g, ax, ay, bx, by)
                    : -1;
        if (c == -2) {   /* wholly outside the frame: drawn (clipped: no cost), no mark */
            drawn++;
            continue;
        }
        under[k] = c;
        if (c < 0) {
            mark(g, ax, ay, bx, by, k);
            drawn++;
        }
    }
    return drawn;
}
