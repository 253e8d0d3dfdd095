/*
 * marks.c — the marks at points of a surface panel (marks.h): run markers, fanned
 * (fan.h) off a shared spot with leader lines to their true points and kept off the
 * critical points and the probe, pinned at the domain's edge with an arrow where a
 * run left it; the critical points' symbols; the filled arrow. Moved out of world.c
 * unchanged (the same primitives in the same order).
 */
#include "render/marks.h"

#include "render/fan.h"

#include <math.h>

/* An arrow from a to b (pixels) with a filled head. */
void marks_arrow(prims *p, const float a[3], const float b[3], float width, uint32_t rgba,
                 int outline)
{
    float dx = b[0] - a[0], dy = b[1] - a[1];
    float l = sqrtf(dx * dx + dy * dy);
    if (l < 2.0f)
        return;
    dx /= l, dy /= l;
    float hl = fminf(width * 4.0f + 4.0f, l * 0.5f), hw = hl * 0.55f;
    float base[2] = { b[0] - dx * hl, b[1] - dy * hl };
    float t[2] = { b[0] + dx * (outline ? 1.5f : 0.0f), b[1] + dy * (outline ? 1.5f : 0.0f) };
    float e = outline ? 1.5f : 0.0f;
    float l0[2] = { base[0] - dy * (hw + e) - dx * e, base[1] + dx * (hw + e) - dy * e };
    float r0[2] = { base[0] + dy * (hw + e) - dx * e, base[1] - dx * (hw + e) - dy * e };
    prims_line(p, a[0], a[1], base[0], base[1], width + (outline ? 3.0f : 0.0f), rgba);
    prims_tri(p, t, l0, r0, rgba);
}

/* Where run's marker is drawn: its current point, or in slow motion (f->lag > 0)
 * that far back along its last update, with the loss there. */
void marks_shown_point(const render_frame *f, const trainer_run *run, double ab[2], double *val)
{
    if (!(f->lag > 0) || run->steps == 0 || run->diverged) {
        rd_run_points(f, run, ab, NULL);
        *val = run->loss;
        return;
    }
    double prev[2];
    rd_run_points(f, run, ab, prev);
    double lag = f->lag < 1 ? f->lag : 1;
    ab[0] -= lag * (ab[0] - prev[0]);
    ab[1] -= lag * (ab[1] - prev[1]);
    *val = rd_feval(f, ab[0], ab[1], NULL, NULL);
}

/* 1 if a hill hides the domain point (x, y) drawn at value val (3-D). The line of
 * sight is marched in world space from the point towards the eye against the drawn
 * mesh's heights. The walls of the point's own well do not count: along the ground
 * track from the point, the surface that rises without a dip (to the well's rim)
 * is its own; only surface past the rim (another hill) hides it. A run at the
 * bottom of a deep well (log heights make minima pits) is where it is, not behind
 * something (renderer_markers' `hidden`: framing and cameras, issue 9 #10).
 * own_walls: the walls of its own well count too (renderer_markers' `walled`: the
 * point is not on the surface the eye sees there). */
static int line_of_sight_blocked(const renderer *r, const panel_state *ps, double x, double y, double val,
                                 int own_walls)
{
    if (!ps->lp.is3d)
        return 0;
    vec3 eye, m;
    camera_eye(&r->cam, eye);
    render_surface_world(ps->rs, x, y, val, ps->log, m);
    m[2] = fmaxf(m[2], render_surface_drawn_norm(ps->rs, x, y) * RENDER_ZSCALE) + 0.02f;
    float half[2];
    render_surface_half(ps->rs, half);
    float dx = eye[0] - m[0], dy = eye[1] - m[1], dz = eye[2] - m[2];
    enum { N = 400 };
    int past_rim = 0;
    float top = -1e30f;   /* highest surface met so far along the ground track */
    for (int k = 1; k < N; k++) {
        float t = (float)k / N;
        float p[3] = { m[0] + t * dx, m[1] + t * dy, m[2] + t * dz };
        if (fabsf(p[0]) > half[0] || fabsf(p[1]) > half[1])
            break;   /* off the surface: nothing further can hide it (the eye is outside) */
        double px, py;
        render_surface_unworld(ps->rs, p[0], p[1], &px, &py);
        float h = render_surface_drawn_norm(ps->rs, px, py) * RENDER_ZSCALE;
        if (h < top - 0.01f)
            past_rim = 1;
        top = fmaxf(top, h);
        if ((past_rim || own_walls) && p[2] < h - 1e-3f)
            return 1;
    }
    return 0;
}

