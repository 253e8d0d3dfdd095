#version 330 core
// prims_disc.frag — prims_mark.frag's disc (kind 2) alone, the same arithmetic:
// u, v: pixel offset from the centre; w: radius. Long runs of discs (a trail's
// joints, a data panel's samples) are drawn with it (prims.c): the software
// rasteriser runs every branch of prims_mark.frag for every pixel, a quarter more
// than the disc's alone.
in vec4 v_attr;
in vec4 v_color;
out vec4 frag;
void main()
{
    vec2 p = v_attr.xy;
    float w = v_attr.z;
    float d = length(p) - w;
    float a = clamp(0.5 - d, 0.0, 1.0);
    if (a <= 0.0)
        discard;
    frag = vec4(v_color.rgb, v_color.a * a);
}
