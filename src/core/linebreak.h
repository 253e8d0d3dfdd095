/*
 * linebreak.h — where a line of UTF-8 text may break, and a greedy wrap built on
 * it, shared by every place that wraps text (the HUD caption, the burnt-in
 * recording caption, figure captions). Plain C, no font: the caller measures.
 *
 * The rule is a small subset of Unicode's line breaking (UAX #14) and of the
 * Chinese and Japanese layout rules (GB/T 15834, JIS X 4051 "kinsoku"):
 *   - a line may break at a run of spaces (the spaces are dropped), and between
 *     two characters where one of them is CJK (ideographs, kana, hangul, CJK and
 *     fullwidth punctuation), since Chinese has no spaces;
 *   - never before closing punctuation: ) ] } , . : ; ! ? % and their CJK and
 *     fullwidth forms 。，、）」』】》〉：；！？％ ’ ” … ‰ ℃ — not even with a
 *     space before it ("9 %" stays one piece);
 *   - never after opening punctuation: ( [ { （「『【《〈 ‘ “;
 *   - never inside a number and its unit: between a digit and % ‰ ° ℃ × that
 *     follows it, with or without a space;
 *   - nowhere else (inside a Latin word or a number such as 0.052).
 * A word wider than the whole line is broken between characters as a last resort.
 *
 * Index
 *     linebreak_allowed(s, pos)                    may a line break before byte pos of s
 *     linebreak_measure                            the caller's width of a span of text
 *     linebreak_line                               one wrapped line: start and length (bytes)
 *     linebreak_wrap(s, width, m, ctx, lines, max) greedy wrap into at most max lines
 */
#ifndef LOSSCAPE_LINEBREAK_H
#define LOSSCAPE_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>

/* Whether a line may break before s[pos] (pos a byte offset into the NUL-terminated
 * UTF-8 string s, 0 < pos < strlen(s)) by the rules above. False at 0, at the end,
 * inside a UTF-8 sequence and at a space (the break goes before the next non-space
 * character after a run of spaces). */
bool linebreak_allowed(const char *s, size_t pos);

/* The width of text (a NUL-terminated piece of the wrapped string: whole UTF-8
 * characters, no trailing spaces) in the caller's units. */
typedef double (*linebreak_measure)(void *ctx, const char *text);

typedef struct linebreak_line {
    size_t start, len;   /* bytes of the text; no leading or trailing spaces */
} linebreak_line;

/* Greedy wrap of s into lines no wider than width: each line ends at the last
 * allowed break that fits (else, for a piece wider than the line, after the last
 * character that fits; a line always takes at least one character). Writes at most
 * max lines and returns how many; the text after the last one written (when the
 * lines ran out) starts at lines[n-1].start + lines[n-1].len plus spaces, so a
 * caller may shorten the rest into its last line. Leading spaces are skipped;
 * returns 0 for empty or blank text. The pieces handed to m are cut from a private
 * copy of s (s itself is never written); 0 lines, too, when that copy cannot be
 * allocated. */
int linebreak_wrap(const char *s, double width, linebreak_measure m, void *ctx, linebreak_line *lines, int max);

#endif
