/*
 * optim.c — the five optimizers, following torch.optim's single-tensor code paths.
 * See optim.h; descriptors, parser and formatter are in optim_desc.c.
 *
 * Every update mirrors the floating-point operation order of torch's CPU kernels
 * (scalar path), so that trajectories agree with PyTorch to the last bit where the
 * libm functions agree:
 *
 *     t.add(o, alpha=a)          t + a*o
 *     t.lerp_(e, w)              |w| < 0.5 ? t + w*(e − t) : e − (e − t)*(1 − w)
 *     t.addcmul_(a, b, value=v)  t + (v*a)*b
 *     t.addcdiv_(a, b, value=v)  t + (v*a)/b
 *
 * An update is computed into scratch arrays first and committed only if every new
 * number is finite.
 */
#include "core/optim.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the optimizer -------------------------------------------------------- */

struct optim {
    optim_desc desc;
    int n;
    long steps;
    int have_buf;        /* momentum: torch's momentum_buffer is not None */
    double *buf;         /* momentum buffer (momentum, rmsprop) or exp_avg (adam) */
    double *sq;          /* state_sum (adagrad), square_avg (rmsprop), exp_avg_sq (adam) */
    double *gavg;        /* rmsprop centered: grad_avg; adam amsgrad: max_exp_avg_sq */
    double cycled;       /* optim_set_cycled_momentum's m; NaN = none */
    double *scratch;     /* 4n: new theta, buf, sq, gavg */
};

static void clear_state(optim *o)
{
    const int n = o->n;
    o->steps = 0;
    o->have_buf = 0;
    for (int i = 0; i < n; i++) {
        o->buf[i] = 0.0;
        /* adagrad: state_sum = torch.full_like(p, initial_accumulator_value) */
        o->sq[i] = o->desc.kind == OPT_ADAGRAD ? o->desc.initial_accumulator_value : 0.0;
        o->gavg[i] = 0.0;
    }
}

optim *optim_create(const optim_desc *desc, int n)
{
    assert(n >= 0);
    optim *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->desc = *desc;
    optim_desc_defaults(&o->desc);
    assert(optim_desc_validate(&o->desc, NULL));
    o->n = n;
    o->cycled = NAN;
    size_t m = n > 0 ? (size_t)n : 1;
    o->buf = calloc(m, sizeof(double));
    o->sq = calloc(m, sizeof(double));
    o->gavg = calloc(m, sizeof(double));
    o->scratch = calloc(4 * m, sizeof(double));
    if (!o->buf || !o->sq || !o->gavg || !o->scratch) {
        optim_destroy(o);
        return NULL;
    }
    clear_state(o);
    return o;
}

void optim_destroy(optim *o)
{
    if (!o)
        return;
    free(o->buf);
    free(o->sq);
    free(o->gavg);
    free(o->scratch);
    free(o);
}

void optim_reset(optim *o)
{
    clear_state(o);
}

void optim_set_desc(optim *o, const optim_desc *desc)
{
    optim_desc d = *desc;
    optim_desc_defaults(&d);
    assert(optim_desc_validate(&d, NULL));
    const int reset = d.kind != o->desc.kind;
    o->desc = d;
    if (reset)
        clear_state(o);
}

const optim_desc *optim_desc_get(const optim *o)
{
    return &o->desc;
}

void optim_set_cycled_momentum(optim *o, double m)
{
    assert(isnan(m) || (m >= 0 && m < 1));
    o->cycled = m;
}

long optim_steps_taken(const optim *o)
{
    return o->steps;
}

/* torch's lerp (ATen/native/Lerp.h), scalar path. */
static double lerp(double self, double end, double weight)
{
    return fabs(weight) < 0.5 ? self + weight * (end - self)
                              : end - (end - self) * (1.0 - weight);
}

