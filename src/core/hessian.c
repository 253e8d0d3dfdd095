/*
 * hessian.c — closed-form 2×2 eigen-analysis and the critical-point search. See hessian.h.
 *
 * The search: Newton's method on the gradient, θ ← θ − H⁻¹g, from a grid of starts.
 * The step is computed in the Hessian's eigenbasis with a tiny Levenberg–Marquardt
 * term, δ = −Σ λᵢ/(λᵢ² + μ²) (vᵢ·g) vᵢ, i.e. the minimiser of |g + Hδ|² + μ²|δ|²:
 * plain Newton wherever |λᵢ| ≫ μ, and a short Gauss–Newton step on ½|g|² along
 * directions where H is (nearly) singular. Its length is capped at a quarter of the
 * domain's diagonal. Near a degenerate critical point (the monkey saddle's origin,
 * where H = 0) Newton converges only linearly, so each start runs until its steps
 * stop mattering rather than for a fixed count; the best iterate (smallest |g|) is
 * what it reports.
 */
#include "core/hessian.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

/* ---- 2×2 eigen-decomposition --------------------------------------------- */

/* Sign rule: first nonzero component positive (−0 counts as zero). */
static void orient(double v[2])
{
    v[0] += 0.0;
    v[1] += 0.0;
    if (v[0] < 0 || (v[0] == 0 && v[1] < 0)) {
        v[0] = -v[0];
        v[1] = -v[1];
    }
}

/* a·d − b·b with one rounding error (Kahan's fma trick). */
static double det2(double a, double b, double d)
{
    double w = b * b;
    double e = fma(-b, b, w); /* −(rounding error of w) */
    double f = fma(a, d, -w);
    return f + e;
}

void hessian_eig2(const double h[4], eig2 *out)
{
    double a = h[0], b = 0.5 * h[1] + 0.5 * h[2], d = h[3];
    double s = fmax(fabs(a), fmax(fabs(b), fabs(d)));

    out->vec[0][0] = 1.0, out->vec[0][1] = 0.0;
    out->vec[1][0] = 0.0, out->vec[1][1] = 1.0;
    if (!isfinite(s) || s == 0) {
        /* zero matrix: λ = 0, 0; non-finite input: the diagonal, nothing better exists */
        out->lambda[0] = fmin(a, d) + 0.0 * b;
        out->lambda[1] = fmax(a, d) + 0.0 * b;
        return;
    }

    /* Scale by a power of two (exact) so that max |entry| is in [0.5, 1). */
    int ex;
    frexp(s, &ex);
    a = ldexp(a, -ex), b = ldexp(b, -ex), d = ldexp(d, -ex);

    double m = 0.5 * (a + d);
    double hd = 0.5 * (a - d);
    double r = hypot(hd, b);

    /* The eigenvalue of larger magnitude from m ± r (no cancellation), the other one
     * from the determinant, so that a small eigenvalue keeps its relative accuracy. */
    double big = m >= 0 ? m + r : m - r;
    double small = det2(a, b, d) / big; /* big ≠ 0: s > 0 */
    double lo = fmin(big, small), hi = fmax(big, small);
    out->lambda[0] = ldexp(lo, ex);
    out->lambda[1] = ldexp(hi, ex);

    /* Eigenvalues equal to rounding: any orthonormal pair will do. */
    if (r <= 8 * DBL_EPSILON)
        return;

    /* Eigenvector of λ₀ = m − r: null vector of A − λ₀I = [[hd + r, b], [b, r − hd]],
     * taken from the row whose diagonal term has no cancellation (its norm is ≥ r). */
    double v[2];
    if (hd >= 0)
        v[0] = -b, v[1] = hd + r;
    else
        v[0] = r - hd, v[1] = -b;
    double n = hypot(v[0], v[1]);
    v[0] /= n, v[1] /= n;
    double w[2] = {-v[1], v[0]};
    orient(v);
    orient(w);
    out->vec[0][0] = v[0], out->vec[0][1] = v[1];
    out->vec[1][0] = w[0], out->vec[1][1] = w[1];
}

/* ---- classification ------------------------------------------------------- */

const char *point_type_name(point_type t)
{
    switch (t) {
    case POINT_MINIMUM: return "minimum";
    case POINT_MAXIMUM: return "maximum";
    case POINT_SADDLE: return "saddle";
    case POINT_DEGENERATE: return "degenerate";
    case POINT_FLAT_MINIMUM: return "flat-minimum";
    }
    return "unknown";
}

point_type hessian_classify(const eig2 *e, double tol)
{
    double l0 = e->lambda[0], l1 = e->lambda[1];
    if (!(tol > 0))
        tol = 1e-6 * fmax(1.0, fmax(fabs(l0), fabs(l1)));
    if (l0 > tol && l1 > tol)
        return POINT_MINIMUM;
    if (l0 < -tol && l1 < -tol)
        return POINT_MAXIMUM;
    if (l0 < -tol && l1 > tol)
        return POINT_SADDLE;
    return POINT_DEGENERATE;
}

