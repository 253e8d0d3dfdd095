/*
 * text.c — SDL2_ttf glyph atlas.
 *
 * Each glyph is rendered with TTF_RenderGlyph32_Blended, which gives a surface as
 * tall as the font's line (ascent at the top) and as wide as the glyph's advance
 * region; the coverage (alpha) is copied into the atlas and the glyph is drawn as a
 * quad over its ink only (the smallest box of the surface holding every pixel of
 * non-zero coverage, at its place in the line: the rest would blend nothing, and the
 * software rasteriser shades every pixel of a quad: at 3840x2160 the HUD's glyph
 * quads were 566k fragments a frame, about a third of them ink). Shelf packing, one
 * row at a time.
 *
 * Glyphs outside that set (Chinese captions) are added on first use: from DejaVu if
 * it has them, else from a CJK font that fontconfig finds (":lang=zh-cn", e.g. Debian's
 * fonts-wqy-microhei or fonts-noto-cjk), per glyph. Each goes into the atlas's free
 * space (glTexSubImage2D, so a GL context must be current when text is measured or
 * drawn, as it always is in the renderer). Without a CJK font, or with the atlas
 * full, such a glyph is drawn as '?' (and that is logged once). The browser build
 * has no fontconfig: its fallback is a subset of a CJK font embedded at build time
 * (cmake/web.cmake, cjk_font_files).
 */
#include "render/text.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#ifndef __EMSCRIPTEN__   /* the browser build has no fontconfig: it embeds a CJK subset */
#include <fontconfig/fontconfig.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"

extern const embedded_file font_files[];

#define ATLAS_W 2048
#define ATLAS_H 2048

/* Code points in the atlas besides ASCII 32..126. */
static const uint32_t extra_cps[] = {
    0x03B1, 0x03B2, 0x03B3, 0x03B4, 0x03B5, 0x03B7, 0x03B8, 0x03BB, 0x03BC, 0x03C3, /* αβγδεηθλμσ */
    0x0394, 0x2207, 0x2212, 0x00D7, 0x00B7, 0x00B2, 0x00B9, 0x00B3, 0x2070, 0x2074, /* Δ∇−×·²¹³⁰⁴ */
    0x2075, 0x2076, 0x2077, 0x2078, 0x2079, 0x207B, 0x2264, 0x2265, 0x2248, 0x2192, /* ⁵⁶⁷⁸⁹⁻≤≥≈→ */
    0x2190, 0x2191, 0x2193, 0x221A, 0x25B2, 0x25BC, 0x25C6, 0x25CF, 0x25A0, 0x2715, /* ←↑↓√▲▼◆●■✕ */
    0x2026, 0x00B0, 0x2014, 0x2013, 0x00B1, 0x2016, 0x2225, 0x03C4, 0x03C1, 0x2080, /* …°—–±‖∥τρ₀ */
    0x2081, 0x2082, 0x1D40, 0x00BD, 0x00F7, 0x275A, 0x2082,
};

#define N_EXTRA ((int)(sizeof extra_cps / sizeof extra_cps[0]))
#define N_GLYPHS (95 + N_EXTRA)

typedef struct glyph {
    uint32_t cp;
    float s0, t0, s1, t1;   /* atlas texture coordinates */
    float ox, oy;           /* the quad's offset from the pen (x) and the line's top */
    float w, h;             /* quad size in pixels (0: no ink) */
    float advance;          /* pen advance in pixels */
} glyph;

#define DYN_CAP 4096                      /* glyphs added on first use, all sizes */

/* The quad of a glyph whose coverage is the w × h atlas block at (x, y) of pix:
 * its ink box (gl->w = 0 when it has none), offsets and texture coordinates. */
