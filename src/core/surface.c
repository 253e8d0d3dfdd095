/*
 * surface.c — the textbook 2-D surfaces and user formulas. See surface.h.
 *
 * Each built-in is one small static function that returns the value and, when the
 * pointers are not NULL, the gradient and the Hessian {fxx, fxy, fyx, fyy}, all
 * written out by hand. The table `infos` holds what the program shows about them;
 * each `formula` text there is also valid formula.h syntax for the same function.
 */
#include "core/surface.h"

#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define PI 3.14159265358979323846

/* Store a symmetric Hessian. */
static void put_hess(double h[4], double xx, double xy, double yy)
{
    h[0] = xx;
    h[1] = xy;
    h[2] = xy;
    h[3] = yy;
}

/* ---- the surfaces ---------------------------------------------------------- */

/* (1 − x)² + 100(y − x²)² */
static double rosenbrock(double x, double y, double g[2], double h[4])
{
    double u = 1.0 - x, v = y - x * x;
    if (g) {
        g[0] = -2.0 * u - 400.0 * x * v;
        g[1] = 200.0 * v;
    }
    if (h)
        put_hess(h, 2.0 - 400.0 * y + 1200.0 * x * x, -400.0 * x, 200.0);
    return u * u + 100.0 * v * v;
}

/* Σ r_i², r_i = c_i − x + x yⁱ, c = (1.5, 2.25, 2.625) */
static double beale(double x, double y, double g[2], double h[4])
{
    static const double c[3] = {1.5, 2.25, 2.625};
    double f = 0, gx = 0, gy = 0, hxx = 0, hxy = 0, hyy = 0;
    double ypm2 = 0.0;       /* y^(i−2), only used for i ≥ 2 */
    double ypm1 = 1.0;       /* y^(i−1) */
    for (int i = 1; i <= 3; i++) {
        double yp = ypm1 * y;                         /* yⁱ */
        double r = c[i - 1] - x + x * yp;
        double rx = yp - 1.0;                         /* ∂r/∂x */
        double ry = i * x * ypm1;                     /* ∂r/∂y */
        double rxy = i * ypm1;                        /* ∂²r/∂x∂y; ∂²r/∂x² = 0 */
        double ryy = i >= 2 ? i * (i - 1) * x * ypm2 : 0.0;
        f += r * r;
        gx += 2.0 * r * rx;
        gy += 2.0 * r * ry;
        hxx += 2.0 * rx * rx;
        hxy += 2.0 * (rx * ry + r * rxy);
        hyy += 2.0 * (ry * ry + r * ryy);
        ypm2 = ypm1;
        ypm1 = yp;
    }
    if (g) {
        g[0] = gx;
        g[1] = gy;
    }
    if (h)
        put_hess(h, hxx, hxy, hyy);
    return f;
}

/* (x² + y − 11)² + (x + y² − 7)² */
static double himmelblau(double x, double y, double g[2], double h[4])
{
    double p = x * x + y - 11.0, q = x + y * y - 7.0;
    if (g) {
        g[0] = 4.0 * x * p + 2.0 * q;
        g[1] = 2.0 * p + 4.0 * y * q;
    }
    if (h)
        put_hess(h, 4.0 * p + 8.0 * x * x + 2.0, 4.0 * (x + y), 2.0 + 4.0 * q + 8.0 * y * y);
    return p * p + q * q;
}

/* (x + 2y − 7)² + (2x + y − 5)² */
static double booth(double x, double y, double g[2], double h[4])
{
    double p = x + 2.0 * y - 7.0, q = 2.0 * x + y - 5.0;
    if (g) {
        g[0] = 2.0 * p + 4.0 * q;
        g[1] = 4.0 * p + 2.0 * q;
    }
    if (h)
        put_hess(h, 10.0, 8.0, 10.0);
    return p * p + q * q;
}

/* 0.26(x² + y²) − 0.48xy */
static double matyas(double x, double y, double g[2], double h[4])
{
    if (g) {
        g[0] = 0.52 * x - 0.48 * y;
        g[1] = 0.52 * y - 0.48 * x;
    }
    if (h)
        put_hess(h, 0.52, -0.48, 0.52);
    return 0.26 * (x * x + y * y) - 0.48 * x * y;
}

