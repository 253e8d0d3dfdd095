/*
 * record.c — --record: open the output, hand the render loop to the window mode's
 * offscreen path (window.c, app_window_record), report progress.
 *
 * Exit statuses: 0 the file is complete; 2 the path is bad input (unknown
 * extension, bad PNG pattern, missing folder, odd size for MP4/WebM); 1 a run-time
 * failure (ffmpeg not found or failing, unwritable folder, disk full, no GL);
 * 128 + signal (130 SIGINT, 143 SIGTERM) when interrupted. In every failing case
 * nothing is left under the final name and the temporary file (or this run's PNG
 * frames) is removed.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "record/recorder.h"

int app_record_run(const app_options *o, app_problem *p)
{
    char err[600];
    int bad = 0;
    rec_desc d = { .path = o->record_path, .width = o->width, .height = o->height, .fps = o->fps,
                   .bottom_up = 1, .queue = 4 };
    /* the handlers go in before ffmpeg starts: a signal from now on cleans up */
    rec_signals_install();
    recorder *rec = rec_open(&d, err, sizeof err, &bad);
    if (!rec) {
        rec_signals_restore();
        fprintf(stderr, "losscape: --record: %s\n", err);
        return bad ? APP_EXIT_BAD_INPUT : APP_EXIT_RUNTIME;
    }
    int status = app_window_record(o, p, rec);
    rec_signals_restore();
    return status;
}

void app_record_progress(const char *path, long frame, long total, double elapsed, int done)
{
    static const int bar = 30;
    int tty = isatty(2);
    double fps = elapsed > 0 ? (double)frame / elapsed : 0;
    if (done) {
        if (tty)
            fprintf(stderr, "\r\033[K");
        fprintf(stderr, "recorded %ld frames to %s in %.1f s (%.0f fps)\n", frame, path, elapsed, fps);
        return;
    }
    if (!tty)
        return;
    int filled = total > 0 ? (int)((double)bar * (double)frame / (double)total) : 0;
    char b[64];
    for (int i = 0; i < bar; i++)
        b[i] = i < filled ? '#' : '.';
    b[bar] = '\0';
    double left = fps > 0 ? (double)(total - frame) / fps : 0;
    fprintf(stderr, "\r\033[Krecording [%s] frame %ld/%ld  %.0f fps  %ld:%02ld left", b, frame, total, fps,
            (long)left / 60, (long)left % 60);
    fflush(stderr);
}
