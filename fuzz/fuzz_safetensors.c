/*
 * fuzz_safetensors.c — the safetensors parser (st_parse) on arbitrary bytes. A file
 * that parses has every tensor's bytes inside the data section, exactly its
 * shape's worth, and every element readable.
 */
#include "core/safetensors.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    st_file f;
    diag err = { 0 };
    if (!st_parse(data, size, &f, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
        return 0;
    }
    double sum = 0;
    for (int i = 0; i < f.count; i++) {
        const st_tensor *t = &f.tensors[i];
        FUZZ_CHECK(t->begin <= t->end && t->end <= f.data_size);
        FUZZ_CHECK(st_find(&f, t->name) == t);
        for (size_t k = 0; k < t->count && k < 4096; k++)
            sum += st_get(&f, t, k);
    }
    (void)sum;
    st_free(&f);
    return 0;
}
