/*
 * recorder.c — frames to ffmpeg (MP4, WebM, GIF) or to PNG files, through a
 * writer thread; pixel-pack-buffer readback. Contracts in recorder.h.
 */
#define _GNU_SOURCE   /* F_SETPIPE_SZ (Linux); everything else is POSIX */
#include "record/recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "record/png.h"
#include "record/yuv.h"
#include "render/gl_util.h"

extern char **environ;

#define REC_MAX_QUEUE 16
#define REC_MAX_ARGS 96

struct recorder {
    rec_format fmt;
    int w, h, fps, bottom_up;
    int quality;                /* rec_quality */
    int yuv;                    /* 1: slots hold I420 frames (MP4, WebM); 0: RGBA */
    size_t frame_bytes;         /* bytes of one slot */
    char *path;                 /* final name (or the PNG pattern) */
    char *tmp;                  /* video/GIF: the temporary file; NULL once renamed or removed */
    /* PNG pattern split: prefix, %0Nd, suffix */
    char *png_prefix, *png_suffix;
    int png_width, png_zero;
    long png_written;           /* frames written by this run: numbers 1..png_written */
    /* ffmpeg */
    pid_t pid;                  /* 0: none */
    int pipe_w;                 /* −1: closed */
    FILE *log;                  /* ffmpeg's stderr */
    /* the queue */
    pthread_t writer;
    int writer_started;
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    unsigned char *slots[REC_MAX_QUEUE];
    int nslots, head, count;
    int closing, aborting, failed;
    char werr[512];             /* the writer's failure */
    long frames;                /* accepted by rec_push */
    long written;               /* handed to ffmpeg or libpng */
};

/* ==== paths ==== */

static const char *ext_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash))
        return "";
    return dot + 1;
}

rec_format rec_format_of(const char *path)
{
    const char *e = ext_of(path);
    if (strcasecmp(e, "mp4") == 0)
        return REC_FORMAT_MP4;
    if (strcasecmp(e, "webm") == 0)
        return REC_FORMAT_WEBM;
    if (strcasecmp(e, "gif") == 0)
        return REC_FORMAT_GIF;
    if (strcasecmp(e, "png") == 0)
        return REC_FORMAT_PNG;
    return REC_FORMAT_NONE;
}

/* Parse the one conversion of a PNG pattern: its offset, length, zero flag, width. */
static int parse_pattern(const char *p, size_t *at, size_t *len, int *zero, int *width, char *err,
                         size_t n)
{
    const char *pc = strchr(p, '%');
    if (!pc) {
        snprintf(err, n, "a PNG sequence needs a frame-number pattern such as frames/f%%04d.png");
        return 0;
    }
    const char *q = pc + 1;
    *zero = 0;
    *width = 0;
    if (*q == '0')
        *zero = 1, q++;
    int digits = 0;
    while (*q >= '0' && *q <= '9') {
        *width = *width * 10 + (*q - '0');
        q++;
        digits++;
    }
    if (*q != 'd' || digits > 2) {
        snprintf(err, n, "the pattern's conversion must be %%d, %%4d or %%04d (width up to 99), not '%.*s'",
                 (int)(q - pc + (*q ? 1 : 0)), pc);
        return 0;
    }
    if (strchr(q + 1, '%')) {
        snprintf(err, n, "the pattern must have exactly one %%d conversion and no other '%%'");
        return 0;
    }
    *at = (size_t)(pc - p);
    *len = (size_t)(q + 1 - pc);
    return 1;
}

int rec_check_pattern(const char *pattern, char *err, size_t err_size)
{
    size_t at, len;
    int zero, width;
    return parse_pattern(pattern, &at, &len, &zero, &width, err, err_size);
}

static void png_name(const recorder *r, long i, char *buf, size_t n)
{
    if (r->png_zero)
        snprintf(buf, n, "%s%0*ld%s", r->png_prefix, r->png_width, i, r->png_suffix);
    else
        snprintf(buf, n, "%s%*ld%s", r->png_prefix, r->png_width, i, r->png_suffix);
}

