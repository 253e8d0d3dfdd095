/*
 * fuzz_optim.c — run_spec_parse (the --opt value and the scene key `opt`: the
 * optimizer's keys through optim_desc_parse, and the run's batch, schedule, label) on
 * arbitrary text. A spec that parses gives a valid desc; run_spec_format's spec
 * parses back to a desc and settings that format to the same text. An optimizer made from it
 * takes a few steps on a quadratic without crashing.
 */
#include "core/optim.h"
#include "core/runspec.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *spec = fuzz_cstr(data, size);
    optim_desc d = { 0 };
    run_settings rs;
    diag err = { 0 };
    if (!run_spec_parse(spec, &d, &rs, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
    } else {
        FUZZ_CHECK(optim_desc_validate(&d, NULL));
        char a[1024], b[1024];
        int na = run_spec_format(&d, &rs, a, sizeof a);
        FUZZ_CHECK(na > 0 && na < (int)sizeof a);
        optim_desc e = { 0 };
        run_settings rs2;
        diag err2 = { 0 };
        if (!run_spec_parse(a, &e, &rs2, &err2)) {
            fprintf(stderr, "'%s' formats as '%s', which does not parse: %d: %s\n", spec, a,
                    err2.column, err2.msg);
            FUZZ_CHECK(!"round trip");
        }
        int nb = run_spec_format(&e, &rs2, b, sizeof b);
        FUZZ_CHECK(nb == na);
        if (strcmp(a, b) != 0) {
            fprintf(stderr, "'%s' → '%s' → '%s'\n", spec, a, b);
            FUZZ_CHECK(!"round trip");
        }
        optim *o = optim_create(&d, 2);
        FUZZ_CHECK(o != NULL);
        double th[2] = { 1.5, -2 }, g[2], sig[2];
        for (int k = 0; k < 4; k++) {
            g[0] = 2 * th[0];
            g[1] = 20 * th[1];
            optim_step(o, th, g, d.lr);
        }
        optim_sigma(o, sig);
        optim_destroy(o);
    }
    free(spec);
    return 0;
}