/* Record coordinate i of the update being planned (pv may be NULL). */
static inline void note(optim_parts *pv, int i, double g, double moment, double dir,
                        double sigma, double rate)
{
    if (!pv)
        return;
    if (pv->grad)
        pv->grad[i] = g;
    if (pv->moment)
        pv->moment[i] = moment;
    if (pv->direction)
        pv->direction[i] = dir;
    if (pv->sigma)
        pv->sigma[i] = sigma;
    if (pv->rate)
        pv->rate[i] = rate;
}

/* The next update, computed into o->scratch (new θ, buffer, accumulators) without
 * touching the state; its parts recorded into pv when given. optim_step commits
 * what this computes, so a preview and the step that follows are the same numbers.
 * Returns 1 if θ and the state would stay finite. */
static int plan(optim *o, const double *theta, const double *grad, double lr, optim_parts *pv)
{
    const optim_desc *d = &o->desc;
    const int n = o->n;
    double *nth = o->scratch, *nbuf = o->scratch + n, *nsq = o->scratch + 2 * n,
           *ngavg = o->scratch + 3 * n;
    const double wd = d->weight_decay;
    const double t = (double)(o->steps + 1); /* step count including this one */
    const double sign = d->maximize ? -1.0 : 1.0;  /* grad = -grad if maximize (exact) */
    const int cyc = !isnan(o->cycled);
    int ok = 1;
    if (pv) {
        pv->lr = lr;
        pv->step_size = lr;
        pv->has_moment = pv->has_sigma = 0;
    }

    switch (d->kind) {
    case OPT_SGD:
    default:
        /* _single_tensor_sgd with momentum 0 */
        for (int i = 0; i < n; i++) {
            double g = sign * grad[i];
            if (wd != 0)
                g = g + wd * theta[i];          /* grad.add(param, alpha=weight_decay) */
            nth[i] = theta[i] + (-lr) * g;      /* param.add_(grad, alpha=-lr) */
            note(pv, i, g, 0.0, g, 1.0, lr);
        }
        break;
    case OPT_MOMENTUM: {
        /* _single_tensor_sgd */
        const double mu = cyc ? o->cycled : d->momentum;
        for (int i = 0; i < n; i++) {
            double g = sign * grad[i];
            if (wd != 0)
                g = g + wd * theta[i];
            nbuf[i] = o->buf[i];
            const double g0 = g;
            if (mu != 0) {
                if (!o->have_buf)
                    nbuf[i] = g;                                        /* torch.clone(grad) */
                else
                    nbuf[i] = nbuf[i] * mu + (1 - d->dampening) * g;    /* buf.mul_(momentum).add_(grad, alpha=1-dampening) */
                if (d->nesterov)
                    g = g + mu * nbuf[i];                               /* grad.add(buf, alpha=momentum) */
                else
                    g = nbuf[i];
            }
            nth[i] = theta[i] + (-lr) * g;                              /* param.add_(grad, alpha=-lr) */
            note(pv, i, g0, nbuf[i], g, 1.0, lr);
        }
        if (pv)
            pv->has_moment = mu != 0;
        break;
    }
    case OPT_ADAGRAD: {
        /* _single_tensor_adagrad */
        const double clr = lr / (1 + (t - 1) * d->lr_decay);
        for (int i = 0; i < n; i++) {
            double g = sign * grad[i];
            if (wd != 0)
                g = g + wd * theta[i];
            nsq[i] = o->sq[i] + (1.0 * g) * g;                 /* state_sum.addcmul_(grad, grad, value=1) */
            double std;
            if (d->variant == OPTIM_VARIANT_LECTURE)
                std = sqrt(nsq[i] / t) + d->eps;                /* σ = √(s/t), + eps */
            else
                std = sqrt(nsq[i]) + d->eps;                    /* state_sum.sqrt().add_(eps) */
            nth[i] = theta[i] + ((-clr) * g) / std;             /* param.addcdiv_(grad, std, value=-clr) */
            note(pv, i, g, 0.0, g, std - d->eps, clr / std);
        }
        if (pv) {
            pv->step_size = clr;
            pv->has_sigma = 1;
        }
        break;
    }
    case OPT_RMSPROP: {
        /* _single_tensor_rmsprop */
        const double alpha = d->alpha;
        const double rmom = (cyc && d->momentum > 0) ? o->cycled : d->momentum;
        for (int i = 0; i < n; i++) {
            double g = sign * grad[i];
            if (wd != 0)
                g = g + wd * theta[i];
            if (d->variant == OPTIM_VARIANT_LECTURE && t == 1)
                nsq[i] = g * g;                                  /* lecture: σ₀ = |g₀| */
            else
                nsq[i] = o->sq[i] * alpha + ((1 - alpha) * g) * g;  /* square_avg.mul_(alpha).addcmul_(grad, grad, value=1-alpha) */
            double avg;
            if (d->centered) {
                ngavg[i] = lerp(o->gavg[i], g, 1 - alpha);       /* grad_avg.lerp_(grad, 1-alpha) */
                avg = sqrt(nsq[i] + (-1.0 * ngavg[i]) * ngavg[i]); /* square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_() */
            } else {
                ngavg[i] = o->gavg[i];
                avg = sqrt(nsq[i]);                              /* square_avg.sqrt() */
            }
            const double sig = avg;
            avg = avg + d->eps;                                  /* avg.add_(eps) */
            if (d->momentum > 0) {
                nbuf[i] = o->buf[i] * rmom + (1.0 * g) / avg; /* buf.mul_(momentum).addcdiv_(grad, avg) */
                nth[i] = theta[i] + (-lr) * nbuf[i];                 /* param.add_(buf, alpha=-lr) */
                note(pv, i, g, nbuf[i], nbuf[i], sig, lr);   /* the buffer is already scaled */
            } else {
                nbuf[i] = o->buf[i];
                nth[i] = theta[i] + ((-lr) * g) / avg;               /* param.addcdiv_(grad, avg, value=-lr) */
                note(pv, i, g, 0.0, g, sig, lr / avg);
            }
        }
        if (pv) {
            pv->has_moment = d->momentum > 0;
            pv->has_sigma = 1;
        }
        break;
    }
    case OPT_ADAM: {
        /* _single_tensor_adam (not capturable) */
        const double beta1 = cyc ? o->cycled : d->beta1;
        double bc1 = 1.0, bc2 = 1.0;
        if (!d->no_bias_correction) {
            bc1 = 1 - pow(beta1, t);             /* 1 - beta1 ** step */
            bc2 = 1 - pow(d->beta2, t);          /* 1 - beta2 ** step */
        }
        const double step_size = lr / bc1;
        const double bc2_sqrt = sqrt(bc2);
        for (int i = 0; i < n; i++) {
            double g = sign * grad[i];
            if (wd != 0)
                g = g + wd * theta[i];
            nbuf[i] = lerp(o->buf[i], g, 1 - beta1);                     /* exp_avg.lerp_(grad, 1-beta1) */
            nsq[i] = o->sq[i] * d->beta2 + ((1 - d->beta2) * g) * g;      /* exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1-beta2) */
            double v = nsq[i];
            if (d->amsgrad) {
                ngavg[i] = fmax(o->gavg[i], nsq[i]);                      /* torch.maximum(max_exp_avg_sqs, exp_avg_sq, out=...) */
                v = ngavg[i];
            }
            const double sig = sqrt(v) / bc2_sqrt;
            double denom = sig + d->eps;                                  /* (exp_avg_sq.sqrt() / bc2_sqrt).add_(eps) */
            nth[i] = theta[i] + ((-step_size) * nbuf[i]) / denom;        /* param.addcdiv_(exp_avg, denom, value=-step_size) */
            note(pv, i, g, nbuf[i], nbuf[i], sig, step_size / denom);
        }
        if (pv) {
            pv->step_size = step_size;
            pv->has_moment = 1;
            pv->has_sigma = 1;
        }
        break;
    }
    }

    for (int i = 0; i < n && ok; i++) {
        if (!isfinite(nth[i]))
            ok = 0;
        switch (d->kind) {
        case OPT_MOMENTUM:
            ok = ok && isfinite(nbuf[i]);
            break;
        case OPT_ADAGRAD:
            ok = ok && isfinite(nsq[i]);
            break;
        case OPT_RMSPROP:
            ok = ok && isfinite(nsq[i]) && isfinite(nbuf[i]) && isfinite(ngavg[i]);
            break;
        case OPT_ADAM:
            ok = ok && isfinite(nsq[i]) && isfinite(nbuf[i]) && (!d->amsgrad || isfinite(ngavg[i]));
            break;
        default:
            break;
        }
    }
    if (pv && pv->update)
        for (int i = 0; i < n; i++)
            pv->update[i] = nth[i] - theta[i];
    return ok;
}

