/*
 * render_internal.h — private to src/render's frame code (renderer.c, world.c, trails.c, mapaxes.c, marks.c, hud.c,
 * plot.c, datapanel.c, layer_cache.c): the renderer struct they share and the helpers they call.
 * Nothing outside src/render includes this; the public API is render/renderer.h.
 *
 * Contract: renderer.c owns the struct (create/destroy, the surface slots, the
 * static layer, worked by layer_cache.c) and composes a frame in renderer_draw; the
 * other files only draw into the batches it owns (r->world: one panel's overlays, flushed per panel;
 * r->hud: axes, text, legend, plots, data panel, flushed once; r->top: help overlay,
 * caption, REC badge) and read the frame. The order of the calls into a batch is
 * the order things are painted: keep it when moving code.
 *
 * Index
 *     panel_state, map_key, map_cache, struct renderer
 *     COL_* colours, BG_* backgrounds, CONTOURS
 *     rd_* helpers (renderer.c): scratch polyline buffer, number format, field
 *         value/projection, domain point -> pixel, viewports, em
 *     rd_frame_begin, rd_draw_map, rd_draw_surface3d (layer_cache.c)   the static layer
 *     world_draw_panel (world.c)        one surface panel and everything on it
 *     mapaxes_* (mapaxes.c)             the 2-D map's axes and contour labels
 *     marks_* (marks.c, marks.h)        run markers and critical points on a panel
 *     hud_* (hud.c)                     legend, mini legend, HUD band, help overlay
 *     plot_draw_column (plot.c)         loss / accuracy / rate plots in the side column
 *     datapanel_draw (datapanel.c)      the data panel
 */
#ifndef LOSSCAPE_RENDER_INTERNAL_H
#define LOSSCAPE_RENDER_INTERNAL_H

#include <stddef.h>

#include "render/gl_util.h"
#include "render/layout.h"
#include "render/polysimp.h"
#include "render/projmemo.h"
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
    /* 3-D: the fit of the surface to the panel (world.c: fit_surface): mvp is the
     * camera's projection × view, then x and y of the clip coordinates scaled by
     * fit[0] and moved by fit[1], fit[2] (times w); {1, 0, 0} where not fitted */
    float fit[3];
    render_rect surf;       /* 3-D: the projected surface's bounding box (pixels) */
} panel_state;

/* The static layer (layer_cache.c): everything of a frame that stays the same from
 * one frame to the next is drawn once into framebuffer-sized textures, at the same
 * pixels as in the frame, and copied from there (glBlitFramebuffer: a copy, no
 * shading; Mesa's software rasteriser does it as a memcpy).
 *   - The background (bg_*): the frame's colour, the side column's, the data strip's
 *     (scissored clears, which Mesa draws as quads through the fragment pipeline),
 *     depth 1. Keyed on bg_key: the framebuffer size and the layout's rectangles;
 *     a change redraws it and drops every panel's entry.
 *   - The layer (fbo, tex, depth): the background with each panel's surface drawn
 *     on it: a 2-D panel's heat map (colour map, contour lines), a 3-D panel's lit
 *     mesh with its depth. Panel k's entry is keyed on map_key: the surface object
 *     and its upload generation (a new field version or domain, renderer_set_field/
 *     _field2, renderer_invalidate_surface, a mini-batch surface re-sampled each
 *     step, a PCA refit, a scene change), the colour map, the height scale (log),
 *     the contour count, the panel's and the map's rectangles in framebuffer pixels
 *     (bottom-left origin), the program generation (renderer_reload_shaders) and in
 *     3-D the camera (view-projection matrix and eye).
 * A frame begins with one copy of the whole layer into the target (rd_frame_begin,
 * instead of clears); a panel whose entry holds then has its picture already, and a
 * 3-D panel copies its depth too where depth-tested overlays are drawn (rd_depth_for:
 * the box of their vertices; overlays never write depth), so what is drawn on top is
 * depth-tested as if the surface had been drawn in this frame. A 2-D panel whose key changed is drawn into
 * the layer (its rectangle first reset from the background) and copied. A moving
 * camera would miss every frame, so a 3-D picture goes into the layer only when the
 * same key comes twice in a row; the first time the panel's rectangle is reset from
 * the background in the frame and in the layer (bare: the frames of an orbit that
 * follow get the background with the frame's copy and copy nothing more), and the
 * surface drawn directly. Everything else
 * (trails, markers, arrows, σ boxes, critical points, probe, narration, axes,
 * labels, HUD, legend, plots) is drawn per frame as before, in the same order.
 * Drawn at the same pixel positions, the copied pictures are bit for bit the ones
 * drawn directly (the rasteriser's interpolation and fwidth() depend on absolute
 * pixel positions). The layer's depth has the target's format (a window's own
 * framebuffer may have stencil bits); a target whose depth cannot take a copy of
 * it all the same has its 3-D panels drawn directly over the copied colour
 * (no_depth_blit). */