/* ---- critical points ------------------------------------------------------ */

#define GRID_N 24          /* starts: GRID_N² cell centres, plus the corners and centre */
#define MAX_ITER 100       /* Newton iterations per start */
#define STALL_ITER 6       /* stop once |g| has not improved for this many iterations */
#define GTOL_REL 1e-9      /* accept |g| ≤ GTOL_REL · (mean |g| over the starts) */
#define MU_REL 1e-12       /* LM damping μ relative to the typical Hessian size */
#define MERGE_REL 1e-5     /* duplicates: closer than MERGE_REL · diagonal */
#define INSIDE_REL 1e-9    /* points this far (· diagonal) outside still count as inside */

typedef struct search {
    fn2 f;
    const void *ctx;
    double xmin, xmax, ymin, ymax;
    double diag;           /* length of the domain's diagonal */
    double mu;             /* LM damping */
} search;

typedef struct candidate {
    double x, y, gnorm;
} candidate;

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* δ minimising |g + Hδ|² + μ²|δ|², computed in H's eigenbasis. */
static void newton_delta(const double g[2], const double hs[4], double mu, double dl[2])
{
    eig2 e;
    hessian_eig2(hs, &e);
    dl[0] = dl[1] = 0;
    for (int i = 0; i < 2; i++) {
        double l = e.lambda[i], c = e.vec[i][0] * g[0] + e.vec[i][1] * g[1], w;
        if (l == 0)
            w = 0;
        else if (fabs(l) >= mu) {
            double q = mu / l;
            w = 1.0 / (l * (1.0 + q * q));
        } else {
            double q = l / mu;
            w = q / (mu * (1.0 + q * q));
        }
        dl[0] -= w * c * e.vec[i][0];
        dl[1] -= w * c * e.vec[i][1];
    }
}

/* Newton from (x, y). Returns 1 with the best iterate in *c, or 0 if the run left the
 * neighbourhood of the domain or met a non-finite value. */
static int newton_run(const search *s, double x, double y, candidate *c)
{
    double wx = s->xmax - s->xmin, wy = s->ymax - s->ymin;
    double cap = 0.25 * s->diag, tiny = 1e-15 * s->diag;
    double g[2], hs[4];
    int since_best = 0;

    c->gnorm = INFINITY;
    for (int it = 0; it <= MAX_ITER; it++) {
        if (x < s->xmin - 0.5 * wx || x > s->xmax + 0.5 * wx || y < s->ymin - 0.5 * wy ||
            y > s->ymax + 0.5 * wy)
            return 0;
        double v = s->f(s->ctx, x, y, g, hs);
        double gn = hypot(g[0], g[1]);
        if (!isfinite(v) || !isfinite(gn))
            return 0;
        if (gn < c->gnorm) {
            c->x = x, c->y = y, c->gnorm = gn;
            since_best = 0;
        } else if (++since_best >= STALL_ITER) {
            break;
        }
        if (gn == 0 || it == MAX_ITER)
            break;

        double dl[2];
        newton_delta(g, hs, s->mu, dl);
        double len = hypot(dl[0], dl[1]);
        if (!isfinite(len))
            return 0;
        if (len > cap) {
            dl[0] *= cap / len;
            dl[1] *= cap / len;
        }
        x += dl[0];
        y += dl[1];
        if (len <= tiny && since_best > 0)
            break; /* step below resolution and no longer improving */
    }
    return 1;
}

static int cmp_point(const void *pa, const void *pb)
{
    const critical_point *a = pa, *b = pb;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return (a->y > b->y) - (a->y < b->y);
}

/* A degenerate point with λ₁ ≈ 0 < λ₂ whose neighbourhood (a ring of samples) is
 * nowhere lower is a minimum that is not isolated (a valley floor of minima).
 * Such points of one value are merged into one POINT_FLAT_MINIMUM row (the one
 * nearest the domain's centre), with the count in `merged`. Returns the new count. */
static int merge_flat_minima(const search *s, critical_point *pts, int nc)
{
    const double r = 1e-3 * s->diag;
    for (int i = 0; i < nc; i++) {
        critical_point *p = &pts[i];
        p->merged = 1;
        /* relative to the curvature across the valley, so that k·f finds the same */
        if (p->type != POINT_DEGENERATE || !(p->lambda[1] > 0) ||
            fabs(p->lambda[0]) > 1e-6 * p->lambda[1])
            continue;
        int lower = 0;
        for (int k = 0; k < 32 && !lower; k++) {
            double a = 6.283185307179586 * k / 32, g[2], hs[4];
            double v = s->f(s->ctx, p->x + r * cos(a), p->y + r * sin(a), g, hs);
            lower = !(v >= p->value - 1e-10 * fmax(1.0, fabs(p->value)));
        }
        if (!lower)
            p->type = POINT_FLAT_MINIMUM;
    }
    const double cx = 0.5 * (s->xmin + s->xmax), cy = 0.5 * (s->ymin + s->ymax);
    int out = 0;
    for (int i = 0; i < nc; i++) {
        critical_point *p = &pts[i];
        int into = -1;
        if (p->type == POINT_FLAT_MINIMUM)
            for (int j = 0; j < out && into < 0; j++)
                if (pts[j].type == POINT_FLAT_MINIMUM &&
                    fabs(pts[j].value - p->value) <= 1e-8 * fmax(1.0, fabs(p->value)))
                    into = j;
        if (into < 0) {
            pts[out++] = *p;
            continue;
        }
        critical_point *q = &pts[into];
        int n = q->merged + 1;
        if (hypot(p->x - cx, p->y - cy) < hypot(q->x - cx, q->y - cy))
            *q = *p;
        q->merged = n;
    }
    return out;
}

