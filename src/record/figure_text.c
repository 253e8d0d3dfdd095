/*
 * figure_text.c — text in a vector figure: the embedded DejaVu Sans, a fontconfig
 * fallback for characters it lacks (CJK), measuring, placing, word-wrapping.
 * Contracts in figure_text.h.
 */
#include "record/figure_text.h"

#include <cairo-ft.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "core/linebreak.h"

extern const embedded_file font_files[];

/* The embedded DejaVu Sans as a cairo font face, made once per process (the one
 * process-wide object of this module: cairo keeps font faces in its caches beyond
 * any one figure, so their FreeType library and face must outlive them all). */
cairo_font_face_t *fig_base_face(FT_Face *ft_out)
{
    static FT_Library lib;
    static FT_Face face;
    static cairo_font_face_t *cf;
    if (!cf && font_files[0].name) {
        if (!lib && FT_Init_FreeType(&lib) != 0)
            return NULL;
        if (FT_New_Memory_Face(lib, (const FT_Byte *)font_files[0].text, (FT_Long)font_files[0].size, 0,
                               &face) != 0)
            return NULL;
        cf = cairo_ft_font_face_create_for_ft_face(face, 0);
    }
    *ft_out = face;
    return cf;
}

/* Next code point of UTF-8 text at *s (advances; invalid bytes read as U+FFFD). */
unsigned fig_next_cp(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    unsigned c = p[0];
    int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0) {
        (*s)++;
        return 0xFFFD;
    }
    c = n == 0 ? c : n == 1 ? c & 0x1F : n == 2 ? c & 0x0F : c & 0x07;
    for (int k = 1; k <= n; k++) {
        if ((p[k] & 0xC0) != 0x80) {
            *s += k;
            return 0xFFFD;
        }
        c = (c << 6) | (p[k] & 0x3F);
    }
    *s += n + 1;
    return c;
}


/* Select the font for text: the embedded face if it has every glyph, else a
 * fontconfig match that has them all (a CJK font for Chinese). */
void fig_use_font(cairo_t *cr, fig_fonts *ff, const char *text, double size)
{
    cairo_font_face_t *face = ff->base;
    FcCharSet *need = NULL;
    for (const char *s = text; *s;) {
        unsigned c = fig_next_cp(&s);
        if (ff->base_ft && FT_Get_Char_Index(ff->base_ft, c) == 0) {
            if (!need)
                need = FcCharSetCreate();
            if (need)
                FcCharSetAddChar(need, c);
        }
    }
    if (need) {
        if (ff->fallback && FcCharSetIsSubset(need, ff->fallback_cs)) {
            face = ff->fallback;
        } else {
            FcPattern *pat = FcPatternCreate();
            FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)"sans-serif");
            FcPatternAddCharSet(pat, FC_CHARSET, need);
            FcConfigSubstitute(NULL, pat, FcMatchPattern);
            FcDefaultSubstitute(pat);
            FcResult res;
            FcPattern *m = FcFontMatch(NULL, pat, &res);
            FcCharSet *have = NULL;
            if (m && FcPatternGetCharSet(m, FC_CHARSET, 0, &have) == FcResultMatch &&
                FcCharSetIsSubset(need, have)) {
                if (ff->fallback) {
                    cairo_font_face_destroy(ff->fallback);
                    FcCharSetDestroy(ff->fallback_cs);
                }
                ff->fallback = cairo_ft_font_face_create_for_pattern(m);
                ff->fallback_cs = FcCharSetCopy(have);
                FcChar8 *fam = NULL;
                snprintf(ff->fallback_family, sizeof ff->fallback_family, "%s",
                         FcPatternGetString(m, FC_FAMILY, 0, &fam) == FcResultMatch && fam ? (const char *)fam
                                                                                          : "sans-serif");
                face = ff->fallback;
            } else if (!ff->warned) {
                fprintf(stderr, "losscape: --figure: no installed font has every character of '%s' "
                                "(for Chinese: apt-get install fonts-noto-cjk); drawn with gaps\n", text);
                ff->warned = 1;
            }
            if (m)
                FcPatternDestroy(m);
            FcPatternDestroy(pat);
        }
        FcCharSetDestroy(need);
    }
    if (face)
        cairo_set_font_face(cr, face);
    else
        cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double fig_text_w(cairo_t *cr, fig_fonts *ff, const char *text, double size)
{
    fig_use_font(cr, ff, text, size);
    cairo_text_extents_t e;
    cairo_text_extents(cr, text, &e);
    return e.x_advance;
}