typedef struct map_key {
    const render_surface *rs;
    unsigned long gen, prog_gen;
    int colormap, log, contours;
    int x, y, w, h;                     /* the map (2-D) or the surface's viewport (3-D) */
    int px, py, pw, ph;                 /* the panel's rectangle */
    int is3d;
    float mvp[16], eye[3];              /* 3-D: the camera; 0 for 2-D */
} map_key;

typedef struct bg_key {
    int w, h;                           /* framebuffer */
    int side[4], data[4];               /* side column, data strip (GL pixels; w 0: none) */
    int np;
    int panel[LAYOUT_MAX_PANELS][4];    /* the panels' rectangles */
    const struct rd_theme *th;          /* the colours */
} bg_key;

#define RD_MAX_PLOTS 8   /* plot insides a frame's side column may have */

typedef struct map_cache {
    GLuint fbo, tex, depth;             /* the layer: background + each panel's picture */
    GLuint bg_fbo, bg_tex, bg_depth;    /* the background alone */
    int tex_w, tex_h;                   /* allocated size (the framebuffer's) */
    GLenum depth_fmt;                   /* the target's (DEPTH24, or DEPTH24_STENCIL8) */
    int bg_valid;
    bg_key bg;
    int valid[LAYOUT_MAX_PANELS];       /* panel k's region holds key[k]'s picture */
    map_key key[LAYOUT_MAX_PANELS];
    int bare[LAYOUT_MAX_PANELS];        /* panel k's rectangle in the layer is the background's */
    int seen_valid[LAYOUT_MAX_PANELS];  /* 3-D: the key of the last frame drawn directly */
    map_key seen[LAYOUT_MAX_PANELS];
    int no_depth_blit;                  /* 1: the target's depth cannot take the layer's */
    /* the side column's plot insides (COL_PLOT_BG) baked into both layers' side column:
     * pixel rectangles x0, y0, x1, y1 (top-left origin, as rd_pixel_rect), and those
     * the last frame's plots had, to be baked by the next rd_frame_begin */
    int plot_n, plot_next_n;
    int plot[RD_MAX_PLOTS][4], plot_next[RD_MAX_PLOTS][4];
} map_cache;

/* The HUD's wrapped strings, kept between frames (hudwrap.c: hud_wrap). */
#define HUD_CAPTION_LINES 5          /* a caption's rows at most: in small type */
#define HUD_CAPTION_NORMAL_LINES 3   /* ... and in the normal size, before it goes small */
#define HUD_WRAP_ENTRIES 4
typedef struct hud_wrap_entry {
    char text[512];                     /* the string wrapped */
    text_size sz;
    float lh, w;                        /* the type's line height (its scale) and the width */
    int max, narrow;                    /* lines at most; balanced (1) or filled (0) */
    int n, whole;                       /* the result: lines, all of the string in them */
    float lw;                           /* the widest line */
    char out[HUD_CAPTION_LINES][320];
    unsigned long used;                 /* when last asked for (0: empty) */
} hud_wrap_entry;
typedef struct hud_wrap_cache {
    hud_wrap_entry e[HUD_WRAP_ENTRIES];
    unsigned long tick;
    long computed;                      /* wraps and measurements made, not taken from here (tests) */
    char width_text[512];               /* hud_wrap_width's string, size, scale and width */
    text_size width_sz;
    float width_lh, width;
} hud_wrap_cache;

