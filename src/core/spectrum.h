/*
 * spectrum.h — every eigenvalue of a small symmetric matrix (cyclic Jacobi), for the
 * Hessian spectrum of a small model at a point ("most critical points are saddles":
 * the fraction of negative eigenvalues).
 *
 * Index
 *     spectrum_symmetric(a, n, eig)
 */
#ifndef LOSSCAPE_SPECTRUM_H
#define LOSSCAPE_SPECTRUM_H

/* The n eigenvalues of the symmetric n×n matrix a (row-major; destroyed), ascending,
 * into eig[n]. Cyclic Jacobi rotations until the off-diagonal part is below 1e-14 of
 * the matrix's norm (at most 60 sweeps). Returns 1, or 0 if a is not finite. */
int spectrum_symmetric(double *a, int n, double *eig);

#endif
