/*
 * bgthread.c — background threads step back. See bgthread.h.
 */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE 1 /* syscall(SYS_gettid): a thread's own nice */
#endif
#include "app/bgthread.h"

#include <stdlib.h> /* (defines __GLIBC__ there) */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef __linux__
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

void app_thread_background(int fewer_omp_threads)
{
#ifdef _OPENMP
    if (fewer_omp_threads) {
        int procs = omp_get_num_procs();
        omp_set_num_threads(procs > 1 ? procs - 1 : 1);
    }
#else
    (void)fewer_omp_threads;
#endif
#ifdef __linux__
    /* 5 steps below the thread that started it (a new thread has its nice): an
     * absolute 5 put the workers above a window started at nice 6..19 */
    id_t tid = (id_t)syscall(SYS_gettid);
    errno = 0;
    int own = getpriority(PRIO_PROCESS, tid);
    if (errno != 0)
        own = 0;
    if (setpriority(PRIO_PROCESS, tid, own + 5 > 19 ? 19 : own + 5) != 0) {
        /* not allowed: the thread runs at the window's priority */
    }
#endif
}

void app_malloc_tune(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
#endif
}
