/*
 * test_formula.c — the formula compiler: values, exact derivatives, errors.
 *
 * Values are compared with the same expression written in C; gradients with
 * central differences of the values, Hessians with central differences of the
 * exact gradient, at seeded random points; a few with closed forms. Every error
 * case checks the exact column and message.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/formula.h"

/* ---- helpers --------------------------------------------------------------------- */

/* splitmix64: a small seeded generator, so the test points never change. */
static uint64_t next_u64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi). */
static double uniform(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * (double)(next_u64(s) >> 11) * 0x1.0p-53;
}

/* Compile `src`, failing the test (with the diagnostic) if it does not parse. */
static formula *compile_ok(const char *src)
{
    diag d = {0};
    formula *f = formula_compile(src, &d);
    if (!f) {
        fprintf(stderr, "compiling \"%s\": column %d: %s\n", src, d.column, d.msg);
        fail();
    }
    return f;
}

/* Value of `src` at (x, y). */
static double value_of(const char *src, double x, double y)
{
    formula *f = compile_ok(src);
    double v = formula_value(f, x, y);
    formula_destroy(f);
    return v;
}

/* Compile `src`, expecting failure at `column` with message `msg`. */
static void expect_error(const char *src, int column, const char *msg)
{
    diag d = {.line = -1, .column = -1};
    formula *f = formula_compile(src, &d);
    if (f || d.column != column || strcmp(d.msg, msg) != 0) {
        fprintf(stderr,
                "compiling \"%.60s%s\": got %s column %d \"%s\", expected column %d \"%s\"\n",
                src ? src : "(null)", src && strlen(src) > 60 ? "..." : "",
                f ? "success," : "", d.column, d.msg, column, msg);
        formula_destroy(f);
        fail();
    }
    assert_int_equal(d.line, 0);
}

/* ---- reference expressions -------------------------------------------------------- */

#define PI_C 3.14159265358979323846
#define E_C  2.71828182845904523536

static double r_mix(double x, double y) { return sin(x) * cos(y) + x * x / 3 - exp(-y); }
static double r_sig(double x, double y) { return 1 / (1 + exp(-x)) + log(1 + exp(y)); }
static double r_tanh(double x, double y) { return tanh(x * y); }
static double r_norm(double x, double y) { return sqrt(x * x + y * y + 1); }
static double r_abs(double x, double y) { return fabs(x - y); }
static double r_log(double x, double y) { (void)y; return log(1 + x * x); }
static double r_pow2(double x, double y) { (void)y; return pow(2, -x); }
static double r_powxy(double x, double y) { return pow(x, y); }
static double r_negsq(double x, double y) { (void)y; return -x * x; }
static double r_cube(double x, double y) { return (x + y) * (x + y) * (x + y); }
static double r_pie(double x, double y) { (void)x; (void)y; return PI_C * E_C; }
static double r_small(double x, double y) { (void)y; return 1.5e-3 * x; }
static double r_div(double x, double y) { return x / (1 + y * y) - y / (2 + cos(x)); }
static double r_tan(double x, double y) { return tan(x / 2) * y; }

static double r_rosen(double x, double y)
{
    return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
}

static double r_nested(double x, double y)
{
    return exp(sin(x * y) / (1 + x * x)) - sqrt(2 + cos(y));
}

static double r_powvar(double x, double y)
{
    return pow(1 + x * x, sin(y)) + pow(x * x + 1, 0.5);
}

static double r_ints(double x, double y)
{
    return pow(x, 3) - 3 * x * y * y + pow(y, -2) * 0 + x * x * x * x / 4;
}

static double r_sigsoft(double x, double y)
{
    return 1 / (1 + exp(-(3 * x - y))) * log(1 + exp(x * y));
}

typedef struct ref_case {
    const char *src;
    double (*ref)(double, double);
    double xlo, xhi, ylo, yhi;      /* sampling box */
} ref_case;

