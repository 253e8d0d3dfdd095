/*
 * safetensors.c — safetensors read and write. See safetensors.h.
 *
 * The JSON header is parsed by a small recursive-descent reader that accepts
 * exactly what the format allows: a top-level object whose values are tensor
 * objects (keys dtype, shape, data_offsets) or, for "__metadata__", an object of
 * strings. Anything else is an error naming what was expected and where (byte
 * offset in the header).
 */
#include "core/safetensors.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/outfile.h"

/* ---- JSON reader ------------------------------------------------------------ */

typedef struct jr {
    const char *s;
    size_t n, i;
    diag *err;
    int failed;
} jr;

static int jfail(jr *j, const char *what)
{
    if (!j->failed)
        diag_set(j->err, 0, 0, "header: byte %zu: %s", j->i + 8, what);
    j->failed = 1;
    return 0;
}

static void jws(jr *j)
{
    while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' ||
                           j->s[j->i] == '\r'))
        j->i++;
}

static int jeat(jr *j, char c)
{
    jws(j);
    if (j->i < j->n && j->s[j->i] == c) {
        j->i++;
        return 1;
    }
    return 0;
}

/* A string into out[size] (escapes decoded; \u only for ASCII). */
static int jstring(jr *j, char *out, size_t size)
{
    jws(j);
    if (j->i >= j->n || j->s[j->i] != '"')
        return jfail(j, "expected a string");
    j->i++;
    size_t k = 0;
    while (j->i < j->n && j->s[j->i] != '"') {
        unsigned char c = (unsigned char)j->s[j->i++];
        if (c < 0x20)
            return jfail(j, "control character in a string");
        if (c == '\\') {
            if (j->i >= j->n)
                break;
            char e = j->s[j->i++];
            switch (e) {
            case '"': case '\\': case '/': c = (unsigned char)e; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u': {
                unsigned v = 0;
                for (int q = 0; q < 4; q++) {
                    if (j->i >= j->n)
                        return jfail(j, "unfinished \\u escape");
                    char h = j->s[j->i++];
                    int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                          : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                    if (d < 0)
                        return jfail(j, "bad \\u escape");
                    v = v * 16 + (unsigned)d;
                }
                c = v < 0x80 && v > 0 ? (unsigned char)v : '?';
                break;
            }
            default:
                return jfail(j, "bad escape in a string");
            }
        }
        if (k + 1 >= size)
            return jfail(j, "string too long");
        out[k++] = (char)c;
    }
    if (j->i >= j->n)
        return jfail(j, "unterminated string");
    j->i++;
    out[k] = '\0';
    return 1;
}

/* A non-negative integer below 2^53. */
static int juint(jr *j, uint64_t *v)
{
    jws(j);
    size_t start = j->i;
    uint64_t x = 0;
    while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9') {
        x = x * 10 + (uint64_t)(j->s[j->i] - '0');
        if (x > (1ull << 53))
            return jfail(j, "number too large");
        j->i++;
    }
    if (j->i == start)
        return jfail(j, "expected a non-negative whole number");
    if (j->i < j->n && (j->s[j->i] == '.' || j->s[j->i] == 'e' || j->s[j->i] == 'E'))
        return jfail(j, "expected a whole number");
    *v = x;
    return 1;
}

/* [a, b, ...] of non-negative integers, at most max of them. */
static int juint_array(jr *j, uint64_t *out, int max, int *count)
{
    if (!jeat(j, '['))
        return jfail(j, "expected '['");
    *count = 0;
    if (jeat(j, ']'))
        return 1;
    do {
        if (*count >= max)
            return jfail(j, "too many numbers in an array");
        if (!juint(j, &out[(*count)++]))
            return 0;
    } while (jeat(j, ','));
    if (!jeat(j, ']'))
        return jfail(j, "expected ',' or ']'");
    return 1;
}

