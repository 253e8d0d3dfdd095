/*
 * layer_cache.c — the static layer of a frame (render_internal.h: map_cache): the
 * background and each panel's surface, drawn once into framebuffer-sized textures
 * and copied into the frames that follow while their keys hold.
 *
 * Why copies: on Mesa's software rasteriser (llvmpipe, the machines this runs on
 * without a GPU) a glBlitFramebuffer between same-format buffers is a memcpy, while
 * every drawn pixel runs a fragment program: a scissored glClear (the side column's,
 * the data strip's background) is drawn as a quad and costs several times the copy
 * of the same pixels, and the 3-D surface's shading many times more.
 */
#include "render/render_internal.h"

#include <math.h>
#include <string.h>

/* A rectangle as GL pixels (bottom-left origin) covering rc (top-left origin, as
 * rd_set_viewport rounds it): out = x, y, w, h. */
static void gl_rect(const renderer *r, render_rect rc, int out[4])
{
    int x = (int)floorf(rc.x), y = (int)floorf(rc.y);
    int w = (int)ceilf(rc.x + rc.w) - x, h = (int)ceilf(rc.y + rc.h) - y;
    out[0] = x, out[1] = r->fb_h - (y + h), out[2] = w, out[3] = h;
}

static int map_key_eq(const map_key *a, const map_key *b)
{
    return a->rs == b->rs && a->gen == b->gen && a->prog_gen == b->prog_gen &&
           a->colormap == b->colormap && a->log == b->log && a->contours == b->contours &&
           a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h && a->px == b->px &&
           a->py == b->py && a->pw == b->pw && a->ph == b->ph && a->is3d == b->is3d &&
           memcmp(a->mvp, b->mvp, sizeof a->mvp) == 0 && memcmp(a->eye, b->eye, sizeof a->eye) == 0;
}

void rd_cache_release(renderer *r)
{
    map_cache *mc = &r->mc;
    GLuint fbos[2] = { mc->fbo, mc->bg_fbo }, texs[2] = { mc->tex, mc->bg_tex },
           rbs[2] = { mc->depth, mc->bg_depth };
    glDeleteFramebuffers(2, fbos);   /* 0 names are ignored */
    glDeleteTextures(2, texs);
    glDeleteRenderbuffers(2, rbs);
    memset(mc, 0, sizeof *mc);
}

/* One w × h colour texture + depth renderbuffer (depth_fmt) framebuffer. */
static int make_target(GLuint *fbo, GLuint *tex, GLuint *depth, int w, int h, GLenum depth_fmt)
{
    if (!*fbo)
        glGenFramebuffers(1, fbo);
    if (!*depth)
        glGenRenderbuffers(1, depth);
    glBindRenderbuffer(GL_RENDERBUFFER, *depth);
    glRenderbufferStorage(GL_RENDERBUFFER, depth_fmt, w, h);
    glBindRenderbuffer(GL_RENDERBUFFER, 0);
    if (!*tex)
        glGenTextures(1, tex);
    glBindTexture(GL_TEXTURE_2D, *tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, *fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, *tex, 0);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER,
                              depth_fmt == GL_DEPTH24_STENCIL8 ? GL_DEPTH_STENCIL_ATTACHMENT : GL_DEPTH_ATTACHMENT,
                              GL_RENDERBUFFER, *depth);
    return glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
}

/* The depth format of the bound draw framebuffer as the layer should have it, so
 * that a depth copy into it is a plain copy: DEPTH24_STENCIL8 where it has stencil
 * bits (a window's own framebuffer often has), else DEPTH_COMPONENT24 (the
 * offscreen targets'). */
static GLenum target_depth_format(const renderer *r)
{
    GLenum att = r->target_fbo ? GL_STENCIL_ATTACHMENT : GL_STENCIL;
    GLint type = GL_NONE, bits = 0;
    glGetFramebufferAttachmentParameteriv(GL_DRAW_FRAMEBUFFER, att, GL_FRAMEBUFFER_ATTACHMENT_OBJECT_TYPE, &type);
    if (type != GL_NONE)
        glGetFramebufferAttachmentParameteriv(GL_DRAW_FRAMEBUFFER, att, GL_FRAMEBUFFER_ATTACHMENT_STENCIL_SIZE, &bits);
    while (glGetError() != GL_NO_ERROR)   /* a query the target does not answer: no stencil */
        ;
    return bits > 0 ? GL_DEPTH24_STENCIL8 : GL_DEPTH_COMPONENT24;
}