struct renderer {
    gl_program prog_surface2d, prog_surface3d, prog_prims[4];
    unsigned long prog_gen;             /* build_programs successes (cache keys) */
    int cache_on;                       /* static layers cached (default 1) */
    int ref3d;                          /* 3-D surface by the reference path (renderer_desc) */
    GLint target_fbo, target_read;      /* framebuffers bound when renderer_draw began */
    int depth_cleared;                  /* this frame's depth cleared (clear_depth_once) */
    /* a 3-D panel from the layer: its depth is copied into the target only where
     * depth-tested overlays are drawn (rd_depth_for): the map's GL rectangle, and
     * the part of it copied so far (w 0: none) */
    int depth_pending, depth_map[4], depth_done[4];
    int bg_cached;                      /* this frame began with a copy of the static layer */
    int plot_n;                         /* this frame's plot insides (rd_plot_inside) */
    int plot[RD_MAX_PLOTS][4];
    map_cache mc;                       /* the static layer */
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
    int *idx;                           /* scratch for point indices (rd_scratch_idx) */
    int cap_idx;
    /* the trails of one panel projected once a frame (trails.c: trails_draw): 3-D draws
     * them twice (dimmed ghosts, then depth-tested), and each point's projection
     * (its drawn height: four bilinear samples) is most of a trail's cost */
    prim_pt *trail_pts;                 /* every run's projected points, run i from trail_off[i] */
    float *trail_base;                  /* each point's alpha before the run's dimming */
    int *trail_under;                   /* the drawn segment this one lies under, −1: drawn */
    unsigned short *trail_over;         /* per point: segments left out under its own */
    polysimp_grid trail_grid;           /* cover_trail's pixels */
    projmemo trail_memo[LAYOUT_MAX_PANELS][TRAINER_MAX_RUNS];   /* each panel's trails as projected last (trails.c) */
    int trail_cap;
    int trail_off[TRAINER_MAX_RUNS + 1];
    const panel_state *trail_ps;        /* the panel they are of (NULL: none kept) */
    int help_pages;                     /* pages the help overlay needed in the last frame */
    float badge_x, badge_y, badge_room; /* the REC badge's place in the last frame's band, room there */
    double arrow_mag;                   /* magnification of this frame's arrows (1: true length) */
    render_marker marks[RENDER_MAX_MARKERS];   /* this frame's markers (renderer_markers) */
    int n_marks;
    render_sigma_box sig[RENDER_MAX_MARKERS];   /* this frame's σ boxes (renderer_sigma_boxes) */
    int n_sig;
    render_clear_mark clear[RENDER_MAX_CLEAR];   /* marks the fans kept off (renderer_clear_marks) */
    int n_clear;
    render_box *boxes;                  /* renderer_boxes of the frame being drawn */
    int n_boxes, cap_boxes;
    char *box_text;                     /* renderer_keep_strings: the boxes' strings, NUL after each */
    size_t n_box_text, cap_box_text;    /* bytes used, allocated; cap 0 and keep off: none kept */
    int keep_strings;
    render_box_kind text_kind;          /* what the strings drawn now are (RENDER_BOX_TEXT default) */
    char counters[256];                 /* the band's run counters (hud_counters) */
    char probe_text[160];               /* the probe read-out's first line ("" none; renderer_probe_text) */
    char hud_text[1024];                /* the band's title, narration and toast as drawn (renderer_hud_text) */
    int text_h;                         /* the height the type of the last frame was sized for */
    const struct rd_theme *th;          /* the colours of the frame being drawn (rd_theme) */
    hud_wrap_cache wrap;                /* the HUD's wrapped strings (hudwrap.c) */
};

/* The colours of everything around the maps (the maps keep their colour map; what
 * is drawn on a map, arrows, rings, contour labels, keeps its own): the frame's
 * theme (render_frame.theme), r->th while a frame is drawn. The COL_* names read
 * it, so they need a `renderer *r` in scope. */