int optim_preview(optim *o, const double *theta, const double *grad, double lr,
                  optim_parts *pv)
{
    return plan(o, theta, grad, lr, pv);
}

int optim_step(optim *o, double *theta, const double *grad, double lr)
{
    return optim_step_narrated(o, theta, grad, lr, NULL);
}

int optim_step_narrated(optim *o, double *theta, const double *grad, double lr,
                        optim_parts *pv)
{
    const optim_desc *d = &o->desc;
    const int n = o->n;
    const double *nth = o->scratch, *nbuf = o->scratch + n, *nsq = o->scratch + 2 * n,
                 *ngavg = o->scratch + 3 * n;
    if (!plan(o, theta, grad, lr, pv))
        return 0;

    size_t bytes = (size_t)n * sizeof(double);
    if (n > 0) {
        memcpy(theta, nth, bytes);
        switch (d->kind) {
        case OPT_MOMENTUM:
            memcpy(o->buf, nbuf, bytes);
            if (d->momentum != 0)
                o->have_buf = 1;
            break;
        case OPT_ADAGRAD:
            memcpy(o->sq, nsq, bytes);
            break;
        case OPT_RMSPROP:
            memcpy(o->sq, nsq, bytes);
            memcpy(o->buf, nbuf, bytes);
            memcpy(o->gavg, ngavg, bytes);
            break;
        case OPT_ADAM:
            memcpy(o->sq, nsq, bytes);
            memcpy(o->buf, nbuf, bytes);
            if (d->amsgrad)
                memcpy(o->gavg, ngavg, bytes);
            break;
        default:
            break;
        }
    }
    o->steps++;
    return 1;
}

