/*
 * formula.c — compiling user formulas in x, y: the lexer and the parser that emit
 * the postfix program of formula_internal.h (its evaluators: formula_eval.c). See
 * formula.h for the grammar and the contracts.
 *
 * Design
 *
 *   Lexing is on demand: the parser holds one look-ahead token and asks for the
 *   next. Numbers are scanned by hand (digits, an optional fraction, an optional
 *   exponent with at least one digit) and only that span is handed to strtod, so
 *   "inf", "nan" and hex floats never become numbers. (strtod follows the C
 *   locale's decimal point; the program never changes LC_NUMERIC.)
 *
 *   A recursive-descent parser emits a postfix program directly: an array of
 *   instructions (opcode + argument) and a pool of constants. While emitting it
 *   folds constants: an operator whose operands are all single constants is
 *   evaluated at once (with the same helpers the evaluators use, so folding never
 *   changes a result) and replaced by one constant. A '^' whose exponent is a
 *   constant becomes OP_POWC, whose derivative rule c·a^(c−1) works on negative
 *   bases when c is an integer ((-2)^3, x^2 at x < 0); a variable exponent uses
 *   the general rule a^b = exp(b·log a).
 *
 *   Invariant of the constant pool: the instructions that reference the pool
 *   (OP_CONST, OP_POWC) do so in program order with indices 0, 1, 2, ..., so
 *   folding the constants at the end of the program only ever pops the end of
 *   the pool.
 *
 *   Nesting (parentheses, calls, prefix signs, exponents: every place where the
 *   parser recurses) is limited to FORMULA_MAX_DEPTH, so the C stack stays small
 *   whatever the input. Each nesting level holds at most three pending operands
 *   (left of + −, left of * /, base of ^), which bounds the evaluation stack by
 *   EVAL_STACK_CAP; the exact maximum is computed once at compile time.
 *
 *   The program is run by formula_eval.c (formula_value, formula_eval).
 *
 *   Error columns are 1-based byte offsets into the source. When the input ends
 *   too early (e.g. "x^2 + (y" lacking its ')') the column reported is that of
 *   the last character, i.e. the length of the source (8 here), not one past it:
 *   the caret then lands on text the user can see. Faults are reported in
 *   reading order, the length limit counting as a fault at column
 *   FORMULA_MAX_LEN + 1 (see formula_compile).
 */
#include "core/formula.h"
#include "core/formula_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORMULA_PI 3.14159265358979323846
#define FORMULA_E  2.71828182845904523536

static const struct {
    const char *name;
    unsigned char op;
} FUNCS[] = {
    {"sin", OP_SIN},   {"cos", OP_COS},   {"tan", OP_TAN},         {"exp", OP_EXP},
    {"log", OP_LOG},   {"sqrt", OP_SQRT}, {"abs", OP_ABS},         {"tanh", OP_TANH},
    {"sigmoid", OP_SIGMOID},              {"softplus", OP_SOFTPLUS},
};

/* ---- lexer -------------------------------------------------------------------- */

typedef enum tok_kind {
    TOK_NONE,       /* nothing read yet */
    TOK_END,        /* end of input */
    TOK_NUM,        /* a number; value in tok.num */
    TOK_NAME,       /* [A-Za-z_][A-Za-z0-9_]* */
    TOK_OP          /* one of + - * / ^ ( ); the character in tok.ch */
} tok_kind;

typedef struct token {
    tok_kind kind;
    int pos;        /* 0-based byte offset of the first character */
    int len;        /* bytes */
    char ch;        /* TOK_OP: the character */
    double num;     /* TOK_NUM: the value */
} token;

