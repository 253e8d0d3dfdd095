/*
 * test_textparse.c — textparse's number scanning: text_decimal_fast (the strtod-free
 * fast path of text_number and of the CSV rows) gives bit for bit the double strtod
 * gives, on edge cases and on random decimals of every shape it takes, and declines
 * (NULL) whatever it does not take, so the caller's strtod way decides those;
 * text_number and text_real keep their answers.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "core/textparse.h"

static uint64_t bits(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

/* s (NUL-terminated): when the fast path takes it whole, its value must be strtod's
 * bit for bit; returns 1 when it took it. */
static int check_one(const char *s)
{
    size_t len = strlen(s);
    double fast = 12345.0;
    const char *end = text_decimal_fast(s, s + len, &fast);
    if (end != s + len)
        return 0;
    char *e;
    double ref = strtod(s, &e);
    if (e != s + len || bits(fast) != bits(ref))
        fail_msg("'%s': fast %.17g (%016llx), strtod %.17g (%016llx)", s, fast,
                 (unsigned long long)bits(fast), ref, (unsigned long long)bits(ref));
    /* text_number agrees, both ways */
    double tn;
    assert_int_equal(text_number(s, len, &tn), 1);
    assert_true(bits(tn) == bits(ref));
    return 1;
}

static void test_fast_edge_cases(void **state)
{
    (void)state;
    static const char *taken[] = {
        "0", "-0", "+0", "0.0", "-0.000000", ".5", "-.5", "5.", "+5.", "1", "-1",
        "0.1", "0.2", "0.3", "1.5", "-1.234567", "123456789", "9007199254740992",
        "9007199254740991", "1e22", "1e-22", "9e22", "1.5e3", "1E+3", "2e-5", "-0e999",
        "0e-999", "00000000000000000000000001.5", "4.9e-3", "3.14159265358979",
        "-2.718281828459045", "123.456e1", "1e0", "1e00", "1e001", "0.5e-21",
        "900719925474099.2", "-0.000001", "1000000000000000",
    };
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++)
        if (!check_one(taken[i]))
            fail_msg("'%s' should take the fast path", taken[i]);
    /* either way, but if taken then exact: past 2^53 or 10^±22, many digits */
    static const char *either[] = {
        "1.7976931348623157", "2.2250738585072014", "0.9007199254740993",
        "1234567890123456789e-22", "0.00000000000000000000001", "9007199254740993e-5",
        "0.000000000000000000000000000000000001e-0", "1e-23", "123456789012345678", "1000000000000000000000",
    };
    for (size_t i = 0; i < sizeof either / sizeof either[0]; i++)
        check_one(either[i]);
    /* -0 keeps its sign */
    double v;
    assert_non_null(text_decimal_fast("-0.0", "-0.0" + 4, &v));
    assert_true(signbit(v));
    /* declined: the caller's strtod way decides (and refuses what it refuses) */
    static const char *declined[] = {
        "", "+", "-", ".", "e5", "1e", "1e+", "1e1000", "1e-23", "1e23", "9007199254740993",
        "12345678901234567890", "1.2.3", "0x10", "inf", "-inf", "nan", "NaN", "infinity",
        "1,5", " 1", "1 ", "+-1", "1e5.5", "1ee5", "1.5e3e2", "1234e-30",
    };
    for (size_t i = 0; i < sizeof declined / sizeof declined[0]; i++) {
        const char *s = declined[i];
        const char *end = text_decimal_fast(s, s + strlen(s), &v);
        if (end == s + strlen(s))
            fail_msg("'%s' should not be taken whole", s);
    }
    /* a number ends at a separator, which is left for the caller */
    const char *row = "1.25,-3\n";
    const char *e = text_decimal_fast(row, row + strlen(row), &v);
    assert_ptr_equal(e, row + 4);
    assert_true(v == 1.25);
    e = text_decimal_fast(row + 5, row + strlen(row), &v);
    assert_ptr_equal(e, row + 7);
    assert_true(v == -3.0);
    /* never reads past end: "12" of "123" */
    e = text_decimal_fast("123", "123" + 2, &v);
    assert_ptr_equal(e, "123" + 2);
    assert_true(v == 12.0);
    /* text_number refuses spans over 400 bytes, so the fast path does too */
    char longz[420];
    memset(longz, '0', sizeof longz);
    longz[sizeof longz - 2] = '1';
    longz[sizeof longz - 1] = '\0';
    assert_null(text_decimal_fast(longz, longz + strlen(longz), &v));
    assert_int_equal(text_number(longz, strlen(longz), &v), 0);
    /* text_real's other answers are unchanged */
    assert_int_equal(text_real("nan", 3, &v), -1);
    assert_int_equal(text_real("1e400", 5, &v), -1);
    assert_int_equal(text_real("0x10", 4, &v), 0);
    assert_int_equal(text_real("1e-400", 6, &v), 1);
    assert_true(v == 0.0);
}

