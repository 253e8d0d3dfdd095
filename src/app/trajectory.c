/*
 * trajectory.c — --trajectory FILE.h5: a projected trajectory as loss-landscape's
 * plot_trajectory.py writes it (1-D datasets proj_xcoord and proj_ycoord, one point per
 * saved checkpoint, in the coordinates of the surface's directions), read once before
 * any mode starts and drawn by the window, --screenshot and --record as a recorded run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/h5io.h"

int app_load_trajectory(app_options *o)
{
    diag err = { 0 };
    if (!h5io_load_trajectory(o->trajectory_path, &o->traj_xy, &o->traj_n, &err)) {
        fprintf(stderr, "losscape: --trajectory: %s: %s\n", o->trajectory_path, err.msg);
        return 0;
    }
    const char *base = strrchr(o->trajectory_path, '/');
    base = base ? base + 1 : o->trajectory_path;
    size_t len = strlen(base);
    if (len > 30)   /* the legend's width: the end of a long name says most */
        snprintf(o->traj_label, sizeof o->traj_label, "…%s", base + len - 29);
    else
        snprintf(o->traj_label, sizeof o->traj_label, "%s", base);
    return 1;
}

void app_free_trajectory(app_options *o)
{
    free(o->traj_xy);
    o->traj_xy = NULL;
    o->traj_n = 0;
}
