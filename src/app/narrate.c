/*
 * narrate.c — the narrated step (E): the selected run's next update shown one
 * sub-step at a time, for 2-D surfaces: 1 the gradient g (and the plain step −ηg),
 * 2 the momentum blend, 3 the per-coordinate accumulator σ (a box), 4 the update
 * itself, taken for this run only. Each press fills w->narr (the vectors and the
 * caption the renderer draws) and pauses the window.
 *
 * The maths here re-derives each optimizer's sub-steps in the app layer from the
 * optimizer's exposed state (velocity, σ); issue 10 replaces it with the quantities
 * the core optimizer exposes from the code path that takes the step.
 */
#include "app/window.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The selected run's next step, one sub-step at a time (E). */
void win_narrate(win_state *w)
{
    trainer *t = w->p->trainer;
    int i = w->selected;
    const trainer_run *run = trainer_run_get(t, i);
    render_narration *n = &w->narr;
    if (run->diverged) {
        win_set_status(w, "%s has diverged: press R to reset", optim_kind_name(optim_desc_get(run->opt)->kind));
        return;
    }
    if (trainer_param_count(t) != 2) {
        win_set_status(w, "narrated step: available on 2-D surfaces");
        return;
    }
    const optim_desc *d = optim_desc_get(run->opt);
    double g[2], x = run->theta[0], y = run->theta[1];
    app_problem_eval_point(w->p, x, y, g, NULL);
    long k = optim_steps_taken(run->opt);
    const schedule_desc *sd = trainer_schedule(t);
    double lr = sd ? schedule_rate(sd, d->lr, k) : d->lr;
    double sg[2];
    optim_sigma(run->opt, sg);
    const double *vel = optim_velocity(run->opt);
    const char *name = optim_kind_name(d->kind);
    w->paused = 1;
    n->run = i;
    n->origin[0] = x, n->origin[1] = y;
    memset(n->vec2, 0, sizeof n->vec2);
    memset(n->box, 0, sizeof n->box);
    int stage = n->stage % 4 + 1;
    n->stage = stage;
    if (stage == 1) {
        n->vec[0] = -lr * g[0], n->vec[1] = -lr * g[1];
        snprintf(n->caption, sizeof n->caption, "%s 1/4 gradient: g = ∇L(θ) = (%.3g, %.3g); white: the plain step −ηg",
                 name, g[0], g[1]);
        n->vec2[0] = n->vec[0], n->vec2[1] = n->vec[1];
        memset(n->vec, 0, sizeof n->vec);
    } else if (stage == 2) {
        n->vec2[0] = -lr * g[0], n->vec2[1] = -lr * g[1];
        if (d->kind == OPT_MOMENTUM) {
            double b[2] = { g[0], g[1] };
            if (vel && k > 0)
                for (int c = 0; c < 2; c++)
                    b[c] = d->momentum * vel[c] + (1 - d->dampening) * g[c];
            n->vec[0] = -lr * b[0], n->vec[1] = -lr * b[1];
            snprintf(n->caption, sizeof n->caption,
                     "%s 2/4 momentum blend: b ← μb + g (μ = %.3g): colour −ηb keeps the previous direction",
                     name, d->momentum);
        } else if (d->kind == OPT_ADAM) {
            double m[2];
            for (int c = 0; c < 2; c++)
                m[c] = (vel ? d->beta1 * vel[c] : 0) + (1 - d->beta1) * g[c];
            double bc = 1 - pow(d->beta1, (double)(k + 1));
            n->vec[0] = -lr * m[0] / bc, n->vec[1] = -lr * m[1] / bc;
            snprintf(n->caption, sizeof n->caption,
                     "%s 2/4 momentum blend: m ← β₁m + (1−β₁)g (β₁ = %.3g), bias-corrected m/(1−β₁^t)",
                     name, d->beta1);
        } else {
            n->vec[0] = -lr * g[0], n->vec[1] = -lr * g[1];
            snprintf(n->caption, sizeof n->caption, "%s 2/4 momentum blend: none for %s, the direction stays −g",
                     name, name);
        }
    } else if (stage == 3) {
        double s[2];
        for (int c = 0; c < 2; c++) {
            double s2 = sg[c] * sg[c], g2 = g[c] * g[c];
            if (d->kind == OPT_ADAGRAD)
                s2 = d->variant == OPTIM_VARIANT_LECTURE ? (s2 * (double)k + g2) / (double)(k + 1) : s2 + g2;
            else if (d->kind == OPT_RMSPROP)
                s2 = (k > 0 ? d->alpha * s2 : 0) + (1 - d->alpha) * g2;
            else if (d->kind == OPT_ADAM)
                s2 = k > 0 ? d->beta2 * s2 + (1 - d->beta2) * g2 : g2;
            else
                s2 = 1;
            s[c] = sqrt(s2);
        }
        n->box[0] = s[0], n->box[1] = s[1];
        if (d->kind == OPT_ADAGRAD)
            snprintf(n->caption, sizeof n->caption, "%s 3/4 accumulator: s ← s + g²; σ = (%.3g, %.3g), rate η/σ = (%.3g, %.3g)",
                     name, s[0], s[1], lr / s[0], lr / s[1]);
        else if (d->kind == OPT_RMSPROP)
            snprintf(n->caption, sizeof n->caption, "%s 3/4 accumulator: σ² ← ασ² + (1−α)g²; σ = (%.3g, %.3g), η/σ = (%.3g, %.3g)",
                     name, s[0], s[1], lr / s[0], lr / s[1]);
        else if (d->kind == OPT_ADAM)
            snprintf(n->caption, sizeof n->caption, "%s 3/4 accumulator: v ← β₂v + (1−β₂)g²; σ ≈ (%.3g, %.3g)",
                     name, s[0], s[1]);
        else {
            memset(n->box, 0, sizeof n->box);
            snprintf(n->caption, sizeof n->caption, "%s 3/4 accumulator: none, every parameter uses the same rate η = %.3g",
                     name, lr);
        }
    } else {
        /* the update itself: step only this run */
        int active[TRAINER_MAX_RUNS];
        int nr = trainer_run_count(t);
        for (int j = 0; j < nr; j++) {
            active[j] = trainer_run_get(t, j)->active;
            trainer_set_active(t, j, j == i);
        }
        app_problem_step(w->p);
        for (int j = 0; j < nr; j++)
            trainer_set_active(t, j, active[j]);
        run = trainer_run_get(t, i);
        n->vec[0] = run->update[0], n->vec[1] = run->update[1];
        snprintf(n->caption, sizeof n->caption, "%s 4/4 update: θ ← θ + Δθ, Δθ = (%.3g, %.3g); loss now %.4g  (E: next step)",
                 name, run->update[0], run->update[1], run->loss);
    }
}
