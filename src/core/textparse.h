/*
 * textparse.h — strict scanning of numbers and words inside option values and
 * scene lines, and the NAME[:key=value,...] spec scanner, shared by every parser
 * of the core.
 *
 * strtod alone is too forgiving for user input: it accepts "inf", "nan", hex
 * floats, and stops silently at junk. These functions accept exactly
 *     [+-] digits [. digits] [(e|E) [+-] digits]      (or ". digits")
 * over a whole span, and reject values that overflow to infinity (1e400).
 *
 * Index
 *     text_number(s, len, out)      whole span is one finite number → 1
 *     text_decimal_fast(s, end, out) a plain decimal at s, without strtod → its end
 *     text_real(s, len, out)        like text_number, but tells "not finite" (−1) from "not a number" (0)
 *     text_long(s, len, out)        whole span is an integer in long's range → 1
 *     text_int64(s, len, out)       whole span is an integer in int64_t's range → 1 (any long width)
 *     text_bool(s, len, out)        0 1 true false yes no on off → 1
 *     text_trim(s, len, &start)     strip blanks; returns the new length
 *     text_ieq(a, b, len)           case-insensitive compare of len bytes of a with NUL-terminated b
 *
 *     text_word                     a span of a spec with its 1-based column
 *     text_spec                     the spec scanner's state
 *     text_spec_begin(s, src, extra)          word grammar: read NAME into s->name
 *     text_spec_open(s, name, err)            ':' or end after NAME
 *     text_spec_key(s, &key)                  the next KEY, 0 when none is due
 *     text_spec_value(s, key, &val, err)      '=' and the VALUE after KEY
 *     text_spec_items(s, src, at)             item grammar: options start at src[at]
 *     text_spec_item(s, &item, &key, &val)    the next item, split at its '='
 *
 * The spec scanner only scans: what a name or key means, and the message for an
 * empty or unknown one, stay with each parser (optim, schedule, model: word
 * grammar; data: item grammar). Messages it does write itself are the two every
 * word-grammar parser shares, "expected ':' after 'NAME'" and "expected '=' after
 * 'KEY'", where NAME and KEY are the caller's spelling (its canonical name).
 * Columns everywhere are 1-based byte offsets into src; diag line is 0.
 *
 * Word grammar (optim_desc_parse, schedule_parse, model_desc_parse):
 *     spec   = blank* NAME blank* [ ':' option { ',' option } ]
 *     option = blank* KEY blank* '=' VALUE
 *     NAME, KEY   the longest run of word bytes, A-Z a-z 0-9 _ and the caller's
 *                 extra bytes (may be empty: the caller reports that)
 *     VALUE       every byte up to the next ',' or the end, trimmed as by
 *                 text_trim (so it may be empty, and may hold '=' or blanks)
 *     blank       space, tab, CR, LF
 * so "adam: lr = 0.1 ,eps=0" is adam with lr "0.1" (column 12) and eps "0".
 * A caller's loop:
 *     text_spec_begin(&sc, spec, "-");          check sc.name, report its own errors
 *     if (!text_spec_open(&sc, canonical_name, err)) return 0;
 *     while (text_spec_key(&sc, &key)) {        key.len 0: report "expected a key"
 *         look key up, report an unknown one at key.col
 *         if (!text_spec_value(&sc, canonical_key, &val, err)) return 0;
 *         use val (errors at val.col)
 *     }
 *
 * Item grammar (data_load's generator and CSV options, after NAME':'):
 *     options = item { ',' item }
 *     item    = every byte up to the next ',' or the end, trimmed as by text_trim;
 *               key and value: the trimmed bytes before and after its first '='
 * There is always at least one item (an empty one after a trailing ':' or ',').
 */
#ifndef LOSSCAPE_TEXTPARSE_H
#define LOSSCAPE_TEXTPARSE_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

int text_number(const char *s, size_t len, double *out);

/* The fast path of text_number, for spans of unknown length (a CSV row): reads the
 * number that starts at s (before end) when it is a plain decimal, [+-] digits
 * [. digits] [(e|E) [+-] 1 to 3 digits], at most 19 significant digits and 400
 * bytes, whose value is m·10^k with an integer m ≤ 2^53 and |k| ≤ 22 (or m = 0).
 * Then m and 10^k are exact doubles, one division or multiplication rounds
 * correctly, and *out is bit for bit what strtod gives (−0 for "-0"). Returns the
 * byte after the number, which is end or none of 0-9 . e E; NULL for anything else
 * (more digits, a larger exponent, hex, inf, nan, junk), where the caller takes the
 * general way (text_number: strtod). */
