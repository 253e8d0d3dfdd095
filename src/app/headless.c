/*
 * headless.c — the modes that need no window: --headless (trajectories to CSV,
 * mini-batches to a log) and --critical-points.
 *
 * CSV rows (DESIGN.md): optimizer,step,epoch,x,y,loss,lr,batch — one row per
 * optimizer per step, step 0 being the start; numbers with %.17g. After these eight,
 * always in this order: run (the run's label, runspec.h), problem (main, or compare
 * for the compare layout's second problem, which headless runs too), grad_norm (the
 * norm of the full objective's gradient at the row's point); then train_mode_loss
 * for data problems (the full training loss with batch statistics, i.e. batch
 * normalization in training mode, beside the evaluation-mode loss); then sharpness
 * with --sharpness N (the largest Hessian eigenvalue of the full objective, every N
 * steps and at each run's last row; empty in between). A diverged run stops
 * producing rows (its last row is its last finite point) and a line on stderr says
 * so; nothing non-finite is written.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/statedict.h"
#include "core/outfile.h"

typedef struct csv_ctx {
    FILE *f;
    int data_cols;          /* the train_mode_loss column */
    long sharp_every;       /* 0: no sharpness column */
    long last_step;         /* the run's planned last step */
    double *grad;           /* scratch, max n */
} csv_ctx;

static void csv_row(const csv_ctx *c, const app_problem *p, int i, const char *problem)
{
    FILE *f = c->f;
    const trainer_run *r = trainer_run_get(p->trainer, i);
    char batch[32], label[RUN_LABEL_MAX + 16];
    if (r->batch_count > 0)
        snprintf(batch, sizeof batch, "%d", r->batch_count);
    else
        snprintf(batch, sizeof batch, "full");
    app_problem_run_label(p, i, label, sizeof label);
    double ab[2];
    app_problem_project(p, r->theta, ab);
    /* the full loss comes with the gradient: the trainer is lazy (one pass per row) */
    double full = p->obj.eval(p->obj.ctx, r->theta, NULL, 0, c->grad, r->aux, 0);
    trainer_note_loss(p->trainer, i, full);
    double gn = 0;
    for (int k = 0; k < p->n; k++)
        gn += c->grad[k] * c->grad[k];
    gn = sqrt(gn);
    fprintf(f, "%s,%ld,%ld,%.17g,%.17g,%.17g,%.17g,%s,%s,%s,%.17g", optim_kind_name(p->opts[i].kind),
            r->steps, r->epoch, ab[0], ab[1], r->loss, r->lr, batch, label, problem,
            isfinite(gn) ? gn : 0.0);
    if (c->data_cols) {
        if (p->is_data) {
            /* without batch norm the training mode's loss is the evaluation mode's */
            double tl = p->obj.n_aux == 0 ? full
                                          : model_loss(p->model, p->loss, p->train, r->theta,
                                                       NULL, 0, NULL, NULL, 0);
            if (isfinite(tl))
                fprintf(f, ",%.17g", tl);
            else
                fputc(',', f);
        } else
            fputc(',', f);
    }
    if (c->sharp_every > 0) {
        if (r->steps % c->sharp_every == 0 || r->steps == c->last_step) {
            double sh = app_problem_sharpness(p, i);
            if (isfinite(sh))
                fprintf(f, ",%.17g", sh);
            else
                fputc(',', f);
        } else
            fputc(',', f);
    }
    fputc('\n', f);
}

static void summary(FILE *sum, const app_options *o, const app_problem *p, const char *prefix)
{
    for (int i = 0; i < p->n_runs; i++) {
        const trainer_run *r = trainer_run_get(p->trainer, i);
        char label[RUN_LABEL_MAX + 16];
        app_problem_run_label(p, i, label, sizeof label);
        if (r->diverged)
            fprintf(stderr, "losscape: %s%s diverged at step %ld (last finite point kept)\n",
                    prefix, label, r->diverged_at);
        else if (!o->csv_path) {
            double ab[2];
            app_problem_project(p, r->theta, ab);
            fprintf(sum, "%s%-9s steps %-7ld x %-12.6g y %-12.6g loss %.6g", prefix, label,
                    r->steps, ab[0], ab[1], r->loss);
            if (p->is_data && p->series[i].count > 0) {
                const app_series *se = &p->series[i];
                int last = se->count - 1;
                int classes = p->train->task == DATA_CLASSIFICATION;
                if (classes)
                    fprintf(sum, "  train acc %.3f", se->train_acc[last]);
                if (p->test)
                    fprintf(sum, "  test loss %.6g", se->test_loss[last]);
                if (p->test && classes)
                    fprintf(sum, "  test acc %.3f", se->test_acc[last]);
            }
            fputc('\n', sum);
        }
    }
}

