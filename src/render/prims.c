/*
 * prims.c — CPU geometry for screen-space primitives, streamed to one VBO per flush.
 *
 * Vertex layout (28 bytes): x y z | u v w kind | rgba8. Indexed triangles.
 */
#include "render/prims.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct pvert {
    float x, y, z;
    float u, v, w, kind;
    uint32_t rgba;
} pvert;

/* Index lists by program: 0 fills and lines, 1 marks, 2 glyphs. */
enum { CLS_FILL = 0, CLS_MARK, CLS_TEXT, CLS_COUNT };

typedef struct idx_list {
    uint32_t *idx;
    int n, cap;
} idx_list;

struct prims {
    pvert *v;
    int nv, cap_v;
    idx_list il[CLS_COUNT];
    unsigned char *disc;   /* per mark (il[CLS_MARK]'s quads, in order): 1 a disc */
    int disc_cap;
    GLuint vao, vbo, ibo;
};

prims *prims_create(void)
{
    prims *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    glGenVertexArrays(1, &p->vao);
    glGenBuffers(1, &p->vbo);
    glGenBuffers(1, &p->ibo);
    glBindVertexArray(p->vao);
    glBindBuffer(GL_ARRAY_BUFFER, p->vbo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, p->ibo);
    glEnableVertexAttribArray(GL_ATTR_POS);
    glVertexAttribPointer(GL_ATTR_POS, 3, GL_FLOAT, GL_FALSE, sizeof(pvert), (void *)0);
    glEnableVertexAttribArray(GL_ATTR_ATTR1);
    glVertexAttribPointer(GL_ATTR_ATTR1, 4, GL_FLOAT, GL_FALSE, sizeof(pvert),
                          (void *)offsetof(pvert, u));
    glEnableVertexAttribArray(GL_ATTR_COLOR);
    glVertexAttribPointer(GL_ATTR_COLOR, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(pvert),
                          (void *)offsetof(pvert, rgba));
    glBindVertexArray(0);
    return p;
}

void prims_destroy(prims *p)
{
    if (!p)
        return;
    glDeleteBuffers(1, &p->vbo);
    glDeleteBuffers(1, &p->ibo);
    glDeleteVertexArrays(1, &p->vao);
    free(p->v);
    for (int k = 0; k < CLS_COUNT; k++)
        free(p->il[k].idx);
    free(p->disc);
    free(p);
}

/* Room for nv more vertices and ni more indices of class cls; 0 if out of memory. */
static int reserve_cls(prims *p, int nv, int ni, int cls)
{
    if (p->nv + nv > p->cap_v) {
        int cap = p->cap_v ? p->cap_v : 4096;
        while (cap < p->nv + nv)
            cap *= 2;
        pvert *v = realloc(p->v, (size_t)cap * sizeof *v);
        if (!v)
            return 0;
        p->v = v;
        p->cap_v = cap;
    }
    idx_list *l = &p->il[cls];
    if (l->n + ni > l->cap) {
        int cap = l->cap ? l->cap : 8192;
        while (cap < l->n + ni)
            cap *= 2;
        uint32_t *i = realloc(l->idx, (size_t)cap * sizeof *i);
        if (!i)
            return 0;
        l->idx = i;
        l->cap = cap;
    }
    return 1;
}

static int reserve(prims *p, int nv, int ni) { return reserve_cls(p, nv, ni, CLS_FILL); }

static void vert(prims *p, float x, float y, float z, float u, float v, float w, float kind,
                 uint32_t rgba)
{
    p->v[p->nv++] = (pvert){ x, y, z, u, v, w, kind, rgba };
}

/* A quad from 4 vertices at b (0 1 2 3 in strip order: 0-1 one edge, 2-3 the other). */
static void quad_idx_cls(prims *p, uint32_t b, int cls)
{
    idx_list *l = &p->il[cls];
    uint32_t *i = l->idx + l->n;
    i[0] = b; i[1] = b + 1; i[2] = b + 2;
    i[3] = b + 1; i[4] = b + 3; i[5] = b + 2;
    l->n += 6;
}

static void quad_idx(prims *p, uint32_t b) { quad_idx_cls(p, b, CLS_FILL); }

static void tri_idx(prims *p, uint32_t b)
{
    idx_list *l = &p->il[CLS_FILL];
    l->idx[l->n++] = b;
    l->idx[l->n++] = b + 1;
    l->idx[l->n++] = b + 2;
}

