/*
 * actions.h — everything a key can do in the window: one function per action of
 * the key table (keys.c), each taking the window's state. keys.c maps keys to
 * these; actions.c defines them. An action may change the state, step the runs,
 * draw (F12) or talk to SDL (F11), and reports what it did on the status line.
 */
#ifndef LOSSCAPE_APP_ACTIONS_H
#define LOSSCAPE_APP_ACTIONS_H

#include "app/window.h"

/* running */
void act_quit(win_state *w);
void act_pause(win_state *w);
void act_beat(win_state *w);
void act_step(win_state *w);
void act_narrate(win_state *w);
void act_reset(win_state *w);
void act_reset_scene(win_state *w);
void act_speed_down(win_state *w);
void act_speed_up(win_state *w);
/* rates, batches, runs */
void act_lr_down(win_state *w);
void act_lr_up(win_state *w);
void act_lr_down_all(win_state *w);
void act_lr_up_all(win_state *w);
void act_batch_up(win_state *w);
void act_batch_down(win_state *w);
void act_run1(win_state *w);
void act_run2(win_state *w);
void act_run3(win_state *w);
void act_run4(win_state *w);
void act_run5(win_state *w);
/* what is shown */
void act_layout(win_state *w);
void act_view(win_state *w);
void act_log(win_state *w);
void act_contours(win_state *w);
void act_arrows(win_state *w);
void act_probe(win_state *w);
void act_critical(win_state *w);
void act_colormap(win_state *w);
void act_theme(win_state *w);
void act_side(win_state *w);
void act_data(win_state *w);
void act_batch_surface(win_state *w);
void act_refit_plane(win_state *w);
void act_frame_runs(win_state *w);
void act_frame_freeze(win_state *w);
void act_help(win_state *w);
/* scenes and files */
void act_next_scene(win_state *w);
void act_prev_scene(win_state *w);
void act_save_scene(win_state *w);
void act_copy_link(win_state *w);
void act_screenshot(win_state *w);
void act_record(win_state *w);
void act_fullscreen(win_state *w);
void act_present(win_state *w);
void act_reload_shaders(win_state *w);
/* camera and probe */
void act_cam_left(win_state *w);
void act_cam_right(win_state *w);
void act_cam_up(win_state *w);
void act_cam_down(win_state *w);
void act_zoom_in(win_state *w);
void act_zoom_out(win_state *w);
void act_cam_reset(win_state *w);
void act_probe_left(win_state *w);
void act_probe_right(win_state *w);
void act_probe_up(win_state *w);
void act_probe_down(win_state *w);

#endif
