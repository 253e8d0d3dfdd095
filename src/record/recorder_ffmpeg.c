/*
 * recorder_ffmpeg.c — the ffmpeg child of a video or GIF recording: its argument
 * vector by format and quality, posix_spawnp, its log, reaping it. Contracts in
 * recorder.h (formats, test hooks) and recorder_impl.h.
 */
#define _GNU_SOURCE   /* F_SETPIPE_SZ (Linux); everything else is POSIX */
#include "record/recorder_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* ==== ffmpeg ==== */

/* The last non-empty line ffmpeg wrote to stderr, in buf. */
void rec_log_last_line(recorder *r, char *buf, size_t n)
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

int rec_log_mentions(recorder *r, const char *text)
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

int rec_spawn_ffmpeg(recorder *r, char *err, size_t n)
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
    if (r->x264) {   /* an H.264 stream from recorder_x264.c: ffmpeg only muxes it */
        argv[a++] = "h264";
    } else {
        argv[a++] = "rawvideo";
        argv[a++] = "-pix_fmt";
        argv[a++] = r->yuv ? "yuv420p" : "rgba";
        argv[a++] = "-s";
        argv[a++] = size;
    }
    argv[a++] = "-framerate";
    argv[a++] = rate;
    argv[a++] = "-i";
    argv[a++] = "pipe:0";
    const char *muxer = "mp4";
    switch (r->x264 ? REC_FORMAT_NONE : r->fmt) {
    case REC_FORMAT_NONE:
        argv[a++] = "-c:v";
        argv[a++] = "copy";
        argv[a++] = "-video_track_timescale";   /* one tick a frame: exact frame times */
        argv[a++] = rate;
        argv[a++] = "-movflags";
        argv[a++] = "+faststart";
        muxer = "mp4";
        break;
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
int rec_reap(recorder *r)
{
    int st = 0;
    if (r->pid > 0) {
        while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
            ;
        r->pid = 0;
    }
    return st;
}