int critical_points_find(fn2 f, const void *ctx, double xmin, double xmax, double ymin,
                         double ymax, critical_point *out, int cap)
{
    if (!f || !(xmax > xmin) || !(ymax > ymin) || !isfinite(xmax - xmin) ||
        !isfinite(ymax - ymin))
        return 0;

    enum { NSTART = GRID_N * GRID_N + 5 };
    double sx[NSTART], sy[NSTART];
    double wx = xmax - xmin, wy = ymax - ymin;
    int ns = 0;
    for (int j = 0; j < GRID_N; j++)
        for (int i = 0; i < GRID_N; i++) {
            sx[ns] = xmin + (i + 0.5) / GRID_N * wx;
            sy[ns] = ymin + (j + 0.5) / GRID_N * wy;
            ns++;
        }
    const double corner[5][2] = {{xmin, ymin}, {xmax, ymin}, {xmin, ymax}, {xmax, ymax},
                                 {xmin + 0.5 * wx, ymin + 0.5 * wy}};
    for (int k = 0; k < 5; k++, ns++)
        sx[ns] = corner[k][0], sy[ns] = corner[k][1];

    /* Scales from the starts: the mean gradient norm sets the acceptance threshold,
     * the median Hessian size the LM damping. */
    search s = {f, ctx, xmin, xmax, ymin, ymax, hypot(wx, wy), 0};
    double hsz[NSTART], gsum = 0;
    int nh = 0;
    for (int k = 0; k < ns; k++) {
        double g[2], hs[4];
        double v = f(ctx, sx[k], sy[k], g, hs);
        double gn = hypot(g[0], g[1]);
        double hn = fmax(fmax(fabs(hs[0]), fabs(hs[3])), 0.5 * fabs(hs[1] + hs[2]));
        if (!isfinite(v) || !isfinite(gn) || !isfinite(hn))
            continue;
        gsum += gn;
        hsz[nh++] = hn;
    }
    if (nh == 0 || gsum == 0)
        return 0; /* undefined everywhere, or flat: no isolated critical points */
    qsort(hsz, (size_t)nh, sizeof hsz[0], cmp_double);
    s.mu = MU_REL * hsz[nh / 2];
    double gtol = GTOL_REL * (gsum / nh);
    double merge = MERGE_REL * s.diag, inside = INSIDE_REL * s.diag;

    candidate *cand = malloc((size_t)ns * sizeof *cand);
    if (!cand)
        return 0;
    int nc = 0;
    for (int k = 0; k < ns; k++) {
        candidate c;
        if (!newton_run(&s, sx[k], sy[k], &c) || !(c.gnorm <= gtol))
            continue;
        if (c.x < xmin - inside || c.x > xmax + inside || c.y < ymin - inside ||
            c.y > ymax + inside)
            continue;
        int dup = -1;
        for (int i = 0; i < nc && dup < 0; i++)
            if (hypot(cand[i].x - c.x, cand[i].y - c.y) < merge)
                dup = i;
        if (dup < 0)
            cand[nc++] = c;
        else if (c.gnorm < cand[dup].gnorm)
            cand[dup] = c;
    }

    critical_point *pts = malloc((size_t)(nc > 0 ? nc : 1) * sizeof *pts);
    if (!pts) {
        free(cand);
        return 0;
    }
    for (int i = 0; i < nc; i++) {
        critical_point *p = &pts[i];
        double g[2], hs[4];
        eig2 e;
        p->x = cand[i].x;
        p->y = cand[i].y;
        p->value = f(ctx, p->x, p->y, g, hs);
        hessian_eig2(hs, &e);
        p->type = hessian_classify(&e, 0);
        p->lambda[0] = e.lambda[0];
        p->lambda[1] = e.lambda[1];
        p->escape[0] = p->escape[1] = 0;
        if (p->type == POINT_SADDLE) {
            p->escape[0] = e.vec[0][0];
            p->escape[1] = e.vec[0][1];
        }
    }
    nc = merge_flat_minima(&s, pts, nc);
    qsort(pts, (size_t)nc, sizeof pts[0], cmp_point);
    for (int i = 0; i < nc && i < cap && out; i++)
        out[i] = pts[i];
    free(pts);
    free(cand);
    return nc;
}
