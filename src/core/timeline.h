/*
 * timeline.h — a scene's timeline: events at given steps, so that a lesson plays
 * like the lecture and a recording of live changes can be reproduced headless.
 *
 * One `event` line per event (scene key `event`, repeatable):
 *
 *     event = 100: lr 1 = 0.01          run 1's rate from update 101 on ('*': every run)
 *     event = 100: batch * = 16         batch size (N or full), one run or every run
 *     event = 200: schedule 2 = cosine:T=500,warmup=20
 *     event = 150: pause                the window pauses (a lesson's beat)
 *     event = 150: caption = text       the caption from here on (caption_zh likewise)
 *     event = 300: probe = 0, 0         place the Hessian probe at a plane point
 *     event = 300: view = 3d            switch the view (2d, 3d, split)
 *
 * STEP is the trainer's step count when the event fires: 0 fires before the first
 * update, 100 after the 100th (so the change applies from update 101). The trainer
 * events (lr, batch, schedule) are applied identically by --headless and the window
 * (app/problem.c); the presentation events (pause, caption, probe, view) only by the
 * window. Runs are numbered from 1, as in the window's keys.
 *
 * Index
 *     timeline_kind, timeline_event, TIMELINE_MAX
 *     timeline_parse(text, ev, err)       one `event` value → 1, or 0 with err
 *     timeline_format(ev, buf, size)      the inverse
 *     timeline_kind_name(kind)
 */
#ifndef LOSSCAPE_TIMELINE_H
#define LOSSCAPE_TIMELINE_H

#include "core/diag.h"
#include "core/schedule.h"

#define TIMELINE_MAX      32     /* events in one scene */
#define TIMELINE_TEXT_MAX 512    /* a caption event's text (UTF-8 bytes) */

typedef enum timeline_kind {
    TL_LR = 0,
    TL_BATCH,
    TL_SCHEDULE,
    TL_PAUSE,
    TL_CAPTION,
    TL_CAPTION_ZH,
    TL_PROBE,
    TL_VIEW,
    TL_KIND_COUNT
} timeline_kind;

typedef struct timeline_event {
    long step;                     /* fires when the trainer has taken this many steps */
    timeline_kind kind;
    int run;                       /* lr, batch, schedule: 0-based run, −1 = every run */
    double v[2];                   /* lr: v[0]; probe: (v[0], v[1]) */
    int batch;                     /* batch: 0 = full */
    int view;                      /* view: 0 3d, 1 2d, 2 split (scene_view's values) */
    schedule_desc schedule;        /* schedule */
    char text[TIMELINE_TEXT_MAX];  /* caption, caption_zh */
} timeline_event;

/* "lr", "batch", ... */
const char *timeline_kind_name(timeline_kind kind);

/* Parse one event ("STEP: ACTION [RUN] [= VALUE]"). Runs beyond max_runs are an
 * error (max_runs ≤ 0: not checked). Returns 1, or 0 with err (column 1-based). */
int timeline_parse(const char *text, int max_runs, timeline_event *ev, diag *err);

/* The text timeline_parse reads back to the same event; like snprintf. */
int timeline_format(const timeline_event *ev, char *buf, int size);

#endif