/* The critical points as panel ps draws them: each one's pixel (o; ok[k] = 0 where
 * it is behind the camera) and its symbol's radius, em/2 where it has room, else
 * 0.4 of the distance to the nearest other one drawn less the 2-px outline, at
 * least 2 px (issue 9: at 640x360 saddle's and six-hump camel's symbols merged).
 * Returns the count (at most CRIT_DRAWN). */
#define CRIT_DRAWN 256
static int crit_layout(const renderer *r, const render_frame *f, const panel_state *ps, float o[][3], float *rad,
                       int *ok, float *nearest)
{
    int n = f->n_crit < CRIT_DRAWN ? f->n_crit : CRIT_DRAWN;
    for (int k = 0; k < n; k++)
        ok[k] = rd_project(r, ps, f->crit[k].x, f->crit[k].y, f->crit[k].value, 0.015f, o[k]);
    for (int k = 0; k < n; k++) {
        float near = INFINITY;
        for (int q = 0; q < n; q++)
            if (q != k && ok[q])
                near = fminf(near, hypotf(o[q][0] - o[k][0], o[q][1] - o[k][1]));
        nearest[k] = near;
        rad[k] = fmaxf(fminf(rd_em(r) * 0.5f, 0.4f * near - 2.0f), 2.0f);
    }
    return n;
}

int marks_reserved(renderer *r, const render_frame *f, const panel_state *ps, float *xyr, int max)
{
    int n = 0;
    float o[3];
    if ((f->overlays & SCENE_OVERLAY_CRITICAL) && f->crit) {
        float co[CRIT_DRAWN][3], rads[CRIT_DRAWN], near[CRIT_DRAWN];
        int ok[CRIT_DRAWN];
        int nc = crit_layout(r, f, ps, co, rads, ok, near);
        for (int k = 0; k < nc && n < max; k++)
            if (ok[k])
                xyr[3 * n] = co[k][0], xyr[3 * n + 1] = co[k][1], xyr[3 * n++ + 2] = rads[k] + 2.0f;
    }
    if ((f->overlays & SCENE_OVERLAY_PROBE) && f->probe_valid && n < max &&
        rd_project(r, ps, f->probe[0], f->probe[1], rd_feval(f, f->probe[0], f->probe[1], NULL, NULL), 0.02f, o))
        xyr[3 * n] = o[0], xyr[3 * n + 1] = o[1], xyr[3 * n++ + 2] = rd_em(r) * 0.6f + 2.0f;
    surface_domain d = render_surface_domain(ps->rs);
    for (int k = 0; f->minima && ps->lp.problem == 0 && k < f->n_minima && n < max; k++) {
        double x = f->minima[k][0], y = f->minima[k][1];
        if (x < d.xmin || x > d.xmax || y < d.ymin || y > d.ymax)
            continue;
        if (rd_project(r, ps, x, y, rd_feval(f, x, y, NULL, NULL), 0.015f, o))
            xyr[3 * n] = o[0], xyr[3 * n + 1] = o[1], xyr[3 * n++ + 2] = MARKS_MINIMUM_R;
    }
    return n;
}

/* 2-D: where the no markers out_k[] of runs that left the view are drawn (into at):
 * each on the side of map its pin xy lies on (the nearest side), its centre rad + 2
 * + chev inside the frame (room for the ring, its outline and the edge chevron), in
 * a row along that side, neighbours at least a disc and 2 px apart (pushed along
 * the side as little as that needs, kept within it). */
