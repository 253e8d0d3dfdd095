#version 330 core
// surface3d.frag — the lit height field: colour map, contour lines and a normal per
// fragment (detail does not depend on the mesh size); Lambert + a little Blinn
// specular, and a fill light for what the key light misses (see below). One fetch of the shade texture gives the height and its central
// differences (precomputed on the CPU whenever the heights change, see
// surface_view.c): bilinear interpolation is linear, so the interpolated
// differences equal the difference of two interpolated heights one texel apart,
// which surface3d_ref.frag fetches four times per fragment — the same picture.
// The colour map: two texel fetches of its row mixed in float (the reference: one
// filtered fetch, which reads four texels and weighs them in fixed point, so a
// channel may differ by one level).
in vec2 v_st;
in vec3 v_world;
uniform sampler2D u_shade;     // (h, h(i+1) − h(i−1), h(j+1) − h(j−1), 0), indices clamped
uniform sampler2D u_lut;
uniform int u_lut_y;           // the colour map's row of the lookup texture
uniform float u_contours;
uniform vec2 u_grad;           // world slope per unit difference: zscale / (2 · cell)
uniform vec3 u_eye;            // camera position
out vec4 frag;

const vec3 L = vec3(-0.36214298, -0.45267873, 0.81482171);   // normalize(-0.4, -0.5, 0.9)
const vec3 F = vec3(0.60822874, 0.76028592, 0.22808578);     // normalize(0.4, 0.5, 0.15)

void main()
{
    vec4 t = texture(u_shade, v_st);
    float h = t.r;
    // the lookup texture's linear filter along its row, from two texel fetches: the
    // filtered fetch reads four texels (the row's and the next one's, at weight 0)
    float lx = h * 255.0;
    int li = int(min(lx, 254.0));
    vec3 col = mix(texelFetch(u_lut, ivec2(li, u_lut_y), 0).rgb,
                   texelFetch(u_lut, ivec2(li + 1, u_lut_y), 0).rgb, lx - float(li));
    if (u_contours > 0.0) {
        float c = h * u_contours;
        float fw = fwidth(c);
        float d = abs(fract(c + 0.5) - 0.5) / max(fw, 1e-6);
        float line = 1.0 - clamp(d - 0.6, 0.0, 1.0);
        line *= clamp(1.0 - fw * 3.0, 0.0, 1.0);
        float k = mod(floor(c + 0.5), 5.0) < 0.5 ? 0.5 : 0.3;
        col = mix(col, vec3(1.0 - step(0.6, h)), line * k);
    }
    // the underside of a wall, seen from above it (the eye higher than the point):
    // a steep wall between the eye and the floor folds over, and past the fold its
    // back showed as a thin line along the rim (ravine's and features-unscaled's near
    // wall in 3-D); left out, the wall ends at the fold. From below the surface (a
    // camera under it) its underside is all there is to see, and stays
    if (!gl_FrontFacing && u_eye.z > v_world.z)
        discard;
    vec3 N = normalize(vec3(-t.g * u_grad.x, -t.b * u_grad.y, 1.0));
    N = gl_FrontFacing ? N : -N;
    vec3 V = normalize(u_eye - v_world);
    vec3 H = normalize(L + V);
    float diff = max(dot(N, L), 0.0);
    // the fill: low, from the side opposite the key, weighed by (1 − diff)², so it
    // lights the steep walls that face away from the key (a valley's near wall
    // went near black and its lit rim read as a line apart from the floor, issue 9
    // #10) and leaves what the key lights as it was (a floor: + 0.004)
    float m = 1.0 - diff;
    float fill = max(dot(N, F), 0.0) * m * m;
    // pow(s, 40) as s^32 · s^8: five products instead of exp2(40 · log2(s))
    float s = max(dot(N, H), 0.0);
    float s2 = s * s, s4 = s2 * s2, s8 = s4 * s4, s16 = s8 * s8;
    float spec = s16 * s16 * s8 * 0.25;
    frag = vec4(col * (0.35 + 0.75 * diff + 0.5 * fill) + vec3(spec), 1.0);
}