/* The folder part of path ("." if none), malloc'd. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    size_t n = (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

/* 1 if the folder of path exists and is writable; else 0 with err and *bad_input. */
static int check_folder(const char *path, char *err, size_t n, int *bad_input)
{
    char *dir = dir_of(path);
    if (!dir) {
        snprintf(err, n, "out of memory");
        return 0;
    }
    struct stat st;
    int ok = 0;
    if (stat(dir, &st) != 0) {
        int e = errno;
        *bad_input = e == ENOENT || e == ENOTDIR;
        snprintf(err, n, "folder '%s' %s", dir, e == ENOENT ? "does not exist" : strerror(e));
    } else if (!S_ISDIR(st.st_mode)) {
        *bad_input = 1;
        snprintf(err, n, "'%s' is not a folder", dir);
    } else if (access(dir, W_OK | X_OK) != 0) {
        snprintf(err, n, "cannot write to folder '%s': %s", dir, strerror(errno));
    } else {
        ok = 1;
    }
    free(dir);
    return ok;
}

/* ==== ffmpeg ==== */

/* The last non-empty line ffmpeg wrote to stderr, in buf. */
static void log_last_line(recorder *r, char *buf, size_t n)
{
    buf[0] = '\0';
    if (!r->log)
        return;
    fflush(r->log);
    rewind(r->log);
    char line[512];
    while (fgets(line, sizeof line, r->log)) {
        size_t l = strlen(line);
        while (l > 0 && (line[l - 1] == '\n' || line[l - 1] == '\r' || line[l - 1] == ' '))
            line[--l] = '\0';
        if (l > 0)
            snprintf(buf, n, "%s", line);
    }
}

static int log_mentions(recorder *r, const char *text)
{
    if (!r->log)
        return 0;
    rewind(r->log);
    char line[512];
    int found = 0;
    while (!found && fgets(line, sizeof line, r->log))
        found = strstr(line, text) != NULL;
    return found;
}