typedef struct parser {
    const char *src;    /* the source */
    int len;            /* bytes of it to read: all, or FORMULA_MAX_LEN if truncated */
    int truncated;      /* the source is longer than FORMULA_MAX_LEN */
    int at_end;         /* the reported error was met at the end of input */
    int at;             /* lexer position: next unread byte */
    token tok;          /* look-ahead */
    char *scratch;      /* len + 1 bytes: a number's span for strtod */
    instr *code;        /* capacity len + 1: at most one instruction per token */
    int n_code;
    double *pool;       /* capacity len + 1 */
    int n_pool;
    int depth;          /* current nesting */
    int failed;         /* an error was reported */
    diag *err;
} parser;

/* Report an error at 0-based offset `pos`, printf-style (the first error wins).
 * Returns 0. */
static int fail_at(parser *p, int pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int fail_at(parser *p, int pos, const char *fmt, ...)
{
    if (p->failed)
        return 0;
    p->failed = 1;
    p->at_end = p->tok.kind == TOK_END;
    char msg[DIAG_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set(p->err, 0, pos + 1, "%s", msg);
    return 0;
}

/* Column offset (0-based) to report for the look-ahead token: its own position,
 * or the last character of the source at end of input (see the file comment). */
static int tok_pos(const parser *p)
{
    if (p->tok.kind == TOK_END)
        return p->len > 0 ? p->len - 1 : 0;
    return p->tok.pos;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Byte i of the source, or 0 at and past p->len: the lexer never looks beyond
 * the part of the source it was given. */
static unsigned char byte_at(const parser *p, int i)
{
    return i < p->len ? (unsigned char)p->src[i] : 0;
}

/* Make the look-ahead the end of input. */
static int set_end(parser *p)
{
    p->tok = (token){.kind = TOK_END, .pos = p->len};
    p->at = p->len;
    return 1;
}

/* Scan a number starting at p->at into p->tok. Returns 1, or 0 on error
 * ("number out of range"). The caller checked that a digit, or '.' followed by a
 * digit, starts here. */
static int lex_number(parser *p)
{
    int start = p->at, i = start;
    while (is_digit(byte_at(p, i)))
        i++;
    if (byte_at(p, i) == '.') {
        i++;
        while (is_digit(byte_at(p, i)))
            i++;
    }
    if (byte_at(p, i) == 'e' || byte_at(p, i) == 'E') {
        int j = i + 1;
        if (byte_at(p, j) == '+' || byte_at(p, j) == '-')
            j++;
        if (is_digit(byte_at(p, j))) {      /* else the 'e' is not ours ("2e" = 2, e) */
            while (is_digit(byte_at(p, j)))
                j++;
            i = j;
        }
    }
    if (i == p->len && p->truncated)        /* may go on past the cut: unknown */
        return set_end(p);
    int n = i - start;
    memcpy(p->scratch, p->src + start, (size_t)n);
    p->scratch[n] = '\0';
    char *end = NULL;
    double v = strtod(p->scratch, &end);   /* underflow to 0 or a subnormal is accepted */
    if (end != p->scratch + n || !isfinite(v))
        return fail_at(p, start, "number out of range");
    p->tok = (token){.kind = TOK_NUM, .pos = start, .len = n, .num = v};
    p->at = i;
    return 1;
}

/* Read the next token into p->tok. Returns 1, or 0 with the error reported. */
static int next(parser *p)
{
    while (p->at < p->len && is_space(byte_at(p, p->at)))
        p->at++;
    int i = p->at;
    if (i >= p->len)
        return set_end(p);
    unsigned char c = byte_at(p, i);
    if (is_digit(c) || (c == '.' && is_digit(byte_at(p, i + 1))))
        return lex_number(p);
    if (is_name_start(c)) {
        int j = i + 1;
        while (is_name_start(byte_at(p, j)) || is_digit(byte_at(p, j)))
            j++;
        if (j == p->len && p->truncated)    /* may go on past the cut: unknown */
            return set_end(p);
        p->tok = (token){.kind = TOK_NAME, .pos = i, .len = j - i};
        p->at = j;
        return 1;
    }
    if (strchr("+-*/^()", c)) {
        p->tok = (token){.kind = TOK_OP, .pos = i, .len = 1, .ch = (char)c};
        p->at = i + 1;
        return 1;
    }
    if (c > 0x20 && c < 0x7f)
        return fail_at(p, i, "unexpected character '%c'", c);
    return fail_at(p, i, "unexpected character '\\x%02x'", c);  /* control or non-ASCII byte */
}

/* Is the look-ahead operator character `ch`? */
static int tok_is(const parser *p, char ch)
{
    return p->tok.kind == TOK_OP && p->tok.ch == ch;
}

/* Can the look-ahead token start an operand (used to word "2x" as a missing
 * operator)? */
static int tok_starts_operand(const parser *p)
{
    return p->tok.kind == TOK_NUM || p->tok.kind == TOK_NAME || tok_is(p, '(');
}

/* ---- emission and constant folding --------------------------------------------- */

/* Append an instruction (capacity is guaranteed by one-per-token). */
static void emit(parser *p, int op, int arg)
{
    p->code[p->n_code++] = (instr){.op = (unsigned char)op, .arg = arg};
}

/* Append "push constant v". */
static void emit_const(parser *p, double v)
{
    p->pool[p->n_pool] = v;
    emit(p, OP_CONST, p->n_pool++);
}

/* Is the code in [start, n_code) a single constant? */
static int is_const(const parser *p, int start)
{
    return p->n_code == start + 1 && p->code[start].op == OP_CONST;
}

/* Apply a unary opcode to the operand whose code starts at `start`, folding a
 * constant operand. */
static void emit_unary(parser *p, int op, int start)
{
    if (is_const(p, start)) {
        double *v = &p->pool[p->code[start].arg];
        *v = formula_apply_unary(op, *v);
        return;
    }
    emit(p, op, 0);
}

/* Apply a binary opcode to the operands whose code starts at `lstart` (left) and
 * `rstart` (right, running to the end). Folds two constants; turns a constant
 * exponent into OP_POWC. */
static void emit_binary(parser *p, int op, int lstart, int rstart)
{
    int rconst = is_const(p, rstart);
    if (rconst && rstart == lstart + 1 && p->code[lstart].op == OP_CONST) {
        double *a = &p->pool[p->code[lstart].arg];
        *a = formula_apply_binary(op, *a, p->pool[p->code[rstart].arg]);
        p->n_pool--;                /* the right constant was the pool's last entry */
        p->n_code = rstart;
        return;
    }
    if (op == OP_POW && rconst) {
        p->code[rstart].op = OP_POWC;   /* keeps its pool index */
        return;
    }
    emit(p, op, 0);
}

/* ---- parser ------------------------------------------------------------------------
 * Each parse function consumes one grammar rule starting at the look-ahead token,
 * emits its postfix code, and returns 1, or 0 after reporting an error. */

static int parse_expr(parser *p);
static int parse_unary(parser *p);

/* Enter one nesting level opened by the token at offset `pos`; 0 (and an error)
 * when that crosses FORMULA_MAX_DEPTH. */
static int enter(parser *p, int pos)
{
    if (++p->depth > FORMULA_MAX_DEPTH)
        return fail_at(p, pos, "nesting deeper than %d", FORMULA_MAX_DEPTH);
    return 1;
}

/* Consume the ')' closing a group or a call. */
static int expect_close(parser *p)
{
    if (tok_is(p, ')'))
        return next(p);
    if (p->tok.kind != TOK_END && tok_starts_operand(p))
        return fail_at(p, tok_pos(p), "expected an operator");
    return fail_at(p, tok_pos(p), "expected ')'");
}

/* atom := NUMBER | x | y | pi | e | FUNC '(' expr ')' | '(' expr ')' */
static int parse_atom(parser *p)
{
    token t = p->tok;
    if (t.kind == TOK_NUM) {
        emit_const(p, t.num);
        return next(p);
    }
    if (t.kind == TOK_NAME) {
        const char *name = p->src + t.pos;
        if (t.len == 1 && name[0] == 'x') {
            emit(p, OP_X, 0);
            return next(p);
        }
        if (t.len == 1 && name[0] == 'y') {
            emit(p, OP_Y, 0);
            return next(p);
        }
        if (t.len == 1 && name[0] == 'e') {
            emit_const(p, FORMULA_E);
            return next(p);
        }
        if (t.len == 2 && memcmp(name, "pi", 2) == 0) {
            emit_const(p, FORMULA_PI);
            return next(p);
        }
        for (size_t k = 0; k < sizeof FUNCS / sizeof FUNCS[0]; k++) {
            const char *fn = FUNCS[k].name;
            if (strlen(fn) != (size_t)t.len || memcmp(fn, name, (size_t)t.len) != 0)
                continue;
            if (!next(p))
                return 0;
            if (!tok_is(p, '('))
                return fail_at(p, tok_pos(p), "expected '(' after '%.*s'", t.len, name);
            if (!enter(p, p->tok.pos) || !next(p))
                return 0;
            int start = p->n_code;
            if (!parse_expr(p) || !expect_close(p))
                return 0;
            p->depth--;
            emit_unary(p, FUNCS[k].op, start);
            return 1;
        }
        /* Quote at most 32 bytes of a long name. */
        return fail_at(p, t.pos, "unknown name '%.*s'", t.len < 32 ? t.len : 32, name);
    }
    if (tok_is(p, '(')) {
        if (!enter(p, t.pos) || !next(p) || !parse_expr(p) || !expect_close(p))
            return 0;
        p->depth--;
        return 1;
    }
    if (t.kind == TOK_END)
        return fail_at(p, tok_pos(p), "unexpected end of formula");
    return fail_at(p, t.pos, "unexpected '%c'", p->src[t.pos]);
}

/* power := atom ('^' unary)? — right-associative through unary → power. */
static int parse_power(parser *p)
{
    int start = p->n_code;
    if (!parse_atom(p))
        return 0;
    if (!tok_is(p, '^'))
        return 1;
    if (!enter(p, p->tok.pos) || !next(p))
        return 0;
    int rstart = p->n_code;
    if (!parse_unary(p))
        return 0;
    p->depth--;
    emit_binary(p, OP_POW, start, rstart);
    return 1;
}

/* unary := ('-' | '+') unary | power */
static int parse_unary(parser *p)
{
    if (!tok_is(p, '-') && !tok_is(p, '+'))
        return parse_power(p);
    int neg = p->tok.ch == '-';
    if (!enter(p, p->tok.pos) || !next(p))
        return 0;
    int start = p->n_code;
    if (!parse_unary(p))
        return 0;
    p->depth--;
    if (neg)
        emit_unary(p, OP_NEG, start);
    return 1;
}

/* term := unary (('*' | '/') unary)* */
static int parse_term(parser *p)
{
    int start = p->n_code;
    if (!parse_unary(p))
        return 0;
    while (tok_is(p, '*') || tok_is(p, '/')) {
        int op = p->tok.ch == '*' ? OP_MUL : OP_DIV;
        if (!next(p))
            return 0;
        int rstart = p->n_code;
        if (!parse_unary(p))
            return 0;
        emit_binary(p, op, start, rstart);
    }
    return 1;
}

/* expr := term (('+' | '-') term)* */
static int parse_expr(parser *p)
{
    int start = p->n_code;
    if (!parse_term(p))
        return 0;
    while (tok_is(p, '+') || tok_is(p, '-')) {
        int op = p->tok.ch == '+' ? OP_ADD : OP_SUB;
        if (!next(p))
            return 0;
        int rstart = p->n_code;
        if (!parse_term(p))
            return 0;
        emit_binary(p, op, start, rstart);
    }
    return 1;
}

/* Deepest evaluation stack a program reaches. */
static int stack_need(const instr *code, int n)
{
    int d = 0, max = 0;
    for (int i = 0; i < n; i++) {
        switch (code[i].op) {
        case OP_CONST: case OP_X: case OP_Y: d++; break;
        case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_POW: d--; break;
        default: break;   /* unary: no change */
        }
        if (d > max)
            max = d;
    }
    return max;
}

/* ---- public: compile ----------------------------------------------------------------- */

/* Parse the whole (possibly truncated) source into p's program. Returns 1, or 0
 * with the error reported. */
static int parse_formula(parser *p)
{
    if (!next(p))
        return 0;
    if (p->tok.kind == TOK_END)
        return fail_at(p, 0, "empty formula");
    if (!parse_expr(p))
        return 0;
    if (p->tok.kind == TOK_END)
        return 1;
    /* Everything else was consumed by the rules: only ')' or an operand can be left. */
    if (tok_is(p, ')'))
        return fail_at(p, p->tok.pos, "unexpected ')'");
    if (tok_starts_operand(p))
        return fail_at(p, p->tok.pos, "expected an operator");
    return fail_at(p, p->tok.pos, "unexpected '%c'", p->src[p->tok.pos]);
}

/* Over-long sources: the parser reads only the first FORMULA_MAX_LEN bytes (a
 * token touching that cut counts as the end of input). A fault found before the
 * cut is reported as usual, since it comes first in reading order (so 10,000
 * '(' report the nesting limit at column 65); otherwise the report is the
 * length, at column FORMULA_MAX_LEN + 1. The source is never read further than
 * FORMULA_MAX_LEN + 1 bytes. */
formula *formula_compile(const char *src, diag *err)
{
    if (!src)
        src = "";
    int len = 0;
    while (len <= FORMULA_MAX_LEN && src[len])
        len++;
    parser p = {.src = src, .len = len, .err = err};
    if (len > FORMULA_MAX_LEN) {
        p.len = FORMULA_MAX_LEN;
        p.truncated = 1;
    }

    /* At most one instruction and one constant per token, hence per byte. */
    size_t cap = (size_t)p.len + 1;
    p.scratch = malloc(cap);
    p.code = malloc(cap * sizeof *p.code);
    p.pool = malloc(cap * sizeof *p.pool);
    formula *f = calloc(1, sizeof *f);
    if (!p.scratch || !p.code || !p.pool || !f) {
        diag_set(err, 0, 1, "out of memory");
        goto fail;
    }

    int ok = parse_formula(&p);
    if (p.truncated) {
        if (ok || p.at_end)
            diag_set(err, 0, FORMULA_MAX_LEN + 1, "formula longer than %d characters",
                     FORMULA_MAX_LEN);
        goto fail;
    }
    if (!ok)
        goto fail;
    f->max_stack = stack_need(p.code, p.n_code);
    if (f->max_stack > EVAL_STACK_CAP) {      /* cannot happen; see the file comment */
        diag_set(err, 0, 1, "formula too complex");
        goto fail;
    }

    f->n_code = p.n_code;
    f->n_pool = p.n_pool;
    f->code = malloc((size_t)p.n_code * sizeof *f->code);
    f->pool = malloc(((size_t)p.n_pool + 1) * sizeof *f->pool);
    f->src = malloc((size_t)len + 1);
    if (!f->code || !f->pool || !f->src) {
        diag_set(err, 0, 1, "out of memory");
        goto fail;
    }
    memcpy(f->code, p.code, (size_t)p.n_code * sizeof *f->code);
    memcpy(f->pool, p.pool, (size_t)p.n_pool * sizeof *f->pool);
    memcpy(f->src, src, (size_t)len + 1);
    free(p.scratch);
    free(p.code);
    free(p.pool);
    return f;

fail:
    free(p.scratch);
    free(p.code);
    free(p.pool);
    formula_destroy(f);
    return NULL;
}

void formula_destroy(formula *f)
{
    if (!f)
        return;
    free(f->src);
    free(f->code);
    free(f->pool);
    free(f);
}

const char *formula_source(const formula *f)
{
    return f ? f->src : NULL;
}
