/*
 * marks.h — the marks placed at points of a surface panel (private to src/render's
 * frame code, like render_internal.h): each run's current-point marker (fanned off
 * a shared spot, pinned at the domain's edge when the run left it), the critical
 * points, and the filled arrow they and world.c's arrows are drawn with.
 *
 * Contract: every function draws into r->world in panel ps's pixels (projected with
 * rd_project) and reads the frame; the caller (world.c: world_draw_panel) flushes
 * the batch with the panel's scissor and depth state. Nothing here owns memory.
 */
#ifndef LOSSCAPE_RENDER_MARKS_H
#define LOSSCAPE_RENDER_MARKS_H

#include "render/render_internal.h"

/* An arrow from a to b (pixels) with a filled head, `width` thick; outline = 1 draws
 * it 1.5 px larger all round (the dark border drawn under the coloured arrow).
 * Nothing under 2 px long. */
void marks_arrow(prims *p, const float a[3], const float b[3], float width, uint32_t rgba, int outline);

/* Where run's marker is drawn (plane coordinates, and the loss there): its current
 * point, or in slow motion (f->lag > 0) that far back along its last update. The
 * trails end here too. */
void marks_shown_point(const render_frame *f, const trainer_run *run, double ab[2], double *val);

/* The key points of panel ps, as x, y, r triples (pixels: a centre and the radius
 * its symbol takes) into xyr, at most max; returns how many. They are the critical
 * points' symbols (SCENE_OVERLAY_CRITICAL), the probe's cross (SCENE_OVERLAY_PROBE)
 * and, on the main problem's panels, the minima the frame names (f->minima inside
 * the domain; drawn or not, the point itself, radius MARKS_MINIMUM_R). Fanned rings
 * keep off them (fan.h's avoid) and so do contour labels (world.c); the markers'
 * pass records them in r->clear (renderer_clear_marks). */
#define MARKS_MINIMUM_R 3.0f
int marks_reserved(renderer *r, const render_frame *f, const panel_state *ps, float *xyr, int max);

/* The runs' markers in panel ps (the panel's one run when ps->lp.run >= 0).
 * alpha_mul < 1: their ghosts (3-D, drawn without the depth test first); zbias:
 * NDC depth towards the camera for the depth-tested pass. With alpha_mul >= 1 each
 * marker is recorded in r->marks (renderer_markers) and the marks its fan kept off
 * in r->clear (renderer_clear_marks). */
void marks_draw_runs(renderer *r, const render_frame *f, const panel_state *ps, float alpha_mul, float zbias);

/* The critical points (f->crit, when SCENE_OVERLAY_CRITICAL is on): ▼ minimum,
 * ▲ maximum, × saddle with its two escape arrows, ◆ degenerate. */
void marks_draw_critical(renderer *r, const render_frame *f, const panel_state *ps);

#endif
