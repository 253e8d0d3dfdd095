/*
 * export.c — --export-surface FILE.h5|FILE.vtp: the problem's loss over its view's
 * domain on an N×N grid (--grid N, default 51), written as a loss-landscape HDF5
 * file (xcoordinates, ycoordinates, train_loss with cell [i, j] at (x[j], y[i]), as
 * its plot_2D.py reads) or as ParaView's VTK PolyData (.vtp, ASCII, as its h52vtp.py
 * writes: the points (x, y, loss), quads between grid neighbours, and the loss as
 * point data "zvalue"). Surfaces: the surface itself; data problems: the loss on the
 * view plane (evaluation mode, the run's starting moving averages).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/export.h"
#include "app/h5io.h"
#include "core/outfile.h"

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static int write_vtp(const char *path, const double *x, int nx, const double *y, int ny, const double *v,
                     char *why, size_t whylen)
{
    outfile of = { 0 };
    if (!outfile_open(&of, path)) {
        snprintf(why, whylen, "%s", of.error);
        return 0;
    }
    FILE *f = of.f;
    const long np = (long)nx * ny, nq = (long)(nx - 1) * (ny - 1);
    fprintf(f, "<?xml version=\"1.0\"?>\n<VTKFile type=\"PolyData\" version=\"0.1\" byte_order=\"LittleEndian\">\n"
               "  <PolyData>\n    <Piece NumberOfPoints=\"%ld\" NumberOfVerts=\"0\" NumberOfLines=\"0\" "
               "NumberOfStrips=\"0\" NumberOfPolys=\"%ld\">\n", np, nq);
    fprintf(f, "      <Points>\n        <DataArray type=\"Float64\" NumberOfComponents=\"3\" format=\"ascii\">\n");
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++)
            fprintf(f, "          %.17g %.17g %.17g\n", x[i], y[j], v[(size_t)j * nx + i]);
    fprintf(f, "        </DataArray>\n      </Points>\n      <PointData Scalars=\"zvalue\">\n"
               "        <DataArray type=\"Float64\" Name=\"zvalue\" format=\"ascii\">\n");
    for (long k = 0; k < np; k++)
        fprintf(f, "          %.17g\n", v[k]);
    fprintf(f, "        </DataArray>\n      </PointData>\n      <Polys>\n"
               "        <DataArray type=\"Int64\" Name=\"connectivity\" format=\"ascii\">\n");
    for (int j = 0; j + 1 < ny; j++)
        for (int i = 0; i + 1 < nx; i++) {
            long a = (long)j * nx + i;
            fprintf(f, "          %ld %ld %ld %ld\n", a, a + 1, a + 1 + nx, a + nx);
        }
    fprintf(f, "        </DataArray>\n        <DataArray type=\"Int64\" Name=\"offsets\" format=\"ascii\">\n");
    for (long q = 1; q <= nq; q++)
        fprintf(f, "          %ld\n", 4 * q);
    fprintf(f, "        </DataArray>\n      </Polys>\n    </Piece>\n  </PolyData>\n</VTKFile>\n");
    if (!outfile_commit(&of)) {
        snprintf(why, whylen, "%s", of.error);
        return 0;
    }
    return 1;
}

int app_export_kind(const char *path)
{
    if (ends_with(path, ".h5") || ends_with(path, ".hdf5"))
        return 1;
    return ends_with(path, ".vtp") ? 2 : 0;
}

void app_export_coords(const app_problem *p, int n, double *x, double *y)
{
    const surface_domain d = p->domain;
    for (int i = 0; i < n; i++) {
        x[i] = surface_grid_coord(d.xmin, d.xmax, i, n);
        y[i] = surface_grid_coord(d.ymin, d.ymax, i, n);
    }
}

int app_export_rows(app_problem *p, int n, int row0, int rows, double *v)
{
    if (rows <= 0)
        return 1;
    if (p->is_data) {
        landscape_desc g = { .obj = &p->obj, .plane = p->plane, .model = p->model, .data = p->train,
                             .loss = p->loss, .aux = p->aux0, .dom = p->domain, .nx = n, .ny = n,
                             .row0 = row0, .rows = rows };
        return landscape_eval_grid(&g, v);
    }
    surface_eval_rows(&p->surf, p->domain, n, n, row0, rows, v, NULL);
    return 1;
}

int app_export_write(const char *path, const double *x, const double *y, int n, const double *v)
{
    diag err = { 0 };
    char why[300] = "";
    const int is_h5 = app_export_kind(path) == 1;
    int ok = is_h5 ? h5io_save_surface(path, "train_loss", x, n, y, n, v, &err)
                   : write_vtp(path, x, n, y, n, v, why, sizeof why);
    if (!ok) {
        fprintf(stderr, "losscape: --export-surface: %s: %s\n", path, is_h5 ? err.msg : why);
        return APP_EXIT_RUNTIME;
    }
    return APP_EXIT_OK;
}

int app_export_surface_run(const app_options *o, app_problem *p)
{
    const char *path = o->export_path;
    if (!app_export_kind(path)) {
        fprintf(stderr, "losscape: --export-surface: '%s': the name must end in .h5 or .vtp\n", path);
        return APP_EXIT_BAD_INPUT;
    }
    const int n = o->grid > 0 ? o->grid : 51;
    double *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
    double *v = malloc((size_t)n * (size_t)n * sizeof *v);
    int status;
    if (!x || !y || !v || !app_export_rows(p, n, 0, n, v)) {
        fprintf(stderr, "losscape: out of memory\n");
        status = APP_EXIT_RUNTIME;
    } else {
        app_export_coords(p, n, x, y);
        status = app_export_write(path, x, y, n, v);
    }
    free(x);
    free(y);
    free(v);
    return status;
}
