/*
 * recorder.h — frames out: a video, a GIF or a PNG sequence, written while the
 * program renders the next frame.
 *
 * Formats, chosen by the output path:
 *     *.mp4    H.264 (libx264), yuv420p (BT.601, tagged), +faststart; by quality:
 *              draft: preset ultrafast, CRF 27; standard (the default): ultrafast,
 *              CRF 20 (SSIM ≥ 0.99 against the lossless frames, faster than real time
 *              at 1080p60 on two cores); high: preset medium, tune animation, CRF 16
 *     *.webm   VP9 (libvpx-vp9, constant quality), yuv420p; draft: CRF 40 realtime
 *              cpu-used 8; standard: CRF 32 good cpu-used 4; high: CRF 24 cpu-used 2
 *     *.gif    one palette for the whole clip (palettegen + paletteuse in one filter
 *              graph), looping; draft: 64 colours, no dithering; standard: 128
 *              colours, 4×4 ordered dithering; high: 256 colours, 8×8 ordered dithering
 *     a printf pattern ending in .png with exactly one %d conversion (optionally
 *              with a zero flag and a width: %d %4d %04d) and no other '%':
 *              "frames/f%04d.png" gives f0001.png, f0002.png, ... (numbered from 1)
 *
 * Frames are queued as pushed (RGBA) and converted on the writer thread, off the
 * render loop: to I420 (record/yuv.h) for MP4 and WebM, top-down RGBA for GIF; or,
 * where the caller asks (rec_desc.i420, --record), MP4 and WebM slots take I420
 * that the caller converted as it read the frame back (rec_read_i420).
 * MP4 at draft and standard is encoded in this process by libx264
 * (recorder_x264.c; the settings above) and ffmpeg only muxes the H.264 stream (-c
 * copy, one timescale tick a frame); high (B-frames, whose order a raw stream
 * cannot carry to the muxer) and a build without libx264 pipe I420 to ffmpeg's
 * libx264 instead, at the same settings. WebM reaches ffmpeg as I420, GIF as RGBA.
 *
 * Video and GIF: raw frames are piped to an ffmpeg child started with
 * posix_spawnp and an argument vector (never a shell: every byte of the path is
 * just part of a file name). ffmpeg runs in its own process group so that a Ctrl-C
 * at the terminal reaches only losscape, which then stops ffmpeg itself.
 * PNG sequences are encoded with libpng (record/png.h) on the writer thread.
 *
 * Nothing blocks the render loop but a full queue (a bounded ring of slots, in
 * order, no frame dropped): rec_push copies the frame into a slot, or rec_slot lends
 * the free slot itself so that glReadPixels writes straight into it (rec_read_pixels)
 * and rec_commit queues it; the writer thread converts the slot, hands it back and
 * encodes or pipes the frame, or writes it with libpng. rec_readback reads frames
 * back from GL through two pixel-pack buffers, so a GPU renders frame i while frame
 * i−1 is copied out (the window's F9); under Mesa's llvmpipe a read-back is a copy
 * either way, and --record reads into the slot.
 *
 * Atomic output. Video and GIF go to a hidden temporary file in the target folder
 * (".NAME.XXXXXX", the muxer given to ffmpeg with -f) that is renamed over the final
 * name only after ffmpeg exited with status 0; on any failure, abort, or signal the
 * temporary file is removed and the final name is never touched. A PNG sequence
 * writes each frame atomically (temporary file + rename); if the recording fails or
 * is aborted, every frame written by this run is removed (files that existed before
 * and were overwritten are gone too: the pattern named them as this run's output).
 *
 * Errors: one line, in err, without the "losscape: " prefix. rec_open reports
 * whether the fault is the user's input (bad pattern, unknown extension, missing
 * folder: exit status 2) or the run time's (unwritable folder, ffmpeg missing,
 * disk full: exit status 1).
 *
 * Signals: rec_signals_install makes SIGINT and SIGTERM set a flag (read with
 * rec_signal_caught) instead of killing the process, and ignores SIGPIPE (a dead
 * ffmpeg shows as EPIPE on write). The flag is the one process-wide variable of
 * this module: a signal handler cannot reach the app's state struct. The caller
 * polls it once per frame, aborts the recording and exits with 128 + the signal
 * number (130 for SIGINT, 143 for SIGTERM), the shell's convention. (SIGKILL
 * cannot be caught: after one, a hidden ".NAME.XXXXXX" may remain beside NAME.)
 *
 * Test hook: LOSSCAPE_FFMPEG_ARGS (environment) holds extra ffmpeg output options,
 * split at white space (no quoting), placed just before the output file; e.g.
 * "-c:v nosuchcodec" makes ffmpeg fail. LOSSCAPE_FFMPEG names the program to run
 * instead of "ffmpeg" (searched on PATH). LOSSCAPE_X264=0 makes ffmpeg encode MP4
 * (raw I420 through the pipe) even where libx264 is built in.
 *
 * Index
 *     rec_format, rec_format_of(path)         which format a path asks for
 *     rec_check_pattern(pattern, err, n)      a PNG pattern's validity
 *     rec_desc, recorder
 *     rec_open(desc, err, n, &bad_input)      start (spawns ffmpeg, checks the folder)
 *     rec_push(rec, pixels)                   queue one frame (copied)
 *     rec_slot(rec) / rec_commit(rec)         fill the next slot in place, then queue it
 *     rec_slot_i420(rec)                      1: the slots take I420 (read back as such)
 *     rec_repeat(rec)                         queue the frame before once more (no copy)
 *     rec_frames(rec)                         frames queued so far
 *     rec_finish(rec, err, n)                 drain, wait, rename; frees rec
 *     rec_abort(rec)                          stop, remove every output; frees rec
 *     rec_unique_name(buf, n, ext)            "losscape-YYYYmmdd-HHMMSS[-k].ext", not taken
 *     rec_signals_install() / rec_signals_restore() / rec_signal_caught()
 *     rec_readback, rec_readback_create(w, h) / rec_readback_destroy(rb)
 *     rec_readback_capture(rb), rec_readback_map(rb), rec_readback_unmap(rb)
 *     rec_read_pixels(w, h, dst)              a synchronous read-back into memory
 *     rec_read_i420(w, h, band, dst)          the same, converted to I420 on the way
 */