static void set_quad(glyph *gl, const unsigned char *pix, int x, int y, int w, int h)
{
    int x0 = w, x1 = -1, y0 = h, y1 = -1;
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++)
            if (pix[(y + j) * ATLAS_W + x + i]) {
                x0 = i < x0 ? i : x0, x1 = i > x1 ? i : x1;
                y0 = j < y0 ? j : y0, y1 = j > y1 ? j : y1;
            }
    if (x1 < 0) {
        gl->w = gl->h = 0;
        return;
    }
    gl->ox = (float)x0, gl->oy = (float)y0;
    gl->w = (float)(x1 + 1 - x0), gl->h = (float)(y1 + 1 - y0);
    gl->s0 = (float)(x + x0) / ATLAS_W;
    gl->t0 = (float)(y + y0) / ATLAS_H;
    gl->s1 = (float)(x + x1 + 1) / ATLAS_W;
    gl->t1 = (float)(y + y1 + 1) / ATLAS_H;
}

typedef struct dyn_glyph {
    int size;                             /* text_size; -1 = free slot */
    glyph g;                              /* g.cp 0 with advance 0: cannot be drawn */
} dyn_glyph;

struct text_font {
    SDL_RWops *rw;                        /* unused after open; kept NULL */
    unsigned char *pix;                   /* CPU copy of the atlas (ATLAS_W × ATLAS_H) */
    int pen_x, pen_y, row_h;              /* shelf packing cursor */
    TTF_Font *main[TEXT_SIZE_COUNT];      /* the embedded font, kept open for late glyphs */
    TTF_Font *cjk[TEXT_SIZE_COUNT];       /* the fallback (fontconfig), opened on demand */
    int cjk_tried;                        /* 1: the fallback was looked for */
    char cjk_path[1024];
    int cjk_index;
    int full_logged, missing_logged;
    int n_dyn;
    dyn_glyph dyn[DYN_CAP];
    int px[TEXT_SIZE_COUNT];              /* pixel size of each text_size */
    float line[TEXT_SIZE_COUNT];          /* line height in pixels */
    glyph glyphs[TEXT_SIZE_COUNT][N_GLYPHS];
    text_box_fn box_fn;                   /* told every drawn string's box */
    void *box_ctx;
    gl_texture atlas;
};

static int ttf_ready(void)
{
    if (TTF_WasInit())
        return 1;
    if (TTF_Init() != 0) {
        render_log("TEXT: TTF_Init failed: %s", TTF_GetError());
        return 0;
    }
    return 1;
}

text_font *text_font_create(void)
{
    if (!ttf_ready())
        return NULL;
    if (!font_files[0].name) {
        render_log("TEXT: no embedded font");
        return NULL;
    }
    text_font *f = calloc(1, sizeof *f);
    return f;
}

static void close_fonts(text_font *f)
{
    for (int s = 0; s < TEXT_SIZE_COUNT; s++) {
        if (f->main[s])
            TTF_CloseFont(f->main[s]);
        if (f->cjk[s])
            TTF_CloseFont(f->cjk[s]);
        f->main[s] = f->cjk[s] = NULL;
    }
}

void text_font_destroy(text_font *f)
{
    if (!f)
        return;
    close_fonts(f);
    gl_texture_destroy(&f->atlas);
    free(f->pix);
    free(f);
}

/* The fallback font's file: fontconfig's best match for Chinese that really has
 * Chinese (its charset holds 鞍, U+978D). */
