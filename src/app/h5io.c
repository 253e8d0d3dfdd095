/*
 * h5io.c — loss-landscape HDF5 files. See h5io.h.
 */
#include "app/h5io.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef LOSSCAPE_HAVE_HDF5

static int missing(diag *err)
{
    return diag_set(err, 0, 0, "this build has no HDF5 support (install libhdf5-dev and rebuild: "
                               "bash scripts/setup.sh run)");
}
int h5io_available(void) { return 0; }
int h5io_load_surface(const char *path, const char *key, gridsurf **out, diag *err)
{
    (void)path, (void)key, (void)out;
    return missing(err);
}
int h5io_load_trajectory(const char *path, double **xy, int *n, diag *err)
{
    (void)path, (void)xy, (void)n;
    return missing(err);
}
int h5io_save_surface(const char *path, const char *key, const double *x, int nx, const double *y,
                      int ny, const double *v, diag *err)
{
    (void)path, (void)key, (void)x, (void)nx, (void)y, (void)ny, (void)v;
    return missing(err);
}

#else

#include <hdf5.h>
#include <unistd.h>

int h5io_available(void) { return 1; }

/* Read a whole dataset as doubles: rank and dims out; *data malloc'd. */
static int read_dataset(hid_t f, const char *name, int *rank, hsize_t dims[2], double **data, diag *err)
{
    *data = NULL;
    if (H5Lexists(f, name, H5P_DEFAULT) <= 0)
        return diag_set(err, 0, 0, "dataset '%s' is missing", name);
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    if (d < 0)
        return diag_set(err, 0, 0, "dataset '%s' cannot be opened (not a dataset?)", name);
    int ok = 0;
    hid_t sp = H5Dget_space(d);
    hid_t ty = H5Dget_type(d);
    int r = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    if (ty < 0 || (H5Tget_class(ty) != H5T_FLOAT && H5Tget_class(ty) != H5T_INTEGER)) {
        diag_set(err, 0, 0, "dataset '%s' is not numeric", name);
        goto out;
    }
    if (r < 1 || r > 2) {
        diag_set(err, 0, 0, "dataset '%s': rank %d, expected 1 or 2", name, r);
        goto out;
    }
    hsize_t dd[2] = {1, 1};
    H5Sget_simple_extent_dims(sp, dd, NULL);
    hsize_t count = dd[0] * (r == 2 ? dd[1] : 1);
    if (count == 0 || count > (hsize_t)1 << 28) {
        diag_set(err, 0, 0, "dataset '%s': %llu values, expected 1 to 2^28", name,
                 (unsigned long long)count);
        goto out;
    }
    *data = malloc((size_t)count * sizeof **data);
    if (!*data) {
        diag_set(err, 0, 0, "out of memory");
        goto out;
    }
    if (H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data) < 0) {
        diag_set(err, 0, 0, "dataset '%s' cannot be read as numbers", name);
        free(*data);
        *data = NULL;
        goto out;
    }
    *rank = r;
    dims[0] = dd[0];
    dims[1] = r == 2 ? dd[1] : 1;
    ok = 1;
out:
    if (ty >= 0)
        H5Tclose(ty);
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    return ok;
}

static hid_t open_file(const char *path, diag *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (access(path, R_OK) != 0)
        return diag_set(err, 0, 0, "cannot open (missing or unreadable)") - 1;
    if (H5Fis_hdf5(path) <= 0)
        return diag_set(err, 0, 0, "not an HDF5 file") - 1;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return diag_set(err, 0, 0, "cannot open as HDF5") - 1;
    return f;
}

int h5io_load_surface(const char *path, const char *key, gridsurf **out, diag *err)
{
    *out = NULL;
    hid_t f = open_file(path, err);
    if (f < 0)
        return 0;
    double *x = NULL, *y = NULL, *v = NULL, *vt = NULL;
    int rx, ry = 0, rv, ok = 0;
    hsize_t dx[2], dy[2] = {0, 0}, dv[2];
    if (!read_dataset(f, "xcoordinates", &rx, dx, &x, err))
        goto out;
    if (!read_dataset(f, key, &rv, dv, &v, err))
        goto out;
    if (rx != 1) {
        diag_set(err, 0, 0, "dataset 'xcoordinates': rank %d, expected 1", rx);
        goto out;
    }
    const int nx = (int)dx[0];
    if (rv == 1) {                       /* a 1-D file: a curve over x */
        if (dv[0] != dx[0]) {
            diag_set(err, 0, 0, "dataset '%s' has %llu values, 'xcoordinates' %d", key,
                     (unsigned long long)dv[0], nx);
            goto out;
        }
        double y0 = 0.0;
        *out = gridsurf_create(x, nx, &y0, 1, v, err);
    } else {
        if (!read_dataset(f, "ycoordinates", &ry, dy, &y, err))
            goto out;
        if (ry != 1) {
            diag_set(err, 0, 0, "dataset 'ycoordinates': rank %d, expected 1", ry);
            goto out;
        }
        const int ny = (int)dy[0];
        if (dv[0] == (hsize_t)ny && dv[1] == (hsize_t)nx) {
            /* plot_2D.py's layout: v[i][j] at (x[j], y[i]) — already y-major */
        } else if (dv[0] == (hsize_t)nx && dv[1] == (hsize_t)ny) {
            vt = malloc((size_t)nx * (size_t)ny * sizeof *vt);   /* v[i][j] at (x[i], y[j]) */
            if (!vt) {
                diag_set(err, 0, 0, "out of memory");
                goto out;
            }
            for (int i = 0; i < nx; i++)
                for (int j = 0; j < ny; j++)
                    vt[(size_t)j * nx + i] = v[(size_t)i * ny + j];
            free(v);
            v = vt;
            vt = NULL;
        } else {
            diag_set(err, 0, 0, "dataset '%s' has shape %llu x %llu; with %d y and %d x coordinates it must be %d x %d",
                     key, (unsigned long long)dv[0], (unsigned long long)dv[1], ny, nx, ny, nx);
            goto out;
        }
        *out = gridsurf_create(x, nx, y, ny, v, err);
    }
    if (!*out) {
        /* name the dataset behind gridsurf's complaint */
        char m[sizeof err->msg];
        snprintf(m, sizeof m, "%s", err ? err->msg : "");
        const char *ds = !strncmp(m, "xcoord", 6) ? "xcoordinates" : !strncmp(m, "ycoord", 6) ? "ycoordinates" : key;
        diag_set(err, 0, 0, "dataset '%s': %s", ds, m);
        goto out;
    }
    ok = 1;
out:
    free(x);
    free(y);
    free(v);
    free(vt);
    H5Fclose(f);
    return ok;
}

