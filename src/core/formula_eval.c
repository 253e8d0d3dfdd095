/*
 * formula_eval.c — running a compiled formula (formula_internal.h's postfix
 * program): formula_value on doubles and formula_eval on second-order jets. See
 * formula.h for the contracts.
 *
 * Design
 *
 *   Two evaluators run the program: formula_value on doubles (the grid fast
 *   path) and formula_eval on second-order jets (v, ∂x, ∂y, ∂xx, ∂xy, ∂yy),
 *   forward-mode automatic differentiation. Both compute the value part with the
 *   same operations, so they agree bit for bit. All evaluation state lives on the
 *   caller's stack: a compiled formula is never written after compile.
 *
 *   Non-differentiable points: abs'(0) is taken as 0 (sign(0) = 0, the middle of
 *   the subgradient); sqrt'(0) is +inf. Domain faults (log(-1), 0/0) give NaN or
 *   inf without trapping; callers treat non-finite results as divergence.
 */
#include "core/formula.h"
#include "core/formula_internal.h"

#include <math.h>

/* ---- value evaluator -------------------------------------------------------------------- */

double formula_value(const formula *f, double x, double y)
{
    if (!f)
        return NAN;
    double st[EVAL_STACK_CAP];
    int sp = 0;     /* number of values on the stack */
    const instr *code = f->code;
    for (int i = 0, n = f->n_code; i < n; i++) {
        int op = code[i].op;
        switch (op) {
        case OP_CONST: st[sp++] = f->pool[code[i].arg]; break;
        case OP_X: st[sp++] = x; break;
        case OP_Y: st[sp++] = y; break;
        case OP_ADD: sp--; st[sp - 1] += st[sp]; break;
        case OP_SUB: sp--; st[sp - 1] -= st[sp]; break;
        case OP_MUL: sp--; st[sp - 1] *= st[sp]; break;
        case OP_DIV: sp--; st[sp - 1] /= st[sp]; break;
        case OP_POW: sp--; st[sp - 1] = pow(st[sp - 1], st[sp]); break;
        case OP_POWC: st[sp - 1] = pow(st[sp - 1], f->pool[code[i].arg]); break;
        default: st[sp - 1] = formula_apply_unary(op, st[sp - 1]); break;
        }
    }
    return st[0];
}

/* ---- jet evaluator ----------------------------------------------------------------------- */

/* A second-order jet: a value and its derivatives in x and y. */
typedef struct jet {
    double v, x, y, xx, xy, yy;
} jet;

/* g · d, except that a zero d gives 0 even when g is infinite: a direction in
 * which the operand does not move contributes nothing (sqrt(x) at x = 0 has
 * ∂y = 0, not NaN). */
static double scale(double g, double d)
{
    return d == 0.0 ? 0.0 : g * d;
}

/* g(a) by the chain rule, given g(a.v) = g0, g'(a.v) = g1, g''(a.v) = g2:
 * ∂i = g1 a_i, ∂ij = g2 a_i a_j + g1 a_ij. */
static jet chain(jet a, double g0, double g1, double g2)
{
    jet z;
    z.v = g0;
    z.x = scale(g1, a.x);
    z.y = scale(g1, a.y);
    z.xx = scale(g2, a.x * a.x) + scale(g1, a.xx);
    z.xy = scale(g2, a.x * a.y) + scale(g1, a.xy);
    z.yy = scale(g2, a.y * a.y) + scale(g1, a.yy);
    return z;
}

/* a · b by the product rule. */
static jet jet_mul(jet a, jet b)
{
    jet z;
    z.v = a.v * b.v;
    z.x = a.x * b.v + a.v * b.x;
    z.y = a.y * b.v + a.v * b.y;
    z.xx = a.xx * b.v + 2.0 * a.x * b.x + a.v * b.xx;
    z.xy = a.xy * b.v + a.x * b.y + a.y * b.x + a.v * b.xy;
    z.yy = a.yy * b.v + 2.0 * a.y * b.y + a.v * b.yy;
    return z;
}

/* a / b: from a = z·b, z_i = (a_i − z b_i)/b and
 * z_ij = (a_ij − z_i b_j − z_j b_i − z b_ij)/b. */
static jet jet_div(jet a, jet b)
{
    jet z;
    z.v = a.v / b.v;
    z.x = (a.x - z.v * b.x) / b.v;
    z.y = (a.y - z.v * b.y) / b.v;
    z.xx = (a.xx - 2.0 * z.x * b.x - z.v * b.xx) / b.v;
    z.xy = (a.xy - z.x * b.y - z.y * b.x - z.v * b.xy) / b.v;
    z.yy = (a.yy - 2.0 * z.y * b.y - z.v * b.yy) / b.v;
    return z;
}

/* a^c for a constant c: derivatives c·a^(c−1) and c(c−1)·a^(c−2). pow with an
 * integer exponent is exact in sign for a negative base. The zero coefficients
 * for c = 0 and c = 1 are forced so that a = 0 gives 0, not 0·inf. */