static void edge_rows(render_rect map, float rad, float chev, const float *xy, const int *out_k, int no,
                      float *at)
{
    float in = rad + 2.0f + chev, gap = 2.0f * rad + 6.0f;
    for (int side = 0; side < 4; side++) {   /* top, bottom, left, right */
        int idx[FAN_MAX], m = 0;
        for (int q = 0; q < no; q++) {
            const float *p = &xy[2 * out_k[q]];
            float dist[4] = { p[1] - map.y, map.y + map.h - p[1], p[0] - map.x, map.x + map.w - p[0] };
            int best = 0;
            for (int t = 1; t < 4; t++)
                if (dist[t] < dist[best])
                    best = t;
            if (best == side)
                idx[m++] = out_k[q];
        }
        int along = side < 2 ? 0 : 1;   /* the coordinate along the side */
        float lo = (along == 0 ? map.x : map.y) + in, hi = (along == 0 ? map.x + map.w : map.y + map.h) - in;
        float across = side == 0 ? map.y + in : side == 1 ? map.y + map.h - in : side == 2 ? map.x + in
                                                                                         : map.x + map.w - in;
        /* in order along the side (insertion sort: a handful) */
        for (int a = 1; a < m; a++)
            for (int b = a; b > 0 && xy[2 * idx[b] + along] < xy[2 * idx[b - 1] + along]; b--) {
                int t = idx[b];
                idx[b] = idx[b - 1], idx[b - 1] = t;
            }
        float pos[FAN_MAX];
        for (int a = 0; a < m; a++) {
            pos[a] = fminf(fmaxf(xy[2 * idx[a] + along], lo), hi);
            if (a > 0 && pos[a] < pos[a - 1] + gap)
                pos[a] = pos[a - 1] + gap;
        }
        for (int a = m - 1; a >= 0; a--) {
            if (pos[a] > hi)
                pos[a] = hi;
            if (a < m - 1 && pos[a] > pos[a + 1] - gap)
                pos[a] = pos[a + 1] - gap;
        }
        for (int a = 0; a < m; a++) {
            at[2 * idx[a] + along] = pos[a];
            at[2 * idx[a] + 1 - along] = across;
        }
    }
}

/* 3-D: where the no markers idx[] of runs that left the view, and of runs in view
 * drawn among them, are drawn (into at). Markers whose points src (pixels) lie within
 * gap = a disc and 6 px of one another (joined transitively) are one group: they
 * left by nearly one spot (saddle: every run escapes along y by x ≈ 0, and fanned
 * on a ring around it the rings and their chevrons piled up). A group is laid in a
 * row through its mean point, across its mean exit direction (dir: unit vectors on
 * screen, 0 for a run in view), neighbours gap apart, in order along the row, so each
 * ring's chevron points out of the row, clear of the others. A marker alone stays at
 * its point. */
static void exit_rows(float rad, const float *src, const float *dir, const int *idx, int no, float *at)
{
    float gap = 2.0f * rad + 6.0f;
    int grp[FAN_MAX];
    for (int a = 0; a < no; a++)
        grp[a] = a;
    for (int pass = 0; pass < no; pass++)   /* transitive: the least index of a chain */
        for (int a = 0; a < no; a++)
            for (int b = 0; b < no; b++) {
                const float *p = &src[2 * idx[a]], *q = &src[2 * idx[b]];
                if (grp[b] < grp[a] && hypotf(p[0] - q[0], p[1] - q[1]) < gap)
                    grp[a] = grp[b];
            }
    for (int g = 0; g < no; g++) {
        int mem[FAN_MAX], m = 0;
        float cx = 0, cy = 0, ux = 0, uy = 0;
        for (int a = 0; a < no; a++)
            if (grp[a] == g) {
                mem[m++] = idx[a];
                cx += src[2 * idx[a]], cy += src[2 * idx[a] + 1];
                ux += dir[2 * idx[a]], uy += dir[2 * idx[a] + 1];
            }
        if (m == 0)
            continue;
        cx /= (float)m, cy /= (float)m;
        if (m == 1) {
            at[2 * mem[0]] = cx, at[2 * mem[0] + 1] = cy;
            continue;
        }
        float ul = hypotf(ux, uy);
        if (ul > 0)
            ux /= ul, uy /= ul;
        else
            ux = 0, uy = -1;
        float tx = -uy, ty = ux;   /* along the row */
        /* in order along the row (insertion sort, stable: run order breaks ties) */
        for (int a = 1; a < m; a++)
            for (int b = a; b > 0; b--) {
                const float *p = &src[2 * mem[b]], *q = &src[2 * mem[b - 1]];
                if ((p[0] - q[0]) * tx + (p[1] - q[1]) * ty >= 0)
                    break;
                int t = mem[b];
                mem[b] = mem[b - 1], mem[b - 1] = t;
            }
        for (int a = 0; a < m; a++) {
            float off = ((float)a - 0.5f * (float)(m - 1)) * gap;
            at[2 * mem[a]] = cx + tx * off, at[2 * mem[a] + 1] = cy + ty * off;
        }
    }
}

