/*
 * prims.h — a batch of screen-space primitives drawn with one program and one draw
 * upload and three draw calls (fills and lines; marks; glyphs, in that order, each
 * with its own small fragment shader): filled triangles and rectangles, thick
 * anti-aliased polylines (triangle
 * strips built on the CPU: the core profile has no wide lines), marks (disc, ring,
 * square, triangles, diamond, cross, plus) and text glyphs from the atlas (text.h).
 *
 * Coordinates are framebuffer pixels with the origin at the top left; z is the NDC
 * depth (−1 .. 1) used when the batch is flushed with depth testing (3-D trails),
 * 0 otherwise. Within a class, primitives are drawn in the order they were added;
 * all fills and lines come before all marks, and all marks before all text.
 *
 * Index
 *     prim_pt                         a polyline point: x, y, z, rgba
 *     prim_mark_kind                  PRIM_DISC ... PRIM_TRI_DOWN
 *     prims_create() / prims_destroy(p)
 *     prims_rect(p, x0, y0, x1, y1, rgba)
 *     prims_tri(p, xy0, xy1, xy2, rgba)
 *     prims_tri3(p, a, b, c, rgba)           with depth (x, y, z each)
 *     prims_polyline(p, pts, n, width)       per-point colour (fading tails)
 *     prims_polyline_ex(p, pts, n, width, outline, min_step)
 *     prims_line(p, x0, y0, x1, y1, width, rgba)
 *     prims_mark(p, x, y, z, radius, kind, rgba)
 *     prims_glyph(p, x0, y0, x1, y1, s0, t0, s1, t1, rgba)   used by text.c
 *     prims_count(p)                          vertices queued
 *     prims_bounds(p, out)                    pixel box of the queued vertices
 *     prims_flush(p, programs, atlas, fb_w, fb_h, depth)      draw and empty
 *     prims_clear(p)
 *     RGBA(r, g, b, a)                        pack bytes into a uint32 (r in the low byte)
 */
#ifndef LOSSCAPE_RENDER_PRIMS_H
#define LOSSCAPE_RENDER_PRIMS_H

#include <stdint.h>

#include "render/gl_util.h"

#define RGBA(r, g, b, a) \
    ((uint32_t)(r) | ((uint32_t)(g) << 8) | ((uint32_t)(b) << 16) | ((uint32_t)(a) << 24))

static inline uint32_t rgba_alpha(uint32_t c, float a)
{
    float v = (float)(c >> 24) * (a < 0 ? 0 : a > 1 ? 1 : a);
    return (c & 0xffffffu) | ((uint32_t)(v + 0.5f) << 24);
}

typedef struct prim_pt {
    float x, y, z;          /* pixels, pixels, NDC depth */
    uint32_t rgba;          /* colour at this point */
} prim_pt;

typedef enum prim_mark_kind {
    PRIM_DISC = 2,
    PRIM_RING = 3,
    PRIM_SQUARE = 4,
    PRIM_TRI_UP = 5,
    PRIM_DIAMOND = 6,
    PRIM_CROSS = 7,
    PRIM_PLUS = 8,
    PRIM_TRI_DOWN = 9
} prim_mark_kind;

typedef struct prims prims;

/* An empty batch with its GL buffers (needs a current GL context). NULL if out of
 * memory. Free with prims_destroy (NULL is a no-op). */
prims *prims_create(void);
void prims_destroy(prims *p);

void prims_rect(prims *p, float x0, float y0, float x1, float y1, uint32_t rgba);
void prims_tri(prims *p, const float a[2], const float b[2], const float c[2], uint32_t rgba);
void prims_tri3(prims *p, const float a[3], const float b[3], const float c[3], uint32_t rgba);
/* A polyline of n points, `width` pixels wide, with mitred joins (a sharp turn
 * breaks the strip and rounds the joint). Points closer than 1.5 px to the previous
 * one are skipped. */
void prims_polyline(prims *p, const prim_pt *pts, int n, float width);
/* The same with a dark border `outline` pixels wide inside the width (drawn in the
 * same triangles: half the cost of a second, wider line) and points closer than
 * min_step pixels merged. */
void prims_polyline_ex(prims *p, const prim_pt *pts, int n, float width, float outline,
                       float min_step);
void prims_line(prims *p, float x0, float y0, float x1, float y1, float width, uint32_t rgba);
void prims_mark(prims *p, float x, float y, float z, float radius, prim_mark_kind kind,
                uint32_t rgba);
void prims_glyph(prims *p, float x0, float y0, float x1, float y1, float s0, float t0, float s1,
                 float t1, uint32_t rgba);
int prims_count(const prims *p);
/* The box x0, y0, x1, y1 (pixels, top-left origin) holding every queued vertex, so
 * every pixel the batch can draw; 0 (out untouched) when nothing is queued. */
int prims_bounds(const prims *p, float out[4]);
void prims_clear(prims *p);

/* Draw everything queued with programs[0] (prims.vert + prims_fill.frag), [1]
 * (prims_mark.frag), [2] (prims_text.frag) and [3] (prims_disc.frag: runs of 16 or
 * more discs among the marks, in their order; an invalid one: none) over a
 * fb_w × fb_h framebuffer (the caller sets viewport and scissor), sampling `atlas`
 * for glyphs; depth = 1 tests depth without writing it (3-D trails), 0 draws on top.
 * Empties the batch. */
void prims_flush(prims *p, const gl_program programs[4], gl_texture atlas, int fb_w, int fb_h,
                 int depth);

#endif
