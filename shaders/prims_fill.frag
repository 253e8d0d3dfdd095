#version 330 core
// prims_fill.frag — fills (kind 0) and anti-aliased lines (kind 1: x = signed
// distance across the line in pixels, y = width of a dark border, z = half width).
// Branch-free: the software rasteriser pays for every branch it cannot skip.
in vec4 v_attr;
in vec4 v_color;
out vec4 frag;
void main()
{
    float line = step(0.5, v_attr.w);
    float d = abs(v_attr.x);
    float a = mix(1.0, clamp(v_attr.z + 0.5 - d, 0.0, 1.0), line);
    float inner = clamp(v_attr.z - v_attr.y + 0.5 - d, 0.0, 1.0);
    vec3 rgb = mix(vec3(0.04), v_color.rgb, mix(1.0, inner, line * step(0.01, v_attr.y)));
    frag = vec4(rgb, v_color.a * a);
}