static jet jet_powc(jet a, double c)
{
    double d1 = c == 0.0 ? 0.0 : c * pow(a.v, c - 1.0);
    double d2 = (c == 0.0 || c == 1.0) ? 0.0 : c * (c - 1.0) * pow(a.v, c - 2.0);
    return chain(a, pow(a.v, c), d1, d2);
}

/* a^b for a variable b: z = exp(P) with P = b·log a, so z_i = z P_i and
 * z_ij = z (P_ij + P_i P_j). The value itself comes from pow, like
 * formula_value's. Needs a > 0 for finite derivatives. */
static jet jet_pow(jet a, jet b)
{
    jet l = chain(a, log(a.v), 1.0 / a.v, -1.0 / (a.v * a.v));
    jet q = jet_mul(b, l);
    jet z;
    z.v = pow(a.v, b.v);
    z.x = z.v * q.x;
    z.y = z.v * q.y;
    z.xx = z.v * (q.xx + q.x * q.x);
    z.xy = z.v * (q.xy + q.x * q.y);
    z.yy = z.v * (q.yy + q.y * q.y);
    return z;
}

/* A unary function of a jet (OP_NEG or OP_SIN ... OP_SOFTPLUS). */
static jet jet_unary(int op, jet a)
{
    double v = a.v;
    switch (op) {
    case OP_NEG:
        return (jet){-a.v, -a.x, -a.y, -a.xx, -a.xy, -a.yy};
    case OP_SIN: {
        double s = sin(v), c = cos(v);
        return chain(a, s, c, -s);
    }
    case OP_COS: {
        double s = sin(v), c = cos(v);
        return chain(a, c, -s, -c);
    }
    case OP_TAN: {
        double t = tan(v), d = 1.0 + t * t;
        return chain(a, t, d, 2.0 * t * d);
    }
    case OP_EXP: {
        double e = exp(v);
        return chain(a, e, e, e);
    }
    case OP_LOG:
        return chain(a, log(v), 1.0 / v, -1.0 / (v * v));
    case OP_SQRT: {
        double r = sqrt(v);
        return chain(a, r, 0.5 / r, -0.25 / (r * v));
    }
    case OP_ABS: {
        double sg = v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0;   /* sign(0) = 0 */
        return chain(a, fabs(v), sg, 0.0);
    }
    case OP_TANH: {
        double t = tanh(v), d = 1.0 - t * t;
        return chain(a, t, d, -2.0 * t * d);
    }
    case OP_SIGMOID: {
        double s = formula_sigmoid(v), sm = formula_sigmoid(-v);    /* sm = 1 − s, without cancellation */
        double d = s * sm;
        return chain(a, s, d, d * (sm - s));
    }
    case OP_SOFTPLUS: {
        double s = formula_sigmoid(v), sm = formula_sigmoid(-v);
        return chain(a, formula_softplus(v), s, s * sm);
    }
    default:
        return (jet){NAN, NAN, NAN, NAN, NAN, NAN};
    }
}

double formula_eval(const formula *f, double x, double y, double grad[2], double hess[4])
{
    if (!f) {
        if (grad)
            grad[0] = grad[1] = NAN;
        if (hess)
            hess[0] = hess[1] = hess[2] = hess[3] = NAN;
        return NAN;
    }
    jet st[EVAL_STACK_CAP];
    int sp = 0;     /* number of jets on the stack */
    const instr *code = f->code;
    for (int i = 0, n = f->n_code; i < n; i++) {
        int op = code[i].op;
        switch (op) {
        case OP_CONST: st[sp++] = (jet){f->pool[code[i].arg], 0, 0, 0, 0, 0}; break;
        case OP_X: st[sp++] = (jet){x, 1, 0, 0, 0, 0}; break;
        case OP_Y: st[sp++] = (jet){y, 0, 1, 0, 0, 0}; break;
        case OP_ADD:
        case OP_SUB: {
            jet *l = &st[sp - 2], *r = &st[sp - 1];
            if (op == OP_ADD)
                *l = (jet){l->v + r->v, l->x + r->x, l->y + r->y,
                           l->xx + r->xx, l->xy + r->xy, l->yy + r->yy};
            else
                *l = (jet){l->v - r->v, l->x - r->x, l->y - r->y,
                           l->xx - r->xx, l->xy - r->xy, l->yy - r->yy};
            sp--;
            break;
        }
        case OP_MUL: st[sp - 2] = jet_mul(st[sp - 2], st[sp - 1]); sp--; break;
        case OP_DIV: st[sp - 2] = jet_div(st[sp - 2], st[sp - 1]); sp--; break;
        case OP_POW: st[sp - 2] = jet_pow(st[sp - 2], st[sp - 1]); sp--; break;
        case OP_POWC: st[sp - 1] = jet_powc(st[sp - 1], f->pool[code[i].arg]); break;
        default: st[sp - 1] = jet_unary(op, st[sp - 1]); break;
        }
    }
    jet r = st[0];
    if (grad) {
        grad[0] = r.x;
        grad[1] = r.y;
    }
    if (hess) {
        hess[0] = r.xx;
        hess[1] = hess[2] = r.xy;
        hess[3] = r.yy;
    }
    return r.v;
}
