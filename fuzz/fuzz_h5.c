/*
 * fuzz_h5.c — our loss-landscape HDF5 loader (app/h5io.c: h5io_load_surface for
 * --landscape, h5io_load_trajectory for --trajectory) on files whose *structure*
 * is fuzzed, not their bytes.
 *
 * Fuzzing libhdf5's own on-disk parser finds crashes in the library, which we can
 * neither fix nor work around; what we own is the validation of what the library
 * hands us. So the input bytes are read as a recipe — up to six objects, each with
 * a name (the datasets the loader looks for, or arbitrary bytes, '/' included), a
 * rank (0 = scalar .. 3), dimensions, a type (f64 little/big endian, f32, i32, u8,
 * a fixed string), values (raw bytes: NaN, ±Inf, anything; or a ramp), or a group
 * in a dataset's place, or a large chunked dataset never written (fill values) — and
 * the library writes that as a valid HDF5 file, which the loader then opens with a
 * fuzzed --landscape-key.
 *
 * Oracles:
 *   - it loads, or it fails with one line (non-empty, no newline) and no surface;
 *   - a loaded surface is exactly the numbers written: the x and y coordinates and
 *     the values, transposed when the dataset was x-major (plot_surface.py's layout);
 *   - a file that is clean by the loader's documented rules (numeric datasets,
 *     xcoordinates rank 1 with ≥ 2 values, the key rank 2 of shape len(y) × len(x)
 *     or len(x) × len(y) with ycoordinates rank 1, or rank 1 of len(x); coordinates
 *     finite and strictly increasing; values finite) must load;
 *   - the loader leaves no HDF5 object open (a leaked file handle would keep the
 *     file locked for the next run);
 *   - the same for the trajectory loader (proj_xcoord, proj_ycoord).
 */
#include <math.h>
#include <unistd.h>

#include "app/h5io.h"
#include "fuzz.h"

#ifndef LOSSCAPE_HAVE_HDF5
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)data, (void)size;   /* a build without libhdf5: nothing to fuzz */
    return 0;
}
#else
#include <hdf5.h>

enum { MAX_OBJ = 6, MAX_DIM = 9, NAME_MAX_LEN = 24 };

typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

static unsigned u8(reader *r)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++;
}

static double f64(reader *r)
{
    uint8_t b[8] = { 0 };
    for (int k = 0; k < 8; k++)
        b[k] = (uint8_t)u8(r);
    double v;
    memcpy(&v, b, sizeof v);
    return v;
}

typedef struct object {
    char name[NAME_MAX_LEN + 1];
    int created;          /* the library made it (a duplicate name or a bad path fails) */
    int group;            /* a group where a dataset would be */
    int sparse;           /* chunked, never written: every value the fill value 0 */
    int string;           /* fixed-length strings: not numeric */
    int rank;
    hsize_t dims[3];
    size_t count;
    double *v;            /* the values as the loader must read them (NULL: a group, strings,
                           * more than 2^20 values) */
} object;

static const char *known[] = { "xcoordinates", "ycoordinates", "train_loss",
                               "test_loss",    "proj_xcoord",  "proj_ycoord" };

static void read_name(reader *r, char *name)
{
    unsigned sel = u8(r);
    if (sel % 8 < 6) {
        snprintf(name, NAME_MAX_LEN + 1, "%s", known[sel % 8]);
        return;
    }
    unsigned len = 1 + u8(r) % NAME_MAX_LEN;
    for (unsigned k = 0; k < len; k++) {
        unsigned c = u8(r);
        name[k] = (char)(c ? c : 'a');
    }
    name[len] = '\0';
}

