/*
 * gl_util.h — small OpenGL 3.3 core helpers: shader programs, textures, buffers.
 *
 * GL object ids are wrapped in one-field structs whose id is 0 when invalid, so
 * raw GLuints never leak out of the render layer. Shader sources come from the
 * table embedded at build time (shaders/NAME.vert and .frag as shader_files[]) or, for
 * development reloads, from a folder on disk (LOSSCAPE_SOURCE_DIR/shaders).
 * Every program binds the same attribute locations before linking (GL_ATTR_*).
 *
 * Errors are reported through a log callback (render_log), never by exiting.
 *
 * Index
 *     GL_ATTR_POS, GL_ATTR_ATTR1, GL_ATTR_ATTR2, GL_ATTR_COLOR
 *     render_log_fn, render_log_set(fn, user), render_log(fmt, ...)
 *     gl_program, gl_program_is_valid(p)
 *     gl_program_build(vert_name, frag_name, dir, out)    compile + link (dir NULL: embedded)
 *     gl_program_destroy(p)
 *     gl_program_loc(p, uniform)
 *     gl_shader_source(name, dir)                        malloc'd text or NULL
 *     gl_texture, gl_texture_is_valid(t), gl_texture_destroy(t)
 *     gl_buffer, gl_buffer_is_valid(b), gl_buffer_destroy(b)
 *     gl_check(where)                                    logs glGetError once, returns 0 on error
 *     gl_context_is_es()                                 the current context is OpenGL ES (WebGL2)
 *     gl_shader_es_parts(src, parts)                     a 330 core source as GLSL ES 3.00
 *
 * The shaders are written once, as GLSL 330 core. On an OpenGL ES 3.0 context (the
 * browser's WebGL2) each is compiled with its first line "#version 330 core"
 * replaced by "#version 300 es" and highp precision defaults; nothing else in them
 * differs between the two dialects.
 */
#ifndef LOSSCAPE_RENDER_GL_UTIL_H
#define LOSSCAPE_RENDER_GL_UTIL_H

#include <GL/gl.h>
#include <GL/glext.h>

/* Fixed attribute locations shared by every program. */
enum { GL_ATTR_POS = 0, GL_ATTR_ATTR1 = 1, GL_ATTR_ATTR2 = 2, GL_ATTR_COLOR = 3 };

/* Log sink of the render layer (default: stderr). Lines start with a subsystem tag
 * such as "SHADER:". */
typedef void (*render_log_fn)(void *user, const char *line);
void render_log_set(render_log_fn fn, void *user);
void render_log(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* 1 if the current context's GL_VERSION starts with "OpenGL ES". */
int gl_context_is_es(void);
/* If src starts with the line "#version 330 core", sets parts[0] to the GLSL ES 3.00
 * header and parts[1] to the rest of src (for glShaderSource(sh, 2, parts, NULL)) and
 * returns 1; otherwise returns 0 and leaves parts alone. No GL calls. */
int gl_shader_es_parts(const char *src, const char *parts[2]);

typedef struct gl_program { GLuint id; } gl_program;
typedef struct gl_texture { GLuint id; } gl_texture;
typedef struct gl_buffer  { GLuint id; } gl_buffer;

static inline int gl_program_is_valid(gl_program p) { return p.id != 0; }
static inline int gl_texture_is_valid(gl_texture t) { return t.id != 0; }
static inline int gl_buffer_is_valid(gl_buffer b) { return b.id != 0; }

/* The text of shader `name` ("surface.frag"): read from dir/name if dir is not NULL,
 * else from the embedded table. Returns a malloc'd NUL-terminated string the caller
 * frees, or NULL (logged) if there is no such shader. */
char *gl_shader_source(const char *name, const char *dir);

/* Compile and link a program from two shader names (see gl_shader_source). On
 * success *out holds the new program and 1 is returned; on failure the info log is
 * reported through render_log ("SHADER: surface.frag: 0:12(3): error ..."), *out
 * is untouched and 0 is returned. */
int gl_program_build(const char *vert_name, const char *frag_name, const char *dir,
                     gl_program *out);

/* Delete the program and zero it; an invalid program is a no-op. */
void gl_program_destroy(gl_program *p);

/* Uniform location (−1 if the uniform is absent or optimised away). */
GLint gl_program_loc(gl_program p, const char *name);

void gl_texture_destroy(gl_texture *t);
void gl_buffer_destroy(gl_buffer *b);

/* Report (once per call site string) a pending GL error. Returns 1 if none. */
int gl_check(const char *where);

#endif