/* (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y² */
static double six_hump_camel(double x, double y, double g[2], double h[4])
{
    double x2 = x * x, y2 = y * y;
    if (g) {
        g[0] = x * (8.0 - 8.4 * x2 + 2.0 * x2 * x2) + y;
        g[1] = x + y * (-8.0 + 16.0 * y2);
    }
    if (h)
        put_hess(h, 8.0 - 25.2 * x2 + 10.0 * x2 * x2, 1.0, -8.0 + 48.0 * y2);
    return (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (-4.0 + 4.0 * y2) * y2;
}

/* 20 + x² − 10 cos 2πx + y² − 10 cos 2πy */
static double rastrigin(double x, double y, double g[2], double h[4])
{
    double w = 2.0 * PI;
    double cx = cos(w * x), cy = cos(w * y);
    if (g) {
        g[0] = 2.0 * x + 10.0 * w * sin(w * x);
        g[1] = 2.0 * y + 10.0 * w * sin(w * y);
    }
    if (h)
        put_hess(h, 2.0 + 10.0 * w * w * cx, 0.0, 2.0 + 10.0 * w * w * cy);
    return 20.0 + x * x - 10.0 * cx + y * y - 10.0 * cy;
}

/*
 * −20 exp(−0.2 r) − exp(½(cos 2πx + cos 2πy)) + e + 20, r = √(½(x² + y²)).
 *
 * The cone term −20 exp(−0.2 r) is not differentiable at the origin: its gradient
 * has norm 4·√½ from every side but no single direction, and its Hessian grows like
 * 1/r. At the origin we take its gradient and Hessian as 0 (the origin is the global
 * minimum; the Hessian that remains, 2π²e·I, classifies it correctly). Below
 * |(x, y)| = 1e-150 the cone's Hessian would overflow, so there too its Hessian is
 * taken as 0; its gradient is bounded and always computed.
 */
static double ackley(double x, double y, double g[2], double h[4])
{
    const double w = 2.0 * PI, s = sqrt(0.5);
    /* |(x, y)| and the unit vector (ax, ay), scaled first so that subnormal inputs
     * still give a unit vector */
    double m = fmax(fabs(x), fabs(y));
    double ax = 0.0, ay = 0.0, n = 0.0;
    if (m > 0) {
        double ns = hypot(x / m, y / m);
        ax = (x / m) / ns;
        ay = (y / m) / ns;
        n = m * ns;
    }
    double r = s * n;
    double ec = exp(-0.2 * r);
    double u = 0.5 * (cos(w * x) + cos(w * y));
    double eu = exp(u);
    /* cosine term −exp(u): u_x = −½w sin wx, u_xx = −½w² cos wx */
    double ux = -0.5 * w * sin(w * x), uy = -0.5 * w * sin(w * y);
    if (g) {
        g[0] = -eu * ux;
        g[1] = -eu * uy;
        if (m > 0) {
            /* d/dr(−20 e^{−0.2r}) = 4 e^{−0.2r}; ∇r = √½ (ax, ay) */
            g[0] += 4.0 * ec * s * ax;
            g[1] += 4.0 * ec * s * ay;
        }
    }
    if (h) {
        double uxx = -0.5 * w * w * cos(w * x), uyy = -0.5 * w * w * cos(w * y);
        double hxx = -eu * (ux * ux + uxx);
        double hxy = -eu * ux * uy;
        double hyy = -eu * (uy * uy + uyy);
        if (n > 1e-150) {
            /* H = φ''(r) ∇r∇rᵀ + φ'(r) ∇²r with φ'' = −0.8 e^{−0.2r},
             * ∇r∇rᵀ = ½ ûûᵀ and ∇²r = (√½/n)(I − ûûᵀ), û = (ax, ay) */
            double a = -0.8 * ec * 0.5;
            double b = 4.0 * ec * s / n;
            hxx += a * ax * ax + b * ay * ay;
            hxy += (a - b) * ax * ay;
            hyy += a * ay * ay + b * ax * ax;
        }
        put_hess(h, hxx, hxy, hyy);
    }
    return -20.0 * ec - eu + exp(1.0) + 20.0;
}

/*
 * Value, gradient and Hessian of a² P with a linear in (x, y) and P quadratic:
 * (a²P)_ij = 2 a_i a_j P + 2a (a_i P_j + a_j P_i) + a² P_ij.
 */
static double sq_times_quad(double a, const double ad[2], double p, const double pd[2],
                            const double pdd[3], double g[2], double h[3])
{
    double a2 = a * a;
    g[0] = 2.0 * a * ad[0] * p + a2 * pd[0];
    g[1] = 2.0 * a * ad[1] * p + a2 * pd[1];
    h[0] = 2.0 * ad[0] * ad[0] * p + 4.0 * a * ad[0] * pd[0] + a2 * pdd[0];
    h[1] = 2.0 * ad[0] * ad[1] * p + 2.0 * a * (ad[0] * pd[1] + ad[1] * pd[0]) + a2 * pdd[1];
    h[2] = 2.0 * ad[1] * ad[1] * p + 4.0 * a * ad[1] * pd[1] + a2 * pdd[2];
    return a2 * p;
}

/*
 * [1 + (x+y+1)² (19 − 14x + 3x² − 14y + 6xy + 3y²)]
 * · [30 + (2x−3y)² (18 − 32x + 12x² + 48y − 36xy + 27y²)]
 */
static double goldstein_price(double x, double y, double g[2], double h[4])
{
    double ag[2], ah[3], bg[2], bh[3];

    double a = x + y + 1.0;
    const double ad[2] = {1.0, 1.0};
    double p = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y;
    double pd[2] = {-14.0 + 6.0 * x + 6.0 * y, -14.0 + 6.0 * x + 6.0 * y};
    const double pdd[3] = {6.0, 6.0, 6.0};
    double A = 1.0 + sq_times_quad(a, ad, p, pd, pdd, ag, ah);

    double b = 2.0 * x - 3.0 * y;
    const double bd[2] = {2.0, -3.0};
    double q = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y;
    double qd[2] = {-32.0 + 24.0 * x - 36.0 * y, 48.0 - 36.0 * x + 54.0 * y};
    const double qdd[3] = {24.0, -36.0, 54.0};
    double B = 30.0 + sq_times_quad(b, bd, q, qd, qdd, bg, bh);

    if (g) {
        g[0] = ag[0] * B + A * bg[0];
        g[1] = ag[1] * B + A * bg[1];
    }
    if (h)
        put_hess(h, ah[0] * B + 2.0 * ag[0] * bg[0] + A * bh[0],
                 ah[1] * B + ag[0] * bg[1] + ag[1] * bg[0] + A * bh[1],
                 ah[2] * B + 2.0 * ag[1] * bg[1] + A * bh[2]);
    return A * B;
}

/* x² − y² */
static double saddle(double x, double y, double g[2], double h[4])
{
    if (g) {
        g[0] = 2.0 * x;
        g[1] = -2.0 * y;
    }
    if (h)
        put_hess(h, 2.0, 0.0, -2.0);
    return x * x - y * y;
}

/* x³ − 3xy² */
static double monkey_saddle(double x, double y, double g[2], double h[4])
{
    if (g) {
        g[0] = 3.0 * (x * x - y * y);
        g[1] = -6.0 * x * y;
    }
    if (h)
        put_hess(h, 6.0 * x, -6.0 * y, -6.0 * x);
    return x * x * x - 3.0 * x * y * y;
}

/* ½(0.1x² + 10y²): eigenvalues 0.1 and 10, condition number 100 */
static double ravine(double x, double y, double g[2], double h[4])
{
    if (g) {
        g[0] = 0.1 * x;
        g[1] = 10.0 * y;
    }
    if (h)
        put_hess(h, 0.1, 0.0, 10.0);
    return 0.05 * x * x + 5.0 * y * y;
}

/* ---- the table ------------------------------------------------------------- */

typedef double (*surface_fn)(double x, double y, double g[2], double h[4]);

static const surface_fn fns[SURFACE_KIND_COUNT] = {
    [SURFACE_ROSENBROCK] = rosenbrock,
    [SURFACE_BEALE] = beale,
    [SURFACE_HIMMELBLAU] = himmelblau,
    [SURFACE_BOOTH] = booth,
    [SURFACE_MATYAS] = matyas,
    [SURFACE_SIX_HUMP_CAMEL] = six_hump_camel,
    [SURFACE_RASTRIGIN] = rastrigin,
    [SURFACE_ACKLEY] = ackley,
    [SURFACE_GOLDSTEIN_PRICE] = goldstein_price,
    [SURFACE_SADDLE] = saddle,
    [SURFACE_MONKEY_SADDLE] = monkey_saddle,
    [SURFACE_RAVINE] = ravine,
};

/* Minima off the axes were refined by Newton's method on the exact gradient and
 * Hessian above, to a gradient below 1e-13. */
static const surface_info infos[SURFACE_KIND_COUNT] = {
    [SURFACE_ROSENBROCK] = {
        .name = "rosenbrock",
        .title = "Rosenbrock",
        .formula = "(1 - x)^2 + 100*(y - x^2)^2",
        .summary = "a curved, flat-bottomed valley: easy to find, slow to follow to its end",
        .domain = {-2.0, 2.0, -1.0, 3.0},
        .start = {-1.5, 2.0},
        .n_minima = 1,
        .minima = {{1.0, 1.0}},
        .min_value = 0.0,
        .log_scale = 1,
    },
    [SURFACE_BEALE] = {
        .name = "beale",
        .title = "Beale",
        .formula = "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
        .summary = "flat plateaus and steep walls: gradient size alone is a poor guide to the step",
        .domain = {-4.5, 4.5, -4.5, 4.5},
        .start = {1.0, 1.5},
        .n_minima = 1,
        .minima = {{3.0, 0.5}},
        .min_value = 0.0,
        .log_scale = 1,
    },
    [SURFACE_HIMMELBLAU] = {
        .name = "himmelblau",
        .title = "Himmelblau",
        .formula = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        .summary = "four equal minima: where a run ends depends on its start and its optimizer",
        .domain = {-5.0, 5.0, -5.0, 5.0},
        .start = {0.0, 0.0},
        .n_minima = 4,
        .minima = {{3.0, 2.0},
                   {-2.805118086952745, 3.131312518250573},
                   {-3.779310253377747, -3.283185991286169},
                   {3.584428340330492, -1.848126526964403}},
        .min_value = 0.0,
        .log_scale = 1,
    },
    [SURFACE_BOOTH] = {
        .name = "booth",
        .title = "Booth",
        .formula = "(x + 2*y - 7)^2 + (2*x + y - 5)^2",
        .summary = "a tilted quadratic bowl: the gradient does not point at the minimum",
        .domain = {-10.0, 10.0, -10.0, 10.0},
        .start = {-8.0, 8.0},
        .n_minima = 1,
        .minima = {{1.0, 3.0}},
        .min_value = 0.0,
        .log_scale = 0,
    },
    [SURFACE_MATYAS] = {
        .name = "matyas",
        .title = "Matyas",
        .formula = "0.26*(x^2 + y^2) - 0.48*x*y",
        .summary = "a shallow diagonal trough: progress along the flat direction is slow",
        .domain = {-10.0, 10.0, -10.0, 10.0},
        .start = {-8.0, 5.0},
        .n_minima = 1,
        .minima = {{0.0, 0.0}},
        .min_value = 0.0,
        .log_scale = 0,
    },
    [SURFACE_SIX_HUMP_CAMEL] = {
        .name = "six-hump-camel",
        .title = "Six-hump camel",
        .formula = "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
        .summary = "two global and four local minima among saddles: local minima are real traps",
        .domain = {-3.0, 3.0, -2.0, 2.0},
        .start = {-2.0, 1.2},
        .n_minima = 2,
        .minima = {{0.089842013100318, -0.712656403020740},
                   {-0.089842013100318, 0.712656403020740}},
        .min_value = -1.0316284534898774,
        .log_scale = 0,
    },
    [SURFACE_RASTRIGIN] = {
        .name = "rastrigin",
        .title = "Rastrigin",
        .formula = "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
        .summary = "a bowl covered in regular bumps: countless local minima around one global",
        .domain = {-5.12, 5.12, -5.12, 5.12},
        .start = {-4.2, 3.7},
        .n_minima = 1,
        .minima = {{0.0, 0.0}},
        .min_value = 0.0,
        .log_scale = 0,
    },
    [SURFACE_ACKLEY] = {
        .name = "ackley",
        .title = "Ackley",
        .formula = "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2)))"
                   " - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20",
        .summary = "a nearly flat, rippled plain around one deep funnel",
        .domain = {-5.0, 5.0, -5.0, 5.0},
        .start = {-4.2, 3.3},
        .n_minima = 1,
        .minima = {{0.0, 0.0}},
        .min_value = 0.0,
        .log_scale = 0,
    },
    [SURFACE_GOLDSTEIN_PRICE] = {
        .name = "goldstein-price",
        .title = "Goldstein-Price",
        .formula = "(1 + (x+y+1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))"
                   " * (30 + (2*x-3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))",
        .summary = "values spanning six decades, with local minima: scale matters",
        .domain = {-2.0, 2.0, -2.0, 2.0},
        .start = {-1.5, 1.5},
        .n_minima = 1,
        .minima = {{0.0, -1.0}},
        .min_value = 3.0,
        .log_scale = 1,
    },
    [SURFACE_SADDLE] = {
        .name = "saddle",
        .title = "Saddle",
        .formula = "x^2 - y^2",
        .summary = "a saddle point: zero gradient, no minimum; escape along the negative curvature",
        .domain = {-2.0, 2.0, -2.0, 2.0},
        .start = {-1.5, 0.02},
        .n_minima = 0,
        .min_value = 0.0, /* no minimum (unbounded below); 0 is the saddle's value */
        .log_scale = 0,
    },
    [SURFACE_MONKEY_SADDLE] = {
        .name = "monkey-saddle",
        .title = "Monkey saddle",
        .formula = "x^3 - 3*x*y^2",
        .summary = "a degenerate saddle (Hessian 0): second-order tests cannot classify it",
        .domain = {-2.0, 2.0, -2.0, 2.0},
        .start = {1.5, 0.05},
        .n_minima = 0,
        .min_value = 0.0, /* no minimum (unbounded below); 0 is the saddle's value */
        .log_scale = 0,
    },
    [SURFACE_RAVINE] = {
        .name = "ravine",
        .title = "Ravine",
        .formula = "0.05*x^2 + 5*y^2",
        .summary = "an ill-conditioned canyon (condition 100): a large rate zig-zags across it",
        .domain = {-10.0, 10.0, -3.0, 3.0},
        .start = {-8.0, 2.0},
        .n_minima = 1,
        .minima = {{0.0, 0.0}},
        .min_value = 0.0,
        .log_scale = 0,
    },
};

/* Other accepted spellings (after lower-casing and '_' → '-'). */
static const struct {
    const char *alias;
    surface_kind kind;
} aliases[] = {
    {"camel", SURFACE_SIX_HUMP_CAMEL},
    {"six-hump", SURFACE_SIX_HUMP_CAMEL},
    {"sixhumpcamel", SURFACE_SIX_HUMP_CAMEL},
    {"sixhump-camel", SURFACE_SIX_HUMP_CAMEL},
    {"six-humpcamel", SURFACE_SIX_HUMP_CAMEL},
    {"monkey", SURFACE_MONKEY_SADDLE},
    {"monkeysaddle", SURFACE_MONKEY_SADDLE},
    {"goldstein", SURFACE_GOLDSTEIN_PRICE},
    {"goldsteinprice", SURFACE_GOLDSTEIN_PRICE},
};

/* ---- the API --------------------------------------------------------------- */

const surface_info *surface_info_get(surface_kind kind)
{
    if (kind == SURFACE_DEFAULT)
        kind = SURFACE_ROSENBROCK;
    if ((int)kind <= (int)SURFACE_DEFAULT || kind >= SURFACE_FORMULA)
        return NULL;
    return &infos[kind];
}

surface_kind surface_kind_from_name(const char *name)
{
    char buf[32];
    size_t n = 0;
    if (!name)
        return SURFACE_FORMULA;
    while (isspace((unsigned char)*name))
        name++;
    size_t len = strlen(name);
    while (len > 0 && isspace((unsigned char)name[len - 1]))
        len--;
    if (len == 0 || len >= sizeof buf)
        return SURFACE_FORMULA;
    for (; n < len; n++) {
        char c = (char)tolower((unsigned char)name[n]);
        buf[n] = c == '_' ? '-' : c;
    }
    buf[n] = '\0';
    for (int k = SURFACE_DEFAULT + 1; k < SURFACE_FORMULA; k++)
        if (strcmp(buf, infos[k].name) == 0)
            return (surface_kind)k;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(buf, aliases[i].alias) == 0)
            return aliases[i].kind;
    return SURFACE_FORMULA;
}

