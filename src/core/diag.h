/*
 * diag.h — how the core reports bad input.
 *
 * The core never prints. A function that can fail on user input (a formula, a scene
 * line, an option value) takes an optional `diag *` and fills it on failure: the
 * message, and where in the input the fault is. The caller adds the context it knows
 * (file name, option name) and prints one line, e.g.
 *
 *     formula: column 8: expected ')'
 *     lecture.scene:12:9: unknown key 'lrate'
 *
 * Index
 *     diag                         the report
 *     diag_set(d, line, col, fmt, ...)
 *     diag_shift(d, line, col)     re-base a nested report into an outer text
 */
#ifndef LOSSCAPE_DIAG_H
#define LOSSCAPE_DIAG_H

#define DIAG_MSG_MAX 256

typedef struct diag {
    int line;                 /* 1-based line in the input; 0 = not applicable */
    int column;               /* 1-based column (byte) in that line; 0 = not applicable */
    char msg[DIAG_MSG_MAX];   /* what is wrong, without location, e.g. "expected ')'";
                                 one line: diag_set turns control characters into '?' */
} diag;

/* Fill `d` (which may be NULL: then nothing happens). Always returns 0 so that
 * parsers can write `return diag_set(d, 0, col, "...")` in an int function that
 * returns 0 on failure. */
int diag_set(diag *d, int line, int column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* A report from a sub-parser that saw only a piece of a larger text: make its
 * line/column refer to the larger text, the piece starting at (line, column). */
void diag_shift(diag *d, int line, int column);

#endif
