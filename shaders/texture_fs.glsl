#version 330 core
// The raster overlay's colours (already ramped by the scene) with a layer opacity.
uniform sampler2D u_tex;
uniform float u_opacity;
in vec2 v_uv;
out vec4 frag_color;

void main() {
    vec4 c = texture(u_tex, v_uv);
    frag_color = vec4(c.rgb, c.a * u_opacity);
}