/* The object as the library stores it; o->created says whether it exists. */
static void make_object(hid_t f, reader *r, object *o)
{
    read_name(r, o->name);
    unsigned kind = u8(r);
    o->rank = (int)(kind & 3);
    unsigned type = (kind >> 2) & 7;
    o->group = (kind >> 5) == 7;
    o->sparse = (kind >> 5) == 6;
    int ramp = (kind >> 5) & 1;
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, (u8(r) & 1) != 0);
    if (o->group) {
        hid_t g = H5Gcreate2(f, o->name, lcpl, H5P_DEFAULT, H5P_DEFAULT);
        o->created = g >= 0;
        if (g >= 0)
            H5Gclose(g);
        H5Pclose(lcpl);
        return;
    }
    o->count = 1;
    for (int d = 0; d < o->rank; d++) {
        /* sparse: up to 65535 per side, so the loader's size limit (2^28 values) is
         * reached without writing anything; otherwise 0..9 */
        if (o->sparse) {
            unsigned lo = u8(r), hi = u8(r);
            o->dims[d] = (hsize_t)(lo | hi << 8);
        } else {
            o->dims[d] = u8(r) % (MAX_DIM + 1);
        }
        o->count *= (size_t)o->dims[d];
    }
    hid_t sp = o->rank ? H5Screate_simple(o->rank, o->dims, NULL) : H5Screate(H5S_SCALAR);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t ft;
    o->string = type == 5;
    switch (type) {
    case 0: case 6: case 7: ft = H5Tcopy(H5T_IEEE_F64LE); break;
    case 1: ft = H5Tcopy(H5T_IEEE_F64BE); break;
    case 2: ft = H5Tcopy(H5T_IEEE_F32LE); break;
    case 3: ft = H5Tcopy(H5T_STD_I32LE); break;
    case 4: ft = H5Tcopy(H5T_STD_U8LE); break;
    default: ft = H5Tcopy(H5T_C_S1); H5Tset_size(ft, 4); break;
    }
    if (o->sparse && o->rank) {
        hsize_t chunk[3] = { 1, 1, 1 };
        for (int d = 0; d < o->rank; d++)
            chunk[d] = o->dims[d] ? (o->dims[d] < 64 ? o->dims[d] : 64) : 1;
        H5Pset_chunk(dcpl, o->rank, chunk);
    }
    hid_t ds = H5Dcreate2(f, o->name, ft, sp, lcpl, dcpl, H5P_DEFAULT);
    o->created = ds >= 0;
    if (ds >= 0 && o->string && !o->sparse) {
        char *s = calloc(o->count ? o->count : 1, 4);
        if (!s)
            abort();
        for (size_t k = 0; k < 4 * o->count; k++)
            s[k] = (char)u8(r);
        H5Dwrite(ds, ft, H5S_ALL, H5S_ALL, H5P_DEFAULT, s);
        free(s);
    } else if (ds >= 0 && !o->string && o->count <= ((size_t)1 << 20)) {
        o->v = calloc(o->count ? o->count : 1, sizeof *o->v);
        if (!o->v)
            abort();
        if (!o->sparse) {
            double a = (double)(int8_t)u8(r), s = (double)(int8_t)u8(r) / (type >= 3 ? 1.0 : 4.0);
            for (size_t k = 0; k < o->count; k++)
                o->v[k] = ramp ? a + s * (double)k
                          : type == 0 || type == 1 || type >= 6 ? f64(r)
                                                                : (double)(int8_t)u8(r) * (type == 2 ? 0.375 : 1.0);
            /* the library converts to the file's type (clipping what does not fit) */
            H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, o->v);
        }
        /* what the file holds, as the loader must read it (fill values if sparse) */
        if (o->count && H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, o->v) < 0) {
            free(o->v);
            o->v = NULL;
        }
    }
    if (ds >= 0)
        H5Dclose(ds);
    H5Tclose(ft);
    H5Pclose(dcpl);
    H5Sclose(sp);
    H5Pclose(lcpl);
}

/* A path as HDF5 resolves it: no leading, trailing or repeated '/', no "." parts. */
static void canon(const char *name, char *out)
{
    size_t o = 0;
    for (const char *p = name; *p;) {
        while (*p == '/')
            p++;
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len && !(len == 1 && *p == '.')) {
            if (o)
                out[o++] = '/';
            memcpy(out + o, p, len);
            o += len;
        }
        p += len;
    }
    out[o] = '\0';
}

static const object *find(const object *objs, int n, const char *name)
{
    char want[NAME_MAX_LEN + 1], have[NAME_MAX_LEN + 1];
    canon(name, want);
    for (int k = 0; k < n; k++) {
        canon(objs[k].name, have);
        if (objs[k].created && strcmp(have, want) == 0)
            return &objs[k];
    }
    return NULL;
}

static int numeric(const object *o) { return o && !o->group && !o->string && o->v; }

static int finite_all(const object *o)
{
    for (size_t k = 0; k < o->count; k++)
        if (!isfinite(o->v[k]))
            return 0;
    return 1;
}

static int increasing(const object *o)
{
    for (size_t k = 0; k < o->count; k++)
        if (!isfinite(o->v[k]) || (k && !(o->v[k] > o->v[k - 1])))
            return 0;
    return 1;
}

