/*
 * fan.c — markers on one spot fanned around it (see fan.h).
 */
#include "render/fan.h"

#include <math.h>

float fan_near(float rad) { return 1.5f * rad + 2.0f; }

/* Union–find root of k (path halving). */
static int root(int *parent, int k)
{
    while (parent[k] != k)
        k = parent[k] = parent[parent[k]];
    return k;
}

/* The assignment of k markers to k slots of least total cost (Hungarian method,
 * potentials; O(k³)): c is k×k row-major, cost of marker i in slot j; slot_of[i]
 * receives marker i's slot. */
static void assign(const double *c, int k, int *slot_of)
{
    double u[FAN_MAX + 1] = { 0 }, v[FAN_MAX + 1] = { 0 }, minv[FAN_MAX + 1];
    int p[FAN_MAX + 1] = { 0 }, way[FAN_MAX + 1] = { 0 }, used[FAN_MAX + 1];
    for (int i = 1; i <= k; i++) {
        p[0] = i;
        int j0 = 0;
        for (int j = 0; j <= k; j++)
            minv[j] = INFINITY, used[j] = 0;
        do {
            used[j0] = 1;
            int i0 = p[j0], j1 = 0;
            double delta = INFINITY;
            for (int j = 1; j <= k; j++)
                if (!used[j]) {
                    double cur = c[(i0 - 1) * k + (j - 1)] - u[i0] - v[j];
                    if (cur < minv[j])
                        minv[j] = cur, way[j] = j0;
                    if (minv[j] < delta)
                        delta = minv[j], j1 = j;
                }
            for (int j = 0; j <= k; j++)
                if (used[j])
                    u[p[j]] += delta, v[j] -= delta;
                else
                    minv[j] -= delta;
            j0 = j1;
        } while (p[j0] != 0);
        do {
            int j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
    for (int j = 1; j <= k; j++)
        slot_of[p[j] - 1] = j - 1;
}

/* How deeply the ring's discs (centre c, radius ring, k slots from angle a0) lie
 * on the marks to avoid: the sum of the overlaps in pixels (0: clear of all). */
static float overlap(float cx, float cy, float ring, int k, float a0, float rad, const float *avoid,
                     int n_avoid)
{
    const float pi = 3.14159265f;
    float s = 0;
    for (int j = 0; j < k; j++) {
        float a = a0 + 2.0f * pi * (float)j / (float)k;
        float x = cx + ring * cosf(a), y = cy + ring * sinf(a);
        for (int q = 0; q < n_avoid; q++) {
            float clear = avoid[3 * q + 2] + rad + 3.0f;
            float d = hypotf(x - avoid[3 * q], y - avoid[3 * q + 1]);
            if (d < clear)
                s += clear - d;
        }
    }
    return s;
}

/* Each group of two or more (same root) on its ring, into out; returns the count. */
static int place(const float *in, int *parent, int m, float rad, const float *box, const float *avoid,
                 int n_avoid, float *out)
{
    int moved = 0;
    for (int i = 0; i < m; i++)
        out[2 * i] = in[2 * i], out[2 * i + 1] = in[2 * i + 1];
    for (int g = 0; g < m; g++) {
        if (root(parent, g) != g)
            continue;
        int k = 0, idx[FAN_MAX];
        float cx = 0, cy = 0;
        for (int i = g; i < m; i++)
            if (root(parent, i) == g) {
                cx += in[2 * i], cy += in[2 * i + 1];
                idx[k++] = i;
            }
        if (k < 2)
            continue;
        cx /= (float)k, cy /= (float)k;
        /* neighbouring slots a chord 2R·sin(π/k) apart: the discs (rad + 2 with their
         * outlines) clear of each other by a pixel; and never closer to the middle
         * than FAN_LEADER pixels past a disc's edge, so a bit of each leader line
         * shows. No wider: a marker stays a few pixels from its point (issue 9: at
         * 2 rad + 3, two runs on one rastrigin point sat half a bump away) */
        const float pi = 3.14159265f;
        float ring0 = fmaxf((rad + 2.5f) / sinf(pi / (float)k), rad + 2.0f + FAN_LEADER);
        /* the ring's turn and size: the first slot on the left, unless a slot lies
         * on a mark to avoid; then the first turn (in FAN_TURNS-ths of the
         * slots' spacing), at the first of FAN_GROW_STEPS sizes (each half a disc wider),
         * that clears them all, or else the one that overlaps them least (a fixed
         * choice: no flicker) */
        float mx = cx, my = cy, ring = ring0, a0 = pi, best = INFINITY;
        for (int grow = 0; grow < FAN_GROW_STEPS && best > 0; grow++)
            for (int t = 0; t < FAN_TURNS && best > 0; t++) {
                float rr = ring0 + 0.5f * (rad + 2.0f) * (float)grow, x = mx, y = my;
                if (box) {   /* the whole ring inside the box, where the box has room for it */
                    float e = rr + rad + 2.0f;
                    if (box[2] - box[0] > 2 * e)
                        x = fminf(fmaxf(x, box[0] + e), box[2] - e);
                    if (box[3] - box[1] > 2 * e)
                        y = fminf(fmaxf(y, box[1] + e), box[3] - e);
                }
                float a = pi + 2.0f * pi * (float)t / ((float)FAN_TURNS * (float)k);
                float o = overlap(x, y, rr, k, a, rad, avoid, n_avoid);
                if (o < best - 0.01f)
                    best = o, a0 = a, ring = rr, cx = x, cy = y;
            }
        /* which marker takes which slot: the least total length of the leader lines
         * (such an assignment has no two leaders crossing: uncrossing two crossed
         * ones always shortens them), plus a tie-break far below a pixel, which
         * keeps the runs' order (the first on the left, then clockwise on screen,
         * y down) where their true points coincide, so the choice does not flip
         * from frame to frame on sub-pixel noise */
        double cost[FAN_MAX * FAN_MAX];
        float sx[FAN_MAX], sy[FAN_MAX];
        for (int j = 0; j < k; j++) {
            float a = a0 + 2.0f * pi * (float)j / (float)k;
            sx[j] = cx + ring * cosf(a), sy[j] = cy + ring * sinf(a);
        }
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) {
                int step = i > j ? i - j : j - i;
                if (k - step < step)
                    step = k - step;
                cost[i * k + j] = hypot((double)in[2 * idx[i]] - sx[j], (double)in[2 * idx[i] + 1] - sy[j]) +
                                  FAN_TIE * step;
            }
        int slot_of[FAN_MAX];
        assign(cost, k, slot_of);
        for (int i = 0; i < k; i++) {
            out[2 * idx[i]] = sx[slot_of[i]];
            out[2 * idx[i] + 1] = sy[slot_of[i]];
            moved++;
        }
    }
    return moved;
}

int fan_markers(const float *xy, int n, float rad, const float *box, const float *avoid, int n_avoid,
                float *out)
{
    float in[2 * FAN_MAX];
    int parent[FAN_MAX];
    int m = n < FAN_MAX ? n : FAN_MAX;
    for (int i = 0; i < 2 * n; i++) {
        if (i < 2 * FAN_MAX)
            in[i] = xy[i];
        out[i] = xy[i];
    }
    if (m < 2 || !(rad > 0))
        return 0;
    if (!avoid)
        n_avoid = 0;
    float near = fan_near(rad);
    for (int i = 0; i < m; i++)
        parent[i] = i;
    for (int i = 0; i < m; i++)
        for (int j = i + 1; j < m; j++)
            if (hypotf(in[2 * i] - in[2 * j], in[2 * i + 1] - in[2 * j + 1]) < near) {
                int a = root(parent, i), b = root(parent, j);
                if (a != b)
                    parent[a > b ? a : b] = a < b ? a : b;   /* the lowest index is the root */
            }
    /* a ring may land on a neighbouring marker or ring: such groups are joined and
     * placed again (groups only grow, so this ends) */
    int moved = 0;
    for (int pass = 0; pass < m; pass++) {
        moved = place(in, parent, m, rad, box, avoid, n_avoid, out);
        int joined = 0;
        for (int i = 0; i < m; i++)
            for (int j = i + 1; j < m; j++) {
                int a = root(parent, i), b = root(parent, j);
                if (a != b && hypotf(out[2 * i] - out[2 * j], out[2 * i + 1] - out[2 * j + 1]) < 2 * rad + 5) {
                    parent[a > b ? a : b] = a < b ? a : b;
                    joined = 1;
                }
            }
        if (!joined)
            break;
    }
    return moved;
}
