#version 330 core
// surface.vert — the surface, from the height texture (normalised heights in [0, 1],
// computed on the CPU with the current linear/log scale).
// u_mode 0 (2-D): a quad covering the viewport from gl_VertexID (no vertex buffer).
// u_mode 1 (3-D): a grid mesh; a_pos.xy = (s, t) in [0, 1]², displaced by the height.
layout(location = 0) in vec3 a_pos;
uniform int u_mode;
uniform mat4 u_mvp;
uniform sampler2D u_height;   // texel (i, j) holds the grid corner (i, j)
uniform sampler2D u_geom;     // the mesh's heights, laid out the same (log: pits as the mesh resolves them)
uniform vec2 u_half;          // world half extent of the domain box in x and y
uniform float u_zscale;       // world height of the normalised range [0, 1]
uniform vec2 u_texel;         // (n − 1)/n and 0.5/n: grid coordinate → texture coordinate
out vec2 v_st;
out vec3 v_world;

void main()
{
    vec2 st = u_mode == 0 ? vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1))
                          : a_pos.xy;
    // v_st is already the texture coordinate, so the fragment shaders do no arithmetic
    v_st = st * u_texel.x + u_texel.y;
    if (u_mode == 0) {
        v_world = vec3(st, 0.0);
        gl_Position = vec4(st * 2.0 - 1.0, 0.0, 1.0);
        return;
    }
    float h = textureLod(u_geom, v_st, 0.0).r;
    v_world = vec3((st * 2.0 - 1.0) * u_half, h * u_zscale);
    gl_Position = u_mvp * vec4(v_world, 1.0);
}
