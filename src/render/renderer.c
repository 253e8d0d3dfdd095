/*
 * renderer.c — composition of a frame.
 *
 * Per frame: layout → for each panel: the surface (one textured quad in 2-D, a
 * displaced grid in 3-D), then the panel's world overlays (trails, markers, arrows,
 * probe) projected on the CPU into a prims batch and flushed with the panel's
 * scissor (and depth in 3-D); finally the HUD batch (axes, text, legend, plot, help)
 * in one draw call. Nothing static is rebuilt per frame: the height texture changes
 * only in renderer_set_surface, the glyph atlas only when the window height changes.
 *
 * Colours of runs: the Okabe–Ito palette (colour-blind safe), outlined in dark so
 * that every colour reads on every colour map.
 */
#include "render/renderer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gl_util.h"
#include "render/layout.h"
#include "render/prims.h"
#include "render/surface_view.h"
#include "render/text.h"

/* ==== Types ==== */

typedef struct panel_state {
    layout_panel lp;        /* as laid out */
    render_surface *rs;     /* the surface drawn in it (slot 0, or 1 for compare's second) */
    int log;                /* its height scale */
    render_rect map;        /* 2-D: the map rectangle; 3-D: the panel rectangle */
    CGLM_ALIGN_MAT mat4 mvp;/* 3-D: projection × view for this panel's aspect */
} panel_state;

/* The static layer of the 2-D panels: each panel's heat map with its colour map and
 * contour lines (render_surface_draw2d) is drawn once into a framebuffer-sized
 * texture, at the same pixels as in the frame, and copied from there into each
 * frame (glBlitFramebuffer: a copy, no shading) while the panel's key stays the
 * same. The key holds every input of that picture:
 *   - the surface object and its upload generation (a new field version or domain:
 *     renderer_set_field/_field2, renderer_invalidate_surface, a mini-batch surface
 *     re-sampled each step, a PCA refit of the plane, a scene change);
 *   - the colour map, the height scale (log) and the contour count (toggle);
 *   - the map's rectangle in framebuffer pixels, bottom-left origin (view, layout,
 *     side column and data panel toggles, font scale); a new framebuffer size
 *     reallocates the texture and drops every panel's entry;
 *   - the program generation (renderer_reload_shaders).
 * Everything else drawn over the map (trails, markers, arrows, σ boxes, critical
 * points, probe, narration, axes, contour labels) is drawn per frame as before, in
 * the same order. Drawn at the same pixel positions as in the frame, the cached map
 * is bit for bit the one drawn directly (the software rasteriser's interpolation
 * and fwidth() depend on absolute pixel positions). */
typedef struct map_key {
    const render_surface *rs;
    unsigned long gen, prog_gen;
    int colormap, log, contours;
    int x, y, w, h;
} map_key;

typedef struct map_cache {
    GLuint fbo, tex;
    int tex_w, tex_h;                   /* allocated size (the framebuffer's) */
    int valid[LAYOUT_MAX_PANELS];       /* panel k's region holds key[k]'s picture */
    map_key key[LAYOUT_MAX_PANELS];
} map_cache;

struct renderer {
    gl_program prog_surface2d, prog_surface3d, prog_prims[3];
    unsigned long prog_gen;             /* build_programs successes (cache keys) */
    int cache_on;                       /* static layers cached (default 1) */
    GLint target_fbo, target_read;      /* framebuffers bound when renderer_draw began */
    map_cache mc;                       /* 2-D heat maps, drawn once */
    render_surface *rs;                 /* the surface of the panel being drawn (a slot's) */
    struct {
        render_surface *rs;             /* slot 1 is created on first use (compare) */
        int have;                       /* a field has been sampled */
        unsigned long version;          /* identity of the sampled field */
        surface_domain dom;
    } slot[2];
    int tex_n, mesh_n;
    text_font *font;
    prims *world, *hud, *top;           /* panel overlays, HUD, help overlay */
    camera cam;
    int fb_w, fb_h;
    panel_state panels[LAYOUT_MAX_PANELS];
    int n_panels;
    int log;                            /* log scale of the last frame */
    prim_pt *pts;                       /* scratch for polylines */
    int cap_pts;
};

static const uint32_t okabe_ito[8] = {
    RGBA(0xE6, 0x9F, 0x00, 255), /* orange */
    RGBA(0x56, 0xB4, 0xE9, 255), /* sky blue */
    RGBA(0x00, 0x9E, 0x73, 255), /* bluish green */
    RGBA(0xF0, 0xE4, 0x42, 255), /* yellow */
    RGBA(0xCC, 0x79, 0xA7, 255), /* reddish purple */
    RGBA(0xD5, 0x5E, 0x00, 255), /* vermillion */
    RGBA(0x00, 0x72, 0xB2, 255), /* blue */
    RGBA(0xF0, 0xF0, 0xF0, 255), /* white (8th run) */
};

#define COL_TEXT    RGBA(235, 235, 235, 255)
#define COL_DIM     RGBA(160, 165, 175, 255)
#define COL_BG      RGBA(20, 22, 27, 255)
#define COL_PANEL   RGBA(12, 13, 17, 215)
#define COL_OUTLINE RGBA(10, 10, 12, 255)
#define COL_WARN    RGBA(255, 110, 90, 255)
#define COL_AXIS    RGBA(150, 155, 165, 255)

uint32_t render_run_color(int i) { return okabe_ito[((i % 8) + 8) % 8]; }

/* ==== Static layer cache (map_cache) ==== */

static void map_cache_release(renderer *r)
{
    map_cache *mc = &r->mc;
    if (mc->fbo)
        glDeleteFramebuffers(1, &mc->fbo);
    if (mc->tex)
        glDeleteTextures(1, &mc->tex);
    memset(mc, 0, sizeof *mc);
}

static int map_key_eq(const map_key *a, const map_key *b)
{
    return a->rs == b->rs && a->gen == b->gen && a->prog_gen == b->prog_gen &&
           a->colormap == b->colormap && a->log == b->log && a->contours == b->contours &&
           a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h;
}

/* A w × h colour texture and its framebuffer (reallocated, and every entry dropped,
 * when the size differs). Returns 0 if the framebuffer cannot be made complete (the
 * caller then draws directly). Leaves the cache's framebuffer bound. */
static int map_cache_alloc(map_cache *mc, int w, int h)
{
    if (mc->fbo && mc->tex_w == w && mc->tex_h == h) {
        glBindFramebuffer(GL_FRAMEBUFFER, mc->fbo);
        return 1;
    }
    memset(mc->valid, 0, sizeof mc->valid);
    if (!mc->fbo)
        glGenFramebuffers(1, &mc->fbo);
    if (!mc->tex)
        glGenTextures(1, &mc->tex);
    glBindTexture(GL_TEXTURE_2D, mc->tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, mc->fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, mc->tex, 0);
    int ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    mc->tex_w = ok ? w : 0;
    mc->tex_h = ok ? h : 0;
    return ok;
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
    static const char *const pairs[5][2] = {
        { "surface.vert", "surface2d.frag" }, { "surface.vert", "surface3d.frag" },
        { "prims.vert", "prims_fill.frag" },  { "prims.vert", "prims_mark.frag" },
        { "prims.vert", "prims_text.frag" },
    };
    gl_program np[5] = { { 0 } };
    for (int i = 0; i < 5; i++)
        if (!gl_program_build(pairs[i][0], pairs[i][1], dir, &np[i])) {
            destroy_programs(np, 5);
            return 0;
        }
    destroy_programs(&r->prog_surface2d, 1);
    destroy_programs(&r->prog_surface3d, 1);
    destroy_programs(r->prog_prims, 3);
    r->prog_surface2d = np[0];
    r->prog_surface3d = np[1];
    for (int i = 0; i < 3; i++)
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
    if (!build_programs(r, d.shader_dir)) {
        free(r);
        return NULL;
    }
    r->tex_n = d.tex_n;
    r->mesh_n = d.mesh_n;
    r->cache_on = !d.no_cache;
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
    destroy_programs(r->prog_prims, 3);
    map_cache_release(r);
    render_surface_destroy(r->slot[0].rs);
    render_surface_destroy(r->slot[1].rs);
    text_font_destroy(r->font);
    prims_destroy(r->world);
    prims_destroy(r->hud);
    prims_destroy(r->top);
    free(r->pts);
    free(r);
}

int renderer_reload_shaders(renderer *r, const char *dir) { return build_programs(r, dir); }

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
        map_cache_release(r);
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

static prim_pt *scratch(renderer *r, int n)
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

/* Number for the HUD: 4 significant digits, exponent form outside [1e-3, 1e5). */
static void fmt_num(char *buf, size_t n, double v)
{
    double a = fabs(v);
    if (!isfinite(v))
        snprintf(buf, n, "%s", v != v ? "nan" : v > 0 ? "inf" : "-inf");
    else if (a != 0 && (a < 1e-3 || a >= 1e5))
        snprintf(buf, n, "%.2e", v);
    else
        snprintf(buf, n, "%.4g", v);
}

/* The field's value (gradient, Hessian) at plane point (a, b). */
static double feval(const render_frame *f, double a, double b, double g[2], double H[4])
{
    return f->field->eval(f->field->ctx, a, b, g, H);
}

/* Plane coordinates of θ. */
static void fproject(const render_frame *f, const double *theta, double ab[2])
{
    if (f->field->project)
        f->field->project(f->field->ctx, theta, ab);
    else
        ab[0] = theta[0], ab[1] = theta[1];
}