void optim_sigma(const optim *o, double *out)
{
    const optim_desc *d = &o->desc;
    const double t = (double)o->steps;
    for (int i = 0; i < o->n; i++) {
        double s = 1.0;
        if (o->steps > 0) {
            switch (d->kind) {
            case OPT_ADAGRAD:
                s = d->variant == OPTIM_VARIANT_LECTURE ? sqrt(o->sq[i] / t) : sqrt(o->sq[i]);
                break;
            case OPT_RMSPROP:
                s = d->centered ? sqrt(fmax(0.0, o->sq[i] - o->gavg[i] * o->gavg[i]))
                                : sqrt(o->sq[i]);
                break;
            case OPT_ADAM: {
                const double v = d->amsgrad ? o->gavg[i] : o->sq[i];
                s = d->no_bias_correction ? sqrt(v) : sqrt(v) / sqrt(1 - pow(d->beta2, t));
                break;
            }
            default:
                break;
            }
        }
        out[i] = isfinite(s) ? s : 1.0;
    }
}

const double *optim_velocity(const optim *o)
{
    switch (o->desc.kind) {
    case OPT_MOMENTUM:
    case OPT_ADAM:
        return o->buf;
    case OPT_RMSPROP:
        return o->desc.momentum > 0 ? o->buf : NULL;
    default:
        return NULL;
    }
}
