/*
 * textparse.h — strict scanning of numbers and words inside option values and
 * scene lines, shared by every parser of the core.
 *
 * strtod alone is too forgiving for user input: it accepts "inf", "nan", hex
 * floats, and stops silently at junk. These functions accept exactly
 *     [+-] digits [. digits] [(e|E) [+-] digits]      (or ". digits")
 * over a whole span, and reject values that overflow to infinity (1e400).
 *
 * Index
 *     text_number(s, len, out)      whole span is one finite number → 1
 *     text_long(s, len, out)        whole span is an integer in long's range → 1
 *     text_bool(s, len, out)        0 1 true false yes no on off → 1
 *     text_trim(s, len, &start)     strip blanks; returns the new length
 *     text_ieq(a, b, len)           case-insensitive compare of len bytes of a with NUL-terminated b
 */
#ifndef LOSSCAPE_TEXTPARSE_H
#define LOSSCAPE_TEXTPARSE_H

#include <stddef.h>

int text_number(const char *s, size_t len, double *out);
int text_long(const char *s, size_t len, long *out);
int text_bool(const char *s, size_t len, int *out);
size_t text_trim(const char *s, size_t len, size_t *start);
int text_ieq(const char *a, const char *b, size_t len);

#endif