/* Both framebuffers at w × h with the target's depth format (reallocated, and
 * everything dropped, when either differs). Returns 0 if they cannot be made
 * complete. Binds the target back. */
static int cache_alloc(renderer *r, int w, int h)
{
    map_cache *mc = &r->mc;
    GLenum fmt = target_depth_format(r);
    if (mc->fbo && mc->tex_w == w && mc->tex_h == h && mc->depth_fmt == fmt)
        return 1;
    int no_depth_blit = mc->no_depth_blit;
    rd_cache_release(r);
    mc->no_depth_blit = no_depth_blit;
    int ok = make_target(&mc->fbo, &mc->tex, &mc->depth, w, h, fmt) &&
             make_target(&mc->bg_fbo, &mc->bg_tex, &mc->bg_depth, w, h, fmt);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, (GLuint)r->target_fbo);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, (GLuint)r->target_read);
    if (!ok) {
        rd_cache_release(r);
        mc->no_depth_blit = no_depth_blit;
        return 0;
    }
    mc->tex_w = w;
    mc->tex_h = h;
    mc->depth_fmt = fmt;
    return 1;
}

/* A copy of rectangle q (GL pixels) from framebuffer src to dst, the scissor off
 * (it would clip the copy); mask as glBlitFramebuffer. Binds the target back. */
static void copy_rect(renderer *r, GLuint src, GLuint dst, const int q[4], GLbitfield mask)
{
    glDisable(GL_SCISSOR_TEST);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, src);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, dst);
    glBlitFramebuffer(q[0], q[1], q[0] + q[2], q[1] + q[3], q[0], q[1], q[0] + q[2], q[1] + q[3], mask,
                      GL_NEAREST);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, (GLuint)r->target_read);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, (GLuint)r->target_fbo);
    glEnable(GL_SCISSOR_TEST);
}