/* Plane coordinates of the current point of run i, and of the point before the
 * last update (θ − Δθ). */
static void run_points(const render_frame *f, const trainer_run *run, double cur[2], double prev[2])
{
    fproject(f, run->theta, cur);
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
    fproject(f, t, prev);
    if (t != tmp)
        free(t);
}

/* Domain point → framebuffer pixel (top-left origin) and NDC depth in panel ps.
 * Returns 0 if the point is behind the camera. */
static int project(const renderer *r, const panel_state *ps, double x, double y, double f,
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
    if (!project(r, &r->panels[panel], x, y, fval, 0.012f, o))
        return 0;
    out[0] = o[0];
    out[1] = o[1];
    return 1;
}

static void set_viewport(const renderer *r, render_rect rc)
{
    int x = (int)floorf(rc.x), y = (int)floorf(rc.y);
    int w = (int)ceilf(rc.x + rc.w) - x, h = (int)ceilf(rc.y + rc.h) - y;
    glViewport(x, r->fb_h - (y + h), w, h);
    glScissor(x, r->fb_h - (y + h), w, h);
}

static void full_viewport(const renderer *r)
{
    glViewport(0, 0, r->fb_w, r->fb_h);
    glScissor(0, 0, r->fb_w, r->fb_h);
}

static float em(const renderer *r) { return (float)text_px(r->font, TEXT_NORMAL); }

/* The heat map of 2-D panel ps (index k) into ps->map: copied from the cache when
 * the panel's key matches (see map_cache), else drawn into the cache first. Leaves
 * the viewport and scissor on the map, as set_viewport. */
static void draw_map(renderer *r, panel_state *ps, int k, const render_surface_style *st)
{
    render_rect rc = ps->map;
    int x = (int)floorf(rc.x), y = (int)floorf(rc.y);
    int w = (int)ceilf(rc.x + rc.w) - x, h = (int)ceilf(rc.y + rc.h) - y;
    int gy = r->fb_h - (y + h);   /* GL rows count from the bottom */
    set_viewport(r, rc);
    if (!r->cache_on || k < 0 || k >= LAYOUT_MAX_PANELS || w <= 0 || h <= 0 ||
        !gl_program_is_valid(r->prog_surface2d)) {
        render_surface_draw2d(r->rs, r->prog_surface2d, st);
        return;
    }
    map_cache *mc = &r->mc;
    map_key key = { r->rs, render_surface_generation(r->rs), r->prog_gen, st->colormap, st->log,
                    st->contours, x, gy, w, h };
    if (!mc->valid[k] || !map_key_eq(&mc->key[k], &key)) {
        mc->valid[k] = 0;
        if (!map_cache_alloc(mc, r->fb_w, r->fb_h)) {
            glBindFramebuffer(GL_DRAW_FRAMEBUFFER, (GLuint)r->target_fbo);
            glBindFramebuffer(GL_READ_FRAMEBUFFER, (GLuint)r->target_read);
            render_surface_draw2d(r->rs, r->prog_surface2d, st);
            return;
        }
        render_surface_draw2d(r->rs, r->prog_surface2d, st);   /* same viewport, scissor */
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, (GLuint)r->target_fbo);
        mc->key[k] = key;
        mc->valid[k] = 1;
    }
    /* the scissor (on the map) also bounds the blit */
    glBindFramebuffer(GL_READ_FRAMEBUFFER, mc->fbo);
    glBlitFramebuffer(x, gy, x + w, gy + h, x, gy, x + w, gy + h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, (GLuint)r->target_read);
}

