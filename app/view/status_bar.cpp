// Status bar: map scale, cursor position (lon/lat and metres), frame time, jobs with
// progress bars and cancel buttons.
#include <imgui.h>

#include <cstdio>
#include <memory>

#include "app/view/panels.hpp"

namespace hq::view {
namespace {

/// metric -> WGS 84 for the cursor read-out, rebuilt when the project changes.
struct CursorTransform {
    const Project* project = nullptr;
    std::unique_ptr<Transformer> t;
};

}  // namespace

void draw_status_bar(App& app, const Layout& layout) {
    static CursorTransform ct;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(0, vp->Size.y - layout.status_height));
    ImGui::SetNextWindowSize(ImVec2(vp->Size.x, layout.status_height));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
    ImGui::Begin("##status", nullptr, flags);
    const Camera& cam = app.ui.camera;
    // 96 dpi screen: one pixel is 0.0254/96 m on the screen.
    const double denom = (1.0 / cam.scale) / (0.0254 / 96.0);
    ImGui::Text("%s 1:%.0f", app.t(S::Scale), denom);
    if (app.ui.cursor_in_canvas && app.model.data) {
        const Project& p = *app.model.data->project;
        const Vec2 w = app.ui.cursor_world;
        ImGui::SameLine(0, 24);
        if (p.planar) {
            ImGui::Text("%s x %.1f, y %.1f", app.t(S::Cursor), w.x, w.y);
        } else {
            if (ct.project != &p) {
                ct.project = &p;
                ct.t.reset();
                try {
                    ct.t = std::make_unique<Transformer>(p.metric_crs, Crs::wgs84());
                } catch (const std::exception&) {
                    ct.t.reset();
                }
            }
            Vec2 ll{};
            bool ok = false;
            if (ct.t) {
                double x = w.x, y = w.y;
                ok = ct.t->apply(&x, &y, 1);
                ll = {x, y};
            }
            if (ok)
                ImGui::Text("%s %.6f°E %.6f°N  |  %.1f, %.1f %s", app.t(S::Cursor), ll.x, ll.y, w.x, w.y, app.t(S::Metres));
            else
                ImGui::Text("%s %.1f, %.1f %s", app.t(S::Cursor), w.x, w.y, app.t(S::Metres));
        }
    }
    ImGui::SameLine(0, 24);
    // Refreshed once a second: a number changing every frame would make every frame differ
    // and defeat the viewer's frame cache (frame_cache.hpp).
    static double shown_ms = 0, shown_at = -10;
    if (ImGui::GetTime() - shown_at >= 1.0 || (shown_ms <= 0 && app.ui.frame_ms > 0)) {
        shown_ms = app.ui.frame_ms;
        shown_at = ImGui::GetTime();
    }
    ImGui::TextDisabled("%s %.1f ms", app.t(S::FrameMs), shown_ms);
    for (const JobStatus& s : app.jobs.status()) {
        ImGui::SameLine(0, 24);
        ImGui::TextUnformatted(s.label.c_str());
        ImGui::SameLine();
        ImGui::ProgressBar(static_cast<float>(s.fraction), ImVec2(140, 0));
        ImGui::SameLine();
        ImGui::PushID(s.slot.c_str());
        if (ImGui::SmallButton(app.t(S::Cancel))) app.jobs.cancel(s.slot);
        ImGui::PopID();
    }
    ImGui::End();
    ImGui::PopStyleVar();
    (void)layout;
}

}  // namespace hq::view
