/*
 * render_internal.h — private to src/render's frame code (renderer.c, world.c, hud.c,
 * plot.c, datapanel.c): the renderer struct they share and the helpers they call.
 * Nothing outside src/render includes this; the public API is render/renderer.h.
 *
 * Contract: renderer.c owns the struct (create/destroy, the surface slots, the
 * static-layer cache) and composes a frame in renderer_draw; the other files only
 * draw into the batches it owns (r->world: one panel's overlays, flushed per panel;
 * r->hud: axes, text, legend, plots, data panel, flushed once; r->top: help overlay,
 * caption, REC badge) and read the frame. The order of the calls into a batch is
 * the order things are painted: keep it when moving code.
 *
 * Index
 *     panel_state, map_key, map_cache, struct renderer
 *     COL_* colours, CONTOURS
 *     rd_* helpers (renderer.c): scratch polyline buffer, number format, field
 *         value/projection, domain point -> pixel, viewports, em, the cached 2-D map
 *     world_draw_panel (world.c)        one surface panel and everything on it
 *     hud_* (hud.c)                     legend, mini legend, HUD band, help overlay
 *     plot_draw_column (plot.c)         loss / accuracy / rate plots in the side column
 *     datapanel_draw (datapanel.c)      the data panel
 */
#ifndef LOSSCAPE_RENDER_INTERNAL_H
#define LOSSCAPE_RENDER_INTERNAL_H

#include <stddef.h>

#include "render/gl_util.h"
#include "render/layout.h"
#include "render/prims.h"
#include "render/renderer.h"
#include "render/surface_view.h"
#include "render/text.h"

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
/* 3-D panels are cached the same way (rd_draw_surface3d), colour and depth, when
 * the frame goes to a framebuffer object (the offscreen target of screenshots,
 * recordings and benchmarks: its DEPTH24 depth can be blitted; the window's own
 * framebuffer is drawn directly): the key adds the camera (view-projection matrix
 * and eye). A moving camera would miss every frame, so a 3-D picture is cached only
 * when the same key comes twice in a row (the first frame is drawn directly). */
typedef struct map_key {
    const render_surface *rs;
    unsigned long gen, prog_gen;
    int colormap, log, contours;
    int x, y, w, h;
    int is3d;
    float mvp[16], eye[3];              /* 3-D: the camera; 0 for 2-D */
} map_key;

typedef struct map_cache {
    GLuint fbo, tex, depth;
    int tex_w, tex_h;                   /* allocated size (the framebuffer's) */
    int valid[LAYOUT_MAX_PANELS];       /* panel k's region holds key[k]'s picture */
    map_key key[LAYOUT_MAX_PANELS];
    int seen_valid[LAYOUT_MAX_PANELS];  /* 3-D: the key of the last frame drawn directly */
    map_key seen[LAYOUT_MAX_PANELS];
    int no_depth_blit;                  /* 1: the target's depth cannot take the cache's */
} map_cache;

struct renderer {
    gl_program prog_surface2d, prog_surface3d, prog_prims[3];
    unsigned long prog_gen;             /* build_programs successes (cache keys) */
    int cache_on;                       /* static layers cached (default 1) */
    int ref3d;                          /* 3-D surface by the reference path (renderer_desc) */
    GLint target_fbo, target_read;      /* framebuffers bound when renderer_draw began */
    int depth_cleared;                  /* this frame's depth cleared (clear_depth_once) */
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
    int help_pages;                     /* pages the help overlay needed in the last frame */
    float badge_x, badge_y, badge_room; /* the REC badge's place in the last frame's band, room there */
    double arrow_mag;                   /* magnification of this frame's arrows (1: true length) */
    render_marker marks[RENDER_MAX_MARKERS];   /* this frame's markers (renderer_markers) */
    int n_marks;
};

#define COL_TEXT    RGBA(235, 235, 235, 255)
#define COL_DIM     RGBA(160, 165, 175, 255)
#define COL_BG      RGBA(20, 22, 27, 255)
#define COL_PANEL   RGBA(12, 13, 17, 215)
#define COL_OUTLINE RGBA(10, 10, 12, 255)
#define COL_WARN    RGBA(255, 110, 90, 255)
#define COL_AXIS    RGBA(150, 155, 165, 255)

