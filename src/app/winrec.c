/*
 * winrec.c — F9 / Ctrl+R: recording what the window shows. While recording, each
 * frame is drawn into the offscreen target at the size fixed when it started, read
 * back (the previous frame goes to the encoder) and shown scaled into the window
 * with a REC badge that is not recorded. Stopping (F9 again, or quitting) finishes
 * the file; a failure of the encoder stops it and says why on the status line.
 */
#include "render/i18n.h"
#include "app/window.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static double rec_seconds(const win_state *w)
{
    return (double)(SDL_GetPerformanceCounter() - w->rec_t0) / (double)SDL_GetPerformanceFrequency();
}

/* Push the capture in flight (px, or nothing when NULL) as many frames as it stands
 * for: copied once, then repeated (the recorder sends its copy again). */
static int push_pending(win_state *w, const unsigned char *px, long extra)
{
    int ok = 1;
    for (long k = 0; px && k < w->rec_pending + extra && ok; k++)
        ok = k == 0 ? rec_push(w->rec, px) : rec_repeat(w->rec);
    w->rec_pending = 0;
    return ok;
}

/* Stop: push the last frame read back as often as the time since it asks for, so
 * the video lasts as long as the recording did; finish the file (or say why not). */
static void stop_at(win_state *w, Uint64 t)
{
    if (!w->rec)
        return;
    double secs = (double)(t > w->rec_t0 ? t - w->rec_t0 : 0) / (double)SDL_GetPerformanceFrequency();
    long total = (long)floor(secs * w->o->fps + 0.5);
    const unsigned char *px = rec_readback_flush(w->rb);
    long extra = total > w->rec_due ? total - w->rec_due : 0;
    push_pending(w, px, extra);   /* a failure shows in rec_finish */
    rec_readback_unmap(w->rb);
    long n = rec_frames(w->rec);
    char err[600];
    if (rec_finish(w->rec, err, sizeof err)) {
        win_set_status(w, _("saved %s (%ld frames, %.1f s)"), w->rec_path, n, (double)n / w->o->fps);
        fprintf(stderr, "losscape: recorded %s: %ld frames at %d fps, %.3f s of wall-clock time\n",
                w->rec_path, n, w->o->fps, secs);
    } else {
        win_set_status(w, _("recording failed: %s"), err);
        fprintf(stderr, "losscape: recording %s: %s\n", w->rec_path, err);
    }
    w->rec = NULL;
    rec_readback_destroy(w->rb);
    w->rb = NULL;
    win_fbo_destroy(w);
}

void winrec_stop(win_state *w)
{
    stop_at(w, SDL_GetPerformanceCounter());
}

/* Start recording what is shown, at the framebuffer size now (made even for
 * yuv420p), into a new losscape-YYYYmmdd-HHMMSS.mp4. */
static void start_recording(win_state *w)
{
    /* the video starts at the key press (its X server time where known; a window
     * sees it only at its next frame), not after opening the encoder (ffmpeg,
     * libx264: ~0.4 s of a busy machine); the first capture stands for that time */
    Uint64 now = SDL_GetPerformanceCounter();
    Uint64 t0 = w->key_t && w->key_t <= now ? w->key_t : now;
    int fw, fh;
    SDL_GL_GetDrawableSize(w->win, &fw, &fh);
    fw &= ~1;
    fh &= ~1;
    if (!rec_unique_name(w->rec_path, sizeof w->rec_path, "mp4")) {
        win_set_status(w, _("recording: no free file name"));
        return;
    }
    char err[600];
    int bad = 0;
    rec_desc d = { .path = w->rec_path, .width = fw, .height = fh, .fps = w->o->fps, .bottom_up = 1,
                   .quality = w->o->quality };
    w->rec = rec_open(&d, err, sizeof err, &bad);
    if (!w->rec) {
        win_set_status(w, _("cannot record: %s"), err);
        return;
    }
    w->rb = rec_readback_create(fw, fh);
    if (!w->rb || !win_fbo_create(w, fw, fh)) {
        rec_abort(w->rec);
        w->rec = NULL;
        rec_readback_destroy(w->rb);
        w->rb = NULL;
        if (w->fbo)
            win_fbo_destroy(w);
        win_set_status(w, _("cannot record: no %dx%d offscreen target"), fw, fh);
        return;
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    w->rec_t0 = t0;
    w->rec_due = 0;
    w->rec_pending = 0;
    /* (this message is in the window only: recordings never show status lines) */
    win_set_status(w, _("recording %s (%dx%d); F9 stops"), w->rec_path, fw, fh);
}

void winrec_toggle(win_state *w)
{
    Uint64 now = SDL_GetPerformanceCounter();
    if (w->rec)
        stop_at(w, w->key_t && w->key_t <= now ? w->key_t : now);   /* the press, as at the start */
    else if (w->fbo)
        win_set_status(w, _("recording: not in offscreen modes"));
    else
        start_recording(w);
}

/* Before the window's frame is drawn: if the video's time grid (frame k at k/fps
 * seconds after the start) has reached a new frame, draw the scene into the
 * recording target and capture it; it stands for every grid frame since the last
 * capture (repeated when the window is slower than the video, none taken when it is
 * faster). The capture before it goes to the encoder as often as it stood for. */
void winrec_frame(win_state *w)
{
    long due = (long)floor(rec_seconds(w) * w->o->fps) + 1;
    if (due <= w->rec_due)
        return;
    win_draw_recording(w);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, w->fbo);
    rec_readback_capture(w->rb);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    const unsigned char *px = rec_readback_map(w->rb);
    int ok = push_pending(w, px, 0);
    rec_readback_unmap(w->rb);
    w->rec_pending = due - w->rec_due;
    w->rec_due = due;
    if (!ok)
        winrec_stop(w);   /* reports the encoder's failure */
}

/* After the window's frame: the REC badge, in the window only. */
void winrec_badge(win_state *w)
{
    int ww, wh;
    SDL_GL_GetDrawableSize(w->win, &ww, &wh);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    renderer_draw_rec_indicator(w->r, rec_seconds(w), ww, wh);
}
