/*
 * recorder_impl.h — what the recorder's source files share (not a public header):
 * the recorder struct, path helpers (recorder_paths.c), the ffmpeg child
 * (recorder_ffmpeg.c) and the in-process H.264 encoder (recorder_x264.c). The queue, the writer thread and the public entry points
 * are in recorder.c; signals in recorder_signals.c; GL readback in readback.c.
 * Contracts of the public functions in recorder.h.
 */
#ifndef LOSSCAPE_RECORD_RECORDER_IMPL_H
#define LOSSCAPE_RECORD_RECORDER_IMPL_H

#include <pthread.h>
#include <stdio.h>
#include <sys/types.h>

#include "record/recorder.h"

#define REC_MAX_QUEUE 16
#define REC_MAX_ARGS 96

struct recorder {
    rec_format fmt;
    int w, h, fps, bottom_up;
    int quality;                /* rec_quality */
    int yuv;                    /* 1: the encoder takes I420 frames (MP4, WebM); 0: RGBA */
    int slot_i420;              /* 1: slots hold I420 frames (rec_slot_i420); 0: RGBA */
    size_t frame_bytes;         /* bytes of one slot: an I420 frame (slot_i420), or an RGBA frame
                                   as pushed (rows as bottom_up says) */
    unsigned char *conv;        /* the writer's copy of the last frame, as the encoder reads it:
                                   I420 (yuv), RGBA top-down (GIF) or as pushed (PNG); a repeat
                                   (rec_repeat) sends it again */
    size_t conv_bytes;          /* bytes of conv */
    unsigned char *scratch;     /* x264 with RGBA slots: a frame converted, before rec_mb_update
                                   compares it with conv and copies it there; else NULL */
    struct rec_x264 *x264;      /* MP4 encoded here (recorder_x264.c), ffmpeg only muxes; or NULL */
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
    int lent;                   /* 1: rec_slot handed out the tail slot, rec_commit not yet called */
    unsigned char repeat[REC_MAX_QUEUE];   /* 1: this queue place repeats the frame before (no slot data) */
    int closing, aborting, failed;
    char werr[512];             /* the writer's failure */
    long frames;                /* accepted by rec_push */
    long written;               /* handed to ffmpeg or libpng */
};

/* ---- recorder_paths.c ---- */

/* Parse the one conversion of a PNG pattern: its offset, length, zero flag, width.
 * 1, or 0 with the reason in err. */
int rec_parse_pattern(const char *p, size_t *at, size_t *len, int *zero, int *width, char *err,
                      size_t n);
/* The file name of PNG frame i (from 1) of r's pattern, in buf. */
void rec_png_name(const recorder *r, long i, char *buf, size_t n);
/* The folder part of path ("." if none), malloc'd; NULL when out of memory. */
char *rec_dir_of(const char *path);
/* 1 if the folder of path exists and is writable; else 0 with err and *bad_input. */
int rec_check_folder(const char *path, char *err, size_t n, int *bad_input);

/* ---- recorder_ffmpeg.c ---- */

/* Start ffmpeg writing r->tmp in r's format and quality; its stdin becomes r->pipe_w,
 * its stderr r->log. 1, or 0 with a one-line reason in err. */
int rec_spawn_ffmpeg(recorder *r, char *err, size_t n);
/* Wait for ffmpeg (if any); its wait status. */
int rec_reap(recorder *r);
/* The last non-empty line ffmpeg wrote to stderr, in buf. */
void rec_log_last_line(recorder *r, char *buf, size_t n);
/* 1 if any line ffmpeg wrote to stderr contains text. */
int rec_log_mentions(recorder *r, const char *text);

/* ---- recorder_x264.c ---- */

/* 1 if r's frames are to be encoded in this process: an MP4 at quality draft or
 * standard (no B-frames), a build with libx264, and LOSSCAPE_X264 (environment, a
 * test hook) not "0". */
int rec_x264_wanted(const recorder *r);
/* Open the encoder at r's size, rate and quality into r->x264. 1, or 0 with err. */
int rec_x264_open(recorder *r, char *err, size_t n);
/* Encode one I420 frame (yuv420_size bytes, read before it returns) and write the
 * stream it completes to r->pipe_w. same: NULL, or the frame's rec_mb_update map
 * (malloc'd; this takes it over), whose unchanged macroblocks x264 then skips
 * without analysing them (its mb_info). 1, or 0 with err. */
int rec_x264_frame(recorder *r, unsigned char *i420, unsigned char *same, char *err, size_t n);
/* Bytes of a rec_mb_update map: one per 16 × 16 macroblock of a w × h frame. */
size_t rec_mb_count(int w, int h);
/* Compare the I420 frame src (w × h, both even) with the frame before in dst, then
 * copy it into dst: same[my * ceil(w / 16) + mx] = 1 where the macroblock (mx, my),
 * its 16 × 16 luma and 8 × 8 U and V blocks, did not change, else 0. A partial
 * macroblock at the right or bottom edge compares the pixels it has (x264 pads it
 * from them). One pass through both frames, row by row. */
void rec_mb_update(unsigned char *dst, const unsigned char *src, int w, int h, unsigned char *same);
/* Encode and write the frames x264 still holds. 1, or 0 with err. */
int rec_x264_flush(recorder *r, char *err, size_t n);
/* Free the encoder (NULL r->x264 is a no-op). */
void rec_x264_close(recorder *r);

#endif
