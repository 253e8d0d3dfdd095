/*
 * par_rows.c — rows over OpenMP threads with a scratch buffer per thread. See par_rows.h.
 */
#include "core/par_rows.h"

#include <stdlib.h>

int par_rows(int r0, int r1, size_t ws_bytes, int parallel, const _Atomic int *cancel,
             par_row_fn fn, void *ctx)
{
    int ok = 1;
#ifdef _OPENMP
#pragma omp parallel if (parallel)
#endif
    {
        void *ws = malloc(ws_bytes ? ws_bytes : 1);
        if (!ws) {
#ifdef _OPENMP
#pragma omp atomic write
#endif
            ok = 0;
        }
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
        for (int r = r0; r < r1; r++) {
            if (!ws || (cancel && *cancel))
                continue;
            fn(ctx, ws, r);
        }
        free(ws);
    }
    return ok && !(cancel && *cancel);
}