static const ref_case CASES[] = {
    {"sin(x)*cos(y) + x^2/3 - exp(-y)", r_mix, -2, 2, -2, 2},
    {"sigmoid(x) + softplus(y)", r_sig, -2, 2, -2, 2},
    {"tanh(x*y)", r_tanh, -2, 2, -2, 2},
    {"sqrt(x^2+y^2+1)", r_norm, -2, 2, -2, 2},
    {"abs(x-y)", r_abs, -2, 2, -2, 2},
    {"log(1+x^2)", r_log, -2, 2, -2, 2},
    {"2^-x", r_pow2, -2, 2, -2, 2},
    {"x^y", r_powxy, 0.5, 2, -2, 2},
    {"-x^2", r_negsq, -2, 2, -2, 2},
    {"(x+y)^3", r_cube, -2, 2, -2, 2},
    {"pi*e", r_pie, -2, 2, -2, 2},
    {"1.5e-3*x", r_small, -2, 2, -2, 2},
    {"x/(1+y^2) - y/(2+cos(x))", r_div, -2, 2, -2, 2},
    {"tan(x/2)*y", r_tan, -2, 2, -2, 2},
    {"(1-x)^2 + 100*(y-x^2)^2", r_rosen, -2, 2, -2, 2},
    {"exp(sin(x*y)/(1+x^2)) - sqrt(2 + cos(y))", r_nested, -2, 2, -2, 2},
    {"(1+x^2)^sin(y) + (x*x+1)^0.5", r_powvar, -2, 2, -2, 2},
    {"x^3 - 3*x*y^2 + y^-2*0 + x^4/4", r_ints, -2, 2, 0.5, 2},
    {" sigmoid( 3*x - y ) *\tsoftplus(x*y) ", r_sigsoft, -2, 2, -2, 2},
};
#define N_CASES ((int)(sizeof CASES / sizeof CASES[0]))
#define N_POINTS 200

/* ---- tests -------------------------------------------------------------------------- */

/* Values of every case match the C expression at random points; formula_value
 * and formula_eval agree bit for bit. */
static void test_values(void **state)
{
    (void)state;
    uint64_t seed = 1;
    for (int c = 0; c < N_CASES; c++) {
        const ref_case *rc = &CASES[c];
        formula *f = compile_ok(rc->src);
        assert_string_equal(formula_source(f), rc->src);
        for (int i = 0; i < N_POINTS; i++) {
            double x = uniform(&seed, rc->xlo, rc->xhi), y = uniform(&seed, rc->ylo, rc->yhi);
            double v = formula_value(f, x, y);
            expect_close(v, rc->ref(x, y), 1e-13);
            double g[2], h[4];
            double ve = formula_eval(f, x, y, g, h);
            expect_near(ve, v, 0.0);
            assert_true(formula_eval(f, x, y, NULL, NULL) == v);
        }
        formula_destroy(f);
    }
}

/* Gradients against central differences of the values (h = 1e-5). */
static void test_gradient_fd(void **state)
{
    (void)state;
    const double h = 1e-5;
    uint64_t seed = 2;
    for (int c = 0; c < N_CASES; c++) {
        const ref_case *rc = &CASES[c];
        formula *f = compile_ok(rc->src);
        for (int i = 0; i < N_POINTS; i++) {
            double x = uniform(&seed, rc->xlo, rc->xhi), y = uniform(&seed, rc->ylo, rc->yhi);
            if (rc->ref == r_abs && fabs(x - y) < 1e-3)
                continue;   /* the kink */
            double g[2];
            double v = formula_eval(f, x, y, g, NULL);
            double gx = (formula_value(f, x + h, y) - formula_value(f, x - h, y)) / (2 * h);
            double gy = (formula_value(f, x, y + h) - formula_value(f, x, y - h)) / (2 * h);
            double scale = fmax(1.0, fmax(fabs(v), fmax(fabs(g[0]), fabs(g[1]))));
            if (fabs(g[0] - gx) > 1e-6 * scale || fabs(g[1] - gy) > 1e-6 * scale)
                fprintf(stderr, "%s at (%g, %g)\n", rc->src, x, y);
            expect_near(g[0], gx, 1e-6 * scale);
            expect_near(g[1], gy, 1e-6 * scale);
        }
        formula_destroy(f);
    }
}

