/*
 * window.h — internal to the app's window mode (window.c, keys.c): the state of the
 * interactive session and the key table.
 *
 * The window's state lives in ONE struct (win_state), created by app_window_run and
 * passed explicitly; there is no other mutable global in the window mode.
 *
 * Index
 *     win_action                    ACT_QUIT ... (one per thing a key can do)
 *     win_key, win_keys[], win_key_count
 *     win_key_lookup(sym, mod)      the action for a key press, or ACT_NONE
 *     win_help_lines(out, cap)      help overlay lines generated from the table
 *     win_state, win_do(w, action)  apply an action (window.c)
 */
#ifndef LOSSCAPE_APP_WINDOW_H
#define LOSSCAPE_APP_WINDOW_H

#include <SDL2/SDL.h>

#include "app/app.h"
#include "render/renderer.h"

typedef enum win_action {
    ACT_NONE = 0,
    ACT_QUIT, ACT_PAUSE, ACT_STEP, ACT_RESET,
    ACT_SPEED_DOWN, ACT_SPEED_UP,
    ACT_LR_DOWN, ACT_LR_UP, ACT_LR_DOWN_ALL, ACT_LR_UP_ALL,
    ACT_BATCH_UP, ACT_BATCH_DOWN,
    ACT_RUN1, ACT_RUN2, ACT_RUN3, ACT_RUN4, ACT_RUN5,
    ACT_LAYOUT, ACT_VIEW, ACT_LOG, ACT_CONTOURS, ACT_ARROWS, ACT_PROBE, ACT_CRITICAL,
    ACT_COLORMAP, ACT_SIDE, ACT_NARRATE,
    ACT_DATA, ACT_BATCH_SURFACE, ACT_REFIT_PLANE,
    ACT_NEXT_SCENE, ACT_PREV_SCENE, ACT_SAVE_SCENE, ACT_SCREENSHOT, ACT_RECORD, ACT_FULLSCREEN,
    ACT_HELP, ACT_RELOAD_SHADERS,
    ACT_CAM_LEFT, ACT_CAM_RIGHT, ACT_CAM_UP, ACT_CAM_DOWN, ACT_ZOOM_IN, ACT_ZOOM_OUT,
    ACT_CAM_RESET,
    ACT_PROBE_LEFT, ACT_PROBE_RIGHT, ACT_PROBE_UP, ACT_PROBE_DOWN,
    ACT_COUNT
} win_action;

/* Modifier requirement of a key binding. */
enum { WK_PLAIN = 0, WK_SHIFT, WK_CTRL, WK_ANY };

typedef struct win_key {
    SDL_Keycode sym;      /* SDL key code */
    int mod;              /* WK_* */
    win_action action;
    const char *keys;     /* label in the help overlay; NULL: an alias of the line above */
    const char *help;     /* help text; NULL for aliases */
} win_key;

extern const win_key win_keys[];
extern const int win_key_count;

win_action win_key_lookup(SDL_Keycode sym, Uint16 mod);

/* Fill out[] with the help lines (one per table entry that has a label). Returns
 * the number written (at most cap). */
int win_help_lines(render_help_line *out, int cap);

#endif