/* The clears of a frame without the layer. */
static void clear_background(renderer *r, const render_rect *side, const render_rect *data)
{
    rd_full_viewport(r);
    glClearColor(BG_FRAME, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    if (side) {
        rd_set_viewport(r, *side);
        glClearColor(BG_SIDE, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
    }
    if (data) {
        rd_set_viewport(r, *data);
        glClearColor(BG_DATA, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
    }
    rd_full_viewport(r);
}

static int same_plots(const int a[][4], int na, const int b[][4], int nb)
{
    return na == nb && (na == 0 || memcmp(a, b, (size_t)na * sizeof a[0]) == 0);
}

/* The last frame's plot insides (mc->plot_next) into both layers' side column (GL
 * rectangle side), the ones baked before put back to the column's colour. Nothing
 * else is drawn into the layers' side column, so the panels' pictures stay valid.
 * Insides not wholly in the column (cannot happen while the background's key
 * holds) are not baked: the frame then clears them itself. */
static void bake_plots(renderer *r, const int side[4])
{
    map_cache *mc = &r->mc;
    for (int i = 0; i < mc->plot_next_n; i++) {
        const int *q = mc->plot_next[i];
        if (q[0] < side[0] || q[2] > side[0] + side[2] || r->fb_h - q[3] < side[1] ||
            r->fb_h - q[1] > side[1] + side[3])
            return;
    }
    GLuint fbos[2] = { mc->bg_fbo, mc->fbo };
    for (int k = 0; k < 2; k++) {
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, fbos[k]);
        for (int i = 0; i < mc->plot_n; i++)
            rd_clear_pixels(r, mc->plot[i], COL_SIDE);
        for (int i = 0; i < mc->plot_next_n; i++)
            rd_clear_pixels(r, mc->plot_next[i], COL_PLOT_BG);
    }
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, (GLuint)r->target_fbo);
    mc->plot_n = mc->plot_next_n;
    memcpy(mc->plot, mc->plot_next, sizeof mc->plot);
}

void rd_frame_begin(renderer *r, const layout_panel *lp, int np, const render_rect *side,
                    const render_rect *data)
{
    map_cache *mc = &r->mc;
    r->bg_cached = 0;
    if (!r->cache_on || !cache_alloc(r, r->fb_w, r->fb_h)) {
        clear_background(r, side, data);
        return;
    }
    bg_key key;
    memset(&key, 0, sizeof key);
    key.w = r->fb_w, key.h = r->fb_h;
    if (side)
        gl_rect(r, *side, key.side);
    if (data)
        gl_rect(r, *data, key.data);
    key.np = np;
    key.th = r->th;
    for (int i = 0; i < np && i < LAYOUT_MAX_PANELS; i++)
        gl_rect(r, lp[i].rect, key.panel[i]);
    int whole[4] = { 0, 0, r->fb_w, r->fb_h };
    if (!mc->bg_valid || memcmp(&mc->bg, &key, sizeof key) != 0) {
        /* a new background, once: drawn into bg_fbo, the layer starts from it */
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, mc->bg_fbo);
        clear_background(r, side, data);
        glDisable(GL_SCISSOR_TEST);
        glClearStencil(0);
        glClear(GL_DEPTH_BUFFER_BIT | GL_STENCIL_BUFFER_BIT);
        glEnable(GL_SCISSOR_TEST);
        copy_rect(r, mc->bg_fbo, mc->fbo, whole, GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
        memset(mc->valid, 0, sizeof mc->valid);
        memset(mc->seen_valid, 0, sizeof mc->seen_valid);
        for (int k = 0; k < LAYOUT_MAX_PANELS; k++)
            mc->bare[k] = 1;
        mc->bg = key;
        mc->bg_valid = 1;
        mc->plot_n = mc->plot_next_n = 0;   /* the last frame's plots had another column */
    } else if (side && !same_plots(mc->plot, mc->plot_n, mc->plot_next, mc->plot_next_n)) {
        bake_plots(r, key.side);
    }
    r->bg_cached = 1;
    copy_rect(r, mc->fbo, (GLuint)r->target_fbo, whole, GL_COLOR_BUFFER_BIT);
    rd_full_viewport(r);
}

void rd_plot_insides(renderer *r)
{
    map_cache *mc = &r->mc;
    if (!r->bg_cached) {   /* no layer: cleared every frame */
        for (int i = 0; i < r->plot_n; i++)
            rd_clear_pixels(r, r->plot[i], COL_PLOT_BG);
        return;
    }
    mc->plot_next_n = r->plot_n;
    memcpy(mc->plot_next, r->plot, sizeof mc->plot_next);
    if (same_plots(mc->plot, mc->plot_n, r->plot, r->plot_n))
        return;   /* the frame's copy of the layer brought them */
    /* other plots than the layer's (the legend or the probe's text grew, a plot came
     * or went): the layer's back to the column's colour, then this frame's */
    for (int i = 0; i < mc->plot_n; i++)
        rd_clear_pixels(r, mc->plot[i], COL_SIDE);
    for (int i = 0; i < r->plot_n; i++)
        rd_clear_pixels(r, r->plot[i], COL_PLOT_BG);
}

/* The key of panel ps's picture (map: the surface's rectangle). */
static map_key panel_key(const renderer *r, const panel_state *ps, const render_surface_style *st,
                         const int map[4], int is3d, const vec3 eye)
{
    map_key key;
    memset(&key, 0, sizeof key);
    key.rs = r->rs;
    key.gen = render_surface_generation(r->rs);
    key.prog_gen = r->prog_gen;
    key.colormap = st->colormap + (st->lift ? 1000 : 0), key.log = st->log, key.contours = st->contours;
    key.x = map[0], key.y = map[1], key.w = map[2], key.h = map[3];
    int p[4];
    gl_rect(r, ps->lp.rect, p);
    key.px = p[0], key.py = p[1], key.pw = p[2], key.ph = p[3];
    key.is3d = is3d;
    if (is3d) {
        memcpy(key.mvp, ps->mvp, sizeof key.mvp);
        memcpy(key.eye, eye, sizeof key.eye);
    }
    return key;
}

/* The panel's rectangle in the layer back to the background (colour and depth),
 * then its surface drawn there; panel k's entry is key. */
static void draw_into_layer(renderer *r, panel_state *ps, int k, const map_key *key,
                            const render_surface_style *st, const vec3 eye)
{
    map_cache *mc = &r->mc;
    int p[4] = { key->px, key->py, key->pw, key->ph };
    copy_rect(r, mc->bg_fbo, mc->fbo, p, GL_COLOR_BUFFER_BIT | (key->is3d ? GL_DEPTH_BUFFER_BIT : 0));
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, mc->fbo);
    rd_set_viewport(r, ps->map);
    if (key->is3d)
        render_surface_draw3d(r->rs, r->prog_surface3d, st, ps->mvp, eye);
    else
        render_surface_draw2d(r->rs, r->prog_surface2d, st);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, (GLuint)r->target_fbo);
    mc->key[k] = *key;
    mc->valid[k] = 1;
    mc->bare[k] = 0;
}

