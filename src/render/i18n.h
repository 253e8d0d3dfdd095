/*
 * i18n.h — the window's own words (HUD, help, messages) through GNU gettext, domain
 * "losscape", catalogues compiled from po/LANG.po at build time (locale/LANG/LC_MESSAGES/
 * losscape.mo beside the binary, or under the install prefix's share/locale).
 *
 * _("text") is the text in the chosen language; N_("text") marks a string of a static
 * table for the catalogue without translating it (translate where it is shown). With
 * no catalogue chosen, or for a string the catalogue lacks, the English text itself.
 *
 * Index
 *     _(s), N_(s)
 *     i18n_init(zh)       choose the Chinese catalogue (zh = 1) or none
 */
#ifndef LOSSCAPE_I18N_H
#define LOSSCAPE_I18N_H

#ifdef __EMSCRIPTEN__
#define _(s) (s)
#else
#include <libintl.h>
#define _(s) gettext(s)
#endif
#define N_(s) (s)

/* zh = 1: messages from the zh_CN catalogue (LANGUAGE=zh_CN over the C.UTF-8 locale, so
 * no Chinese system locale is needed); 0: English (no catalogue). Returns 1 if the
 * catalogue was found (a line on stderr says so when it was not). */
int i18n_init(int zh);

#endif
