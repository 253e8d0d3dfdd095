/*
 * recorder_x264.c — MP4 frames encoded in this process by libx264 (on the writer
 * thread, whose I420 frame it reads), the H.264 stream piped to ffmpeg, which only
 * muxes it (-c copy). Compared with piping raw I420 to ffmpeg's own libx264 this
 * saves two kernel copies of every frame through the pipe and ffmpeg's demuxing of
 * it (about a tenth of a recording's CPU time at 1080p), and lets the colour
 * conversion of frame i+1 overlap x264's frame threads encoding frame i.
 * Contracts in recorder_impl.h; settings by quality in recorder.h.
 *
 * Built only where pkg-config finds x264 (LOSSCAPE_HAVE_X264, CMakeLists.txt);
 * without it rec_x264_wanted is 0 and ffmpeg encodes, as before.
 */
#include "record/recorder_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef LOSSCAPE_HAVE_X264
#include <stdint.h>
#include <x264.h>

struct rec_x264 {
    x264_t *enc;
    x264_picture_t pic;
    long pts;
};

int rec_x264_wanted(const recorder *r)
{
    /* not for high: its B-frames need timestamps that a raw H.264 stream does not
     * carry (ffmpeg would mux them out of order); ffmpeg encodes those, and the
     * pipe's cost is small beside preset medium's */
    const char *e = getenv("LOSSCAPE_X264");
    return r->fmt == REC_FORMAT_MP4 && r->quality != REC_QUALITY_HIGH && !(e && strcmp(e, "0") == 0);
}

int rec_x264_open(recorder *r, char *err, size_t n)
{
    /* the same settings as the ffmpeg path's (recorder_ffmpeg.c) and recorder.h */
    static const struct { const char *preset, *tune; float crf; } q[3] = {
        [REC_QUALITY_STANDARD] = { "ultrafast", NULL, 20 },
        [REC_QUALITY_DRAFT] = { "ultrafast", NULL, 27 },
        [REC_QUALITY_HIGH] = { "medium", "animation", 16 },   /* not used: see above */
    };
    x264_param_t p;
    if (x264_param_default_preset(&p, q[r->quality].preset, q[r->quality].tune) < 0) {
        snprintf(err, n, "libx264 does not know preset '%s'", q[r->quality].preset);
        return 0;
    }
    p.i_log_level = X264_LOG_NONE;
    p.i_width = r->w;
    p.i_height = r->h;
    p.i_csp = X264_CSP_I420;
    p.i_threads = X264_THREADS_AUTO;   /* frame threads: 1.5 per core */
    p.i_fps_num = (uint32_t)r->fps;
    p.i_fps_den = 1;
    p.i_timebase_num = 1;
    p.i_timebase_den = (uint32_t)r->fps;
    p.rc.i_rc_method = X264_RC_CRF;
    p.rc.f_rf_constant = q[r->quality].crf;
    p.vui.i_colmatrix = 6;             /* smpte170m: the matrix of yuv.c */
    p.vui.b_fullrange = 0;
    p.b_repeat_headers = 1;            /* SPS/PPS in the stream: ffmpeg's h264 demuxer reads them */
    p.b_annexb = 1;
    struct rec_x264 *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(err, n, "out of memory");
        return 0;
    }
    x->enc = x264_encoder_open(&p);
    if (!x->enc) {
        free(x);
        snprintf(err, n, "cannot start the H.264 encoder (libx264) at %dx%d", r->w, r->h);
        return 0;
    }
    x264_picture_init(&x->pic);
    x->pic.img.i_csp = X264_CSP_I420;
    x->pic.img.i_plane = 3;
    x->pic.img.i_stride[0] = r->w;
    x->pic.img.i_stride[1] = x->pic.img.i_stride[2] = r->w / 2;
    r->x264 = x;
    return 1;
}

static int write_nals(recorder *r, x264_nal_t *nal, int bytes, char *err, size_t n)
{
    if (bytes <= 0)
        return 1;
    /* x264 lays the payloads of one call out back to back */
    const unsigned char *p = nal[0].p_payload;
    size_t left = (size_t)bytes;
    while (left > 0) {
        ssize_t k = write(r->pipe_w, p, left);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            snprintf(err, n, "ffmpeg stopped reading the H.264 stream (%s)", strerror(errno));
            return 0;
        }
        p += k;
        left -= (size_t)k;
    }
    return 1;
}

int rec_x264_frame(recorder *r, unsigned char *i420, char *err, size_t n)
{
    struct rec_x264 *x = r->x264;
    x->pic.img.plane[0] = i420;
    x->pic.img.plane[1] = i420 + (size_t)r->w * r->h;
    x->pic.img.plane[2] = x->pic.img.plane[1] + (size_t)(r->w / 2) * (r->h / 2);
    x->pic.i_pts = x->pts++;
    x264_nal_t *nal;
    int nn;
    x264_picture_t out;
    int bytes = x264_encoder_encode(x->enc, &nal, &nn, &x->pic, &out);
    if (bytes < 0) {
        snprintf(err, n, "libx264 failed on frame %ld", x->pts);
        return 0;
    }
    return write_nals(r, nal, bytes, err, n);
}

int rec_x264_flush(recorder *r, char *err, size_t n)
{
    struct rec_x264 *x = r->x264;
    while (x264_encoder_delayed_frames(x->enc) > 0) {
        x264_nal_t *nal;
        int nn;
        x264_picture_t out;
        int bytes = x264_encoder_encode(x->enc, &nal, &nn, NULL, &out);
        if (bytes < 0) {
            snprintf(err, n, "libx264 failed while finishing");
            return 0;
        }
        if (!write_nals(r, nal, bytes, err, n))
            return 0;
    }
    return 1;
}

void rec_x264_close(recorder *r)
{
    struct rec_x264 *x = r->x264;
    if (!x)
        return;
    x264_encoder_close(x->enc);
    free(x);
    r->x264 = NULL;
}

#else /* no libx264: ffmpeg encodes */

int rec_x264_wanted(const recorder *r)
{
    (void)r;
    return 0;
}
int rec_x264_open(recorder *r, char *err, size_t n)
{
    (void)r;
    snprintf(err, n, "built without libx264");
    return 0;
}
int rec_x264_frame(recorder *r, unsigned char *i420, char *err, size_t n)
{
    (void)r, (void)i420, (void)err, (void)n;
    return 0;
}
int rec_x264_flush(recorder *r, char *err, size_t n)
{
    (void)r, (void)err, (void)n;
    return 0;
}
void rec_x264_close(recorder *r) { (void)r; }

#endif
