/*
 * trails.c — each run's trail on a surface panel: its history projected (kept from
 * frame to frame: projmemo.h), in 3-D ended at the domain's edge where the run left
 * it, simplified at a pixel tolerance (polysimp.h), the stretches hidden under a
 * drawn segment left out, and drawn at full strength or dimmed (the ghosts of a 3-D
 * panel's hidden parts); and a --trajectory file's recorded path. world.c calls
 * trails_draw and trails_draw_recorded (render_internal.h) for each panel.
 */
#include "render/render_internal.h"

#include "render/marks.h"
#include "render/polysimp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A trail is drawn from its projected path simplified at TRAIL_TOL_PX pixels (no
 * point of the path further than √2 times that from the line drawn: polysimp.h),
 * with at most TRAIL_MAX_POINTS points whatever the history holds (a denser
 * scribble is simplified coarser until it fits; at the default history cap this
 * seldom bites: a cap of 1024 thinned rosenbrock's RMSProp zigzag, 300000 steps, to
 * a line where it reads as a thick band). A run's history holds up to 4096 + 512 points, most of them less
 * than a pixel off the line through their neighbours once projected (moons-mlp-bn
 * at --speed 1000000, step 2800: 14,000 trail points → 2,100 drawn, 37,000 vertices
 * a pass → 7,300; the picture the same), and a trail's cost no longer grows with the
 * history's cap. */
#define TRAIL_TOL_PX 0.75f
#define TRAIL_MAX_POINTS 4096

/* Simplify the n projected points of one run at r->trail_pts + a (their alphas at
 * r->trail_base + a) in place; returns how many remain. */
static int simplify_trail(renderer *r, int a, int n)
{
    int *keep = rd_scratch_idx(r, n);
    if (!keep)   /* out of memory: the trail as it is */
        return n;
    int kept = polysimp_path_capped(r->trail_pts + a, sizeof(prim_pt), n, TRAIL_TOL_PX, TRAIL_MAX_POINTS,
                                    keep, NULL);
    for (int k = 0; k < kept; k++) {   /* keep[] ascends: moving down in place is safe */
        r->trail_pts[a + k] = r->trail_pts[a + keep[k]];
        r->trail_base[a + k] = r->trail_base[a + keep[k]];
    }
    return kept;
}

/* The segments of run i's simplified trail (n points at r->trail_pts + a) that
 * later ones cover (polysimp_covered): r->trail_under + a, −1 for a segment drawn,
 * else the drawn one it lies under, which stands for it: r->trail_over + a counts,
 * per point, the segments hidden under the drawn ones that end there, and the point
 * is drawn that much more opaque (the look of translucent strokes over strokes).
 * A trail's cost in the software rasteriser is its fragments, its length times its
 * width, and a noisy run's path goes over its own pixels again and again
 * (moons-mlp-bn --speed 1000000 in 3-D: each mini-batch loss spike goes up and back
 * down; 29,000 px of centre line at step 2800 over 6,300 distinct pixels), so
 * without this the cost grows with the steps. A dashed trail (a second run of one
 * kind) is drawn whole: its dashes follow its length. */
static void cover_trail(renderer *r, const render_frame *f, int i, int a, int n)
{
    int *under = r->trail_under + a;
    unsigned short *over = r->trail_over + a;
    for (int k = 0; k < n; k++)
        over[k] = 0;
    if (n < 2 || render_run_dashed(f->tr, i) || !polysimp_grid_begin(&r->trail_grid, r->fb_w, r->fb_h)) {
        for (int k = 0; k + 1 < n; k++)
            under[k] = -1;
        return;
    }
    polysimp_covered(&r->trail_grid, r->trail_pts + a, sizeof(prim_pt), n, under);
    for (int k = 0; k + 1 < n; k++) {
        int c = under[k];
        if (c < 0)
            continue;
        for (int e = c; e <= c + 1; e++)   /* both ends of the segment it lies under */
            if (over[e] < 0xffff)
                over[e]++;
    }
}

