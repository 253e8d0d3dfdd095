/*
 * world.c — one surface panel and everything placed on it.
 *
 * world_draw_panel draws a panel of the frame: its label, the surface (the cached
 * 2-D heat map, or the lit 3-D mesh) and, projected on the CPU into r->world and
 * flushed with the panel's scissor (depth-tested in 3-D where it must hide behind
 * hills), the trails (trails.c), current-point markers and critical points (marks.c),
 * gradient/update arrows with σ boxes, the Hessian probe's Taylor patch and the
 * narrated step; then the 2-D axes and contour labels into r->hud (mapaxes.c). It
 * reads the frame and the renderer's state; it owns nothing.
 */
#include "render/render_internal.h"

#include "render/marks.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== World overlays of one panel (the trails: trails.c) ==== */

/* The least half side of a σ box on screen: 0.2 em, at least 3 px (a box 6 px or
 * more across, not a sliver that reads as a line). */
#define SIGMA_MIN_HALF 0.2f
static float sigma_least_half(const renderer *r) { return fmaxf(3.0f, rd_em(r) * SIGMA_MIN_HALF); }

/* Half sides (pixels) of the σ box of a run: the larger one 2.2 em, the other in
 * proportion to σ along its axis, at least sigma_least_half (s: σ per axis, max > 0). */
static void sigma_box_half(const renderer *r, const double s[2], float half[2])
{
    double m = fmax(s[0], s[1]);
    half[0] = fmaxf((float)(rd_em(r) * 2.2 * s[0] / m), sigma_least_half(r));
    half[1] = fmaxf((float)(rd_em(r) * 2.2 * s[1] / m), sigma_least_half(r));
}

/* Record run i's σ box for renderer_sigma_boxes: centre pixel a, sides on screen. */
static void sigma_box_note(renderer *r, const panel_state *ps, int i, const float a[3], float sx, float sy)
{
    if (r->n_sig < RENDER_MAX_MARKERS)
        r->sig[r->n_sig++] = (render_sigma_box){ (int)(ps - r->panels), i, a[0], a[1], sx, sy };
}

/* The length on screen (pixels) of the segment from (x0, y0) to (x1, y1) on the
 * surface, through its middle's projection a; 0 where an end does not project. */
static float sigma_side_px(renderer *r, const render_frame *f, const panel_state *ps, double x0, double y0,
                           double x1, double y1)
{
    float o0[3], o1[3];
    if (!rd_project(r, ps, x0, y0, rd_feval(f, x0, y0, NULL, NULL), 0.02f, o0) ||
        !rd_project(r, ps, x1, y1, rd_feval(f, x1, y1, NULL, NULL), 0.02f, o1))
        return 0;
    return hypotf(o1[0] - o0[0], o1[1] - o0[1]);
}

/* The σ box in a 3-D panel: the same box as in 2-D (sigma_box_half), laid on the
 * surface around domain point (x, y) drawn at pixel a. Pixel sizes become domain
 * sizes with the local screen scale at (x, y) (the larger of the two axes' pixels
 * per domain unit), so the box is 2.2 em across its larger half side where its
 * axis faces the camera; each edge is sampled and lifted onto the surface, so the
 * outline follows the height: a thin line in the run's colour, as in 2-D, not the
 * trails' wide bordered strip (issue 9: ravine's thin box read as a trail). Each
 * half side is at least sigma_least_half on screen along its own axis: where the
 * domain's sides differ by far (x over 80 units, y over 1) the shorter-scaled side
 * came out a fraction of a pixel, a sliver that read as a line. */
