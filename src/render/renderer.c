/*
 * renderer.c — composition of a frame, and what the renderer owns.
 *
 * Owns: the programs, the surface slots (height textures, re-sampled only when the
 * field changes), the static layer (layer_cache.c works it), the font, the prims
 * batches, the camera; create/destroy; the helpers the frame files share
 * (render_internal.h); picking.
 *
 * Per frame (renderer_draw): layout → the background (rd_frame_begin: the static
 * layer copied, or clears) → for each panel world_draw_panel (world.c: the
 * surface and everything placed on it, flushed per panel with the panel's scissor,
 * and depth in 3-D) → the data panel (datapanel.c) → panel separators → the HUD
 * band (hud.c) → the side column: legend (hud.c) and plots (plot.c) → one flush of
 * the HUD batch → the help overlay (hud.c). Nothing static is rebuilt per frame:
 * the height texture changes only in renderer_set_field, the glyph atlas only when
 * the window height changes.
 *
 * Colours of runs: the Okabe–Ito palette (colour-blind safe), outlined in dark so
 * that every colour reads on every colour map.
 */
#include "render/render_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Okabe–Ito, one colour per optimizer kind (colour-blind safe). */
uint32_t render_optim_color(optim_kind k)
{
    switch (k) {
    case OPT_DEFAULT:
    case OPT_SGD: return RGBA(0xE6, 0x9F, 0x00, 255);        /* orange */
    case OPT_MOMENTUM: return RGBA(0x56, 0xB4, 0xE9, 255);   /* sky blue */
    case OPT_ADAGRAD: return RGBA(0x00, 0x9E, 0x73, 255);    /* bluish green */
    case OPT_RMSPROP: return RGBA(0xF0, 0xE4, 0x42, 255);    /* yellow */
    case OPT_ADAM: return RGBA(0xCC, 0x79, 0xA7, 255);       /* reddish purple */
    default: return RGBA(0xF0, 0xF0, 0xF0, 255);
    }
}

uint32_t render_run_color(const trainer *tr, int i)
{
    return render_optim_color(optim_desc_get(trainer_run_get(tr, i)->opt)->kind);
}

int render_run_dashed(const trainer *tr, int i) { return trainer_run_kind_rank(tr, i) > 0; }

void render_run_label(const trainer *tr, int i, char *buf, size_t n)
{
    const char *name = optim_kind_name(optim_desc_get(trainer_run_get(tr, i)->opt)->kind);
    int rank = trainer_run_kind_rank(tr, i);
    if (rank > 0)
        snprintf(buf, n, "%s #%d", name, rank + 1);
    else
        snprintf(buf, n, "%s", name);
}

void rd_dashed_polyline(prims *p, const prim_pt *pts, int n, float width, float outline, float dash,
                        float gap)
{
    float phase = 0;   /* distance into the current dash + gap period */
    for (int k = 1; k < n; k++) {
        prim_pt a = pts[k - 1], b = pts[k];
        float dx = b.x - a.x, dy = b.y - a.y, dz = b.z - a.z;
        float len = sqrtf(dx * dx + dy * dy), t = 0;
        if (!(len > 0) || len > 1e5f)
            continue;
        while (t < len) {
            float in = phase < dash ? dash - phase : dash + gap - phase;
            float e = fminf(len, t + fmaxf(in, 0.25f));   /* always advances */
            if (phase < dash) {
                prim_pt seg[2] = { { a.x + dx * t / len, a.y + dy * t / len, a.z + dz * t / len, b.rgba },
                                   { a.x + dx * e / len, a.y + dy * e / len, a.z + dz * e / len, b.rgba } };
                prims_polyline_ex(p, seg, 2, width, outline, 0.0f);
            }
            phase = fmodf(phase + (e - t), dash + gap);
            t = e;
        }
    }
}

/* ==== Create / destroy ==== */

static void destroy_programs(gl_program *p, int n)
{
    for (int i = 0; i < n; i++)
        gl_program_destroy(&p[i]);
}

