/*
 * fan.h — run markers that fall on one spot, fanned out around it (issue 9: on
 * rastrigin AdaGrad's marker lay under RMSProp's, on himmelblau four runs share the
 * minimum (3, 2), and only the last one drawn was seen).
 *
 * Markers whose centres lie closer than fan_near(rad) pixels to each other (joined
 * transitively: a chain of near markers is one group) are drawn on a small ring
 * around the group's mean point, one per slot, in the order given (the runs'
 * order), the first on the left, going clockwise on screen (over the top); the ring
 * is just wide enough that neighbouring discs (radius rad plus a 2-pixel outline)
 * do not touch. A ring that would touch a neighbouring marker or ring joins that
 * group, and the larger group is placed again. Each fanned marker is joined to its true point by a thin leader
 * line (the caller draws it); a marker alone stays where it is. Trails are not
 * moved: they end at the true points.
 *
 * Pure arithmetic on pixel positions: no GL, no renderer state.
 *
 * Index
 *     fan_near(rad)                   the distance under which two markers are one group
 *     fan_markers(xy, n, rad, box, out)   each marker's drawn centre; returns how many moved
 *     FAN_MAX                         the most markers one call places
 */
#ifndef LOSSCAPE_RENDER_FAN_H
#define LOSSCAPE_RENDER_FAN_H

#define FAN_MAX 64

/* Two markers of radius rad closer than this (pixels) hide the middle of one
 * another (a disc and its outline cover the other's centre and its neighbourhood). */
float fan_near(float rad);

/* xy: n marker centres (x, y pairs, pixels); out: the centres to draw them at
 * (may alias xy). box (NULL: none): x0, y0, x1, y1, the rectangle a fanned marker
 * must stay inside (its centre at least rad + 2 from each side, where the box is
 * that large): a ring at the edge of a map is pushed inside, its leader lines still
 * run to the true points. n > FAN_MAX: the first FAN_MAX are fanned, the rest stay.
 * Returns the number of markers moved. */
int fan_markers(const float *xy, int n, float rad, const float *box, float *out);

#endif
