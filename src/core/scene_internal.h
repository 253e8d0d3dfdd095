/*
 * scene_internal.h — what scene_write.c needs from the key table in
 * scene_keys.c (the names a value is written as), and what scene.c needs
 * (which key a line sets). Not for use outside
 * src/core/scene*.c.
 */
#ifndef LOSSCAPE_SCENE_INTERNAL_H
#define LOSSCAPE_SCENE_INTERNAL_H

#include <stddef.h>

/* Index of `key` (len bytes, '-' read as '_') in the key table, or -1. */
int scene_key_index(const char *key, size_t len);

const char *scene_loss_name(int i);                  /* "default", "mse", "ce" */
const char *scene_colormap_name(int i);              /* index taken modulo the count */
int scene_overlay_count(void);
const char *scene_overlay_name(int i, unsigned *flag); /* 0 <= i < scene_overlay_count() */

#endif
