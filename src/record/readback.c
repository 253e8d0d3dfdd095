/*
 * readback.c — frames read back from GL through two pixel-pack buffers.
 * Contracts in recorder.h.
 */
#include "record/recorder.h"

#include <stdlib.h>

#include "record/yuv.h"
#include "render/gl_util.h"

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

void rec_read_i420(int w, int h, unsigned char *band, unsigned char *dst)
{
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    /* from the top of the picture (GL's last rows) down, a band at a time: each is
     * converted while it is still in the cache, and only the I420 bytes reach memory */
    for (int y0 = 0; y0 < h; y0 += REC_BAND_ROWS) {
        int rows = h - y0 < REC_BAND_ROWS ? h - y0 : REC_BAND_ROWS;
        glReadPixels(0, h - y0 - rows, w, rows, GL_RGBA, GL_UNSIGNED_BYTE, band);
        yuv420_strip(band, w, h, y0, rows, 1, dst);
    }
}

void rec_read_pixels(int w, int h, unsigned char *dst)
{
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, dst);
}
