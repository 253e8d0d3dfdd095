/*
 * testutil.h — helpers shared by the cmocka tests.
 *
 * cmocka's own asserts compare integers and strings; floating-point checks go
 * through expect_near with the tolerance written at the call site.
 */
#ifndef LOSSCAPE_TESTUTIL_H
#define LOSSCAPE_TESTUTIL_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

/* |a − b| ≤ tol, reported with both values and the tolerance. */
#define expect_near(a, b, tol) expect_near_at((a), (b), (tol), #a, __FILE__, __LINE__)

static inline void expect_near_at(double a, double b, double tol, const char *what,
                                  const char *file, int line)
{
    if (!(fabs(a - b) <= tol)) {
        fprintf(stderr, "%s:%d: %s = %.17g, expected %.17g (tol %g)\n", file, line, what, a,
                b, tol);
        _fail(file, line);
    }
}

/* |a − b| ≤ rel · max(1, |b|): relative tolerance that degrades to absolute near 0. */
#define expect_close(a, b, rel) \
    expect_near_at((a), (b), (rel) * fmax(1.0, fabs(b)), #a, __FILE__, __LINE__)

#endif
