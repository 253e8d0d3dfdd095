/*
 * fuzz_optim.c — optim_desc_parse (the --opt value and the scene key `opt`) on
 * arbitrary text. A spec that parses gives a valid desc; optim_desc_format's spec
 * parses back to a desc that formats to the same text. An optimizer made from it
 * takes a few steps on a quadratic without crashing.
 */
#include "core/optim.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *spec = fuzz_cstr(data, size);
    optim_desc d = { 0 };
    diag err = { 0 };
    if (!optim_desc_parse(spec, &d, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
    } else {
        FUZZ_CHECK(optim_desc_validate(&d, NULL));
        char a[1024], b[1024];
        int na = optim_desc_format(&d, a, sizeof a);
        FUZZ_CHECK(na > 0 && na < (int)sizeof a);
        optim_desc e = { 0 };
        diag err2 = { 0 };
        if (!optim_desc_parse(a, &e, &err2)) {
            fprintf(stderr, "'%s' formats as '%s', which does not parse: %d: %s\n", spec, a,
                    err2.column, err2.msg);
            FUZZ_CHECK(!"round trip");
        }
        int nb = optim_desc_format(&e, b, sizeof b);
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