/* Contour levels drawn in 2-D (every 5th gets a label). */
#define CONTOURS 20

/* ==== renderer.c: helpers shared by the frame files ==== */

/* A scratch buffer of n polyline points (owned by r; valid until the next call). */
prim_pt *rd_scratch(renderer *r, int n);
/* Number for the HUD: 4 significant digits, exponent form outside [1e-3, 1e5). */
void rd_fmt_num(char *buf, size_t n, double v);
/* The field's value (gradient, Hessian) at plane point (a, b). */
double rd_feval(const render_frame *f, double a, double b, double g[2], double H[4]);
/* Plane coordinates of θ. */
void rd_fproject(const render_frame *f, const double *theta, double ab[2]);
/* 1 if run i's current point lies outside the drawn domain (it left the view). */
int rd_run_escaped(const render_frame *f, int i);
/* Plane coordinates of run's current point, and (prev not NULL) of θ − Δθ. */
void rd_run_points(const render_frame *f, const trainer_run *run, double cur[2], double prev[2]);
/* Domain point → framebuffer pixel (top-left origin) and NDC depth in panel ps,
 * lifted by `lift` in 3-D. Returns 0 if the point is behind the camera. */
int rd_project(const renderer *r, const panel_state *ps, double x, double y, double f, float lift,
               float out[3]);
/* Viewport and scissor on rc (top-left pixel rectangle), or on the whole framebuffer. */
void rd_set_viewport(const renderer *r, render_rect rc);
void rd_full_viewport(const renderer *r);
/* The normal text size in pixels: the unit of every HUD measure. */
float rd_em(const renderer *r);
/* A dashed polyline (dash and gap in pixels) of `width`, with a dark `outline`;
 * depth interpolated along each piece. */
void rd_dashed_polyline(prims *p, const prim_pt *pts, int n, float width, float outline, float dash,
                        float gap);
/* The name run i is shown under: the frame's run_name (the run's label), else
 * render_run_label's. */
void rd_run_name(const render_frame *f, int i, char *buf, size_t n);
/* Adaptive optimizers (AdaGrad, RMSProp, Adam): they have a σ per coordinate. */
int rd_is_adaptive(optim_kind k);
/* The heat map of 2-D panel ps (index k) into ps->map, through the static-layer
 * cache; leaves the viewport and scissor on the map. */
void rd_draw_map(renderer *r, panel_state *ps, int k, const render_surface_style *st);
/* The 3-D surface of panel ps (index k) into its rectangle, depth cleared first;
 * from the cache when possible (see map_key). Leaves the viewport and scissor on
 * the panel and depth testing as render_surface_draw3d does. */
void rd_draw_surface3d(renderer *r, panel_state *ps, int k, const render_surface_style *st,
                       const vec3 eye);

/* ==== world.c ==== */

/* Panel ps of frame f: its label, the surface (2-D map or 3-D mesh) with everything
 * placed on it (critical points, probe, trails, arrows, σ boxes, markers, narrated
 * step) drawn and flushed, then its axes and contour labels into r->hud.
 * top_band: room left at the top for the HUD band. Sets ps->map (and ps->mvp). */
void world_draw_panel(renderer *r, const render_frame *f, panel_state *ps, float top_band);

/* ==== hud.c ==== */

/* The legend at the top of the side column; returns the y below it. */
float hud_draw_legend(renderer *r, const render_frame *f, render_rect side);
/* Compare layout: the panel's runs and their current losses, bottom left. */
void hud_draw_mini_legend(renderer *r, const render_frame *f, const panel_state *ps);
/* Title, run counters, narration caption, status line and probe text, over the
 * main area (the framebuffer left of side_rect). */
void hud_draw_band(renderer *r, const render_frame *f, render_rect side_rect);
/* The key help overlay, into r->top. */
void hud_draw_help(renderer *r, const render_frame *f);

/* ==== plot.c ==== */

/* The plots of the side column below y: loss (train, test), accuracy (data
 * problems with accuracy) and the learning-rate schedule. */
void plot_draw_column(renderer *r, const render_frame *f, render_rect side_rect, float y);

/* ==== datapanel.c ==== */

/* The data panel in area: samples, mini-batch, class regions, boundaries or fits. */
void datapanel_draw(renderer *r, const render_frame *f, render_rect area, float top_band);

#endif
