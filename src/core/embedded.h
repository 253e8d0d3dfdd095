/*
 * embedded.h — files compiled into the binary (built-in scenes, later shaders and fonts).
 *
 * cmake/embed.cmake generates the tables; the app declares the ones it links
 * (e.g. `extern const embedded_file scene_files[];`). A table ends with a {0, 0} entry.
 */
#ifndef LOSSCAPE_EMBEDDED_H
#define LOSSCAPE_EMBEDDED_H

typedef struct embedded_file {
    const char *name;   /* file name without folder or extension, e.g. "rosenbrock" */
    const char *text;   /* whole file contents, NUL-terminated (binary files may hold NULs) */
    unsigned long size; /* bytes, without the terminating NUL */
} embedded_file;

#endif
