#version 330 core
// prims_text.frag — glyph quads: coverage from the R8 glyph atlas.
in vec4 v_attr;
in vec4 v_color;
uniform sampler2D u_atlas;
out vec4 frag;
void main()
{
    frag = vec4(v_color.rgb, v_color.a * texture(u_atlas, v_attr.xy).r);
}
