#version 330 core
// Map geometry: world positions relative to the mesh origin plus pixel offsets (outline
// extrusion, symbols). Level of detail: a vertex whose feature is smaller than u_min_px on
// screen is moved outside the clip volume (sub-pixel outlines are not drawn).
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec2 a_off;
layout(location = 2) in vec4 a_color;
layout(location = 3) in float a_lod;
layout(location = 4) in float a_hatch;

uniform vec2 u_center;    // camera centre minus mesh origin, world units
uniform float u_scale;    // framebuffer pixels per world unit
uniform vec2 u_viewport;  // framebuffer pixels
uniform float u_min_px;   // LOD threshold, framebuffer pixels
uniform float u_opacity;  // layer opacity
uniform float u_px_ratio; // framebuffer pixels per window pixel

out vec4 v_color;
out float v_hatch;

void main() {
    vec2 px = (a_pos - u_center) * u_scale + a_off * u_px_ratio;
    gl_Position = vec4(px * 2.0 / u_viewport, 0.0, 1.0);
    if (a_lod > 0.0 && a_lod * u_scale < u_min_px) gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    v_color = vec4(a_color.rgb, a_color.a * u_opacity);
    v_hatch = a_hatch;
}
