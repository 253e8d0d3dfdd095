/*
 * recorder.c — frames to ffmpeg (MP4, WebM, GIF) or to PNG files, through a
 * writer thread: the queue, open / push / finish / abort. Contracts in recorder.h;
 * paths in recorder_paths.c, the ffmpeg child in recorder_ffmpeg.c, signals in
 * recorder_signals.c, GL readback in readback.c.
 */
#include "record/recorder_impl.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record/png.h"
#include "record/yuv.h"

/* ==== the writer thread ==== */

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return 0;
        }
        p += k;
        n -= (size_t)k;
    }
    return 1;
}

/* The slot at the head is no longer needed (its frame is converted or written):
 * the render loop may fill it again. */
static void release_head(recorder *r)
{
    pthread_mutex_lock(&r->mu);
    r->head = (r->head + 1) % r->nslots;
    r->count--;
    pthread_cond_broadcast(&r->not_full);
    pthread_mutex_unlock(&r->mu);
}

static void *writer_main(void *arg)
{
    recorder *r = arg;
    int drained = 0;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->count == 0 && !r->closing && !r->aborting)
            pthread_cond_wait(&r->not_empty, &r->mu);
        if (r->aborting || r->count == 0) {
            drained = !r->aborting;
            pthread_mutex_unlock(&r->mu);
            break;
        }
        unsigned char *slot = r->slots[r->head];
        int rep = r->repeat[r->head];
        pthread_mutex_unlock(&r->mu);

        int ok;
        char e[512] = "";
        /* x264: which macroblocks are the frame before's (all, for a repeat); without
         * the map (the first frame, or no memory) x264 analyses every one */
        unsigned char *same = r->x264 && r->written > 0 ? malloc(rec_mb_count(r->w, r->h)) : NULL;
        if (rep && same)
            memset(same, 1, rec_mb_count(r->w, r->h));
        if (!rep) {
            /* the frame into conv (converted, flipped or copied), then the slot goes back:
             * the render loop fills it again while this frame is encoded */
            if (r->yuv) {
                const unsigned char *src = slot;   /* the frame as I420 */
                if (!r->slot_i420) {
                    src = same ? r->scratch : r->conv;
                    yuv420_from_rgba(slot, r->w, r->h, r->bottom_up, (unsigned char *)src);
                }
                if (same)
                    rec_mb_update(r->conv, src, r->w, r->h, same);
                else if (src != r->conv)
                    memcpy(r->conv, src, r->conv_bytes);
            } else if (r->fmt == REC_FORMAT_GIF && r->bottom_up) {
                size_t row = (size_t)r->w * 4;
                for (int y = 0; y < r->h; y++)
                    memcpy(r->conv + (size_t)y * row, slot + (size_t)(r->h - 1 - y) * row, row);
            } else {
                memcpy(r->conv, slot, r->conv_bytes);
            }
        }
        release_head(r);
        if (r->fmt == REC_FORMAT_PNG) {
            size_t n = strlen(r->png_prefix) + strlen(r->png_suffix) + 32;
            char *name = malloc(n);
            ok = name != NULL;
            if (ok) {
                rec_png_name(r, r->written + 1, name, n);
                ok = png_write_rgba(name, r->w, r->h, r->conv, r->bottom_up, e, sizeof e);
                if (ok)
                    r->png_written = r->written + 1;
            } else {
                snprintf(e, sizeof e, "out of memory");
            }
            free(name);
        } else if (r->x264) {
            ok = rec_x264_frame(r, r->conv, same, e, sizeof e);
            same = NULL;
        } else {
            ok = write_all(r->pipe_w, r->conv, r->conv_bytes);
            if (!ok)
                snprintf(e, sizeof e, "ffmpeg stopped reading frames (%s)", strerror(errno));
        }

        free(same);   /* not handed to x264 */
        pthread_mutex_lock(&r->mu);
        if (ok) {
            r->written++;
        } else {
            r->failed = 1;
            snprintf(r->werr, sizeof r->werr, "%s", e);
        }
        pthread_cond_broadcast(&r->not_full);
        pthread_mutex_unlock(&r->mu);
        if (!ok)
            return NULL;
    }
    if (drained && r->x264) {   /* the frames x264 still holds */
        char e[512] = "";
        if (!rec_x264_flush(r, e, sizeof e)) {
            pthread_mutex_lock(&r->mu);
            r->failed = 1;
            snprintf(r->werr, sizeof r->werr, "%s", e);
            pthread_mutex_unlock(&r->mu);
        }
    }
    return NULL;
}

