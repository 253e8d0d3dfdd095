/*
 * formula_internal.h — the compiled form of a user formula, shared by its two
 * modules: formula.c (the lexer and recursive-descent parser that emit it, with
 * constant folding) and formula_eval.c (the evaluators that run it: values, and
 * second-order jets for exact gradients and Hessians). Not for other callers: the
 * public contracts are formula.h's.
 *
 * The program: n_code postfix instructions over an evaluation stack. OP_CONST and
 * OP_POWC take pool[arg] (the pool's indices are used in program order 0, 1, 2, ...);
 * OP_X and OP_Y push the variables; OP_NEG and the functions replace the top; the
 * binary opcodes pop two and push one. A program leaves exactly one value, never
 * needs more than max_stack ≤ EVAL_STACK_CAP places, and is never written after
 * formula_compile returns it (so evaluation is thread-safe).
 *
 * The scalar helpers give each opcode's value; folding uses them, as the
 * evaluators do, so a folded constant equals what evaluation would have computed.
 */
#ifndef LOSSCAPE_FORMULA_INTERNAL_H
#define LOSSCAPE_FORMULA_INTERNAL_H

#include <math.h>

#include "core/formula.h"

/* Upper bound of the evaluation stack: 3 pending operands per nesting level
 * (levels 0 ... FORMULA_MAX_DEPTH) plus the operand being computed. */
#define EVAL_STACK_CAP (3 * (FORMULA_MAX_DEPTH + 1) + 1)

typedef enum opcode {
    OP_CONST,       /* push pool[arg] */
    OP_X,           /* push x */
    OP_Y,           /* push y */
    OP_NEG,         /* a → −a */
    OP_ADD,         /* a b → a + b */
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_POW,         /* a b → a^b, b variable */
    OP_POWC,        /* a → a^pool[arg] */
    OP_SIN,         /* unary functions: a → f(a) */
    OP_COS,
    OP_TAN,
    OP_EXP,
    OP_LOG,
    OP_SQRT,
    OP_ABS,
    OP_TANH,
    OP_SIGMOID,
    OP_SOFTPLUS
} opcode;

typedef struct instr {
    unsigned char op;   /* an opcode */
    int arg;            /* pool index for OP_CONST and OP_POWC; unused otherwise */
} instr;

struct formula {
    char *src;          /* copy of the source text */
    instr *code;        /* postfix program */
    int n_code;
    double *pool;       /* constants */
    int n_pool;
    int max_stack;      /* deepest evaluation stack the program needs, ≤ EVAL_STACK_CAP */
};

/* ---- scalar helpers shared by constant folding (formula.c) and both evaluators ---- */

/* Logistic function 1/(1+e^−a), without overflow for either sign of a. */
static inline double formula_sigmoid(double a)
{
    if (a >= 0)
        return 1.0 / (1.0 + exp(-a));
    double e = exp(a);
    return e / (1.0 + e);
}

/* log(1 + e^a), accurate for large |a|. */
static inline double formula_softplus(double a)
{
    if (a > 0)
        return a + log1p(exp(-a));
    return log1p(exp(a));
}

/* Value of a unary opcode (OP_NEG or a function) at a. */
static inline double formula_apply_unary(int op, double a)
{
    switch (op) {
    case OP_NEG: return -a;
    case OP_SIN: return sin(a);
    case OP_COS: return cos(a);
    case OP_TAN: return tan(a);
    case OP_EXP: return exp(a);
    case OP_LOG: return log(a);
    case OP_SQRT: return sqrt(a);
    case OP_ABS: return fabs(a);
    case OP_TANH: return tanh(a);
    case OP_SIGMOID: return formula_sigmoid(a);
    case OP_SOFTPLUS: return formula_softplus(a);
    default: return NAN;
    }
}

/* Value of a binary opcode (OP_ADD ... OP_POW) at a, b. */
static inline double formula_apply_binary(int op, double a, double b)
{
    switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    case OP_POW: return pow(a, b);
    default: return NAN;
    }
}

#endif