static void sigma_box_3d(renderer *r, const render_frame *f, const panel_state *ps, int run, double x, double y,
                         const float a[3], const float half[2], uint32_t col)
{
    surface_domain d = render_surface_domain(ps->rs);
    double span = fmax(d.xmax - d.xmin, d.ymax - d.ymin), dl = 0.01 * span;
    float px = 0, py = 0, o[3];
    if (rd_project(r, ps, x + dl, y, rd_feval(f, x + dl, y, NULL, NULL), 0.02f, o))
        px = hypotf(o[0] - a[0], o[1] - a[1]) / (float)dl;
    if (rd_project(r, ps, x, y + dl, rd_feval(f, x, y + dl, NULL, NULL), 0.02f, o))
        py = hypotf(o[0] - a[0], o[1] - a[1]) / (float)dl;
    float scale = fmaxf(px, py);   /* pixels per domain unit */
    if (!(scale > 0) || !isfinite(scale))
        return;
    float least = sigma_least_half(r);
    double hx = half[0] / scale, hy = half[1] / scale;
    if (px > 0)
        hx = fmax(hx, least / px);
    if (py > 0)
        hy = fmax(hy, least / py);
    hx = fmin(hx, 0.25 * span), hy = fmin(hy, 0.25 * span);
    sigma_box_note(r, ps, run, a, sigma_side_px(r, f, ps, x - hx, y, x + hx, y),
                   sigma_side_px(r, f, ps, x, y - hy, x, y + hy));
    /* the corners in order; each edge is clipped to the domain (the surface ends
     * there) and sampled EDGE times inside it; a clipped end breaks the outline */
    enum { EDGE = 16 };
    static const double cx[5] = { -1, 1, 1, -1, -1 }, cy[5] = { -1, -1, 1, 1, -1 };
    prim_pt pts[4 * (EDGE + 1)];
    int m = 0;
    for (int e = 0; e < 4; e++) {
        double x0 = x + hx * cx[e], y0 = y + hy * cy[e], x1 = x + hx * cx[e + 1], y1 = y + hy * cy[e + 1];
        double t0 = 0, t1 = 1;
        /* axis-aligned: one coordinate is fixed, the other moves linearly */
        const double c0[2] = { x0, y0 }, c1[2] = { x1, y1 }, lo[2] = { d.xmin, d.ymin }, hi[2] = { d.xmax, d.ymax };
        for (int ax = 0; ax < 2; ax++) {
            double dc = c1[ax] - c0[ax];
            if (dc == 0) {
                if (c0[ax] < lo[ax] || c0[ax] > hi[ax])
                    t1 = -1;   /* the whole edge is outside */
                continue;
            }
            double ta = (lo[ax] - c0[ax]) / dc, tb = (hi[ax] - c0[ax]) / dc;
            t0 = fmax(t0, fmin(ta, tb));
            t1 = fmin(t1, fmax(ta, tb));
        }
        if (t0 > 0 || t1 < t0) {   /* the outline does not arrive at this edge's start */
            prims_polyline(r->world, pts, m, 2.0f);
            m = 0;
        }
        if (t1 < t0)
            continue;
        for (int k = m > 0 ? 1 : 0; k <= EDGE; k++) {
            double t = t0 + (t1 - t0) * k / EDGE;
            double sx = x0 + (x1 - x0) * t, sy = y0 + (y1 - y0) * t;
            if (!rd_project(r, ps, sx, sy, rd_feval(f, sx, sy, NULL, NULL), 0.02f, o)) {
                prims_polyline(r->world, pts, m, 2.0f);
                m = 0;
                continue;
            }
            pts[m++] = (prim_pt){ o[0], o[1], o[2], col };
        }
        if (t1 < 1) {
            prims_polyline(r->world, pts, m, 2.0f);
            m = 0;
        }
    }
    prims_polyline(r->world, pts, m, 2.0f);
}

/* Arrows are drawn to scale (issue 9 #14): true length in domain units, unless the
 * longest would be under 4 % of the domain, then magnified by the power of ten that
 * brings it there (at most 10⁶; the legend states the factor, r->arrow_mag). */
static double arrow_scale(double span, double longest)
{
    if (!(longest > 0) || longest >= 0.04 * span)
        return 1;
    double k = pow(10, ceil(log10(0.04 * span / longest)));
    return k > 1e6 ? 1e6 : k;
}

