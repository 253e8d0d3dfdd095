/*
 * projmemo.c — a trail's projected points kept between frames (projmemo.h).
 */
#include "render/projmemo.h"

#include <stdlib.h>

static void forget(projmemo *m)
{
    free(m->in);
    free(m->out);
    free(m->state);
    m->in = NULL;
    m->out = NULL;
    m->state = NULL;
    m->cap = 0;
    m->key_len = 0;
}

int projmemo_begin(projmemo *m, const void *key, size_t len, int n)
{
    if (len > PROJMEMO_KEY_MAX) {
        forget(m);
        return 0;
    }
    if (m->key_len != len || memcmp(m->key, key, len) != 0) {
        if (m->state)
            memset(m->state, 0, (size_t)m->cap);
        memcpy(m->key, key, len);
        m->key_len = len;
    }
    if (n > m->cap) {
        int cap = m->cap ? m->cap : 1024;
        while (cap < n)
            cap *= 2;
        double *in = realloc(m->in, (size_t)cap * 3 * sizeof *in);
        if (in)
            m->in = in;
        float *out = realloc(m->out, (size_t)cap * 3 * sizeof *out);
        if (out)
            m->out = out;
        unsigned char *st = realloc(m->state, (size_t)cap);
        if (st)
            m->state = st;
        if (!in || !out || !st) {
            forget(m);
            return 0;
        }
        memset(m->state + m->cap, 0, (size_t)(cap - m->cap));
        m->cap = cap;
    }
    return 1;
}

void projmemo_free(projmemo *m)
{
    forget(m);
    m->hits = m->misses = 0;
}