static double fill_nan(double grad[2], double hess[4])
{
    if (grad)
        grad[0] = grad[1] = NAN;
    if (hess)
        hess[0] = hess[1] = hess[2] = hess[3] = NAN;
    return NAN;
}

double surface_analytic_eval(surface_kind kind, double x, double y, double grad[2], double hess[4])
{
    if (kind == SURFACE_DEFAULT)
        kind = SURFACE_ROSENBROCK;
    if ((int)kind <= (int)SURFACE_DEFAULT || kind >= SURFACE_FORMULA)
        return fill_nan(grad, hess);
    return fns[kind](x, y, grad, hess);
}

int surface_init(surface *s, const char *spec, diag *err)
{
    memset(s, 0, sizeof *s);
    /* No spec at all means the default surface. */
    surface_kind kind = spec ? surface_kind_from_name(spec) : SURFACE_ROSENBROCK;
    if (kind != SURFACE_FORMULA) {
        const surface_info *info = surface_info_get(kind);
        s->kind = kind;
        s->domain = info->domain;
        snprintf(s->name, sizeof s->name, "%s", info->name);
        return 1;
    }
    formula *f = formula_compile(spec, err);
    if (!f)
        return 0;
    s->kind = SURFACE_FORMULA;
    s->formula = f;
    s->domain = (surface_domain){-3.0, 3.0, -3.0, 3.0};
    snprintf(s->name, sizeof s->name, "%s", "formula");
    return 1;
}