/* Run i's arrows in panel ps: 0 if it has none (another panel's run, diverged,
 * off); else the run, its current point, θ − Δθ (plane coordinates) and the
 * gradient at the current point. */
static int arrow_run(const render_frame *f, const panel_state *ps, int i, const trainer_run **run,
                     double cur[2], double prev[2], double g[2])
{
    *run = trainer_run_get(f->tr, i);
    if ((ps->lp.run >= 0 && ps->lp.run != i) || (*run)->diverged || !(*run)->active)
        return 0;
    rd_run_points(f, *run, cur, prev);
    rd_feval(f, cur[0], cur[1], g, NULL);
    return 1;
}

static void draw_arrows(renderer *r, const render_frame *f, const panel_state *ps)
{
    if (!(f->overlays & SCENE_OVERLAY_ARROWS))
        return;
    int nr = trainer_run_count(f->tr);
    surface_domain d = render_surface_domain(r->rs);
    double span = fmax(d.xmax - d.xmin, d.ymax - d.ymin);
    /* one scale for every arrow: the longest is 15 % of the domain, never shrunk */
    double longest = 0;
    for (int i = 0; i < nr; i++) {
        const trainer_run *run;
        double g[2], cur[2], prev[2];
        if (!arrow_run(f, ps, i, &run, cur, prev, g))
            continue;
        longest = fmax(longest, run->lr * hypot(g[0], g[1]));
        longest = fmax(longest, hypot(cur[0] - prev[0], cur[1] - prev[1]));
    }
    if (!(longest > 0))
        return;
    double k = arrow_scale(span, longest);
    r->arrow_mag = k;
    for (int i = 0; i < nr; i++) {
        const trainer_run *run;
        double g[2], cur[2], prev[2];
        if (!arrow_run(f, ps, i, &run, cur, prev, g))
            continue;
        double x = cur[0], y = cur[1];
        float a[3], b[3];
        if (!rd_project(r, ps, x, y, run->loss, 0.02f, a))
            continue;
        double vx[2][2] = { { -run->lr * g[0], -run->lr * g[1] }, { cur[0] - prev[0], cur[1] - prev[1] } };
        for (int v = 0; v < 2; v++) {
            double tx = x + k * vx[v][0], ty = y + k * vx[v][1];
            if (!rd_project(r, ps, tx, ty, rd_feval(f, tx, ty, NULL, NULL), 0.02f, b))
                continue;
            marks_arrow(r->world, a, b, 2.5f, COL_OUTLINE, 1);
            marks_arrow(r->world, a, b, 2.5f, v == 0 ? RGBA(255, 255, 255, 255) : render_run_color(f->tr, i), 0);
        }
        /* σ box for the adaptive methods: sides proportional to σ per axis */
        optim_kind kind = optim_desc_get(run->opt)->kind;
        if (rd_is_adaptive(kind) && trainer_param_count(f->tr) == 2) {
            double sg[2];
            optim_sigma(run->opt, sg);
            double m = fmax(sg[0], sg[1]);
            if (m > 0 && isfinite(m)) {
                float half[2];
                sigma_box_half(r, sg, half);
                float hx = half[0], hy = half[1];
                if (ps->lp.is3d) {
                    sigma_box_3d(r, f, ps, i, x, y, a, half, rgba_alpha(render_run_color(f->tr, i), 0.9f));
                } else {
                    sigma_box_note(r, ps, i, a, 2 * hx, 2 * hy);
                    uint32_t c = rgba_alpha(render_run_color(f->tr, i), 0.9f);
                    prim_pt box[5] = { { a[0] - hx, a[1] - hy, 0, c }, { a[0] + hx, a[1] - hy, 0, c },
                                       { a[0] + hx, a[1] + hy, 0, c }, { a[0] - hx, a[1] + hy, 0, c },
                                       { a[0] - hx, a[1] - hy, 0, c } };
                    prims_polyline(r->world, box, 5, 1.5f);
                }
            }
        }
    }
}

