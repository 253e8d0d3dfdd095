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

/* SVG text collected while cairo draws everything else: <text> elements, appended
 * to the document by figure_write (cairo's SVG surface would write glyph outlines). */
typedef struct fig_svg_text {
    char *buf;
    size_t len, cap;
    int failed;                      /* out of memory: the figure fails */
} fig_svg_text;

typedef struct fig_fonts {
    cairo_font_face_t *base;
    FT_Face base_ft;
    cairo_font_face_t *fallback;     /* for text the base face lacks glyphs of; NULL until needed */
    FcCharSet *fallback_cs;
    char fallback_family[128];       /* its family name (for SVG's font-family) */
    int warned;
    fig_svg_text *svg;               /* NULL: text is drawn by cairo (PDF); else collected */
} fig_fonts;

/* The embedded DejaVu Sans as a cairo font face, made once per process (cairo keeps
 * font faces in its caches beyond any one figure); its FreeType face in *ft_out.
 * NULL if the font cannot be loaded (cairo's own sans-serif is used then). */
cairo_font_face_t *fig_base_face(FT_Face *ft_out);

/* Release the fallback face of ff (the base face is the process's) and the SVG text
 * buffer's contents. */
void fig_fonts_release(fig_fonts *ff);

/* Next code point of UTF-8 text at *s (advances; invalid bytes read as U+FFFD). */
unsigned fig_next_cp(const char **s);

/* Select the font for text at size: the embedded face if it has every glyph, else a
 * fontconfig match that has them all (a CJK font for Chinese); warns once on stderr
 * when no installed font has them all. */
void fig_use_font(cairo_t *cr, fig_fonts *ff, const char *text, double size);

/* The advance width of text at size, in user units. */
double fig_text_w(cairo_t *cr, fig_fonts *ff, const char *text, double size);

/* Draw text with its baseline at y; align −1 left, 0 centre, 1 right of x. With
 * ff->svg set, nothing is drawn: a <text> element is appended to ff->svg instead, at
 * the same place under the current transformation (rotations included), in the
 * current source colour, with the font's family name (DejaVu Sans, or the CJK
 * fallback's) and text-anchor start/middle/end for the alignment, so that a viewer
 * with other metrics keeps it anchored where it belongs. */
void fig_text_at(cairo_t *cr, fig_fonts *ff, const char *text, double size, double x, double y,
                 int align);

/* Word-wrap text to width: line starts and lengths (bytes) into starts/lens, at most
 * max lines (32 at most); returns the count. Breaks by core/linebreak.h: at spaces
 * and between Chinese characters, never before closing punctuation or a number's
 * unit ("9 %"), never after opening punctuation; a word wider than the line is
 * broken between characters. */
int fig_wrap(cairo_t *cr, fig_fonts *ff, const char *text, double size, double width, int *starts,
             int *lens, int max);

#endif
