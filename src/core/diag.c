/*
 * diag.c — filling bad-input reports. See diag.h.
 */
#include "core/diag.h"

#include <stdarg.h>
#include <stdio.h>

int diag_set(diag *d, int line, int column, const char *fmt, ...)
{
    if (!d)
        return 0;
    d->line = line;
    d->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    /* one line, whatever the message quotes (a dataset's name, a key, a file's text):
     * control characters become '?' */
    for (char *c = d->msg; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    return 0;
}

void diag_shift(diag *d, int line, int column)
{
    if (!d)
        return;
    if (d->line <= 1) {
        /* A fault on the piece's first line sits after the piece's start column. */
        if (d->column > 0 && column > 0)
            d->column += column - 1;
        else if (d->column == 0)
            d->column = column;
        d->line = line;
    } else {
        d->line += line - 1;
    }
}