/* An arrow from a to b (pixels) with a filled head. */
static void arrow(prims *p, const float a[3], const float b[3], float width, uint32_t rgba,
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

/* ==== Trails and world overlays of one panel ==== */

static void draw_trails(renderer *r, const render_frame *f, const panel_state *ps)
{
    int nr = trainer_run_count(f->tr);
    float w = fmaxf(2.5f, em(r) * 0.2f);
    for (int i = 0; i < nr; i++) {
        if (ps->lp.run >= 0 && ps->lp.run != i)
            continue;
        const trainer_run *run = trainer_run_get(f->tr, i);
        int n = 0;
        const trainer_point *h = trainer_history(f->tr, i, &n);
        prim_pt *pts = scratch(r, n + 1);
        if (!pts || n <= 0)
            continue;
        uint32_t col = render_run_color(i);
        float dim = run->active ? 1.0f : 0.35f;
        int m = 0;
        for (int j = 0; j < n; j++) {
            double th[2];
            fproject(f, trainer_history_theta(f->tr, i, j), th);
            float o[3];
            if (!project(r, ps, th[0], th[1], h[j].loss, 0.012f, o))
                continue;
            /* fading tail: the oldest part of the trail at 25 % */
            float age = n > 1 ? (float)j / (float)(n - 1) : 1.0f;
            pts[m++] = (prim_pt){ o[0], o[1], o[2], rgba_alpha(col, (0.25f + 0.75f * age * age) * dim) };
        }
        /* one strip with a dark border, so every colour reads on every colour map */
        prims_polyline_ex(r->world, pts, m, w + 3.0f, 1.5f, 1.5f);
    }
}

/* Markers at the current points (drawn on top, also in 3-D). */
static void draw_markers(renderer *r, const render_frame *f, const panel_state *ps)
{
    int nr = trainer_run_count(f->tr);
    for (int i = 0; i < nr; i++) {
        if (ps->lp.run >= 0 && ps->lp.run != i)
            continue;
        const trainer_run *run = trainer_run_get(f->tr, i);
        float o[3];
        double cur[2];
        run_points(f, run, cur, NULL);
        if (!project(r, ps, cur[0], cur[1], run->loss, 0.02f, o))
            continue;
        uint32_t col = rgba_alpha(render_run_color(i), run->active ? 1.0f : 0.4f);
        float rad = em(r) * 0.42f;
        if (run->diverged) {
            prims_mark(r->world, o[0], o[1], o[2], rad * 1.6f + 2.0f, PRIM_CROSS, COL_OUTLINE);
            prims_mark(r->world, o[0], o[1], o[2], rad * 1.6f, PRIM_CROSS, col);
            continue;
        }
        if (i == f->selected)
            prims_mark(r->world, o[0], o[1], o[2], rad + 6.0f, PRIM_RING, RGBA(255, 255, 255, 220));
        prims_mark(r->world, o[0], o[1], o[2], rad + 2.0f, PRIM_DISC, COL_OUTLINE);
        prims_mark(r->world, o[0], o[1], o[2], rad, PRIM_DISC, col);
    }
}

static void draw_critical(renderer *r, const render_frame *f, const panel_state *ps)
{
    if (!(f->overlays & SCENE_OVERLAY_CRITICAL) || !f->crit)
        return;
    float rad = em(r) * 0.5f;
    for (int k = 0; k < f->n_crit; k++) {
        const critical_point *c = &f->crit[k];
        float o[3];
        if (!project(r, ps, c->x, c->y, c->value, 0.015f, o))
            continue;
        static const prim_mark_kind kinds[4] = { PRIM_TRI_DOWN, PRIM_TRI_UP, PRIM_CROSS, PRIM_DIAMOND };
        static const uint32_t cols[4] = { RGBA(255, 255, 255, 255), RGBA(255, 120, 120, 255),
                                          RGBA(255, 255, 255, 255), RGBA(200, 200, 255, 255) };
        prim_mark_kind kd = kinds[c->type & 3];
        prims_mark(r->world, o[0], o[1], o[2], rad + 2.0f, kd, COL_OUTLINE);
        prims_mark(r->world, o[0], o[1], o[2], rad, kd, cols[c->type & 3]);
        if (c->type == POINT_SADDLE) {
            surface_domain d = render_surface_domain(r->rs);
            double s = 0.08 * (d.xmax - d.xmin);
            for (int sg = -1; sg <= 1; sg += 2) {
                double x = c->x + sg * s * c->escape[0], y = c->y + sg * s * c->escape[1];
                float b[3];
                if (project(r, ps, x, y, feval(f, x, y, NULL, NULL), 0.015f, b))
                    arrow(r->world, o, b, 2.0f, RGBA(255, 255, 255, 200), 0);
            }
        }
    }
}

static int is_adaptive(optim_kind k) { return k == OPT_ADAGRAD || k == OPT_RMSPROP || k == OPT_ADAM; }

/* Half sides (pixels) of the σ box of a run: the larger one 2.2 em, the other in
 * proportion to σ along its axis, at least 2 px (s: σ per axis, max > 0). */
static void sigma_box_half(const renderer *r, const double s[2], float half[2])
{
    double m = fmax(s[0], s[1]);
    half[0] = fmaxf((float)(em(r) * 2.2 * s[0] / m), 2.0f);
    half[1] = fmaxf((float)(em(r) * 2.2 * s[1] / m), 2.0f);
}

/* The σ box in a 3-D panel: the same box as in 2-D (sigma_box_half), laid on the
 * surface around domain point (x, y) drawn at pixel a. Pixel sizes become domain
 * sizes with the local screen scale at (x, y) (the larger of the two axes' pixels
 * per domain unit), so the box is 2.2 em across its larger half side where its
 * axis faces the camera; each edge is sampled and lifted onto the surface, so the
 * outline follows the height (a polyline with a dark border, in the run's colour). */
static void sigma_box_3d(renderer *r, const render_frame *f, const panel_state *ps, double x, double y,
                         const float a[3], const float half[2], uint32_t col)
{
    surface_domain d = render_surface_domain(ps->rs);
    double span = fmax(d.xmax - d.xmin, d.ymax - d.ymin), dl = 0.01 * span;
    float px = 0, py = 0, o[3];
    if (project(r, ps, x + dl, y, feval(f, x + dl, y, NULL, NULL), 0.02f, o))
        px = hypotf(o[0] - a[0], o[1] - a[1]) / (float)dl;
    if (project(r, ps, x, y + dl, feval(f, x, y + dl, NULL, NULL), 0.02f, o))
        py = hypotf(o[0] - a[0], o[1] - a[1]) / (float)dl;
    float scale = fmaxf(px, py);   /* pixels per domain unit */
    if (!(scale > 0) || !isfinite(scale))
        return;
    double hx = fmin(half[0] / scale, 0.25 * span), hy = fmin(half[1] / scale, 0.25 * span);
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
            prims_polyline_ex(r->world, pts, m, 5.0f, 1.5f, 1.5f);
            m = 0;
        }
        if (t1 < t0)
            continue;
        for (int k = m > 0 ? 1 : 0; k <= EDGE; k++) {
            double t = t0 + (t1 - t0) * k / EDGE;
            double sx = x0 + (x1 - x0) * t, sy = y0 + (y1 - y0) * t;
            if (!project(r, ps, sx, sy, feval(f, sx, sy, NULL, NULL), 0.02f, o)) {
                prims_polyline_ex(r->world, pts, m, 5.0f, 1.5f, 1.5f);
                m = 0;
                continue;
            }
            pts[m++] = (prim_pt){ o[0], o[1], o[2], col };
        }
        if (t1 < 1) {
            prims_polyline_ex(r->world, pts, m, 5.0f, 1.5f, 1.5f);
            m = 0;
        }
    }
    prims_polyline_ex(r->world, pts, m, 5.0f, 1.5f, 1.5f);
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
        const trainer_run *run = trainer_run_get(f->tr, i);
        if ((ps->lp.run >= 0 && ps->lp.run != i) || run->diverged || !run->active)
            continue;
        double g[2], cur[2], prev[2];
        run_points(f, run, cur, prev);
        feval(f, cur[0], cur[1], g, NULL);
        longest = fmax(longest, run->lr * hypot(g[0], g[1]));
        longest = fmax(longest, hypot(cur[0] - prev[0], cur[1] - prev[1]));
    }
    if (!(longest > 0))
        return;
    double k = 0.15 * span / longest;
    if (k < 1)
        k = 1;
    for (int i = 0; i < nr; i++) {
        const trainer_run *run = trainer_run_get(f->tr, i);
        if ((ps->lp.run >= 0 && ps->lp.run != i) || run->diverged || !run->active)
            continue;
        double g[2], cur[2], prev[2];
        run_points(f, run, cur, prev);
        double x = cur[0], y = cur[1];
        feval(f, x, y, g, NULL);
        float a[3], b[3];
        if (!project(r, ps, x, y, run->loss, 0.02f, a))
            continue;
        double vx[2][2] = { { -run->lr * g[0], -run->lr * g[1] }, { cur[0] - prev[0], cur[1] - prev[1] } };
        for (int v = 0; v < 2; v++) {
            double tx = x + k * vx[v][0], ty = y + k * vx[v][1];
            if (!project(r, ps, tx, ty, feval(f, tx, ty, NULL, NULL), 0.02f, b))
                continue;
            arrow(r->world, a, b, 2.5f, COL_OUTLINE, 1);
            arrow(r->world, a, b, 2.5f, v == 0 ? RGBA(255, 255, 255, 255) : render_run_color(i), 0);
        }
        /* σ box for the adaptive methods: sides proportional to σ per axis */
        optim_kind kind = optim_desc_get(run->opt)->kind;
        if (is_adaptive(kind) && trainer_param_count(f->tr) == 2) {
            double sg[2];
            optim_sigma(run->opt, sg);
            double m = fmax(sg[0], sg[1]);
            if (m > 0 && isfinite(m)) {
                float half[2];
                sigma_box_half(r, sg, half);
                float hx = half[0], hy = half[1];
                if (ps->lp.is3d) {
                    sigma_box_3d(r, f, ps, x, y, a, half, render_run_color(i));
                } else {
                    uint32_t c = rgba_alpha(render_run_color(i), 0.9f);
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
    double f0 = feval(f, px, py, g, H);
    eig2 e;
    hessian_eig2(H, &e);
    surface_domain d = render_surface_domain(r->rs);
    double rad = 0.12 * fmin(d.xmax - d.xmin, d.ymax - d.ymin);
    float c[3];
    if (!project(r, ps, px, py, f0, 0.02f, c))
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
                ok[j][i] = project(r, ps, px + dx, py + dy, q, 0.01f, grid[j][i]);
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
        for (int k = 0; k <= M; k++) {
            double t = 2 * GLM_PI * k / M;
            double u = cos(t) * s0, v = sin(t) * s1;
            double dx = u * e.vec[0][0] + v * e.vec[1][0], dy = u * e.vec[0][1] + v * e.vec[1][1];
            float o[3];
            project(r, ps, px + dx, py + dy, 0, 0, o);
            pts[m++] = (prim_pt){ o[0], o[1], 0, col };
        }
        prims_polyline(r->world, pts, m, 1.2f);
    }
    /* eigenvector axes: green for positive curvature, red for negative */
    for (int k = 0; k < 2; k++) {
        double vx = e.vec[k][0] * rad, vy = e.vec[k][1] * rad;
        float a[3], b[3];
        uint32_t col = e.lambda[k] >= 0 ? RGBA(120, 230, 120, 255) : RGBA(255, 110, 90, 255);
        double ax = px - vx, ay = py - vy, bx = px + vx, by = py + vy;
        if (project(r, ps, ax, ay, feval(f, ax, ay, NULL, NULL), 0.02f, a) &&
            project(r, ps, bx, by, feval(f, bx, by, NULL, NULL), 0.02f, b)) {
            prims_line(r->world, a[0], a[1], b[0], b[1], 4.5f, COL_OUTLINE);
            prims_line(r->world, a[0], a[1], b[0], b[1], 2.5f, col);
        }
    }
    prims_mark(r->world, c[0], c[1], c[2], em(r) * 0.6f + 2, PRIM_PLUS, COL_OUTLINE);
    prims_mark(r->world, c[0], c[1], c[2], em(r) * 0.6f, PRIM_PLUS, RGBA(255, 255, 255, 255));
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
    if (!project(r, ps, x, y, feval(f, x, y, NULL, NULL), 0.02f, a))
        return;
    surface_domain d = render_surface_domain(r->rs);
    double span = fmax(d.xmax - d.xmin, d.ymax - d.ymin);
    double len = fmax(hypot(n->vec[0], n->vec[1]), hypot(n->vec2[0], n->vec2[1]));
    double k = len > 0 ? fmax(1.0, 0.15 * span / len) : 1;
    const double *vs[2] = { n->vec2, n->vec };
    for (int v = 0; v < 2; v++) {
        if (vs[v][0] == 0 && vs[v][1] == 0)
            continue;
        double tx = x + k * vs[v][0], ty = y + k * vs[v][1];
        if (!project(r, ps, tx, ty, feval(f, tx, ty, NULL, NULL), 0.02f, b))
            continue;
        arrow(r->world, a, b, 3.0f, COL_OUTLINE, 1);
        arrow(r->world, a, b, 3.0f, v == 1 ? render_run_color(n->run) : RGBA(255, 255, 255, 255), 0);
    }
    if (n->box[0] > 0 || n->box[1] > 0) {
        double m = fmax(n->box[0], n->box[1]);
        float hx = (float)(em(r) * 2.5 * n->box[0] / m), hy = (float)(em(r) * 2.5 * n->box[1] / m);
        uint32_t c = render_run_color(n->run);
        prim_pt box[5] = { { a[0] - hx, a[1] - hy, 0, c }, { a[0] + hx, a[1] - hy, 0, c },
                           { a[0] + hx, a[1] + hy, 0, c }, { a[0] - hx, a[1] + hy, 0, c },
                           { a[0] - hx, a[1] - hy, 0, c } };
        prims_polyline(r->world, box, 5, 2.0f);
    }
    prims_mark(r->world, a[0], a[1], a[2], em(r) * 0.8f, PRIM_RING, RGBA(255, 255, 255, 255));
}

/* ==== Axes, contour labels ==== */

static double nice_step(double range, int target)
{
    double raw = range / target, p = pow(10, floor(log10(raw))), m = raw / p;
    return p * (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10);
}

static void draw_axes(renderer *r, render_rect m, surface_domain d)
{
    prims *h = r->hud;
    float tick = em(r) * 0.35f;
    float lh = text_line_height(r->font, TEXT_SMALL);
    prim_pt frame[5] = { { m.x, m.y, 0, COL_AXIS }, { m.x + m.w, m.y, 0, COL_AXIS },
                         { m.x + m.w, m.y + m.h, 0, COL_AXIS }, { m.x, m.y + m.h, 0, COL_AXIS },
                         { m.x, m.y, 0, COL_AXIS } };
    prims_polyline(h, frame, 5, 1.2f);
    char buf[32];
    for (int ax = 0; ax < 2; ax++) {
        double lo = ax == 0 ? d.xmin : d.ymin, hi = ax == 0 ? d.xmax : d.ymax;
        double st = nice_step(hi - lo, ax == 0 ? (int)fmaxf(3, m.w / (em(r) * 5)) : (int)fmaxf(3, m.h / (em(r) * 3)));
        for (double v = ceil(lo / st - 1e-9) * st; v <= hi + st * 1e-9; v += st) {
            double vv = fabs(v) < st * 1e-6 ? 0 : v;
            snprintf(buf, sizeof buf, "%g", vv);
            if (ax == 0) {
                float x = m.x + (float)((v - lo) / (hi - lo)) * m.w;
                prims_line(h, x, m.y + m.h, x, m.y + m.h + tick, 1.2f, COL_AXIS);
                text_draw(r->font, h, TEXT_SMALL, x, m.y + m.h + tick, buf, COL_DIM, TEXT_CENTER);
            } else {
                float y = m.y + m.h - (float)((v - lo) / (hi - lo)) * m.h;
                prims_line(h, m.x - tick, y, m.x, y, 1.2f, COL_AXIS);
                text_draw(r->font, h, TEXT_SMALL, m.x - tick - 3, y - lh * 0.5f, buf, COL_DIM,
                          TEXT_RIGHT);
            }
        }
    }
    text_draw(r->font, h, TEXT_SMALL, m.x + m.w, m.y + m.h + tick + lh * 0.9f, "x", COL_DIM,
              TEXT_RIGHT);
    text_draw(r->font, h, TEXT_SMALL, m.x - tick - 3, m.y - lh * 1.05f, "y", COL_DIM, TEXT_RIGHT);
}

/* Value of normalised height t (inverse of render_surface_norm). */
static double unnorm(const renderer *r, double t)
{
    double lo, hi;
    render_surface_range(r->rs, &lo, &hi);
    if (!r->log)
        return lo + t * (hi - lo);
    double e = (hi - lo) * 1e-4;
    return lo + exp(log(e) + t * (log(hi - lo + e) - log(e))) - e;
}

/* Labels on the major contour lines (every 5th of CONTOURS levels), where each
 * level first crosses the map's middle row, scanning from the right. */
#define CONTOURS 20
static void draw_contour_labels(renderer *r, const panel_state *ps)
{
    int n;
    const float *v = render_surface_values(r->rs, &n);
    float lh = text_line_height(r->font, TEXT_SMALL);
    float last_x = -1e9f, last_y = -1e9f;
    const int rows[3] = { n / 2, n / 5, 4 * n / 5 };
    for (int level = 5; level < CONTOURS; level += 5) {
        double t = (double)level / CONTOURS;
        for (int ri = 0; ri < 3; ri++) {
            int j = rows[ri], found = -1;
            for (int i = n - 2; i >= 0; i--) {
                float a = render_surface_norm(r->rs, v[j * n + i], r->log);
                float b = render_surface_norm(r->rs, v[j * n + i + 1], r->log);
                if ((a - t) * (b - t) <= 0 && a != b) {
                    found = i;
                    break;
                }
            }
            if (found < 0)
                continue;
            float px = ps->map.x + ps->map.w * (found + 0.5f) / (n - 1);
            float py = ps->map.y + ps->map.h * (1.0f - (float)j / (n - 1));
            if (fabsf(px - last_x) < em(r) * 4 && fabsf(py - last_y) < lh * 1.5f)
                continue;
            char buf[32];
            fmt_num(buf, sizeof buf, unnorm(r, t));
            float w = text_width(r->font, TEXT_SMALL, buf);
            prims_rect(r->hud, px - w * 0.5f - 2, py - lh * 0.5f, px + w * 0.5f + 2, py + lh * 0.5f,
                       RGBA(0, 0, 0, 120));
            text_draw(r->font, r->hud, TEXT_SMALL, px, py - lh * 0.5f, buf, RGBA(255, 255, 255, 230),
                      TEXT_CENTER);
            last_x = px, last_y = py;
            break;
        }
    }
}

/* ==== Panels ==== */

static void draw_panel(renderer *r, const render_frame *f, panel_state *ps, float top_band)
{
    render_rect rc = ps->lp.rect;
    render_surface_style st = { f->colormap, r->log,
                                (f->overlays & SCENE_OVERLAY_CONTOURS) ? CONTOURS : 0 };
    float lh = text_line_height(r->font, TEXT_NORMAL);
    const char *plabel = f->layout == SCENE_LAYOUT_COMPARE && ps->lp.run < 0 ? f->label[ps->lp.problem & 1]
                                                                           : NULL;
    float label_h = ps->lp.run >= 0 || plabel ? lh * 1.1f : 0;
    if (plabel)
        text_draw(r->font, r->hud, TEXT_NORMAL, rc.x + 10, rc.y + top_band, plabel, COL_TEXT, TEXT_LEFT);
    if (ps->lp.run >= 0) {
        const trainer_run *run = trainer_run_get(f->tr, ps->lp.run);
        char buf[96];
        snprintf(buf, sizeof buf, "%d  %s", ps->lp.run + 1, optim_kind_name(optim_desc_get(run->opt)->kind));
        prims_rect(r->hud, rc.x + 6, rc.y + top_band + 4, rc.x + 6 + em(r) * 0.8f,
                   rc.y + top_band + 4 + em(r) * 0.8f, render_run_color(ps->lp.run));
        text_draw(r->font, r->hud, TEXT_NORMAL, rc.x + 10 + em(r), rc.y + top_band,
                  buf, COL_TEXT, TEXT_LEFT);
    }
    if (!ps->lp.is3d) {
        float ml = em(r) * 3.2f, mb = em(r) * 2.4f, mt = top_band + label_h + em(r) * 0.8f,
              mr = em(r) * 0.9f;
        render_rect in = { rc.x + ml, rc.y + mt, rc.w - ml - mr, rc.h - mt - mb };
        float half[2];
        render_surface_half(r->rs, half);
        ps->map = layout_fit_aspect(in, half[0] / half[1]);
        draw_map(r, ps, (int)(ps - r->panels), &st);
        draw_critical(r, f, ps);
        draw_probe_world(r, f, ps);
        draw_trails(r, f, ps);
        draw_arrows(r, f, ps);
        draw_markers(r, f, ps);
        draw_narration_world(r, f, ps);
        full_viewport(r);
        set_viewport(r, ps->map);
        glViewport(0, 0, r->fb_w, r->fb_h);
        prims_flush(r->world, r->prog_prims, text_atlas(r->font), r->fb_w, r->fb_h, 0);
        full_viewport(r);
        draw_axes(r, ps->map, render_surface_domain(r->rs));
        if (st.contours && (ps->lp.run < 0))
            draw_contour_labels(r, ps);
    } else {
        float mt = top_band + label_h;
        ps->map = (render_rect){ rc.x, rc.y + mt, rc.w, rc.h - mt };
        camera_view_proj(&r->cam, ps->map.w / ps->map.h, ps->mvp);
        vec3 eye;
        camera_eye(&r->cam, eye);
        set_viewport(r, ps->map);
        glClear(GL_DEPTH_BUFFER_BIT);
        render_surface_draw3d(r->rs, r->prog_surface3d, &st, ps->mvp, eye);
        glViewport(0, 0, r->fb_w, r->fb_h);
        draw_trails(r, f, ps);
        draw_probe_world(r, f, ps);
        prims_flush(r->world, r->prog_prims, text_atlas(r->font), r->fb_w, r->fb_h, 1);
        /* marks and arrows on top: a minimum in a deep valley must stay visible */
        draw_critical(r, f, ps);
        draw_arrows(r, f, ps);
        draw_markers(r, f, ps);
        draw_narration_world(r, f, ps);
        prims_flush(r->world, r->prog_prims, text_atlas(r->font), r->fb_w, r->fb_h, 0);
        full_viewport(r);
    }
}

/* ==== HUD ==== */

static float draw_legend(renderer *r, const render_frame *f, render_rect side)
{
    prims *h = r->hud;
    float pad = em(r) * 0.6f, y = side.y + pad, x = side.x + pad;
    float lh = text_line_height(r->font, TEXT_NORMAL), sh = text_line_height(r->font, TEXT_SMALL);
    float right = side.x + side.w - pad;
    char buf[160], num[32], num2[32];
    int nr = trainer_run_count(f->tr);
    for (int i = 0; i < nr; i++) {
        const trainer_run *run = trainer_run_get(f->tr, i);
        const optim_desc *od = optim_desc_get(run->opt);
        uint32_t col = render_run_color(i);
        uint32_t tc = run->active ? COL_TEXT : COL_DIM;
        if (i == f->selected)
            prims_rect(h, side.x + 2, y - 2, side.x + side.w - 2, y + lh + sh + 2, RGBA(255, 255, 255, 28));
        prims_line(h, x, y + lh * 0.55f, x + em(r) * 1.2f, y + lh * 0.55f, 5.0f, COL_OUTLINE);
        prims_line(h, x, y + lh * 0.55f, x + em(r) * 1.2f, y + lh * 0.55f, 3.5f, col);
        prims_mark(h, x + em(r) * 0.6f, y + lh * 0.55f, 0, em(r) * 0.3f, PRIM_DISC, col);
        snprintf(buf, sizeof buf, "%d %s%s", i + 1, optim_kind_name(od->kind), run->active ? "" : " (off)");
        text_draw(r->font, h, TEXT_NORMAL, x + em(r) * 1.6f, y, buf, tc, TEXT_LEFT);
        fmt_num(num, sizeof num, run->loss);
        snprintf(buf, sizeof buf, "L %s", num);
        text_draw(r->font, h, TEXT_NORMAL, right, y, buf, tc, TEXT_RIGHT);
        y += lh;
        if (run->diverged) {
            snprintf(buf, sizeof buf, "diverged at step %ld", run->diverged_at);
            text_draw(r->font, h, TEXT_SMALL, x + em(r) * 1.6f, y, buf, COL_WARN, TEXT_LEFT);
        } else {
            fmt_num(num, sizeof num, run->lr);
            int len = snprintf(buf, sizeof buf, "η %s", num);
            if (is_adaptive(od->kind) && trainer_param_count(f->tr) == 2) {
                double sg[2];
                optim_sigma(run->opt, sg);
                fmt_num(num, sizeof num, run->lr / (sg[0] + 1e-30));
                fmt_num(num2, sizeof num2, run->lr / (sg[1] + 1e-30));
                snprintf(buf + len, sizeof buf - (size_t)len, "   η/σ %s, %s", num, num2);
            } else if (od->kind == OPT_MOMENTUM) {
                fmt_num(num, sizeof num, od->momentum);
                snprintf(buf + len, sizeof buf - (size_t)len, "   μ %s", num);
            }
            text_draw(r->font, h, TEXT_SMALL, x + em(r) * 1.6f, y, buf, COL_DIM, TEXT_LEFT);
        }
        y += sh + pad * 0.5f;
    }
    if (f->overlays & SCENE_OVERLAY_ARROWS) {
        text_draw(r->font, h, TEXT_SMALL, x, y, "arrows: white −η∇L, colour last update", COL_DIM, TEXT_LEFT);
        y += sh;
        text_draw(r->font, h, TEXT_SMALL, x, y, "boxes: σ per axis (adaptive)", COL_DIM, TEXT_LEFT);
        y += sh;
    }
    if ((f->overlays & SCENE_OVERLAY_CRITICAL) && f->crit) {
        snprintf(buf, sizeof buf, "%d critical: ▼ min ▲ max ✕ saddle ◆ degenerate", f->n_crit);
        text_draw(r->font, h, TEXT_SMALL, x, y, buf, COL_DIM, TEXT_LEFT);
        y += sh;
    }
    return y + pad;
}

/* One small plot: series of (step, value) per run; log y if every value > 0. */
typedef double (*series_fn)(const renderer *r, const render_frame *f, int run, int j, int n, double *step);
typedef int (*count_fn)(const render_frame *f, int run);

/* A series of a plot: how many points run `run` has, the j-th one, solid or dashed. */
typedef struct plot_series {
    count_fn count;
    series_fn at;
    int dashed;
} plot_series;

static int loss_count(const render_frame *f, int run)
{
    int n = 0;
    trainer_history(f->tr, run, &n);
    return n;
}

static double loss_at(const renderer *r, const render_frame *f, int run, int j, int n, double *step)
{
    (void)r, (void)n;
    const trainer_point *h = trainer_history(f->tr, run, &n);
    *step = (double)h[j].step;
    return h[j].loss;
}

static int test_count(const render_frame *f, int run) { return f->series ? f->series[run].count : 0; }

static double test_loss_at(const renderer *r, const render_frame *f, int run, int j, int n, double *step)
{
    (void)r, (void)n;
    const render_series *s = &f->series[run];
    *step = (double)s->step[j];
    return s->test_loss ? s->test_loss[j] : NAN;
}

static double test_acc_at(const renderer *r, const render_frame *f, int run, int j, int n, double *step)
{
    (void)r, (void)n;
    const render_series *s = &f->series[run];
    *step = (double)s->step[j];
    return s->test_acc ? s->test_acc[j] : NAN;
}

static double train_acc_at(const renderer *r, const render_frame *f, int run, int j, int n, double *step)
{
    (void)r, (void)n;
    const render_series *s = &f->series[run];
    *step = (double)s->step[j];
    return s->train_acc ? s->train_acc[j] : NAN;
}

static int rate_count(const render_frame *f, int run)
{
    (void)f, (void)run;
    return 64;
}

static long max_steps(const render_frame *f)
{
    long m = 1;
    for (int i = 0; i < trainer_run_count(f->tr); i++) {
        long s = trainer_run_get(f->tr, i)->steps;
        m = s > m ? s : m;
    }
    return m;
}

static double rate_at(const renderer *r, const render_frame *f, int run, int j, int n, double *step)
{
    (void)r;
    long xmax = max_steps(f);
    const schedule_desc *sd = trainer_schedule(f->tr);
    const trainer_run *rn = trainer_run_get(f->tr, run);
    long k = (long)((double)j / (n - 1) * xmax);
    *step = (double)k;
    return sd ? schedule_rate(sd, optim_desc_get(rn->opt)->lr, k) : optim_desc_get(rn->opt)->lr;
}

/* A dashed polyline (dashes 7 px, gaps 5 px), as separate line pieces. */
static void dashed_polyline(prims *h, const prim_pt *pts, int n, float width)
{
    const float dash = 7.0f, gap = 5.0f;
    float phase = 0;   /* distance into the current dash + gap period */
    for (int k = 1; k < n; k++) {
        float x0 = pts[k - 1].x, y0 = pts[k - 1].y, dx = pts[k].x - x0, dy = pts[k].y - y0;
        float len = sqrtf(dx * dx + dy * dy), t = 0;
        if (!(len > 0) || len > 1e5f)
            continue;
        while (t < len) {
            float in = phase < dash ? dash - phase : dash + gap - phase;
            float e = fminf(len, t + fmaxf(in, 0.25f));   /* always advances */
            if (phase < dash)
                prims_line(h, x0 + dx * t / len, y0 + dy * t / len, x0 + dx * e / len, y0 + dy * e / len,
                           width, pts[k].rgba);
            phase = fmodf(phase + (e - t), dash + gap);
            t = e;
        }
    }
}

/* The plot of n_ser series per run in rc; unit = 1: a linear [0, 1] axis
 * (accuracy), else log y when every value is positive. */
static void draw_plot(renderer *r, const render_frame *f, render_rect rc, const char *title,
                      const plot_series *ser, int n_ser, int unit)
{
    prims *h = r->hud;
    float sh = text_line_height(r->font, TEXT_SMALL);
    int nr = trainer_run_count(f->tr);
    double lo = 1e300, hi = -1e300, xmax = (double)max_steps(f);
    int all_pos = !unit;
    for (int q = 0; q < n_ser; q++)
        for (int i = 0; i < nr; i++) {
            int n = ser[q].count(f, i);
            for (int j = 0; j < n; j++) {
                double s, v = ser[q].at(r, f, i, j, n, &s);
                if (!isfinite(v))
                    continue;
                if (v <= 0)
                    all_pos = 0;
                lo = fmin(lo, v), hi = fmax(hi, v);
                xmax = fmax(xmax, s);
            }
        }
    if (unit)
        lo = fmin(lo, 0.5), hi = 1;
    text_draw(r->font, h, TEXT_SMALL, rc.x, rc.y, title, COL_TEXT, TEXT_LEFT);
    render_rect p = { rc.x + em(r) * 3.4f, rc.y + sh * 1.2f, rc.w - em(r) * 3.6f, rc.h - sh * 2.4f };
    prims_rect(h, p.x, p.y, p.x + p.w, p.y + p.h, RGBA(0, 0, 0, 90));
    prim_pt fr[5] = { { p.x, p.y, 0, COL_AXIS }, { p.x + p.w, p.y, 0, COL_AXIS },
                      { p.x + p.w, p.y + p.h, 0, COL_AXIS }, { p.x, p.y + p.h, 0, COL_AXIS },
                      { p.x, p.y, 0, COL_AXIS } };
    prims_polyline(h, fr, 5, 1.0f);
    if (lo > hi)
        return;
    int lg = all_pos;
    double a = lg ? log10(lo) : lo, b = lg ? log10(hi) : hi;
    if (b - a < 1e-12) {
        a -= lg ? 0.5 : fmax(fabs(a) * 0.1, 1e-12);
        b += lg ? 0.5 : fmax(fabs(b) * 0.1, 1e-12);
    }
    char buf[48], num[32];
    fmt_num(num, sizeof num, lg ? pow(10, b) : b);
    text_draw(r->font, h, TEXT_SMALL, p.x - 4, p.y - sh * 0.3f, num, COL_DIM, TEXT_RIGHT);
    fmt_num(num, sizeof num, lg ? pow(10, a) : a);
    text_draw(r->font, h, TEXT_SMALL, p.x - 4, p.y + p.h - sh * 0.8f, num, COL_DIM, TEXT_RIGHT);
    snprintf(buf, sizeof buf, "%.0f", xmax);
    text_draw(r->font, h, TEXT_SMALL, p.x + p.w, p.y + p.h + 1, buf, COL_DIM, TEXT_RIGHT);
    text_draw(r->font, h, TEXT_SMALL, p.x, p.y + p.h + 1, "0", COL_DIM, TEXT_LEFT);
    text_draw(r->font, h, TEXT_SMALL, p.x + p.w * 0.5f, p.y + p.h + 1, "step", COL_DIM, TEXT_CENTER);
    for (int q = 0; q < n_ser; q++)
        for (int i = 0; i < nr; i++) {
            int n = ser[q].count(f, i);
            prim_pt *pts = scratch(r, n);
            if (!pts)
                return;
            int m = 0;
            float al = trainer_run_get(f->tr, i)->active ? 1.0f : 0.35f;
            uint32_t col = rgba_alpha(render_run_color(i), ser[q].dashed ? al * 0.85f : al);
            for (int j = 0; j < n; j++) {
                double s, v = ser[q].at(r, f, i, j, n, &s);
                if (!isfinite(v) || (lg && v <= 0))
                    continue;
                double t = ((lg ? log10(v) : v) - a) / (b - a);
                pts[m++] = (prim_pt){ p.x + (float)(s / xmax) * p.w, p.y + p.h - (float)t * p.h, 0, col };
            }
            if (ser[q].dashed)
                dashed_polyline(h, pts, m, 1.6f);
            else
                prims_polyline_ex(h, pts, m, 2.0f, 0.0f, 3.0f);
        }
    if (ser[0].count == rate_count) {
        /* where the runs are now */
        long now = trainer_steps(f->tr);
        float x = p.x + (float)((double)now / xmax) * p.w;
        prims_line(h, x, p.y, x, p.y + p.h, 1.0f, RGBA(255, 255, 255, 120));
    }
}

/* Compare layout: each panel's runs and their current losses, bottom left. */
static void draw_mini_legend(renderer *r, const render_frame *f, const panel_state *ps)
{
    int nr = trainer_run_count(f->tr);
    float sh = text_line_height(r->font, TEXT_SMALL), w = 0;
    char buf[8][96], num[32];
    for (int i = 0; i < nr && i < 8; i++) {
        const trainer_run *run = trainer_run_get(f->tr, i);
        fmt_num(num, sizeof num, run->loss);
        snprintf(buf[i], sizeof buf[i], "%s  L %s%s", optim_kind_name(optim_desc_get(run->opt)->kind), num,
                 run->diverged ? "  diverged" : "");
        w = fmaxf(w, text_width(r->font, TEXT_SMALL, buf[i]));
    }
    render_rect rc = ps->lp.rect;
    float x0 = rc.x + em(r) * 0.5f, y0 = rc.y + rc.h - sh * (float)(nr < 8 ? nr : 8) - em(r) * 2.8f;
    prims_rect(r->hud, x0, y0 - 3, x0 + w + em(r) * 1.8f, y0 + sh * (float)(nr < 8 ? nr : 8) + 3, COL_PANEL);
    for (int i = 0; i < nr && i < 8; i++) {
        float y = y0 + sh * (float)i;
        prims_rect(r->hud, x0 + 4, y + sh * 0.25f, x0 + 4 + em(r) * 0.6f, y + sh * 0.75f, render_run_color(i));
        text_draw(r->font, r->hud, TEXT_SMALL, x0 + em(r) * 1.2f, y, buf[i],
                  trainer_run_get(f->tr, i)->diverged ? COL_WARN : COL_TEXT, TEXT_LEFT);
    }
}

/* ==== Data panel ==== */

/* Class colours: distinct from the runs' Okabe–Ito palette (Paul Tol's). */
static const uint32_t class_cols[RENDER_DATA_CLASSES] = {
    RGBA(238, 102, 119, 255), /* rose */
    RGBA(68, 119, 170, 255),  /* blue */
    RGBA(34, 136, 51, 255),   /* green */
    RGBA(204, 187, 68, 255),  /* sand */
    RGBA(170, 51, 119, 255),  /* wine */
    RGBA(187, 187, 187, 255), /* grey */
};
#define COL_SAMPLE RGBA(200, 200, 210, 255)   /* regression samples */

uint32_t render_class_color(int k) { return class_cols[((k % RENDER_DATA_CLASSES) + RENDER_DATA_CLASSES) % RENDER_DATA_CLASSES]; }

/* Boundary segments of run `run`'s prediction grid (pixel rect p over d->box):
 * the ½-level line of the margin (two classes, marching squares between cell
 * centres) or the cell edges where the predicted class changes. */
static void data_boundary(renderer *r, const render_data *d, render_rect p, const float *g, float width,
                          uint32_t col)
{
    int n = d->grid_n;
    float cw = p.w / (float)n, ch = p.h / (float)n;
#define CX(i) (p.x + ((float)(i) + 0.5f) * cw)
#define CY(j) (p.y + p.h - ((float)(j) + 0.5f) * ch)
    if (d->n_classes == 2) {
        for (int j = 0; j + 1 < n; j++)
            for (int i = 0; i + 1 < n; i++) {
                float v[4] = { g[j * n + i], g[j * n + i + 1], g[(j + 1) * n + i + 1], g[(j + 1) * n + i] };
                float cx[4] = { CX(i), CX(i + 1), CX(i + 1), CX(i) }, cy[4] = { CY(j), CY(j), CY(j + 1), CY(j + 1) };
                float pt[4][2];
                int m = 0;
                for (int e = 0; e < 4; e++) {
                    float a = v[e], b = v[(e + 1) & 3];
                    if ((a > 0) != (b > 0)) {
                        float t = a / (a - b);
                        pt[m][0] = cx[e] + t * (cx[(e + 1) & 3] - cx[e]);
                        pt[m][1] = cy[e] + t * (cy[(e + 1) & 3] - cy[e]);
                        m++;
                    }
                }
                for (int k = 0; k + 1 < m; k += 2)
                    prims_line(r->hud, pt[k][0], pt[k][1], pt[k + 1][0], pt[k + 1][1], width, col);
            }
    } else {
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) {
                float x1 = p.x + (float)(i + 1) * cw, y0 = p.y + p.h - (float)j * ch, y1 = y0 - ch;
                if (i + 1 < n && g[j * n + i] != g[j * n + i + 1])
                    prims_line(r->hud, x1, y0, x1, y1, width, col);
                float x0 = p.x + (float)i * cw;
                if (j + 1 < n && g[j * n + i] != g[(j + 1) * n + i])
                    prims_line(r->hud, x0, y1, x0 + cw, y1, width, col);
            }
    }
#undef CX
#undef CY
}

static void draw_data_panel(renderer *r, const render_frame *f, render_rect area, float top_band)
{
    const render_data *d = f->data;
    prims *h = r->hud;
    float pad = em(r) * 0.6f, sh = text_line_height(r->font, TEXT_SMALL);
    char buf[160], a[32], b[32];
    /* background of the strip: a scissored clear, as the side column */
    set_viewport(r, area);
    glClearColor(22 / 255.0f, 24 / 255.0f, 30 / 255.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    full_viewport(r);
    float y = area.y + top_band;
    snprintf(buf, sizeof buf, "data: %s  (%d training samples)", d->name ? d->name : "", d->n);
    text_draw(r->font, h, TEXT_SMALL, area.x + pad, y, buf, COL_TEXT, TEXT_LEFT);
    y += sh * 1.3f;
    float left = em(r) * 2.6f;
    float side = fminf(area.w - pad * 2 - left, area.h - (y - area.y) - sh * 6.5f);
    if (side < 40 || !(d->box.xmax > d->box.xmin) || !(d->box.ymax > d->box.ymin))
        return;
    render_rect p = { area.x + pad + left, y, side, side };
    prims_rect(h, p.x, p.y, p.x + p.w, p.y + p.h, RGBA(0, 0, 0, 120));
    surface_domain bx = d->box;
#define PX(v) (p.x + (float)(((v) - bx.xmin) / (bx.xmax - bx.xmin)) * p.w)
#define PY(v) (p.y + p.h - (float)(((v) - bx.ymin) / (bx.ymax - bx.ymin)) * p.h)
    int nr = trainer_run_count(f->tr);
    if (nr > 8)
        nr = 8;
    /* the selected run's class regions, shaded */
    if (d->n_classes >= 2 && d->grid_n > 1 && d->regions_run >= 0 && d->regions_run < nr && d->pred[d->regions_run]) {
        const float *g = d->pred[d->regions_run];
        int n = d->grid_n;
        float cw = p.w / (float)n, ch = p.h / (float)n;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) {
                int c = d->n_classes == 2 ? g[j * n + i] > 0 : (int)g[j * n + i];
                float y1 = p.y + p.h - (float)j * ch;
                prims_rect(h, p.x + (float)i * cw, y1 - ch, p.x + (float)(i + 1) * cw, y1,
                           rgba_alpha(render_class_color(c), 0.2f));
            }
    }
    /* samples: every one (dimmed while a mini-batch is drawn), then the batch on top */
    int stride = d->n > 4000 ? d->n / 4000 + 1 : 1;
    float rad = fmaxf(2.0f, em(r) * 0.16f);
    for (int k = 0; k < d->n; k += stride) {
        float x = PX(d->xy[2 * k]), yy = PY(d->xy[2 * k + 1]);
        uint32_t c = d->cls ? render_class_color(d->cls[k]) : COL_SAMPLE;
        prims_mark(h, x, yy, 0, rad, PRIM_DISC, rgba_alpha(c, d->batch ? 0.55f : 0.9f));
    }
    /* decision boundaries (classification) or fitted lines (regression), per run */
    if (d->grid_n > 1) {
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i < nr; i++) {
                const float *g = d->pred[i];
                if (!g || !trainer_run_get(f->tr, i)->active)
                    continue;
                uint32_t col = pass ? render_run_color(i) : COL_OUTLINE;
                float w = pass ? 2.2f : 4.2f;
                if (d->n_classes >= 2) {
                    data_boundary(r, d, p, g, w, col);
                } else {
                    prim_pt *pts = scratch(r, d->grid_n);
                    if (!pts)
                        break;
                    int m = 0;
                    for (int k = 0; k < d->grid_n; k++) {
                        double xv = bx.xmin + (bx.xmax - bx.xmin) * k / (d->grid_n - 1);
                        double yv = fmin(fmax(g[k], bx.ymin), bx.ymax);
                        if (isfinite(g[k]))
                            pts[m++] = (prim_pt){ PX(xv), PY(yv), 0, col };
                    }
                    prims_polyline(h, pts, m, w);
                }
            }
    }
    if (d->batch) {
        for (int k = 0; k < d->batch_n; k++) {
            int s = d->batch[k];
            if (s < 0 || s >= d->n)
                continue;
            float x = PX(d->xy[2 * s]), yy = PY(d->xy[2 * s + 1]);
            uint32_t c = d->cls ? render_class_color(d->cls[s]) : COL_SAMPLE;
            prims_mark(h, x, yy, 0, rad * 2.2f + 2.5f, PRIM_RING, RGBA(255, 255, 255, 255));
            prims_mark(h, x, yy, 0, rad * 1.5f, PRIM_DISC, c);
        }
    }
#undef PX
#undef PY
    prim_pt fr[5] = { { p.x, p.y, 0, COL_AXIS }, { p.x + p.w, p.y, 0, COL_AXIS },
                      { p.x + p.w, p.y + p.h, 0, COL_AXIS }, { p.x, p.y + p.h, 0, COL_AXIS },
                      { p.x, p.y, 0, COL_AXIS } };
    prims_polyline(h, fr, 5, 1.0f);
    /* axes: the ends of each range and the names */
    fmt_num(a, sizeof a, bx.xmin), fmt_num(b, sizeof b, bx.xmax);
    text_draw(r->font, h, TEXT_SMALL, p.x, p.y + p.h + 1, a, COL_DIM, TEXT_LEFT);
    text_draw(r->font, h, TEXT_SMALL, p.x + p.w, p.y + p.h + 1, b, COL_DIM, TEXT_RIGHT);
    text_draw(r->font, h, TEXT_SMALL, p.x + p.w * 0.5f, p.y + p.h + 1, d->xlabel ? d->xlabel : "x1", COL_DIM,
              TEXT_CENTER);
    fmt_num(a, sizeof a, bx.ymin), fmt_num(b, sizeof b, bx.ymax);
    text_draw(r->font, h, TEXT_SMALL, p.x - 3, p.y + p.h - sh, a, COL_DIM, TEXT_RIGHT);
    text_draw(r->font, h, TEXT_SMALL, p.x - 3, p.y, b, COL_DIM, TEXT_RIGHT);
    text_draw(r->font, h, TEXT_SMALL, p.x - 3, p.y + p.h * 0.5f - sh * 0.5f, d->ylabel ? d->ylabel : "x2", COL_DIM,
              TEXT_RIGHT);
    /* key */
    float ky = p.y + p.h + sh * 1.3f, kx = area.x + pad;
    if (d->cls) {
        for (int c = 0; c < d->n_classes && c < RENDER_DATA_CLASSES; c++) {
            prims_mark(h, kx + rad * 2, ky + sh * 0.5f, 0, rad * 1.6f, PRIM_DISC, render_class_color(c));
            snprintf(buf, sizeof buf, "class %d", c);
            kx += rad * 4 + text_draw(r->font, h, TEXT_SMALL, kx + rad * 4, ky, buf, COL_TEXT, TEXT_LEFT) + em(r) * 0.6f;
        }
    }
    if (d->batch) {
        prims_mark(h, kx + rad * 3, ky + sh * 0.5f, 0, rad * 2.2f, PRIM_RING, RGBA(255, 255, 255, 255));
        snprintf(buf, sizeof buf, "mini-batch (%d)", d->batch_n);
        text_draw(r->font, h, TEXT_SMALL, kx + rad * 6, ky, buf, COL_TEXT, TEXT_LEFT);
    }
    ky += sh * 1.1f;
    text_draw(r->font, h, TEXT_SMALL, area.x + pad, ky,
              d->cls ? (d->regions_run >= 0 ? "lines: boundary per run; shade: selected run"
                                            : "lines: each run's decision boundary")
                     : "lines: each run's fit (other features at mean)",
              COL_DIM, TEXT_LEFT);
    ky += sh * 1.1f;
    text_draw(r->font, h, TEXT_SMALL, area.x + pad, ky,
              d->surface_batch ? "surface: this mini-batch's loss  (Y: full data)"
                               : "surface: loss on the full data  (Y: mini-batch)",
              d->surface_batch ? RGBA(255, 220, 140, 255) : COL_DIM, TEXT_LEFT);
}