int h5io_load_trajectory(const char *path, double **xy, int *n, diag *err)
{
    *xy = NULL;
    *n = 0;
    hid_t f = open_file(path, err);
    if (f < 0)
        return 0;
    double *a = NULL, *b = NULL;
    int ra, rb, ok = 0;
    hsize_t da[2], db[2];
    if (!read_dataset(f, "proj_xcoord", &ra, da, &a, err) || !read_dataset(f, "proj_ycoord", &rb, db, &b, err))
        goto out;
    if (ra != 1 || rb != 1) {
        diag_set(err, 0, 0, "dataset '%s': rank %d, expected 1", ra != 1 ? "proj_xcoord" : "proj_ycoord",
                 ra != 1 ? ra : rb);
        goto out;
    }
    if (da[0] != db[0]) {
        diag_set(err, 0, 0, "dataset 'proj_ycoord' has %llu values, 'proj_xcoord' %llu",
                 (unsigned long long)db[0], (unsigned long long)da[0]);
        goto out;
    }
    for (hsize_t k = 0; k < da[0]; k++)
        if (!isfinite(a[k]) || !isfinite(b[k])) {
            diag_set(err, 0, 0, "dataset '%s' value %llu is not finite", !isfinite(a[k]) ? "proj_xcoord" : "proj_ycoord",
                     (unsigned long long)k);
            goto out;
        }
    *xy = malloc(2 * (size_t)da[0] * sizeof **xy);
    if (!*xy) {
        diag_set(err, 0, 0, "out of memory");
        goto out;
    }
    for (hsize_t k = 0; k < da[0]; k++) {
        (*xy)[2 * k] = a[k];
        (*xy)[2 * k + 1] = b[k];
    }
    *n = (int)da[0];
    ok = 1;
out:
    free(a);
    free(b);
    H5Fclose(f);
    return ok;
}

static int write_1d(hid_t f, const char *name, const double *v, hsize_t n)
{
    hid_t sp = H5Screate_simple(1, &n, NULL);
    hid_t d = H5Dcreate2(f, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int ok = d >= 0 && H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0;
    if (d >= 0)
        H5Dclose(d);
    H5Sclose(sp);
    return ok;
}

int h5io_save_surface(const char *path, const char *key, const double *x, int nx, const double *y,
                      int ny, const double *v, diag *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    size_t len = strlen(path);
    char *tmp = malloc(len + 16);
    if (!tmp)
        return diag_set(err, 0, 0, "out of memory");
    snprintf(tmp, len + 16, "%s.tmp%d", path, (int)getpid());
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) {
        free(tmp);
        return diag_set(err, 0, 0, "cannot create the file (does the folder exist?)");
    }
    int ok = write_1d(f, "xcoordinates", x, (hsize_t)nx);
    if (ok && ny > 0) {
        ok = write_1d(f, "ycoordinates", y, (hsize_t)ny);
        hsize_t dims[2] = {(hsize_t)ny, (hsize_t)nx};   /* [i][j] at (x[j], y[i]), as plot_2D.py */
        hid_t sp = H5Screate_simple(2, dims, NULL);
        hid_t d = H5Dcreate2(f, key, H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        ok = ok && d >= 0 && H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0;
        if (d >= 0)
            H5Dclose(d);
        H5Sclose(sp);
    } else if (ok) {
        ok = write_1d(f, key, v, (hsize_t)nx);
    }
    ok = H5Fclose(f) >= 0 && ok;
    if (ok && rename(tmp, path) != 0)
        ok = 0;
    if (!ok) {
        remove(tmp);
        diag_set(err, 0, 0, "cannot write the file");
    }
    free(tmp);
    return ok;
}

#endif
