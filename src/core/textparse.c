/*
 * textparse.c — strict number and word scanning, and the spec scanner. See
 * textparse.h.
 */
#include "core/textparse.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the longest prefix of s[0..len) that has the form of a decimal
 * number, or 0 if none. */
static size_t number_span(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < len && isdigit((unsigned char)s[i]))
        i++, digits++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && isdigit((unsigned char)s[i]))
            i++, digits++;
    }
    if (digits == 0)
        return 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < len && (s[j] == '+' || s[j] == '-'))
            j++;
        size_t exp_digits = 0;
        while (j < len && isdigit((unsigned char)s[j]))
            j++, exp_digits++;
        if (exp_digits > 0)
            i = j;
    }
    return i;
}

/* 10^0 .. 10^22: every one exact in a double. */
static const double exact_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* The decimal digits from p on (up to end) appended to m: leading zeros are not
 * significant, more than 19 significant digits give NULL (m would overflow, or the
 * fast path would no longer be exact). Counts every digit in *digits and, for the
 * digits after the point (frac_exp10 not NULL), lowers *frac_exp10 by one each.
 * Returns the first character after them. */
static inline const char *digit_run(const char *p, const char *end, uint64_t *m, int *sig, int *digits,
                                    int *frac_exp10)
{
    for (; p < end && (unsigned)(*p - '0') < 10; p++, ++*digits) {
        unsigned dg = (unsigned)(*p - '0');
        if (frac_exp10)
            --*frac_exp10;
        if (*m == 0 && dg == 0)
            continue;
        if (*sig == 19)
            return NULL;
        *m = *m * 10 + dg;
        ++*sig;
    }
    return p;
}

const char *text_decimal_fast(const char *s, const char *end, double *out)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    const char *p = s;
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-')) {
        neg = *p == '-';
        p++;
    }
    uint64_t m = 0;
    int sig = 0;        /* significant digits in m (leading zeros not counted) */
    int digits = 0;     /* all mantissa digits */
    int exp10 = 0;      /* the value is m * 10^exp10 */
    p = digit_run(p, end, &m, &sig, &digits, NULL);
    if (p && p < end && *p == '.')
        p = digit_run(p + 1, end, &m, &sig, &digits, &exp10);
    if (!p)
        return NULL;
    if (digits == 0)
        return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = 0;
        if (p < end && (*p == '+' || *p == '-')) {
            eneg = *p == '-';
            p++;
        }
        int e = 0, ed = 0;
        for (; p < end && (unsigned)(*p - '0') < 10; p++, ed++) {
            if (ed == 3)
                return NULL;
            e = e * 10 + (*p - '0');
        }
        if (ed == 0)
            return NULL;
        exp10 += eneg ? -e : e;
    }
    /* what follows must end the number (the caller checks it is a separator) */
    if (p < end && ((unsigned)(*p - '0') < 10 || *p == '.' || *p == 'e' || *p == 'E'))
        return NULL;
    if (p - s > 400)
        return NULL;    /* text_number refuses such a span */
    double v;
    if (m == 0)
        v = 0.0;
    else if (m > (UINT64_C(1) << 53) || exp10 < -22 || exp10 > 22)
        return NULL;
    else if (exp10 < 0)
        v = (double)m / exact_pow10[-exp10];
    else
        v = (double)m * exact_pow10[exp10];
    *out = neg ? -v : v;
    return p;
#else
    (void)s, (void)end, (void)out;
    return NULL;
#endif
}

int text_number(const char *s, size_t len, double *out)
{
    if (len == 0 || len > 400)
        return 0;
    double fast;
    if (text_decimal_fast(s, s + len, &fast) == s + len) {
        *out = fast;
        return 1;
    }
    if (number_span(s, len) != len)
        return 0;
    char buf[401];
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    double v = strtod(buf, NULL);
    if (!isfinite(v))
        return 0;
    *out = v;
    return 1;
}

int text_real(const char *s, size_t len, double *out)
{
    if (text_number(s, len, out))
        return 1;
    /* Not a finite decimal: ask strtod whether the whole span is some number at
     * all (nan, inf, infinity, 1e400, an overflowing hex float); if so, only a
     * non-finite one counts. A finite hex float stays "not a number". */
    char buf[128];
    if (len == 0 || len >= sizeof buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    double v = strtod(buf, &end);
    return end == buf + len && !isfinite(v) ? -1 : 0;
}

const char *text_g(char *buf, double v)
{
    int prec = 1;
    for (; prec <= 17; prec++) {
        snprintf(buf, TEXT_G_MAX, "%.*g", prec, v);
        if (strtod(buf, NULL) == v || v != v)
            break;
    }
    if (prec > 17 || !strchr(buf, 'e'))
        return buf;   /* (%.17g always reads back) */
    /* -60, not -6e+01: the plain form where it is at most one character longer */
    char plain[TEXT_G_MAX];
    for (int p = prec + 1; p <= 17; p++) {
        snprintf(plain, sizeof plain, "%.*g", p, v);
        if (!strchr(plain, 'e') && strtod(plain, NULL) == v) {
            if (strlen(plain) <= strlen(buf) + 1)
                memcpy(buf, plain, strlen(plain) + 1);
            break;
        }
    }
    return buf;
}

double text_float_decimal(float f)
{
    if (!isfinite(f) || f == 0)
        return (double)f;
    /* two float steps either side: what float arithmetic on the setting adds */
    float lo = nextafterf(nextafterf(f, -INFINITY), -INFINITY);
    float hi = nextafterf(nextafterf(f, INFINITY), INFINITY);
    char buf[32];
    for (int prec = 1; prec <= 9; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, (double)f);
        float back = strtof(buf, NULL);
        if (back >= lo && back <= hi)
            return strtod(buf, NULL);
    }
    return (double)f;   /* not reached: %.9g reads back as f */
}

