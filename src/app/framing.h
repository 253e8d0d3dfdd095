/*
 * framing.h — the view's domain following the runs (issue 9 #10, #11).
 *
 * The domain drawn is w->p->domain. Framing gives it a target (frame_to) and eases
 * it there over the following frames (a fifth of the way each frame, snapped when
 * within 0.2 % of the span), so the surface never jumps: a PCA plane's refit
 * (moons-mlp-bn) moves the extent smoothly, J frames every run's path now, and
 * `--domain auto` (scene key `domain = auto`) keeps every path in view as the runs
 * go. Shift+J freezes framing: no easing, no automatic target, no PCA refits.
 * Screenshots (--screenshot) snap to the target: their one frame shows where the
 * easing would end.
 *
 * A PCA refit also turns the plane itself over the following frames: its two
 * directions go from the old ones to the new ones (each new one's sign chosen to
 * agree with the old; a principal direction's sign is arbitrary), linearly in five
 * frames, the surface re-sampled each frame (coarse grids from the worker first).
 *
 * Index
 *     win_frame_runs(w)      J: target = the box of every run's path, with a margin
 *     win_frame_retarget(w, old)   after something set p->domain (a PCA refit): ease from old
 *     win_frame_tick(w)      once per drawn frame: automatic target, one easing step
 *     win_frame_freeze(w)    Shift+J: freeze / unfreeze
 *     win_frame_settling(w)  1 while the domain or the plane is on its way
 */
#ifndef LOSSCAPE_APP_FRAMING_H
#define LOSSCAPE_APP_FRAMING_H

#include "app/window.h"

void win_frame_runs(win_state *w);
void win_frame_retarget(win_state *w, surface_domain old);
/* After a refit of w->p's plane from directions old_d1, old_d2 (n each): the new
 * directions' signs agree with the old (the domain flipped with them), and the plane
 * eases from the old directions to the new. */
void win_frame_plane_from(win_state *w, const double *old_d1, const double *old_d2);
void win_frame_tick(win_state *w);
void win_frame_freeze(win_state *w);
/* 1 while the view eases (the domain toward its target, a refitted plane's directions
 * toward the new ones): each frame shows another surface, so the surface worker is
 * asked for coarse grids alone until it settles, and the next refit waits. */
int win_frame_settling(const win_state *w);

#endif
