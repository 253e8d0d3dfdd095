/*
 * pace.c — steps per frame from a speed in steps per second. See pace.h.
 */
#include "core/pace.h"

#include <math.h>
#include <stdio.h>

double pace_set(pace *p, double speed)
{
    if (!(speed >= PACE_MIN_SPEED))   /* NaN too */
        speed = PACE_MIN_SPEED;
    if (speed > PACE_MAX_SPEED)
        speed = PACE_MAX_SPEED;
    if (speed != p->speed) {   /* a new speed: what was achieved at the old one is no guide */
        p->asked = p->lost = 0;
        p->short_of = 0;
        p->shown = p->shown_age = 0;
    }
    p->speed = speed;
    return speed;
}

void pace_init(pace *p, double speed)
{
    p->owed = 0;
    p->last_dt = p->real_dt = 0;
    p->step_s = p->rest_hi = 0;
    p->speed = 0;
    pace_set(p, speed);
}

long pace_due(pace *p, double dt)
{
    if (!(dt > 0))
        dt = 0;
    p->real_dt = dt > 1e3 ? 1e3 : dt;
    if (dt > 0.25)
        dt = 0.25;   /* a stalled frame (window dragged, machine busy) is not caught up */
    if (dt > 0) {    /* the last frame's time besides its stepping: the rest's envelope */
        double rest = dt - p->step_s;
        rest = rest > 0 ? rest : 0;
        p->rest_hi = rest > p->rest_hi ? rest : p->rest_hi + (rest - p->rest_hi) * PACE_REST_DECAY;
    }
    p->step_s = 0;
    p->last_dt = dt;
    p->owed += p->speed * dt;
    double due = floor(p->owed);
    return due > 1e9 ? 1000000000L : (long)due;
}

double pace_budget(const pace *p)
{
    double b = PACE_FRAME_S - p->rest_hi;
    return b > PACE_BUDGET_S ? PACE_BUDGET_S : b < PACE_BUDGET_MIN_S ? PACE_BUDGET_MIN_S : b;
}

void pace_stepped(pace *p, double seconds) { p->step_s = seconds > 0 ? seconds : 0; }

void pace_took(pace *p, long due, long taken)
{
    /* what was not taken is forgiven (and counted as lost) */
    p->owed -= (double)due;
    if (p->owed < 0 || p->owed >= 1)
        p->owed = 0;
    double dt = p->real_dt;
    if (!(dt > 0))
        return;
    double keep = exp(-dt / PACE_DONE_TAU_S);
    double lost = (double)(due > taken ? due - taken : 0) + p->speed * (dt - p->last_dt);
    p->asked = p->asked * keep + p->speed * dt;
    p->lost = p->lost * keep + lost;
    p->shown_age += dt;
    /* judged once a quarter of a second's steps were asked for */
    double done = p->asked >= 0.25 * p->speed ? p->speed * (1 - p->lost / p->asked) : p->speed;
    if (done < 0)
        done = 0;
    int was = p->short_of;
    if (!p->short_of && done < 0.9 * p->speed)
        p->short_of = 1;
    else if (p->short_of && done > 0.97 * p->speed)
        p->short_of = 0;
    if (p->short_of && (!was || p->shown_age >= PACE_DONE_HOLD_S)) {
        p->shown = done;
        p->shown_age = 0;
    }
}

double pace_done(const pace *p)
{
    return p->short_of ? p->shown : -1;
}

double pace_phase(const pace *p)
{
    if (p->speed * p->last_dt >= 1 || p->last_dt <= 0)
        return 1;
    return p->owed;
}

const char *pace_number(double speed, char *buf, size_t n)
{
    if (speed >= 1e5)
        snprintf(buf, n, "%.2g", speed);
    else if (speed >= 10 || speed == floor(speed))
        snprintf(buf, n, "%.0f", speed);
    else
        snprintf(buf, n, "%.3g", speed);
    return buf;
}

int pace_refit_due(long steps, double since, double still)
{
    if (steps < PACE_REFIT_STEPS)
        return 0;
    return since < 0 || since >= PACE_REFIT_MAX_S || still >= PACE_REFIT_STILL_S;
}
