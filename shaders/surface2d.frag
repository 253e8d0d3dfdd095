#version 330 core
// surface2d.frag — the heat map: colour map and anti-aliased contour lines per
// fragment from the normalised height texture.
in vec2 v_st;
in vec3 v_world;
uniform sampler2D u_height;
uniform sampler2D u_lut;       // 256 × 5 colour maps, one row each
uniform float u_lut_row;       // (colormap + 0.5) / 5
uniform float u_contours;      // number of levels over [0, 1]; 0: none
out vec4 frag;

void main()
{
    float h = texture(u_height, v_st).r;
    vec3 col = texture(u_lut, vec2(h * (255.0 / 256.0) + 0.5 / 256.0, u_lut_row)).rgb;
    if (u_contours > 0.0) {
        float c = h * u_contours;
        float fw = fwidth(c);
        float d = abs(fract(c + 0.5) - 0.5) / max(fw, 1e-6);  // pixels to the nearest level
        float line = 1.0 - clamp(d - 0.6, 0.0, 1.0);
        line *= clamp(1.0 - fw * 3.0, 0.0, 1.0);               // fade where lines crowd
        float k = mod(floor(c + 0.5), 5.0) < 0.5 ? 0.55 : 0.32; // every 5th level stronger
        col = mix(col, vec3(1.0 - step(0.6, h)), line * k);
    }
    frag = vec4(col, 1.0);
}
