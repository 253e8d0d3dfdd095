/*
 * cli.h — the command line (DESIGN.md "Command line"; a stable interface).
 *
 * cli_parse reads argv into app_options: it loads --scene first (a built-in name or
 * a file), then applies every scene-setting option on top of it with scene_set, so
 * an option and a scene key share one parser and one error text. Actions that
 * print and exit (--help, --version, --list-*) are reported through `action`.
 *
 * Every bad option or value gives one line on stderr naming the option and what is
 * wrong, and the caller exits with status 2.
 *
 * Index
 *     cli_action, cli_parse(argc, argv, opts, action)
 *     cli_print_help(f), cli_list_scenes(f), cli_list_surfaces(f)
 *     cli_builtin_scene(name)      embedded scene text or NULL
 */
#ifndef LOSSCAPE_CLI_H
#define LOSSCAPE_CLI_H

#include <stdio.h>

#include "app/app.h"

typedef enum cli_action {
    CLI_RUN = 0,          /* go on: run the chosen mode */
    CLI_HELP,             /* --help printed; exit 0 */
    CLI_VERSION,
    CLI_LIST_SCENES,
    CLI_LIST_SURFACES,
    CLI_KEYS,
    CLI_ERROR             /* bad input, already reported; exit 2 */
} cli_action;

/* Parse argv into *opts. Returns the action; on CLI_ERROR one line was printed. */
cli_action cli_parse(int argc, char **argv, app_options *opts);

/* A scene whose problem was replaced (a --data, --surface, --formula or --landscape on
 * the command line, a CSV opened in the window) is titled by its new problem: the
 * surface's title, the formula, "FILE, KEY" or "DATA, MODEL" (files by their base
 * names); its description and Chinese title are cleared, its log height set from the
 * surface's hint. */
void cli_name_problem(scene *s);

void cli_print_help(FILE *f);
void cli_list_scenes(FILE *f);
void cli_list_surfaces(FILE *f);

/* Text of the built-in scene called name, or NULL. */
const char *cli_builtin_scene(const char *name);

/* Number and names of the built-in scenes, in --list-scenes order. */
int cli_builtin_scene_count(void);
const char *cli_builtin_scene_name(int i);
/* The lesson number of the i-th built-in scene (display order), 0 if not a lesson. */
int cli_builtin_scene_lesson(int i);

#endif
