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