/* ==== open / push / finish / abort ==== */

static void free_recorder(recorder *r)
{
    if (r->writer_started) {
        pthread_mutex_destroy(&r->mu);
        pthread_cond_destroy(&r->not_empty);
        pthread_cond_destroy(&r->not_full);
    }
    for (int i = 0; i < r->nslots; i++)
        free(r->slots[i]);
    free(r->conv);
    free(r->scratch);
    rec_x264_close(r);
    if (r->log)
        fclose(r->log);
    free(r->path);
    free(r->tmp);
    free(r->png_prefix);
    free(r->png_suffix);
    free(r);
}

/* Remove everything this run wrote (the temporary file, or the PNG frames). */
static void remove_outputs(recorder *r)
{
    if (r->tmp) {
        unlink(r->tmp);
        free(r->tmp);
        r->tmp = NULL;
    }
    if (r->fmt == REC_FORMAT_PNG) {
        size_t n = strlen(r->png_prefix) + strlen(r->png_suffix) + 32;
        char *name = malloc(n);
        for (long i = 1; name && i <= r->png_written; i++) {
            rec_png_name(r, i, name, n);
            unlink(name);
        }
        free(name);
        r->png_written = 0;
    }
}

recorder *rec_open(const rec_desc *d, char *err, size_t n, int *bad_input)
{
    int bad = 0;
    if (!bad_input)
        bad_input = &bad;
    *bad_input = 0;
    rec_format fmt = rec_format_of(d->path);
    if (fmt == REC_FORMAT_NONE) {
        *bad_input = 1;
        snprintf(err, n, "'%s': unknown format (use .mp4, .webm, .gif or a pattern like f%%04d.png)", d->path);
        return NULL;
    }
    if (d->width < 2 || d->height < 2) {
        *bad_input = 1;
        snprintf(err, n, "frame size %dx%d is too small", d->width, d->height);
        return NULL;
    }
    if ((fmt == REC_FORMAT_MP4 || fmt == REC_FORMAT_WEBM) && (d->width % 2 || d->height % 2)) {
        *bad_input = 1;
        snprintf(err, n, "%s needs an even width and height (yuv420p), not %dx%d",
                 fmt == REC_FORMAT_MP4 ? "MP4" : "WebM", d->width, d->height);
        return NULL;
    }
    size_t at = 0, len = 0;
    int zero = 0, width = 0;
    if (fmt == REC_FORMAT_PNG) {
        char e[256];
        if (!rec_parse_pattern(d->path, &at, &len, &zero, &width, e, sizeof e)) {
            *bad_input = 1;
            snprintf(err, n, "'%s': %s", d->path, e);
            return NULL;
        }
        const char *slash = strrchr(d->path, '/');
        if (slash && slash > d->path + at) {
            *bad_input = 1;
            snprintf(err, n, "'%s': the frame number must be in the file name, not the folder", d->path);
            return NULL;
        }
    }
    if (!rec_check_folder(d->path, err, n, bad_input))
        return NULL;

    recorder *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    r->fmt = fmt;
    r->w = d->width;
    r->h = d->height;
    r->fps = d->fps > 0 ? d->fps : 30;
    r->bottom_up = d->bottom_up;
    r->quality = d->quality >= 0 && d->quality <= REC_QUALITY_HIGH ? d->quality : REC_QUALITY_STANDARD;
    r->yuv = fmt == REC_FORMAT_MP4 || fmt == REC_FORMAT_WEBM;
    /* slots hold frames as pushed, which the writer converts (off the render loop),
     * or I420 where the caller asked and the format takes it */
    r->slot_i420 = d->i420 && r->yuv;
    r->frame_bytes = r->slot_i420 ? yuv420_size(r->w, r->h) : (size_t)r->w * (size_t)r->h * 4;
    r->pipe_w = -1;
    r->path = strdup(d->path);
    r->nslots = d->queue > 0 ? (d->queue < REC_MAX_QUEUE ? d->queue : REC_MAX_QUEUE) : 4;
    if (!r->path)
        goto oom;
    for (int i = 0; i < r->nslots; i++)
        if (!(r->slots[i] = malloc(r->frame_bytes)))
            goto oom;
    r->conv_bytes = r->yuv ? yuv420_size(r->w, r->h) : r->frame_bytes;
    if (!(r->conv = malloc(r->conv_bytes)))
        goto oom;

    if (fmt == REC_FORMAT_PNG) {
        r->png_prefix = strndup(d->path, at);
        r->png_suffix = strdup(d->path + at + len);
        r->png_zero = zero;
        r->png_width = width;
        if (!r->png_prefix || !r->png_suffix)
            goto oom;
    } else {
        /* the temporary file: ".NAME.XXXXXX" beside the final name */
        char *dir = rec_dir_of(d->path);
        const char *slash = strrchr(d->path, '/');
        const char *base = slash ? slash + 1 : d->path;
        size_t tn = (dir ? strlen(dir) : 0) + strlen(base) + 16;
        r->tmp = dir ? malloc(tn) : NULL;
        if (!r->tmp) {
            free(dir);
            goto oom;
        }
        snprintf(r->tmp, tn, "%s/.%s.XXXXXX", dir, base);
        free(dir);
        int fd = mkstemp(r->tmp);
        if (fd < 0) {
            snprintf(err, n, "cannot create a file in the folder of '%s': %s", d->path, strerror(errno));
            free(r->tmp);
            r->tmp = NULL;
            free_recorder(r);
            return NULL;
        }
        mode_t um = umask(022);
        umask(um);
        fchmod(fd, 0666 & ~um);   /* mkstemp made it 0600; the video is an ordinary file */
        close(fd);
        if (rec_x264_wanted(r) && !r->slot_i420 && !(r->scratch = malloc(r->conv_bytes))) {
            remove_outputs(r);
            goto oom;
        }
        if (rec_x264_wanted(r) && !rec_x264_open(r, err, n)) {
            remove_outputs(r);
            free_recorder(r);
            return NULL;
        }
        if (!rec_spawn_ffmpeg(r, err, n)) {
            remove_outputs(r);
            free_recorder(r);
            return NULL;
        }
    }

    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->not_empty, NULL);
    pthread_cond_init(&r->not_full, NULL);
    /* the writer never takes SIGINT/SIGTERM: they go to the render loop's thread */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int rc = pthread_create(&r->writer, NULL, writer_main, r);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    r->writer_started = 1;
    if (rc != 0) {
        r->writer_started = 0;
        pthread_mutex_destroy(&r->mu);
        pthread_cond_destroy(&r->not_empty);
        pthread_cond_destroy(&r->not_full);
        snprintf(err, n, "cannot start the writer thread: %s", strerror(rc));
        if (r->pid > 0) {
            close(r->pipe_w);
            kill(r->pid, SIGKILL);
            rec_reap(r);
        }
        remove_outputs(r);
        free_recorder(r);
        return NULL;
    }
    return r;
