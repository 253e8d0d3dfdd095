/*
 * runspec.h — one optimizer run as text: the optimizer's own keys plus the run's
 * settings that are not the optimizer's (its batch size, rate schedule and label).
 *
 *     sgd: lr=0.02, batch=1, label=B=1
 *     adam: lr=0.1, schedule=constant:warmup=200, label=warm-up
 *     adagrad: lr=1, variant=lecture, schedule=cosine:T=500,min=0.1
 *
 * The keys `batch` (N or full), `schedule` (a schedule spec, schedule.h) and
 * `label` (free text without ',', shown in legends and the CSV's `run` column) are
 * taken out; everything else goes to optim_desc_parse. A schedule spec has commas
 * of its own: the items after `schedule=` whose key is a schedule key (every gamma
 * T min pct div final_div warmup) belong to it. Errors carry the column in the
 * whole spec.
 *
 * Index
 *     run_settings
 *     run_spec_parse(spec, desc, rs, err)
 *     run_spec_format(desc, rs, buf, size)
 *     run_label(rs, desc, all, n, i, buf, size)   the name a run is shown under
 */
#ifndef LOSSCAPE_RUNSPEC_H
#define LOSSCAPE_RUNSPEC_H

#include "core/diag.h"
#include "core/optim.h"
#include "core/trainer.h"

#define RUN_LABEL_MAX 48

typedef struct run_settings {
    char label[RUN_LABEL_MAX];   /* "" = none: the optimizer's name */
    trainer_run_opts t;          /* batch and schedule of this run (trainer.h) */
} run_settings;

/* Parse a run spec. *desc is refined as by optim_desc_parse; rs is replaced.
 * Returns 1, or 0 with err (column 1-based in spec). */
int run_spec_parse(const char *spec, optim_desc *desc, run_settings *rs, diag *err);

/* The spec that run_spec_parse reads back to the same desc and settings. Returns
 * the length it needed, like snprintf. */
int run_spec_format(const optim_desc *desc, const run_settings *rs, char *buf, int size);

/* The name run i of n is shown under: its label, else the optimizer's name, with
 * "-K" (K = i + 1) appended when another unlabelled run has the same optimizer. */
void run_label(const run_settings *all, const optim_desc *descs, int n, int i, char *buf, int size);

#endif
