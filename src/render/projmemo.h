/*
 * projmemo.h — a trail's projected points kept from one frame to the next: a point's
 * pixel position is a function of its three inputs (plane coordinates and loss) and
 * of the view (camera, panel, the surface as drawn: the key), so while the key holds
 * a point whose inputs are bit for bit those of the last frame at its index is
 * taken from here, not projected again. At 10^6 steps/s moons-mlp-bn's five trails
 * hold ~20,000 points and gain a few dozen a frame: each frame projected all of them
 * (~40 ns each on the drawing thread). Plain C (no GL); the caller owns the key's
 * meaning.
 *
 *     projmemo_begin(m, key, len, n)    a frame of n points under key (another key
 *                                       than the last: everything forgotten)
 *     projmemo_get(m, j, in, out, &ok)  1: point j's output for these inputs is kept
 *     projmemo_put(m, j, in, out, ok)   keep point j's output
 *     projmemo_free(m)
 *
 * Points are matched by index and inputs, so a history that drops points from its
 * middle (compaction) or restarts needs no notice: the points that moved are
 * projected again. Outputs are bit for bit what the projection gave.
 */
#ifndef LOSSCAPE_RENDER_PROJMEMO_H
#define LOSSCAPE_RENDER_PROJMEMO_H

#include <stddef.h>
#include <string.h>

#define PROJMEMO_KEY_MAX 128

typedef struct projmemo {
    unsigned char key[PROJMEMO_KEY_MAX];
    size_t key_len;         /* 0: no key yet */
    double *in;             /* 3 × cap: the inputs each output is of */
    float *out;             /* 3 × cap */
    unsigned char *state;   /* cap: 0 empty, 1 kept (projected), 2 kept (not projectable) */
    int cap;
    long hits, misses;      /* tests */
} projmemo;

/* Ready for a frame of n points under key (len ≤ PROJMEMO_KEY_MAX bytes; pad a
 * struct key with zeros). 0: out of memory (m then keeps nothing: every get
 * misses, puts are ignored). */
int projmemo_begin(projmemo *m, const void *key, size_t len, int n);

/* 1 if point j was kept with exactly these inputs (out: its output, *ok: whether it
 * was projectable); 0 otherwise. */
static inline int projmemo_get(projmemo *m, int j, const double in[3], float out[3], int *ok)
{
    if (j < 0 || j >= m->cap || !m->state[j] || memcmp(m->in + 3 * (size_t)j, in, 3 * sizeof *in) != 0) {
        m->misses++;
        return 0;
    }
    memcpy(out, m->out + 3 * (size_t)j, 3 * sizeof *out);
    *ok = m->state[j] == 1;
    m->hits++;
    return 1;
}

static inline void projmemo_put(projmemo *m, int j, const double in[3], const float out[3], int ok)
{
    if (j < 0 || j >= m->cap)
        return;
    memcpy(m->in + 3 * (size_t)j, in, 3 * sizeof *in);
    memcpy(m->out + 3 * (size_t)j, out, 3 * sizeof *out);
    m->state[j] = ok ? 1 : 2;
}

void projmemo_free(projmemo *m);

#endif
