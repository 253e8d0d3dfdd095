/*
 * figure_contour.c — marching squares, chaining, Douglas–Peucker. Contracts in
 * figure_contour.h.
 *
 * Every crossing lies on a grid edge, and every edge is shared by at most two
 * cells, so each crossing belongs to at most two segments: chaining follows the
 * segments through their shared edges, first from the open ends (lines that leave
 * the grid), then around the loops that remain.
 */
#include "record/figure_contour.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct seg { int e[2]; } seg;

typedef struct tracer {
    int nx, ny, n_edges;
    double *ex;          /* crossing point of each edge (x, y), valid where used */
    int *link;           /* two segment indices per edge, −1 where none */
    seg *segs;
    int n_segs, cap_segs;
    unsigned char *seen;
} tracer;

static int h_edge(const tracer *t, int i, int j) { return j * (t->nx - 1) + i; }
static int v_edge(const tracer *t, int i, int j) { return t->ny * (t->nx - 1) + j * t->nx + i; }

static int add_seg(tracer *t, int a, int b)
{
    if (t->n_segs == t->cap_segs) {
        int cap = t->cap_segs ? t->cap_segs * 2 : 1024;
        seg *s = realloc(t->segs, (size_t)cap * sizeof *s);
        if (!s)
            return 0;
        t->segs = s;
        t->cap_segs = cap;
    }
    int k = t->n_segs++;
    t->segs[k].e[0] = a;
    t->segs[k].e[1] = b;
    for (int end = 0; end < 2; end++) {
        int e = end ? b : a;
        if (t->link[2 * e] < 0)
            t->link[2 * e] = k;
        else
            t->link[2 * e + 1] = k;
    }
    return 1;
}

static void set_cross(tracer *t, int e, double x0, double y0, double v0, double x1, double y1, double v1,
                      double level)
{
    double s = (level - v0) / (v1 - v0);
    t->ex[2 * e] = x0 + s * (x1 - x0);
    t->ex[2 * e + 1] = y0 + s * (y1 - y0);
}

/* Douglas–Peucker on p[0..n−1] (pairs) in place; returns the new count. */
static int thin(double *p, int n, double tol, unsigned char *keep, int *stack)
{
    if (n <= 2 || tol <= 0)
        return n;
    memset(keep, 0, (size_t)n);
    keep[0] = keep[n - 1] = 1;
    int sp = 0;
    stack[sp++] = 0;
    stack[sp++] = n - 1;
    while (sp > 0) {
        int b = stack[--sp], a = stack[--sp];
        double ax = p[2 * a], ay = p[2 * a + 1], dx = p[2 * b] - ax, dy = p[2 * b + 1] - ay;
        double len = hypot(dx, dy), worst = -1;
        int wi = -1;
        for (int k = a + 1; k < b; k++) {
            double qx = p[2 * k] - ax, qy = p[2 * k + 1] - ay;
            double dist = len > 0 ? fabs(qx * dy - qy * dx) / len : hypot(qx, qy);
            if (dist > worst)
                worst = dist, wi = k;
        }
        if (wi >= 0 && worst > tol) {
            keep[wi] = 1;
            stack[sp++] = a;
            stack[sp++] = wi;
            stack[sp++] = wi;
            stack[sp++] = b;
        }
    }
    int m = 0;
    for (int k = 0; k < n; k++)
        if (keep[k]) {
            p[2 * m] = p[2 * k];
            p[2 * m + 1] = p[2 * k + 1];
            m++;
        }
    return m;
}

void contour_lines_free(contour_lines *cl)
{
    free(cl->start);
    free(cl->closed);
    free(cl->pts);
    memset(cl, 0, sizeof *cl);
}

