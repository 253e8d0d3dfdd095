/*
 * figure_size.c — figure_format_of and figure_parse_size (figure.h): the parts of
 * the figure module that need no cairo, so the size parser's fuzz target
 * (fuzz/fuzz_figsize.c) builds on the core alone.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "record/figure.h"

figure_format figure_format_of(const char *path)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash))
        return FIGURE_NONE;
    if (strcasecmp(dot + 1, "svg") == 0)
        return FIGURE_SVG;
    if (strcasecmp(dot + 1, "pdf") == 0)
        return FIGURE_PDF;
    return FIGURE_NONE;
}

/* A number at *s, then an optional unit; advances *s. unit_out: points per unit, 0 if none. */
static int read_length(const char **s, double *v, double *unit_out)
{
    char *end;
    if (!((**s >= '0' && **s <= '9') || **s == '.'))   /* no sign, space, nan, inf or hex */
        return 0;
    *v = strtod(*s, &end);
    if (end == *s || !isfinite(*v) || ((*s)[0] == '0' && ((*s)[1] == 'x' || (*s)[1] == 'X')))
        return 0;
    *s = end;
    static const struct { const char *name; double pt; } units[] = {
        { "in", 72.0 }, { "pt", 1.0 }, { "cm", 72.0 / 2.54 }, { "mm", 72.0 / 25.4 },
    };
    *unit_out = 0;
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
        if (strncmp(*s, units[k].name, 2) == 0) {
            *unit_out = units[k].pt;
            *s += 2;
            break;
        }
    return 1;
}

int figure_parse_size(const char *text, double *w_pt, double *h_pt, char *err, size_t err_size)
{
    static const char *usage = "expected single, double, a width such as 3.5in or WIDTHxHEIGHT "
                               "such as 7x4in (units in, pt, cm, mm)";
    *w_pt = *h_pt = 0;
    if (strcmp(text, "single") == 0) {
        *w_pt = FIGURE_SINGLE_PT;
        return 1;
    }
    if (strcmp(text, "double") == 0) {
        *w_pt = FIGURE_DOUBLE_PT;
        return 1;
    }
    const char *s = text;
    double w, h = 0, uw, uh = 0;
    if (!read_length(&s, &w, &uw)) {
        snprintf(err, err_size, "%s, not '%s'", usage, text);
        return 0;
    }
    int has_h = 0;
    if (*s == 'x') {
        s++;
        if (!read_length(&s, &h, &uh)) {
            snprintf(err, err_size, "%s, not '%s'", usage, text);
            return 0;
        }
        has_h = 1;
    }
    if (*s != '\0' || (has_h ? uh == 0 : uw == 0)) {
        snprintf(err, err_size, "%s, not '%s'", usage, text);
        return 0;
    }
    if (uw == 0)
        uw = uh;   /* "7x4in": one unit for both */
    w *= uw;
    h *= uh;
    if (!(w >= 72 && w <= 1440) || (has_h && !(h >= 72 && h <= 1440))) {
        snprintf(err, err_size, "each side must be between 1in and 20in (72pt and 1440pt), not '%s'",
                 text);
        return 0;
    }
    *w_pt = w;
    *h_pt = has_h ? h : 0;
    return 1;
}

