#version 330 core
// prims.vert — screen-space primitives (fills, anti-aliased lines, marks, glyphs).
// a_pos: x, y in framebuffer pixels (origin top-left), z in NDC (depth of 3-D trails).
// a_attr1: u, v (local coordinates: pixels, or atlas texels for glyphs), w (half
// width / radius in pixels), kind (see prims.frag).
layout(location = 0) in vec3 a_pos;
layout(location = 1) in vec4 a_attr1;
layout(location = 3) in vec4 a_color;
uniform vec2 u_viewport;   // framebuffer size in pixels
out vec4 v_attr;
out vec4 v_color;
void main()
{
    vec2 ndc = vec2(a_pos.x / u_viewport.x * 2.0 - 1.0, 1.0 - a_pos.y / u_viewport.y * 2.0);
    gl_Position = vec4(ndc, a_pos.z, 1.0);
    v_attr = a_attr1;
    v_color = a_color;
}
