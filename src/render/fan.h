/*
 * fan.h — run markers that fall on one spot, fanned out around it (issue 9: on
 * rastrigin AdaGrad's marker lay under RMSProp's, on himmelblau four runs share the
 * minimum (3, 2), and only the last one drawn was seen).
 *
 * Markers whose centres lie closer than fan_near(rad) pixels to each other (joined
 * transitively: a chain of near markers is one group) are drawn on a small ring
 * around the group's mean point, one per slot; the ring is just wide enough that
 * neighbouring discs (radius rad plus a 2-pixel outline) do not touch and a few
 * pixels of each leader line show (FAN_LEADER). A ring that
 * would touch a neighbouring marker or ring joins that group, and the larger group
 * is placed again. Each fanned marker is joined to its true point by a thin leader
 * line (the caller draws it); a marker alone stays where it is. Trails are not
 * moved: they end at the true points.
 *   - Which marker takes which slot: the assignment with the least total leader
 *     length, so no two leader lines cross and each marker sits on the side of the
 *     ring its point lies on (issue 9: in run order, beale's leaders crossed three
 *     times). Where true points coincide (within FAN_TIE's reach, far below a
 *     pixel) the runs' order decides: the first on the left, then clockwise on
 *     screen; a function of the positions alone, the same in every pass and frame.
 *   - The ring's turn: the first slot on the left, unless a slot would lie on a mark
 *     to avoid (critical points, the probe, named minima); then the first turn, in
 *     FAN_TURNS-ths of the slots' spacing, that clears them, the ring widened by half a
 *     disc (rad + 2) at a time, up to FAN_GROW_STEPS − 1 times, if no turn of a
 *     smaller one does; where none clears, the one that overlaps them least.
 *
 * Pure arithmetic on pixel positions: no GL, no renderer state.
 *
 * Index
 *     fan_near(rad)                   the distance under which two markers are one group
 *     fan_markers(xy, n, rad, box, avoid, n_avoid, out)   each marker's drawn centre;
 *                                     returns how many moved
 *     FAN_MAX                         the most markers one call places
 *     FAN_TIE                         the run-order tie-break, pixels per slot step
 */
#ifndef LOSSCAPE_RENDER_FAN_H
#define LOSSCAPE_RENDER_FAN_H

#define FAN_MAX 64
/* Added to a leader's length (pixels) for each slot it is away from its run-order
 * slot: decides between assignments whose leaders differ by less than about
 * FAN_TIE * group size in total (true points a few hundredths of a pixel apart). */
#define FAN_TIE 0.01
/* The least length (pixels) of a leader line left visible between a fanned disc's
 * outline and the ring's middle: the ring's radius is at least rad + 2 + FAN_LEADER. */
#define FAN_LEADER 5.0f
/* The ring sizes tried to clear the marks to avoid: ring0, then half a disc wider
 * each; and the turns tried at each size, in FAN_TURNS-ths of the slots' spacing. */
#define FAN_GROW_STEPS 6
#define FAN_TURNS 16

/* Two markers of radius rad closer than this (pixels) hide the middle of one
 * another (a disc and its outline cover the other's centre and its neighbourhood). */
float fan_near(float rad);

/* xy: n marker centres (x, y pairs, pixels); out: the centres to draw them at
 * (may alias xy). box (NULL: none): x0, y0, x1, y1, the rectangle a fanned marker
 * must stay inside (its centre at least rad + 2 from each side, where the box is
 * that large): a ring at the edge of a map is pushed inside, its leader lines still
 * run to the true points. avoid (NULL: none): n_avoid marks (x, y, r triples: a
 * centre and the mark's radius, pixels) the ring's discs should stay clear of.
 * n > FAN_MAX: the first FAN_MAX are fanned, the rest stay.
 * Returns the number of markers moved. */
int fan_markers(const float *xy, int n, float rad, const float *box, const float *avoid, int n_avoid,
                float *out);

#endif
