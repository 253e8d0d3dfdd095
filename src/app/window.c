/*
 * window.c — placeholder until the renderer lands: the interactive window,
 * --screenshot and --bench. Replaced by the render layer's implementation.
 */
#include "app/app.h"

int app_window_run(const app_options *o, app_problem *p)
{
    (void)o, (void)p;
    fprintf(stderr, "losscape: the window is not available in this build\n");
    return APP_EXIT_RUNTIME;
}