static int find_cjk(text_font *f)
{
    if (f->cjk_tried)
        return f->cjk_path[0] != '\0';
    f->cjk_tried = 1;
#ifdef __EMSCRIPTEN__
    /* the page embeds a subset of a CJK font (cmake/web.cmake: the characters the
     * scenes and the program use); there is no fontconfig in a browser */
    extern const embedded_file cjk_font_files[];
    if (cjk_font_files[0].size > 0)
        snprintf(f->cjk_path, sizeof f->cjk_path, "the embedded CJK subset");
    return f->cjk_path[0] != '\0';
#else
    if (!FcInit())
        return 0;
    FcPattern *pat = FcNameParse((const FcChar8 *)":lang=zh-cn");
    if (!pat)
        return 0;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *m = FcFontMatch(NULL, pat, &res);
    FcChar8 *file = NULL;
    FcCharSet *cs = NULL;
    int index = 0;
    if (m && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
        FcPatternGetCharSet(m, FC_CHARSET, 0, &cs) == FcResultMatch && FcCharSetHasChar(cs, 0x978D)) {
        FcPatternGetInteger(m, FC_INDEX, 0, &index);
        snprintf(f->cjk_path, sizeof f->cjk_path, "%s", (const char *)file);
        f->cjk_index = index;
    }
    if (m)
        FcPatternDestroy(m);
    FcPatternDestroy(pat);
    if (!f->cjk_path[0])
        render_log("TEXT: no font with Chinese glyphs found through fontconfig "
                   "(apt-get install fonts-wqy-microhei); Chinese is drawn as '?'");
    return f->cjk_path[0] != '\0';
#endif
}

static TTF_Font *cjk_font(text_font *f, int size)
{
    if (!f->cjk[size] && find_cjk(f)) {
#ifdef __EMSCRIPTEN__
        extern const embedded_file cjk_font_files[];
        SDL_RWops *rw = SDL_RWFromConstMem(cjk_font_files[0].text, (int)cjk_font_files[0].size);
        f->cjk[size] = rw ? TTF_OpenFontRW(rw, 1, f->px[size]) : NULL;
#else
        f->cjk[size] = TTF_OpenFontIndex(f->cjk_path, f->px[size], f->cjk_index);
#endif
        if (f->cjk[size])
            TTF_SetFontHinting(f->cjk[size], TTF_HINTING_LIGHT);
        else
            render_log("TEXT: cannot open %s: %s", f->cjk_path, TTF_GetError());
    }
    return f->cjk[size];
}

static uint32_t cp_at(int i) { return i < 95 ? (uint32_t)(32 + i) : extra_cps[i - 95]; }

/* Rasterise every size into a fresh atlas. Returns 1 on success. */
static int build_atlas(text_font *f)
{
    unsigned char *pix = calloc(ATLAS_W, ATLAS_H);
    if (!pix)
        return 0;
    close_fonts(f);
    f->n_dyn = 0;
    int x = 1, y = 1, row_h = 0;
    for (int s = 0; s < TEXT_SIZE_COUNT; s++) {
        SDL_RWops *rw = SDL_RWFromConstMem(font_files[0].text, (int)font_files[0].size);
        TTF_Font *font = rw ? TTF_OpenFontRW(rw, 1, f->px[s]) : NULL;
        if (!font) {
            render_log("TEXT: cannot open the font: %s", TTF_GetError());
            free(pix);
            return 0;
        }
        TTF_SetFontHinting(font, TTF_HINTING_LIGHT);
        f->line[s] = (float)TTF_FontLineSkip(font);
        for (int g = 0; g < N_GLYPHS; g++) {
            glyph *gl = &f->glyphs[s][g];
            memset(gl, 0, sizeof *gl);
            gl->cp = cp_at(g);
            int minx, maxx, miny, maxy, adv;
            if (!TTF_GlyphIsProvided32(font, gl->cp) ||
                TTF_GlyphMetrics32(font, gl->cp, &minx, &maxx, &miny, &maxy, &adv) != 0) {
                gl->cp = 0;
                continue;
            }
            gl->advance = (float)adv;
            if (gl->cp == ' ')
                continue;
            SDL_Surface *srf = TTF_RenderGlyph32_Blended(font, gl->cp, (SDL_Color){ 255, 255, 255, 255 });
            if (!srf)
                continue;
            SDL_Surface *conv = SDL_ConvertSurfaceFormat(srf, SDL_PIXELFORMAT_ARGB8888, 0);
            SDL_FreeSurface(srf);
            if (!conv)
                continue;
            if (x + conv->w + 1 > ATLAS_W) {
                x = 1;
                y += row_h + 1;
                row_h = 0;
            }
            if (y + conv->h + 1 > ATLAS_H) {
                SDL_FreeSurface(conv);
                render_log("TEXT: glyph atlas full at %d px", f->px[s]);
                break;
            }
            SDL_LockSurface(conv);
            for (int j = 0; j < conv->h; j++) {
                const uint32_t *src = (const uint32_t *)((const char *)conv->pixels + j * conv->pitch);
                for (int i = 0; i < conv->w; i++)
                    pix[(y + j) * ATLAS_W + x + i] = (unsigned char)(src[i] >> 24);
            }
            SDL_UnlockSurface(conv);
            set_quad(gl, pix, x, y, conv->w, conv->h);
            x += conv->w + 1;
            if (conv->h > row_h)
                row_h = conv->h;
            SDL_FreeSurface(conv);
        }
        f->main[s] = font;
    }
    f->pen_x = x;
    f->pen_y = y;
    f->row_h = row_h;
    if (!gl_texture_is_valid(f->atlas))
        glGenTextures(1, &f->atlas.id);
    glBindTexture(GL_TEXTURE_2D, f->atlas.id);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, ATLAS_W, ATLAS_H, 0, GL_RED, GL_UNSIGNED_BYTE, pix);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    free(f->pix);
    f->pix = pix;
    return 1;
}

