/*
 * trainer.h — the runs: one optimizer each, all on the same objective, stepped
 * together, with their trajectories and metrics.
 *
 * Every run starts from the same θ₀. One trainer_step advances every active run by
 * one optimizer update:
 *   1. the batch: for an objective with samples, the next mini-batch of the current
 *      epoch (each epoch is a fresh seeded permutation of the training set cut into
 *      batches of the current size; the last, shorter batch is kept); by default all
 *      runs share one batch sequence (a fair race), or each run draws its own;
 *   2. the rate: schedule_rate(schedule, run's base lr, k), k = the run's update count;
 *      a run may have its own batch size and schedule (trainer_run_opts);
 *   3. the gradient on that batch (training mode), then optim_step;
 *   4. the full training loss at the new θ (evaluation mode), for the metrics —
 *      unless the trainer is lazy (trainer_set_lazy_loss): then a step costs
 *      O(batch), whatever the data set's size, and the full loss is computed only
 *      when asked for (trainer_refresh_loss) or handed in by whoever computed it
 *      (trainer_note_loss, e.g. a background worker or a CSV row's gradient pass).
 * A run whose gradient, update or loss is not finite is marked diverged, keeps its
 * last finite θ and stops; nothing non-finite is ever stored.
 *
 * Each run has its own step count and epoch (a run switched off, diverged or left
 * behind by a narrated single-run step keeps its own); trainer_steps counts the
 * trainer_step calls that moved at least one run, and trainer_in_step says whether
 * every run has taken the same number of steps.
 *
 * Each run keeps a bounded history of its trajectory (θ, loss and the rate used, by
 * step), every step recorded: when the history is full, the quarter of its points
 * that matter least to the path's shape are dropped (Visvalingam–Whyatt: a point's
 * weight is how far it lies off the segment between its kept neighbours, relative
 * to the trail's own extent). So memory stays fixed over any number of steps, the
 * trail still bends where the path bends, and it is drawable from the start to the current point.
 * A thinning costs O(cap · n); with trainer_set_spread_thinning (the window) it is
 * spread over the steps that follow instead of one (history.h): meanwhile a history
 * holds up to cap + cap/8 points, and when it is done exactly the points thinning
 * at once keeps.
 *
 * Index
 *     trainer_desc, trainer_run, trainer_point
 *     trainer_create(desc) / trainer_destroy(t)
 *     trainer_step(t)                      one update of every active run
 *     trainer_reset(t, theta0)             back to the start (theta0 NULL: the same start)
 *     trainer_run_count(t), trainer_run_get(t, i)
 *     trainer_steps(t), trainer_in_step(t, &lo, &hi)
 *     trainer_set_optim(t, i, desc)        live hyper-parameter change, keeps state
 *     trainer_set_active(t, i, on)
 *     trainer_set_batch(t, size)           from the next step
 *     trainer_set_schedule(t, sched)
 *     trainer_set_run_batch(t, i, size), trainer_set_run_schedule(t, i, sched)
 *     trainer_history(t, i, &count)        read-only trajectory
 *     trainer_history_theta(t, i, j)       θ of history point j
 *     trainer_set_spread_thinning(t, on), trainer_history_pending(t, i)
 *     trainer_set_lazy_loss(t, on), trainer_refresh_loss(t, i), trainer_note_loss(t, i, loss)
 *     trainer_note_loss_at(t, i, loss, step)   the same, of an earlier update
 *     trainer_next_rate(t, i)              the rate run i's next update will use
 *     trainer_preview_run(t, i, grad, parts)   run i's next update with a given gradient, not taken
 *     trainer_step_run(t, i, parts)        one update of run i alone, its parts recorded
 *     trainer_record_parts(t, i, parts)    the next trainer_step records run i's parts
 */
#ifndef LOSSCAPE_TRAINER_H
#define LOSSCAPE_TRAINER_H

#include <stdint.h>

#include "core/objective.h"
#include "core/optim.h"
#include "core/schedule.h"