/* All programs or none: on failure the previous ones stay. */
static int build_programs(renderer *r, const char *dir)
{
    static const char *const pairs[6][2] = {
        { "surface.vert", "surface2d.frag" }, { "surface.vert", NULL },
        { "prims.vert", "prims_fill.frag" },  { "prims.vert", "prims_mark.frag" },
        { "prims.vert", "prims_text.frag" },  { "prims.vert", "prims_disc.frag" },
    };
    gl_program np[6] = { { 0 } };
    for (int i = 0; i < 6; i++)
        if (!gl_program_build(pairs[i][0],
                              pairs[i][1] ? pairs[i][1] : r->ref3d ? "surface3d_ref.frag" : "surface3d.frag",
                              dir, &np[i])) {
            destroy_programs(np, 6);
            return 0;
        }
    destroy_programs(&r->prog_surface2d, 1);
    destroy_programs(&r->prog_surface3d, 1);
    destroy_programs(r->prog_prims, 4);
    r->prog_surface2d = np[0];
    r->prog_surface3d = np[1];
    for (int i = 0; i < 4; i++)
        r->prog_prims[i] = np[2 + i];
    r->prog_gen++;
    return 1;
}

renderer *renderer_create(const renderer_desc *desc)
{
    renderer_desc d = desc ? *desc : (renderer_desc){ 0 };
    if (d.tex_n <= 0)
        d.tex_n = 256;
    if (d.mesh_n <= 0)
        d.mesh_n = 64;
    renderer *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->th = rd_theme_get(0);
    r->ref3d = d.reference_3d != 0;
    if (!build_programs(r, d.shader_dir)) {
        free(r);
        return NULL;
    }
    r->tex_n = d.tex_n;
    r->mesh_n = d.mesh_n;
#ifdef __EMSCRIPTEN__
    /* WebGL2 refuses the layer's copies into the page's framebuffer: it is multisampled
     * (the canvas antialiases) and its depth/stencil format is the browser's choice,
     * and glBlitFramebuffer into either is GL_INVALID_OPERATION. The browser draws
     * every frame whole (its GPU, or SwiftShader, needs no copies to keep up). */
    r->cache_on = 0;
#else
    r->cache_on = !d.no_cache;
#endif
    r->slot[0].rs = r->rs = render_surface_create(d.tex_n, d.mesh_n);
    r->font = text_font_create();
    r->world = prims_create();
    r->hud = prims_create();
    r->top = prims_create();
    if (!r->rs || !r->font || !r->world || !r->hud || !r->top) {
        renderer_destroy(r);
        return NULL;
    }
    camera_init(&r->cam, -50, 35, 1.6f);
    return r;
}

void renderer_destroy(renderer *r)
{
    if (!r)
        return;
    destroy_programs(&r->prog_surface2d, 1);
    destroy_programs(&r->prog_surface3d, 1);
    destroy_programs(r->prog_prims, 4);
    rd_cache_release(r);
    render_surface_destroy(r->slot[0].rs);
    render_surface_destroy(r->slot[1].rs);
    text_font_destroy(r->font);
    free(r->boxes);
    free(r->box_text);
    prims_destroy(r->world);
    prims_destroy(r->hud);
    prims_destroy(r->top);
    free(r->pts);
    free(r->trail_pts);
    free(r->trail_base);
    free(r->trail_under);
    free(r->trail_over);
    polysimp_grid_free(&r->trail_grid);
    for (int k = 0; k < LAYOUT_MAX_PANELS; k++)
        for (int i = 0; i < TRAINER_MAX_RUNS; i++)
            projmemo_free(&r->trail_memo[k][i]);
    free(r->idx);
    free(r);
}

int renderer_reload_shaders(renderer *r, const char *dir) { return build_programs(r, dir); }

/* s shortened (UTF-8 aware) with "…" so that it is at most w pixels wide at size. */
const char *rd_fit_text(const renderer *r, text_size size, const char *s, float w, char *buf, size_t n)
{
    if (text_width(r->font, size, s) <= w)
        return s;
    size_t len = strlen(s);
    if (len >= n - 4)
        len = n - 4;
    while (len > 0) {
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;   /* a character boundary */
        memcpy(buf, s, len);
        memcpy(buf + len, "…", sizeof "…");
        if (text_width(r->font, size, buf) <= w)
            return buf;
        len--;
    }
    return "…";
}

void rd_box(renderer *r, render_rect rc, render_box_kind kind, int layer)
{
    if (r->n_boxes == r->cap_boxes) {
        int cap = r->cap_boxes ? 2 * r->cap_boxes : 256;
        render_box *b = realloc(r->boxes, (size_t)cap * sizeof *b);
        if (!b)
            return;
        r->boxes = b;
        r->cap_boxes = cap;
    }
    r->boxes[r->n_boxes++] = (render_box){ rc, kind, layer, 0, -1 };
}