/* Rasterise cp at size into the atlas's free space; 1 if it was placed. */
static int add_glyph(text_font *f, int size, uint32_t cp, glyph *gl)
{
    memset(gl, 0, sizeof *gl);
    TTF_Font *font = f->main[size];
    if (!font || !TTF_GlyphIsProvided32(font, cp))
        font = cjk_font(f, size);
    if (!font || !TTF_GlyphIsProvided32(font, cp))
        return 0;
    int minx, maxx, miny, maxy, adv;
    if (TTF_GlyphMetrics32(font, cp, &minx, &maxx, &miny, &maxy, &adv) != 0)
        return 0;
    SDL_Surface *srf = TTF_RenderGlyph32_Blended(font, cp, (SDL_Color){ 255, 255, 255, 255 });
    SDL_Surface *conv = srf ? SDL_ConvertSurfaceFormat(srf, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
    SDL_FreeSurface(srf);
    if (!conv)
        return 0;
    /* a taller fallback glyph is clipped to this size's line */
    int h = conv->h, w = conv->w, line = (int)f->line[size] + 2;
    if (h > line)
        h = line;
    if (f->pen_x + w + 1 > ATLAS_W) {
        f->pen_x = 1;
        f->pen_y += f->row_h + 1;
        f->row_h = 0;
    }
    if (f->pen_y + h + 1 > ATLAS_H || !f->pix) {
        SDL_FreeSurface(conv);
        if (!f->full_logged)
            render_log("TEXT: glyph atlas full: further new glyphs are drawn as '?'");
        f->full_logged = 1;
        return 0;
    }
    int x = f->pen_x, y = f->pen_y;
    SDL_LockSurface(conv);
    for (int j = 0; j < h; j++) {
        const uint32_t *src = (const uint32_t *)((const char *)conv->pixels + j * conv->pitch);
        for (int i = 0; i < w; i++)
            f->pix[(y + j) * ATLAS_W + x + i] = (unsigned char)(src[i] >> 24);
    }
    SDL_UnlockSurface(conv);
    SDL_FreeSurface(conv);
    glBindTexture(GL_TEXTURE_2D, f->atlas.id);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, ATLAS_W);
    glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, w, h, GL_RED, GL_UNSIGNED_BYTE, f->pix + y * ATLAS_W + x);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    gl->cp = cp;
    gl->advance = (float)adv;
    set_quad(gl, f->pix, x, y, w, h);
    f->pen_x += w + 1;
    if (h > f->row_h)
        f->row_h = h;
    return 1;
}