static void check_one_line(const diag *err)
{
    FUZZ_CHECK(err->msg[0] != '\0');
    FUZZ_CHECK(strchr(err->msg, '\n') == NULL);
}

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = { data, size };
    if (!path[0]) {
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
        snprintf(path, sizeof path, "%s/losscape-fuzz-h5-%d.h5",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (int)getpid());
    }
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    FUZZ_CHECK(f >= 0);   /* fails when a handle of the last run is still open */
    object objs[MAX_OBJ];
    memset(objs, 0, sizeof objs);
    const int n = 1 + (int)(u8(&r) % MAX_OBJ);
    for (int k = 0; k < n; k++)
        make_object(f, &r, &objs[k]);
    char key[NAME_MAX_LEN + 1];
    read_name(&r, key);
    FUZZ_CHECK(H5Fclose(f) >= 0);

    /* big but allowed sizes (2^20 .. 2^28 values of fill) cost seconds a run: skip */
    for (int k = 0; k < n; k++)
        if (objs[k].created && objs[k].sparse && objs[k].count > ((size_t)1 << 20) &&
            objs[k].count <= ((size_t)1 << 28))
            goto done;

    /* ---- the surface loader ---- */
    {
        gridsurf *gs = NULL;
        diag err = { 0 };
        int ok = h5io_load_surface(path, key, &gs, &err);
        FUZZ_CHECK(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) == 0);
        const object *x = find(objs, n, "xcoordinates"), *y = find(objs, n, "ycoordinates"),
                     *v = find(objs, n, key);
        /* clean by the documented rules: must load */
        int clean = numeric(x) && x->rank == 1 && x->count >= 2 && increasing(x) && numeric(v) &&
                    finite_all(v);
        int nx = clean ? (int)x->count : 0, ny = 1, xmajor = 0;
        if (clean && v->rank == 1) {
            clean = v->count == (size_t)nx;
        } else if (clean && v->rank == 2) {
            clean = numeric(y) && y->rank == 1 && y->count >= 1 && increasing(y);
            if (clean) {
                ny = (int)y->count;
                if (v->dims[0] == (hsize_t)ny && v->dims[1] == (hsize_t)nx)
                    xmajor = 0;
                else if (v->dims[0] == (hsize_t)nx && v->dims[1] == (hsize_t)ny)
                    xmajor = 1;
                else
                    clean = 0;
            }
        } else {
            clean = 0;
        }
        if (!ok) {
            FUZZ_CHECK(gs == NULL);
            check_one_line(&err);
            if (clean)
                fprintf(stderr, "refused a clean file: %s\n", err.msg);
            FUZZ_CHECK(!clean);
        } else {
            FUZZ_CHECK(gs != NULL);
            /* what loaded is what was written */
            FUZZ_CHECK(x && numeric(x) && v && numeric(v));
            nx = gridsurf_nx(gs);
            ny = gridsurf_ny(gs);
            FUZZ_CHECK(nx == (int)x->count && nx >= 2 && ny >= 1);
            FUZZ_CHECK(memcmp(gridsurf_x(gs), x->v, (size_t)nx * sizeof(double)) == 0);
            if (v->rank == 2) {
                FUZZ_CHECK(y && numeric(y) && ny == (int)y->count);
                FUZZ_CHECK(memcmp(gridsurf_y(gs), y->v, (size_t)ny * sizeof(double)) == 0);
                xmajor = !(v->dims[0] == (hsize_t)ny && v->dims[1] == (hsize_t)nx);
            } else {
                FUZZ_CHECK(ny == 1 && v->count == (size_t)nx);
            }
            const double *g = gridsurf_values(gs);
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++) {
                    double want = xmajor ? v->v[(size_t)i * ny + j] : v->v[(size_t)j * nx + i];
                    FUZZ_CHECK(isfinite(g[(size_t)j * nx + i]));
                    FUZZ_CHECK(memcmp(&g[(size_t)j * nx + i], &want, sizeof want) == 0);
                }
            FUZZ_CHECK(clean);   /* loaded, so it was clean */
            gridsurf_destroy(gs);
        }
    }

    /* ---- the trajectory loader ---- */
    {
        double *xy = NULL;
        int m = -1;
        diag err = { 0 };
        int ok = h5io_load_trajectory(path, &xy, &m, &err);
        FUZZ_CHECK(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) == 0);
        const object *a = find(objs, n, "proj_xcoord"), *b = find(objs, n, "proj_ycoord");
        int clean = numeric(a) && numeric(b) && a->rank == 1 && b->rank == 1 && a->count >= 1 &&
                    a->count == b->count && finite_all(a) && finite_all(b);
        if (!ok) {
            FUZZ_CHECK(xy == NULL && m == 0);
            check_one_line(&err);
            FUZZ_CHECK(!clean);
        } else {
            FUZZ_CHECK(clean && m == (int)a->count);
            for (int k = 0; k < m; k++) {
                FUZZ_CHECK(memcmp(&xy[2 * k], &a->v[k], sizeof(double)) == 0);
                FUZZ_CHECK(memcmp(&xy[2 * k + 1], &b->v[k], sizeof(double)) == 0);
            }
            free(xy);
        }
    }
done:
    for (int k = 0; k < n; k++)
        free(objs[k].v);
    remove(path);
    return 0;
}
#endif
