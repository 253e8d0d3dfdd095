/*
 * keys.c — THE key table: every key binding, its action and its help text. The
 * help overlay (F1 or ?) is generated from this table, so it cannot disagree with
 * the code. Entries are matched in order; put modified keys before plain ones.
 */
#include "app/window.h"

const win_key win_keys[] = {
    { SDLK_F1, WK_ANY, ACT_HELP, "F1 / ?", "this help" },
    { SDLK_SLASH, WK_SHIFT, ACT_HELP, NULL, NULL },
    { SDLK_QUESTION, WK_ANY, ACT_HELP, NULL, NULL },
    { SDLK_SPACE, WK_ANY, ACT_PAUSE, "Space", "pause / resume" },
    { SDLK_PERIOD, WK_ANY, ACT_STEP, ". / N", "single step" },
    { SDLK_n, WK_ANY, ACT_STEP, NULL, NULL },
    { SDLK_e, WK_ANY, ACT_NARRATE, "E", "narrated step of the selected optimizer" },
    { SDLK_r, WK_ANY, ACT_RESET, "R", "reset the runs" },
    { SDLK_LEFTBRACKET, WK_ANY, ACT_SPEED_DOWN, "[ / ]", "fewer / more steps per frame" },
    { SDLK_RIGHTBRACKET, WK_ANY, ACT_SPEED_UP, NULL, NULL },
    { SDLK_MINUS, WK_SHIFT, ACT_LR_DOWN_ALL, "Shift + − / =", "rate of every optimizer ÷ / × 1.25" },
    { SDLK_EQUALS, WK_SHIFT, ACT_LR_UP_ALL, NULL, NULL },
    { SDLK_MINUS, WK_ANY, ACT_LR_DOWN, "− / =", "rate of the selected optimizer ÷ / × 1.25" },
    { SDLK_KP_MINUS, WK_ANY, ACT_LR_DOWN, NULL, NULL },
    { SDLK_EQUALS, WK_ANY, ACT_LR_UP, NULL, NULL },
    { SDLK_PLUS, WK_ANY, ACT_LR_UP, NULL, NULL },
    { SDLK_KP_PLUS, WK_ANY, ACT_LR_UP, NULL, NULL },
    { SDLK_b, WK_SHIFT, ACT_BATCH_DOWN, "B / Shift+B", "batch size × / ÷ 2 (data scenes)" },
    { SDLK_b, WK_ANY, ACT_BATCH_UP, NULL, NULL },
    { SDLK_1, WK_ANY, ACT_RUN1, "1 – 5", "select optimizer; again: toggle it" },
    { SDLK_2, WK_ANY, ACT_RUN2, NULL, NULL },
    { SDLK_3, WK_ANY, ACT_RUN3, NULL, NULL },
    { SDLK_4, WK_ANY, ACT_RUN4, NULL, NULL },
    { SDLK_5, WK_ANY, ACT_RUN5, NULL, NULL },
    { SDLK_l, WK_ANY, ACT_LAYOUT, "L", "layout: overlay / panels / compare" },
    { SDLK_v, WK_ANY, ACT_VIEW, "V", "view: 3-D / 2-D / split" },
    { SDLK_g, WK_ANY, ACT_LOG, "G", "logarithmic scale" },
    { SDLK_c, WK_ANY, ACT_CONTOURS, "C", "contour lines" },
    { SDLK_a, WK_ANY, ACT_ARROWS, "A", "gradient / update arrows, σ boxes" },
    { SDLK_h, WK_ANY, ACT_PROBE, "H", "Hessian probe (mouse, Shift+arrows)" },
    { SDLK_p, WK_ANY, ACT_CRITICAL, "P", "critical points" },
    { SDLK_m, WK_ANY, ACT_COLORMAP, "M", "next colour map" },
    { SDLK_t, WK_ANY, ACT_SIDE, "T", "legend and plot panel" },
    { SDLK_x, WK_ANY, ACT_DATA, "X", "data panel: samples, mini-batch, boundaries (data scenes)" },
    { SDLK_y, WK_ANY, ACT_BATCH_SURFACE, "Y", "surface: full data / current mini-batch (data scenes)" },
    { SDLK_o, WK_ANY, ACT_REFIT_PLANE, "O", "refit the view plane to the trajectories (PCA; larger models)" },
    { SDLK_PAGEDOWN, WK_ANY, ACT_NEXT_SCENE, "PgDn / PgUp", "next / previous built-in scene" },
    { SDLK_PAGEUP, WK_ANY, ACT_PREV_SCENE, NULL, NULL },
    { SDLK_s, WK_CTRL, ACT_SAVE_SCENE, "Ctrl+S", "save the current state as a scene file" },
    { SDLK_F12, WK_ANY, ACT_SCREENSHOT, "F12", "screenshot (PNG)" },
    { SDLK_F9, WK_ANY, ACT_RECORD, "F9 / Ctrl+R", "start / stop recording a video (MP4)" },
    { SDLK_r, WK_CTRL, ACT_RECORD, NULL, NULL },
    { SDLK_F11, WK_ANY, ACT_FULLSCREEN, "F11 / F", "fullscreen" },
    { SDLK_f, WK_ANY, ACT_FULLSCREEN, NULL, NULL },
    { SDLK_LEFT, WK_SHIFT, ACT_PROBE_LEFT, "Shift + arrows", "move the Hessian probe" },
    { SDLK_RIGHT, WK_SHIFT, ACT_PROBE_RIGHT, NULL, NULL },
    { SDLK_UP, WK_SHIFT, ACT_PROBE_UP, NULL, NULL },
    { SDLK_DOWN, WK_SHIFT, ACT_PROBE_DOWN, NULL, NULL },
    { SDLK_LEFT, WK_ANY, ACT_CAM_LEFT, "arrows / drag", "orbit the 3-D camera" },
    { SDLK_RIGHT, WK_ANY, ACT_CAM_RIGHT, NULL, NULL },
    { SDLK_UP, WK_ANY, ACT_CAM_UP, NULL, NULL },
    { SDLK_DOWN, WK_ANY, ACT_CAM_DOWN, NULL, NULL },
    { SDLK_w, WK_ANY, ACT_CAM_UP, NULL, NULL },
    { SDLK_s, WK_PLAIN, ACT_CAM_DOWN, NULL, NULL },
    { SDLK_d, WK_ANY, ACT_CAM_RIGHT, NULL, NULL },
    { SDLK_z, WK_SHIFT, ACT_ZOOM_OUT, "Z / Shift+Z, wheel", "zoom in / out" },
    { SDLK_z, WK_ANY, ACT_ZOOM_IN, NULL, NULL },
    { SDLK_HOME, WK_ANY, ACT_CAM_RESET, "Home / 0", "reset the camera" },
    { SDLK_0, WK_ANY, ACT_CAM_RESET, NULL, NULL },
    { SDLK_F5, WK_ANY, ACT_RELOAD_SHADERS, "F5", "reload shaders from the source tree" },
    { SDLK_ESCAPE, WK_ANY, ACT_QUIT, "Esc / Q", "quit" },
    { SDLK_q, WK_ANY, ACT_QUIT, NULL, NULL },
};