static void draw_probe_world(renderer *r, const render_frame *f, const panel_state *ps)
{
    if (!(f->overlays & SCENE_OVERLAY_PROBE) || !f->probe_valid)
        return;
    double px = f->probe[0], py = f->probe[1], g[2], H[4];
    double f0 = rd_feval(f, px, py, g, H);
    eig2 e;
    hessian_eig2(H, &e);
    surface_domain d = render_surface_domain(r->rs);
    double rad = 0.12 * fmin(d.xmax - d.xmin, d.ymax - d.ymin);
    float c[3];
    if (!rd_project(r, ps, px, py, f0, 0.02f, c))
        return;
    if (ps->lp.is3d) {
        /* translucent second-order Taylor patch */
        enum { N = 16 };
        float grid[N + 1][N + 1][3];
        int ok[N + 1][N + 1];
        for (int j = 0; j <= N; j++)
            for (int i = 0; i <= N; i++) {
                double dx = rad * (2.0 * i / N - 1), dy = rad * (2.0 * j / N - 1);
                double q = f0 + g[0] * dx + g[1] * dy +
                           0.5 * (H[0] * dx * dx + 2 * H[1] * dx * dy + H[3] * dy * dy);
                ok[j][i] = rd_project(r, ps, px + dx, py + dy, q, 0.01f, grid[j][i]);
            }
        uint32_t col = RGBA(255, 255, 255, 80);
        for (int j = 0; j < N; j++)
            for (int i = 0; i < N; i++)
                if (ok[j][i] && ok[j][i + 1] && ok[j + 1][i] && ok[j + 1][i + 1]) {
                    prims_tri3(r->world, grid[j][i], grid[j][i + 1], grid[j + 1][i + 1], col);
                    prims_tri3(r->world, grid[j][i], grid[j + 1][i + 1], grid[j + 1][i], col);
                }
    } else {
        /* the Taylor model's level set through the probe's neighbourhood: the ellipse
         * (or hyperbola arms) ½ dᵀHd = const, drawn along the eigenvectors */
        uint32_t col = RGBA(255, 255, 255, 170);
        enum { M = 64 };
        prim_pt pts[M + 1];
        int m = 0;
        /* semi-axes ∝ 1/√|λ|: narrow across steep curvature, wide along flat */
        double s0 = 1 / sqrt(fabs(e.lambda[0]) + 1e-12), s1 = 1 / sqrt(fabs(e.lambda[1]) + 1e-12);
        double sm = fmax(s0, s1);
        s0 = fmax(s0 / sm, 0.06) * rad, s1 = fmax(s1 / sm, 0.06) * rad;
        if (e.lambda[0] < 0 && e.lambda[1] > 0 && hessian_classify(&e, 0) == POINT_SADDLE) {
            /* indefinite: the level sets are hyperbolas, ½dᵀHd = +c (arms along the
             * positive-curvature axis) and = −c (along the negative one) */
            for (int arm = 0; arm < 4; arm++) {
                m = 0;
                double sg = arm & 1 ? -1.0 : 1.0;
                for (int k = 0; k <= M / 2; k++) {
                    double t = 1.4 * (2.0 * k / (M / 2) - 1);
                    double u, v;
                    if (arm < 2) {
                        u = 0.45 * s0 * sinh(t);
                        v = sg * 0.45 * s1 * cosh(t);
                    } else {
                        u = sg * 0.45 * s0 * cosh(t);
                        v = 0.45 * s1 * sinh(t);
                    }
                    double dx = u * e.vec[0][0] + v * e.vec[1][0], dy = u * e.vec[0][1] + v * e.vec[1][1];
                    float o[3];
                    rd_project(r, ps, px + dx, py + dy, 0, 0, o);
                    pts[m++] = (prim_pt){ o[0], o[1], 0, col };
                }
                prims_polyline(r->world, pts, m, 1.2f);
            }
        } else {
            for (int k = 0; k <= M; k++) {
                double t = 2 * GLM_PI * k / M;
                double u = cos(t) * s0, v = sin(t) * s1;
                double dx = u * e.vec[0][0] + v * e.vec[1][0], dy = u * e.vec[0][1] + v * e.vec[1][1];
                float o[3];
                rd_project(r, ps, px + dx, py + dy, 0, 0, o);
                pts[m++] = (prim_pt){ o[0], o[1], 0, col };
            }
            prims_polyline(r->world, pts, m, 1.2f);
        }
    }
    /* eigenvector axes: green for positive curvature, red for negative */
    for (int k = 0; k < 2; k++) {
        double vx = e.vec[k][0] * rad, vy = e.vec[k][1] * rad;
        float a[3], b[3];
        uint32_t col = e.lambda[k] >= 0 ? RGBA(120, 230, 120, 255) : RGBA(255, 110, 90, 255);
        double ax = px - vx, ay = py - vy, bx = px + vx, by = py + vy;
        if (rd_project(r, ps, ax, ay, rd_feval(f, ax, ay, NULL, NULL), 0.02f, a) &&
            rd_project(r, ps, bx, by, rd_feval(f, bx, by, NULL, NULL), 0.02f, b)) {
            prims_line(r->world, a[0], a[1], b[0], b[1], 4.5f, COL_OUTLINE);
            prims_line(r->world, a[0], a[1], b[0], b[1], 2.5f, col);
        }
    }
    prims_mark(r->world, c[0], c[1], c[2], rd_em(r) * 0.6f + 2, PRIM_PLUS, COL_OUTLINE);
    prims_mark(r->world, c[0], c[1], c[2], rd_em(r) * 0.6f, PRIM_PLUS, RGBA(255, 255, 255, 255));
}

