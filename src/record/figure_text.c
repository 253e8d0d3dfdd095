/*
 * figure_text.c — text in a vector figure: the embedded DejaVu Sans, a fontconfig
 * fallback for characters it lacks (CJK), measuring, placing, word-wrapping.
 * Contracts in figure_text.h.
 */
#include "record/figure_text.h"

#include <cairo-ft.h>
#include <stdio.h>
#include <string.h>

#include "core/embedded.h"

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
void fig_text_at(cairo_t *cr, fig_fonts *ff, const char *text, double size, double x, double y,
                 int align)
{
    double w = fig_text_w(cr, ff, text, size);
    cairo_move_to(cr, x - (align == 0 ? w / 2 : align > 0 ? w : 0), y);
    cairo_show_text(cr, text);
}

/* Word-wrap text to width: line starts and lengths into starts/lens (at most max
 * lines). Breaks at spaces and after any non-ASCII character (Chinese has no
 * spaces); a word wider than the line is broken between characters. */
int fig_wrap(cairo_t *cr, fig_fonts *ff, const char *text, double size, double width, int *starts,
             int *lens, int max)
{
    int n = 0;
    const char *s = text;
    char buf[1024];
    while (*s && n < max) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        const char *p = s, *fit = NULL, *brk = NULL;
        while (*p) {
            const char *q = p;
            fig_next_cp(&q);
            size_t len = (size_t)(q - s);
            if (len >= sizeof buf)
                break;
            memcpy(buf, s, len);
            buf[len] = '\0';
            if (fit && fig_text_w(cr, ff, buf, size) > width)
                break;
            fit = q;
            if (*q == ' ' || *q == '\0' || (unsigned char)*p >= 0x80)
                brk = q;
            p = q;
        }
        const char *end = *fit == '\0' ? fit : brk ? brk : fit;
        starts[n] = (int)(s - text);
        lens[n] = (int)(end - s);
        n++;
        s = end;
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
}
