/*
 * web.h — the browser build's hooks into its page (web/losscape-page.js). Only the
 * Emscripten build compiles src/web (cmake/web.cmake); app code calls these under
 * #ifdef __EMSCRIPTEN__, where the desktop uses files, libpng and the recorder.
 *
 * Index (C → page)
 *     web_frame_drawn(step, paused)          after each presented frame: run 0's step, paused (first-frame
 *                                            time, frame count, and when a ?steps=N link has arrived)
 *     web_download_file(path, name)          offer the file at path (memory file system) as a download
 *     web_download_rgba(name, w, h, rgba)    encode w×h top-down RGBA pixels as PNG and offer it
 *     web_record_toggle(name)                start (1) / stop (0) recording the canvas to name (WebM);
 *                                            −1: the browser cannot (the page says why)
 *     web_copy_link(scene_text)              copy a link that opens this scene text
 *     web_recording()                        1 while the page records the canvas
 *     web_show_message(text)                 a line in the page's message area, outside the canvas
 * Exported (page → C), both as SDL events, so the window handles them like the desktop's:
 *     web_open_file(path)                    an SDL_DROPFILE event for a file the page wrote
 *     web_key(sym)                           an SDL_KEYDOWN + SDL_KEYUP of keycode sym (toolbar buttons)
 */
#ifndef LOSSCAPE_WEB_WEB_H
#define LOSSCAPE_WEB_WEB_H

#include <stddef.h>

void web_frame_drawn(long step, int paused);
void web_download_file(const char *path, const char *name);
void web_download_rgba(const char *name, int w, int h, const unsigned char *rgba);
int web_record_toggle(const char *name);
void web_copy_link(const char *scene_text);
int web_recording(void);
void web_show_message(const char *text);

int web_open_file(const char *path);
int web_key(int sym);

#endif
