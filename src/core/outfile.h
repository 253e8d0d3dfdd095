/*
 * outfile.h — output files that appear whole or not at all.
 *
 * outfile_open writes to a temporary file next to the target; outfile_commit
 * flushes, closes and renames it over the target; outfile_abort removes it. So a
 * failed or interrupted run never leaves a half-written file under the final name,
 * and never destroys the file that was there before. "-" means standard output.
 *
 * Index
 *     outfile, outfile_open(of, path), outfile_commit(of), outfile_abort(of)
 */
#ifndef LOSSCAPE_OUTFILE_H
#define LOSSCAPE_OUTFILE_H

#include <stdio.h>

typedef struct outfile {
    FILE *f;              /* write here */
    char *path;           /* final name (owned); NULL for stdout */
    char *tmp;            /* temporary name (owned); NULL for stdout */
    char error[256];      /* why open or commit failed */
    int missing_folder;   /* 1 if open failed because the target's folder does not exist */
} outfile;

/* Returns 1, or 0 with of->error ("cannot write out.csv: Permission denied"). */
int outfile_open(outfile *of, const char *path);

/* Returns 1 if the whole file reached the disk under its name, else 0 with
 * of->error (the temporary file is removed). Frees what outfile_open allocated. */
int outfile_commit(outfile *of);

/* Remove the temporary file and free; safe after a failed open. */
void outfile_abort(outfile *of);

#endif
