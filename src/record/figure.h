/*
 * figure.h — the 2-D view as a vector figure for a paper: SVG or PDF through cairo.
 * No GL: the caller hands over the sampled grid and the trajectories.
 *
 * What is drawn, from the bottom up:
 *     the colour map, one embedded image (one pixel per grid point, smoothed by the viewer)
 *     contour lines: marching squares on the same grid, one path per level, at the
 *              levels the window draws (FIGURE_CONTOURS levels over the normalised
 *              range, linear or logarithmic); every 5th level stronger and labelled
 *              with its value
 *     trails: one stroked path per run in the run's colour (over a thin dark outline
 *              path), the start point as a white ring, the end point as a filled disc
 *              in the run's colour (a cross where the run diverged)
 *     axes: a frame, ticks at 1-2-5 steps, tick labels, axis names
 *     legend (run name and final loss), title above, caption below (word-wrapped)
 * on a white page with black text and axes, or (dark = 1) on the window's near-black
 * with its light text;
 * Text is real text: in the PDF cairo_show_text with the embedded DejaVu Sans, or,
 * for characters it lacks such as CJK, the first installed font fontconfig finds that
 * has them all (fonts embedded as subsets with their Unicode mapping: selectable,
 * searchable, pdftotext reads it); in the SVG <text> elements (in a group id="text"
 * above the drawing) naming that font family, anchored start/middle/end where the
 * PDF's text starts, centres or ends, so they stay in place in a viewer whose font
 * is a little wider or narrower. The SVG embeds no font: a viewer without DejaVu Sans
 * (or the CJK family) substitutes its sans-serif.
 *
 * Output is atomic (core/outfile.h): the file appears whole under its name or not at
 * all. Errors: one line in err, without the "losscape: " prefix; *bad_input says
 * whether the fault is the input's (unknown extension, missing folder: exit status 2)
 * or the run time's (unwritable folder, disk full, cairo failure: 1).
 *
 * Index
 *     FIGURE_SINGLE_PT, FIGURE_DOUBLE_PT      default widths (one, two columns)
 *     figure_format, figure_format_of(path)
 *     figure_parse_size(text, &w, &h, err, n) "single", "double", "3.5in", "7x4in", "252x200pt"
 *     figure_run, figure_desc
 *     figure_write(desc, err, n, &bad_input)
 *     figure_layout_map(desc, rect)           where the map lands (points; tests)
 */
#ifndef LOSSCAPE_RECORD_FIGURE_H
#define LOSSCAPE_RECORD_FIGURE_H

#include <stddef.h>
#include <stdint.h>

#include "core/surface.h"

#define FIGURE_SINGLE_PT 252.0   /* 3.5 in: one column of a two-column paper */
#define FIGURE_DOUBLE_PT 504.0   /* 7 in: the full text width */
#define FIGURE_CONTOURS 20       /* levels over the normalised range, as the window */

typedef enum figure_format { FIGURE_NONE = 0, FIGURE_SVG, FIGURE_PDF } figure_format;

/* By extension, case-insensitive: .svg or .pdf; else FIGURE_NONE. */
figure_format figure_format_of(const char *path);

/* Parse a figure size: "single" (3.5 in wide), "double" (7 in wide), a width alone
 * ("3.5in", "252pt", "8.9cm", "89mm"; the height then follows from the layout: 0),
 * or WIDTHxHEIGHT with one unit at the end or one after each number ("7x4in",
 * "7inx4in", "504x300pt"). Each side between 1 in and 20 in. Returns 1 with the
 * sizes in points (h = 0: automatic), or 0 with the reason in err. */
int figure_parse_size(const char *text, double *w_pt, double *h_pt, char *err, size_t err_size);

typedef struct figure_run {
    const char *name;       /* legend label ("sgd", "adam lr=0.2") */
    uint32_t color;         /* RGBA(r, g, b, a) packed as render_run_color: r in the low byte */
    const double *xy;       /* n points (x0, y0, x1, y1, ...) in plane coordinates, oldest first */
    int n;
    double loss;            /* the loss at the last point */
    int diverged;           /* 1: the run stopped on a non-finite value (end drawn as a cross) */
} figure_run;

typedef struct figure_desc {
    const char *path;       /* FILE.svg or FILE.pdf */
    double width_pt;        /* page width in points (0: FIGURE_SINGLE_PT) */
    double height_pt;       /* 0: from the width and the domain's aspect */
    surface_domain dom;     /* the plane region shown */
    const double *grid;     /* nx × ny values at the grid's corners, grid[j*nx + i] at
                             * x = xmin + i·(xmax−xmin)/(nx−1), y = ymin + j·(ymax−ymin)/(ny−1);
                             * non-finite values count as the largest finite one */
    int nx, ny;             /* ≥ 2 each */
    int log_scale;          /* 1: logarithmic colour and contour scale (as the window's) */
    int colormap;           /* 0..4 (render/colormap.h) */
    int contours;           /* 1: contour lines and labels */
    const figure_run *runs;
    int n_runs;
    const char *title;      /* NULL or "": none */
    const char *caption;    /* NULL or "": none */
    const char *xlabel, *ylabel;   /* axis names; NULL: "x", "y" */
    int dark;               /* 0: a paper's page, black text and axes on white (the default);
                             * 1: the window's dark theme, light text and axes on near-black.
                             * The colour map keeps its full range in both. */
} figure_desc;

/* Write the figure. Returns 1, or 0 with a one-line reason (nothing is left under
 * the path, and a file that was there before is untouched). */
int figure_write(const figure_desc *d, char *err, size_t err_size, int *bad_input);

/* The map rectangle (x, y, w, h in points from the top-left of the page) and the
 * page size figure_write uses for d. */
void figure_layout_map(const figure_desc *d, double rect[4], double page[2]);

#endif
