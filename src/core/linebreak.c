/*
 * linebreak.c — line-break opportunities in UTF-8 text and a greedy wrap (linebreak.h).
 */
#include "core/linebreak.h"

#include <stdlib.h>
#include <string.h>

/* The code point at s[pos] (pos at the start of a character); malformed bytes read
 * as U+FFFD. */
static unsigned decode_at(const char *s, size_t pos)
{
    const unsigned char *p = (const unsigned char *)s + pos;
    unsigned c = p[0];
    int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0)
        return 0xFFFD;
    c = n == 0 ? c : n == 1 ? c & 0x1F : n == 2 ? c & 0x0F : c & 0x07;
    for (int k = 1; k <= n; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return 0xFFFD;
        c = (c << 6) | (p[k] & 0x3F);
    }
    return c;
}

static bool is_cont(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* The byte offset just past the character at s[pos]. */
static size_t next_char(const char *s, size_t pos)
{
    size_t q = pos + 1;
    while (s[q] && is_cont(s[q]))
        q++;
    return q;
}

static bool in_list(unsigned c, const unsigned *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == c)
            return true;
    return false;
}

/* Closing punctuation, ellipses and postfix signs: no line starts with one. */
static bool is_closing(unsigned c)
{
    static const unsigned list[] = {
        '!', '%', ')', ',', '.', ':', ';', '?', ']', '}',
        0x00B0, /* ° */ 0x2019, /* ’ */ 0x201D, /* ” */ 0x2026, /* … */ 0x2030, /* ‰ */ 0x2031, /* ‱ */
        0x2103, /* ℃ */ 0x3001, /* 、 */ 0x3002, /* 。 */ 0x3009, /* 〉 */ 0x300B, /* 》 */ 0x300D, /* 」 */
        0x300F, /* 』 */ 0x3011, /* 】 */ 0x3015, /* 〕 */ 0x3017, /* 〗 */ 0x301E, /* 〞 */ 0x30FB, /* ・ */
        0x30FC, /* ー */ 0xFF01, /* ！ */ 0xFF05, /* ％ */ 0xFF09, /* ） */ 0xFF0C, /* ， */ 0xFF0E, /* ． */
        0xFF1A, /* ： */ 0xFF1B, /* ； */ 0xFF1F, /* ？ */ 0xFF3D, /* ］ */ 0xFF5D, /* ｝ */ 0xFF63, /* ｣ */
    };
    return in_list(c, list, sizeof list / sizeof list[0]);
}

/* Opening punctuation: no line ends with one. */
static bool is_opening(unsigned c)
{
    static const unsigned list[] = {
        '(', '[', '{', 0x2018, /* ‘ */ 0x201C, /* “ */ 0x3008, /* 〈 */ 0x300A, /* 《 */ 0x300C, /* 「 */
        0x300E, /* 『 */ 0x3010, /* 【 */ 0x3014, /* 〔 */ 0x3016, /* 〖 */ 0x301D, /* 〝 */ 0xFF08, /* （ */
        0xFF3B, /* ［ */ 0xFF5B, /* ｛ */ 0xFF62, /* ｢ */
    };
    return in_list(c, list, sizeof list / sizeof list[0]);
}

/* Units written after a number ("9 %", "77×", "20 °"). */
static bool is_unit(unsigned c)
{
    return c == '%' || c == 0x2030 || c == 0x2031 || c == 0x00B0 || c == 0x2103 || c == 0x00D7 || c == 0xFF05;
}

/* CJK characters: a line may break on either side of one (UAX #14 class ID and the
 * CJK punctuation; the rules on closing and opening punctuation come first). */
static bool is_cjk(unsigned c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) ||   /* radicals, CJK punctuation, kana, ideographs */
           (c >= 0xAC00 && c <= 0xD7AF) ||   /* hangul */
           (c >= 0xF900 && c <= 0xFAFF) ||   /* compatibility ideographs */
           (c >= 0xFE30 && c <= 0xFE4F) ||   /* CJK compatibility forms */
           (c >= 0xFF00 && c <= 0xFFEF) ||   /* fullwidth forms */
           (c >= 0x20000 && c <= 0x3FFFF);   /* supplementary ideographs */
}

bool linebreak_allowed(const char *s, size_t pos)
{
    if (pos == 0 || !s[pos] || s[pos] == ' ' || is_cont(s[pos]))
        return false;
    size_t i = pos;
    bool space = false;
    while (i > 0 && s[i - 1] == ' ') {
        i--;
        space = true;
    }
    if (i == 0)
        return false;   /* only spaces before it */
    size_t a_at = i - 1;
    while (a_at > 0 && is_cont(s[a_at]))
        a_at--;
    unsigned a = decode_at(s, a_at), b = decode_at(s, pos);
    if (is_closing(b) || is_opening(a))
        return false;
    if (a >= '0' && a <= '9' && is_unit(b))
        return false;
    return space || is_cjk(a) || is_cjk(b);
}

/* The width of buf[pos, end) by m: the piece NUL-terminated in place for the call. */
static double measure_piece(linebreak_measure m, void *ctx, char *buf, size_t pos, size_t end)
{
    char keep = buf[end];
    buf[end] = '\0';
    double w = m(ctx, buf + pos);
    buf[end] = keep;
    return w;
}

int linebreak_wrap(const char *s, double width, linebreak_measure m, void *ctx, linebreak_line *lines, int max)
{
    size_t size = strlen(s) + 1;
    char *buf = malloc(size);
    if (!buf)
        return 0;
    memcpy(buf, s, size);
    int n = 0;
    size_t pos = 0;
    while (s[pos] == ' ')
        pos++;
    while (s[pos] && n < max) {
        /* fit: the end of the longest prefix (ending in a non-space) that fits;
         * brk: the last allowed break (or the end) with everything before it fitting */
        size_t p = pos, fit = 0, brk = 0;
        while (s[p]) {
            size_t q = next_char(s, p);
            if (s[p] != ' ') {
                if (fit > 0 && measure_piece(m, ctx, buf, pos, q) > width)
                    break;   /* the character at p does not fit on this line */
                fit = q;
            }
            if (!s[q] || linebreak_allowed(s, q))
                brk = q;
            p = q;
        }
        size_t end = brk > pos ? brk : fit;
        size_t len = end - pos;
        while (len > 0 && s[pos + len - 1] == ' ')
            len--;
        lines[n].start = pos;
        lines[n].len = len;
        n++;
        pos = end;
        while (s[pos] == ' ')
            pos++;
    }
    free(buf);
    return n;
}