#define TRAINER_MAX_RUNS    8
#define TRAINER_HISTORY_CAP 4096    /* trajectory points kept per run (see decimation above) */

/* A run's own settings, where they differ from the trainer's (zero: none). A run with
 * its own batch size draws its own batch sequence (the same seeded permutations as
 * the shared one, cut into its size). */
typedef struct trainer_run_opts {
    int has_batch;                  /* 1: batch below instead of the trainer's */
    int batch;                      /* 0 = full batch */
    int has_schedule;               /* 1: schedule below instead of the trainer's */
    schedule_desc schedule;
    long schedule_from;             /* the run's update count its own schedule starts at
                                       (update k uses the schedule's index k − schedule_from) */
} trainer_run_opts;

typedef struct trainer_desc {
    const objective *obj;           /* required; must outlive the trainer */
    const double *theta0;           /* start point, obj->n numbers; required */
    int n_runs;                     /* 1..TRAINER_MAX_RUNS */
    const optim_desc *opts;         /* n_runs descs (validated) */
    schedule_desc schedule;         /* shared by all runs; zero = constant */
    int batch;                      /* mini-batch size; 0 = full batch (ignored without samples) */
    uint64_t seed;                  /* seeds the shuffles */
    int own_batches;                /* 1: each run draws its own batch sequence; 0: shared */
    int history_cap;                /* points per run; 0 = TRAINER_HISTORY_CAP */
    const trainer_run_opts *run_opts; /* n_runs entries, or NULL: every run as above */
} trainer_desc;

typedef struct trainer_point {
    long step;                      /* update count at this point (0 = start) */
    double loss;                    /* full training loss there (lazy trainer: the
                                     * mini-batch loss of the update that led there,
                                     * taken before it; the start: the full loss) */
    double lr;                      /* rate the update to this point used (step 0: the first update's) */
    uint64_t id;                    /* unique among every trainer's points in the process, and
                                     * increasing along a history (a point kept through compaction
                                     * keeps it; after a reset the new points have new ones): a
                                     * key for caches of its θ */
} trainer_point;

typedef struct trainer_run {
    optim *opt;                     /* owned by the trainer */
    double *theta;                  /* current parameters (n) */
    double *grad;                   /* gradient of the last update (n); 0 before the first */
    double *update;                 /* θ_new − θ_old of the last update (n) */
    double *aux;                    /* objective's per-run state (n_aux) or NULL */
    long steps;                     /* updates taken */
    long epoch;                     /* 1-based epoch of the last update's batch; 0 at the start */
    int batch_count;                /* samples in the last update's batch; 0 = full / no data */
    double lr;                      /* rate the last update used (before the first: the rate it will use) */
    double loss;                    /* full training loss at theta as of update loss_step */
    long loss_step;                 /* = steps unless the trainer is lazy */
    int active;                     /* 1: steps with the others; 0: paused (toggled off) */
    int diverged;                   /* 1: stopped on a non-finite value */
    long diverged_at;               /* the update that failed (steps + 1 when it happened) */
    int advanced;                   /* 1 if the last trainer_step moved this run */
} trainer_run;

/* Create a trainer. Returns NULL if desc is unusable (asserted in debug builds) or
 * memory runs out. Free with trainer_destroy. */
typedef struct trainer trainer;
trainer *trainer_create(const trainer_desc *desc);
void trainer_destroy(trainer *t);    /* NULL is a no-op */

/* One update of every active, non-diverged run (see above). Returns the number
 * of runs that moved. */
int trainer_step(trainer *t);

/* Every run back to theta0 (NULL: the start it had), optimizer state, history and
 * batch sequence reset (the same seed gives the same batches again). */
void trainer_reset(trainer *t, const double *theta0);

int trainer_run_count(const trainer *t);
const trainer_run *trainer_run_get(const trainer *t, int i);
int trainer_param_count(const trainer *t);
long trainer_steps(const trainer *t);             /* trainer_step calls that moved a run, since reset */
/* How many runs before run i use the same optimizer kind (0: the first of its kind).
 * Colours follow the kind; a second run of one kind is told apart by this. */