typedef struct rd_theme {
    uint32_t text, dim, bg, panel;      /* strings, secondary strings, a curve panel, boxes behind strings */
    uint32_t side, plot_bg;             /* the side column's background, a plot's inside */
    uint32_t outline, warn, axis;       /* outlines of marks and lines, warnings, axis lines */
    uint32_t grid, sep, select;         /* plot grid / zero lines, panel separators, the legend's selection */
    uint32_t help_bg, key, narr, paused;   /* the help box, its keys, a narrated step, PAUSED */
    uint32_t curve, curve2, sample;     /* the 1-D view's curve and its second (dashed) one, regression samples */
    uint32_t inset, grid_faint;         /* the curve's and the data panel's plot area, its grid */
    uint32_t mark, ring;                /* the curve's vertical marks, its selected run's ring */
    uint32_t frame_bg, data_bg;         /* the frame's and the data strip's backgrounds */
    float plot_edge;                    /* a plot curve's dark edge, px (light: yellow on white needs one) */
} rd_theme;
const rd_theme *rd_theme_get(int theme);   /* 0 dark, 1 light */

#define COL_TEXT    (r->th->text)
#define COL_DIM     (r->th->dim)
#define COL_BG      (r->th->bg)
#define COL_PANEL   (r->th->panel)
#define COL_SIDE    (r->th->side)
#define COL_PLOT_BG (r->th->plot_bg)
#define COL_OUTLINE (r->th->outline)
#define COL_WARN    (r->th->warn)
#define COL_AXIS    (r->th->axis)
#define COL_GRID    (r->th->grid)

/* Backgrounds (clear colours, 0..1): the frame, the side column, the data strip. */
#define RGBA_F(c) ((float)((c) & 255) / 255.0f), ((float)(((c) >> 8) & 255) / 255.0f), \
                  ((float)(((c) >> 16) & 255) / 255.0f)
#define BG_FRAME RGBA_F(r->th->frame_bg)
#define BG_SIDE  RGBA_F(r->th->side)
#define BG_DATA  RGBA_F(r->th->data_bg)

/* Contour levels drawn in 2-D (every 5th gets a label). */
#define CONTOURS 20

/* The legend's per-parameter effective rate of an adaptive run, "   η/σ A, B" for a
 * 2-D problem; in the 1-D view (curve = 1) only the first, "   η/σ A": the curve's
 * second coordinate has no gradient, so its σ is 0 and its η/σ would read ~1e28. */
void rd_eta_sigma_text(char *buf, size_t size, double lr, const double sigma[2], int curve);

/* ==== curve.c: the 1-D view ==== */

/* Panel ps as a curve of f->field over a (render_field.curve): axes, the curve, each
 * run's trail along it and its marker. Sets ps->map to the plot's rectangle. */
void curve_draw_panel(renderer *r, const render_frame *f, panel_state *ps, float top_band);

/* ==== renderer.c: helpers shared by the frame files ==== */

/* A scratch buffer of n polyline points (owned by r; valid until the next call). */
prim_pt *rd_scratch(renderer *r, int n);
/* A scratch buffer of n point indices (polysimp's choices; owned by r, valid until
 * the next call, apart from rd_scratch's). */
int *rd_scratch_idx(renderer *r, int n);
/* A round step (1, 2 or 5 times a power of ten) cutting `range` into about `target`
 * pieces: the tick spacing of the map's and the curve's axes. */
double rd_nice_step(double range, int target);
/* Number for the HUD: 4 significant digits, exponent form outside [1e-3, 1e5). */
void rd_fmt_num(char *buf, size_t n, double v);
/* The field's value (gradient, Hessian) at plane point (a, b). */
double rd_feval(const render_frame *f, double a, double b, double g[2], double H[4]);
/* Plane coordinates of θ. */
void rd_fproject(const render_frame *f, const double *theta, double ab[2]);
/* Plane coordinates of history point j of run i (the field's hist_ab where it has
 * them, else rd_fproject). */
void rd_hist_point(const render_frame *f, int i, int j, double ab[2]);
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
/* The pixels a filled rectangle [x0, x1) × [y0, y1) covers (their centres inside),
 * as integer x0, y0, x1, y1 (top-left origin); 0 when there are none. */
int rd_pixel_rect(float x0, float y0, float x1, float y1, int out[4]);
/* Pixel rectangle q (rd_pixel_rect) cleared to an opaque rgba with a scissored
 * glClear, in the bound draw framebuffer. Leaves the scissor on the whole framebuffer. */
