/*
 * fuzz_figsize.c — figure_parse_size (--figure-size) on arbitrary text. A size
 * that parses is finite, each side within 1 in .. 20 in (72 .. 1440 pt) or a
 * height of 0 (automatic); one that does not says why.
 */
#include <math.h>

#include "fuzz.h"
#include "record/figure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    double w = -1, h = -1;
    char err[300] = "";
    if (figure_parse_size(text, &w, &h, err, sizeof err)) {
        FUZZ_CHECK(isfinite(w) && w >= 72 && w <= 1440);
        FUZZ_CHECK(h == 0 || (isfinite(h) && h >= 72 && h <= 1440));
    } else {
        FUZZ_CHECK(err[0] != '\0');
    }
    figure_format_of(text);
    free(text);
    return 0;
}