static int parse_tensor(jr *j, st_tensor *t)
{
    int have_dtype = 0, have_shape = 0, have_off = 0;
    if (!jeat(j, '{'))
        return jfail(j, "expected '{' (a tensor's description)");
    if (!jeat(j, '}')) {
        do {
            char key[32];
            if (!jstring(j, key, sizeof key))
                return 0;
            if (!jeat(j, ':'))
                return jfail(j, "expected ':'");
            if (!strcmp(key, "dtype")) {
                char dt[16];
                if (!jstring(j, dt, sizeof dt))
                    return 0;
                if (!strcmp(dt, "F64"))
                    t->dtype = ST_F64;
                else if (!strcmp(dt, "F32"))
                    t->dtype = ST_F32;
                else if (!strcmp(dt, "I64"))
                    t->dtype = ST_I64;
                else {
                    diag_set(j->err, 0, 0, "tensor '%s': dtype %s is not supported (F64, F32, I64)",
                             t->name, dt);
                    j->failed = 1;
                    return 0;
                }
                have_dtype = 1;
            } else if (!strcmp(key, "shape")) {
                uint64_t dims[ST_MAX_DIMS];
                if (!juint_array(j, dims, ST_MAX_DIMS, &t->ndim))
                    return 0;
                for (int d = 0; d < t->ndim; d++)
                    t->shape[d] = (int64_t)dims[d];
                have_shape = 1;
            } else if (!strcmp(key, "data_offsets")) {
                uint64_t off[2];
                int c;
                if (!juint_array(j, off, 2, &c))
                    return 0;
                if (c != 2)
                    return jfail(j, "data_offsets needs two numbers");
                t->begin = (size_t)off[0];
                t->end = (size_t)off[1];
                have_off = 1;
            } else {
                return jfail(j, "unknown key in a tensor's description (dtype, shape, data_offsets)");
            }
        } while (jeat(j, ','));
        if (!jeat(j, '}'))
            return jfail(j, "expected ',' or '}'");
    }
    if (!have_dtype || !have_shape || !have_off) {
        diag_set(j->err, 0, 0, "tensor '%s': missing %s", t->name,
                 !have_dtype ? "dtype" : !have_shape ? "shape" : "data_offsets");
        j->failed = 1;
        return 0;
    }
    return 1;
}

static int skip_metadata(jr *j)
{
    char buf[1024];
    if (!jeat(j, '{'))
        return jfail(j, "expected '{' after \"__metadata__\"");
    if (jeat(j, '}'))
        return 1;
    do {
        if (!jstring(j, buf, sizeof buf) || !jeat(j, ':') || !jstring(j, buf, sizeof buf))
            return jfail(j, "__metadata__ holds strings only");
    } while (jeat(j, ','));
    if (!jeat(j, '}'))
        return jfail(j, "expected ',' or '}'");
    return 1;
}

/* ---- parse ---------------------------------------------------------------- */

static size_t dtype_size(st_dtype d) { return d == ST_F32 ? 4 : 8; }

int st_parse(const unsigned char *buf, size_t size, st_file *f, diag *err)
{
    memset(f, 0, sizeof *f);
    if (size < 8)
        return diag_set(err, 0, 0, "shorter than the 8-byte header length");
    uint64_t hlen = 0;
    for (int b = 7; b >= 0; b--)
        hlen = hlen << 8 | buf[b];
    if (hlen < 2 || hlen > ST_MAX_HEADER)
        return diag_set(err, 0, 0, "header length %llu is not plausible (2 to %u bytes)",
                        (unsigned long long)hlen, ST_MAX_HEADER);
    if (hlen > size - 8)
        return diag_set(err, 0, 0, "header length %llu runs past the end of the file (%zu bytes)",
                        (unsigned long long)hlen, size);
    jr j = {(const char *)buf + 8, (size_t)hlen, 0, err, 0};
    int cap = 16;
    f->tensors = malloc((size_t)cap * sizeof *f->tensors);
    if (!f->tensors)
        return diag_set(err, 0, 0, "out of memory");
    f->data = buf + 8 + hlen;
    f->data_size = size - 8 - (size_t)hlen;
    if (!jeat(&j, '{')) {
        jfail(&j, "expected '{' (the header is a JSON object)");
        goto bad;
    }
    if (!jeat(&j, '}')) {
        do {
            char name[ST_MAX_NAME];
            if (!jstring(&j, name, sizeof name) || !jeat(&j, ':')) {
                jfail(&j, "expected ':'");
                goto bad;
            }
            if (!strcmp(name, "__metadata__")) {
                if (!skip_metadata(&j))
                    goto bad;
                continue;
            }
            if (f->count >= ST_MAX_TENSORS) {
                jfail(&j, "too many tensors");
                goto bad;
            }
            if (f->count == cap) {
                cap *= 2;
                st_tensor *nt = realloc(f->tensors, (size_t)cap * sizeof *nt);
                if (!nt) {
                    diag_set(err, 0, 0, "out of memory");
                    goto bad;
                }
                f->tensors = nt;
            }
            st_tensor *t = &f->tensors[f->count];
            memset(t, 0, sizeof *t);
            memcpy(t->name, name, sizeof name);
            if (st_find(f, name)) {
                diag_set(err, 0, 0, "tensor '%s' appears twice", name);
                goto bad;
            }
            if (!parse_tensor(&j, t))
                goto bad;
            /* count = Π shape, without overflow */
            size_t count = 1;
            for (int d = 0; d < t->ndim; d++) {
                if (t->shape[d] != 0 && count > ((size_t)1 << 40) / (size_t)t->shape[d]) {
                    diag_set(err, 0, 0, "tensor '%s': shape too large", name);
                    goto bad;
                }
                count *= (size_t)t->shape[d];
            }
            t->count = count;
            if (t->begin > t->end || t->end > f->data_size) {
                diag_set(err, 0, 0, "tensor '%s': data_offsets [%zu, %zu] run past the data (%zu bytes)",
                         name, t->begin, t->end, f->data_size);
                goto bad;
            }
            if (t->end - t->begin != count * dtype_size(t->dtype)) {
                diag_set(err, 0, 0, "tensor '%s': %zu bytes of data for %zu elements of %zu bytes",
                         name, t->end - t->begin, count, dtype_size(t->dtype));
                goto bad;
            }
            f->count++;
        } while (jeat(&j, ','));
        if (!jeat(&j, '}')) {
            jfail(&j, "expected ',' or '}'");
            goto bad;
        }
    }
    jws(&j);
    if (j.i != j.n) {
        jfail(&j, "text after the header's closing '}'");
        goto bad;
    }
    return 1;
bad:
    free(f->tensors);
    memset(f, 0, sizeof *f);
    return 0;
}

