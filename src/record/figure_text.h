/*
 * figure_text.h — text for the vector figures (record/figure.c): fonts, measuring,
 * placing and wrapping UTF-8 text on a cairo context. Internal to src/record.
 */
#ifndef LOSSCAPE_RECORD_FIGURE_TEXT_H
#define LOSSCAPE_RECORD_FIGURE_TEXT_H

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H

typedef struct fig_fonts {
    cairo_font_face_t *base;
    FT_Face base_ft;
    cairo_font_face_t *fallback;     /* for text the base face lacks glyphs of; NULL until needed */
    FcCharSet *fallback_cs;
    int warned;
} fig_fonts;

/* The embedded DejaVu Sans as a cairo font face, made once per process (cairo keeps
 * font faces in its caches beyond any one figure); its FreeType face in *ft_out.
 * NULL if the font cannot be loaded (cairo's own sans-serif is used then). */
cairo_font_face_t *fig_base_face(FT_Face *ft_out);

/* Release the fallback face of ff (the base face is the process's). */
void fig_fonts_release(fig_fonts *ff);

/* Next code point of UTF-8 text at *s (advances; invalid bytes read as U+FFFD). */
unsigned fig_next_cp(const char **s);

/* Select the font for text at size: the embedded face if it has every glyph, else a
 * fontconfig match that has them all (a CJK font for Chinese); warns once on stderr
 * when no installed font has them all. */
void fig_use_font(cairo_t *cr, fig_fonts *ff, const char *text, double size);

/* The advance width of text at size, in user units. */
double fig_text_w(cairo_t *cr, fig_fonts *ff, const char *text, double size);

/* Draw text with its baseline at y; align −1 left, 0 centre, 1 right of x. */
void fig_text_at(cairo_t *cr, fig_fonts *ff, const char *text, double size, double x, double y,
                 int align);

/* Word-wrap text to width: line starts and lengths (bytes) into starts/lens, at most
 * max lines; returns the count. Breaks at spaces and after any non-ASCII character
 * (Chinese has no spaces); a word wider than the line is broken between characters. */
int fig_wrap(cairo_t *cr, fig_fonts *ff, const char *text, double size, double width, int *starts,
             int *lens, int max);

#endif
