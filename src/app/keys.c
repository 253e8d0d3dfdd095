/*
 * keys.c — THE key table: every key binding, the action it calls (one function
 * each, actions.h) and its help text. The help overlay (F1 or ?), --keys and the
 * README's key list are generated from or checked against this table, so they
 * cannot disagree with the code. Entries are matched in order; put modified keys
 * before plain ones. Also: scripted key presses (LOSSCAPE_REPLAY_KEYS).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/actions.h"
#include "render/i18n.h"
#include "app/window.h"

const win_key win_keys[] = {
    { SDLK_F1, WK_ANY, act_help, "F1 / ?", N_("this help (again: its next page in a small window)") },
    { SDLK_SLASH, WK_SHIFT, act_help, NULL, NULL },
    { SDLK_QUESTION, WK_ANY, act_help, NULL, NULL },
    { SDLK_SPACE, WK_ANY, act_pause, "Space", N_("pause / resume") },
    { SDLK_PERIOD, WK_ANY, act_step, ". / N", N_("single step") },
    { SDLK_RETURN, WK_ANY, act_beat, "Return", N_("play to the lesson's next beat (its timeline's next pause)") },
    { SDLK_n, WK_ANY, act_step, NULL, NULL },
    { SDLK_e, WK_ANY, act_narrate, "E", N_("narrated step of the selected optimizer") },
    { SDLK_r, WK_SHIFT, act_reset_scene, "R / Shift+R", N_("restart the runs / also restore the scene's rates, batch, speed") },
    { SDLK_r, WK_ANY, act_reset, NULL, NULL },
    { SDLK_LEFTBRACKET, WK_ANY, act_speed_down, "[ / ]", N_("speed ÷ / × 2 (optimizer steps per second)") },
    { SDLK_RIGHTBRACKET, WK_ANY, act_speed_up, NULL, NULL },
    { SDLK_MINUS, WK_SHIFT, act_lr_down_all, "Shift + − / =", N_("rate of every optimizer ÷ / × 1.25") },
    { SDLK_EQUALS, WK_SHIFT, act_lr_up_all, NULL, NULL },
    { SDLK_MINUS, WK_ANY, act_lr_down, "− / =", N_("rate of the selected optimizer ÷ / × 1.25") },
    { SDLK_KP_MINUS, WK_ANY, act_lr_down, NULL, NULL },
    { SDLK_EQUALS, WK_ANY, act_lr_up, NULL, NULL },
    { SDLK_PLUS, WK_ANY, act_lr_up, NULL, NULL },
    { SDLK_KP_PLUS, WK_ANY, act_lr_up, NULL, NULL },
    { SDLK_b, WK_SHIFT, act_batch_down, "B / Shift+B", N_("batch size × / ÷ 2 (data scenes)") },
    { SDLK_b, WK_ANY, act_batch_up, NULL, NULL },
    { SDLK_1, WK_ANY, act_run1, "1 – 5", N_("select optimizer; again: toggle it") },
    { SDLK_2, WK_ANY, act_run2, NULL, NULL },
    { SDLK_3, WK_ANY, act_run3, NULL, NULL },
    { SDLK_4, WK_ANY, act_run4, NULL, NULL },
    { SDLK_5, WK_ANY, act_run5, NULL, NULL },
    { SDLK_l, WK_ANY, act_layout, "L", N_("layout: overlay / panels / compare") },
    { SDLK_v, WK_ANY, act_view, "V", N_("view: 3-D / 2-D / split") },
    { SDLK_g, WK_ANY, act_log, "G", N_("logarithmic scale") },
    { SDLK_c, WK_ANY, act_contours, "C", N_("contour lines") },
    { SDLK_a, WK_ANY, act_arrows, "A", N_("gradient / update arrows, σ boxes") },
    { SDLK_h, WK_ANY, act_probe, "H", N_("Hessian probe (mouse, Shift+arrows)") },
    { SDLK_p, WK_ANY, act_critical, "P", N_("critical points") },
    { SDLK_m, WK_ANY, act_colormap, "M", N_("next colour map") },
    { SDLK_i, WK_ANY, act_theme, "I", N_("light / dark theme (a washed-out projector: light)") },
    { SDLK_t, WK_ANY, act_side, "T", N_("legend and plot panel") },
    { SDLK_x, WK_ANY, act_data, "X", N_("data panel: samples, mini-batch, boundaries (data scenes)") },
    { SDLK_y, WK_ANY, act_batch_surface, "Y", N_("surface: full data / current mini-batch (data scenes)") },
    { SDLK_j, WK_SHIFT, act_frame_freeze, "J / Shift+J", N_("frame every run's path now / freeze or resume framing (refits, --domain auto)") },
    { SDLK_j, WK_ANY, act_frame_runs, NULL, NULL },
    { SDLK_o, WK_ANY, act_refit_plane, "O", N_("refit the view plane to the trajectories (PCA; larger models)") },
    { SDLK_PAGEDOWN, WK_ANY, act_next_scene, "PgDn / PgUp", N_("next / previous built-in scene (lessons first; --lesson: lessons only)") },
    { SDLK_PAGEUP, WK_ANY, act_prev_scene, NULL, NULL },
    { SDLK_s, WK_CTRL, act_save_scene, "Ctrl+S", N_("save the current state as a scene file") },
    { SDLK_k, WK_ANY, act_copy_link, "K", N_("copy the scene as a link (browser) / as scene text (desktop)") },
    { SDLK_F12, WK_ANY, act_screenshot, "F12", N_("screenshot (PNG)") },
    { SDLK_F9, WK_ANY, act_record, "F9 / Ctrl+R", N_("start / stop recording a video (MP4)") },
    { SDLK_r, WK_CTRL, act_record, NULL, NULL },
    { SDLK_F2, WK_ANY, act_present, "F2", N_("presentation mode: larger type, thicker trails, lifted colours, caption") },
    { SDLK_F11, WK_ANY, act_fullscreen, "F11 / F", N_("fullscreen") },
    { SDLK_f, WK_ANY, act_fullscreen, NULL, NULL },
    { SDLK_LEFT, WK_SHIFT, act_probe_left, "Shift + arrows", N_("move the Hessian probe") },
    { SDLK_RIGHT, WK_SHIFT, act_probe_right, NULL, NULL },
    { SDLK_UP, WK_SHIFT, act_probe_up, NULL, NULL },
    { SDLK_DOWN, WK_SHIFT, act_probe_down, NULL, NULL },
    { SDLK_LEFT, WK_ANY, act_cam_left, "arrows / drag", N_("orbit the 3-D camera") },
    { SDLK_RIGHT, WK_ANY, act_cam_right, NULL, NULL },
    { SDLK_UP, WK_ANY, act_cam_up, NULL, NULL },
    { SDLK_DOWN, WK_ANY, act_cam_down, NULL, NULL },
    { SDLK_w, WK_ANY, act_cam_up, NULL, NULL },
    { SDLK_s, WK_PLAIN, act_cam_down, NULL, NULL },
    { SDLK_d, WK_ANY, act_cam_right, NULL, NULL },
    { SDLK_z, WK_SHIFT, act_zoom_out, "Z / Shift+Z, wheel", N_("zoom in / out") },
    { SDLK_z, WK_ANY, act_zoom_in, NULL, NULL },
    { SDLK_HOME, WK_ANY, act_cam_reset, "Home / 0", N_("reset the camera") },
    { SDLK_0, WK_ANY, act_cam_reset, NULL, NULL },
    { SDLK_F5, WK_ANY, act_reload_shaders, "F5", N_("reload shaders from the source tree") },
    { SDLK_ESCAPE, WK_ANY, act_quit, "Esc / Q", N_("quit") },
    { SDLK_q, WK_ANY, act_quit, NULL, NULL },
};

const int win_key_count = (int)(sizeof win_keys / sizeof win_keys[0]);

win_action_fn win_key_lookup(SDL_Keycode sym, Uint16 mod)
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
    return NULL;
}

int win_help_lines(render_help_line *out, int cap)
{
    int n = 0;
    for (int i = 0; i < win_key_count && n < cap; i++)
        if (win_keys[i].keys)
            out[n++] = (render_help_line){ win_keys[i].keys, _(win_keys[i].help) };
    return n;
}

void win_replay_keys(win_state *w, const char *list)
{
    if (!list)
        return;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        Uint16 mod = 0;
        for (;;) {
            if (strncasecmp(tok, "shift+", 6) == 0)
                mod |= KMOD_LSHIFT, tok += 6;
            else if (strncasecmp(tok, "ctrl+", 5) == 0)
                mod |= KMOD_LCTRL, tok += 5;
            else
                break;
        }
        long n;
        if (mod == 0 && strncmp(tok, "steps=", 6) == 0 && (n = strtol(tok + 6, NULL, 10)) > 0) {
            win_step_runs(w, n > 100000000 ? 100000000 : (int)n);   /* scripted steps between keys */
            continue;
        }
        if (mod == 0 && strncmp(tok, "frames=", 7) == 0 && (n = strtol(tok + 7, NULL, 10)) > 0) {
            for (long i = 0; i < n && i < 10000; i++)   /* drawn frames: easings advance */
                win_draw(w);
            continue;
        }
        SDL_Keycode k = SDL_GetKeyFromName(tok);
        if (k == SDLK_UNKNOWN) {
            fprintf(stderr, "losscape: LOSSCAPE_REPLAY_KEYS: unknown key '%s'\n", tok);
            continue;
        }
        win_action_fn act = win_key_lookup(k, mod);
        if (act)
            act(w);
    }
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
        fprintf(f, "%s%*s %s\n", k, chars < 22 ? 22 - chars : 0, "", _(win_keys[i].help));
    }
}
