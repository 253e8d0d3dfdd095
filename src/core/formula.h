/*
 * formula.h — user formulas in x and y, with exact gradient and Hessian.
 *
 * Grammar (precedence low to high; ^ is right-associative and binds tighter than
 * unary minus, so -x^2 is -(x^2)):
 *
 *     expr   := term (('+' | '-') term)*
 *     term   := unary (('*' | '/') unary)*
 *     unary  := ('-' | '+') unary | power
 *     power  := atom ('^' unary)?
 *     atom   := NUMBER | 'x' | 'y' | 'pi' | 'e' | FUNC '(' expr ')' | '(' expr ')'
 *     FUNC   := sin cos tan exp log sqrt abs tanh sigmoid softplus
 *
 * A formula is parsed once into a compact postfix program. Evaluation runs that
 * program either on plain doubles (value only) or on second-order jets
 * (value, ∂x, ∂y, ∂xx, ∂xy, ∂yy): forward-mode automatic differentiation, exact
 * to rounding, no finite differences.
 *
 * Where a function is not differentiable: abs'(0) is taken as 0 (sign(0) = 0)
 * and sqrt'(0) is +inf. Outside a function's domain (log of a negative number)
 * the result is NaN, which callers treat as divergence.
 *
 * Modules: formula.c compiles (lexer, parser, constant folding), formula_eval.c
 * evaluates; formula_internal.h is the compiled program they share.
 *
 * Index
 *     FORMULA_MAX_LEN, FORMULA_MAX_DEPTH
 *     formula_compile(src, err)  → formula * (NULL on error, err filled)
 *     formula_destroy(f)
 *     formula_eval(f, x, y, grad, hess)
 *     formula_value(f, x, y)
 *     formula_source(f)
 */
#ifndef LOSSCAPE_FORMULA_H
#define LOSSCAPE_FORMULA_H

#include "core/diag.h"

#define FORMULA_MAX_LEN   4096   /* bytes of source text */
#define FORMULA_MAX_DEPTH 64     /* nesting of parentheses, calls and unary operators */

typedef struct formula formula;

/* Parse `src`. Returns a new formula owned by the caller (free with
 * formula_destroy), or NULL with `err` filled: err->column is the 1-based
 * column of the fault (line stays 0) and err->msg says what was expected,
 * e.g. compiling "x^2 + (y" gives column 8, "expected ')'": when the input ends
 * too early the column is that of its last character. A NULL src is the empty
 * formula. A src longer than FORMULA_MAX_LEN bytes fails at column
 * FORMULA_MAX_LEN + 1 ("formula longer than 4096 characters") unless a fault
 * comes earlier in it; src is never read beyond FORMULA_MAX_LEN + 1 bytes. */
formula *formula_compile(const char *src, diag *err);

/* Free a formula; NULL is a no-op. */
void formula_destroy(formula *f);

/* Value at (x, y). If grad is not NULL it receives (∂f/∂x, ∂f/∂y); if hess is not
 * NULL it receives the Hessian row-major {fxx, fxy, fyx, fyy}. Thread-safe: a
 * compiled formula is read-only. */
double formula_eval(const formula *f, double x, double y, double grad[2], double hess[4]);

/* Value only; the fast path used for grids. */
double formula_value(const formula *f, double x, double y);

/* The source text the formula was compiled from (owned by the formula). */
const char *formula_source(const formula *f);

#endif