/* s kept for the box just noted (renderer_keep_strings); its offset in r->box_text. */
static int keep_string(renderer *r, const char *s)
{
    size_t n = strlen(s) + 1;
    if (r->n_box_text + n > r->cap_box_text) {
        size_t cap = r->cap_box_text ? 2 * r->cap_box_text : 4096;
        while (cap < r->n_box_text + n)
            cap *= 2;
        char *t = realloc(r->box_text, cap);
        if (!t)
            return -1;
        r->box_text = t;
        r->cap_box_text = cap;
    }
    memcpy(r->box_text + r->n_box_text, s, n);
    r->n_box_text += n;
    return (int)(r->n_box_text - n);
}

static void text_box(void *ctx, const prims *p, float x, float y, float w, float h, int px, const char *s)
{
    renderer *r = ctx;
    int n = r->n_boxes;
    rd_box(r, (render_rect){ x, y, w, h }, r->text_kind, p == r->world ? 0 : p == r->top ? 2 : 1);
    if (r->n_boxes > n) {
        r->boxes[n].px = px;
        if (r->keep_strings)
            r->boxes[n].str = keep_string(r, s);
    }
}

void renderer_keep_strings(renderer *r, int on) { r->keep_strings = on; }

const char *renderer_box_string(const renderer *r, const render_box *b)
{
    return b->str >= 0 && r->box_text ? r->box_text + b->str : "";
}

int renderer_boxes(const renderer *r, const render_box **boxes)
{
    *boxes = r->boxes;
    return r->n_boxes;
}

const char *renderer_probe_text(const renderer *r) { return r->probe_text; }
const char *renderer_counters(const renderer *r) { return r->counters; }

const char *renderer_hud_text(const renderer *r) { return r->hud_text; }

int renderer_help_pages(const renderer *r) { return r->help_pages > 0 ? r->help_pages : 1; }

camera *renderer_camera(renderer *r) { return &r->cam; }

void renderer_invalidate_surface(renderer *r)
{
    r->slot[0].have = r->slot[1].have = 0;
    memset(r->mc.valid, 0, sizeof r->mc.valid);
}

void renderer_set_cache(renderer *r, int on)
{
    r->cache_on = on != 0;
    if (!r->cache_on)
        rd_cache_release(r);
}

static void set_slot(renderer *r, int k, const render_field *fd)
{
    if (!r->slot[k].rs && !(r->slot[k].rs = render_surface_create(r->tex_n, r->mesh_n)))
        return;
    if (r->slot[k].have && r->slot[k].version == fd->version &&
        memcmp(&r->slot[k].dom, &fd->domain, sizeof fd->domain) == 0)
        return;
    render_surface_upload(r->slot[k].rs, fd->eval_grid, fd->ctx, fd->domain);
    r->slot[k].have = 1;
    r->slot[k].version = fd->version;
    r->slot[k].dom = fd->domain;
}

void renderer_set_field(renderer *r, const render_field *fd) { set_slot(r, 0, fd); }
void renderer_set_field2(renderer *r, const render_field *fd) { set_slot(r, 1, fd); }

/* ==== Helpers ==== */

prim_pt *rd_scratch(renderer *r, int n)
{
    if (n > r->cap_pts) {
        prim_pt *p = realloc(r->pts, (size_t)n * sizeof *p);
        if (!p)
            return NULL;
        r->pts = p;
        r->cap_pts = n;
    }
    return r->pts;
}

int *rd_scratch_idx(renderer *r, int n)
{
    if (n > r->cap_idx) {
        int *p = realloc(r->idx, (size_t)n * sizeof *p);
        if (!p)
            return NULL;
        r->idx = p;
        r->cap_idx = n;
    }
    return r->idx;
}

/* Number for the HUD: 4 significant digits, exponent form outside [1e-3, 1e5). */
double rd_nice_step(double range, int target)
{
    double raw = range / target, p = pow(10, floor(log10(raw))), m = raw / p;
    return p * (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10);
}

void rd_fmt_num(char *buf, size_t n, double v)
{
    if (v == 0)
        v = 0;   /* never "-0" (issue 9 #16) */
    double a = fabs(v);
    if (!isfinite(v))
        snprintf(buf, n, "%s", v != v ? "nan" : v > 0 ? "inf" : "-inf");
    else if (a != 0 && (a < 1e-3 || a >= 1e5))
        snprintf(buf, n, "%.2e", v);
    else
        snprintf(buf, n, "%.4g", v);
}