/* Hessians against central differences of the exact gradient; symmetric. */
static void test_hessian_fd(void **state)
{
    (void)state;
    const double h = 1e-5;
    uint64_t seed = 3;
    for (int c = 0; c < N_CASES; c++) {
        const ref_case *rc = &CASES[c];
        formula *f = compile_ok(rc->src);
        for (int i = 0; i < N_POINTS; i++) {
            double x = uniform(&seed, rc->xlo, rc->xhi), y = uniform(&seed, rc->ylo, rc->yhi);
            if (rc->ref == r_abs && fabs(x - y) < 1e-3)
                continue;
            double g[2], H[4], gxp[2], gxm[2], gyp[2], gym[2];
            formula_eval(f, x, y, g, H);
            formula_eval(f, x + h, y, gxp, NULL);
            formula_eval(f, x - h, y, gxm, NULL);
            formula_eval(f, x, y + h, gyp, NULL);
            formula_eval(f, x, y - h, gym, NULL);
            double fd[4] = {(gxp[0] - gxm[0]) / (2 * h), (gyp[0] - gym[0]) / (2 * h),
                            (gxp[1] - gxm[1]) / (2 * h), (gyp[1] - gym[1]) / (2 * h)};
            double scale = fmax(1.0, fmax(fabs(g[0]), fabs(g[1])));
            for (int k = 0; k < 4; k++)
                scale = fmax(scale, fabs(H[k]));
            for (int k = 0; k < 4; k++)
                expect_near(H[k], fd[k], 1e-6 * scale);
            assert_true(H[1] == H[2]);
        }
        formula_destroy(f);
    }
}