int trainer_run_kind_rank(const trainer *t, int i);
/* 1 if every run has taken the same number of updates; lo/hi (may be NULL): the
 * fewest and the most. */
int trainer_in_step(const trainer *t, long *lo, long *hi);

void trainer_set_optim(trainer *t, int i, const optim_desc *desc);
void trainer_set_active(trainer *t, int i, int on);
void trainer_set_batch(trainer *t, int batch);     /* 0 = full; applies from the next step,
                                                      to every run (own sizes are dropped) */
/* Run i's own batch size (batch < 0: follow the trainer's again) or schedule (NULL:
 * the trainer's again), from its next step; an own schedule set here starts there
 * (its index 0 is the run's next update). */
void trainer_set_run_batch(trainer *t, int i, int batch);
void trainer_set_run_schedule(trainer *t, int i, const schedule_desc *schedule);
const trainer_run_opts *trainer_run_opts_get(const trainer *t, int i);
int trainer_batch(const trainer *t);
void trainer_set_schedule(trainer *t, const schedule_desc *schedule);
const schedule_desc *trainer_schedule(const trainer *t);

/* Lazy full losses (on = 1): from the next step, run->loss is only updated by
 * trainer_refresh_loss / trainer_note_loss (run->loss_step says when). Off (the
 * default): every step evaluates it. */
void trainer_set_lazy_loss(trainer *t, int on);
/* Run i's full training loss at its current θ (evaluation mode), computed now if
 * run->loss_step is behind (O(samples)); a non-finite value is returned, not stored. */
double trainer_refresh_loss(trainer *t, int i);
/* The full loss of run i at its current θ, computed elsewhere (ignored unless finite). */
void trainer_note_loss(trainer *t, int i, double loss);
/* The full loss of run i at its θ after update `step` (≤ its steps now), computed
 * elsewhere, e.g. by a background worker on a snapshot: run->loss and loss_step
 * become it unless it is not finite, older than what run->loss already holds, or of
 * an update the run has not taken (a reset since). */
void trainer_note_loss_at(trainer *t, int i, double loss, long step);

/* The rate run i's next update will use (its schedule at its update count). */
double trainer_next_rate(const trainer *t, int i);

/* The parts of run i's next update (optim_preview) if its gradient were grad: its
 * rate and momentum cycling as its next step will have them; nothing moves. Returns
 * optim_preview's result. */
int trainer_preview_run(trainer *t, int i, const double *grad, optim_parts *parts);

/* One update of run i only (the others keep still; the trainer's step count and
 * metrics follow trainer_step's rules), with optim_step_narrated filling parts (may
 * be NULL) from the update it takes. Returns 1 if the run moved. */
int trainer_step_run(trainer *t, int i, optim_parts *parts);
/* The next trainer_step (every run on steps, as always) records run i's update in
 * parts, as trainer_step_run does; the step after it records nothing. The narrated
 * step (E) uses it to step the whole race in lockstep. */
void trainer_record_parts(trainer *t, int i, optim_parts *parts);

/* The last batch run i used (sample indices), or NULL for full batch / no data. */
const int *trainer_last_batch(const trainer *t, int i, int *count);

/* Trajectory of run i: count points, oldest first; the last is the current one. */
const trainer_point *trainer_history(const trainer *t, int i, int *count);
/* θ (n numbers) of history point j of run i. */
const double *trainer_history_theta(const trainer *t, int i, int j);
/* Spread each run's history thinning over the steps after the history fills (1), or
 * thin at once (0, the default; a thinning under way is finished now). Returns 0 if
 * out of memory (the histories then thin at once). Caps below 64 always thin at once. */
int trainer_set_spread_thinning(trainer *t, int on);
/* 1 while run i's history is being thinned (spread): it holds more than cap points. */
int trainer_history_pending(const trainer *t, int i);

#endif