const char *text_decimal_fast(const char *s, const char *end, double *out);

/* 1: s[0..len) is a finite number (text_number; *out set). −1: strtod reads the
 * whole span (under 128 bytes) as a number that is not finite: nan, inf, infinity
 * (signed, any case), or one that overflows (1e400). 0: anything else, finite hex
 * floats included. *out is set only on 1. */
int text_real(const char *s, size_t len, double *out);

int text_long(const char *s, size_t len, long *out);
/* Like text_long, but always 64 bits: `long` is 32 bits on ILP32 targets (wasm32). */
int text_int64(const char *s, size_t len, int64_t *out);

/* The shortest %g text (1 to 17 significant digits) that strtod reads back as v
 * exactly: 0.005, not 0.0050000000000000001; without an exponent where that is at
 * most one character longer (-60, not -6e+01). buf holds TEXT_G_MAX bytes; returns
 * buf. TEXT_G(v) is the same with a buffer that lives to the end of the block. */
#define TEXT_G_MAX 32
const char *text_g(char *buf, double v);
#define TEXT_G(v) text_g((char[TEXT_G_MAX]){ 0 }, (v))

/* The double of the shortest decimal within two float steps of f (a float setting
 * such as the camera's, whose arithmetic adds a step or two): saved through text_g
 * as 1.6, not 1.6000001430511475 or 1.6000001. Reading it back gives the same view. */
double text_float_decimal(float f);
int text_bool(const char *s, size_t len, int *out);
size_t text_trim(const char *s, size_t len, size_t *start);
int text_ieq(const char *a, const char *b, size_t len);

/* ---- spec scanner ---------------------------------------------------------- */

typedef struct text_word {
    const char *s;              /* first byte, inside the spec (NULL: no such part) */
    size_t len;                 /* bytes; 0 when empty or absent */
    int col;                    /* 1-based column of s (where it was expected if empty) */
} text_word;

typedef struct text_spec {
    const char *src;            /* the whole spec, NUL-terminated; columns count from here */
    const char *p;              /* where scanning goes on */
    const char *word_extra;     /* word grammar: bytes besides A-Z a-z 0-9 _ in NAME and KEY */
    int due;                    /* 1: a key or item comes next (after ':' or ',') */
    text_word name;             /* word grammar: NAME, set by text_spec_begin */
} text_spec;

/* Word grammar. Skips blanks and reads NAME into s->name (len 0 when there is no
 * word byte: the caller reports it at s->name.col). word_extra: NUL-terminated
 * extra word bytes ("" for none). Never fails. */
void text_spec_begin(text_spec *s, const char *src, const char *word_extra);

/* After NAME: blanks, then ':' (options follow) or the end (no options): 1.
 * Anything else: 0, err = "expected ':' after 'NAME'" at that byte's column,
 * NAME being the caller's `name`. */
int text_spec_open(text_spec *s, const char *name, diag *err);

/* 0 when no option is due (no ':', or the last value ended the spec). Else 1 with
 * *key = the next KEY after blanks (len 0 when none: the caller reports it). */
int text_spec_key(text_spec *s, text_word *key);

/* After a KEY: blanks, then '=' or 0 with err = "expected '=' after 'KEY'" at the
 * column of the byte found instead (`key` the caller's spelling). Then *val = the
 * VALUE, and a ',' after it is taken, making the next option due. Returns 1. */
int text_spec_value(text_spec *s, const char *key, text_word *val, diag *err);

/* Item grammar: the options start at src[at]; one item is due. */
void text_spec_items(text_spec *s, const char *src, size_t at);

/* 0 when no item is due. Else 1 with *item the next item (trimmed) and, if it
 * holds '=', *key and *val the trimmed parts before and after the first '='
 * (key->col = item->col), or else key->s = val->s = NULL. A ',' after the item
 * is taken, making the next item due. */
int text_spec_item(text_spec *s, text_word *item, text_word *key, text_word *val);

#endif