/* The "left view" glyph's pointer: an open chevron (two strokes, a dark border) just
 * outside the ring of radius rad at o, pointing along the unit (ux, uy), its tip
 * chev − 1 pixels past the ring's outline. Open, so it does not read as the filled
 * ▲ ▼ of the critical points (issue 9). */
static void edge_chevron(prims *p, const float o[3], float ux, float uy, float rad, float chev, uint32_t col)
{
    float back = rad + 3.0f, tip = rad + 2.0f + chev - 1.0f, half = (tip - back) * 0.95f;
    float bx = o[0] + ux * back, by = o[1] + uy * back, tx = o[0] + ux * tip, ty = o[1] + uy * tip;
    prim_pt pts[3] = { { bx - uy * half, by + ux * half, o[2], col }, { tx, ty, o[2], col },
                       { bx + uy * half, by - ux * half, o[2], col } };
    prims_polyline_ex(p, pts, 3, 2.5f + 3.0f, 1.5f, 1.5f);
}

/* Markers at the current points. alpha_mul < 1: their ghosts (3-D, drawn without
 * the depth test first, so a marker behind a hill shows dimmed); zbias: moves them
 * towards the camera in depth (NDC) for the depth-tested pass, so a disc on a slope
 * is not cut by the surface around its centre. A run outside the domain is pinned
 * to the domain's edge, drawn as a ring with an open chevron pointing where it went
 * (issue 9 #11; the legend says "left view"), in 2-D whole inside the map. Markers on one spot are fanned around it
 * (fan.h), each joined to its true point by a thin leader line in its colour, the
 * ring turned off the marks_reserved points. */
