/*
 * web.c — see web.h. The JavaScript halves live in web/losscape-page.js (window.Losscape).
 */
#include "web/web.h"

#include <SDL2/SDL.h>
#include <emscripten.h>

EM_JS(void, web_frame_drawn, (long step, int paused), {
    if (window.Losscape) window.Losscape.frame(step, paused);
});

EM_JS(void, web_download_file, (const char *path, const char *name), {
    var data = FS.readFile(UTF8ToString(path));
    window.Losscape.download(UTF8ToString(name), new Blob([data], { type: 'text/plain' }));
});

EM_JS(void, web_download_rgba, (const char *name, int w, int h, const unsigned char *rgba), {
    window.Losscape.downloadRgba(UTF8ToString(name), w, h, HEAPU8.slice(rgba, rgba + w * h * 4));
});

EM_JS(int, web_record_toggle, (const char *name), {
    return window.Losscape.recordToggle(UTF8ToString(name));
});

EM_JS(void, web_copy_link, (const char *scene_text), {
    window.Losscape.copyLink(UTF8ToString(scene_text));
});

EM_JS(int, web_recording, (void), {
    return window.Losscape && window.Losscape.recording ? 1 : 0;
});

EM_JS(void, web_show_message, (const char *text), {
    if (window.Losscape) window.Losscape.message(UTF8ToString(text));
});

EMSCRIPTEN_KEEPALIVE int web_open_file(const char *path)
{
    SDL_Event ev = { 0 };
    ev.type = SDL_DROPFILE;
    ev.drop.file = SDL_strdup(path);   /* the window frees it, as SDL's own drop events */
    ev.drop.timestamp = SDL_GetTicks();
    if (!ev.drop.file)
        return 0;
    if (SDL_PushEvent(&ev) != 1) {
        SDL_free(ev.drop.file);
        return 0;
    }
    return 1;
}

EMSCRIPTEN_KEEPALIVE int web_key(int sym)
{
    SDL_Event ev = { 0 };
    ev.type = SDL_KEYDOWN;
    ev.key.state = SDL_PRESSED;
    ev.key.keysym.sym = sym;
    ev.key.keysym.scancode = SDL_GetScancodeFromKey(sym);
    ev.key.timestamp = SDL_GetTicks();
    if (SDL_PushEvent(&ev) != 1)
        return 0;
    ev.type = SDL_KEYUP;
    ev.key.state = SDL_RELEASED;
    return SDL_PushEvent(&ev) == 1;
}
