/*
 * pace.h — how many optimizer steps a window frame takes: a speed in optimizer
 * steps per second of wall-clock time, independent of the display's refresh rate,
 * with a time budget per frame so that no speed can freeze the window.
 *
 * Each frame the window calls pace_due with the seconds since the last frame: the
 * speed times that time is added to what is owed, and the whole steps owed are
 * due now. It steps them (in chunks, watching the clock) and reports with
 * pace_took how many it managed within the budget; steps it could not take are
 * forgiven, not queued, so a slow objective makes the race slower, never the
 * window. Below one step per frame the fraction still owed is the interpolation
 * phase: the display is pace_phase of the way from the previous point to the
 * current one (slow motion moves smoothly between steps).
 *
 * The budget: a frame's stepping gets what the rest of a frame (drawing, the GL
 * driver, waiting for the rasterizer) leaves of PACE_FRAME_S, at most PACE_BUDGET_S
 * and at least PACE_BUDGET_MIN_S. The rest is measured each frame (the frame's real
 * time less its stepping, reported with pace_stepped) and followed by an upper
 * envelope: up at once, down slowly (PACE_REST_DECAY a frame), so that a frame
 * which draws slowly now and then still finds the room it needs. Where drawing is
 * cheap, stepping gets its full 12 ms; where drawing is dear (a 4K frame, software
 * GL on a busy machine), stepping yields, the frame rate holds and the HUD says
 * the rate achieved. A frame the window knows to be dear before it steps (one that
 * uploads a new surface and projects every trail point anew) takes
 * PACE_BUDGET_MIN_S, whatever the envelope says (session.c: win_pace_step).
 *
 * What was achieved: pace_took also keeps, over the last second or so (an
 * exponential window of PACE_DONE_TAU_S), the steps asked for (speed × the frames'
 * real times) and the steps lost (forgiven by the budget, or owed by a frame longer
 * than the 0.25 s a frame is allowed to catch up). pace_done says the rate achieved
 * when it falls short of the speed (below 90 %, until it is back above 97 %, so the
 * HUD does not flicker between the two forms), held for PACE_DONE_HOLD_S at a time;
 * −1 while the speed is met.
 *
 * The PCA plane's refits in a paced window (data problems whose plane follows the
 * runs): at most every PACE_REFIT_STEPS steps, and once the view has stood still
 * for PACE_REFIT_STILL_S since it eased to the last one (or PACE_REFIT_MAX_S after
 * the last one, settled or not). At high speeds a refit every 100 steps replaced the
 * plane before the last one had eased in, so the surface was always on its way
 * (coarse grids only, the full one cancelled by the next frame) and the background
 * fits and surfaces kept every core busy (moons-mlp-bn at 10^6 steps/s: frames of
 * 40 ms waiting for the rasterizer). A still second lets the full surface arrive.
 *
 * Index
 *     PACE_MIN_SPEED, PACE_MAX_SPEED, PACE_BUDGET_S, PACE_BUDGET_MIN_S, PACE_FRAME_S
 *     pace, pace_init(p, speed), pace_set(p, speed) (clamped; returns it)
 *     pace_due(p, dt)          whole steps due after dt seconds
 *     pace_budget(p)           seconds of stepping this frame may take
 *     pace_took(p, due, taken) the steps actually taken (the rest is forgiven)
 *     pace_stepped(p, s)       the seconds this frame's stepping took
 *     pace_phase(p)            0..1: how far the display is between two steps
 *     pace_done(p)             the achieved steps/s where it falls short, else −1
 *     pace_number(speed, buf)  the number alone: "0.25", "60", "1e+06"
 *     PACE_REFIT_STEPS, PACE_REFIT_STILL_S, PACE_REFIT_MAX_S
 *     pace_refit_due(steps, since, still)   whether a paced window refits its plane now
 */
#ifndef LOSSCAPE_PACE_H
#define LOSSCAPE_PACE_H

#include <stddef.h>

#define PACE_MIN_SPEED 0.25
#define PACE_MAX_SPEED 1e6
#define PACE_BUDGET_S  0.012   /* stepping time per frame at most (a 33 ms frame keeps 21 ms to draw) */
#define PACE_BUDGET_MIN_S 0.002 /* ... and at least, however dear the drawing */
#define PACE_FRAME_S   0.025   /* the frame time the budget keeps to (25 ms: 8 ms of room for
                                * a frame that draws slower than the envelope, for p99 under 33) */
#define PACE_REST_DECAY 0.01   /* how fast the rest's envelope comes down, per frame (~2 s) */
#define PACE_DONE_TAU_S 1.0    /* the achieved rate's window (exponential, seconds) */
#define PACE_DONE_HOLD_S 0.5   /* the achieved rate shown changes at most this often */
#define PACE_REFIT_STEPS 100   /* a plane refit at most every this many steps ... */
#define PACE_REFIT_STILL_S 1.0 /* ... once the view stood still this long after the last ... */
#define PACE_REFIT_MAX_S 4.0   /* ... or this long after the last one, settled or not */

typedef struct pace {
    double speed;      /* optimizer steps per second */
    double owed;       /* steps due and not yet taken, fraction included (< 1 after pace_took) */
    double last_dt;    /* seconds of the last pace_due (at most 0.25) */
    double real_dt;    /* the same frame's real seconds */
    double asked;      /* steps asked for in the window (exponentially weighted) */
    double lost;       /* of them, steps not taken */
    int short_of;      /* 1: the achieved rate falls short (with hysteresis) */
    double shown;      /* the achieved rate shown while short_of */
    double shown_age;  /* seconds since shown was set */
    double step_s;     /* seconds the last frame's stepping took (pace_stepped) */
    double rest_hi;    /* upper envelope of a frame's seconds besides stepping */
} pace;

void pace_init(pace *p, double speed);
double pace_set(pace *p, double speed);
long pace_due(pace *p, double dt);
/* The stepping time this frame may take: PACE_FRAME_S less the rest's envelope,
 * clamped to [PACE_BUDGET_MIN_S, PACE_BUDGET_S]. Updated by pace_due. */
double pace_budget(const pace *p);
void pace_took(pace *p, long due, long taken);
/* The seconds this frame's stepping took (0 if not called: a paused frame). */
void pace_stepped(pace *p, double seconds);
/* 1 when a frame takes one step or more (nothing to interpolate); else the
 * fraction of the next step already owed. */
double pace_phase(const pace *p);
/* The achieved steps per second (≥ 0), held PACE_DONE_HOLD_S at a time, while it
 * falls short of the speed; −1 while the speed is met (or too little has been seen). */
double pace_done(const pace *p);
const char *pace_number(double speed, char *buf, size_t n);
/* Whether a refit of the plane is due: steps and seconds (since < 0: never
 * refitted) since the last one, and the seconds the view has stood still (0 while it
 * eases to a plane or an extent). */
int pace_refit_due(long steps, double since, double still);

#endif