oom:
    snprintf(err, n, "out of memory for %d frame buffers of %dx%d", r->nslots, r->w, r->h);
    free_recorder(r);
    return NULL;
}

unsigned char *rec_slot(recorder *r)
{
    pthread_mutex_lock(&r->mu);
    while (r->count == r->nslots && !r->failed)
        pthread_cond_wait(&r->not_full, &r->mu);
    if (r->failed) {
        pthread_mutex_unlock(&r->mu);
        return NULL;
    }
    unsigned char *slot = r->slots[(r->head + r->count) % r->nslots];
    r->lent = 1;
    pthread_mutex_unlock(&r->mu);
    return slot;   /* only this thread touches it until rec_commit counts it in */
}

int rec_commit(recorder *r)
{
    pthread_mutex_lock(&r->mu);
    if (!r->lent) {
        pthread_mutex_unlock(&r->mu);
        return 0;
    }
    r->lent = 0;
    r->repeat[(r->head + r->count) % r->nslots] = 0;
    r->count++;
    r->frames++;
    pthread_cond_signal(&r->not_empty);
    int ok = !r->failed;
    pthread_mutex_unlock(&r->mu);
    return ok;
}

int rec_repeat(recorder *r)
{
    pthread_mutex_lock(&r->mu);
    while (r->count == r->nslots && !r->failed)
        pthread_cond_wait(&r->not_full, &r->mu);
    int ok = !r->failed && r->frames > 0 && !r->lent;
    if (ok) {
        r->repeat[(r->head + r->count) % r->nslots] = 1;
        r->count++;
        r->frames++;
        pthread_cond_signal(&r->not_empty);
    }
    pthread_mutex_unlock(&r->mu);
    return ok;
}

