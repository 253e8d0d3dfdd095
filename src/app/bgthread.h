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

#endif