static rng gen;   /* seeded by the test that draws from it */

/* Random decimals of the shapes the fast path takes (and some it declines): up to 20
 * digits before and after the point, leading and trailing zeros, signs, exponents of
 * 1 to 3 digits; and %.*f / %.*g / %.17g prints of random doubles. */
static void test_fast_random_vs_strtod(void **state)
{
    rng_seed(&gen, 0x9E3779B97F4A7C15ull);
    (void)state;
    char s[128];
    long taken = 0, total = 0;
    for (int it = 0; it < 2000000; it++) {
        uint64_t r = rng_next(&gen);
        int kind = (int)(r % 4);
        size_t n = 0;
        if (kind == 0) {
            /* digit strings */
            uint64_t q = rng_next(&gen);
            if (q & 1)
                s[n++] = (q & 2) ? '-' : '+';
            int before = (int)((q >> 2) % 21), after = (int)((q >> 7) % 21);
            int lead0 = (int)((q >> 12) % 4);
            for (int i = 0; i < lead0; i++)
                s[n++] = '0';
            for (int i = 0; i < before; i++)
                s[n++] = (char)('0' + rng_next(&gen) % 10);
            if ((q >> 17) & 1 || before + lead0 == 0) {
                s[n++] = '.';
                for (int i = 0; i < after; i++)
                    s[n++] = (char)('0' + ((q >> 20) & 1 ? 0 : rng_next(&gen) % 10));
                if (after == 0 && before + lead0 == 0)
                    s[n++] = '7';
            }
            if ((q >> 22) % 3 == 0) {
                s[n++] = (q >> 24) & 1 ? 'e' : 'E';
                if ((q >> 25) & 1)
                    s[n++] = (q >> 26) & 1 ? '-' : '+';
                int ed = 1 + (int)((q >> 27) % 3);
                for (int i = 0; i < ed; i++)
                    s[n++] = (char)('0' + rng_next(&gen) % (i == 0 ? 3 : 10));
            }
            s[n] = '\0';
        } else {
            double mag = ldexp((double)(rng_next(&gen) >> 11), -53) * pow(10.0, (double)(rng_next(&gen) % 30) - 15);
            if (rng_next(&gen) & 1)
                mag = -mag;
            if (kind == 1)
                snprintf(s, sizeof s, "%.*f", (int)(rng_next(&gen) % 18), mag);
            else if (kind == 2)
                snprintf(s, sizeof s, "%.*g", 1 + (int)(rng_next(&gen) % 17), mag);
            else
                snprintf(s, sizeof s, "%.17g", mag);
        }
        total++;
        taken += check_one(s);
    }
    /* the fast path must carry the common cases, or it is no fast path */
    printf("fast path took %ld of %ld random decimals\n", taken, total);
    assert_true(taken > total / 2);
    /* the CSV benchmark's numbers (%.6f of values near ±1) all go the fast way */
    for (int it = 0; it < 200000; it++) {
        double v = ldexp((double)(rng_next(&gen) >> 11), -53) * 8.0 - 4.0;
        snprintf(s, sizeof s, "%.6f", v);
        assert_int_equal(check_one(s), 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_edge_cases),
        cmocka_unit_test(test_fast_random_vs_strtod),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
