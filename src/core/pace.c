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
    p->speed = speed;
    return speed;
}

void pace_init(pace *p, double speed)
{
    p->owed = 0;
    p->last_dt = 0;
    pace_set(p, speed);
}

long pace_due(pace *p, double dt)
{
    if (!(dt > 0))
        dt = 0;
    if (dt > 0.25)
        dt = 0.25;   /* a stalled frame (window dragged, machine busy) is not caught up */
    p->last_dt = dt;
    p->owed += p->speed * dt;
    double due = floor(p->owed);
    return due > 1e9 ? 1000000000L : (long)due;
}

void pace_took(pace *p, long due, long taken)
{
    (void)taken;   /* what was not taken is forgiven */
    p->owed -= (double)due;
    if (p->owed < 0 || p->owed >= 1)
        p->owed = 0;
}

double pace_phase(const pace *p)
{
    if (p->speed * p->last_dt >= 1 || p->last_dt <= 0)
        return 1;
    return p->owed;
}

const char *pace_format(double speed, char *buf, size_t n)
{
    if (speed >= 1e5)
        snprintf(buf, n, "%.0e steps/s", speed);
    else if (speed >= 10 || speed == floor(speed))
        snprintf(buf, n, "%.0f step%s/s", speed, speed == 1 ? "" : "s");
    else
        snprintf(buf, n, "%.3g steps/s", speed);
    return buf;
}
