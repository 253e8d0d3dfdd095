/*
 * outfile.c — atomic output files. See outfile.h.
 */
#include "core/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether the folder that would hold `path` exists (and is a folder). */
static int folder_exists(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return 1;   /* the current folder */
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *dir = malloc(n + 1);
    if (!dir)
        return 1;
    memcpy(dir, path, n);
    dir[n] = '\0';
    struct stat st;
    int ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    free(dir);
    return ok;
}

int outfile_open(outfile *of, const char *path)
{
    memset(of, 0, sizeof *of);
    if (strcmp(path, "-") == 0) {
        of->f = stdout;
        return 1;
    }
    size_t n = strlen(path);
    of->path = malloc(n + 1);
    of->tmp = malloc(n + 16);
    if (!of->path || !of->tmp) {
        snprintf(of->error, sizeof of->error, "out of memory");
        outfile_abort(of);
        return 0;
    }
    memcpy(of->path, path, n + 1);
    snprintf(of->tmp, n + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(of->tmp);
    if (fd < 0) {
        int e = errno;
        of->missing_folder = !folder_exists(path);
        snprintf(of->error, sizeof of->error, "cannot write %s: %s", path,
                 of->missing_folder ? "the folder does not exist" : strerror(e));
        free(of->tmp);
        of->tmp = NULL;
        outfile_abort(of);
        return 0;
    }
    fchmod(fd, 0644);
    of->f = fdopen(fd, "w");
    if (!of->f) {
        snprintf(of->error, sizeof of->error, "cannot write %s: %s", path, strerror(errno));
        close(fd);
        outfile_abort(of);
        return 0;
    }
    return 1;
}

int outfile_commit(outfile *of)
{
    if (of->f == stdout) {
        int ok = fflush(stdout) == 0 && !ferror(stdout);
        if (!ok)
            snprintf(of->error, sizeof of->error, "cannot write to standard output: %s",
                     strerror(errno));
        of->f = NULL;
        return ok;
    }
    int ok = !ferror(of->f);
    int e = errno;
    if (fclose(of->f) != 0) {
        ok = 0;
        e = errno;
    }
    of->f = NULL;
    if (ok && rename(of->tmp, of->path) != 0) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        snprintf(of->error, sizeof of->error, "cannot write %s: %s", of->path, strerror(e));
        outfile_abort(of);
        return 0;
    }
    free(of->tmp);
    free(of->path);
    of->tmp = of->path = NULL;
    return 1;
}

void outfile_abort(outfile *of)
{
    if (of->f && of->f != stdout)
        fclose(of->f);
    of->f = NULL;
    if (of->tmp)
        unlink(of->tmp);
    free(of->tmp);
    free(of->path);
    of->tmp = of->path = NULL;
}