static void draw_narration_world(renderer *r, const render_frame *f, const panel_state *ps)
{
    const render_narration *n = f->narr;
    if (!n || n->stage <= 0)
        return;
    if (ps->lp.run >= 0 && ps->lp.run != n->run)
        return;
    double x = n->origin[0], y = n->origin[1];
    float a[3], b[3];
    if (!rd_project(r, ps, x, y, rd_feval(f, x, y, NULL, NULL), 0.02f, a))
        return;
    surface_domain d = render_surface_domain(r->rs);
    double span = fmax(d.xmax - d.xmin, d.ymax - d.ymin);
    /* one scale for the whole narrated step: its sub-steps' arrows compare (the plain
     * step −ηg at θ is the reference, so a small Δθ looks small) */
    double g[2];
    rd_feval(f, x, y, g, NULL);
    double lr = n->run >= 0 && n->run < trainer_run_count(f->tr) ? trainer_run_get(f->tr, n->run)->lr : 0;
    double len = fmax(fmax(hypot(n->vec[0], n->vec[1]), hypot(n->vec2[0], n->vec2[1])), lr * hypot(g[0], g[1]));
    double k = arrow_scale(span, len);
    r->arrow_mag = fmax(r->arrow_mag, k);
    const double *vs[2] = { n->vec2, n->vec };
    for (int v = 0; v < 2; v++) {
        if (vs[v][0] == 0 && vs[v][1] == 0)
            continue;
        double tx = x + k * vs[v][0], ty = y + k * vs[v][1];
        if (!rd_project(r, ps, tx, ty, rd_feval(f, tx, ty, NULL, NULL), 0.02f, b))
            continue;
        marks_arrow(r->world, a, b, 3.0f, COL_OUTLINE, 1);
        marks_arrow(r->world, a, b, 3.0f, v == 1 ? render_run_color(f->tr, n->run) : RGBA(255, 255, 255, 255), 0);
    }
    if (n->box[0] > 0 || n->box[1] > 0) {
        double m = fmax(n->box[0], n->box[1]);
        float hx = (float)(rd_em(r) * 2.5 * n->box[0] / m), hy = (float)(rd_em(r) * 2.5 * n->box[1] / m);
        uint32_t c = render_run_color(f->tr, n->run);
        prim_pt box[5] = { { a[0] - hx, a[1] - hy, 0, c }, { a[0] + hx, a[1] - hy, 0, c },
                           { a[0] + hx, a[1] + hy, 0, c }, { a[0] - hx, a[1] + hy, 0, c },
                           { a[0] - hx, a[1] - hy, 0, c } };
        prims_polyline(r->world, box, 5, 2.0f);
    }
    prims_mark(r->world, a[0], a[1], a[2], rd_em(r) * 0.8f, PRIM_RING, RGBA(255, 255, 255, 255));
}