/* Exact derivatives against closed forms. */
static void test_closed_forms(void **state)
{
    (void)state;
    double g[2], H[4];
    formula *f;

    f = compile_ok("x^2*y");
    expect_near(formula_eval(f, 3, -2, g, H), -18, 1e-15);
    expect_near(g[0], 2 * 3 * -2, 1e-15);
    expect_near(g[1], 9, 1e-15);
    expect_near(H[0], -4, 1e-15);
    expect_near(H[1], 6, 1e-15);
    expect_near(H[2], 6, 1e-15);
    expect_near(H[3], 0, 1e-15);
    formula_destroy(f);

    f = compile_ok("sin(x)*cos(y)");
    double x = 0.7, y = -1.3;
    expect_close(formula_eval(f, x, y, g, H), sin(x) * cos(y), 1e-15);
    expect_close(g[0], cos(x) * cos(y), 1e-15);
    expect_close(g[1], -sin(x) * sin(y), 1e-15);
    expect_close(H[0], -sin(x) * cos(y), 1e-15);
    expect_close(H[1], -cos(x) * sin(y), 1e-15);
    expect_close(H[3], -sin(x) * cos(y), 1e-15);
    formula_destroy(f);

    /* x^y at (2, 3). */
    f = compile_ok("x^y");
    double l2 = log(2.0);
    expect_close(formula_eval(f, 2, 3, g, H), 8.0, 1e-15);
    expect_close(g[0], 12.0, 1e-14);
    expect_close(g[1], 8 * l2, 1e-14);
    expect_close(H[0], 12.0, 1e-14);
    expect_close(H[1], 4 * (1 + 3 * l2), 1e-14);
    expect_close(H[3], 8 * l2 * l2, 1e-14);
    formula_destroy(f);

    /* Constant integer exponents on negative bases are exact. */
    f = compile_ok("x^3");
    assert_true(formula_eval(f, -2, 0, g, H) == -8);
    assert_true(g[0] == 12 && g[1] == 0);
    assert_true(H[0] == -12 && H[1] == 0 && H[3] == 0);
    formula_destroy(f);

    f = compile_ok("x^2");
    assert_true(formula_eval(f, -3, 0, g, H) == 9);
    assert_true(g[0] == -6 && H[0] == 2);
    formula_destroy(f);

    f = compile_ok("-x^2");
    assert_true(formula_eval(f, -3, 5, g, H) == -9);
    assert_true(g[0] == 6 && g[1] == 0 && H[0] == -2);
    formula_destroy(f);

    f = compile_ok("x^-1");
    assert_true(formula_eval(f, 2, 0, g, H) == 0.5);
    assert_true(g[0] == -0.25 && H[0] == 0.25);
    formula_destroy(f);

    /* x^0 and x^1 at 0: no 0·inf. */
    f = compile_ok("x^0 + y^1");
    assert_true(formula_eval(f, 0, 0, g, H) == 1);
    assert_true(g[0] == 0 && g[1] == 1);
    assert_true(H[0] == 0 && H[1] == 0 && H[3] == 0);
    formula_destroy(f);

    assert_true(value_of("(-2)^3", 0, 0) == -8);
    f = compile_ok("(-2)^3 * x");
    assert_true(formula_eval(f, 1, 1, g, H) == -8 && g[0] == -8);
    formula_destroy(f);

    /* e^x by the general power rule. */
    f = compile_ok("e^x");
    expect_close(formula_eval(f, 1.5, 0, g, H), exp(1.5), 1e-15);
    expect_close(g[0], exp(1.5), 1e-15);
    expect_close(H[0], exp(1.5), 1e-15);
    formula_destroy(f);

    /* softplus' = sigmoid, sigmoid' = s(1−s), stable far out. */
    f = compile_ok("softplus(x) + sigmoid(y)");
    expect_close(formula_eval(f, 800, -800, g, H), 800.0, 1e-15);
    expect_near(g[0], 1, 1e-15);
    expect_near(g[1], 0, 1e-300);
    assert_true(isfinite(H[0]) && isfinite(H[3]));
    formula_destroy(f);
}

/* Non-differentiable points and domain faults. */
static void test_edges(void **state)
{
    (void)state;
    double g[2], H[4];
    formula *f = compile_ok("abs(x)");
    assert_true(formula_eval(f, 0, 0, g, H) == 0);
    assert_true(g[0] == 0 && g[1] == 0 && H[0] == 0);      /* sign(0) = 0 */
    assert_true(formula_eval(f, -2, 0, g, NULL) == 2 && g[0] == -1);
    formula_destroy(f);

    f = compile_ok("sqrt(x)");
    assert_true(formula_eval(f, 0, 1, g, H) == 0);
    assert_true(isinf(g[0]) && g[0] > 0);
    assert_true(g[1] == 0);
    formula_destroy(f);

    f = compile_ok("log(x)");
    assert_true(isnan(formula_value(f, -1, 0)));
    assert_true(isnan(formula_eval(f, -1, 0, g, H)));
    assert_true(isinf(formula_value(f, 0, 0)));
    formula_destroy(f);

    assert_true(isinf(value_of("1/x", 0, 0)));
    assert_true(isnan(value_of("log(-1)", 0, 0)));      /* folded, still NaN */

    formula_destroy(NULL);                              /* no-op */
}