void marks_draw_runs(renderer *r, const render_frame *f, const panel_state *ps, float alpha_mul,
                     float zbias)
{
    int nr = trainer_run_count(f->tr);
    surface_domain d = render_surface_domain(ps->rs);
    float rad = rd_em(r) * 0.42f;
    /* first where each marker's true point is drawn, then where the fan puts it */
    struct {
        int run, out;
        double cur[2], pin[2], val;
        float o[3];
    } mk[FAN_MAX];
    float xy[2 * FAN_MAX], at[2 * FAN_MAX];
    int n = 0, any_out = 0;
    for (int i = 0; i < nr && n < FAN_MAX; i++) {
        if (ps->lp.run >= 0 && ps->lp.run != i)
            continue;
        const trainer_run *run = trainer_run_get(f->tr, i);
        double cur[2], val;
        marks_shown_point(f, run, cur, &val);
        double pin[2] = { fmin(fmax(cur[0], d.xmin), d.xmax), fmin(fmax(cur[1], d.ymin), d.ymax) };
        int out = pin[0] != cur[0] || pin[1] != cur[1];
        if (out)
            val = rd_feval(f, pin[0], pin[1], NULL, NULL);
        float o[3];
        if (!rd_project(r, ps, pin[0], pin[1], val, 0.02f, o))
            continue;
        mk[n].run = i, mk[n].out = out, mk[n].val = val;
        mk[n].cur[0] = cur[0], mk[n].cur[1] = cur[1], mk[n].pin[0] = pin[0], mk[n].pin[1] = pin[1];
        mk[n].o[0] = o[0], mk[n].o[1] = o[1], mk[n].o[2] = o[2];
        xy[2 * n] = o[0], xy[2 * n + 1] = o[1];
        any_out |= out;
        n++;
    }
    /* The runs that left the view are not fanned but drawn in rows: in 2-D along the
     * edge they left by, whole inside the map with the edge chevron between each ring
     * and the frame (issue 9: pinned on the edge and fanned, half of each ring was cut
     * off and the rings piled up); in 3-D across the way they left (exit_rows). The
     * others are fanned among themselves; one that then lies on a row's ring joins
     * that row (issue 9: on saddle at step 860 SGD's disc lay under momentum's ring) */
    float chev = rad * 0.9f + 3.0f;
    float dir[2 * FAN_MAX] = { 0 };   /* each run's exit direction on screen (in view: 0) */
    for (int k = 0; k < n; k++) {
        if (!mk[k].out)
            continue;
        const double *cur = mk[k].cur, *pin = mk[k].pin;
        double dx = cur[0] - pin[0], dy = cur[1] - pin[1], l = hypot(dx, dy);
        double ex = pin[0] + dx / l * 0.05 * (d.xmax - d.xmin), ey = pin[1] + dy / l * 0.05 * (d.ymax - d.ymin);
        float e[3];
        if (rd_project(r, ps, ex, ey, mk[k].val, 0.02f, e)) {
            float vx = e[0] - mk[k].o[0], vy = e[1] - mk[k].o[1], vl = sqrtf(vx * vx + vy * vy);
            if (vl > 0)
                dir[2 * k] = vx / vl, dir[2 * k + 1] = vy / vl;
        }
    }
    int rows = any_out;
    float fxy[2 * FAN_MAX], fat[2 * FAN_MAX];
    int fidx[FAN_MAX], nf = 0;
    for (int k = 0; k < n; k++)
        if (!(rows && mk[k].out))
            fidx[nf] = k, fxy[2 * nf] = xy[2 * k], fxy[2 * nf + 1] = xy[2 * k + 1], nf++;
    const float box[4] = { ps->map.x, ps->map.y, ps->map.x + ps->map.w, ps->map.y + ps->map.h };
    float avoid[3 * FAN_MAX];
    int n_avoid = marks_reserved(r, f, ps, avoid, FAN_MAX);
    fan_markers(fxy, nf, rad, box, avoid, n_avoid, fat);
    for (int k = 0; k < n; k++)
        at[2 * k] = xy[2 * k], at[2 * k + 1] = xy[2 * k + 1];
    int fanned_k[FAN_MAX] = { 0 };
    for (int q = 0; q < nf; q++) {
        at[2 * fidx[q]] = fat[2 * q], at[2 * fidx[q] + 1] = fat[2 * q + 1];
        fanned_k[fidx[q]] = fat[2 * q] != fxy[2 * q] || fat[2 * q + 1] != fxy[2 * q + 1];
    }
    /* 2-D: a marker by the frame is drawn whole, moved inside by at most its radius
     * and outline (its disc still covers its point; the map's scissor cut it) */
    for (int k = 0; k < n && !ps->lp.is3d; k++) {
        float m = rad + 2.0f;
        if (ps->map.w > 2 * m && ps->map.h > 2 * m) {
            at[2 * k] = fminf(fmaxf(at[2 * k], ps->map.x + m), ps->map.x + ps->map.w - m);
            at[2 * k + 1] = fminf(fmaxf(at[2 * k + 1], ps->map.y + m), ps->map.y + ps->map.h - m);
        }
    }
    if (rows) {
        /* the rows' members: the runs out of view at their pins, then any run in view
         * whose disc lies on a member's ring, at its drawn place, until none is added */
        int row_k[FAN_MAX], no = 0, in_row[FAN_MAX] = { 0 };
        float src[2 * FAN_MAX];
        for (int k = 0; k < n; k++) {
            src[2 * k] = xy[2 * k], src[2 * k + 1] = xy[2 * k + 1];
            if (mk[k].out)
                row_k[no++] = k, in_row[k] = 1;
        }
        float gap = 2.0f * rad + 6.0f;
        for (int added = 1; added;) {
            if (ps->lp.is3d)
                exit_rows(rad, src, dir, row_k, no, at);
            else
                edge_rows(ps->map, rad, chev, src, row_k, no, at);
            added = 0;
            for (int k = 0; k < n; k++) {
                if (in_row[k])
                    continue;
                for (int q = 0; q < no && !in_row[k]; q++)
                    if (hypotf(at[2 * k] - at[2 * row_k[q]], at[2 * k + 1] - at[2 * row_k[q] + 1]) < gap) {
                        src[2 * k] = at[2 * k], src[2 * k + 1] = at[2 * k + 1];
                        row_k[no++] = k, in_row[k] = 1, added = 1;
                    }
            }
        }
        for (int q = 0; q < no; q++) {   /* a leader line to the true point (2-D: the
                                            * chevron on the frame shows a pin's place) */
            int k = row_k[q];
            fanned_k[k] = (ps->lp.is3d || !mk[k].out) && (at[2 * k] != xy[2 * k] || at[2 * k + 1] != xy[2 * k + 1]);
        }
    }
    for (int q = 0; q < n_avoid && alpha_mul >= 1.0f && r->n_clear < RENDER_MAX_CLEAR; q++)
        r->clear[r->n_clear++] = (render_clear_mark){ (int)(ps - r->panels), avoid[3 * q], avoid[3 * q + 1],
                                                      avoid[3 * q + 2], rad };
    for (int k = 0; k < n; k++) {
        int i = mk[k].run, out = mk[k].out;
        const trainer_run *run = trainer_run_get(f->tr, i);
        const double *pin = mk[k].pin;
        double val = mk[k].val;
        float o[3] = { at[2 * k], at[2 * k + 1], mk[k].o[2] };
        int fanned = fanned_k[k];
        int blocked = ps->lp.is3d && line_of_sight_blocked(r, ps, pin[0], pin[1], val, 0);
        if (alpha_mul >= 1.0f && r->n_marks < RENDER_MAX_MARKERS) {   /* renderer_markers */
            render_rect m = ps->map;
            r->marks[r->n_marks++] = (render_marker){
                .panel = (int)(ps - r->panels), .run = i, .x = o[0], .y = o[1],
                .in_view = o[0] >= m.x + rad && o[0] <= m.x + m.w - rad && o[1] >= m.y + rad &&
                           o[1] <= m.y + m.h - rad,
                .left = out, .hidden = blocked, .steps = run->steps, .active = run->active,
                .fanned = fanned, .tx = xy[2 * k], .ty = xy[2 * k + 1],
                .walled = ps->lp.is3d && line_of_sight_blocked(r, ps, pin[0], pin[1], val, 1),
                .ux = dir[2 * k], .uy = dir[2 * k + 1], .rad = rad, .chev = chev };
        }
        o[2] -= zbias;
        float am = alpha_mul;
        /* the ghost pass draws a marker that no other hill hides at full strength: the
         * walls of its own well do not dim it (issue 9 #1: in a needle-thin log pit the
         * pit's near wall hid the marker from the side, and it showed as a ghost) */
        if (am < 1.0f && ps->lp.is3d && !blocked)
            am = 1.0f;
        uint32_t col = rgba_alpha(render_run_color(f->tr, i), (run->active ? 1.0f : 0.4f) * am);
        uint32_t outline = rgba_alpha(COL_OUTLINE, am);
        if (fanned) {   /* the leader line from the true point (lines go under the marks) */
            prim_pt lead[2] = { { xy[2 * k], xy[2 * k + 1], o[2], col }, { o[0], o[1], o[2], col } };
            /* from the edge of a critical point's symbol (or the probe's) the true point
             * lies on, not across it: at 640x360 the leaders of rosenbrock's momentum
             * and Adam, which end at (1, 1), crossed out its ▼ */
            for (int q = 0; q < n_avoid; q++) {
                float cx = avoid[3 * q], cy = avoid[3 * q + 1], cr = avoid[3 * q + 2];
                float dx = o[0] - cx, dy = o[1] - cy, dl = hypotf(dx, dy);
                if (cr > MARKS_MINIMUM_R && hypotf(lead[0].x - cx, lead[0].y - cy) < cr && dl > cr)
                    lead[0].x = cx + dx / dl * cr, lead[0].y = cy + dy / dl * cr;
            }
            prims_polyline_ex(r->world, lead, 2, 4.0f, 1.25f, 0.5f);
        }
        if (out) {
            /* the chevron along the direction it left in */
            if (dir[2 * k] != 0 || dir[2 * k + 1] != 0)
                edge_chevron(r->world, o, dir[2 * k], dir[2 * k + 1], rad, chev, col);
            /* a dark inside, so the trail ending at the edge does not show through */
            prims_mark(r->world, o[0], o[1], o[2], rad, PRIM_DISC, rgba_alpha(COL_OUTLINE, 0.6f * am));
            prims_mark(r->world, o[0], o[1], o[2], rad + 2.0f, PRIM_RING, outline);
            prims_mark(r->world, o[0], o[1], o[2], rad, PRIM_RING, col);
            continue;
        }
        if (run->diverged) {
            prims_mark(r->world, o[0], o[1], o[2], rad * 1.6f + 2.0f, PRIM_CROSS, outline);
            prims_mark(r->world, o[0], o[1], o[2], rad * 1.6f, PRIM_CROSS, col);
            continue;
        }
        if (i == f->selected)
            prims_mark(r->world, o[0], o[1], o[2], rad + 6.0f, PRIM_RING, RGBA(255, 255, 255, (int)(220 * am)));
        prims_mark(r->world, o[0], o[1], o[2], rad + 2.0f, PRIM_DISC, outline);
        prims_mark(r->world, o[0], o[1], o[2], rad, PRIM_DISC, col);
    }
}

