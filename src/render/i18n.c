/*
 * i18n.c — choosing the gettext catalogue. See i18n.h.
 */
#include "render/i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LOSSCAPE_LOCALE_BUILD_DIR
#define LOSSCAPE_LOCALE_BUILD_DIR ""
#endif
#ifndef LOSSCAPE_LOCALE_INSTALL_DIR
#define LOSSCAPE_LOCALE_INSTALL_DIR "/usr/local/share/locale"
#endif

static int has_catalogue(const char *dir)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/losscape.mo", dir);
    return dir[0] && access(path, R_OK) == 0;
}

int i18n_init(int zh)
{
#ifdef __EMSCRIPTEN__
    (void)zh;
    return 0;
#else
    if (!zh)
        return 0;
    /* candidates: $LOSSCAPE_LOCALEDIR, beside the binary, the build tree, the install */
    char exe[PATH_MAX], dir[PATH_MAX + 16] = "";
    const char *env = getenv("LOSSCAPE_LOCALEDIR");
    if (env && has_catalogue(env))
        snprintf(dir, sizeof dir, "%s", env);
    if (!dir[0]) {
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0) {
            exe[n] = '\0';
            char *slash = strrchr(exe, '/');
            if (slash) {
                *slash = '\0';
                snprintf(dir, sizeof dir, "%s/locale", exe);
                if (!has_catalogue(dir))
                    dir[0] = '\0';
            }
        }
    }
    if (!dir[0] && has_catalogue(LOSSCAPE_LOCALE_BUILD_DIR))
        snprintf(dir, sizeof dir, "%s", LOSSCAPE_LOCALE_BUILD_DIR);
    if (!dir[0] && has_catalogue(LOSSCAPE_LOCALE_INSTALL_DIR))
        snprintf(dir, sizeof dir, "%s", LOSSCAPE_LOCALE_INSTALL_DIR);
    if (!dir[0]) {
        fprintf(stderr, "losscape: --lang zh: no Chinese catalogue (losscape.mo) found; "
                        "the window's words stay in English\n");
        return 0;
    }
    /* gettext ignores LANGUAGE only in the plain "C" locale; C.UTF-8 is enough */
    if (!setlocale(LC_MESSAGES, "C.UTF-8"))
        setlocale(LC_MESSAGES, "C.utf8");
    setenv("LANGUAGE", "zh_CN", 1);
    bindtextdomain("losscape", dir);
    bind_textdomain_codeset("losscape", "UTF-8");
    textdomain("losscape");
    return 1;
#endif
}
