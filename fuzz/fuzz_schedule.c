/*
 * fuzz_schedule.c — schedule_parse (the --schedule value and the scene key
 * `schedule`) on arbitrary text. A spec that parses formats to a spec that parses
 * back to the same text, and its rates are finite and ≥ 0 (schedule.h's promise).
 */
#include <math.h>

#include "core/schedule.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *spec = fuzz_cstr(data, size);
    schedule_desc d = { 0 };
    diag err = { 0 };
    if (!schedule_parse(spec, &d, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
    } else {
        char a[1024], b[1024];
        int na = schedule_format(&d, a, sizeof a);
        FUZZ_CHECK(na > 0 && na < (int)sizeof a);
        schedule_desc e = { 0 };
        diag err2 = { 0 };
        if (!schedule_parse(a, &e, &err2)) {
            fprintf(stderr, "'%s' formats as '%s', which does not parse: %d: %s\n", spec, a,
                    err2.column, err2.msg);
            FUZZ_CHECK(!"round trip");
        }
        int nb = schedule_format(&e, b, sizeof b);
        FUZZ_CHECK(nb == na);
        if (strcmp(a, b) != 0) {
            fprintf(stderr, "'%s' → '%s' → '%s'\n", spec, a, b);
            FUZZ_CHECK(!"round trip");
        }
        static const long ks[] = { 0, 1, 2, 7, 99, 100, 1000, 123456, 1L << 40, 0x7fffffffffffffffL };
        static const double lrs[] = { 1e-3, 1, 1e300 };
        for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++)
            for (size_t j = 0; j < sizeof lrs / sizeof lrs[0]; j++) {
                double r = schedule_rate(&d, lrs[j], ks[i]);
                if (!(isfinite(r) && r >= 0)) {
                    fprintf(stderr, "'%s': rate(%g, %ld) = %g\n", a, lrs[j], ks[i], r);
                    FUZZ_CHECK(!"finite rate");
                }
            }
    }
    free(spec);
    return 0;
}