void marks_draw_critical(renderer *r, const render_frame *f, const panel_state *ps)
{
    if (!(f->overlays & SCENE_OVERLAY_CRITICAL) || !f->crit)
        return;
    float o[CRIT_DRAWN][3], rads[CRIT_DRAWN], near[CRIT_DRAWN];
    int ok[CRIT_DRAWN];
    int n = crit_layout(r, f, ps, o, rads, ok, near);
    for (int k = 0; k < n; k++) {
        const critical_point *c = &f->crit[k];
        if (!ok[k])
            continue;
        float rad = rads[k];
        static const prim_mark_kind kinds[4] = { PRIM_TRI_DOWN, PRIM_TRI_UP, PRIM_CROSS, PRIM_DIAMOND };
        static const uint32_t cols[4] = { RGBA(255, 255, 255, 255), RGBA(255, 120, 120, 255),
                                          RGBA(255, 255, 255, 255), RGBA(200, 200, 255, 255) };
        prim_mark_kind kd = kinds[c->type & 3];
        prims_mark(r->world, o[k][0], o[k][1], o[k][2], rad + 2.0f, kd, COL_OUTLINE);
        prims_mark(r->world, o[k][0], o[k][1], o[k][2], rad, kd, cols[c->type & 3]);
        if (c->type == POINT_SADDLE) {
            /* the escape arrows: 8 % of the domain's width, shorter where that would
             * reach half way to the nearest other critical point */
            surface_domain d = render_surface_domain(r->rs);
            double s = 0.08 * (d.xmax - d.xmin);
            for (int sg = -1; sg <= 1; sg += 2) {
                double x = c->x + sg * s * c->escape[0], y = c->y + sg * s * c->escape[1];
                float b[3];
                if (!rd_project(r, ps, x, y, rd_feval(f, x, y, NULL, NULL), 0.015f, b))
                    continue;
                float len = hypotf(b[0] - o[k][0], b[1] - o[k][1]);
                if (len > 0.5f * near[k]) {
                    double t = 0.5 * near[k] / len;
                    x = c->x + sg * s * t * c->escape[0], y = c->y + sg * s * t * c->escape[1];
                    if (!rd_project(r, ps, x, y, rd_feval(f, x, y, NULL, NULL), 0.015f, b))
                        continue;
                }
                marks_arrow(r->world, o[k], b, 2.0f, RGBA(255, 255, 255, 200), 0);
            }
        }
    }
}