/* What a trail point's pixel depends on besides its own inputs (rd_project): the
 * panel's kind, rectangle and matrix, the surface as drawn (which surface, its
 * upload, the height scale of its mesh) and the panel's height scale. Zero-padded,
 * compared as bytes (projmemo.h). */
typedef struct trail_key {
    const void *rs;
    unsigned long gen;
    int uploaded_log, log, is3d, pad;
    float map[4];
    float mvp[16];
} trail_key;

static trail_key trail_key_of(const panel_state *ps)
{
    trail_key k;
    memset(&k, 0, sizeof k);
    k.rs = ps->rs;
    k.gen = render_surface_generation(ps->rs);
    k.uploaded_log = render_surface_uploaded_log(ps->rs);
    k.log = ps->log;
    k.is3d = ps->lp.is3d;
    k.map[0] = ps->map.x, k.map[1] = ps->map.y, k.map[2] = ps->map.w, k.map[3] = ps->map.h;
    memcpy(k.mvp, ps->mvp, sizeof k.mvp);
    return k;
}

/* Whether (x, y) = p lies in domain d (its edges included). */
static int in_domain(surface_domain d, const double p[2])
{
    return p[0] >= d.xmin && p[0] <= d.xmax && p[1] >= d.ymin && p[1] <= d.ymax;
}

/* Where the segment from a (in d) to b (outside it, or not finite) crosses d's edge,
 * into e; a itself where b is not finite. */
static void domain_edge(surface_domain d, const double a[2], const double b[2], double e[2])
{
    double t = 1;
    if (!isfinite(b[0]) || !isfinite(b[1]))
        t = 0;
    for (int k = 0; k < 2 && t > 0; k++) {
        double lo = k ? d.ymin : d.xmin, hi = k ? d.ymax : d.xmax, dv = b[k] - a[k];
        if (b[k] > hi && dv > 0)
            t = fmin(t, (hi - a[k]) / dv);
        else if (b[k] < lo && dv < 0)
            t = fmin(t, (lo - a[k]) / dv);
    }
    e[0] = a[0] + t * (b[0] - a[0]);
    e[1] = a[1] + t * (b[1] - a[1]);
    if (t == 0)
        e[0] = a[0], e[1] = a[1];
}

/* Every run's trail in panel ps projected into r->trail_pts (r->trail_ps = ps),
 * simplified (simplify_trail) and its covered segments found (cover_trail), each
 * point with its alpha before the run's dimming in r->trail_base. 0: out of
 * memory. */
