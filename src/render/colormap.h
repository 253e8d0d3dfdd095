/*
 * colormap.h — the five perceptually uniform colour maps, evaluated on the CPU
 * and uploaded once as a 256 × COLORMAP_LUT_ROWS lookup texture: one row per map,
 * then each map again with its dark end lifted for a projector (presentation mode:
 * t → COLORMAP_LIFT + (1 − COLORMAP_LIFT)·t, so the lowest values stay visible
 * on the near-black background of a washed-out projection).
 *
 * viridis, magma, inferno and plasma are 6th-degree polynomial fits of matplotlib's
 * tables (max error about 1/255); cividis is interpolated from its 10 published stops.
 * The index is the scene's `colormap` (0 viridis, 1 magma, 2 inferno, 3 plasma, 4 cividis).
 *
 * Index
 *     COLORMAP_COUNT, COLORMAP_LUT_SIZE, COLORMAP_LUT_ROWS, COLORMAP_LIFT
 *     colormap_name(i)
 *     colormap_eval(i, t, rgb)        t in [0, 1] (clamped) → rgb in [0, 1]
 *     colormap_lut(rgba)              fill COLORMAP_LUT_SIZE × COLORMAP_LUT_ROWS × 4 bytes
 */
#ifndef LOSSCAPE_RENDER_COLORMAP_H
#define LOSSCAPE_RENDER_COLORMAP_H

#define COLORMAP_COUNT    5
#define COLORMAP_LUT_SIZE 256
#define COLORMAP_LUT_ROWS (2 * COLORMAP_COUNT)
#define COLORMAP_LIFT     0.3

const char *colormap_name(int i);
void colormap_eval(int i, double t, float rgb[3]);
void colormap_lut(unsigned char *rgba);

#endif