void rd_clear_pixels(const renderer *r, const int q[4], uint32_t rgba);
/* An opaque rectangle (the pixels a filled one would cover), cleared at once with a
 * scissored glClear: for backgrounds that nothing drawn earlier in the frame
 * overlaps. Leaves the scissor on the whole framebuffer. */
void rd_clear_rect(const renderer *r, float x0, float y0, float x1, float y1, uint32_t rgba);
/* A plot's inside in the side column (COL_PLOT_BG, opaque): recorded for
 * rd_plot_insides, which the frame calls after the column and before the column's
 * primitives are flushed. */
void rd_plot_inside(renderer *r, float x0, float y0, float x1, float y1);
/* The frame's plot insides (layer_cache.c): nothing to draw when the static layer
 * the frame began with already holds exactly these (baked by rd_frame_begin from
 * the frame before); else the layer's are put back to the column's colour and
 * this frame's cleared, and the next rd_frame_begin bakes them. */
void rd_plot_insides(renderer *r);
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

/* ==== layer_cache.c: the static layer (see map_cache) ==== */

/* The frame's background into the bound target: the static layer copied whole
 * (cache on and its framebuffers made), else clears: the frame's colour, the side
 * column's (side not NULL) and the data strip's (data not NULL). lp: the np panels
 * as laid out. Sets r->bg_cached. Leaves the full viewport and scissor. */
void rd_frame_begin(renderer *r, const layout_panel *lp, int np, const render_rect *side,
                    const render_rect *data);
/* The heat map of 2-D panel ps (index k) into ps->map, through the static layer;
 * leaves the viewport and scissor on the map. */
void rd_draw_map(renderer *r, panel_state *ps, int k, const render_surface_style *st);
/* The 3-D surface of panel ps (index k) into ps->map with its depth, through the
 * static layer when possible (see map_cache). Leaves the viewport and scissor on the
 * map and depth testing as render_surface_draw3d does. */
void rd_draw_surface3d(renderer *r, panel_state *ps, int k, const render_surface_style *st,
                       const vec3 eye);
/* Before a depth-tested draw over the panel last given to rd_draw_surface3d, whose
 * pixels all lie in box x0, y0, x1, y1 (pixels, top-left origin): the surface's
 * depth there is in the target. A panel drawn directly has it already; one from
 * the layer gets that part of its depth copied (once), not the whole map's. */
void rd_depth_for(renderer *r, const float box[4]);
/* Frees the layer's framebuffers and textures (cache off, renderer_destroy). */
void rd_cache_release(renderer *r);

/* s, or s shortened (UTF-8 aware) with "…" to at most w pixels at size (into buf). */
const char *rd_fit_text(const renderer *r, text_size size, const char *s, float w, char *buf, size_t n);
/* Note an area (RENDER_BOX_AREA, RENDER_BOX_PANEL) for renderer_boxes. */
void rd_box(renderer *r, render_rect rc, render_box_kind kind, int layer);

/* ==== world.c ==== */

/* Panel ps of frame f: its label, the surface (2-D map or 3-D mesh) with everything
 * placed on it (critical points, probe, trails, arrows, σ boxes, markers, narrated
 * step) drawn and flushed, then its axes and contour labels into r->hud.
 * top_band: room left at the top for the HUD band. Sets ps->map (and ps->mvp). */
void world_draw_panel(renderer *r, const render_frame *f, panel_state *ps, float top_band);

/* ==== trails.c: each run's trail on a panel (into r->world) ==== */

/* The trails of frame f's runs on panel ps (its map and mvp set), their alphas times
 * alpha_mul. again = 1: the second pass of a 3-D panel, reusing the projection the
 * first made this frame (r->trail_pts) instead of projecting anew. */
void trails_draw(renderer *r, const render_frame *f, const panel_state *ps, float alpha_mul, int again);
/* The recorded path of --trajectory (f->rec_xy), if any, on panel ps. */
void trails_draw_recorded(renderer *r, const render_frame *f, const panel_state *ps, float alpha_mul);

/* ==== mapaxes.c: the 2-D map's axes and contour labels (into r->hud) ==== */

/* The room left of a map `h` pixels tall that its y tick labels and the y axis'
 * name `yn` take when mapaxes_draw draws them, plus 2 px to the panel's edge. */
