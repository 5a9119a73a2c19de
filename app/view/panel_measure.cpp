// Measure tool (View > Measure, key M): clicks on the map add points of a polyline; a
// click on the first point closes it into an area; Esc clears (a second Esc leaves the
// tool). Only one map tool takes clicks: turning measuring on puts the plan editor back to
// Select and leaves it no clicks (view_state.hpp). Distances and areas are in the project's
// metric CRS (metres; measure.hpp).
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <string>

#include "app/view/panels.hpp"
#include "app/view/view_state.hpp"

namespace hq::view {

bool update_measure(const Model& /*model*/, UiState& ui, Controller& ctl, const Layout& layout, bool hovered, bool clicked) {
    const ImGuiIO& io = ImGui::GetIO();
    // One active map tool (view_state.hpp): measuring leaves the plan editor no clicks, and a
    // plan drawing tool switches measuring off.
    if (!io.WantTextInput && ImGui::IsKeyPressed(GLFW_KEY_M)) activate_measure(ctl, !ui.measure_active);
    if (!ui.measure_active) return false;
    if (!io.WantTextInput && ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) {
        if (ui.measure.points.empty()) activate_measure(ctl, false);
        ui.measure = {};
    }
    const Camera& cam = ui.camera;
    if (clicked && hovered) measure_click(ui.measure, ui.cursor_world, 8.0 / cam.scale);

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const auto& pts = ui.measure.points;
    std::vector<ImVec2> screen;
    for (const Vec2& p : pts) {
        const Vec2 s = cam.world_to_screen(p);
        screen.emplace_back(static_cast<float>(s.x), static_cast<float>(s.y));
    }
    const ImU32 ink = IM_COL32(230, 90, 0, 255);
    if (ui.measure.closed && screen.size() >= 3) {
        dl->AddConvexPolyFilled(screen.data(), static_cast<int>(screen.size()), IM_COL32(230, 90, 0, 50));
        dl->AddPolyline(screen.data(), static_cast<int>(screen.size()), ink, ImDrawFlags_Closed, 2.0f);
    } else if (screen.size() >= 2) {
        dl->AddPolyline(screen.data(), static_cast<int>(screen.size()), ink, ImDrawFlags_None, 2.0f);
    }
    if (!ui.measure.closed && !screen.empty() && hovered)
        dl->AddLine(screen.back(), io.MousePos, IM_COL32(230, 90, 0, 140), 1.5f);
    for (const ImVec2& s : screen) dl->AddCircleFilled(s, 3.5f, ink);

    // Result box, bottom right of the canvas.
    std::string text = std::string(ui.t(S::Measure)) + "\n";
    std::vector<Vec2> live = pts;
    if (!ui.measure.closed && hovered && !live.empty()) live.push_back(ui.cursor_world);
    text += std::string(ui.t(S::Distance)) + ": " + format_distance(polyline_length(live, ui.measure.closed));
    if (ui.measure.closed) {
        text += '\n';
        text += ui.t(S::Area);
        text += ": " + format_area(ring_area(pts));
    }
    if (pts.empty()) {
        text += '\n';
        text += ui.t(S::MeasureHint);
    }
    const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
    const float x = static_cast<float>(layout.canvas_min.x + layout.canvas_size.x) - ts.x - 24;
    const float y = static_cast<float>(layout.canvas_min.y + layout.canvas_size.y) - ts.y - 24;
    dl->AddRectFilled(ImVec2(x - 8, y - 6), ImVec2(x + ts.x + 8, y + ts.y + 6), IM_COL32(255, 255, 255, 235), 4.0f);
    dl->AddRect(ImVec2(x - 8, y - 6), ImVec2(x + ts.x + 8, y + ts.y + 6), ink, 4.0f);
    dl->AddText(ImVec2(x, y), IM_COL32(30, 30, 30, 255), text.c_str());
    return true;
}

}  // namespace hq::view
