/*
 * recorder_x264.c — MP4 frames encoded in this process by libx264 (on the writer
 * thread, whose I420 frame it reads), the H.264 stream piped to ffmpeg, which only
 * muxes it (-c copy). Compared with piping raw I420 to ffmpeg's own libx264 this
 * saves two kernel copies of every frame through the pipe and ffmpeg's demuxing of
 * it (about a tenth of a recording's CPU time at 1080p), and lets the colour
 * conversion of frame i+1 overlap x264's frame threads encoding frame i.
 * Each frame goes with the map of the macroblocks it shares with the frame before
 * (rec_mb_update; x264's mb_info), which x264 skips without analysing them: about
 * a fifth of its time on a 2-D view, where most of the picture stays still, and
 * nearly all of it for a repeated frame.
 * Contracts in recorder_impl.h; settings by quality in recorder.h.
 *
 * Built only where pkg-config finds x264 (LOSSCAPE_HAVE_X264, CMakeLists.txt);
 * without it rec_x264_wanted is 0 and ffmpeg encodes, as before.
 */
#include "record/recorder_impl.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

size_t rec_mb_count(int w, int h) { return (size_t)((w + 15) / 16) * (size_t)((h + 15) / 16); }

/* The bits that differ between n bytes (16: a macroblock's row of luma; 8: of U
 * or V) of a and b, as 64-bit words. */
static inline uint64_t diff_bits(const unsigned char *a, const unsigned char *b, int n)
{
    uint64_t d = 0;
    for (int i = 0; i < n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8), memcpy(&y, b + i, 8);
        d |= x ^ y;
    }
    return d;
}

/* One plane's rows y0 .. y1 − 1 (pw bytes each, blocks of bs bytes across):
 * the differing bits of each block column into d, then the rows copied. */
static void plane_rows(unsigned char *dst, const unsigned char *src, size_t pw, size_t y0, size_t y1, int bs,
                       uint64_t *d)
{
    size_t whole = pw / (size_t)bs;
    for (size_t y = y0; y < y1; y++) {
        unsigned char *a = dst + y * pw;
        const unsigned char *b = src + y * pw;
        for (size_t k = 0; k < whole; k++)
            d[k] |= diff_bits(a + k * (size_t)bs, b + k * (size_t)bs, bs);
        for (size_t x = whole * (size_t)bs; x < pw; x++)
            d[whole] |= (uint64_t)(a[x] ^ b[x]);
        memcpy(a, b, pw);
    }
}

void rec_mb_update(unsigned char *dst, const unsigned char *src, int w, int h, unsigned char *same)
{
    int mbw = (w + 15) / 16, mbh = (h + 15) / 16;
    size_t luma = (size_t)w * (size_t)h, cw = (size_t)w / 2, ch = (size_t)h / 2;
    for (int my = 0; my < mbh; my++) {
        uint64_t d[mbw];   /* the macroblock row's differing bits, by column */
        memset(d, 0, sizeof d);
        size_t y0 = 16 * (size_t)my, c0 = 8 * (size_t)my;
        plane_rows(dst, src, (size_t)w, y0, y0 + 16 < (size_t)h ? y0 + 16 : (size_t)h, 16, d);
        for (int p = 0; p < 2; p++) {   /* U, V */
            size_t o = luma + (size_t)p * cw * ch;
            plane_rows(dst + o, src + o, cw, c0, c0 + 8 < ch ? c0 + 8 : ch, 8, d);
        }
        for (int mx = 0; mx < mbw; mx++)
            same[(size_t)my * mbw + mx] = d[mx] == 0;
    }
}

#ifdef LOSSCAPE_HAVE_X264
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
    p.analyse.b_mb_info = 1;           /* unchanged macroblocks given with each frame */
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

int rec_x264_frame(recorder *r, unsigned char *i420, unsigned char *same, char *err, size_t n)
{
    struct rec_x264 *x = r->x264;
    x->pic.prop.mb_info = NULL;
    x->pic.prop.mb_info_free = NULL;
    if (same) {   /* x264 may read it after this returns (frame threads): it frees it */
        size_t mbs = rec_mb_count(r->w, r->h);
        for (size_t i = 0; i < mbs; i++)
            same[i] = same[i] ? X264_MBINFO_CONSTANT : 0;
        x->pic.prop.mb_info = same;
        x->pic.prop.mb_info_free = free;
    }
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
int rec_x264_frame(recorder *r, unsigned char *i420, unsigned char *same, char *err, size_t n)
{
    (void)r, (void)i420, (void)err, (void)n;
    free(same);
    return 0;
}
int rec_x264_flush(recorder *r, char *err, size_t n)
{
    (void)r, (void)err, (void)n;
    return 0;
}
void rec_x264_close(recorder *r) { (void)r; }

#endif