/* The compare layout's second problem, for --headless with layout = compare. Returns
 * 1 with *out built, 0 when there is none, −1 after printing why it failed. */
static int build_compare(const app_options *o, const app_problem *p, app_problem *out)
{
    scene *sc2 = malloc(sizeof *sc2);
    if (!sc2) {
        fprintf(stderr, "losscape: out of memory\n");
        return -1;
    }
    char label[2][160];
    diag err = { 0 };
    int got = app_compare_scene(&o->scene, p, o->lang_zh, sc2, label, &err);
    if (got > 0 && !app_problem_create(out, sc2, &err))
        got = -1;
    if (got < 0)
        fprintf(stderr, "losscape: compare: %s\n", err.msg);
    free(sc2);
    return got;
}

int app_headless_run(const app_options *o, app_problem *p)
{
    long steps = o->steps >= 0 ? o->steps : (o->scene.steps > 0 ? o->scene.steps : 500);
    app_problem p2store, *p2 = NULL;
    if (o->scene.layout == SCENE_LAYOUT_COMPARE) {
        int got = build_compare(o, p, &p2store);
        if (got < 0)
            return APP_EXIT_BAD_INPUT;
        if (got > 0)
            p2 = &p2store;
    }
    app_problem *probs[2] = { p, p2 };
    const char *names[2] = { "main", "compare" };
    int np = p2 ? 2 : 1;
    /* a step costs O(batch): full losses only where a row or the summary needs them */
    for (int q = 0; q < np; q++)
        trainer_set_lazy_loss(probs[q]->trainer, probs[q]->is_data);
    outfile csv = { 0 }, blog = { 0 };
    int status = APP_EXIT_OK;
    /* A folder that does not exist is a mistake in the path (bad input, 2); a folder
     * we may not write to is a run-time failure (1). */
    if (o->csv_path && !outfile_open(&csv, o->csv_path)) {
        fprintf(stderr, "losscape: --csv: %s\n", csv.error);
        status = csv.missing_folder ? APP_EXIT_BAD_INPUT : APP_EXIT_RUNTIME;
        goto out;
    }
    if (o->batches_log && !outfile_open(&blog, o->batches_log)) {
        fprintf(stderr, "losscape: --batches-log: %s\n", blog.error);
        if (o->csv_path)
            outfile_abort(&csv);
        status = blog.missing_folder ? APP_EXIT_BAD_INPUT : APP_EXIT_RUNTIME;
        goto out;
    }
    int maxn = p->n > (p2 ? p2->n : 0) ? p->n : p2->n;
    csv_ctx cc = { .f = csv.f, .data_cols = p->is_data || (p2 && p2->is_data),
                   .sharp_every = app_sharpness_every(o, &o->scene), .last_step = steps,
                   .grad = malloc((size_t)maxn * sizeof(double)) };
    if (!cc.grad) {
        fprintf(stderr, "losscape: out of memory\n");
        if (csv.f)
            outfile_abort(&csv);
        if (blog.f)
            outfile_abort(&blog);
        status = APP_EXIT_RUNTIME;
        goto out;
    }
    for (int q = 0; q < np; q++) {
        app_problem *pq = probs[q];
        if (o->scene.plane_kind == SCENE_PLANE_PCA && pq->is_data && pq->n > 2) {
            /* The principal directions come from the trajectories: run once to get
             * them, then again (deterministically the same) to write the rows. */
            for (long s = 0; s < steps && app_problem_step(pq) > 0; s++)
                ;
            app_problem_plane_pca(pq);
            app_problem_restart(pq, pq->start[0], pq->start[1]);
        }
    }
    if (csv.f) {
        fprintf(csv.f, "optimizer,step,epoch,x,y,loss,lr,batch,run,problem,grad_norm%s%s\n",
                cc.data_cols ? ",train_mode_loss" : "", cc.sharp_every > 0 ? ",sharpness" : "");
        for (int q = 0; q < np; q++)
            for (int i = 0; i < probs[q]->n_runs; i++)
                if (!trainer_run_get(probs[q]->trainer, i)->diverged)
                    csv_row(&cc, probs[q], i, names[q]);
    }
    if (blog.f)
        fprintf(blog.f, "epoch,step,indices\n");
    int alive[2] = { 1, 1 };
    for (long s = 0; s < steps; s++) {
        int moved = 0;
        for (int q = 0; q < np; q++) {
            if (!alive[q])
                continue;
            trainer *t = probs[q]->trainer;
            if (app_problem_step(probs[q]) == 0) {
                alive[q] = 0;   /* every run has diverged or stopped */
                continue;
            }
            moved = 1;
            if (csv.f)
                for (int i = 0; i < probs[q]->n_runs; i++)
                    if (trainer_run_get(t, i)->advanced)
                        csv_row(&cc, probs[q], i, names[q]);
            if (blog.f && q == 0) {
                int count;
                const int *idx = trainer_last_batch(t, 0, &count);
                const trainer_run *r0 = trainer_run_get(t, 0);
                fprintf(blog.f, "%ld,%ld,", r0->epoch, trainer_steps(t));
                for (int k = 0; k < count; k++)
                    fprintf(blog.f, k ? " %d" : "%d", idx[k]);
                fputc('\n', blog.f);
            }
        }
        if (!moved)
            break;
    }
    free(cc.grad);
    if (csv.f && !outfile_commit(&csv)) {
        fprintf(stderr, "losscape: --csv: %s\n", csv.error);
        status = APP_EXIT_RUNTIME;
    }
    if (blog.f && !outfile_commit(&blog)) {
        fprintf(stderr, "losscape: --batches-log: %s\n", blog.error);
        status = APP_EXIT_RUNTIME;
    }
    for (int q = 0; q < np; q++)
        for (int i = 0; i < probs[q]->n_runs; i++)
            trainer_refresh_loss(probs[q]->trainer, i);
    if (status == APP_EXIT_OK)
        status = app_write_params(o, p);
    /* A summary on stderr when the rows went to a file, on stdout otherwise. */
    FILE *sum = o->csv_path ? stderr : stdout;
    summary(sum, o, p, p2 ? "main: " : "");
    if (p2)
        summary(sum, o, p2, "compare: ");
out:
    if (p2)
        app_problem_destroy(p2);
    return status;
}

