/*
 * record.c — --record: open the output, render the frames offscreen (offscreen.h,
 * the window mode's session without a window), read each back and queue it to the
 * recorder, report progress on stderr.
 *
 * Frame 0 is the start, then steps_per_frame steps before each frame. Each frame is
 * read back straight into the recorder's next free slot (rec_slot; under llvmpipe a
 * read-back is a synchronous copy whatever the buffer) and queued; the recorder's
 * writer thread encodes it (or writes a PNG) while the next frames render. For MP4
 * and WebM the slot takes I420, converted band by band as it is read back
 * (rec_read_i420: each band still in the cache, 1.5 bytes a pixel to memory instead
 * of 4 written and read again). Calls go one way:
 * record.c → offscreen.c → the window mode's session; nothing calls back here.
 *
 * Exit statuses: 0 the file is complete; 2 the path is bad input (unknown
 * extension, bad PNG pattern, missing folder, odd size for MP4/WebM); 1 a run-time
 * failure (ffmpeg not found or failing, unwritable folder, disk full, no GL);
 * 128 + signal (130 SIGINT, 143 SIGTERM) when interrupted. In every failing case
 * nothing is left under the final name and the temporary file (or this run's PNG
 * frames) is removed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "app/offscreen.h"
#include "record/recorder.h"

/* Seconds on a monotonic clock. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void progress(const char *path, long frame, long total, double elapsed, int done);

/* The render loop: takes rec over (finished or aborted before this returns). */
static int record_frames(const app_options *o, app_problem *p, recorder *rec)
{
    app_offscreen *s = app_offscreen_open(o, p);
    if (!s) {
        rec_abort(rec);
        return APP_EXIT_RUNTIME;
    }
    int fw, fh;
    app_offscreen_size(s, &fw, &fh);
    unsigned char *band = NULL;   /* rec_read_i420's band of RGBA rows */
    if (rec_slot_i420(rec) && !(band = malloc((size_t)REC_BAND_ROWS * (size_t)fw * 4))) {
        fprintf(stderr, "losscape: --record: out of memory\n");
        rec_abort(rec);
        app_offscreen_close(s);
        return APP_EXIT_RUNTIME;
    }
    double t0 = now_s(), last = -1;
    long n = o->frames;
    int ok = 1;
    for (long i = 0; i < n && ok; i++) {
        if (rec_signal_caught())
            break;
        if (i > 0)
            app_offscreen_step(s);
        app_offscreen_draw(s);
        unsigned char *slot = rec_slot(rec);
        if (slot) {
            if (band)
                rec_read_i420(fw, fh, band, slot);
            else
                rec_read_pixels(fw, fh, slot);
            ok = rec_commit(rec);
        } else {
            ok = 0;   /* the reason shows in rec_finish */
        }
        double t = now_s();
        if (last < 0 || t - last > 0.1) {
            progress(o->record_path, i + 1, n, t - t0, 0);
            last = t;
        }
    }
    int sig = rec_signal_caught();
    int status = APP_EXIT_OK;
    if (sig) {
        rec_abort(rec);
        if (isatty(2))
            fprintf(stderr, "\n");
        fprintf(stderr, "losscape: --record: interrupted by signal %d; nothing written\n", sig);
        status = 128 + sig;
    } else {
        long frames = rec_frames(rec);
        char err[600];
        if (!rec_finish(rec, err, sizeof err)) {   /* also reports a failed push */
            if (isatty(2))
                fprintf(stderr, "\n");
            fprintf(stderr, "losscape: --record: %s\n", err);
            status = APP_EXIT_RUNTIME;
        } else {
            /* a signal during the final wait for ffmpeg: the file is complete; keep it */
            progress(o->record_path, frames, n, now_s() - t0, 1);
        }
    }
    free(band);
    app_offscreen_close(s);
    return status;
}

int app_record_run(const app_options *o, app_problem *p)
{
    char err[600];
    int bad = 0;
    rec_desc d = { .path = o->record_path, .width = o->width, .height = o->height, .fps = o->fps,
                   .bottom_up = 1, .queue = 4, .quality = o->quality, .i420 = 1 };
    /* the handlers go in before ffmpeg starts: a signal from now on cleans up */
    rec_signals_install();
    recorder *rec = rec_open(&d, err, sizeof err, &bad);
    if (!rec) {
        rec_signals_restore();
        fprintf(stderr, "losscape: --record: %s\n", err);
        return bad ? APP_EXIT_BAD_INPUT : APP_EXIT_RUNTIME;
    }
    int status = record_frames(o, p, rec);
    rec_signals_restore();
    if (status == APP_EXIT_OK)
        status = app_write_params(o, p);   /* the runs at the last frame */
    return status;
}

/* Progress on stderr: done = 0 while frame `frame` of `total` is out (a live bar
 * when stderr is a terminal, nothing otherwise), done = 1 once the file is
 * complete (the one-line summary). elapsed in seconds. */
static void progress(const char *path, long frame, long total, double elapsed, int done)
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