static void test_precedence(void **state)
{
    (void)state;
    assert_true(value_of("-x^2", 3, 0) == -9);
    assert_true(value_of("2^3^2", 0, 0) == 512);
    assert_true(value_of("2*3+4", 0, 0) == 10);
    assert_true(value_of("8/4/2", 0, 0) == 1);
    assert_true(value_of("2-3-4", 0, 0) == -5);
    assert_true(value_of("2^-1", 0, 0) == 0.5);
    assert_true(value_of("-2^2", 0, 0) == -4);
    assert_true(value_of("(-2)^2", 0, 0) == 4);
    assert_true(value_of("2^-x^2", 1, 0) == 0.5);       /* 2^(-(x^2)) */
    assert_true(value_of("-+-x", 4, 0) == 4);
    assert_true(value_of("x - -y", 1, 2) == 3);
    assert_true(value_of("2*-x", 3, 0) == -6);
    assert_true(value_of("1+2*3^2", 0, 0) == 19);
    assert_true(value_of("x*y^2", 2, 3) == 18);
    assert_true(value_of("(x*y)^2", 2, 3) == 36);
    assert_true(value_of("y/x*2", 2, 3) == 3);
    assert_true(value_of(".5 + 2. + 1e2 + 2E-1 + 3e+0", 0, 0) == 102.7 + 3);
    assert_true(value_of("1e-400", 0, 0) == 0);          /* underflow is fine */
    expect_close(value_of("pi", 0, 0), PI_C, 1e-16);
    expect_close(value_of("e", 0, 0), E_C, 1e-16);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("", 1, "empty formula");
    expect_error("   \t ", 1, "empty formula");
    expect_error(NULL, 1, "empty formula");
    expect_error("x # y", 3, "unexpected character '#'");
    expect_error("sin(x,y)", 6, "unexpected character ','");
    expect_error("x\x01", 2, "unexpected character '\\x01'");
    expect_error(".", 1, "unexpected character '.'");
    expect_error("foo(x)", 1, "unknown name 'foo'");
    expect_error("x + foo", 5, "unknown name 'foo'");
    expect_error("X", 1, "unknown name 'X'");
    expect_error("Sin(x)", 1, "unknown name 'Sin'");
    expect_error("inf", 1, "unknown name 'inf'");
    expect_error("nan + 1", 1, "unknown name 'nan'");
    expect_error("x^2 + (y", 8, "expected ')'");
    expect_error("sqrt(x", 6, "expected ')'");
    expect_error("(x y)", 4, "expected an operator");
    expect_error("x)", 2, "unexpected ')'");
    expect_error("(x))", 4, "unexpected ')'");
    expect_error("()", 2, "unexpected ')'");
    expect_error("sin x", 5, "expected '(' after 'sin'");
    expect_error("sin", 3, "expected '(' after 'sin'");
    expect_error("softplus + 1", 10, "expected '(' after 'softplus'");
    expect_error("2x", 2, "expected an operator");
    expect_error("2 (x)", 3, "expected an operator");
    expect_error("(2x)", 3, "expected an operator");
    expect_error("2e", 2, "expected an operator");       /* 2 then the constant e */
    expect_error("0x1p3", 2, "expected an operator");    /* no hex floats */
    expect_error("pi(2)", 3, "expected an operator");
    expect_error("1e400", 1, "number out of range");
    expect_error("x + 1e400", 5, "number out of range");
    expect_error("x+", 2, "unexpected end of formula");
    expect_error("x^", 2, "unexpected end of formula");
    expect_error("(", 1, "unexpected end of formula");
    expect_error("*x", 1, "unexpected '*'");
    expect_error("x+*y", 3, "unexpected '*'");
}

/* Nesting: 64 levels compile, the 65th fails where it opens, 10,000 do not
 * crash. Length: 4096 bytes compile, more fail. */