/* Draw text with its baseline at y; align −1 left, 0 centre, 1 right of x. */
/* Append printf-formatted text to the SVG buffer. */
static void svg_printf(fig_svg_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void svg_printf(fig_svg_text *t, const char *fmt, ...)
{
    if (t->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->buf ? t->buf + t->len : NULL, t->buf ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = 1;
            return;
        }
        if (t->buf && t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = (t->cap ? t->cap * 2 : 4096) + (size_t)n;
        char *b = realloc(t->buf, cap);
        if (!b) {
            t->failed = 1;
            return;
        }
        t->buf = b;
        t->cap = cap;
    }
}

/* text as XML character data: valid UTF-8 only (bad bytes as U+FFFD), markup
 * characters escaped, control characters (not allowed in XML 1.0) left out. */
static void svg_escape(fig_svg_text *t, const char *text)
{
    for (const char *s = text; *s;) {
        unsigned c = fig_next_cp(&s);
        if (c == '&')
            svg_printf(t, "&amp;");
        else if (c == '<')
            svg_printf(t, "&lt;");
        else if (c == '>')
            svg_printf(t, "&gt;");
        else if (c < 0x20 || (c >= 0xD800 && c < 0xE000) || c > 0x10FFFF || c == 0xFFFE || c == 0xFFFF)
            continue;
        else if (c < 0x80)
            svg_printf(t, "%c", (char)c);
        else if (c < 0x800)
            svg_printf(t, "%c%c", (char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F)));
        else if (c < 0x10000)
            svg_printf(t, "%c%c%c", (char)(0xE0 | (c >> 12)), (char)(0x80 | ((c >> 6) & 0x3F)),
                       (char)(0x80 | (c & 0x3F)));
        else
            svg_printf(t, "%c%c%c%c", (char)(0xF0 | (c >> 18)), (char)(0x80 | ((c >> 12) & 0x3F)),
                       (char)(0x80 | ((c >> 6) & 0x3F)), (char)(0x80 | (c & 0x3F)));
    }
}

static void svg_text(cairo_t *cr, fig_fonts *ff, const char *text, double size, double x, double y, int align)
{
    fig_svg_text *t = ff->svg;
    fig_use_font(cr, ff, text, size);
    const char *family = ff->fallback && cairo_get_font_face(cr) == ff->fallback ? ff->fallback_family
                                                                                 : "DejaVu Sans";
    double rgba[4] = { 0, 0, 0, 1 };
    cairo_pattern_get_rgba(cairo_get_source(cr), &rgba[0], &rgba[1], &rgba[2], &rgba[3]);
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    svg_printf(t, "<text x=\"%.3f\" y=\"%.3f\" font-family=\"'%s', sans-serif\" font-size=\"%.3g\"", x, y,
               family, size);
    if (align >= 0)
        svg_printf(t, " text-anchor=\"%s\"", align == 0 ? "middle" : "end");
    svg_printf(t, " fill=\"#%02x%02x%02x\"", (int)lround(rgba[0] * 255), (int)lround(rgba[1] * 255),
               (int)lround(rgba[2] * 255));
    if (rgba[3] < 1)
        svg_printf(t, " fill-opacity=\"%.3g\"", rgba[3]);
    if (m.xx != 1 || m.yx != 0 || m.xy != 0 || m.yy != 1 || m.x0 != 0 || m.y0 != 0)
        svg_printf(t, " transform=\"matrix(%.6g %.6g %.6g %.6g %.3f %.3f)\"", m.xx, m.yx, m.xy, m.yy, m.x0,
                   m.y0);
    svg_printf(t, " xml:space=\"preserve\">");
    svg_escape(t, text);
    svg_printf(t, "</text>\n");
}

void fig_text_at(cairo_t *cr, fig_fonts *ff, const char *text, double size, double x, double y,
                 int align)
{
    if (ff->svg) {
        svg_text(cr, ff, text, size, x, y, align);
        return;
    }
    double w = fig_text_w(cr, ff, text, size);
    cairo_move_to(cr, x - (align == 0 ? w / 2 : align > 0 ? w : 0), y);
    cairo_show_text(cr, text);
}

/* linebreak_measure over the figure's fonts at one size. */
typedef struct fig_measure {
    cairo_t *cr;
    fig_fonts *ff;
    double size;
} fig_measure;

static double fig_measure_text(void *ctx, const char *text)
{
    const fig_measure *m = ctx;
    return fig_text_w(m->cr, m->ff, text, m->size);
}


int fig_wrap(cairo_t *cr, fig_fonts *ff, const char *text, double size, double width, int *starts,
             int *lens, int max)
{
    linebreak_line lines[32];
    fig_measure m = { cr, ff, size };
    if (max > 32)
        max = 32;
    int n = linebreak_wrap(text, width, fig_measure_text, &m, lines, max);
    for (int i = 0; i < n; i++) {
        starts[i] = (int)lines[i].start;
        lens[i] = (int)lines[i].len;
    }
    return n;
}

void fig_fonts_release(fig_fonts *ff)
{
    if (ff->fallback) {
        cairo_font_face_destroy(ff->fallback);
        FcCharSetDestroy(ff->fallback_cs);
    }
    ff->fallback = NULL;
    ff->fallback_cs = NULL;
    if (ff->svg) {
        free(ff->svg->buf);
        memset(ff->svg, 0, sizeof *ff->svg);
    }
}
