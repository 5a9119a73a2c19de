// Status bar: map scale, cursor position (lon/lat and metres), frame time, jobs with
// progress bars and cancel buttons.
#include <imgui.h>

#include <cstdio>
#include <memory>

#include "app/view/panels.hpp"

namespace hq::view {

void draw_status_bar(const Model& model, UiState& ui, Controller& ctl, const Layout& layout) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(0, vp->Size.y - layout.status_height));
    ImGui::SetNextWindowSize(ImVec2(vp->Size.x, layout.status_height));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
    ImGui::Begin("##status", nullptr, flags);
    const Camera& cam = ui.camera;
    // 96 dpi screen: one pixel is 0.0254/96 m on the screen.
    const double denom = (1.0 / cam.scale) / (0.0254 / 96.0);
    ImGui::Text("%s 1:%.0f", ui.t(S::Scale), denom);
    if (ui.cursor_in_canvas && model.data) {
        const Project& p = *model.data->project;
        const Vec2 w = ui.cursor_world;
        ImGui::SameLine(0, 24);
        if (p.planar) {
            ImGui::Text("%s x %.1f, y %.1f", ui.t(S::Cursor), w.x, w.y);
        } else {
            if (ui.cursor_project != &p) {
                ui.cursor_project = &p;
                ui.cursor_transform.reset();
                try {
                    ui.cursor_transform = std::make_shared<Transformer>(p.metric_crs, Crs::wgs84());
                } catch (const std::exception&) {
                    ui.cursor_transform.reset();
                }
            }
            Vec2 ll{};
            bool ok = false;
            if (ui.cursor_transform) {
                double x = w.x, y = w.y;
                ok = ui.cursor_transform->apply(&x, &y, 1);
                ll = {x, y};
            }
            if (ok)
                ImGui::Text("%s %.6f°E %.6f°N  |  %.1f, %.1f %s", ui.t(S::Cursor), ll.x, ll.y, w.x, w.y, ui.t(S::Metres));
            else
                ImGui::Text("%s %.1f, %.1f %s", ui.t(S::Cursor), w.x, w.y, ui.t(S::Metres));
        }
    }
    ImGui::SameLine(0, 24);
    // Refreshed once a second: a number changing every frame would make every frame differ
    // and defeat the viewer's frame cache (frame_cache.hpp).
    if (ImGui::GetTime() - ui.shown_frame_at >= 1.0 || (ui.shown_frame_ms <= 0 && ui.frame_ms > 0)) {
        ui.shown_frame_ms = ui.frame_ms;
        ui.shown_frame_at = ImGui::GetTime();
    }
    ImGui::TextDisabled("%s %.1f ms", ui.t(S::FrameMs), ui.shown_frame_ms);
    for (const JobStatus& s : ctl.jobs.status()) {
        ImGui::SameLine(0, 24);
        ImGui::TextUnformatted(s.label.c_str());
        ImGui::SameLine();
        ImGui::ProgressBar(static_cast<float>(s.fraction), ImVec2(140, 0));
        ImGui::SameLine();
        ImGui::PushID(s.slot.c_str());
        if (ImGui::SmallButton(ui.t(S::Cancel))) ctl.jobs.cancel(s.slot);
        ImGui::PopID();
    }
    ImGui::End();
    ImGui::PopStyleVar();
    (void)layout;
}

}  // namespace hq::view