static void draw_help(renderer *r, const render_frame *f)
{
    prims *h = r->top;
    float lh = text_line_height(r->font, TEXT_NORMAL);
    int n = f->n_help, half = (n + 1) / 2;
    float kw = 0, hw = 0;
    for (int i = 0; i < n; i++) {
        kw = fmaxf(kw, text_width(r->font, TEXT_NORMAL, f->help_lines[i].keys));
        hw = fmaxf(hw, text_width(r->font, TEXT_NORMAL, f->help_lines[i].help));
    }
    float colw = kw + hw + em(r) * 2.5f;
    float w = fminf(colw * 2 + em(r) * 2, (float)r->fb_w - 20), ht = lh * (half + 2.5f);
    float x0 = ((float)r->fb_w - w) * 0.5f, y0 = fmaxf(10, ((float)r->fb_h - ht) * 0.5f);
    prims_rect(h, x0, y0, x0 + w, y0 + ht, RGBA(10, 11, 14, 235));
    text_draw(r->font, h, TEXT_NORMAL, x0 + w * 0.5f, y0 + lh * 0.3f,
              "keys   (F1 or ? closes this help)", COL_TEXT, TEXT_CENTER);
    for (int i = 0; i < n; i++) {
        float cx = x0 + em(r) + (i >= half ? colw : 0), cy = y0 + lh * (1.6f + (float)(i % half));
        text_draw(r->font, h, TEXT_NORMAL, cx + kw, cy, f->help_lines[i].keys, RGBA(255, 210, 120, 255),
                  TEXT_RIGHT);
        text_draw(r->font, h, TEXT_NORMAL, cx + kw + em(r), cy, f->help_lines[i].help, COL_TEXT, TEXT_LEFT);
    }
}

