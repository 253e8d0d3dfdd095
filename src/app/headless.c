/*
 * headless.c — the modes that need no window: --headless (trajectories to CSV,
 * mini-batches to a log) and --critical-points.
 *
 * CSV rows (DESIGN.md): optimizer,step,epoch,x,y,loss,lr,batch — one row per
 * optimizer per step, step 0 being the start; numbers with %.17g. A diverged run
 * stops producing rows (its last row is its last finite point) and a line on
 * stderr says so; nothing non-finite is written.
 */
#include <math.h>
#include <string.h>

#include "app/app.h"
#include "core/outfile.h"

static void csv_row(FILE *f, const app_problem *p, int i)
{
    const trainer_run *r = trainer_run_get(p->trainer, i);
    char batch[32];
    if (r->batch_count > 0)
        snprintf(batch, sizeof batch, "%d", r->batch_count);
    else
        snprintf(batch, sizeof batch, "full");
    double ab[2];
    app_problem_project(p, r->theta, ab);
    fprintf(f, "%s,%ld,%ld,%.17g,%.17g,%.17g,%.17g,%s\n", optim_kind_name(p->opts[i].kind),
            r->steps, r->epoch, ab[0], ab[1], r->loss, r->lr, batch);
}

int app_headless_run(const app_options *o, app_problem *p)
{
    long steps = o->steps >= 0 ? o->steps : (o->scene.steps > 0 ? o->scene.steps : 500);
    outfile csv = { 0 }, blog = { 0 };
    /* A folder that does not exist is a mistake in the path (bad input, 2); a folder
     * we may not write to is a run-time failure (1). */
    if (o->csv_path && !outfile_open(&csv, o->csv_path)) {
        fprintf(stderr, "losscape: --csv: %s\n", csv.error);
        return csv.missing_folder ? APP_EXIT_BAD_INPUT : APP_EXIT_RUNTIME;
    }
    if (o->batches_log && !outfile_open(&blog, o->batches_log)) {
        fprintf(stderr, "losscape: --batches-log: %s\n", blog.error);
        if (o->csv_path)
            outfile_abort(&csv);
        return blog.missing_folder ? APP_EXIT_BAD_INPUT : APP_EXIT_RUNTIME;
    }
    trainer *t = p->trainer;
    int n = trainer_run_count(t);
    if (o->scene.plane_kind == SCENE_PLANE_PCA && p->is_data && p->n > 2) {
        /* The principal directions come from the trajectories: run once to get them,
         * then again (deterministically the same) to write the projected rows. */
        for (long s = 0; s < steps && app_problem_step(p) > 0; s++)
            ;
        app_problem_plane_pca(p);
        app_problem_restart(p, p->start[0], p->start[1]);
    }
    if (csv.f) {
        fprintf(csv.f, "optimizer,step,epoch,x,y,loss,lr,batch\n");
        for (int i = 0; i < n; i++)
            if (!trainer_run_get(t, i)->diverged)
                csv_row(csv.f, p, i);
    }
    if (blog.f)
        fprintf(blog.f, "epoch,step,indices\n");
    for (long s = 0; s < steps; s++) {
        if (app_problem_step(p) == 0)
            break;   /* every run has diverged or stopped */
        if (csv.f)
            for (int i = 0; i < n; i++)
                if (trainer_run_get(t, i)->advanced)
                    csv_row(csv.f, p, i);
        if (blog.f) {
            int count;
            const int *idx = trainer_last_batch(t, 0, &count);
            const trainer_run *r0 = trainer_run_get(t, 0);
            fprintf(blog.f, "%ld,%ld,", r0->epoch, trainer_steps(t));
            for (int k = 0; k < count; k++)
                fprintf(blog.f, k ? " %d" : "%d", idx[k]);
            fputc('\n', blog.f);
        }
    }
    int status = APP_EXIT_OK;
    if (csv.f && !outfile_commit(&csv)) {
        fprintf(stderr, "losscape: --csv: %s\n", csv.error);
        status = APP_EXIT_RUNTIME;
    }
    if (blog.f && !outfile_commit(&blog)) {
        fprintf(stderr, "losscape: --batches-log: %s\n", blog.error);
        status = APP_EXIT_RUNTIME;
    }
    /* A summary on stderr when the rows went to a file, on stdout otherwise. */
    FILE *sum = (o->csv_path && strcmp(o->csv_path, "-") == 0) ? stderr : stdout;
    if (o->csv_path && strcmp(o->csv_path, "-") != 0)
        sum = stderr;
    for (int i = 0; i < n; i++) {
        const trainer_run *r = trainer_run_get(t, i);
        if (r->diverged)
            fprintf(stderr, "losscape: %s diverged at step %ld (last finite point kept)\n",
                    optim_kind_name(p->opts[i].kind), r->diverged_at);
        else if (!o->csv_path) {
            double ab[2];
            app_problem_project(p, r->theta, ab);
            fprintf(sum, "%-9s steps %-7ld x %-12.6g y %-12.6g loss %.6g", optim_kind_name(p->opts[i].kind),
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