void surface_free(surface *s)
{
    if (!s)
        return;
    formula_destroy(s->formula);
    gridsurf_destroy(s->grid);
    memset(s, 0, sizeof *s);
}

void surface_init_grid(surface *s, gridsurf *g, const char *name)
{
    memset(s, 0, sizeof *s);
    s->kind = SURFACE_GRID;
    s->grid = g;
    double b[4];
    gridsurf_bounds(g, b);
    s->domain = (surface_domain){ b[0], b[1], b[2], b[3] };
    snprintf(s->name, sizeof s->name, "%s", name);
}

double surface_eval(const surface *s, double x, double y, double grad[2], double hess[4])
{
    if (s->kind == SURFACE_GRID)
        return s->grid ? gridsurf_eval(s->grid, x, y, grad, hess) : fill_nan(grad, hess);
    if (s->kind == SURFACE_FORMULA) {
        if (!s->formula)
            return fill_nan(grad, hess);
        return formula_eval(s->formula, x, y, grad, hess);
    }
    return surface_analytic_eval(s->kind, x, y, grad, hess);
}

double surface_grid_coord(double lo, double hi, int i, int n)
{
    if (n <= 1 || i == 0)
        return lo;
    if (i == n - 1)
        return hi;
    return lo + i * (hi - lo) / (n - 1);
}

