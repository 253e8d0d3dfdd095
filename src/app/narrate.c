/*
 * narrate.c — the narrated step (E): the selected run's next update shown one
 * sub-step at a time, for 2-D problems: 1 the gradient g (and the plain step −ηg),
 * 2 the blended direction (momentum buffer, Adam's first moment), 3 the
 * per-coordinate σ (a box) and the effective rates, 4 the update itself, taken for
 * this run, then every other run on to the same step (the race in lockstep). Each press fills w->narr (the vectors and the caption the renderer
 * draws) and pauses the window.
 *
 * Every number comes from the core optimizer's own code path (optim.h,
 * optim_parts): stages 1–3 preview the next update (trainer_preview_run, the run's
 * rate and momentum cycling as its step will use them) at the gradient of the
 * surface there; stage 4 takes the step (app_problem_step_run) and shows the parts
 * of the update it took — the same numbers bit for bit where the step's gradient is
 * the one previewed (surfaces; data problems with full batches; a mini-batch step
 * uses its own batch's gradient, which stage 4 shows). Nesterov, dampening,
 * weight decay, maximize, centered RMSProp, the lecture variants, amsgrad and Adam's
 * bias correction are in those numbers because they are in the step.
 */
#include "render/i18n.h"
#include "app/window.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The momentum blend's formula, as the step computes it. */
static const char *blend_formula(const optim_desc *d)
{
    switch (d->kind) {
    case OPT_MOMENTUM:
        return d->nesterov ? _("b ← μb + g, direction g + μb (Nesterov)")
                           : d->dampening != 0 ? "b ← μb + (1−τ)g" : "b ← μb + g";
    case OPT_RMSPROP:
        return "b ← μb + g/(σ+ε)";
    case OPT_ADAM:
        return d->no_bias_correction ? _("m ← β₁m + (1−β₁)g (no bias correction)")
                                     : _("m ← β₁m + (1−β₁)g, step η/(1−β₁ᵗ)");
    default:
        return "";
    }
}

/* The accumulator's formula, as the step computes it. */
static const char *sigma_formula(const optim_desc *d)
{
    switch (d->kind) {
    case OPT_ADAGRAD:
        return d->variant == OPTIM_VARIANT_LECTURE ? "s ← s + g², σ = √(s/t)" : "s ← s + g², σ = √s";
    case OPT_RMSPROP:
        return d->centered ? _("v ← αv + (1−α)g², σ = √(v − ḡ²) (centered)")
                           : d->variant == OPTIM_VARIANT_LECTURE ? "v ← αv + (1−α)g² (v₀ = g₀²), σ = √v"
                                                                 : "v ← αv + (1−α)g², σ = √v";
    case OPT_ADAM:
        return d->amsgrad ? _("v ← β₂v + (1−β₂)g², σ = √max(v)/√(1−β₂ᵗ) (amsgrad)")
                          : d->no_bias_correction ? "v ← β₂v + (1−β₂)g², σ = √v"
                                                  : "v ← β₂v + (1−β₂)g², σ = √v/√(1−β₂ᵗ)";
    default:
        return "";
    }
}

/* Lockstep (issue 9 #6): after the narrated run's step, every other run that is
 * on, has not diverged and is behind it takes steps (all together, as the race
 * steps them) until it is at the same step; a run switched off stays frozen where
 * it is (the legend greys it), a run ahead stays ahead. Returns 1 if every run on
 * is now at run i's step. */
static int catch_up(win_state *w, int i)
{
    trainer *t = w->p->trainer;
    int nr = trainer_run_count(t), was[TRAINER_MAX_RUNS];
    long target = trainer_run_get(t, i)->steps;
    for (int j = 0; j < nr; j++)
        was[j] = trainer_run_get(t, j)->active;
    for (long guard = 0; guard < 1000000; guard++) {
        int any = 0;
        for (int j = 0; j < nr; j++) {
            const trainer_run *rj = trainer_run_get(t, j);
            int on = was[j] && j != i && !rj->diverged && rj->steps < target;
            trainer_set_active(t, j, on);
            any |= on;
        }
        if (!any || !app_problem_step(w->p))
            break;
    }
    int even = 1;
    for (int j = 0; j < nr; j++) {
        trainer_set_active(t, j, was[j]);
        const trainer_run *rj = trainer_run_get(t, j);
        even &= !was[j] || rj->diverged || rj->steps == target;
    }
    return even;
}

