#version 330 core
// prims_mark.frag — marks from a signed distance in pixels. u, v: pixel offset
// from the centre; w: radius; kind: 2 disc, 3 ring, 4 square, 5 triangle up,
// 6 diamond, 7 cross (x), 8 plus, 9 triangle down.
in vec4 v_attr;
in vec4 v_color;
out vec4 frag;

float tri(vec2 p, float r)
{
    // equilateral triangle pointing up on screen (pixel y grows downwards)
    const float k = 1.7320508;
    p.y = -p.y - 0.25 * r;
    p.x = abs(p.x) - r * 0.866;
    p.y = p.y + r * 0.5;
    if (p.x + k * p.y > 0.0) p = vec2(p.x - k * p.y, -k * p.x - p.y) / 2.0;
    p.x -= clamp(p.x, -2.0 * r * 0.866, 0.0);
    return -length(p) * sign(p.y);
}

void main()
{
    int kind = int(v_attr.w + 0.5);
    vec2 p = v_attr.xy;
    float w = v_attr.z;
    float d;
    if (kind == 2) {
        d = length(p) - w;
    } else if (kind == 3) {
        d = abs(length(p) - w * 0.8) - w * 0.2;
    } else if (kind == 4) {
        d = max(abs(p.x), abs(p.y)) - w * 0.75;
    } else if (kind == 5) {
        d = tri(p, w);
    } else if (kind == 9) {
        d = tri(vec2(p.x, -p.y), w);
    } else if (kind == 6) {
        d = (abs(p.x) + abs(p.y)) * 0.7071 - w * 0.75;
    } else {
        vec2 q = kind == 7 ? vec2(p.x + p.y, p.x - p.y) * 0.7071 : p;
        q = abs(q);
        float t = max(w * 0.22, 1.0);
        d = min(max(q.x - w, q.y - t), max(q.y - w, q.x - t));
    }
    float a = clamp(0.5 - d, 0.0, 1.0);
    if (a <= 0.0)
        discard;
    frag = vec4(v_color.rgb, v_color.a * a);
}
