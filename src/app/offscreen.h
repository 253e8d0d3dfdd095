/*
 * offscreen.h — the window mode's frames without a window, for the app's --record
 * (record.c): a session drawn into a framebuffer object of --size, stepped and
 * drawn one frame at a time, its pixels read back by the caller from the bound
 * framebuffer. It knows nothing of recordings; record.c owns the recorder, the
 * read-back and the progress line. (--screenshot and --bench are
 * app_offscreen_run, app.h.)
 *
 * Index
 *     app_offscreen_open(o, p) / app_offscreen_close(s)
 *     app_offscreen_size(s, w, h)
 *     app_offscreen_step(s), app_offscreen_draw(s)
 */
#ifndef LOSSCAPE_APP_OFFSCREEN_H
#define LOSSCAPE_APP_OFFSCREEN_H

#include "app/app.h"

typedef struct win_state app_offscreen;

/* A hidden session of o->width × o->height for --record: the legend is always on,
 * the probe placed if the scene shows it; SDL installs no signal handlers (the
 * recorder's stay) and needs no display. Returns NULL after one line on stderr. */
app_offscreen *app_offscreen_open(const app_options *o, app_problem *p);
void app_offscreen_close(app_offscreen *s);   /* NULL: no-op */

/* The framebuffer size drawn at. */
void app_offscreen_size(const app_offscreen *s, int *w, int *h);

/* steps_per_frame optimizer steps of every run shown. */
void app_offscreen_step(app_offscreen *s);

/* Draw the frame (caption burnt in) into the offscreen framebuffer, which stays
 * bound for reading back. */
void app_offscreen_draw(app_offscreen *s);

#endif