#ifndef LOSSCAPE_RECORD_RECORDER_H
#define LOSSCAPE_RECORD_RECORDER_H

#include <stddef.h>

typedef enum rec_format {
    REC_FORMAT_NONE = 0,    /* not a recognised extension */
    REC_FORMAT_MP4,
    REC_FORMAT_WEBM,
    REC_FORMAT_GIF,
    REC_FORMAT_PNG          /* a PNG sequence from a pattern */
} rec_format;

/* The format a path asks for, by its extension (case-insensitive). A ".png" path is
 * REC_FORMAT_PNG whether or not its pattern is valid (see rec_check_pattern). */
rec_format rec_format_of(const char *path);

/* 1 if pattern has exactly one %d-style conversion (%d, %Nd, %0Nd, N ≤ 2 digits)
 * and no other '%' anywhere; else 0 with the reason in err. */
int rec_check_pattern(const char *pattern, char *err, size_t err_size);

typedef enum rec_quality {
    REC_QUALITY_STANDARD = 0,   /* the default */
    REC_QUALITY_DRAFT,
    REC_QUALITY_HIGH
} rec_quality;

typedef struct rec_desc {
    const char *path;       /* output file or PNG pattern (copied by rec_open) */
    int width, height;      /* frame size in pixels; even for MP4 and WebM (yuv420p) */
    int fps;                /* frames per second (0: 30) */
    int bottom_up;          /* 1: pushed frames are in glReadPixels order (flipped on copy) */
    int queue;              /* frame slots between rec_push and the writer (0: 4) */
    int quality;            /* rec_quality: encoder settings (formats above) */
    int i420;               /* 1: for MP4 and WebM, slots take I420 frames (rec_slot_i420) */
} rec_desc;

typedef struct recorder recorder;

/* Check the path and its folder, create the temporary file, start ffmpeg (video and
 * GIF) and the writer thread. Returns NULL with a one-line reason in err and
 * *bad_input = 1 for faults of the input (unknown extension, bad pattern, odd size
 * for yuv420p, missing folder) or 0 for run-time ones (unwritable folder, ffmpeg not
 * found, out of memory). */
recorder *rec_open(const rec_desc *d, char *err, size_t err_size, int *bad_input);

