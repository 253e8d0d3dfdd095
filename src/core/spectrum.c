/*
 * spectrum.c — cyclic Jacobi eigenvalues of a symmetric matrix. See spectrum.h.
 */
#include "core/spectrum.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

int spectrum_symmetric(double *a, int n, double *eig)
{
    double norm = 0;
    for (int i = 0; i < n * n; i++) {
        if (!isfinite(a[i]))
            return 0;
        norm += a[i] * a[i];
    }
    const double stop = 1e-28 * norm;   /* (1e-14 · ‖a‖)² */
    for (int sweep = 0; sweep < 60; sweep++) {
        double off = 0;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++)
                off += 2 * a[p * n + q] * a[p * n + q];
        if (off <= stop)
            break;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++) {
                double apq = a[p * n + q];
                if (apq == 0)
                    continue;
                double app = a[p * n + p], aqq = a[q * n + q];
                double theta = (aqq - app) / (2 * apq);
                double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1));
                double c = 1 / sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < n; k++) {   /* columns p, q */
                    double akp = a[k * n + p], akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for (int k = 0; k < n; k++) {   /* rows p, q */
                    double apk = a[p * n + k], aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
            }
    }
    for (int i = 0; i < n; i++)
        eig[i] = a[i * n + i];
    qsort(eig, (size_t)n, sizeof *eig, cmp_double);
    return 1;
}
