/*
 * text.h — text with SDL2_ttf through a glyph atlas.
 *
 * The font (assets/fonts/DejaVuSans.ttf, embedded as font_files[] "DejaVuSans") is
 * rasterised ONCE per size into a single R8 atlas texture holding every size in use
 * (ASCII plus the Greek letters and symbols the HUD needs); drawing text then only
 * appends glyph quads to a prims batch. Sizes follow the window height: call
 * text_set_scale when the framebuffer height changes (the atlas is rebuilt only when
 * the pixel sizes actually change).
 *
 * Index
 *     text_size                     TEXT_SMALL, TEXT_NORMAL, TEXT_LARGE
 *     text_align                    TEXT_LEFT, TEXT_CENTER, TEXT_RIGHT
 *     text_font_create() / text_font_destroy(f)
 *     text_set_scale(f, fb_height)          → 1 if the atlas was rebuilt
 *     text_atlas(f)                          the atlas texture (for prims_flush)
 *     text_px(f, size)                       pixel height of a size
 *     text_line_height(f, size)
 *     text_width(f, size, s)
 *     text_draw(f, p, size, x, y, s, rgba, align)   y = top of the line; returns width
 */
#ifndef LOSSCAPE_RENDER_TEXT_H
#define LOSSCAPE_RENDER_TEXT_H

#include <stdint.h>

#include "render/gl_util.h"
#include "render/prims.h"

typedef enum text_size { TEXT_SMALL = 0, TEXT_NORMAL, TEXT_LARGE, TEXT_SIZE_COUNT } text_size;
typedef enum text_align { TEXT_LEFT = 0, TEXT_CENTER, TEXT_RIGHT } text_align;

typedef struct text_font text_font;

/* Open the embedded font (TTF_Init is done here if needed). Returns NULL with a
 * logged reason if SDL_ttf or the font fails. Free with text_font_destroy. */
text_font *text_font_create(void);
void text_font_destroy(text_font *f);   /* NULL is a no-op */

/* The least size of small type (legend details, tick labels, plot titles): 10 px
 * was hard to read at 640x360, the README's GIF size (issue 9); 11 px is the
 * smallest that reads there and still lays out without overlaps (cli_layout). */
#define TEXT_SMALL_MIN_PX 11
/* Choose pixel sizes for a framebuffer `fb_height` pixels tall (normal text is about
 * 1/42 of the height, at least 12 px; small 4/5 of it, at least TEXT_SMALL_MIN_PX)
 * and rebuild the atlas if they changed. */
int text_set_scale(text_font *f, int fb_height);
gl_texture text_atlas(const text_font *f);
int text_px(const text_font *f, text_size size);
float text_line_height(const text_font *f, text_size size);
float text_width(const text_font *f, text_size size, const char *utf8);
/* A sink told the box of every string text_draw draws (x, y: top left; pixels), the
 * batch it went to, its type's pixel size and the string itself: the renderer reports
 * them (renderer_boxes). NULL: none. */
typedef void (*text_box_fn)(void *ctx, const prims *p, float x, float y, float w, float h, int px,
                            const char *utf8);
void text_set_box_sink(text_font *f, text_box_fn fn, void *ctx);
float text_draw(const text_font *f, prims *p, text_size size, float x, float y, const char *utf8,
                uint32_t rgba, text_align align);

#endif