void prims_rect(prims *p, float x0, float y0, float x1, float y1, uint32_t rgba)
{
    if (!reserve(p, 4, 6))
        return;
    uint32_t b = (uint32_t)p->nv;
    vert(p, x0, y0, 0, 0, 0, 0, 0, rgba);
    vert(p, x1, y0, 0, 0, 0, 0, 0, rgba);
    vert(p, x0, y1, 0, 0, 0, 0, 0, rgba);
    vert(p, x1, y1, 0, 0, 0, 0, 0, rgba);
    quad_idx(p, b);
}

void prims_tri(prims *p, const float a[2], const float b[2], const float c[2], uint32_t rgba)
{
    if (!reserve(p, 3, 3))
        return;
    uint32_t base = (uint32_t)p->nv;
    vert(p, a[0], a[1], 0, 0, 0, 0, 0, rgba);
    vert(p, b[0], b[1], 0, 0, 0, 0, 0, rgba);
    vert(p, c[0], c[1], 0, 0, 0, 0, 0, rgba);
    tri_idx(p, base);
}

void prims_tri3(prims *p, const float a[3], const float b[3], const float c[3], uint32_t rgba)
{
    if (!reserve(p, 3, 3))
        return;
    uint32_t base = (uint32_t)p->nv;
    vert(p, a[0], a[1], a[2], 0, 0, 0, 0, rgba);
    vert(p, b[0], b[1], b[2], 0, 0, 0, 0, rgba);
    vert(p, c[0], c[1], c[2], 0, 0, 0, 0, rgba);
    tri_idx(p, base);
}

void prims_mark(prims *p, float x, float y, float z, float r, prim_mark_kind kind, uint32_t rgba)
{
    if (!reserve_cls(p, 4, 6, CLS_MARK))
        return;
    int q = p->il[CLS_MARK].n / 6;   /* this mark's place among the batch's marks */
    if (q >= p->disc_cap) {
        int cap = p->disc_cap ? 2 * p->disc_cap : 1024;
        unsigned char *d = realloc(p->disc, (size_t)cap);
        if (!d)
            return;
        p->disc = d;
        p->disc_cap = cap;
    }
    p->disc[q] = kind == PRIM_DISC;
    /* the quad holds every pixel the mark's signed distance gives coverage (d < 0.5:
     * prims_mark.frag): a disc's or a ring's within r + 0.5 of the centre, the other
     * kinds' (a diamond's corners reach 1.06 r) within r + 1.5. The rest of a quad is
     * shaded and discarded: a trail's joints are discs (moons-mlp-bn at --speed
     * 1000000: ~1,200 of them a pass), whose quads are 40 % smaller so */
    float e = r + (kind == PRIM_DISC || kind == PRIM_RING ? 0.5f : 1.5f);
    uint32_t b = (uint32_t)p->nv;
    vert(p, x - e, y - e, z, -e, -e, r, (float)kind, rgba);
    vert(p, x + e, y - e, z, e, -e, r, (float)kind, rgba);
    vert(p, x - e, y + e, z, -e, e, r, (float)kind, rgba);
    vert(p, x + e, y + e, z, e, e, r, (float)kind, rgba);
    quad_idx_cls(p, b, CLS_MARK);
}

void prims_glyph(prims *p, float x0, float y0, float x1, float y1, float s0, float t0, float s1,
                 float t1, uint32_t rgba)
{
    if (!reserve_cls(p, 4, 6, CLS_TEXT))
        return;
    uint32_t b = (uint32_t)p->nv;
    vert(p, x0, y0, 0, s0, t0, 0, 10, rgba);
    vert(p, x1, y0, 0, s1, t0, 0, 10, rgba);
    vert(p, x0, y1, 0, s0, t1, 0, 10, rgba);
    vert(p, x1, y1, 0, s1, t1, 0, 10, rgba);
    quad_idx_cls(p, b, CLS_TEXT);
}

void prims_line(prims *p, float x0, float y0, float x1, float y1, float width, uint32_t rgba)
{
    prim_pt pts[2] = { { x0, y0, 0, rgba }, { x1, y1, 0, rgba } };
    prims_polyline(p, pts, 2, width);
}

