#version 330 core
// Flat colour; hatched features (privacy-suppressed or no data) get darker diagonal lines.
in vec4 v_color;
in float v_hatch;
out vec4 frag_color;

void main() {
    vec4 c = v_color;
    if (v_hatch > 0.5 && mod(gl_FragCoord.x + gl_FragCoord.y, 8.0) < 1.5) c.rgb *= 0.55;
    frag_color = c;
}
