/*
 * fuzz.h — shared helpers of the fuzz targets (fuzz/fuzz_*.c).
 *
 * Every target defines LLVMFuzzerTestOneInput. Built with -fsanitize=fuzzer it
 * is a libFuzzer binary (scripts/fuzz.sh); built without, it links replay.c,
 * whose main feeds it files, and ctest replays the seed corpus and every
 * regression input under tests/regressions/<target>/ through it.
 *
 * FUZZ_CHECK(cond): an oracle the parser must satisfy (round trips); on failure
 * it prints the condition and aborts, which libFuzzer reports as a crash.
 */
#ifndef LOSSCAPE_FUZZ_H
#define LOSSCAPE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                  \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: fuzz oracle failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

/* The input as a NUL-terminated string (it may hold NUL bytes of its own, which
 * end the C string early: parsers taking C strings see only the part before).
 * The caller frees it. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
