/*
 * recorder_signals.c — SIGINT/SIGTERM as a flag during a recording, SIGPIPE
 * ignored. Contracts in recorder.h.
 */
#include "record/recorder.h"

#include <signal.h>
#include <string.h>

/* ==== signals ==== */

/* The one process-wide variable of the module: a handler cannot reach app state. */
static volatile sig_atomic_t rec_caught;
static struct sigaction old_int, old_term, old_pipe;
static int installed;

static void on_signal(int sig)
{
    if (!rec_caught)
        rec_caught = sig;
}

void rec_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, &old_pipe);
    installed = 1;
}

void rec_signals_restore(void)
{
    if (!installed)
        return;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    installed = 0;
}

int rec_signal_caught(void) { return rec_caught; }
