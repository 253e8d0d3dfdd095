/*
 * fuzz_formula.c — formula_compile on arbitrary text; a formula that compiles is
 * evaluated (value, gradient, Hessian, and the value-only fast path) at a few
 * points, including non-finite ones, and must give back its source.
 */
#include <math.h>

#include "core/formula.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *src = fuzz_cstr(data, size);
    diag err = { 0 };
    formula *f = formula_compile(src, &err);
    if (!f) {
        /* A failure always says where and what. */
        FUZZ_CHECK(err.msg[0] != '\0');
        FUZZ_CHECK(err.column >= 1 && err.column <= FORMULA_MAX_LEN + 1);
    } else {
        FUZZ_CHECK(strcmp(formula_source(f), src) == 0);
        static const double pts[][2] = {
            { 0, 0 }, { 1, -2 }, { -1.5, 2 }, { 1e-300, -1e-300 }, { 1e300, 3 },
            { -0.0, 0.5 }, { INFINITY, 1 }, { NAN, 0 },
        };
        for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
            double g[2], h[4];
            double v = formula_eval(f, pts[i][0], pts[i][1], g, h);
            double w = formula_value(f, pts[i][0], pts[i][1]);
            double u = formula_eval(f, pts[i][0], pts[i][1], NULL, NULL);
            /* The three paths agree on whether the value is a number. */
            FUZZ_CHECK(isnan(v) == isnan(w) && isnan(v) == isnan(u));
        }
        formula_destroy(f);
    }
    free(src);
    return 0;
}