const int win_key_count = (int)(sizeof win_keys / sizeof win_keys[0]);

win_action win_key_lookup(SDL_Keycode sym, Uint16 mod)
{
    int shift = (mod & KMOD_SHIFT) != 0, ctrl = (mod & KMOD_CTRL) != 0;
    for (int i = 0; i < win_key_count; i++) {
        const win_key *k = &win_keys[i];
        if (k->sym != sym)
            continue;
        if (k->mod == WK_SHIFT && !shift)
            continue;
        if (k->mod == WK_CTRL && !ctrl)
            continue;
        if (k->mod == WK_PLAIN && (shift || ctrl))
            continue;
        if (k->mod == WK_ANY && ctrl)
            continue;   /* Ctrl+key is reserved for explicit Ctrl bindings */
        return k->action;
    }
    return ACT_NONE;
}

int win_help_lines(render_help_line *out, int cap)
{
    int n = 0;
    for (int i = 0; i < win_key_count && n < cap; i++)
        if (win_keys[i].keys)
            out[n++] = (render_help_line){ win_keys[i].keys, win_keys[i].help };
    return n;
}

/* The same lines as the help overlay, as text: `losscape --keys`. The README's key
 * list is checked against this output by tests/cli_docs.sh. */
void app_print_keys(FILE *f)
{
    for (int i = 0; i < win_key_count; i++) {
        const char *k = win_keys[i].keys;
        if (!k)
            continue;
        /* Pad to 22 characters, counting UTF-8 characters, not bytes. */
        int chars = 0;
        for (const char *c = k; *c; c++)
            chars += ((unsigned char)*c & 0xC0) != 0x80;
        fprintf(f, "%s%*s %s\n", k, chars < 22 ? 22 - chars : 0, "", win_keys[i].help);
    }
}