int app_print_critical_points(const app_options *o, app_problem *p)
{
    (void)o;
    if (p->n != 2) {
        fprintf(stderr, "losscape: --critical-points: needs a two-parameter problem (this model has %d parameters)\n", p->n);
        return APP_EXIT_BAD_INPUT;
    }
    int n = app_problem_critical_points(p);
    printf("type,x,y,loss,lambda1,lambda2,escape_x,escape_y\n");
    for (int i = 0; i < n; i++) {
        const critical_point *c = &p->crit[i];
        printf("%s,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", point_type_name(c->type), c->x,
               c->y, c->value, c->lambda[0], c->lambda[1], c->escape[0], c->escape[1]);
    }
    return fflush(stdout) == 0 ? APP_EXIT_OK : APP_EXIT_RUNTIME;
}

/* ==== --params-out ==== */

/* The file run i (of n) goes to: path itself for one run; with several, path's "%d"
 * replaced by i + 1, or "-K" put before its extension (out.safetensors ->
 * out-1.safetensors, out-2.safetensors...). */
void app_params_path(const char *path, int i, int n, char *buf, size_t size)
{
    const char *pct = strstr(path, "%d");
    if (n <= 1 && !pct) {
        snprintf(buf, size, "%s", path);
        return;
    }
    if (pct) {
        snprintf(buf, size, "%.*s%d%s", (int)(pct - path), path, i + 1, pct + 2);
        return;
    }
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash) || dot == (slash ? slash + 1 : path))
        dot = path + strlen(path);
    snprintf(buf, size, "%.*s-%d%s", (int)(dot - path), path, i + 1, dot);
}

int app_write_params(const app_options *o, const app_problem *p)
{
    if (!o->params_out || !p->is_data)
        return APP_EXIT_OK;
    for (int i = 0; i < p->n_runs; i++) {
        const trainer_run *r = trainer_run_get(p->trainer, i);
        char path[4200];
        app_params_path(o->params_out, i, p->n_runs, path, sizeof path);
        diag e = { 0 };
        if (!statedict_save(p->model, path, r->theta, r->aux, r->steps, &e)) {
            fprintf(stderr, "losscape: --params-out: %s\n", e.msg);
            return APP_EXIT_RUNTIME;
        }
    }
    return APP_EXIT_OK;
}