/* ==== Panels ==== */

/* The bounding box (x0, y0, x1, y1, normalized device coordinates) of the panel's
 * surface mesh under mvp: its grid of heights (33 × 33 samples, the edges included)
 * placed as the mesh is (render_surface_world). 0 where a point lies behind the eye
 * or there are no heights. */
static int surface_ndc_box(const panel_state *ps, mat4 mvp, float box[4])
{
    int n = 0;
    const float *v = render_surface_values(ps->rs, &n);
    if (!v || n < 2)
        return 0;
    surface_domain d = render_surface_domain(ps->rs);
    enum { K = 32 };
    box[0] = box[1] = 1e30f, box[2] = box[3] = -1e30f;
    for (int a = 0; a <= K; a++)
        for (int b = 0; b <= K; b++) {
            int i = b * (n - 1) / K, j = a * (n - 1) / K;
            double x = d.xmin + (d.xmax - d.xmin) * i / (n - 1), y = d.ymin + (d.ymax - d.ymin) * j / (n - 1);
            CGLM_ALIGN(16) vec4 p = { 0, 0, 0, 1 }, c;
            render_surface_world(ps->rs, x, y, v[j * n + i], ps->log, p);
            glm_mat4_mulv(mvp, p, c);
            if (!(c[3] > 1e-4f))
                return 0;
            float nx = c[0] / c[3], ny = c[1] / c[3];
            box[0] = fminf(box[0], nx), box[1] = fminf(box[1], ny);
            box[2] = fmaxf(box[2], nx), box[3] = fmaxf(box[3], ny);
        }
    return box[2] > box[0] && box[3] > box[1];
}

/* A 3-D panel of a layout of several (compare, panels, split): the surface framed to
 * fill its panel. The camera's view of the whole domain box, made for one wide view,
 * left the surface 35-40 % of a compare or panels cell; here its projected mesh is
 * scaled and centred in the panel's view (the clip coordinates' x and y: the same
 * eye, the same perspective, no part cut), the larger side leaving a marker's radius
 * and a little more to the edge. The user's zoom (camera distance against the
 * scene's) scales on top. Depends on the surface's heights and the camera only, so
 * a still camera gives the same matrix every frame (the static layer's key). */
static void fit_surface(renderer *r, panel_state *ps)
{
    float box[4];
    if (!surface_ndc_box(ps, ps->mvp, box))
        return;
    float m = rd_em(r) * 0.42f + 8.0f;   /* a marker's radius and its ring (marks.c) */
    float ax = 2 - 4 * m / ps->map.w, ay = 2 - 4 * m / ps->map.h;
    if (ax <= 0.2f || ay <= 0.2f)
        return;
    const camera *c = &r->cam;
    float zoom = c->distance > 0 ? c->home[2] / c->distance : 1;
    float s = fminf(ax / (box[2] - box[0]), ay / (box[3] - box[1])) * zoom;
    if (!(s > 0.05f && s < 20))
        return;
    float tx = -s * (box[0] + box[2]) * 0.5f, ty = -s * (box[1] + box[3]) * 0.5f;
    for (int k = 0; k < 4; k++) {   /* mvp is column-major: mvp[column][row] */
        ps->mvp[k][0] = s * ps->mvp[k][0] + tx * ps->mvp[k][3];
        ps->mvp[k][1] = s * ps->mvp[k][1] + ty * ps->mvp[k][3];
    }
    ps->fit[0] = s, ps->fit[1] = tx, ps->fit[2] = ty;
}