static void test_limits(void **state)
{
    (void)state;
    char buf[20010];

    /* 64 parentheses around x: fine. */
    memset(buf, '(', 64);
    buf[64] = 'x';
    memset(buf + 65, ')', 64);
    buf[129] = '\0';
    formula *f = compile_ok(buf);
    assert_true(formula_value(f, 2, 0) == 2);
    formula_destroy(f);

    /* 65: the 65th '(' crosses the limit. */
    memset(buf, '(', 65);
    buf[65] = 'x';
    memset(buf + 66, ')', 65);
    buf[131] = '\0';
    expect_error(buf, 65, "nesting deeper than 64");

    /* 10,000 '(' (also over the length limit: the earlier fault wins). */
    memset(buf, '(', 10000);
    buf[10000] = '\0';
    expect_error(buf, 65, "nesting deeper than 64");

    /* 10,000 unary minus signs and calls. */
    memset(buf, '-', 10000);
    strcpy(buf + 10000, "x");
    expect_error(buf, 65, "nesting deeper than 64");
    buf[0] = '\0';
    for (int i = 0; i < 2000; i++)
        strcat(buf, "sin(");
    expect_error(buf, 4 * 64 + 4, "nesting deeper than 64");

    /* A right-associative tower of 1,000 exponents: the 65th '^' is at column 130. */
    buf[0] = '\0';
    for (int i = 0; i < 1000; i++)
        strcat(buf, "x^");
    strcat(buf, "x");
    expect_error(buf, 130, "nesting deeper than 64");

    /* Deep but legal: the evaluation stack holds. x+x*(x+x*(... 64 levels. */
    buf[0] = '\0';
    for (int i = 0; i < 64; i++)
        strcat(buf, "x+x*(");
    strcat(buf, "x+x*x");
    for (int i = 0; i < 64; i++)
        strcat(buf, ")");
    f = compile_ok(buf);
    double g[2];                      /* at x = 1: innermost 2, then 64 × (1 + ·) */
    assert_true(formula_eval(f, 1, 0, g, NULL) == formula_value(f, 1, 0));
    assert_true(formula_value(f, 1, 0) == 66);
    formula_destroy(f);

    /* Exactly 4096 bytes: fine. "x+x+...+x" (4095) plus a space. */
    char *big = malloc(6000);
    assert_non_null(big);
    int n = 0;
    big[n++] = 'x';
    while (n + 2 <= 4095) {
        big[n++] = '+';
        big[n++] = 'x';
    }
    big[n++] = ' ';
    big[n] = '\0';
    assert_int_equal(n, 4096);
    f = compile_ok(big);
    assert_true(formula_value(f, 1, 0) == 2048);
    formula_destroy(f);

    /* 5000 bytes: the length fault, at column 4097. */
    n = 0;
    big[n++] = 'x';
    while (n < 5000) {
        big[n++] = '+';
        big[n++] = 'x';
    }
    big[n] = '\0';
    expect_error(big, 4097, "formula longer than 4096 characters");

    /* Cut inside a name or a number: still the length fault, not a false one. */
    memset(big, ' ', 4094);
    strcpy(big + 4094, "sigmoid(x)");
    expect_error(big, 4097, "formula longer than 4096 characters");
    memset(big, ' ', 4094);
    strcpy(big + 4094, "1.5e400");
    expect_error(big, 4097, "formula longer than 4096 characters");
    memset(big, ' ', 5000);
    big[5000] = '\0';
    expect_error(big, 4097, "formula longer than 4096 characters");
    /* ...but an early fault in a long formula is reported where it is. */
    big[3] = '#';
    expect_error(big, 4, "unexpected character '#'");
    free(big);
}

/* Constant folding leaves results unchanged and compiles constants to one value. */
static void test_folding(void **state)
{
    (void)state;
    double g[2], H[4];
    formula *f = compile_ok("sin(pi/6)*2 + 2^(1+1)*x - -(3)");
    expect_close(formula_eval(f, 1.25, 7, g, H), sin(PI_C / 6) * 2 + 4 * 1.25 + 3,
                 1e-15);
    assert_true(g[0] == 4 && g[1] == 0 && H[0] == 0);
    formula_destroy(f);
    assert_true(value_of("softplus(0)", 0, 0) == log(2.0));
    assert_true(value_of("sigmoid(0)", 0, 0) == 0.5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_gradient_fd),
        cmocka_unit_test(test_hessian_fd),
        cmocka_unit_test(test_closed_forms),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_folding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