/* The field's value (gradient, Hessian) at plane point (a, b). */
double rd_feval(const render_frame *f, double a, double b, double g[2], double H[4])
{
    return f->field->eval(f->field->ctx, a, b, g, H);
}

/* Plane coordinates of θ. */
void rd_fproject(const render_frame *f, const double *theta, double ab[2])
{
    if (f->field->project)
        f->field->project(f->field->ctx, theta, ab);
    else
        ab[0] = theta[0], ab[1] = theta[1];
}

void rd_hist_point(const render_frame *f, int i, int j, double ab[2])
{
    const render_field *fd = f->field;
    int n = 0;
    trainer_history(f->tr, i, &n);
    if (i < TRAINER_MAX_RUNS && fd->hist_ab[i] && fd->hist_n[i] == n) {
        ab[0] = fd->hist_ab[i][2 * j];
        ab[1] = fd->hist_ab[i][2 * j + 1];
    } else {
        rd_fproject(f, trainer_history_theta(f->tr, i, j), ab);
    }
}

/* Plane coordinates of the current point of run i, and of the point before the
 * last update (θ − Δθ). */
int rd_run_escaped(const render_frame *f, int i)
{
    double ab[2];
    rd_fproject(f, trainer_run_get(f->tr, i)->theta, ab);
    surface_domain d = f->field->domain;
    double ex = 1e-9 * (d.xmax - d.xmin), ey = 1e-9 * (d.ymax - d.ymin);
    return !(ab[0] >= d.xmin - ex && ab[0] <= d.xmax + ex && ab[1] >= d.ymin - ey && ab[1] <= d.ymax + ey);
}

void rd_run_points(const render_frame *f, const trainer_run *run, double cur[2], double prev[2])
{
    rd_fproject(f, run->theta, cur);
    if (!prev)
        return;
    int n = trainer_param_count(f->tr);
    double tmp[64], *t = n <= 64 ? tmp : malloc((size_t)n * sizeof *t);
    if (!t) {
        prev[0] = cur[0], prev[1] = cur[1];
        return;
    }
    for (int k = 0; k < n; k++)
        t[k] = run->theta[k] - run->update[k];
    rd_fproject(f, t, prev);
    if (t != tmp)
        free(t);
}

/* Domain point → framebuffer pixel (top-left origin) and NDC depth in panel ps.
 * Returns 0 if the point is behind the camera. */
int rd_project(const renderer *r, const panel_state *ps, double x, double y, double f,
                   float lift, float out[3])
{
    if (!ps->lp.is3d) {
        surface_domain d = render_surface_domain(ps->rs);
        out[0] = ps->map.x + (float)((x - d.xmin) / (d.xmax - d.xmin)) * ps->map.w;
        out[1] = ps->map.y + (1.0f - (float)((y - d.ymin) / (d.ymax - d.ymin))) * ps->map.h;
        out[2] = 0;
        return 1;
    }
    vec3 w;
    render_surface_world(ps->rs, x, y, f, ps->log, w);
    /* on the surface as drawn (issue 9 #1): never below the mesh at (x, y) */
    w[2] = fmaxf(w[2], render_surface_drawn_norm(ps->rs, x, y) * RENDER_ZSCALE);
    w[2] += lift;
    vec4 p = { w[0], w[1], w[2], 1 }, c;
    glm_mat4_mulv((vec4 *)ps->mvp, p, c);
    if (c[3] <= 1e-6f)
        return 0;
    out[0] = ps->map.x + (c[0] / c[3] * 0.5f + 0.5f) * ps->map.w;
    out[1] = ps->map.y + (0.5f - c[1] / c[3] * 0.5f) * ps->map.h;
    out[2] = c[2] / c[3];
    return 1;
}

int renderer_project(const renderer *r, int panel, double x, double y, double fval, float out[2])
{
    if (panel < 0 || panel >= r->n_panels)
        return 0;
    float o[3];
    if (!rd_project(r, &r->panels[panel], x, y, fval, 0.012f, o))
        return 0;
    out[0] = o[0];
    out[1] = o[1];
    return 1;
}

int renderer_markers(const renderer *r, render_marker *out, int max)
{
    int n = r->n_marks < max ? r->n_marks : max;
    for (int i = 0; i < n; i++)
        out[i] = r->marks[i];
    return n;
}