void rd_draw_map(renderer *r, panel_state *ps, int k, const render_surface_style *st)
{
    int m[4];
    gl_rect(r, ps->map, m);
    rd_set_viewport(r, ps->map);
    if (!r->bg_cached || k < 0 || k >= LAYOUT_MAX_PANELS || m[2] <= 0 || m[3] <= 0 ||
        !gl_program_is_valid(r->prog_surface2d)) {
        render_surface_draw2d(r->rs, r->prog_surface2d, st);
        return;
    }
    map_cache *mc = &r->mc;
    map_key key = panel_key(r, ps, st, m, 0, (vec3){ 0, 0, 0 });
    if (!mc->valid[k] || !map_key_eq(&mc->key[k], &key)) {
        /* a new picture: into the layer, then the panel's rectangle into the frame */
        draw_into_layer(r, ps, k, &key, st, NULL);
        int p[4] = { key.px, key.py, key.pw, key.ph };
        copy_rect(r, mc->fbo, (GLuint)r->target_fbo, p, GL_COLOR_BUFFER_BIT);
    }
    /* else the frame's copy of the layer brought it */
    rd_set_viewport(r, ps->map);
}

/* Clears the depth of the whole framebuffer, the first time in a frame: panels do
 * not overlap and each panel's overlays are drawn before the next panel, so one
 * full clear serves every 3-D panel drawn directly. Mesa clears a scissored region
 * by drawing a quad through the fragment pipeline, which on the software rasteriser
 * costs more than the full clear (tile by tile, as the tiles are drawn); a frame
 * whose 3-D panels all come from the layer clears no depth at all. */
static void clear_depth_once(renderer *r)
{
    if (r->depth_cleared)
        return;
    glDisable(GL_SCISSOR_TEST);
    glClear(GL_DEPTH_BUFFER_BIT);
    glEnable(GL_SCISSOR_TEST);
    r->depth_cleared = 1;
}

/* Copies rectangle q's depth from the layer into the target (with the stencil in
 * DEPTH24_STENCIL8: Mesa copies the packed values as they are, where a depth-only
 * copy goes through floats and moved a few depth-tested overlay pixels); 0 (and
 * never again) where the target's depth format does not take it. */
static int copy_depth(renderer *r, const int q[4])
{
    while (glGetError() != GL_NO_ERROR)
        ;
    copy_rect(r, r->mc.fbo, (GLuint)r->target_fbo, q,
              GL_DEPTH_BUFFER_BIT | (r->mc.depth_fmt == GL_DEPTH24_STENCIL8 ? GL_STENCIL_BUFFER_BIT : 0));
    if (glGetError() == GL_NO_ERROR)
        return 1;
    r->mc.no_depth_blit = 1;
    return 0;
}

