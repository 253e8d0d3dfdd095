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

/* Each group of two or more (same root) on its ring, into out; returns the count. */
static int place(const float *in, int *parent, int m, float rad, const float *box, float *out)
{
    int moved = 0;
    for (int i = 0; i < m; i++)
        out[2 * i] = in[2 * i], out[2 * i + 1] = in[2 * i + 1];
    for (int g = 0; g < m; g++) {
        if (root(parent, g) != g)
            continue;
        int k = 0;
        float cx = 0, cy = 0;
        for (int i = g; i < m; i++)
            if (root(parent, i) == g) {
                cx += in[2 * i], cy += in[2 * i + 1];
                k++;
            }
        if (k < 2)
            continue;
        cx /= (float)k, cy /= (float)k;
        /* neighbouring slots a chord 2R·sin(π/k) apart: the discs (rad + 2 with their
         * outlines) clear of each other by a pixel; and never closer to the middle
         * than 2 rad + 3, so a bit of each leader line shows */
        const float pi = 3.14159265f;
        float ring = fmaxf((rad + 2.5f) / sinf(pi / (float)k), 2.0f * rad + 3.0f);
        if (box) {   /* the whole ring inside the box, where the box has room for it */
            float e = ring + rad + 2.0f;
            if (box[2] - box[0] > 2 * e)
                cx = fminf(fmaxf(cx, box[0] + e), box[2] - e);
            if (box[3] - box[1] > 2 * e)
                cy = fminf(fmaxf(cy, box[1] + e), box[3] - e);
        }
        int slot = 0;
        for (int i = g; i < m; i++)
            if (root(parent, i) == g) {
                /* the first on the left, then clockwise on screen (y grows down) */
                float a = pi + 2.0f * pi * (float)slot++ / (float)k;
                out[2 * i] = cx + ring * cosf(a);
                out[2 * i + 1] = cy + ring * sinf(a);
                moved++;
            }
    }
    return moved;
}

int fan_markers(const float *xy, int n, float rad, const float *box, float *out)
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
        moved = place(in, parent, m, rad, box, out);
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