/* The selected run's next step, one sub-step at a time (E). */
void win_narrate(win_state *w)
{
    trainer *t = w->p->trainer;
    int i = w->selected;
    const trainer_run *run = trainer_run_get(t, i);
    render_narration *n = &w->narr;
    if (run->diverged) {
        win_set_status(w, _("%s has diverged: press R to reset"), optim_kind_name(optim_desc_get(run->opt)->kind));
        return;
    }
    if (trainer_param_count(t) != 2) {
        win_set_status(w, _("narrated step: available on 2-D surfaces"));
        return;
    }
    const optim_desc *d = optim_desc_get(run->opt);
    double g[2], x = run->theta[0], y = run->theta[1];
    app_problem_eval_point(w->p, x, y, g, NULL);
    double pg[2], mom[2], dir[2], sig[2], rate[2], upd[2];
    optim_parts parts = { pg, mom, dir, sig, rate, upd, 0, 0, 0, 0 };
    const int stage = n->stage % 4 + 1;
    if (stage < 4 && !trainer_preview_run(t, i, g, &parts)) {
        win_set_status(w, _("%s: the next update would not be finite"), optim_kind_name(d->kind));
        return;
    }
    const char *name = optim_kind_name(d->kind);
    const double eta = parts.lr;
    w->paused = 1;
    n->run = i;
    n->origin[0] = x, n->origin[1] = y;
    memset(n->vec, 0, sizeof n->vec);
    memset(n->vec2, 0, sizeof n->vec2);
    memset(n->box, 0, sizeof n->box);
    n->stage = stage;
    if (stage == 1) {
        n->vec2[0] = -eta * pg[0], n->vec2[1] = -eta * pg[1];
        snprintf(n->caption, sizeof n->caption,
                 _("%s 1/4 gradient: g = (%.3g, %.3g)%s; white: the plain step −ηg (η = %.3g)"), name,
                 pg[0], pg[1],
                 d->weight_decay != 0 || d->maximize ? _(" (with weight decay / maximize, as the step uses it)") : "",
                 eta);
    } else if (stage == 2) {
        n->vec2[0] = -eta * pg[0], n->vec2[1] = -eta * pg[1];
        if (parts.has_moment) {
            /* the blended direction at the scale the step applies before σ */
            const double sc = d->kind == OPT_RMSPROP ? eta : parts.step_size;
            n->vec[0] = -sc * dir[0], n->vec[1] = -sc * dir[1];
            snprintf(n->caption, sizeof n->caption,
                     _("%s 2/4 momentum blend: %s = (%.3g, %.3g); colour: the blended step"), name,
                     blend_formula(d), dir[0], dir[1]);
        } else {
            n->vec[0] = -eta * pg[0], n->vec[1] = -eta * pg[1];
            snprintf(n->caption, sizeof n->caption,
                     _("%s 2/4 momentum blend: none for %s%s, the direction stays g"), name, name,
                     d->kind == OPT_MOMENTUM ? _(" with μ = 0") : d->kind == OPT_RMSPROP ? _(" without momentum") : "");
        }
    } else if (stage == 3) {
        if (parts.has_sigma) {
            n->box[0] = sig[0], n->box[1] = sig[1];
            snprintf(n->caption, sizeof n->caption,
                     _("%s 3/4 accumulator: %s = (%.3g, %.3g); rate per coordinate (%.3g, %.3g)"), name,
                     sigma_formula(d), sig[0], sig[1], rate[0], rate[1]);
        } else {
            snprintf(n->caption, sizeof n->caption,
                     _("%s 3/4 accumulator: none, every parameter uses the same rate η = %.3g"), name, eta);
        }
    } else {
        /* the update itself: step only this run, and show the parts it used */
        /* the race in lockstep (issue 9 #6): where every run on is at this run's
         * step, all of them take the step together (one batch, as the race steps);
         * else this run steps, then those behind it catch up (catch_up) */
        int together = 1;
        for (int j = 0; j < trainer_run_count(t); j++) {
            const trainer_run *rj = trainer_run_get(t, j);
            together &= !rj->active || rj->diverged || rj->steps == run->steps;
        }
        int moved;
        if (together && run->active) {
            trainer_record_parts(t, i, &parts);
            long before = run->steps;
            moved = app_problem_step(w->p) && trainer_run_get(t, i)->steps > before;
        } else {
            moved = app_problem_step_run(w->p, i, &parts);
        }
        if (!moved) {
            win_set_status(w, _("%s could not step"), name);
            return;
        }
        int even = catch_up(w, i);
        run = trainer_run_get(t, i);
        n->vec[0] = upd[0], n->vec[1] = upd[1];
        snprintf(n->caption, sizeof n->caption,
                 _("%s 4/4 update: θ ← θ + Δθ, Δθ = −rate·direction = (%.3g, %.3g); loss now %.4g%s  (E: next step)"),
                 name, upd[0], upd[1], run->loss, even ? "" : _("; race out of step"));
    }
}
