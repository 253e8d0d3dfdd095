/*
 * winrec.c — F9 / Ctrl+R: recording what the window shows. While recording, each
 * frame is drawn into the offscreen target at the size fixed when it started, read
 * back (the previous frame goes to the encoder) and shown scaled into the window
 * with a REC badge that is not recorded. Stopping (F9 again, or quitting) finishes
 * the file; a failure of the encoder stops it and says why on the status line.
 */
#include "app/window.h"

#include <math.h>
#include <stdio.h>

static double rec_seconds(const win_state *w)
{
    return (double)(SDL_GetPerformanceCounter() - w->rec_t0) / (double)SDL_GetPerformanceFrequency();
}

/* Stop: push the last frame read back, finish the file (or report why not). */
void winrec_stop(win_state *w)
{
    if (!w->rec)
        return;
    const unsigned char *px = rec_readback_flush(w->rb);
    if (px)
        rec_push(w->rec, px);   /* a failure shows in rec_finish */
    rec_readback_unmap(w->rb);
    long n = rec_frames(w->rec);
    char err[600];
    if (rec_finish(w->rec, err, sizeof err)) {
        win_set_status(w, "saved %s (%ld frames, %.1f s)", w->rec_path, n, rec_seconds(w));
    } else {
        win_set_status(w, "recording failed: %s", err);
        fprintf(stderr, "losscape: recording %s: %s\n", w->rec_path, err);
    }
    w->rec = NULL;
    rec_readback_destroy(w->rb);
    w->rb = NULL;
    win_fbo_destroy(w);
}

/* Start recording what is shown, at the framebuffer size now (made even for
 * yuv420p), into a new losscape-YYYYmmdd-HHMMSS.mp4. */
static void start_recording(win_state *w)
{
    int fw, fh;
    SDL_GL_GetDrawableSize(w->win, &fw, &fh);
    fw &= ~1;
    fh &= ~1;
    if (!rec_unique_name(w->rec_path, sizeof w->rec_path, "mp4")) {
        win_set_status(w, "recording: no free file name");
        return;
    }
    char err[600];
    int bad = 0;
    rec_desc d = { .path = w->rec_path, .width = fw, .height = fh, .fps = w->o->fps, .bottom_up = 1,
                   .quality = w->o->quality };
    w->rec = rec_open(&d, err, sizeof err, &bad);
    if (!w->rec) {
        win_set_status(w, "cannot record: %s", err);
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
        win_set_status(w, "cannot record: no %dx%d offscreen target", fw, fh);
        return;
    }
    w->rec_t0 = SDL_GetPerformanceCounter();
    win_set_status(w, "recording %s (%dx%d); F9 stops", w->rec_path, fw, fh);
}

void winrec_toggle(win_state *w)
{
    if (w->rec)
        winrec_stop(w);
    else if (w->fbo)
        win_set_status(w, "recording: not in offscreen modes");
    else
        start_recording(w);
}

/* After win_draw() rendered into the recording target: read it back (the previous
 * frame goes to the encoder), show it scaled into the window, and the indicator. */
void winrec_frame(win_state *w)
{
    rec_readback_capture(w->rb);
    const unsigned char *px = rec_readback_map(w->rb);
    int ok = px ? rec_push(w->rec, px) : 1;
    rec_readback_unmap(w->rb);
    int ww, wh;
    SDL_GL_GetDrawableSize(w->win, &ww, &wh);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, w->fbo);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
    glDisable(GL_SCISSOR_TEST);
    glViewport(0, 0, ww, wh);
    glClearColor(0, 0, 0, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    /* keep the aspect ratio: letterbox if the window was resized */
    double s = fmin((double)ww / w->fbo_w, (double)wh / w->fbo_h);
    int dw = (int)(w->fbo_w * s), dh = (int)(w->fbo_h * s);
    int dx = (ww - dw) / 2, dy = (wh - dh) / 2;
    glBlitFramebuffer(0, 0, w->fbo_w, w->fbo_h, dx, dy, dx + dw, dy + dh, GL_COLOR_BUFFER_BIT,
                      s == 1.0 ? GL_NEAREST : GL_LINEAR);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    renderer_draw_rec_indicator(w->r, rec_seconds(w), ww, wh);
    if (!ok)
        winrec_stop(w);   /* reports the encoder's failure */
}