static int project_trails(renderer *r, const render_frame *f, const panel_state *ps)
{
    int nr = trainer_run_count(f->tr), total = 0;
    r->trail_ps = NULL;
    for (int i = 0; i < nr; i++) {
        int n = 0;
        trainer_history(f->tr, i, &n);
        total += n > 0 ? 2 * n : 0;   /* room for an edge point where a trail leaves or comes back */
    }
    if (total > r->trail_cap) {
        prim_pt *p = realloc(r->trail_pts, (size_t)total * sizeof *p);
        if (p)
            r->trail_pts = p;
        float *b = realloc(r->trail_base, (size_t)total * sizeof *b);
        if (b)
            r->trail_base = b;
        int *u = realloc(r->trail_under, (size_t)total * sizeof *u);
        if (u)
            r->trail_under = u;
        unsigned short *o = realloc(r->trail_over, (size_t)total * sizeof *o);
        if (o)
            r->trail_over = o;
        if (!p || !b || !u || !o)
            return 0;
        r->trail_cap = total;
    }
    int m = 0, panel = (int)(ps - r->panels);
    trail_key key = trail_key_of(ps);
    for (int i = 0; i < nr; i++) {
        r->trail_off[i] = m;
        if (ps->lp.run >= 0 && ps->lp.run != i)
            continue;
        const trainer_run *run = trainer_run_get(f->tr, i);
        int n = 0;
        const trainer_point *h = trainer_history(f->tr, i, &n);
        /* the points of the last frame's projection under the same view, reused */
        projmemo *pm = panel >= 0 && panel < LAYOUT_MAX_PANELS && i < TRAINER_MAX_RUNS ? &r->trail_memo[panel][i]
                                                                                      : NULL;
        if (pm && !projmemo_begin(pm, &key, sizeof key, n))
            pm = NULL;
        surface_domain d = render_surface_domain(ps->rs);
        double prev[2] = { 0, 0 };
        int prev_in = 1;
        for (int j = 0; j < n; j++) {
            double in[3];
            in[2] = h[j].loss;
            if (j == n - 1)   /* the trail ends at the marker (slow motion: between steps) */
                marks_shown_point(f, run, in, &in[2]);
            else
                rd_hist_point(f, i, j, in);
            float o[3];
            int ok;
            /* in 3-D a path that leaves the domain ends at its edge, on the surface,
             * and takes up again where it comes back: past the edge the points
             * projected off the mesh (a diverged monkey-saddle run's last one ran out
             * of the window); the 2-D map's scissor cuts them there already */
            int inside = !ps->lp.is3d || in_domain(d, in);
            if (ps->lp.is3d && j > 0 && inside != prev_in) {
                double e[2];
                domain_edge(d, inside ? in : prev, inside ? prev : in, e);
                if (rd_project(r, ps, e[0], e[1], rd_feval(f, e[0], e[1], NULL, NULL), 0.012f, o)) {
                    float age = n > 1 ? (float)j / (float)(n - 1) : 1.0f;
                    r->trail_pts[m] = (prim_pt){ o[0], o[1], o[2], 0 };
                    r->trail_base[m++] = 0.25f + 0.75f * age * age;
                }
            }
            prev[0] = in[0], prev[1] = in[1];
            prev_in = inside;
            if (!inside)
                continue;
            if (!pm || !projmemo_get(pm, j, in, o, &ok)) {
                ok = rd_project(r, ps, in[0], in[1], in[2], 0.012f, o);
                if (pm)
                    projmemo_put(pm, j, in, o, ok);
            }
            if (!ok)
                continue;
            /* fading tail: the oldest part of the trail at 25 % */
            float age = n > 1 ? (float)j / (float)(n - 1) : 1.0f;
            r->trail_pts[m] = (prim_pt){ o[0], o[1], o[2], 0 };
            r->trail_base[m++] = 0.25f + 0.75f * age * age;
        }
        m = r->trail_off[i] + simplify_trail(r, r->trail_off[i], m - r->trail_off[i]);
        cover_trail(r, f, i, r->trail_off[i], m - r->trail_off[i]);
    }
    r->trail_off[nr] = m;
    r->trail_ps = ps;
    return 1;
}

/* alpha_mul: 1 for the trails as they are; less for their ghosts, drawn first in 3-D
 * without the depth test so that the parts behind a hill show dimmed (issue 9 #10:
 * a run is never invisible). again: the trails were projected for this panel by the
 * call before (the ghosts' pass) and are drawn from there. */
