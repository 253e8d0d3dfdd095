/*
 * bgthread.h — what the window's background threads (the surface worker, the
 * metrics worker, the plane fit) do first: step back so the drawing thread keeps
 * a core.
 */
#ifndef LOSSCAPE_APP_BGTHREAD_H
#define LOSSCAPE_APP_BGTHREAD_H

/* Called by a background thread on itself, before its loop. Lowers the calling
 * thread's priority by 5 nice steps from the thread that started it, to 19 at most
 * (Linux: nice is per thread; where not allowed it keeps the window's priority; an
 * absolute nice 5 put the workers above a window started at nice 6 to 19) and,
 * when fewer_omp_threads is non-zero and the
 * build has OpenMP, makes the thread's parallel regions use one thread fewer than
 * there are processors (at least one). */
void app_thread_background(int fewer_omp_threads);

/* Called once at start (main): blocks under 4 MB come from malloc's heap, not a
 * fresh mmap each, and the heap keeps up to 32 MB free at its top (glibc; elsewhere
 * nothing). With glibc's own start (128 KB, raised only when a large mapped block
 * is freed) every step's and frame's temporary arrays of a few hundred KB were
 * mapped and unmapped each time: page faults, and on unmapping a TLB flush that
 * waits for the other core (the drawing thread of lesson-warmup spent ~2 ms a
 * frame there once the plane fit no longer freed its 8 MB copy buffers, which
 * had raised the threshold by chance). */
void app_malloc_tune(void);

#endif
