/*
 * gl_util.c — shader programs from embedded or on-disk sources, GL handle helpers.
 */
#include "render/gl_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"

extern const embedded_file shader_files[];

/* ==== log sink ==== */

static void log_stderr(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "losscape: %s\n", line);
}

/* NOTE: the render layer's only mutable file-level state: where its log goes. It is
 * set once by the app before any rendering (not a second app state). */
static render_log_fn log_fn = log_stderr;
static void *log_user;

void render_log_set(render_log_fn fn, void *user)
{
    log_fn = fn ? fn : log_stderr;
    log_user = user;
}

void render_log(const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    log_fn(log_user, buf);
}

/* ==== shaders ==== */

char *gl_shader_source(const char *name, const char *dir)
{
    if (dir) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "rb");
        if (!f) {
            render_log("SHADER: cannot open %s", path);
            return NULL;
        }
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) {
            fclose(f);
            free(text);
            render_log("SHADER: cannot read %s", path);
            return NULL;
        }
        fclose(f);
        text[n] = 0;
        return text;
    }
    for (const embedded_file *e = shader_files; e->name; e++) {
        if (strcmp(e->name, name) == 0) {
            char *text = malloc(e->size + 1);
            if (!text)
                return NULL;
            memcpy(text, e->text, e->size);
            text[e->size] = 0;
            return text;
        }
    }
    render_log("SHADER: no embedded shader named %s", name);
    return NULL;
}

/* ==== GLSL ES (the web build's seam) ==== */

#define GLSL_DESKTOP_HEADER "#version 330 core"
#define GLSL_ES_HEADER "#version 300 es\nprecision highp float; precision highp int;"

int gl_context_is_es(void)
{
    const char *v = (const char *)glGetString(GL_VERSION);
    return v && strncmp(v, "OpenGL ES", 9) == 0;
}

int gl_shader_es_parts(const char *src, const char *parts[2])
{
    size_t n = strlen(GLSL_DESKTOP_HEADER);
    if (strncmp(src, GLSL_DESKTOP_HEADER, n) != 0 || (src[n] != '\n' && src[n] != '\r'))
        return 0;
    parts[0] = GLSL_ES_HEADER;
    parts[1] = src + n;   /* from the end of line 1: compile errors name line numbers 1 higher */
    return 1;
}

static GLuint compile(GLenum type, const char *name, const char *dir)
{
    char *src = gl_shader_source(name, dir);
    if (!src)
        return 0;
    GLuint sh = glCreateShader(type);
    const char *parts[2] = { src, "" };
    if (gl_context_is_es() && !gl_shader_es_parts(src, parts)) {
        render_log("SHADER: %s: does not start with '" GLSL_DESKTOP_HEADER "'", name);
        glDeleteShader(sh);
        free(src);
        return 0;
    }
    glShaderSource(sh, 2, parts, NULL);
    glCompileShader(sh);
    free(src);
    GLint ok = 0;
    glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char info[4096] = "";
        glGetShaderInfoLog(sh, sizeof info, NULL, info);
        size_t n = strlen(info);
        while (n && (info[n - 1] == '\n' || info[n - 1] == ' '))
            info[--n] = 0;
        render_log("SHADER: %s: compile failed:\n%s", name, info);
        glDeleteShader(sh);
        return 0;
    }
    return sh;
}

int gl_program_build(const char *vert_name, const char *frag_name, const char *dir,
                     gl_program *out)
{
    GLuint vs = compile(GL_VERTEX_SHADER, vert_name, dir);
    GLuint fs = vs ? compile(GL_FRAGMENT_SHADER, frag_name, dir) : 0;
    if (!vs || !fs) {
        if (vs)
            glDeleteShader(vs);
        return 0;
    }
    GLuint p = glCreateProgram();
    glAttachShader(p, vs);
    glAttachShader(p, fs);
    glBindAttribLocation(p, GL_ATTR_POS, "a_pos");
    glBindAttribLocation(p, GL_ATTR_ATTR1, "a_attr1");
    glBindAttribLocation(p, GL_ATTR_ATTR2, "a_attr2");
    glBindAttribLocation(p, GL_ATTR_COLOR, "a_color");
    glLinkProgram(p);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(p, GL_LINK_STATUS, &ok);
    if (!ok) {
        char info[4096] = "";
        glGetProgramInfoLog(p, sizeof info, NULL, info);
        render_log("SHADER: %s + %s: link failed:\n%s", vert_name, frag_name, info);
        glDeleteProgram(p);
        return 0;
    }
    out->id = p;
    return 1;
}

void gl_program_destroy(gl_program *p)
{
    if (p && p->id) {
        glDeleteProgram(p->id);
        p->id = 0;
    }
}

GLint gl_program_loc(gl_program p, const char *name)
{
    return p.id ? glGetUniformLocation(p.id, name) : -1;
}

void gl_texture_destroy(gl_texture *t)
{
    if (t && t->id) {
        glDeleteTextures(1, &t->id);
        t->id = 0;
    }
}

void gl_buffer_destroy(gl_buffer *b)
{
    if (b && b->id) {
        glDeleteBuffers(1, &b->id);
        b->id = 0;
    }
}

int gl_check(const char *where)
{
    GLenum e = glGetError();
    if (e == GL_NO_ERROR)
        return 1;
    render_log("GL: error 0x%04x at %s", (unsigned)e, where);
    while (glGetError() != GL_NO_ERROR) {
    }
    return 0;
}