static int spawn_ffmpeg(recorder *r, char *err, size_t n)
{
    char size[32], rate[16];
    snprintf(size, sizeof size, "%dx%d", r->w, r->h);
    snprintf(rate, sizeof rate, "%d", r->fps);
    const char *prog = getenv("LOSSCAPE_FFMPEG");
    if (!prog || !prog[0])
        prog = "ffmpeg";
    const char *argv[REC_MAX_ARGS];
    int a = 0;
    argv[a++] = prog;
    argv[a++] = "-hide_banner";
    argv[a++] = "-nostdin";
    argv[a++] = "-loglevel";
    argv[a++] = "error";
    argv[a++] = "-f";
    argv[a++] = "rawvideo";
    argv[a++] = "-pix_fmt";
    argv[a++] = r->yuv ? "yuv420p" : "rgba";
    argv[a++] = "-s";
    argv[a++] = size;
    argv[a++] = "-framerate";
    argv[a++] = rate;
    argv[a++] = "-i";
    argv[a++] = "pipe:0";
    const char *muxer = "mp4";
    switch (r->fmt) {
    case REC_FORMAT_MP4: {
        /* flat-coloured graphics: x264's fastest preset at a low CRF keeps SSIM ≥ 0.99
         * against the lossless frames at a fraction of the default preset's time (the
         * price is a larger file); high spends the time for a small, sharper file. */
        static const char *const x264[3][4] = {
            [REC_QUALITY_STANDARD] = { "ultrafast", "20", NULL, NULL },
            [REC_QUALITY_DRAFT] = { "ultrafast", "27", NULL, NULL },
            [REC_QUALITY_HIGH] = { "medium", "16", "-tune", "animation" },
        };
        const char *const *q = x264[r->quality];
        argv[a++] = "-c:v";
        argv[a++] = "libx264";
        argv[a++] = "-preset";
        argv[a++] = q[0];
        argv[a++] = "-crf";
        argv[a++] = q[1];
        if (q[2]) {
            argv[a++] = q[2];
            argv[a++] = q[3];
        }
        argv[a++] = "-pix_fmt";
        argv[a++] = "yuv420p";
        argv[a++] = "-colorspace";     /* the matrix yuv.c used: players need not guess */
        argv[a++] = "smpte170m";
        argv[a++] = "-color_range";
        argv[a++] = "tv";
        argv[a++] = "-movflags";
        argv[a++] = "+faststart";
        muxer = "mp4";
        break;
    }
    case REC_FORMAT_WEBM: {
        static const char *const vp9[3][3] = {   /* crf, deadline, cpu-used */
            [REC_QUALITY_STANDARD] = { "32", "good", "4" },
            [REC_QUALITY_DRAFT] = { "40", "realtime", "8" },
            [REC_QUALITY_HIGH] = { "24", "good", "2" },
        };
        const char *const *q = vp9[r->quality];
        argv[a++] = "-c:v";
        argv[a++] = "libvpx-vp9";
        argv[a++] = "-pix_fmt";
        argv[a++] = "yuv420p";
        argv[a++] = "-colorspace";
        argv[a++] = "smpte170m";
        argv[a++] = "-color_range";
        argv[a++] = "tv";
        argv[a++] = "-crf";
        argv[a++] = q[0];
        argv[a++] = "-b:v";
        argv[a++] = "0";
        argv[a++] = "-deadline";
        argv[a++] = q[1];
        argv[a++] = "-cpu-used";
        argv[a++] = q[2];
        argv[a++] = "-row-mt";
        argv[a++] = "1";
        muxer = "webm";
        break;
    }
    case REC_FORMAT_GIF:
        /* one palette for the whole clip: generated from every frame (only the
         * pixels that change count), then applied with ordered dithering, which
         * compresses far better than error diffusion; only changed rectangles are
         * re-encoded. Slides want small files: these are. */
        argv[a++] = "-filter_complex";
        argv[a++] = r->quality == REC_QUALITY_HIGH
                        ? "[0:v]split[a][b];[a]palettegen=max_colors=256:stats_mode=diff[p];"
                          "[b][p]paletteuse=dither=bayer:bayer_scale=3:diff_mode=rectangle"
                    : r->quality == REC_QUALITY_DRAFT
                        ? "[0:v]split[a][b];[a]palettegen=max_colors=64:stats_mode=diff[p];"
                          "[b][p]paletteuse=dither=none:diff_mode=rectangle"
                        : "[0:v]split[a][b];[a]palettegen=max_colors=128:stats_mode=diff[p];"
                          "[b][p]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle";
        argv[a++] = "-loop";
        argv[a++] = "0";
        muxer = "gif";
        break;
    default: break;
    }
    /* test hook: extra output options, split at white space */
    char *extra = NULL;
    const char *env = getenv("LOSSCAPE_FFMPEG_ARGS");
    if (env && env[0]) {
        extra = strdup(env);
        for (char *save = NULL, *t = extra ? strtok_r(extra, " \t", &save) : NULL;
             t && a < REC_MAX_ARGS - 8; t = strtok_r(NULL, " \t", &save))
            argv[a++] = t;
    }
    argv[a++] = "-f";
    argv[a++] = muxer;
    argv[a++] = "-y";
    argv[a++] = r->tmp;
    argv[a] = NULL;

    int fds[2];
    r->log = tmpfile();
    if (!r->log || pipe(fds) != 0) {
        snprintf(err, n, "cannot start ffmpeg: %s", strerror(errno));
        free(extra);
        return 0;
    }
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);   /* else ffmpeg would hold its own input open */
#ifdef F_SETPIPE_SZ
    /* a bigger pipe: fewer wake-ups per frame (best effort; the default is 64 KiB) */
    fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
