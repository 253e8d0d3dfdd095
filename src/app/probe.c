/*
 * probe.c — --probe X,Y: the second-order picture at one point of the view, as text.
 *
 * Lines of "name value..." (numbers with %.17g), in this order:
 *     point X Y                 the plane point probed
 *     loss L
 *     gradient GX GY            of the view (the plane's two directions)
 *     hessian HXX HXY HYX HYY
 *     eigenvalues L1 L2         L1 <= L2
 *     eigenvector1 VX VY        unit eigenvector of L1 (the escape direction when L1 < 0)
 *     eigenvector2 VX VY
 *     type T                    minimum maximum saddle degenerate (of the Hessian there;
 *                               a point with a nonzero gradient is not critical: the
 *                               type then says what the curvature is like)
 *     critical 0|1              1 if the gradient vanishes there (|g| <= 1e-8 · max(1, |L|))
 *     of plane|model            plane: the model has more than two parameters, and all of
 *                               the above is of the 2-D slice, not of the model
 * and for data problems with more than two and at most 256 parameters, of the whole
 * model's Hessian at that point:
 *     model_params N
 *     model_eigen_min V / model_eigen_max V
 *     model_negative_fraction F  fraction of eigenvalues below -1e-6 · max |eigenvalue|
 */
#include <math.h>
#include <stdlib.h>

#include "app/app.h"
#include "core/spectrum.h"

#define PROBE_SPECTRUM_MAX 256

int app_print_probe(const app_options *o, app_problem *p)
{
    double x = o->probe[0], y = o->probe[1], g[2], h[4];
    double v = app_problem_eval_point(p, x, y, g, h);
    if (!isfinite(v)) {
        fprintf(stderr, "losscape: --probe: the loss is not finite at (%g, %g)\n", x, y);
        return APP_EXIT_BAD_INPUT;
    }
    eig2 e;
    hessian_eig2(h, &e);
    point_type t = hessian_classify(&e, 0);
    int critical = hypot(g[0], g[1]) <= 1e-8 * fmax(1.0, fabs(v));
    /* no "-0" in the output */
    double *all[] = { &g[0], &g[1], &h[0], &h[1], &h[2], &h[3], &e.lambda[0], &e.lambda[1],
                      &e.vec[0][0], &e.vec[0][1], &e.vec[1][0], &e.vec[1][1] };
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        if (*all[k] == 0)
            *all[k] = 0;
    printf("point %.17g %.17g\n", x, y);
    printf("loss %.17g\n", v);
    printf("gradient %.17g %.17g\n", g[0], g[1]);
    printf("hessian %.17g %.17g %.17g %.17g\n", h[0], h[1], h[2], h[3]);
    printf("eigenvalues %.17g %.17g\n", e.lambda[0], e.lambda[1]);
    printf("eigenvector1 %.17g %.17g\n", e.vec[0][0], e.vec[0][1]);
    printf("eigenvector2 %.17g %.17g\n", e.vec[1][0], e.vec[1][1]);
    printf("type %s\n", point_type_name(t));
    printf("critical %d\n", critical);
    printf("of %s\n", p->n > 2 ? "plane" : "model");
    if (p->is_data && p->n > 2 && p->n <= PROBE_SPECTRUM_MAX) {
        int n = p->n;
        double *theta = malloc((size_t)n * sizeof(double));
        double *hm = malloc((size_t)n * (size_t)n * sizeof(double));
        double *ev = malloc((size_t)n * sizeof(double));
        int ok = theta && hm && ev;
        if (ok) {
            plane_point(p->plane, x, y, theta);
            ok = landscape_hessian(&p->obj, theta, NULL, 0, NULL, hm) && spectrum_symmetric(hm, n, ev);
        }
        if (ok) {
            double big = fmax(fabs(ev[0]), fabs(ev[n - 1])), neg = 0;
            for (int k = 0; k < n; k++)
                neg += ev[k] < -1e-6 * big;
            printf("model_params %d\n", n);
            printf("model_eigen_min %.17g\n", ev[0]);
            printf("model_eigen_max %.17g\n", ev[n - 1]);
            printf("model_negative_fraction %.17g\n", neg / n);
        }
        free(theta);
        free(hm);
        free(ev);
        if (!ok) {
            fprintf(stderr, "losscape: --probe: out of memory\n");
            return APP_EXIT_RUNTIME;
        }
    }
    return fflush(stdout) == 0 ? APP_EXIT_OK : APP_EXIT_RUNTIME;
}