int renderer_sigma_boxes(const renderer *r, render_sigma_box *out, int max)
{
    int n = r->n_sig < max ? r->n_sig : max;
    for (int i = 0; i < n; i++)
        out[i] = r->sig[i];
    return n;
}

int renderer_panels(const renderer *r, render_panel_report *out, int max)
{
    int n = r->n_panels < max ? r->n_panels : max;
    for (int i = 0; i < n; i++) {
        const panel_state *ps = &r->panels[i];
        out[i] = (render_panel_report){ ps->lp.is3d, ps->lp.rect, ps->map,
                                        ps->lp.is3d ? ps->surf : (render_rect){ 0, 0, 0, 0 } };
    }
    return n;
}

int renderer_clear_marks(const renderer *r, render_clear_mark *out, int max)
{
    int n = r->n_clear < max ? r->n_clear : max;
    for (int i = 0; i < n; i++)
        out[i] = r->clear[i];
    return n;
}

void rd_set_viewport(const renderer *r, render_rect rc)
{
    int x = (int)floorf(rc.x), y = (int)floorf(rc.y);
    int w = (int)ceilf(rc.x + rc.w) - x, h = (int)ceilf(rc.y + rc.h) - y;
    glViewport(x, r->fb_h - (y + h), w, h);
    glScissor(x, r->fb_h - (y + h), w, h);
}

void rd_full_viewport(const renderer *r)
{
    glViewport(0, 0, r->fb_w, r->fb_h);
    glScissor(0, 0, r->fb_w, r->fb_h);
}

int rd_pixel_rect(float x0, float y0, float x1, float y1, int out[4])
{
    out[0] = (int)ceilf(x0 - 0.5f), out[2] = (int)ceilf(x1 - 0.5f);
    out[1] = (int)ceilf(y0 - 0.5f), out[3] = (int)ceilf(y1 - 0.5f);
    return out[2] > out[0] && out[3] > out[1];
}

