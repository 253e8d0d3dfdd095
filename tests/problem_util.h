/*
 * problem_util.h — the app problem of a scene text, for the tests that link the app's
 * problem code (render_data, test_metrics, test_views). Include after testutil.h.
 */
#ifndef LOSSCAPE_TESTS_PROBLEM_UTIL_H
#define LOSSCAPE_TESTS_PROBLEM_UTIL_H

#include "app/app.h"
#include "core/scene.h"

/* p = the problem of the scene file text; a parse or set-up error fails the test with
 * its line, column and message. */
static inline void make_problem(app_problem *p, const char *text)
{
    scene sc;
    scene_init(&sc);
    diag err = { 0 };
    if (!scene_parse(&sc, text, &err) || !app_problem_create(p, &sc, &err))
        fail_msg("scene: %d:%d %s", err.line, err.column, err.msg);
}

#endif