/* One mitred strip through pts[0..n); `outline` pixels of each side are dark. */
static void strip(prims *p, const prim_pt *pts, int n, float hw, float outline)
{
    if (n < 2 || !reserve(p, 2 * n, 6 * (n - 1)))
        return;
    float e = hw + 1.0f;  /* one extra pixel for the anti-aliased edge */
    uint32_t b = (uint32_t)p->nv;
    for (int i = 0; i < n; i++) {
        float nx, ny, scale = 1.0f;
        float dx0 = 0, dy0 = 0, dx1 = 0, dy1 = 0;
        if (i > 0) {
            dx0 = pts[i].x - pts[i - 1].x;
            dy0 = pts[i].y - pts[i - 1].y;
            float l = sqrtf(dx0 * dx0 + dy0 * dy0);
            dx0 /= l, dy0 /= l;
        }
        if (i < n - 1) {
            dx1 = pts[i + 1].x - pts[i].x;
            dy1 = pts[i + 1].y - pts[i].y;
            float l = sqrtf(dx1 * dx1 + dy1 * dy1);
            dx1 /= l, dy1 /= l;
        }
        if (i == 0) {
            nx = -dy1, ny = dx1;
        } else if (i == n - 1) {
            nx = -dy0, ny = dx0;
        } else {
            float tx = dx0 + dx1, ty = dy0 + dy1;
            float l = sqrtf(tx * tx + ty * ty);
            if (l < 1e-4f) {
                tx = dx1, ty = dy1;
                l = 1;
            }
            tx /= l, ty /= l;
            nx = -ty, ny = tx;
            float c = nx * -dy0 + ny * dx0; /* cos of half the turn */
            scale = c > 0.5f ? 1.0f / c : 2.0f;
        }
        float ox = nx * e * scale, oy = ny * e * scale;
        vert(p, pts[i].x + ox, pts[i].y + oy, pts[i].z, e * scale, outline, hw, 1, pts[i].rgba);
        vert(p, pts[i].x - ox, pts[i].y - oy, pts[i].z, -e * scale, outline, hw, 1, pts[i].rgba);
    }
    for (int i = 0; i < n - 1; i++)
        quad_idx(p, b + 2 * (uint32_t)i);
}

void prims_polyline(prims *p, const prim_pt *pts, int n, float width)
{
    prims_polyline_ex(p, pts, n, width, 0.0f, 1.5f);
}

void prims_polyline_ex(prims *p, const prim_pt *pts, int n, float width, float outline,
                       float min_step)
{
    float hw = width * 0.5f, min2 = min_step * min_step;
    /* compact: drop points within 1.5 px of the last kept one (the last is kept):
     * the software rasteriser pays per triangle, and a trail of 4096 points would
     * otherwise cost more than the whole surface */
    enum { CHUNK = 512 };
    prim_pt buf[CHUNK];
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(pts[i].x) || !isfinite(pts[i].y))
            continue;
        if (m > 0) {
            float dx = pts[i].x - buf[m - 1].x, dy = pts[i].y - buf[m - 1].y;
            if (dx * dx + dy * dy < min2) {
                if (i == n - 1 && m > 1)
                    buf[m - 1] = pts[i];
                continue;
            }
            /* a sharp turn (> ~115°) breaks the strip and rounds the joint */
            if (m > 1) {
                float ax = buf[m - 1].x - buf[m - 2].x, ay = buf[m - 1].y - buf[m - 2].y;
                float dot = ax * dx + ay * dy;
                float la = sqrtf(ax * ax + ay * ay), lb = sqrtf(dx * dx + dy * dy);
                if (dot < -0.42f * la * lb) {
                    strip(p, buf, m, hw, outline);
                    prims_mark(p, buf[m - 1].x, buf[m - 1].y, buf[m - 1].z, hw, PRIM_DISC,
                               buf[m - 1].rgba);
                    buf[0] = buf[m - 1];
                    m = 1;
                }
            }
        }
        if (m == CHUNK) {
            strip(p, buf, m, hw, outline);
            buf[0] = buf[m - 1];
            m = 1;
        }
        buf[m++] = pts[i];
    }
    strip(p, buf, m, hw, outline);
}

int prims_count(const prims *p) { return p->nv; }