int st_load(const char *path, st_file *f, diag *err)
{
    memset(f, 0, sizeof *f);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return diag_set(err, 0, 0, "cannot open: %s", strerror(errno));
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            if (cap >= ((size_t)1 << 32)) {
                free(buf);
                fclose(fp);
                return diag_set(err, 0, 0, "larger than 4 GiB");
            }
            cap = cap ? cap * 2 : 65536;
            unsigned char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(fp);
                return diag_set(err, 0, 0, "out of memory");
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0)
            break;
    }
    int rerr = ferror(fp);
    fclose(fp);
    if (rerr) {
        free(buf);
        return diag_set(err, 0, 0, "read error");
    }
    if (!st_parse(buf, len, f, err)) {
        free(buf);
        return 0;
    }
    f->owned = buf;
    return 1;
}

const st_tensor *st_find(const st_file *f, const char *name)
{
    for (int i = 0; i < f->count; i++)
        if (!strcmp(f->tensors[i].name, name))
            return &f->tensors[i];
    return NULL;
}

double st_get(const st_file *f, const st_tensor *t, size_t i)
{
    const unsigned char *p = f->data + t->begin + i * dtype_size(t->dtype);
    if (t->dtype == ST_F32) {
        uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        float v;
        memcpy(&v, &u, 4);
        return (double)v;
    }
    uint64_t u = 0;
    for (int b = 7; b >= 0; b--)
        u = u << 8 | p[b];
    if (t->dtype == ST_I64)
        return (double)(int64_t)u;
    double v;
    memcpy(&v, &u, 8);
    return v;
}

void st_free(st_file *f)
{
    if (!f)
        return;
    free(f->tensors);
    free(f->owned);
    memset(f, 0, sizeof *f);
}

/* ---- write ---------------------------------------------------------------- */

static void put_u64(FILE *fp, uint64_t u)
{
    unsigned char b[8];
    for (int k = 0; k < 8; k++)
        b[k] = (unsigned char)(u >> (8 * k));
    fwrite(b, 1, 8, fp);
}

int st_save(const char *path, const st_out *ts, int count, diag *err)
{
    /* The header first, to know its length. */
    size_t cap = 256 + (size_t)count * (ST_MAX_NAME + 400), len = 0, off = 0;
    char *h = malloc(cap);
    if (!h)
        return diag_set(err, 0, 0, "out of memory");
    len += (size_t)snprintf(h + len, cap - len, "{\"__metadata__\":{\"format\":\"pt\"}");
    for (int i = 0; i < count; i++) {
        size_t n = 1;
        for (int d = 0; d < ts[i].ndim; d++)
            n *= (size_t)ts[i].shape[d];
        len += (size_t)snprintf(h + len, cap - len, ",\"%s\":{\"dtype\":\"%s\",\"shape\":[", ts[i].name,
                                ts[i].dtype == ST_I64 ? "I64" : "F64");
        for (int d = 0; d < ts[i].ndim; d++)
            len += (size_t)snprintf(h + len, cap - len, d ? ",%lld" : "%lld", (long long)ts[i].shape[d]);
        len += (size_t)snprintf(h + len, cap - len, "],\"data_offsets\":[%zu,%zu]}", off, off + 8 * n);
        off += 8 * n;
    }
    len += (size_t)snprintf(h + len, cap - len, "}");
    while (len % 8)             /* the format pads the header with spaces to 8 bytes */
        h[len++] = ' ';
    outfile of = {0};
    if (!outfile_open(&of, path)) {
        free(h);
        return diag_set(err, 0, 0, "%s", of.error);
    }
    put_u64(of.f, len);
    fwrite(h, 1, len, of.f);
    free(h);
    for (int i = 0; i < count; i++) {
        if (ts[i].dtype == ST_I64) {
            put_u64(of.f, (uint64_t)ts[i].i64);
            continue;
        }
        size_t n = 1;
        for (int d = 0; d < ts[i].ndim; d++)
            n *= (size_t)ts[i].shape[d];
        for (size_t k = 0; k < n; k++) {
            uint64_t u;
            memcpy(&u, &ts[i].f64[k], 8);
            put_u64(of.f, u);
        }
    }
    if (!outfile_commit(&of))
        return diag_set(err, 0, 0, "%s", of.error);
    return 1;
}