static void draw_probe_text(renderer *r, const render_frame *f, render_rect area)
{
    if (!(f->overlays & SCENE_OVERLAY_PROBE) || !f->probe_valid)
        return;
    double g[2], H[4], x = f->probe[0], y = f->probe[1];
    double v = feval(f, x, y, g, H);
    eig2 e;
    hessian_eig2(H, &e);
    point_type t = hessian_classify(&e, 0);
    char l[5][160], a[32], b[32], c[32], d[32];
    fmt_num(a, sizeof a, x), fmt_num(b, sizeof b, y), fmt_num(c, sizeof c, v);
    snprintf(l[0], sizeof l[0], "probe (%s, %s)   L = %s", a, b, c);
    fmt_num(a, sizeof a, g[0]), fmt_num(b, sizeof b, g[1]);
    snprintf(l[1], sizeof l[1], "∇L = (%s, %s)", a, b);
    fmt_num(a, sizeof a, e.lambda[0]), fmt_num(b, sizeof b, e.lambda[1]);
    snprintf(l[2], sizeof l[2], "λ = %s, %s   → %s", a, b,
             t == POINT_MINIMUM ? "curving up (like a minimum)" : t == POINT_MAXIMUM ? "curving down (like a maximum)"
             : t == POINT_SADDLE ? "saddle-shaped" : "flat direction (degenerate)");
    fmt_num(a, sizeof a, e.vec[0][0]), fmt_num(b, sizeof b, e.vec[0][1]);
    fmt_num(c, sizeof c, e.vec[1][0]), fmt_num(d, sizeof d, e.vec[1][1]);
    snprintf(l[3], sizeof l[3], "v₁ = (%s, %s)   v₂ = (%s, %s)", a, b, c, d);
    snprintf(l[4], sizeof l[4], "patch: L + gᵀd + ½dᵀHd");
    float lh = text_line_height(r->font, TEXT_SMALL), w = 0;
    for (int i = 0; i < 5; i++)
        w = fmaxf(w, text_width(r->font, TEXT_SMALL, l[i]));
    float x0 = area.x + em(r) * 0.5f, y0 = area.y + area.h - lh * 5.4f - em(r) * 2.6f;
    prims_rect(r->hud, x0, y0, x0 + w + em(r), y0 + lh * 5.4f, COL_PANEL);
    for (int i = 0; i < 5; i++)
        text_draw(r->font, r->hud, TEXT_SMALL, x0 + em(r) * 0.5f, y0 + lh * (0.2f + (float)i), l[i],
                  i == 2 ? RGBA(255, 220, 140, 255) : COL_TEXT, TEXT_LEFT);
}