float mapaxes_y_room(const renderer *r, surface_domain d, float h, const char *yn);
/* Map m's frame, ticks and tick labels over domain d, and the axes' names (xn, yn:
 * the field's, e.g. w1 and b on a regression's plane; NULL: x, y). */
void mapaxes_draw(renderer *r, render_rect m, surface_domain d, const char *xn, const char *yn);
/* Labels on panel ps's major contour lines, each on no other label and no key point
 * (a marker drawn this frame, a reserved mark): after marks_draw_runs. */
void mapaxes_contour_labels(renderer *r, const panel_state *ps);

/* ==== hud.c ==== */

/* The legend at the top of the side column; returns the y below it. */
float hud_draw_legend(renderer *r, const render_frame *f, render_rect side);
/* Compare layout: the panel's runs and their current losses, bottom left. */
/* The height the compare layout's per-panel legend takes below a 2-D map. */
float hud_mini_legend_height(renderer *r, const render_frame *f);
void hud_draw_mini_legend(renderer *r, const render_frame *f, const panel_state *ps);
/* Title, run counters, narration caption, status line and probe text, over the
 * main area (the framebuffer left of side_rect). */
void hud_draw_band(renderer *r, const render_frame *f, render_rect side_rect);
/* The band's run counters of f into r->counters (before hud_plan_bottom). */
void hud_counters(renderer *r, const render_frame *f);
/* The rows at the bottom of the main area (main_w wide): their y (−1: none) and
 * the top of the lowest reserved row (the panels end above it); and the band's
 * message slot (hud_plan_bottom says where it is). */
typedef struct hud_bottom {
    float caption_y, top;   /* caption_y: the caption's first row */
    /* the message slot: where the run counters are, and where a narrated step's
     * caption and the window's toast show instead of them, so neither takes a row
     * of its own (issue 9). In the band right of the title, PAUSED and the REC
     * badge's room (slot_bottom = 0: two small lines), or, where the title leaves
     * less than HUD_SLOT_MIN_EM there, rows at the bottom that hold two small lines
     * (slot_bottom = 1: the box slot_y .. slot_y + slot_h). Decided from the title
     * and the frame's size only, never from what it shows. */
    int slot_bottom;
    float slot_x0, slot_x1, slot_y, slot_h;
    /* the caption wrapped at word (or, for CJK, character) boundaries into at most
     * HUD_CAPTION_LINES rows at caption_size, the last shortened with '…' if needed */
    int caption_lines;
    text_size caption_size;
    char caption[HUD_CAPTION_LINES][320];
} hud_bottom;
#define HUD_SLOT_MIN_EM 16.0f
void hud_plan_bottom(renderer *r, const render_frame *f, float main_w, hud_bottom *b);
/* hudwrap.c. s wrapped into at most max (≤ HUD_CAPTION_LINES) lines no wider than w
 * at size sz by core/linebreak's rules, the last line keeping the rest shortened with
 * '…'; narrow = 1: the lines balanced (the narrowest width that keeps their number).
 * Writes the lines into out, the widest line's width into *lw and whether the whole
 * string fits into *whole (either pointer may be NULL); returns the number of lines.
 * The same as wrapping anew every call: results are kept per (s, sz, the font's
 * scale, w, max, narrow) in r->wrap, so a caption or narration shown for many frames
 * is wrapped once. hud_wrap_width: text_width of s at sz, kept the same way (one
 * string). r->wrap.computed counts what was not found kept. */
int hud_wrap(renderer *r, text_size sz, const char *s, float w, int max, int narrow, char out[][320], float *lw,
             int *whole);
float hud_wrap_width(renderer *r, text_size sz, const char *s);
/* linebreak_measure over the renderer's font at one size (ctx: a hud_measure). */
typedef struct hud_measure {
    const renderer *r;
    text_size sz;
} hud_measure;
double hud_measure_text(void *ctx, const char *text);
/* The Hessian probe's read-out in area: at y = at (the side column, below the
 * legend) or, at < 0, at its bottom left. Returns the y below it. */
float hud_draw_probe(renderer *r, const render_frame *f, render_rect area, float at);
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