#endif
    fcntl(fileno(r->log), F_SETFD, FD_CLOEXEC);

    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fileno(r->log), 2);
    posix_spawnattr_init(&at);
    sigset_t def, none;
    sigemptyset(&def);
    sigaddset(&def, SIGINT);
    sigaddset(&def, SIGTERM);
    sigaddset(&def, SIGPIPE);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&at, &def);
    posix_spawnattr_setsigmask(&at, &none);
    /* its own process group: Ctrl-C at the terminal reaches losscape only */
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
    pid_t pid;
    int rc = posix_spawnp(&pid, prog, &fa, &at, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    free(extra);
    close(fds[0]);
    if (rc != 0) {
        close(fds[1]);
        if (rc == ENOENT)
            snprintf(err, n, "%s not found (install the ffmpeg package)", prog);
        else
            snprintf(err, n, "cannot start %s: %s", prog, strerror(rc));
        return 0;
    }
    r->pid = pid;
    r->pipe_w = fds[1];
    return 1;
}

/* Wait for ffmpeg; returns its wait status. */
static int reap(recorder *r)
{
    int st = 0;
    if (r->pid > 0) {
        while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
            ;
        r->pid = 0;
    }
    return st;
}

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

static void *writer_main(void *arg)
{
    recorder *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->count == 0 && !r->closing && !r->aborting)
            pthread_cond_wait(&r->not_empty, &r->mu);
        if (r->aborting || r->count == 0) {
            pthread_mutex_unlock(&r->mu);
            break;
        }
        unsigned char *slot = r->slots[r->head];
        pthread_mutex_unlock(&r->mu);

        int ok;
        char e[512] = "";
        if (r->fmt == REC_FORMAT_PNG) {
            size_t n = strlen(r->png_prefix) + strlen(r->png_suffix) + 32;
            char *name = malloc(n);
            ok = name != NULL;
            if (ok) {
                png_name(r, r->written + 1, name, n);
                ok = png_write_rgba(name, r->w, r->h, slot, 0, e, sizeof e);
                if (ok)
                    r->png_written = r->written + 1;
            } else {
                snprintf(e, sizeof e, "out of memory");
            }
            free(name);
        } else {
            ok = write_all(r->pipe_w, slot, r->frame_bytes);
            if (!ok)
                snprintf(e, sizeof e, "ffmpeg stopped reading frames (%s)", strerror(errno));
        }

        pthread_mutex_lock(&r->mu);
        if (ok) {
            r->written++;
            r->head = (r->head + 1) % r->nslots;
            r->count--;
        } else {
            r->failed = 1;
            snprintf(r->werr, sizeof r->werr, "%s", e);
        }
        pthread_cond_broadcast(&r->not_full);
        pthread_mutex_unlock(&r->mu);
        if (!ok)
            break;
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
            png_name(r, i, name, n);
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
        if (!parse_pattern(d->path, &at, &len, &zero, &width, e, sizeof e)) {
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
    if (!check_folder(d->path, err, n, bad_input))
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
    r->frame_bytes = r->yuv ? yuv420_size(r->w, r->h) : (size_t)r->w * (size_t)r->h * 4;
    r->pipe_w = -1;
    r->path = strdup(d->path);
    r->nslots = d->queue > 0 ? (d->queue < REC_MAX_QUEUE ? d->queue : REC_MAX_QUEUE) : 4;
    if (!r->path)
        goto oom;
    for (int i = 0; i < r->nslots; i++)
        if (!(r->slots[i] = malloc(r->frame_bytes)))
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
        char *dir = dir_of(d->path);
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
        if (!spawn_ffmpeg(r, err, n)) {
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
            reap(r);
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

int rec_push(recorder *r, const unsigned char *pixels)
{
    pthread_mutex_lock(&r->mu);
    while (r->count == r->nslots && !r->failed)
        pthread_cond_wait(&r->not_full, &r->mu);
    if (r->failed) {
        pthread_mutex_unlock(&r->mu);
        return 0;
    }
    int tail = (r->head + r->count) % r->nslots;
    unsigned char *slot = r->slots[tail];
    pthread_mutex_unlock(&r->mu);

    /* only this thread touches the slot until count says it is filled */
    size_t row = (size_t)r->w * 4;
    if (r->yuv) {   /* converting costs no more than the copy it replaces */
        yuv420_from_rgba(pixels, r->w, r->h, r->bottom_up, slot);
    } else if (r->bottom_up) {
        for (int y = 0; y < r->h; y++)
            memcpy(slot + (size_t)y * row, pixels + (size_t)(r->h - 1 - y) * row, row);
    } else {
        memcpy(slot, pixels, r->frame_bytes);
    }

    pthread_mutex_lock(&r->mu);
    r->count++;
    r->frames++;
    pthread_cond_signal(&r->not_empty);
    pthread_mutex_unlock(&r->mu);
    return 1;
}

long rec_frames(const recorder *r) { return r->frames; }

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
        int st = reap(r);
        char last[400];
        log_last_line(r, last, sizeof last);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            ok = 0;
            if (log_mentions(r, "No space left"))
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
    reap(r);
    remove_outputs(r);
    free_recorder(r);
}

/* ==== names ==== */

int rec_unique_name(char *buf, size_t n, const char *ext)
{
    time_t t = time(NULL);
    struct tm tmv;
    char ts[32];
    localtime_r(&t, &tmv);
    strftime(ts, sizeof ts, "%Y%m%d-%H%M%S", &tmv);
    for (int k = 0; k < 1000; k++) {
        int len = k ? snprintf(buf, n, "losscape-%s-%d.%s", ts, k, ext)
                    : snprintf(buf, n, "losscape-%s.%s", ts, ext);
        if (len < 0 || (size_t)len >= n)
            return 0;
        struct stat st;
        if (stat(buf, &st) != 0 && errno == ENOENT)
            return 1;
    }
    return 0;
}

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

/* ==== readback ==== */

struct rec_readback {
    GLuint pbo[2];
    int w, h;
    int next;       /* the buffer the next capture goes into */
    long captures;
    int mapped;     /* buffer mapped, or −1 */
};

rec_readback *rec_readback_create(int width, int height)
{
    rec_readback *rb = calloc(1, sizeof *rb);
    if (!rb)
        return NULL;
    rb->w = width;
    rb->h = height;
    rb->mapped = -1;
    glGenBuffers(2, rb->pbo);
    for (int i = 0; i < 2; i++) {
        glBindBuffer(GL_PIXEL_PACK_BUFFER, rb->pbo[i]);
        glBufferData(GL_PIXEL_PACK_BUFFER, (GLsizeiptr)width * height * 4, NULL, GL_STREAM_READ);
    }
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    if (glGetError() != GL_NO_ERROR) {
        rec_readback_destroy(rb);
        return NULL;
    }
    return rb;
}

void rec_readback_destroy(rec_readback *rb)
{
    if (!rb)
        return;
    if (rb->mapped >= 0)
        rec_readback_unmap(rb);
    glDeleteBuffers(2, rb->pbo);
    free(rb);
}

void rec_readback_capture(rec_readback *rb)
{
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, rb->pbo[rb->next]);
    glReadPixels(0, 0, rb->w, rb->h, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    rb->next ^= 1;
    rb->captures++;
}

static const unsigned char *map_buffer(rec_readback *rb, int i)
{
    glBindBuffer(GL_PIXEL_PACK_BUFFER, rb->pbo[i]);
    const unsigned char *p = glMapBufferRange(GL_PIXEL_PACK_BUFFER, 0, (GLsizeiptr)rb->w * rb->h * 4,
                                              GL_MAP_READ_BIT);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    rb->mapped = p ? i : -1;
    return p;
}

const unsigned char *rec_readback_map(rec_readback *rb)
{
    if (rb->captures < 2)
        return NULL;
    return map_buffer(rb, rb->next);   /* the older of the two */
}

const unsigned char *rec_readback_flush(rec_readback *rb)
{
    if (rb->captures < 1)
        return NULL;
    return map_buffer(rb, rb->next ^ 1);
}

void rec_readback_unmap(rec_readback *rb)
{
    if (rb->mapped < 0)
        return;
    glBindBuffer(GL_PIXEL_PACK_BUFFER, rb->pbo[rb->mapped]);
    glUnmapBuffer(GL_PIXEL_PACK_BUFFER);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    rb->mapped = -1;
}
