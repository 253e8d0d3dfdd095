/*
 * scene.c — scene files: defaults, parsing a file into `key = value` lines
 * (each handed to scene_set, scene_keys.c) and loading one from disk. Writing a
 * scene back is scene_write.c. See scene.h.
 */
#include "core/scene.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/scene_internal.h"
#include "core/surface.h"
#include "core/textparse.h"

static void copy_text(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

/* A file that names its problem but no title is titled by the problem (it was
 * "Rosenbrock", the default, whatever the surface): the surface's own title, the
 * formula, or "DATA, MODEL" (as the command line names a problem it is given). */
static void title_from_problem(scene *s)
{
    if (s->data[0]) {
        snprintf(s->title, sizeof s->title, "%.120s, %.120s", s->data, s->model[0] ? s->model : "default model");
    } else if (s->landscape[0]) {
        const char *base = strrchr(s->landscape, '/');
        snprintf(s->title, sizeof s->title, "%.200s", base ? base + 1 : s->landscape);
    } else {
        surface_kind k = surface_kind_from_name(s->surface);
        if (k != SURFACE_FORMULA)
            copy_text(s->title, sizeof s->title, surface_info_get(k)->title);
        else
            snprintf(s->title, sizeof s->title, "f(x, y) = %.200s", s->surface);
    }
}

/* ==== Public API ========================================================== */

void scene_init(scene *s)
{
    memset(s, 0, sizeof *s);
    copy_text(s->name, sizeof s->name, "default");
    copy_text(s->title, sizeof s->title, "Rosenbrock");
    copy_text(s->surface, sizeof s->surface, "rosenbrock");
    for (int k = OPT_SGD; k <= OPT_ADAM; k++) {
        optim_desc d = { .kind = (optim_kind)k };
        optim_desc_defaults(&d);
        s->opts[s->n_opts++] = d;
    }
    s->schedule.kind = SCHED_CONSTANT;
    schedule_desc_defaults(&s->schedule);
    s->seed = 1;
    s->steps = 0;
    s->steps_per_frame = 1;
    s->view = SCENE_VIEW_3D;
    s->layout = SCENE_LAYOUT_OVERLAY;
    s->overlays = SCENE_OVERLAY_DEFAULT;
    s->camera[0] = -50;
    s->camera[1] = 35;
    s->camera[2] = 1.6;
}

void scene_clear_opts(scene *s)
{
    s->n_opts = 0;
    memset(s->runs, 0, sizeof s->runs);
}

int scene_parse(scene *s, const char *text, diag *err)
{
    const char *p = text;
    int line = 0;
    /* A UTF-8 byte-order mark is not part of the first line. */
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
        p += 3;
    char *buf = malloc(SCENE_MAX_LINE + 1);
    if (!buf)
        return diag_set(err, 0, 0, "out of memory");
    int ok = 1, opts_seen = 0, events_seen = 0, title_seen = 0, problem_seen = 0;
    while (*p && ok) {
        line++;
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *next = eol ? eol + 1 : p + len;
        if (len > 0 && p[len - 1] == '\r')
            len--;
        if (len > SCENE_MAX_LINE) {
            ok = diag_set(err, line, SCENE_MAX_LINE + 1, "line longer than %d bytes", SCENE_MAX_LINE);
            break;
        }
        memcpy(buf, p, len);
        buf[len] = '\0';
        for (size_t i = 0; i < len; i++)
            if (buf[i] == '\0' || ((unsigned char)buf[i] < 0x20 && buf[i] != '\t')) {
                ok = diag_set(err, line, (int)i + 1, "control character (0x%02x) in a text file",
                              (unsigned char)buf[i]);
                break;
            }
        if (!ok)
            break;
        /* Embedded NUL bytes end strlen early: catch them on the raw span too. */
        if (memchr(p, '\0', len)) {
            ok = diag_set(err, line, 1, "NUL byte in a text file");
            break;
        }
        p = next;

        size_t off;
        size_t tl = text_trim(buf, len, &off);
        if (tl == 0 || buf[off] == '#')
            continue;
        char *eq = memchr(buf + off, '=', tl);
        if (!eq) {
            ok = diag_set(err, line, (int)off + 1, "expected 'key = value'");
            break;
        }
        size_t koff;
        size_t klen = text_trim(buf + off, (size_t)(eq - (buf + off)), &koff);
        if (klen == 0) {
            ok = diag_set(err, line, (int)(eq - buf) + 1, "missing key before '='");
            break;
        }
        char *key = buf + off + koff;
        key[klen] = '\0';
        /* A file's first `event` line replaces the timeline it started with. */
        if (!events_seen && scene_key_index(key, klen) == scene_key_index("event", 5)) {
            s->n_events = 0;
            events_seen = 1;
        }
        /* A file's first `opt` line replaces the runs it started with. */
        if (!opts_seen && scene_key_index(key, klen) == scene_key_index("opt", 3)) {
            scene_clear_opts(s);
            opts_seen = 1;
        }
        title_seen |= scene_key_index(key, klen) == scene_key_index("title", 5);
        problem_seen |= scene_key_index(key, klen) == scene_key_index("surface", 7) ||
                        scene_key_index(key, klen) == scene_key_index("data", 4) ||
                        scene_key_index(key, klen) == scene_key_index("landscape", 9);
        diag sub = { 0 };
        if (!scene_set(s, key, eq + 1, &sub)) {
            int col = sub.column > 0 ? (int)(eq + 1 - buf) + sub.column : (int)(key - buf) + 1;
            ok = diag_set(err, line, col, "%s", sub.msg);
        }
    }
    free(buf);
    if (ok && problem_seen && !title_seen)
        title_from_problem(s);
    return ok;
}

int scene_load(scene *s, const char *path, diag *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return diag_set(err, 0, 0, "cannot open: %s", strerror(errno));
    char *text = malloc(SCENE_MAX_FILE_BYTES + 1);
    if (!text) {
        fclose(f);
        return diag_set(err, 0, 0, "out of memory");
    }
    size_t n = fread(text, 1, SCENE_MAX_FILE_BYTES + 1, f);
    int rerr = ferror(f);
    fclose(f);
    if (rerr) {
        free(text);
        return diag_set(err, 0, 0, "cannot read: %s", strerror(errno));
    }
    if (n > SCENE_MAX_FILE_BYTES) {
        free(text);
        return diag_set(err, 0, 0, "file larger than %d bytes", SCENE_MAX_FILE_BYTES);
    }
    if (n == 0) {
        free(text);
        return diag_set(err, 0, 0, "empty scene file");
    }
    if (memchr(text, '\0', n)) {
        /* Binary data: report the line of the first NUL byte. */
        size_t at = (size_t)((char *)memchr(text, '\0', n) - text);
        int line = 1, col = 1;
        for (size_t i = 0; i < at; i++) {
            if (text[i] == '\n')
                line++, col = 1;
            else
                col++;
        }
        free(text);
        return diag_set(err, line, col, "NUL byte: this is not a text file");
    }
    text[n] = '\0';
    /* The name is the file's stem: "lessons/ravine.scene" → "ravine". */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* Find the extension in the whole base name before truncating to the size of
     * name: truncating first could cut the extension off and then drop the text
     * after an earlier dot ("lesson.<70 characters>.scene" → "lesson"). */
    char stem[sizeof s->name];
    const char *dot = strrchr(base, '.');
    size_t stem_len = (dot && dot != base) ? (size_t)(dot - base) : strlen(base);
    snprintf(stem, sizeof stem, "%.*s", (int)(stem_len < sizeof stem ? stem_len : sizeof stem - 1),
             base);
    int ok = scene_parse(s, text, err);
    if (ok)
        copy_text(s->name, sizeof s->name, stem);
    free(text);
    return ok;
}