void rd_clear_pixels(const renderer *r, const int q[4], uint32_t rgba)
{
    glScissor(q[0], r->fb_h - q[3], q[2] - q[0], q[3] - q[1]);
    glClearColor((float)(rgba & 255) / 255.0f, (float)((rgba >> 8) & 255) / 255.0f,
                 (float)((rgba >> 16) & 255) / 255.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glScissor(0, 0, r->fb_w, r->fb_h);
}

void rd_clear_rect(const renderer *r, float x0, float y0, float x1, float y1, uint32_t rgba)
{
    int q[4];
    if (rd_pixel_rect(x0, y0, x1, y1, q))
        rd_clear_pixels(r, q, rgba);
}

void rd_plot_inside(renderer *r, float x0, float y0, float x1, float y1)
{
    int q[4];
    if (!rd_pixel_rect(x0, y0, x1, y1, q))
        return;
    if (r->plot_n < RD_MAX_PLOTS)
        memcpy(r->plot[r->plot_n++], q, sizeof q);
    else   /* more than the layer keeps: cleared now, every frame */
        rd_clear_pixels(r, q, COL_PLOT_BG);
}

float rd_em(const renderer *r) { return (float)text_px(r->font, TEXT_NORMAL); }

void rd_run_name(const render_frame *f, int i, char *buf, size_t n)
{
    if (i >= 0 && i < 8 && f->run_name[i])
        snprintf(buf, n, "%s", f->run_name[i]);
    else
        render_run_label(f->tr, i, buf, n);
}

int rd_is_adaptive(optim_kind k) { return k == OPT_ADAGRAD || k == OPT_RMSPROP || k == OPT_ADAM; }

/* The dark theme (the default) and the light one (a washed-out projector: dark
 * strings on near-white, the colour map's dark end lifted, as presentation mode's). */
static const rd_theme theme_dark = {
    .text = RGBA(235, 235, 235, 255), .dim = RGBA(160, 165, 175, 255), .bg = RGBA(20, 22, 27, 255),
    .panel = RGBA(12, 13, 17, 215), .side = RGBA(26, 28, 34, 255),
    /* a plot's inside: black at alpha 90 over the side column */
    .plot_bg = RGBA((26 * 165 + 127) / 255, (28 * 165 + 127) / 255, (34 * 165 + 127) / 255, 255),
    .outline = RGBA(10, 10, 12, 255), .warn = RGBA(255, 110, 90, 255), .axis = RGBA(150, 155, 165, 255),
    .grid = RGBA(255, 255, 255, 60), .sep = RGBA(60, 64, 72, 255), .select = RGBA(255, 255, 255, 28),
    .help_bg = RGBA(10, 11, 14, 235), .key = RGBA(255, 210, 120, 255), .narr = RGBA(255, 230, 160, 255),
    .paused = RGBA(255, 200, 90, 255), .curve = RGBA(225, 228, 235, 255), .curve2 = RGBA(120, 190, 255, 255),
    .sample = RGBA(200, 200, 210, 255), .inset = RGBA(12, 13, 17, 255), .grid_faint = RGBA(255, 255, 255, 18),
    .mark = RGBA(255, 255, 255, 130), .ring = RGBA(255, 255, 255, 220),
    .frame_bg = RGBA(20, 22, 27, 255), .data_bg = RGBA(22, 24, 30, 255), .plot_edge = 0,
};
static const rd_theme theme_light = {
    .text = RGBA(20, 22, 28, 255), .dim = RGBA(70, 76, 88, 255), .bg = RGBA(250, 250, 248, 255),
    .panel = RGBA(255, 255, 255, 225), .side = RGBA(236, 238, 242, 255), .plot_bg = RGBA(255, 255, 255, 255),
    .outline = RGBA(10, 10, 12, 255), .warn = RGBA(190, 30, 20, 255), .axis = RGBA(60, 64, 74, 255),
    .grid = RGBA(0, 0, 0, 70), .sep = RGBA(170, 175, 185, 255), .select = RGBA(0, 0, 0, 22),
    .help_bg = RGBA(252, 252, 250, 245), .key = RGBA(150, 70, 0, 255), .narr = RGBA(130, 60, 0, 255),
    .paused = RGBA(180, 80, 0, 255), .curve = RGBA(25, 28, 36, 255), .curve2 = RGBA(20, 90, 190, 255),
    .sample = RGBA(60, 64, 74, 255), .inset = RGBA(255, 255, 255, 255), .grid_faint = RGBA(0, 0, 0, 28),
    .mark = RGBA(0, 0, 0, 130), .ring = RGBA(20, 22, 28, 220),
    .frame_bg = RGBA(250, 250, 248, 255), .data_bg = RGBA(244, 245, 248, 255), .plot_edge = 0.7f,
};

const rd_theme *rd_theme_get(int theme) { return theme == 1 ? &theme_light : &theme_dark; }

void renderer_draw(renderer *r, const render_frame *f, int fb_w, int fb_h)
{
    render_frame fc;
    if (f->field && f->field->curve) {   /* the 1-D view: one 2-D panel, a curve */
        fc = *f;
        fc.view = SCENE_VIEW_2D;
        fc.layout = SCENE_LAYOUT_OVERLAY;
        f = &fc;
    }
    r->fb_w = fb_w > 1 ? fb_w : 1;
    r->fb_h = fb_h > 1 ? fb_h : 1;
    r->th = rd_theme_get(f->theme);
    /* presentation mode: type sized as for a window 1.4× taller; trails and markers
     * are measured in em and follow */
    r->text_h = f->present ? (int)(r->fb_h * 1.4f) : r->fb_h;
    text_set_scale(r->font, r->text_h);
    r->n_boxes = 0;
    r->n_box_text = 0;
    r->probe_text[0] = 0;   /* hud_draw_probe: the read-out drawn */
    r->hud_text[0] = 0;     /* hud_draw_band: the title and messages drawn */
    r->text_kind = RENDER_BOX_TEXT;
    text_set_box_sink(r->font, text_box, r);
    r->log = (f->overlays & SCENE_OVERLAY_LOG) != 0;
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &r->target_fbo);
    glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &r->target_read);
    glEnable(GL_SCISSOR_TEST);
    rd_full_viewport(r);
    glClearDepth(1.0);
    glDepthMask(GL_TRUE);
    r->depth_cleared = 0;
    r->depth_pending = 0;
    r->plot_n = 0;
    if (!r->slot[0].have)
        renderer_set_field(r, f->field);
    r->rs = r->slot[0].rs;

    int nr = trainer_run_count(f->tr);
    int runs[TRAINER_MAX_RUNS];
    for (int i = 0; i < nr; i++)
        runs[i] = i;
    int side = (f->overlays & (SCENE_OVERLAY_LEGEND | SCENE_OVERLAY_PLOT)) != 0;
    float lh = text_line_height(r->font, TEXT_NORMAL), big = text_line_height(r->font, TEXT_LARGE);
    float top_band = big + lh * 0.4f;
    layout_panel lp[LAYOUT_MAX_PANELS];
    render_rect side_rect, data_rect;
    int np = layout_compute_ex(r->fb_w, r->fb_h, f->view, f->layout, nr, runs, side, f->data != NULL,
                               lp, &side_rect, &data_rect);
    /* the rows at the bottom (caption, counters that found no room, toast,
     * narration) are reserved: the panels end above them (issue 9 #9) */
    hud_counters(r, f);
    hud_bottom bottom;
    hud_plan_bottom(r, f, (float)r->fb_w - side_rect.w, &bottom);
    int main_h = (int)floorf(bottom.top);
    if (main_h < r->fb_h && main_h > r->fb_h / 3) {
        render_rect full_side = side_rect;
        np = layout_compute_ex(r->fb_w, main_h, f->view, f->layout, nr, runs, side, f->data != NULL, lp,
                               &side_rect, &data_rect);
        side_rect = full_side;   /* the side column keeps the whole height */
    }
    /* a 2-D strip with a data panel: the data under the map, the map the whole width
     * (world.c's map margins: 3.2 + 0.9 em across, the band + 0.8 + 2.4 em down) */
    int data_below = 0;
    if (f->data && np == 1 && !lp[0].is3d && f->layout == SCENE_LAYOUT_OVERLAY && !f->field->curve) {
        float half[2], em = rd_em(r);
        render_surface_half(r->rs, half);
        data_below = layout_data_below(&lp[0].rect, &data_rect, half[0] / half[1], em * 4.1f,
                                       top_band + em * 3.2f, fmaxf(0.25f * (float)r->fb_h, lh * 8.5f));
    }
    r->n_panels = np;
    /* the frame's background: the cached static layer, or clears (layer_cache.c) */
    rd_frame_begin(r, lp, np, side ? &side_rect : NULL, f->data && data_rect.w > 0 ? &data_rect : NULL);
    int compare = f->layout == SCENE_LAYOUT_COMPARE;
    /* the compare layout's second panel: its own problem (or the first one on the
     * other height scale), its own texture */
    render_frame f2 = *f;
    if (compare) {
        f2.field = f->field2 ? f->field2 : f->field;
        f2.tr = f->tr2 ? f->tr2 : f->tr;
        f2.overlays = (f->overlays & ~(unsigned)SCENE_OVERLAY_LOG) | (f->log2 ? SCENE_OVERLAY_LOG : 0u);
        f2.series = NULL;
        if (f->field2) {
            f2.crit = NULL, f2.n_crit = 0;
            f2.probe_valid = 0;
            f2.narr = NULL;
        }
        if (!r->slot[1].have)
            renderer_set_field2(r, f2.field);
    }
    r->arrow_mag = 1;   /* the panels set it (world.c: arrow_scale) */
    r->n_marks = 0;     /* marks.c: marks_draw_runs records them */
    r->n_clear = 0;
    r->n_sig = 0;       /* world.c: draw_arrows records them */
    for (int i = 0; i < np; i++) {
        panel_state *ps = &r->panels[i];
        int second = compare && lp[i].problem == 1 && r->slot[1].rs;
        const render_frame *pf = second ? &f2 : f;
        ps->lp = lp[i];
        ps->rs = r->rs = r->slot[second].rs;
        ps->log = r->log = (pf->overlays & SCENE_OVERLAY_LOG) != 0;
        /* only panels touching the top edge leave room for the HUD band */
        if (pf->field->curve)
            curve_draw_panel(r, pf, ps, lp[i].rect.y < 1 ? top_band : 0);
        else
            world_draw_panel(r, pf, ps, lp[i].rect.y < 1 ? top_band : 0);
        if (compare)
            hud_draw_mini_legend(r, pf, ps);
    }
    r->rs = r->slot[0].rs;
    r->log = (f->overlays & SCENE_OVERLAY_LOG) != 0;
    if (f->data && data_rect.w > 0)
        datapanel_draw(r, f, data_rect, data_below ? rd_em(r) * 0.4f : top_band);
    if (data_below)
        prims_line(r->hud, data_rect.x, data_rect.y, data_rect.x + data_rect.w, data_rect.y, 1.0f, r->th->sep);
    /* panel separators */
    for (int i = 0; i < np; i++) {
        render_rect rc = lp[i].rect;
        if (rc.x > 0.5f)
            prims_line(r->hud, rc.x, rc.y, rc.x, rc.y + rc.h, 1.0f, r->th->sep);
        if (rc.y > 0.5f)
            prims_line(r->hud, rc.x, rc.y, rc.x + rc.w, rc.y, 1.0f, r->th->sep);
    }

    /* HUD band: title, run counters, narration caption, status, probe text (hud.c) */
    hud_draw_band(r, f, side_rect);

    if (side) {
        /* the column's background came with the frame's (rd_frame_begin) */
        float y = side_rect.y;
        if (f->overlays & SCENE_OVERLAY_LEGEND)
            y = hud_draw_legend(r, f, side_rect);
        y = hud_draw_probe(r, f, side_rect, y);
        if (f->overlays & SCENE_OVERLAY_PLOT)
            plot_draw_column(r, f, side_rect, y);   /* plot.c */
    }
    rd_plot_insides(r);   /* before the column's primitives: they are drawn over them */
    prims_flush(r->hud, r->prog_prims, text_atlas(r->font), r->fb_w, r->fb_h, 0);
    if (f->help && f->n_help > 0) {
        hud_draw_help(r, f);
        prims_flush(r->top, r->prog_prims, text_atlas(r->font), r->fb_w, r->fb_h, 0);
    }
    glDisable(GL_SCISSOR_TEST);
}

