/*
 * textparse.c — strict number and word scanning. See textparse.h.
 */
#include "core/textparse.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
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

int text_number(const char *s, size_t len, double *out)
{
    if (len == 0 || len > 400 || number_span(s, len) != len)
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

int text_long(const char *s, size_t len, long *out)
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
    long v = strtol(buf, NULL, 10);
    if (errno == ERANGE)
        return 0;
    *out = v;
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