int text_int64(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    if (len == 0 || len > 30)
        return 0;
    if (s[0] == '+' || s[0] == '-')
        i++;
    if (i == len)
        return 0;
    for (size_t j = i; j < len; j++)
        if (!isdigit((unsigned char)s[j]))
            return 0;
    char buf[32];
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    long long v = strtoll(buf, NULL, 10);
    if (errno == ERANGE)
        return 0;
    *out = (int64_t)v;
    return 1;
}

int text_long(const char *s, size_t len, long *out)
{
    int64_t v;
    if (!text_int64(s, len, &v) || v < LONG_MIN || v > LONG_MAX)
        return 0;
    *out = (long)v;
    return 1;
}

int text_ieq(const char *a, const char *b, size_t len)
{
    if (strlen(b) != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return 0;
    return 1;
}

int text_bool(const char *s, size_t len, int *out)
{
    static const char *yes[] = { "1", "true", "yes", "on" };
    static const char *no[] = { "0", "false", "no", "off" };
    for (int i = 0; i < 4; i++) {
        if (text_ieq(s, yes[i], len)) {
            *out = 1;
            return 1;
        }
        if (text_ieq(s, no[i], len)) {
            *out = 0;
            return 1;
        }
    }
    return 0;
}

size_t text_trim(const char *s, size_t len, size_t *start)
{
    size_t a = 0, b = len;
    while (a < b && isspace((unsigned char)s[a]))
        a++;
    while (b > a && isspace((unsigned char)s[b - 1]))
        b--;
    if (start)
        *start = a;
    return b - a;
}

/* ---- spec scanner ---------------------------------------------------------- */

static int spec_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *spec_skip_blanks(const char *p)
{
    while (spec_blank(*p))
        p++;
    return p;
}

static int spec_word_byte(const text_spec *s, char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || (c != '\0' && strchr(s->word_extra, c) != NULL);
}

static int spec_col(const text_spec *s, const char *at)
{
    return (int)(at - s->src) + 1;
}

/* A word at s->p (blanks skipped first) into *w; s->p moves past it. */
static void spec_word(text_spec *s, text_word *w)
{
    const char *start = spec_skip_blanks(s->p);
    const char *p = start;
    while (spec_word_byte(s, *p))
        p++;
    w->s = start;
    w->len = (size_t)(p - start);
    w->col = spec_col(s, start);
    s->p = p;
}

/* s[0..len) trimmed as by text_trim, as a word of the spec. */
static text_word spec_trimmed(const text_spec *s, const char *at, size_t len)
{
    size_t start;
    text_word w;
    w.len = text_trim(at, len, &start);
    w.s = at + start;
    w.col = spec_col(s, w.s);
    return w;
}

void text_spec_begin(text_spec *s, const char *src, const char *word_extra)
{
    s->src = src;
    s->p = src;
    s->word_extra = word_extra ? word_extra : "";
    s->due = 0;
    spec_word(s, &s->name);
}

int text_spec_open(text_spec *s, const char *name, diag *err)
{
    const char *p = spec_skip_blanks(s->p);
    if (*p == ':') {
        s->p = p + 1;
        s->due = 1;
        return 1;
    }
    s->p = p;
    if (*p != '\0')
        return diag_set(err, 0, spec_col(s, p), "expected ':' after '%s'", name);
    return 1;
}

int text_spec_key(text_spec *s, text_word *key)
{
    if (!s->due)
        return 0;
    s->due = 0;
    spec_word(s, key);
    return 1;
}

int text_spec_value(text_spec *s, const char *key, text_word *val, diag *err)
{
    const char *p = spec_skip_blanks(s->p);
    if (*p != '=')
        return diag_set(err, 0, spec_col(s, p), "expected '=' after '%s'", key);
    const char *raw = p + 1;
    const char *end = strchr(raw, ',');
    if (!end)
        end = raw + strlen(raw);
    *val = spec_trimmed(s, raw, (size_t)(end - raw));
    s->due = *end == ',';
    s->p = s->due ? end + 1 : end;
    return 1;
}

void text_spec_items(text_spec *s, const char *src, size_t at)
{
    s->src = src;
    s->p = src + at;
    s->word_extra = "";
    s->due = 1;
    s->name.s = NULL;
    s->name.len = 0;
    s->name.col = 0;
}

int text_spec_item(text_spec *s, text_word *item, text_word *key, text_word *val)
{
    if (!s->due)
        return 0;
    const char *end = strchr(s->p, ',');
    if (!end)
        end = s->p + strlen(s->p);
    *item = spec_trimmed(s, s->p, (size_t)(end - s->p));
    const char *eq = memchr(item->s, '=', item->len);
    if (eq) {
        *key = spec_trimmed(s, item->s, (size_t)(eq - item->s));
        *val = spec_trimmed(s, eq + 1, (size_t)(item->s + item->len - (eq + 1)));
    } else {
        key->s = val->s = NULL;
        key->len = val->len = 0;
        key->col = val->col = item->col;
    }
    s->due = *end == ',';
    s->p = s->due ? end + 1 : end;
    return 1;
}