void rd_depth_for(renderer *r, const float box[4])
{
    if (!r->depth_pending)
        return;
    /* the box as GL pixels (bottom-left origin), a pixel wider each way, within the map */
    const int *m = r->depth_map;
    float x0 = floorf(box[0]) - 1, x1 = ceilf(box[2]) + 1;
    float y0 = (float)r->fb_h - ceilf(box[3]) - 1, y1 = (float)r->fb_h - floorf(box[1]) + 1;
    int q[4] = { x0 > m[0] ? (int)x0 : m[0], y0 > m[1] ? (int)y0 : m[1],
                 x1 < m[0] + m[2] ? (int)x1 : m[0] + m[2], y1 < m[1] + m[3] ? (int)y1 : m[1] + m[3] };
    if (q[2] <= q[0] || q[3] <= q[1])
        return;
    int *d = r->depth_done;
    if (d[2] > 0 && q[0] >= d[0] && q[1] >= d[1] && q[2] <= d[0] + d[2] && q[3] <= d[1] + d[3])
        return;   /* copied already */
    if (d[2] > 0) {   /* the union of both: one rectangle */
        q[0] = q[0] < d[0] ? q[0] : d[0], q[1] = q[1] < d[1] ? q[1] : d[1];
        q[2] = q[2] > d[0] + d[2] ? q[2] : d[0] + d[2], q[3] = q[3] > d[1] + d[3] ? q[3] : d[1] + d[3];
    }
    int c[4] = { q[0], q[1], q[2] - q[0], q[3] - q[1] };
    copy_depth(r, c);   /* the target took one pixel: it takes these */
    memcpy(d, c, sizeof c);
}

void rd_draw_surface3d(renderer *r, panel_state *ps, int k, const render_surface_style *st,
                       const vec3 eye)
{
    r->depth_pending = 0;
    int m[4];
    gl_rect(r, ps->map, m);
    rd_set_viewport(r, ps->map);
    map_cache *mc = &r->mc;
    if (!r->bg_cached || k < 0 || k >= LAYOUT_MAX_PANELS || m[2] <= 0 || m[3] <= 0 ||
        !gl_program_is_valid(r->prog_surface3d)) {
        clear_depth_once(r);
        render_surface_draw3d(r->rs, r->prog_surface3d, st, ps->mvp, eye);
        return;
    }
    map_key key = panel_key(r, ps, st, m, 1, eye);
    int p[4] = { key.px, key.py, key.pw, key.ph };
    int hit = mc->valid[k] && map_key_eq(&mc->key[k], &key);
    if (mc->no_depth_blit || (!hit && !(mc->seen_valid[k] && map_key_eq(&mc->seen[k], &key)))) {
        /* first sight of this camera (or a target that cannot take the layer's
         * depth): the frame's copy of the layer may hold another picture here; back
         * to the background, in the layer too (so the next frames of an orbit copy
         * nothing more), then the surface drawn directly */
        if (!mc->bare[k]) {
            copy_rect(r, mc->bg_fbo, mc->fbo, p, GL_COLOR_BUFFER_BIT);
            copy_rect(r, mc->bg_fbo, (GLuint)r->target_fbo, p, GL_COLOR_BUFFER_BIT);
            mc->valid[k] = 0;
            mc->bare[k] = 1;
        }
        rd_set_viewport(r, ps->map);
        clear_depth_once(r);
        render_surface_draw3d(r->rs, r->prog_surface3d, st, ps->mvp, eye);
        mc->seen[k] = key;
        mc->seen_valid[k] = 1;
        return;
    }
    if (!hit) {   /* the same camera twice in a row: into the layer, colour into the frame */
        draw_into_layer(r, ps, k, &key, st, eye);
        copy_rect(r, mc->fbo, (GLuint)r->target_fbo, p, GL_COLOR_BUFFER_BIT);
    }
    /* the depth is copied where depth-tested overlays need it (rd_depth_for); one
     * pixel now finds out whether the target takes the copy at all */
    int px[4] = { m[0], m[1], 1, 1 };
    if (!copy_depth(r, px)) {
        rd_set_viewport(r, ps->map);
        clear_depth_once(r);
        render_surface_draw3d(r->rs, r->prog_surface3d, st, ps->mvp, eye);
        return;
    }
    r->depth_pending = 1;
    memcpy(r->depth_map, m, sizeof r->depth_map);
    memset(r->depth_done, 0, sizeof r->depth_done);
    rd_set_viewport(r, ps->map);
    /* as render_surface_draw3d leaves it: the overlays test against this depth */
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glDepthMask(GL_TRUE);
}