void trails_draw(renderer *r, const render_frame *f, const panel_state *ps, float alpha_mul, int again)
{
    int nr = trainer_run_count(f->tr);
    if (!(again && r->trail_ps == ps) && !project_trails(r, f, ps))
        return;
    /* measured in em (presentation mode's larger type makes them thicker), and half
     * as thick again in presentation mode, for the back of a room */
    float w = fmaxf(2.5f, rd_em(r) * 0.2f) * (f->present ? 1.5f : 1.0f);
    for (int i = 0; i < nr; i++) {
        if (ps->lp.run >= 0 && ps->lp.run != i)
            continue;
        const trainer_run *run = trainer_run_get(f->tr, i);
        int a = r->trail_off[i], m = r->trail_off[i + 1] - a;
        prim_pt *pts = rd_scratch(r, m + 1);
        if (!pts || m <= 0)
            continue;
        uint32_t col = render_run_color(f->tr, i);
        float dim = (run->active ? 1.0f : 0.35f) * alpha_mul;
        for (int j = 0; j < m; j++) {
            pts[j] = r->trail_pts[a + j];
            /* opaque as the strokes hidden under it would have made it (cover_trail) */
            float al = r->trail_base[a + j] * dim;
            if (r->trail_over[a + j])
                al = 1.0f - powf(1.0f - al, 1.0f + (float)r->trail_over[a + j]);
            pts[j].rgba = rgba_alpha(col, al);
        }
        /* one strip with a dark border, so every colour reads on every colour map; a
         * second run of the same optimizer kind (same colour) is dashed */
        if (render_run_dashed(f->tr, i)) {
            rd_dashed_polyline(r->world, pts, m, w + 3.0f, 1.5f, rd_em(r) * 0.9f, rd_em(r) * 0.6f);
            continue;
        }
        /* the pieces between covered segments, in order (cover_trail), each end
         * where a covered one was left out rounded as the strip rounds a sharp
         * turn (the stroke it turned back along is the one left out) */
        const int *under = r->trail_under + a;
        int s = 0;
        for (int k = 0; k < m; k++)
            if (k == m - 1 || under[k] >= 0) {
                if (k > s) {
                    prims_polyline_ex(r->world, pts + s, k - s + 1, w + 3.0f, 1.5f, 1.5f);
                    if (s > 0)
                        prims_mark(r->world, pts[s].x, pts[s].y, pts[s].z, (w + 3.0f) * 0.5f, PRIM_DISC, pts[s].rgba);
                    if (k < m - 1)
                        prims_mark(r->world, pts[k].x, pts[k].y, pts[k].z, (w + 3.0f) * 0.5f, PRIM_DISC, pts[k].rgba);
                }
                s = k + 1;
            }
    }
}

/* The recorded run (f->rec_xy): a light polyline with a dark border through its
 * points, a dot at each recorded point, a ring at the start and a diamond at the end.
 * Only on the main problem's panels (its coordinates are of that plane). */
#define COL_RECORDED RGBA(245, 245, 245, 255)
void trails_draw_recorded(renderer *r, const render_frame *f, const panel_state *ps, float alpha_mul)
{
    if (!f->rec_xy || f->rec_n <= 0 || ps->lp.problem != 0)
        return;
    prim_pt *pts = rd_scratch(r, f->rec_n);
    if (!pts)
        return;
    float w = fmaxf(2.0f, rd_em(r) * 0.16f), rad = rd_em(r) * 0.36f;
    uint32_t col = rgba_alpha(COL_RECORDED, 0.9f * alpha_mul), outline = rgba_alpha(COL_OUTLINE, alpha_mul);
    int m = 0;
    for (int k = 0; k < f->rec_n; k++) {
        double a = f->rec_xy[2 * k], b = f->rec_xy[2 * k + 1];
        float o[3];
        if (rd_project(r, ps, a, b, rd_feval(f, a, b, NULL, NULL), 0.012f, o))
            pts[m++] = (prim_pt){ o[0], o[1], o[2], col };
    }
    if (m > 1)
        prims_polyline_ex(r->world, pts, m, w + 3.0f, 1.5f, 1.5f);
    /* a dot at each recorded point (a dense recording reads as the line itself) */
    for (int k = 1; k < m - 1 && m <= 200; k++) {
        prims_mark(r->world, pts[k].x, pts[k].y, pts[k].z, rad * 0.45f + 1.5f, PRIM_DISC, outline);
        prims_mark(r->world, pts[k].x, pts[k].y, pts[k].z, rad * 0.45f, PRIM_DISC, col);
    }
    if (m > 0) {
        prims_mark(r->world, pts[0].x, pts[0].y, pts[0].z, rad + 2.0f, PRIM_RING, outline);
        prims_mark(r->world, pts[0].x, pts[0].y, pts[0].z, rad, PRIM_RING, col);
        prims_mark(r->world, pts[m - 1].x, pts[m - 1].y, pts[m - 1].z, rad * 1.3f + 2.0f, PRIM_DIAMOND, outline);
        prims_mark(r->world, pts[m - 1].x, pts[m - 1].y, pts[m - 1].z, rad * 1.3f, PRIM_DIAMOND, col);
    }
}