int prims_bounds(const prims *p, float out[4])
{
    if (p->nv <= 0)
        return 0;
    float b[4] = { p->v[0].x, p->v[0].y, p->v[0].x, p->v[0].y };
    for (int i = 1; i < p->nv; i++) {
        const pvert *v = &p->v[i];
        b[0] = v->x < b[0] ? v->x : b[0];
        b[1] = v->y < b[1] ? v->y : b[1];
        b[2] = v->x > b[2] ? v->x : b[2];
        b[3] = v->y > b[3] ? v->y : b[3];
    }
    for (int k = 0; k < 4; k++)
        out[k] = b[k];
    return 1;
}

void prims_clear(prims *p)
{
    p->nv = 0;
    for (int k = 0; k < CLS_COUNT; k++)
        p->il[k].n = 0;
}

/* count indices from byte offset off with program prog. */
static void draw_range(gl_program prog, int fb_w, int fb_h, GLintptr off, int count)
{
    glUseProgram(prog.id);
    glUniform2f(gl_program_loc(prog, "u_viewport"), (float)fb_w, (float)fb_h);
    glUniform1i(gl_program_loc(prog, "u_atlas"), 0);
    glDrawElements(GL_TRIANGLES, count, GL_UNSIGNED_INT, (void *)off);
}

/* A run of at least this many discs in a row among the marks is drawn with the disc
 * program; shorter ones with the marks' (a draw call each way costs more than the
 * shading it saves). */
#define DISC_RUN_MIN 16

/* The marks class (from byte offset off) in the order queued: runs of discs with
 * programs[3], everything else with programs[1]. */
static void draw_marks(const prims *p, const gl_program programs[4], int fb_w, int fb_h, GLintptr off)
{
    int n = p->il[CLS_MARK].n / 6, s = 0, cur = -1;
    for (int i = 0;;) {
        int e = i, prog = -1;
        if (i < n) {
            while (e < n && p->disc[e] == p->disc[i])
                e++;
            prog = p->disc[i] && e - i >= DISC_RUN_MIN ? 3 : 1;
        }
        if (prog != cur) {   /* the range drawn so far ends here */
            if (cur >= 0)
                draw_range(programs[cur], fb_w, fb_h, off + (GLintptr)s * 6 * (GLintptr)sizeof(uint32_t),
                           (i - s) * 6);
            s = i;
            cur = prog;
        }
        if (i >= n)
            return;
        i = e;
    }
}

void prims_flush(prims *p, const gl_program programs[4], gl_texture atlas, int fb_w, int fb_h,
                 int depth)
{
    int total = p->il[0].n + p->il[1].n + p->il[2].n;
    if (total == 0) {
        prims_clear(p);
        return;
    }
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    if (depth) {
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_LEQUAL);
        glDepthMask(GL_FALSE);
    } else {
        glDisable(GL_DEPTH_TEST);
    }
    glBindVertexArray(p->vao);
    glBindBuffer(GL_ARRAY_BUFFER, p->vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)p->nv * (GLsizeiptr)sizeof(pvert), p->v,
                 GL_STREAM_DRAW);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, p->ibo);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, (GLsizeiptr)total * (GLsizeiptr)sizeof(uint32_t), NULL,
                 GL_STREAM_DRAW);
    GLintptr off = 0;
    for (int k = 0; k < CLS_COUNT; k++) {
        if (p->il[k].n == 0)
            continue;   /* WebGL2 reads a length of 0 as "to the end": a buffer overflow */
        glBufferSubData(GL_ELEMENT_ARRAY_BUFFER, off, (GLsizeiptr)p->il[k].n * (GLsizeiptr)sizeof(uint32_t),
                        p->il[k].idx);
        off += (GLintptr)p->il[k].n * (GLintptr)sizeof(uint32_t);
    }
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, atlas.id);
    off = 0;
    for (int k = 0; k < CLS_COUNT; k++) {
        if (p->il[k].n > 0 && gl_program_is_valid(programs[k])) {
            if (k == CLS_MARK && gl_program_is_valid(programs[3]))
                draw_marks(p, programs, fb_w, fb_h, off);
            else
                draw_range(programs[k], fb_w, fb_h, off, p->il[k].n);
        }
        off += (GLintptr)p->il[k].n * (GLintptr)sizeof(uint32_t);
    }
    glBindVertexArray(0);
    glDepthMask(GL_TRUE);
    prims_clear(p);
}