/* Queue one width × height RGBA8 frame (tightly packed rows); the pixels are copied
 * before it returns, so the caller may reuse them. Waits only while every slot is
 * full (the encoder is behind). Returns 1, or 0 once the recording has failed (the
 * reason is reported by rec_finish); the caller should then stop and call
 * rec_finish or rec_abort. */
int rec_push(recorder *r, const unsigned char *pixels);

/* The free slot the next frame goes into (width × height × 4 bytes, RGBA rows as
 * the desc's bottom_up says), waiting while every slot is full; the caller writes the
 * frame into it and calls rec_commit, which queues it (1, or 0 once the recording
 * has failed). NULL once the recording has failed. One slot lent at a time. */
unsigned char *rec_slot(recorder *r);
int rec_commit(recorder *r);
/* 1 if the slots take I420 frames instead (the desc's i420 and a format encoded as
 * YUV, MP4 or WebM): yuv420_size(width, height) bytes, top row first, e.g. from
 * rec_read_i420; rec_push still takes RGBA, and converts it before it returns. */
int rec_slot_i420(const recorder *r);

/* Queue the frame before once more (a window slower than the video, a paused
 * scene): no pixels are copied or converted again, the writer sends its copy of the
 * last frame. Waits only while every slot is full. 1, or 0 once the recording has
 * failed, before the first frame, or while a slot is lent. */
int rec_repeat(recorder *r);

long rec_frames(const recorder *r);    /* frames accepted by rec_push / rec_commit / rec_repeat */

/* Write the queued frames, close ffmpeg's input, wait for it and check its exit
 * status, then rename the temporary file to the final name. Returns 1, or 0 with a
 * one-line reason in err (and nothing left behind, as rec_abort). Frees r. */
int rec_finish(recorder *r, char *err, size_t err_size);

/* Stop at once: kill ffmpeg, drop the queue, remove the temporary file (or the PNG
 * frames of this run). Frees r; NULL is a no-op. */
void rec_abort(recorder *r);

/* A name "losscape-YYYYmmdd-HHMMSS.EXT" (local time) in the current folder, or with
 * "-1", "-2", ... before the extension if that is taken. Returns 1, or 0 if buf is too
 * small or 1000 names are taken. (Checked with stat: a race with another program
 * creating the same name in the same second is possible, not with this one.) */
int rec_unique_name(char *buf, size_t n, const char *ext);

/* SIGINT and SIGTERM set a flag; SIGPIPE is ignored. restore puts back the
 * dispositions found by install. */
void rec_signals_install(void);
void rec_signals_restore(void);
int rec_signal_caught(void);           /* 0, or the number of the first signal caught */

/* ---- reading frames back from GL (needs a current GL 3.3 context) ----
 * Two pixel-pack buffers used in turn: rec_readback_capture starts an asynchronous
 * glReadPixels of the bound read framebuffer into one; rec_readback_map maps the
 * other, which holds the frame captured before (NULL before the second capture).
 * Typical loop: draw(i); capture; p = map; if (p) push(p); unmap. After the last
 * frame: rec_readback_flush maps the last capture (then unmap). Frames come out
 * bottom-up. */
typedef struct rec_readback rec_readback;
rec_readback *rec_readback_create(int width, int height);   /* NULL on failure */
void rec_readback_destroy(rec_readback *rb);                 /* NULL is a no-op */
void rec_readback_capture(rec_readback *rb);
const unsigned char *rec_readback_map(rec_readback *rb);     /* the previous capture or NULL */
const unsigned char *rec_readback_flush(rec_readback *rb);   /* the latest capture or NULL */
void rec_readback_unmap(rec_readback *rb);
/* glReadPixels of the bound read framebuffer's (0, 0, w, h) as RGBA8 into dst
 * (w × h × 4 bytes, bottom-up rows), waiting for the frame to be drawn. */
void rec_read_pixels(int w, int h, unsigned char *dst);
/* The same frame as I420 (record/yuv.h; dst: w × h × 3 / 2 bytes, top row first; w
 * and h even), read back in bands of REC_BAND_ROWS rows through band (REC_BAND_ROWS
 * × w × 4 bytes), each converted as it arrives: about half the time of reading the
 * whole RGBA frame and converting it afterwards, which goes through memory twice. */
#define REC_BAND_ROWS 32
void rec_read_i420(int w, int h, unsigned char *band, unsigned char *dst);

#endif