int text_set_scale(text_font *f, int fb_height)
{
    int normal = fb_height / 42;
    if (normal < 12)
        normal = 12;
    int px[TEXT_SIZE_COUNT] = { normal * 4 / 5, normal, normal * 3 / 2 };
    if (px[0] < TEXT_SMALL_MIN_PX)
        px[0] = TEXT_SMALL_MIN_PX;
    if (gl_texture_is_valid(f->atlas) && memcmp(px, f->px, sizeof px) == 0)
        return 0;
    memcpy(f->px, px, sizeof px);
    return build_atlas(f);
}

gl_texture text_atlas(const text_font *f) { return f->atlas; }
int text_px(const text_font *f, text_size size) { return f->px[size]; }
float text_line_height(const text_font *f, text_size size) { return f->line[size]; }

/* Next code point of a UTF-8 string (advances *s); malformed bytes give '?'. */
static uint32_t utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t c = p[0];
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0) {
        *s += 1;
        return '?';
    }
    if (n > 1) {
        c &= 0x3F >> (n - 1);
        for (int i = 1; i < n; i++) {
            if ((p[i] & 0xC0) != 0x80) {
                *s += i;
                return '?';
            }
            c = (c << 6) | (p[i] & 0x3F);
        }
    }
    *s += n;
    return c;
}

/* The glyph of cp: the fixed set, then the glyphs added on first use, then a new one
 * (the font is logically const: adding a glyph only fills the atlas's cache). */
static const glyph *find(const text_font *cf, text_size size, uint32_t cp)
{
    text_font *f = (text_font *)cf;
    const glyph *g = f->glyphs[size];
    if (cp >= 32 && cp < 127)
        return g[cp - 32].cp ? &g[cp - 32] : NULL;
    for (int i = 95; i < N_GLYPHS; i++)
        if (g[i].cp == cp)
            return &g[i];
    for (int i = 0; i < f->n_dyn; i++)
        if (f->dyn[i].size == (int)size && f->dyn[i].g.cp == cp)
            return f->dyn[i].g.advance > 0 ? &f->dyn[i].g : &g['?' - 32];
    if (cp < 0x80 || f->n_dyn >= DYN_CAP || !gl_texture_is_valid(f->atlas))
        return &g['?' - 32];
    dyn_glyph *d = &f->dyn[f->n_dyn++];
    d->size = (int)size;
    if (!add_glyph(f, (int)size, cp, &d->g)) {
        d->g.cp = cp;       /* remembered as missing */
        d->g.advance = 0;
        if (!f->missing_logged && f->cjk_tried && !f->cjk_path[0])
            f->missing_logged = 1;
        return &g['?' - 32];
    }
    return &d->g;
}

float text_width(const text_font *f, text_size size, const char *s)
{
    float w = 0;
    while (*s) {
        const glyph *g = find(f, size, utf8_next(&s));
        if (g)
            w += g->advance;
    }
    return w;
}

void text_set_box_sink(text_font *f, text_box_fn fn, void *ctx)
{
    f->box_fn = fn;
    f->box_ctx = ctx;
}

float text_draw(const text_font *f, prims *p, text_size size, float x, float y, const char *s,
                uint32_t rgba, text_align align)
{
    float w = text_width(f, size, s);
    if (align == TEXT_CENTER)
        x -= w * 0.5f;
    else if (align == TEXT_RIGHT)
        x -= w;
    x = (float)(int)(x + 0.5f);
    y = (float)(int)(y + 0.5f);
    if (f->box_fn && *s)
        f->box_fn(f->box_ctx, p, x, y, w, f->line[size], f->px[size], s);
    while (*s) {
        const glyph *g = find(f, size, utf8_next(&s));
        if (!g)
            continue;
        if (g->w > 0)
            prims_glyph(p, x + g->ox, y + g->oy, x + g->ox + g->w, y + g->oy + g->h, g->s0, g->t0, g->s1,
                        g->t1, rgba);
        x += g->advance;
    }
    return w;
}