int rec_push(recorder *r, const unsigned char *pixels)
{
    unsigned char *slot = rec_slot(r);
    if (!slot)
        return 0;
    if (r->slot_i420)   /* converted here, as the caller of rec_slot would have */
        yuv420_from_rgba(pixels, r->w, r->h, r->bottom_up, slot);
    else
        memcpy(slot, pixels, r->frame_bytes);   /* the writer flips and converts */
    return rec_commit(r);
}

long rec_frames(const recorder *r) { return r->frames; }

int rec_slot_i420(const recorder *r) { return r->slot_i420; }

int rec_finish(recorder *r, char *err, size_t n)
{
    pthread_mutex_lock(&r->mu);
    r->closing = 1;
    pthread_cond_broadcast(&r->not_empty);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->writer, NULL);
    int ok = !r->failed;
    char e[512];
    snprintf(e, sizeof e, "%s", r->werr);
    if (r->fmt != REC_FORMAT_PNG) {
        close(r->pipe_w);
        r->pipe_w = -1;
        int st = rec_reap(r);
        char last[400];
        rec_log_last_line(r, last, sizeof last);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            ok = 0;
            if (rec_log_mentions(r, "No space left"))
                snprintf(e, sizeof e, "disk full while writing '%s' (ffmpeg: %s)", r->path, last);
            else if (WIFEXITED(st))
                snprintf(e, sizeof e, "ffmpeg failed (exit status %d)%s%s", WEXITSTATUS(st),
                         last[0] ? ": " : "", last);
            else
                snprintf(e, sizeof e, "ffmpeg was killed by signal %d", WTERMSIG(st));
        }
        if (ok && rename(r->tmp, r->path) != 0) {
            ok = 0;
            snprintf(e, sizeof e, "cannot rename the finished recording to '%s': %s", r->path,
                     strerror(errno));
        }
        if (ok) {
            free(r->tmp);
            r->tmp = NULL;
        }
    } else if (!ok && strstr(e, "No space left")) {
        char e2[512];
        snprintf(e2, sizeof e2, "disk full: %.490s", e);
        snprintf(e, sizeof e, "%s", e2);
    }
    if (!ok) {
        snprintf(err, n, "%s", e[0] ? e : "recording failed");
        remove_outputs(r);
    }
    free_recorder(r);
    return ok;
}

void rec_abort(recorder *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    r->aborting = 1;
    pthread_cond_broadcast(&r->not_empty);
    pthread_cond_broadcast(&r->not_full);
    pthread_mutex_unlock(&r->mu);
    if (r->pid > 0)
        kill(r->pid, SIGKILL);   /* a blocked write() in the writer then fails with EPIPE */
    pthread_join(r->writer, NULL);
    if (r->pipe_w >= 0)
        close(r->pipe_w);
    r->pipe_w = -1;
    rec_reap(r);
    remove_outputs(r);
    free_recorder(r);
}