void renderer_draw(renderer *r, const render_frame *f, int fb_w, int fb_h)
{
    r->fb_w = fb_w > 1 ? fb_w : 1;
    r->fb_h = fb_h > 1 ? fb_h : 1;
    text_set_scale(r->font, r->fb_h);
    r->log = (f->overlays & SCENE_OVERLAY_LOG) != 0;
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &r->target_fbo);
    glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &r->target_read);
    glEnable(GL_SCISSOR_TEST);
    full_viewport(r);
    glClearColor(0.078f, 0.086f, 0.106f, 1.0f);
    glClearDepth(1.0);
    glDepthMask(GL_TRUE);
    /* colour only: each 3-D panel clears the depth of its own viewport, and nothing
     * else reads depth (a full depth clear is a measurable memset on the software
     * rasteriser) */
    glClear(GL_COLOR_BUFFER_BIT);
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
    r->n_panels = np;
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
    for (int i = 0; i < np; i++) {
        panel_state *ps = &r->panels[i];
        int second = compare && lp[i].problem == 1 && r->slot[1].rs;
        const render_frame *pf = second ? &f2 : f;
        ps->lp = lp[i];
        ps->rs = r->rs = r->slot[second].rs;
        ps->log = r->log = (pf->overlays & SCENE_OVERLAY_LOG) != 0;
        /* only panels touching the top edge leave room for the HUD band */
        draw_panel(r, pf, ps, lp[i].rect.y < 1 ? top_band : 0);
        if (compare)
            draw_mini_legend(r, pf, ps);
    }
    r->rs = r->slot[0].rs;
    r->log = (f->overlays & SCENE_OVERLAY_LOG) != 0;
    if (f->data && data_rect.w > 0)
        draw_data_panel(r, f, data_rect, top_band);
    /* panel separators */
    for (int i = 0; i < np; i++) {
        render_rect rc = lp[i].rect;
        if (rc.x > 0.5f)
            prims_line(r->hud, rc.x, rc.y, rc.x, rc.y + rc.h, 1.0f, RGBA(60, 64, 72, 255));
        if (rc.y > 0.5f)
            prims_line(r->hud, rc.x, rc.y, rc.x + rc.w, rc.y, 1.0f, RGBA(60, 64, 72, 255));
    }

    /* HUD band: title and the run counters */
    char buf[256];
    const trainer_run *r0 = nr > 0 ? trainer_run_get(f->tr, 0) : NULL;
    int batch = trainer_batch(f->tr);
    char bs[32];
    if (batch > 0)
        snprintf(bs, sizeof bs, "%d", batch);
    else
        snprintf(bs, sizeof bs, "full");
    int len = snprintf(buf, sizeof buf, "step %ld   epoch %ld   batch %s%s   %d step%s/frame",
                       trainer_steps(f->tr), r0 ? r0->epoch : 0L, bs,
                       !f->series ? "" : f->surface_batch ? "   surface: mini-batch" : "   surface: full data",
                       f->steps_per_frame, f->steps_per_frame == 1 ? "" : "s");
    if (f->fps > 0)
        snprintf(buf + len, sizeof buf - (size_t)len, "   %.0f fps", f->fps);
    float main_w = (float)r->fb_w - side_rect.w;
    float tw = text_draw(r->font, r->hud, TEXT_LARGE, em(r) * 0.6f, lh * 0.15f, f->title ? f->title : "", COL_TEXT,
                         TEXT_LEFT);
    float cw = text_width(r->font, TEXT_NORMAL, buf);
    float cx = main_w - em(r) * 0.6f - cw, cy = lh * 0.15f + (big - lh) * 0.6f;
    if (cx < em(r) * 1.6f + tw + (f->paused ? em(r) * 5 : 0)) {
        /* no room beside the title: the counters go at the bottom left */
        cx = em(r) * 0.6f;
        cy = (float)r->fb_h - lh * 1.2f;
    }
    text_draw(r->font, r->hud, TEXT_NORMAL, cx, cy, buf, COL_DIM, TEXT_LEFT);
    if (f->paused) {
        text_draw(r->font, r->hud, TEXT_NORMAL, em(r) * 1.2f + tw, lh * 0.15f + (big - lh) * 0.6f,
                  "PAUSED", RGBA(255, 200, 90, 255), TEXT_LEFT);
    }
    render_rect main_area = { 0, 0, main_w, (float)r->fb_h };
    float by = (float)r->fb_h - lh * 1.3f;
    if (cy > (float)r->fb_h * 0.5f)
        by -= lh * 1.3f;   /* above the counters, which went to the bottom */
    if (f->narr && f->narr->stage > 0 && f->narr->caption[0]) {
        float w = text_width(r->font, TEXT_NORMAL, f->narr->caption);
        prims_rect(r->hud, main_w * 0.5f - w * 0.5f - 10, by - 4, main_w * 0.5f + w * 0.5f + 10, by + lh + 2, COL_PANEL);
        text_draw(r->font, r->hud, TEXT_NORMAL, main_w * 0.5f, by - 1, f->narr->caption, RGBA(255, 230, 160, 255),
                  TEXT_CENTER);
        by -= lh * 1.3f;
    }
    if (f->status && f->status[0]) {
        float w = text_width(r->font, TEXT_NORMAL, f->status);
        prims_rect(r->hud, main_w * 0.5f - w * 0.5f - 10, by - 4, main_w * 0.5f + w * 0.5f + 10, by + lh + 2, COL_PANEL);
        text_draw(r->font, r->hud, TEXT_NORMAL, main_w * 0.5f, by - 1, f->status, COL_TEXT, TEXT_CENTER);
    }
    draw_probe_text(r, f, main_area);

    if (side) {
        /* the column's background is a scissored clear: free, unlike a blended rectangle */
        set_viewport(r, side_rect);
        glClearColor(26 / 255.0f, 28 / 255.0f, 34 / 255.0f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        full_viewport(r);
        float y = side_rect.y;
        if (f->overlays & SCENE_OVERLAY_LEGEND)
            y = draw_legend(r, f, side_rect);
        if (f->overlays & SCENE_OVERLAY_PLOT) {
            float pad = em(r) * 0.6f;
            float avail = side_rect.y + side_rect.h - y - pad;
            int acc = f->series && (f->series[0].test_acc || f->series[0].train_acc);
            float wpl = side_rect.w - 2 * pad;
            if (avail > em(r) * 8) {
                float fl = acc ? 0.42f : 0.58f, fa = acc ? 0.28f : 0, fr = acc ? 0.26f : 0.4f;
                render_rect a = { side_rect.x + pad, y, wpl, avail * fl };
                plot_series la[2] = { { loss_count, loss_at, 0 }, { test_count, test_loss_at, 1 } };
                draw_plot(r, f, a, f->series && f->series[0].test_loss ? "loss: train, - - test" :
                          "loss  (log scale when positive)", la, f->series && f->series[0].test_loss ? 2 : 1, 0);
                if (acc) {
                    render_rect c = { side_rect.x + pad, y + avail * (fl + 0.02f), wpl, avail * fa };
                    plot_series aa[2] = { { test_count, train_acc_at, 0 }, { test_count, test_acc_at, 1 } };
                    draw_plot(r, f, c, "accuracy: train, - - test", aa, 2, 1);
                }
                render_rect b = { side_rect.x + pad, y + avail * (1 - fr), wpl, avail * fr };
                plot_series ra = { rate_count, rate_at, 0 };
                draw_plot(r, f, b, "learning rate (schedule)", &ra, 1, 0);
            }
        }
    }
    prims_flush(r->hud, r->prog_prims, text_atlas(r->font), r->fb_w, r->fb_h, 0);
    if (f->help && f->n_help > 0) {
        draw_help(r, f);
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
            double h = render_surface_norm(rs, feval(&pf, sx, sy, NULL, NULL), ps->log) *
                       RENDER_ZSCALE;
            double above = wz - h;
            if (above <= 0 && prev_above > 0 && k > 0) {
                float lo = t - step, hi = t;
                for (int it = 0; it < 30; it++) {
                    float m = 0.5f * (lo + hi);
                    float mx = o[0] + dir[0] * m, my = o[1] + dir[1] * m, mz = o[2] + dir[2] * m;
                    render_surface_unworld(rs, mx, my, &sx, &sy);
                    double hm = render_surface_norm(rs, feval(&pf, sx, sy, NULL, NULL), ps->log) *
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

/* ==== Recording overlays (burnt-in caption, recording indicator) ==== */

void renderer_draw_caption(renderer *r, const char *text, int fb_w, int fb_h)
{
    if (!text || !text[0])
        return;
    glDisable(GL_SCISSOR_TEST);
    glViewport(0, 0, fb_w, fb_h);
    float lh = text_line_height(r->font, TEXT_NORMAL);
    float w = text_width(r->font, TEXT_NORMAL, text);
    float cx = (float)fb_w * 0.5f, y = (float)fb_h - lh * 1.5f;
    prims_rect(r->top, cx - w * 0.5f - 12, y - 5, cx + w * 0.5f + 12, y + lh + 3, COL_PANEL);
    text_draw(r->font, r->top, TEXT_NORMAL, cx, y - 1, text, COL_TEXT, TEXT_CENTER);
    prims_flush(r->top, r->prog_prims, text_atlas(r->font), fb_w, fb_h, 0);
}

void renderer_draw_rec_indicator(renderer *r, double seconds, int fb_w, int fb_h)
{
    glDisable(GL_SCISSOR_TEST);
    glViewport(0, 0, fb_w, fb_h);
    float lh = text_line_height(r->font, TEXT_NORMAL);
    long s = seconds > 0 ? (long)seconds : 0;
    char buf[48];
    snprintf(buf, sizeof buf, "REC %ld:%02ld", s / 60, s % 60);
    float w = text_width(r->font, TEXT_NORMAL, buf);
    float x1 = (float)fb_w - lh * 0.5f, x0 = x1 - w - lh * 1.6f, y0 = lh * 0.3f;
    prims_rect(r->top, x0, y0, x1, y0 + lh * 1.3f, COL_PANEL);
    prims_mark(r->top, x0 + lh * 0.75f, y0 + lh * 0.65f, 0, lh * 0.35f, PRIM_DISC, RGBA(230, 40, 40, 255));
    text_draw(r->font, r->top, TEXT_NORMAL, x1 - lh * 0.3f - w, y0 + lh * 0.15f, buf, COL_TEXT, TEXT_LEFT);
    prims_flush(r->top, r->prog_prims, text_atlas(r->font), fb_w, fb_h, 0);
}