void surface_grid_resample(const double *src, int m, int nx, int ny, double *dst)
{
    if (m == nx && m == ny) {
        memcpy(dst, src, (size_t)nx * (size_t)ny * sizeof *dst);
        return;
    }
    for (int j = 0; j < ny; j++) {
        double v = (double)j * (m - 1) / (ny > 1 ? ny - 1 : 1);
        int j0 = (int)v < m - 1 ? (int)v : m - 2;
        double tv = v - j0;
        const double *r0 = src + (size_t)j0 * m, *r1 = r0 + m;
        for (int i = 0; i < nx; i++) {
            double u = (double)i * (m - 1) / (nx > 1 ? nx - 1 : 1);
            int i0 = (int)u < m - 1 ? (int)u : m - 2;
            double tu = u - i0;
            double a = r0[i0] + tu * (r0[i0 + 1] - r0[i0]);
            double b = r1[i0] + tu * (r1[i0 + 1] - r1[i0]);
            dst[(size_t)j * nx + i] = a + tv * (b - a);
        }
    }
}

void surface_eval_grid(const surface *s, surface_domain dom, int nx, int ny,
                       double *values, double *grads)
{
    surface_eval_rows(s, dom, nx, ny, 0, ny, values, grads);
}

void surface_eval_rows(const surface *s, surface_domain dom, int nx, int ny, int row0, int rows,
                       double *values, double *grads)
{
    if (nx <= 0 || ny <= 0 || row0 < 0 || rows <= 0 || row0 > ny - rows)
        return;
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (int j = row0; j < row0 + rows; j++) {
        double y = surface_grid_coord(dom.ymin, dom.ymax, j, ny);
        for (int i = 0; i < nx; i++) {
            double x = surface_grid_coord(dom.xmin, dom.xmax, i, nx);
            size_t k = (size_t)(j - row0) * (size_t)nx + (size_t)i;
            double *g = grads ? grads + 2 * k : NULL;
            if (s->kind == SURFACE_FORMULA && s->formula && !g)
                values[k] = formula_value(s->formula, x, y);
            else
                values[k] = surface_eval(s, x, y, g, NULL);
        }
    }
}
