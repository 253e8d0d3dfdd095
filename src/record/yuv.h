/*
 * yuv.h — RGBA frames to planar YUV 4:2:0 (I420) for the video encoder, so that
 * ffmpeg gets 1.5 bytes per pixel instead of 4 and does no colour conversion of its
 * own (its swscale pass ran on one core, in series with the encoder's input).
 *
 * BT.601 limited range (Y 16..235, U and V 16..240): the matrix ffmpeg's own
 * conversion used and the one the MP4 is tagged with. Each chroma sample is the
 * mean of its 2 × 2 block of pixels. Alpha is ignored.
 *
 * Index
 *     yuv420_size(w, h)                                bytes of one frame
 *     yuv420_from_rgba(src, w, h, bottom_up, dst)      convert (w, h even)
 *     yuv420_strip(src, w, h, y0, rows, bottom_up, dst) convert a band of rows
 */
#ifndef LOSSCAPE_RECORD_YUV_H
#define LOSSCAPE_RECORD_YUV_H

#include <stddef.h>

static inline size_t yuv420_size(int w, int h) { return (size_t)w * (size_t)h * 3 / 2; }

/* src: w × h RGBA8, tightly packed rows, top row first (bottom_up = 0) or last
 * (1: glReadPixels order). dst: yuv420_size(w, h) bytes, the Y plane then U then V,
 * top row first. w and h must be even. */
void yuv420_from_rgba(const unsigned char *src, int w, int h, int bottom_up, unsigned char *dst);

/* The same for the band of rows y0 .. y0 + rows − 1 of a w × h frame (y0 and rows
 * even; counted from the top): src holds just those rows (w × rows RGBA8, the band's
 * top row first, or last when bottom_up); the band's Y rows and its U and V rows
 * (y0 / 2 ..) go to their places in dst, the whole frame's I420 buffer. A frame
 * converted band by band equals the frame converted at once. */
void yuv420_strip(const unsigned char *src, int w, int h, int y0, int rows, int bottom_up, unsigned char *dst);

/* Tests: nonzero makes yuv420_from_rgba use its plain C loops even where the CPU has
 * the AVX2 path (x86-64), which must give the same bytes. Default 0. */
extern int yuv420_plain;

#endif
