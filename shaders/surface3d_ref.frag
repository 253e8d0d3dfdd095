#version 330 core
// surface3d_ref.frag — the reference path of the lit height field (the shader before the
// shade texture, kept so tests can compare surface3d.frag against it): colour map,
// contour lines and a normal per fragment from four more fetches of the height texture;
// Lambert + a little Blinn specular + the fill light of surface3d.frag.
in vec2 v_st;
in vec3 v_world;
uniform sampler2D u_height;
uniform sampler2D u_lut;
uniform float u_lut_row;
uniform float u_contours;
uniform vec2 u_half;
uniform float u_zscale;
uniform vec2 u_step;           // one texel in texture coordinates
uniform vec2 u_cell;           // world size of one grid cell
uniform vec3 u_eye;            // camera position
out vec4 frag;

void main()
{
    float h = texture(u_height, v_st).r;
    vec3 col = texture(u_lut, vec2(h * (255.0 / 256.0) + 0.5 / 256.0, u_lut_row)).rgb;
    if (u_contours > 0.0) {
        float c = h * u_contours;
        float fw = fwidth(c);
        float d = abs(fract(c + 0.5) - 0.5) / max(fw, 1e-6);
        float line = 1.0 - clamp(d - 0.6, 0.0, 1.0);
        line *= clamp(1.0 - fw * 3.0, 0.0, 1.0);
        float k = mod(floor(c + 0.5), 5.0) < 0.5 ? 0.5 : 0.3;
        col = mix(col, vec3(1.0 - step(0.6, h)), line * k);
    }
    float hx = texture(u_height, v_st + vec2(u_step.x, 0.0)).r - texture(u_height, v_st - vec2(u_step.x, 0.0)).r;
    float hy = texture(u_height, v_st + vec2(0.0, u_step.y)).r - texture(u_height, v_st - vec2(0.0, u_step.y)).r;
    // world slope: Δh·zscale over the world distance of two grid cells
    vec3 N = normalize(vec3(-hx * u_zscale / (2.0 * u_cell.x), -hy * u_zscale / (2.0 * u_cell.y), 1.0));
    // the underside of a wall, seen from above it (the eye higher than the point):
    // a steep wall between the eye and the floor folds over, and past the fold its
    // back showed as a thin line along the rim (ravine's and features-unscaled's near
    // wall in 3-D); left out, the wall ends at the fold. From below the surface (a
    // camera under it) its underside is all there is to see, and stays
    if (!gl_FrontFacing && u_eye.z > v_world.z)
        discard;
    if (!gl_FrontFacing) N = -N;
    vec3 L = normalize(vec3(-0.4, -0.5, 0.9));
    vec3 V = normalize(u_eye - v_world);
    vec3 H = normalize(L + V);
    float diff = max(dot(N, L), 0.0);
    vec3 F = normalize(vec3(0.4, 0.5, 0.15));
    float fill = max(dot(N, F), 0.0) * (1.0 - diff) * (1.0 - diff);
    float spec = pow(max(dot(N, H), 0.0), 40.0) * 0.25;
    frag = vec4(col * (0.35 + 0.75 * diff + 0.5 * fill) + vec3(spec), 1.0);
}