/* The world batch drawn depth-tested against the panel's surface: its depth where
 * the batch draws first (rd_depth_for). */
static void flush_depth_tested(renderer *r)
{
    float box[4];
    if (prims_bounds(r->world, box))
        rd_depth_for(r, box);
    prims_flush(r->world, r->prog_prims, text_atlas(r->font), r->fb_w, r->fb_h, 1);
}

void world_draw_panel(renderer *r, const render_frame *f, panel_state *ps, float top_band)
{
    render_rect rc = ps->lp.rect;
    render_surface_style st = { f->colormap, r->log,
                                (f->overlays & SCENE_OVERLAY_CONTOURS) ? CONTOURS : 0, f->present || f->theme == 1 };
    float lh = text_line_height(r->font, TEXT_NORMAL);
    const char *plabel = f->layout == SCENE_LAYOUT_COMPARE && ps->lp.run < 0 ? f->label[ps->lp.problem & 1]
                                                                           : NULL;
    float label_h = ps->lp.run >= 0 || plabel ? lh * 1.1f : 0;
    /* a panel's label stays in its panel: long compare labels ("compare: model=mlp:...")
     * and run labels are shortened with '…' instead of running into the next panel */
    char cut[256];
    if (plabel)
        text_draw(r->font, r->hud, TEXT_NORMAL, rc.x + 10, rc.y + top_band,
                  rd_fit_text(r, TEXT_NORMAL, plabel, rc.w - 20, cut, sizeof cut), COL_TEXT, TEXT_LEFT);
    if (ps->lp.run >= 0) {
        char buf[96], name[64];
        rd_run_name(f, ps->lp.run, name, sizeof name);
        snprintf(buf, sizeof buf, "%d  %s", ps->lp.run + 1, name);
        prims_rect(r->hud, rc.x + 6, rc.y + top_band + 4, rc.x + 6 + rd_em(r) * 0.8f,
                   rc.y + top_band + 4 + rd_em(r) * 0.8f, render_run_color(f->tr, ps->lp.run));
        text_draw(r->font, r->hud, TEXT_NORMAL, rc.x + 10 + rd_em(r), rc.y + top_band,
                  rd_fit_text(r, TEXT_NORMAL, buf, rc.w - 20 - rd_em(r), cut, sizeof cut), COL_TEXT,
                  TEXT_LEFT);
    }
    ps->fit[0] = 1, ps->fit[1] = ps->fit[2] = 0;
    ps->surf = (render_rect){ 0, 0, 0, 0 };
    if (!ps->lp.is3d) {
        float ml = rd_em(r) * 3.2f, mb = rd_em(r) * 2.4f, mt = top_band + label_h + rd_em(r) * 0.8f,
              mr = rd_em(r) * 0.9f;
        if (f->layout == SCENE_LAYOUT_COMPARE)   /* the panel's legend below the ticks */
            mb += hud_mini_legend_height(r, f);
        /* a y name wider than "y" (w2, PC2) keeps its place left of the tick labels */
        if (f->field->ylabel && *f->field->ylabel)
            ml += fmaxf(0, text_width(r->font, TEXT_SMALL, f->field->ylabel) - text_width(r->font, TEXT_SMALL, "y"));
        render_rect in = { rc.x + ml, rc.y + mt, rc.w - ml - mr, rc.h - mt - mb };
        float half[2];
        render_surface_half(r->rs, half);
        ps->map = layout_fit_aspect(in, half[0] / half[1]);
        /* the y name keeps its place left of the top tick label: where the tick labels
         * are wider than the margin allows for (11-px "-0.4" and "w2" at 640x360), the
         * margin grows to hold them; mapaxes_draw would otherwise set the name above the
         * map, on the title (features-unscaled) */
        surface_domain dom = render_surface_domain(r->rs);
        for (int k = 0; k < 2; k++) {
            float need = mapaxes_y_room(r, dom, ps->map.h, f->field->ylabel) - (ps->map.x - rc.x);
            if (need <= 0.5f)
                break;
            in.x += need, in.w -= need;
            ps->map = layout_fit_aspect(in, half[0] / half[1]);
        }
        rd_draw_map(r, ps, (int)(ps - r->panels), &st);
        draw_probe_world(r, f, ps);
        trails_draw_recorded(r, f, ps, 1.0f);
        trails_draw(r, f, ps, 1.0f, 0);
        /* the critical points over the trails, as in 3-D: runs that end at a minimum
         * drew their trails' ends across its ▼ (rosenbrock at 640x360) */
        marks_draw_critical(r, f, ps);
        draw_arrows(r, f, ps);
        marks_draw_runs(r, f, ps, 1.0f, 0);
        draw_narration_world(r, f, ps);
        rd_full_viewport(r);
        rd_set_viewport(r, ps->map);
        glViewport(0, 0, r->fb_w, r->fb_h);
        prims_flush(r->world, r->prog_prims, text_atlas(r->font), r->fb_w, r->fb_h, 0);
        rd_full_viewport(r);
        mapaxes_draw(r, ps->map, render_surface_domain(r->rs), f->field->xlabel, f->field->ylabel);
        rd_box(r, ps->map, RENDER_BOX_AREA, 1);
        if (st.contours && (ps->lp.run < 0)) {
            r->text_kind = RENDER_BOX_MAP_TEXT;   /* contour labels belong in the map */
            mapaxes_contour_labels(r, ps);
            r->text_kind = RENDER_BOX_TEXT;
        }
    } else {
        float mt = top_band + label_h;
        /* compare's legend of the panel's runs under the view, off the surface */
        float mb = f->layout == SCENE_LAYOUT_COMPARE && r->n_panels > 1 ? hud_mini_legend_height(r, f) : 0;
        ps->map = (render_rect){ rc.x, rc.y + mt, rc.w, rc.h - mt - mb };
        camera_view_proj(&r->cam, ps->map.w / ps->map.h, ps->mvp);
        if (r->n_panels > 1)
            fit_surface(r, ps);
        float sb[4];
        if (surface_ndc_box(ps, ps->mvp, sb))
            ps->surf = (render_rect){ ps->map.x + (sb[0] + 1) * 0.5f * ps->map.w,
                                      ps->map.y + (1 - sb[3]) * 0.5f * ps->map.h, (sb[2] - sb[0]) * 0.5f * ps->map.w,
                                      (sb[3] - sb[1]) * 0.5f * ps->map.h };
        vec3 eye;
        camera_eye(&r->cam, eye);
        rd_draw_surface3d(r, ps, (int)(ps - r->panels), &st, eye);
        glViewport(0, 0, r->fb_w, r->fb_h);
        /* what a hill hides is drawn dimmed on top, what is in sight at full strength
         * (issue 9 #10): ghosts without the depth test, then the depth-tested pass */
        trails_draw_recorded(r, f, ps, 0.3f);
        trails_draw(r, f, ps, 0.3f, 0);
        prims_flush(r->world, r->prog_prims, text_atlas(r->font), r->fb_w, r->fb_h, 0);
        trails_draw_recorded(r, f, ps, 1.0f);
        trails_draw(r, f, ps, 1.0f, 1);   /* the ghosts' projection */
        draw_probe_world(r, f, ps);
        flush_depth_tested(r);
        /* marks and arrows on top: a minimum in a deep valley must stay visible */
        marks_draw_critical(r, f, ps);
        draw_arrows(r, f, ps);
        marks_draw_runs(r, f, ps, 0.4f, 0);
        draw_narration_world(r, f, ps);
        prims_flush(r->world, r->prog_prims, text_atlas(r->font), r->fb_w, r->fb_h, 0);
        marks_draw_runs(r, f, ps, 1.0f, 0.004f);
        flush_depth_tested(r);
        rd_full_viewport(r);
    }
}
