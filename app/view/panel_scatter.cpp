// Moran scatterplot linked to the map through the one shared selection: click a point or
// drag a box to select units; units selected on the map are highlighted here.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/view/camera.hpp"
#include "app/view/panels.hpp"

namespace hq::view {
namespace {

ImU32 quadrant_color(Quadrant q, bool significant) {
    if (!significant) return IM_COL32(170, 170, 170, 255);
    switch (q) {
        case Quadrant::HH: return IM_COL32(255, 0, 0, 255);
        case Quadrant::LL: return IM_COL32(0, 0, 255, 255);
        case Quadrant::LH: return IM_COL32(150, 150, 255, 255);
        case Quadrant::HL: return IM_COL32(255, 150, 150, 255);
        case Quadrant::Island: return IM_COL32(140, 140, 140, 255);
    }
    return IM_COL32(170, 170, 170, 255);
}

}  // namespace

void draw_scatter(const Model& model, UiState& ui, Controller& ctl, const Layout& layout) {
    if (!ui.show_scatter || ui.mode != Mode::Lisa) return;
    // Docked below the map (layout.cpp), the width of the map.
    ImGui::SetNextWindowPos(ImVec2(static_cast<float>(layout.canvas_min.x),
                                   static_cast<float>(layout.canvas_min.y + layout.canvas_size.y) + Layout::kSplitter));
    ImGui::SetNextWindowSize(ImVec2(static_cast<float>(layout.canvas_size.x), layout.bottom_height));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    if (layout.bottom_height <= 0) return;
    if (!ImGui::Begin((std::string(ui.t(S::Scatter)) + "###scatter").c_str(), &ui.show_scatter, flags)) {
        ImGui::End();
        return;
    }
    {
        const ImVec2 p = ImGui::GetWindowPos(), s = ImGui::GetWindowSize();
        ui.frame_windows.push_back({"scatter", p.x, p.y, s.x, s.y});
    }
    const LisaView* v = model.lisa.get();
    if (!v) {
        ImGui::TextDisabled("%s", ctl.jobs.busy("lisa") ? ui.t(S::Computing) : ui.t(S::NoData));
        ImGui::End();
        return;
    }
    ImGui::Text("I = %.4f", v->slope);
    ImGui::SameLine();
    ImGui::TextDisabled("%s", ui.t(S::ScatterHint));
    double lim = 1.0;
    for (std::size_t i = 0; i < v->z.size(); ++i)
        if (std::isfinite(v->z[i]) && std::isfinite(v->lag[i])) lim = std::max({lim, std::abs(v->z[i]), std::abs(v->lag[i])});
    lim *= 1.1;
    // Axes with ticks at nice numbers and their labels (issue 13 §7): the y labels in a left
    // margin, the x labels and the axis titles below the plot.
    const float line = ImGui::GetTextLineHeight();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImVec2 avail = ImGui::GetContentRegionAvail();
    avail.y -= ImGui::GetTextLineHeightWithSpacing();  // the axis titles' line
    const float plot_h = std::max(avail.y - line - 6.0f, 60.0f);
    const std::vector<double> yticks = nice_ticks(-lim, lim, std::max(2, static_cast<int>(plot_h / (2.5f * line))));
    const double ystep = yticks.size() > 1 ? yticks[1] - yticks[0] : 1.0;
    float margin = 0;
    for (double t : yticks) margin = std::max(margin, ImGui::CalcTextSize(tick_label(t, ystep).c_str()).x);
    margin += 8.0f;
    const ImVec2 p0(origin.x + margin, origin.y + line * 0.5f);
    const ImVec2 size(std::max(avail.x - margin - 8.0f, 80.0f), plot_h - line * 0.5f);
    ImGui::InvisibleButton("plot", ImVec2(margin + size.x, plot_h + line + 6.0f));
    const bool hovered = ImGui::IsItemHovered();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), IM_COL32(255, 255, 255, 255));
    auto to_screen = [&](double x, double y) {
        return ImVec2(p0.x + static_cast<float>((x + lim) / (2 * lim)) * size.x,
                      p0.y + static_cast<float>((lim - y) / (2 * lim)) * size.y);
    };
    const ImU32 tick_col = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 grid_col = IM_COL32(225, 225, 225, 255);
    for (double t : yticks) {
        const float y = to_screen(0, t).y;
        dl->AddLine(ImVec2(p0.x, y), ImVec2(p0.x + size.x, y), grid_col);
        dl->AddLine(ImVec2(p0.x - 4, y), ImVec2(p0.x, y), tick_col);
        const std::string l = tick_label(t, ystep);
        const ImVec2 ts = ImGui::CalcTextSize(l.c_str());
        dl->AddText(ImVec2(p0.x - 6 - ts.x, y - ts.y * 0.5f), tick_col, l.c_str());
    }
    const std::vector<double> xticks = nice_ticks(-lim, lim, std::max(2, static_cast<int>(size.x / (4.0f * line))));
    const double xstep = xticks.size() > 1 ? xticks[1] - xticks[0] : 1.0;
    for (double t : xticks) {
        const float x = to_screen(t, 0).x;
        dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p0.y + size.y), grid_col);
        dl->AddLine(ImVec2(x, p0.y + size.y), ImVec2(x, p0.y + size.y + 4), tick_col);
        const std::string l = tick_label(t, xstep);
        const ImVec2 ts = ImGui::CalcTextSize(l.c_str());
        dl->AddText(ImVec2(x - ts.x * 0.5f, p0.y + size.y + 5), tick_col, l.c_str());
    }
    dl->AddRect(p0, ImVec2(p0.x + size.x, p0.y + size.y), IM_COL32(150, 150, 150, 255));
    const ImVec2 c = to_screen(0, 0);
    dl->AddLine(ImVec2(p0.x, c.y), ImVec2(p0.x + size.x, c.y), IM_COL32(120, 120, 120, 255));
    dl->AddLine(ImVec2(c.x, p0.y), ImVec2(c.x, p0.y + size.y), IM_COL32(120, 120, 120, 255));
    dl->AddLine(to_screen(-lim, -lim * v->slope), to_screen(lim, lim * v->slope), IM_COL32(90, 90, 90, 255), 1.5f);
    const auto& sel = model.selection;
    for (std::size_t i = 0; i < v->z.size(); ++i) {
        // A unit the guard left out of the LISA has no point (docs/privacy.md, "LISA").
        if (v->is_withheld(i) || !std::isfinite(v->z[i]) || !std::isfinite(v->lag[i])) continue;
        const ImVec2 q = to_screen(v->z[i], v->lag[i]);
        const bool s = sel.count(static_cast<std::uint32_t>(i)) > 0;
        dl->AddCircleFilled(q, s ? 5.0f : 3.5f, quadrant_color(v->quadrant[i], v->significant[i]));
        if (s) dl->AddCircle(q, 6.5f, IM_COL32(0, 180, 220, 255), 0, 2.0f);
    }
    ImGuiIO& io = ImGui::GetIO();
    if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        ui.brushing = true;
        ui.brush_start = {io.MousePos.x, io.MousePos.y};
    }
    if (ui.brushing) {
        const ImVec2 a(static_cast<float>(ui.brush_start.x), static_cast<float>(ui.brush_start.y));
        const ImVec2 b = io.MousePos;
        dl->AddRect(a, b, IM_COL32(0, 150, 200, 255));
        if (ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
            ui.brushing = false;
            if (!io.KeyCtrl && !io.KeyShift) ctl.clear_selection();
            const bool click = std::abs(a.x - b.x) < 3 && std::abs(a.y - b.y) < 3;
            if (click) {
                // Nearest point within 8 pixels.
                int best = -1;
                float bestd = 64;
                for (std::size_t i = 0; i < v->z.size(); ++i) {
                    const ImVec2 q = to_screen(v->z[i], v->lag[i]);
                    const float d2 = (q.x - b.x) * (q.x - b.x) + (q.y - b.y) * (q.y - b.y);
                    if (d2 < bestd) {
                        bestd = d2;
                        best = static_cast<int>(i);
                    }
                }
                if (best >= 0) ctl.select(static_cast<std::uint32_t>(best));
            } else {
                const float x0 = std::min(a.x, b.x), x1 = std::max(a.x, b.x), y0 = std::min(a.y, b.y),
                            y1 = std::max(a.y, b.y);
                for (std::size_t i = 0; i < v->z.size(); ++i) {
                    const ImVec2 q = to_screen(v->z[i], v->lag[i]);
                    if (q.x >= x0 && q.x <= x1 && q.y >= y0 && q.y <= y1)
                        ctl.select(static_cast<std::uint32_t>(i));
                }
            }
        }
    }
    // The axis titles: x under its labels, centred; y (ImGui has no rotated text) at the left,
    // marked with arrows.
    const std::string xt = ui.t(S::ScatterX), yt = ui.t(S::ScatterY);
    ImGui::SetCursorScreenPos(ImVec2(origin.x, ImGui::GetCursorScreenPos().y));
    ImGui::TextUnformatted(yt.c_str());
    ImGui::SameLine(std::max(margin + (size.x - ImGui::CalcTextSize(xt.c_str()).x) * 0.5f, ImGui::CalcTextSize(yt.c_str()).x + 24.0f));
    ImGui::TextUnformatted(xt.c_str());
    ImGui::End();
}

}  // namespace hq::view