int contour_trace(const double *v, int nx, int ny, double level, double tol, contour_lines *out)
{
    memset(out, 0, sizeof *out);
    tracer t = { .nx = nx, .ny = ny };
    t.n_edges = ny * (nx - 1) + (ny - 1) * nx;
    t.ex = malloc((size_t)t.n_edges * 2 * sizeof *t.ex);
    t.link = malloc((size_t)t.n_edges * 2 * sizeof *t.link);
    int ok = t.ex && t.link;
    if (ok)
        for (int k = 0; k < 2 * t.n_edges; k++)
            t.link[k] = -1;
    for (int j = 0; ok && j < ny - 1; j++)
        for (int i = 0; ok && i < nx - 1; i++) {
            double a = v[j * nx + i], b = v[j * nx + i + 1], c = v[(j + 1) * nx + i + 1],
                   d = v[(j + 1) * nx + i];
            int code = (a >= level) | (b >= level) << 1 | (c >= level) << 2 | (d >= level) << 3;
            if (code == 0 || code == 15)
                continue;
            /* edges: 0 bottom (a-b), 1 right (b-c), 2 top (d-c), 3 left (a-d) */
            int e[4] = { h_edge(&t, i, j), v_edge(&t, i + 1, j), h_edge(&t, i, j + 1), v_edge(&t, i, j) };
            if ((a >= level) != (b >= level))
                set_cross(&t, e[0], i, j, a, i + 1, j, b, level);
            if ((b >= level) != (c >= level))
                set_cross(&t, e[1], i + 1, j, b, i + 1, j + 1, c, level);
            if ((d >= level) != (c >= level))
                set_cross(&t, e[2], i, j + 1, d, i + 1, j + 1, c, level);
            if ((a >= level) != (d >= level))
                set_cross(&t, e[3], i, j, a, i, j + 1, d, level);
            int s0 = -1, s1 = -1, s2 = -1, s3 = -1;   /* up to two segments: edge pairs */
            switch (code) {
            case 1: case 14: s0 = 3, s1 = 0; break;
            case 2: case 13: s0 = 0, s1 = 1; break;
            case 3: case 12: s0 = 3, s1 = 1; break;
            case 4: case 11: s0 = 1, s1 = 2; break;
            case 6: case 9:  s0 = 0, s1 = 2; break;
            case 7: case 8:  s0 = 3, s1 = 2; break;
            case 5: case 10: {
                int centre_in = (a + b + c + d) / 4 >= level;
                /* 5: a and c inside. Centre inside: a and c joined, cut the b and d corners. */
                if ((code == 5) == centre_in)
                    s0 = 0, s1 = 1, s2 = 2, s3 = 3;   /* cut corners b (0-1) and d (2-3) */
                else
                    s0 = 3, s1 = 0, s2 = 1, s3 = 2;   /* cut corners a (3-0) and c (1-2) */
                break;
            }
            }
            ok = add_seg(&t, e[s0], e[s1]);
            if (ok && s2 >= 0)
                ok = add_seg(&t, e[s2], e[s3]);
        }
    /* chain */
    int *start = NULL, *closed = NULL;
    double *pts = NULL;
    int n_lines = 0, n_pts = 0;
    unsigned char *keep = NULL;
    int *stack = NULL;
    if (ok && t.n_segs > 0) {
        t.seen = calloc((size_t)t.n_segs, 1);
        start = malloc(((size_t)t.n_segs + 1) * sizeof *start);
        closed = malloc((size_t)t.n_segs * sizeof *closed);
        pts = malloc(((size_t)t.n_segs * 2 + 2) * 2 * sizeof *pts);
        keep = malloc((size_t)t.n_segs * 2 + 2);
        stack = malloc(((size_t)t.n_segs * 2 + 2) * 2 * sizeof *stack);
        ok = t.seen && start && closed && pts && keep && stack;
    }
    for (int pass = 0; ok && pass < 2; pass++)
        for (int s = 0; s < t.n_segs; s++) {
            if (t.seen[s])
                continue;
            int e = t.segs[s].e[0];
            if (pass == 0) {   /* open lines start at an edge with one segment */
                int e1 = t.segs[s].e[1];
                if (t.link[2 * e + 1] >= 0 && t.link[2 * e1 + 1] >= 0)
                    continue;
                if (t.link[2 * e + 1] >= 0)
                    e = e1;
            }
            int first = n_pts;
            start[n_lines] = first;
            pts[2 * n_pts] = t.ex[2 * e];
            pts[2 * n_pts + 1] = t.ex[2 * e + 1];
            n_pts++;
            int cur = s;
            while (cur >= 0) {
                t.seen[cur] = 1;
                int other = t.segs[cur].e[0] == e ? t.segs[cur].e[1] : t.segs[cur].e[0];
                pts[2 * n_pts] = t.ex[2 * other];
                pts[2 * n_pts + 1] = t.ex[2 * other + 1];
                n_pts++;
                int nxt = t.link[2 * other] == cur ? t.link[2 * other + 1] : t.link[2 * other];
                e = other;
                cur = nxt >= 0 && !t.seen[nxt] ? nxt : -1;
            }
            closed[n_lines] = pass == 1;
            n_pts = first + thin(pts + 2 * first, n_pts - first, tol, keep, stack);
            n_lines++;
        }
    if (ok && n_lines > 0) {
        start[n_lines] = n_pts;
        out->n_lines = n_lines;
        out->start = start;
        out->closed = closed;
        out->pts = pts;
        out->n_pts = n_pts;
        start = closed = NULL;
        pts = NULL;
    }
    free(start);
    free(closed);
    free(pts);
    free(keep);
    free(stack);
    free(t.seen);
    free(t.segs);
    free(t.ex);
    free(t.link);
    return ok;
}