/* ==== Picking ==== */

int renderer_pick(const renderer *r, const render_frame *f, float px, float py, double *x, double *y)
{
    for (int i = 0; i < r->n_panels; i++) {
        const panel_state *ps = &r->panels[i];
        if (!render_rect_contains(ps->map, px, py))
            continue;
        const render_surface *rs = ps->rs ? ps->rs : r->rs;
        /* the clicked panel's own problem: compare's second panel shows field2 (its
         * heights, its domain), as renderer_draw drew it */
        render_frame pf = *f;
        if (f->layout == SCENE_LAYOUT_COMPARE && ps->lp.problem == 1 && f->field2 && r->slot[1].rs &&
            rs == r->slot[1].rs)
            pf.field = f->field2;
        surface_domain d = render_surface_domain(rs);
        if (!ps->lp.is3d) {
            *x = d.xmin + (px - ps->map.x) / ps->map.w * (d.xmax - d.xmin);
            *y = d.ymin + (1.0 - (py - ps->map.y) / ps->map.h) * (d.ymax - d.ymin);
            return 1;
        }
        vec3 o, dir;
        float nx = (px - ps->map.x) / ps->map.w * 2 - 1, ny = 1 - (py - ps->map.y) / ps->map.h * 2;
        nx = (nx - ps->fit[1]) / ps->fit[0], ny = (ny - ps->fit[2]) / ps->fit[0];   /* world.c: fit_surface */
        camera_ray(&r->cam, ps->map.w / ps->map.h, nx, ny, o, dir);
        float half[2];
        render_surface_half(rs, half);
        /* march until the ray goes below the surface, then bisect */
        float t0 = 0, step = 0.01f;
        double prev_above = 1;
        for (int k = 0; k < 4000; k++) {
            float t = t0 + step * k;
            float wx = o[0] + dir[0] * t, wy = o[1] + dir[1] * t, wz = o[2] + dir[2] * t;
            if (fabsf(wx) > half[0] || fabsf(wy) > half[1]) {
                prev_above = 1;
                continue;
            }
            double sx, sy;
            render_surface_unworld(rs, wx, wy, &sx, &sy);
            double h = render_surface_geo_norm(rs, rd_feval(&pf, sx, sy, NULL, NULL), ps->log) *
                       RENDER_ZSCALE;
            double above = wz - h;
            if (above <= 0 && prev_above > 0 && k > 0) {
                float lo = t - step, hi = t;
                for (int it = 0; it < 30; it++) {
                    float m = 0.5f * (lo + hi);
                    float mx = o[0] + dir[0] * m, my = o[1] + dir[1] * m, mz = o[2] + dir[2] * m;
                    render_surface_unworld(rs, mx, my, &sx, &sy);
                    double hm = render_surface_geo_norm(rs, rd_feval(&pf, sx, sy, NULL, NULL), ps->log) *
                                RENDER_ZSCALE;
                    if (mz - hm > 0)
                        lo = m;
                    else
                        hi = m;
                }
                render_surface_unworld(rs, o[0] + dir[0] * hi, o[1] + dir[1] * hi, x, y);
                return 1;
            }
            prev_above = above;
        }
        return 0;
    }
    return 0;
}
